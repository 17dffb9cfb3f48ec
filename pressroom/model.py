"""The content model: frozen records read from the sources, each knowing where it came from."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Meta:
    """A booklet's ``booklet.yaml``, validated."""

    path: str
    title: str
    code: str
    edition: str
    last_reviewed: date
    next_review: date
    helpline: str
    website: str
    online_url: str
    subtitle: str = ''
    published: date | None = None
    language: str = 'en-GB'
    card: str | None = None
    author: str = ''


@dataclass(frozen=True)
class Heading:
    id: str
    title: str
    level: int
    path: str
    line: int


@dataclass(frozen=True)
class Reference:
    """A link to a heading of the same booklet; ``form`` is ``see``, ``page`` or ``title``."""

    target: str
    form: str
    path: str
    line: int


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    path: str
    line: int


@dataclass(frozen=True)
class Chapter:
    path: str
    html: str
    headings: tuple[Heading, ...]
    references: tuple[Reference, ...]
    images: tuple[Image, ...] = ()

    @property
    def title(self):
        return self.headings[0].title if self.headings else ''

    @property
    def id(self):
        return self.headings[0].id if self.headings else ''


@dataclass(frozen=True)
class Booklet:
    slug: str
    folder: str  # relative to the content root, e.g. booklet/bone
    meta: Meta
    chapters: tuple[Chapter, ...]
    images: dict = field(default_factory=dict, compare=False)  # src -> data: URI

    @property
    def headings(self):
        return [h for chapter in self.chapters for h in chapter.headings]

    @property
    def references(self):
        return [r for chapter in self.chapters for r in chapter.references]

    def heading(self, id):
        return next((h for h in self.headings if h.id == id), None)
