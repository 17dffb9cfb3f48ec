"""What an output format is: a Target names itself (its ``--formats`` word), says what it is
built from and whether it lays out in a render worker, plans one Job per source, and makes
its files. The registry (targets/registry.py) lists them in order; nothing else in the build
switches on a format's name.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Job:
    """One target applied to one source: ``booklet:bone``, ``cards:scc``, ``web``."""

    target: str  # the Target's name
    source: str = ''  # a booklet or card slug; '' when built from the whole site

    @property
    def id(self):
        return f'{self.target}:{self.source}' if self.source else self.target


@dataclass(frozen=True)
class Content:
    """Everything read from the content root, validated: the input of every target."""

    root: object  # read.files.ContentRoot
    styles: object  # render.styles.Styles
    booklets: tuple = ()
    cards: tuple = ()

    def booklet(self, slug):
        return next((booklet for booklet in self.booklets if booklet.slug == slug), None)

    def card(self, slug):
        return next((card for card in self.cards if card.slug == slug), None)

    def card_of(self, booklet):
        """The card printed on ``booklet``'s back page, if any."""
        return self.card(booklet.meta.card) if booklet.meta.card else None


@dataclass(frozen=True)
class Options:
    """What the command line asked for that changes outputs (and so the cache keys)."""

    html: bool = False  # also write the HTML given to WeasyPrint
    live: bool = False  # web pages load the live-reload script (watch)


@dataclass(frozen=True)
class Sources:
    """Digests of the sources, per booklet and per card, from file bytes alone (no parsing),
    so that a build with nothing to do decides so in milliseconds."""

    shared: str  # the code, templates, styles and fonts every output depends on
    booklets: dict = field(default_factory=dict)  # slug -> digest of its folder
    cards: dict = field(default_factory=dict)  # slug -> digest of its faces and settings
    clinics: dict = field(default_factory=dict)  # slug -> digest of its whole folder
    links: dict = field(default_factory=dict)  # booklet slug -> card slug it prints
    metadata: str = ''  # every booklet.yaml (cards print their booklet's review dates)


class Target:
    """Base class: subclasses set the attributes and override the methods they need."""

    name = ''  # the --formats word; job ids start with it
    built_from = 'booklet'  # 'booklet', 'card' or 'site'
    in_worker = False  # lays out with WeasyPrint in a render worker
    needs = ()  # targets whose outputs this one is made from (built with it when stale)
    summary = ''  # one line for --help and the README

    def plan(self, booklet_slugs, card_slugs):
        """The jobs of this target for a content root holding these sources."""
        if self.built_from == 'booklet':
            return [Job(self.name, slug) for slug in booklet_slugs]
        if self.built_from == 'card':
            return [Job(self.name, slug) for slug in card_slugs]
        return [Job(self.name)]

    def inputs(self, job, sources, options):
        """What this job's outputs depend on beyond ``sources.shared``, as text to hash."""
        if self.built_from == 'booklet':
            linked = sources.links.get(job.source)
            # (not --html: the HTML file of a kept layout is written from its report entry)
            return sources.booklets.get(job.source, '') + sources.cards.get(linked, '')
        if self.built_from == 'card':
            return sources.metadata + sources.clinics.get(job.source, '')
        return ''.join(sources.booklets.values()) + ''.join(sources.clinics.values()) + \
            f' live={options.live}'

    def prepare(self, job, content, options):
        """Runs in the main process: what ``make`` needs (picklable, no Jinja in workers)."""
        return job

    def make(self, work, problems, made=None):
        """The job's ``Output``s (in a worker when ``in_worker``); ``made`` holds the outputs
        of the targets it ``needs``, by job id. Problems go to ``problems``."""
        raise NotImplementedError

    def extra_files(self, job, content, options, outputs):
        """Files beside the outputs, such as the ``--html`` file: {path: bytes}."""
        return {}

    def check(self, content, problems):
        """What ``check`` verifies of this format without writing a file (most formats have
        nothing to add to the reading stage's checks)."""
