"""Render a ``Booklet`` to the one HTML document WeasyPrint lays out."""

import base64
from urllib.parse import urlsplit

from markupsafe import Markup

from .. import __version__
from ..model import Reference
from .card import faces
from .environment import make_environment
from .fill import filled
from .typography import tied

# Enough blank "Notes" pages to pad any page count to a multiple of four, even when the page
# behind a card to cut out must be a Notes page (four more); unused ones are dropped.
MAX_NOTES = 4

# The scissors on the back page's cut line, drawn rather than typed: the booklet's font has no
# ✂. The white ground breaks the dashed line where the scissors sit, as on printed coupons.
SCISSORS = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 16" width="24" height="16">'
            '<rect width="24" height="16" fill="#ffffff"/>'
            '<g fill="none" stroke="#1a1a1a" stroke-width="1.6" stroke-linecap="round">'
            '<circle cx="4.5" cy="3.8" r="2.7"/><circle cx="4.5" cy="12.2" r="2.7"/>'
            '<path d="M7 5.2 22.5 12.6M7 10.8 22.5 3.4"/></g></svg>')
SCISSORS_IMAGE = 'data:image/svg+xml;base64,' + base64.b64encode(SCISSORS.encode()).decode()


def chapter_body(chapter, booklet, large=False):
    return Markup(tied(filled(chapter, booklet, numbered_card=large)))


def card_pointer(booklet, card):
    """The reference printed under the back page's card ("More about this: see page 38 of this
    booklet") to the heading its QR code opens, when this booklet has that heading; else None.
    It is verified after layout like every reference, and reported at the card's ``url:``."""
    if card is None or (card.opens and card.opens[0] != booklet.slug):
        return None
    heading = booklet.heading(card.section_id)
    if heading is None:
        return None
    return Reference(heading.id, 'page', f'{card.folder}/card.yaml',
                     card.opens_line or card.url_line)


def back_matter(meta):
    """The page of back matter after the chapters (where the information comes from, feedback,
    other formats, who we are), as ``{'title', 'who'}``; None when booklet.yaml has none of it."""
    about = meta.sources_statement or meta.feedback or meta.other_formats
    who = bool(meta.address or meta.charity_number)
    if not (about or who):
        return None
    return {'title': 'About our information' if about else 'Who we are', 'who': who}


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
        card=faces(card) if card else None, pointer=card_pointer(booklet, card),
        back_matter=back_matter(meta),
        scissors=SCISSORS_IMAGE,
        css=Markup('\n'.join(styles.css(name) for name in (
            'fonts.css', 'booklet.css', 'card.css', *(['booklet-large.css'] if large else []),
            *(['card-print.css', 'booklet-print.css'] if press else [])))),
        large=large)
