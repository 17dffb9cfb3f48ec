"""The content model: frozen records read from the sources, each knowing where it came from."""

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

# The id of the alert card printed on a booklet's back page (and its web page's card section).
BACK_PAGE_ID = 'alert-card'
# The QR code's square on the professionals' face (quiet zone included), in millimetres: 26 mm
# holds a version-5 code (84 characters) in modules a phone reads (qr.MIN_MODULE_MM), where
# 23 mm would hold version 3 only (42); it costs the face's text 3 mm of width.
QR_SIZE_MM = 26

# What the reader leaves in a chapter's or face's HTML for render to fill in, each a private-use
# character pair around an index (the sanitiser keeps them as text; no source may hold them):
# a reference's text (chapter.references[i]), an image's address (chapter.images[i]) and a
# card field (face.fields[i]). Render substitutes them: nothing parses HTML to find them.
REFERENCE_TOKEN = re.compile('\ue010(\\d+)\ue011')
IMAGE_TOKEN = re.compile('\ue012(\\d+)\ue013')
FIELD_TOKEN = re.compile('\ue000(\\d+)\ue001')


# The characters those placeholders are made of: refused in every source.
TOKEN_CHARACTERS = frozenset('\ue000\ue001\ue010\ue011\ue012\ue013')


def reference_token(index):
    return f'\ue010{index}\ue011'


def image_token(index):
    return f'\ue012{index}\ue013'


def field_token(index):
    return f'\ue000{index}\ue001'


# Ids the build itself puts on pages (templates, the back-page card, Notes pages): a heading or
# raw HTML may not use them, or a link would land on the wrong thing.
RESERVED_IDS = frozenset({'alert-card', 'main', 'toc-title', 'pr-back-cover', 'pr-contents',
                          'pr-contents-title', 'pr-cover', 'pr-back-matter'})
RESERVED_PATTERN = re.compile(r'^pr-notes-\d+$')


def reserved(id):
    return id in RESERVED_IDS or bool(RESERVED_PATTERN.match(id))


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
    card: str | None = None  # slug of the card printed on the back page
    author: str = ''  # the PDF's author (default: the organisation)
    # The back matter: who publishes the booklet and how to reach them (the cover and the back
    # cover always print the name; the rest goes where there is room, render decides).
    organisation: str = ''  # its name (default: author, else website)
    charity_number: str = ''
    address: str = ''
    sources_statement: str = ''  # where the information comes from
    feedback: str = ''  # how to tell us what you think
    other_formats: str = ''  # large print, audio, Easy Read ...
    chapter_breaks: str = 'page'  # 'page': each chapter starts a page; 'none': it runs on
    lines: dict = field(default_factory=dict, compare=False, hash=False)  # key -> line


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
    source: str = field(default='', repr=False)  # the Markdown, for locating problems

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


@dataclass(frozen=True)
class Face:
    """One side of a card: HTML with a ``<span class="field">`` per ``{{ clinic.x }}``."""

    path: str
    html: str
    fields: tuple[str, ...]
    title: str = ''
    source: str = field(default='', repr=False)


def is_write_in(field_name):
    """Whether a face's field is always a write-in line (``{{ patient.name }}``)."""
    return field_name.startswith('patient.')


@dataclass(frozen=True)
class Clinic:
    """One row of ``clinics.csv``: its values are data, printed literally."""

    id: str
    values: tuple  # ((column, value), ...) in header order
    line: int

    def value(self, column):
        return dict(self.values).get(column, '')


@dataclass(frozen=True)
class Card:
    slug: str
    folder: str  # relative to the content root, e.g. cards/spinal-cord-compression
    title: str
    url: str  # exactly what the QR code encodes (qr_campaign applied)
    width_mm: float
    height_mm: float
    front: Face
    back: Face
    requires: tuple[str, ...] = ()
    clinics: tuple[Clinic, ...] = ()
    columns: tuple[str, ...] = ()
    url_line: int = 0  # where card.yaml sets the url
    qr_label: str = ''  # the address printed beside the code, when shorter than the URL
    label_line: int = 0  # where card.yaml sets it (or the url)
    opens: tuple = ()  # (booklet slug, id) a short url leads to (card.yaml 'opens:')
    opens_line: int = 0

    @property
    def section_id(self):
        """The id of the booklet section the card's QR code opens ('' for the page's top)."""
        return self.opens[1] if self.opens else urlsplit(self.url).fragment
    reviewed: tuple = ()  # (last_reviewed, next_review) of the booklet its QR code opens

    @property
    def size_label(self):
        return f'{self.width_mm:g}×{self.height_mm:g} mm'

    @property
    def fields(self):
        return tuple(name for name in dict.fromkeys(self.front.fields + self.back.fields)
                     if not is_write_in(name))
