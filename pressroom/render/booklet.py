"""Render a ``Booklet`` to the one HTML document WeasyPrint lays out."""

import html
import re

from markupsafe import Markup

from .. import __version__
from .card import faces
from .environment import make_environment

TITLE_REF = re.compile(r'(<a class="[^"]*\bref-title\b[^"]*" href="#([^"]+)">)(</a>)')
IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")')
# Enough blank "Notes" pages to pad any page count to a multiple of four; unused ones are dropped.
MAX_NOTES = 3


def fill_titles(body, booklet):
    """Give each ``[title](#id)`` reference its target's heading, in curly quotes."""
    def replace(match):
        heading = booklet.heading(html.unescape(match.group(2)))
        title = heading.title if heading else match.group(2)
        return f'{match.group(1)}\u2018{html.escape(title, quote=False)}\u2019{match.group(3)}'
    return TITLE_REF.sub(replace, body)


def inline_images(body, images):
    def replace(match):
        uri = images.get(html.unescape(match.group(2)))
        return f'{match.group(1)}{uri or match.group(2)}{match.group(3)}'
    return IMG_SRC.sub(replace, body)


def chapter_body(chapter, booklet):
    return Markup(inline_images(fill_titles(chapter.html, booklet), booklet.images))


def booklet_html(booklet, styles, notes=MAX_NOTES, card=None, large=False, press=False):
    """The complete, self-sufficient HTML of ``booklet`` with ``notes`` blank Notes pages and,
    when given, the generic ``card`` on its back page."""
    template = make_environment().get_template('booklet.html.j2')
    meta = booklet.meta
    chapters = [(chapter, chapter_body(chapter, booklet)) for chapter in booklet.chapters]
    return template.render(
        meta=meta, booklet=booklet, chapters=chapters, notes=notes, version=__version__,
        created=(meta.published or meta.last_reviewed).isoformat(),
        modified=meta.last_reviewed.isoformat(),
        card=faces(card) if card else None,
        css=Markup('\n'.join(styles.css(name) for name in (
            'fonts.css', 'booklet.css', 'card.css', *(['booklet-large.css'] if large else []),
            *(['card-print.css', 'booklet-print.css'] if press else [])))),
        large=large)
