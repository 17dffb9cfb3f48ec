"""Every output format, in the order the build plans, reports and lists them. Adding a format
is one module with a Target subclass and one line here (or ``register`` from a plugin/test)."""

from .booklets import LARGE_PRINT, PRINT, STANDARD, BookletPdf, Imposed
from .cards import Cards
from .epub import Epub
from .web import Web

TARGETS = [
    BookletPdf('booklet', STANDARD, 'the A5 booklet, tagged PDF/UA-1, to read on screen'),
    BookletPdf('print', PRINT, 'the commercial printer\'s PDF/X-4 with bleed and crop marks'),
    Imposed(),
    BookletPdf('large-print', LARGE_PRINT, 'large print on A4, its own contents and references'),
    Cards(),
    Web(),
    Epub(),
]


def names():
    return tuple(target.name for target in TARGETS)


def target(name):
    return next(target for target in TARGETS if target.name == name)


def register(new):
    """Add a target at the end (or replace the one of the same name)."""
    TARGETS[:] = [known for known in TARGETS if known.name != new.name] + [new]


def unregister(name):
    TARGETS[:] = [known for known in TARGETS if known.name != name]
