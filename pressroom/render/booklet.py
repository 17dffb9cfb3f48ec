"""Render a ``Booklet`` to the one HTML document WeasyPrint lays out."""

from markupsafe import Markup

from .. import __version__
from .card import faces
from .environment import make_environment
from .fill import filled

# Enough blank "Notes" pages to pad any page count to a multiple of four; unused ones are dropped.
MAX_NOTES = 3


def chapter_body(chapter, booklet, large=False):
    return Markup(filled(chapter, booklet, numbered_card=large))


def booklet_html(booklet, styles, notes=MAX_NOTES, card=None, large=False, press=False):
    """The complete, self-sufficient HTML of ``booklet`` with ``notes`` blank Notes pages and,
    when given, the generic ``card`` on its back page."""
    template = make_environment().get_template('booklet.html.j2')
    meta = booklet.meta
    chapters = [(chapter, chapter_body(chapter, booklet, large)) for chapter in booklet.chapters]
    return template.render(
        meta=meta, booklet=booklet, chapters=chapters, notes=notes, version=__version__,
        created=(meta.published or meta.last_reviewed).isoformat(),
        modified=meta.last_reviewed.isoformat(),
        card=faces(card) if card else None,
        css=Markup('\n'.join(styles.css(name) for name in (
            'fonts.css', 'booklet.css', 'card.css', *(['booklet-large.css'] if large else []),
            *(['card-print.css', 'booklet-print.css'] if press else [])))),
        large=large)
