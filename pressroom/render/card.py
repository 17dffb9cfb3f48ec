"""Render a card's two faces to HTML: generic (write-in lines) or filled for one clinic."""

import base64
from datetime import date
import html as html_escape
from html.parser import HTMLParser
import re

from markupsafe import Markup

from ..model import FIELD_TOKEN, QR_SIZE_MM
from .environment import make_environment
from ..qr import display_url, qr_code

# How a variant shows the blocks (a face's top-level elements) that hold fields:
SHOW = 'show'  # drawn, as on a plain card
HIDE = 'hide'  # laid out but not drawn: a clinic's own blocks are drawn over them
ONLY = 'only'  # nothing but those blocks (measuring a run of clinics' blocks in one go)
VOID = {'area', 'br', 'col', 'embed', 'hr', 'img', 'input', 'source', 'track', 'wbr'}


class _TopLevel(HTMLParser):
    """Where each top-level element of an HTML fragment starts and ends (offsets)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=False)
        self.starts = [0]
        for line in text.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))
        self.depth, self.spans, self.open_at = 0, [], None
        self.feed(text)
        self.close()

    def _at(self):
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._at()
        if self.depth == 0:
            self.open_at = start
        if tag in VOID:
            if self.depth == 0:
                self.spans.append((start, start + len(self.get_starttag_text())))
            return
        self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            start = self._at()
            self.spans.append((start, start + len(self.get_starttag_text())))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        self.depth -= 1
        if self.depth == 0:
            end = self.rawdata.index('>', self._at()) + 1
            self.spans.append((self.open_at, end))


def top_level_blocks(markup):
    """``[(start, end), ...]``: the top-level elements of a face's HTML, in order."""
    return _TopLevel(markup).spans


def mark_field_blocks(markup, mode=SHOW):
    """The face's HTML with ``data-field-block`` on each top-level element holding a field:
    hidden (``HIDE``), alone (``ONLY``) or as they are (``SHOW``)."""
    pieces, last, index = [], 0, 0
    for start, end in top_level_blocks(markup):
        block = markup[start:end]
        if mode == ONLY:
            last = end
        else:
            pieces.append(markup[last:start])
            last = end
        if not FIELD_TOKEN.search(block):
            if mode != ONLY:
                pieces.append(block)
            continue
        tag = block[:block.index('>')].rstrip('/')
        opened = tag + f' data-field-block="{index}"'
        if mode == HIDE:
            opened = (opened.replace(' style="', ' style="visibility: hidden; ', 1)
                      if ' style="' in tag else opened + ' style="visibility: hidden"')
        pieces.append(opened + block[len(tag):])
        index += 1
    if mode != ONLY:
        pieces.append(markup[last:])
    return ''.join(pieces)


def fields_by_block(face):
    """``{block index: (field name, ...)}``: which fields each ``data-field-block`` holds."""
    blocks, index = {}, 0
    for start, end in top_level_blocks(face.html):
        names = [face.fields[int(number)] for number in FIELD_TOKEN.findall(face.html[start:end])]
        if names:
            blocks[index] = tuple(dict.fromkeys(names))
            index += 1
    return blocks


def fill_fields(face, values=None, mode=SHOW, web=False):
    """``face``'s HTML with each field as a write-in line (``values`` is None) or the clinic's
    value, escaped (a value is text like any other: it wraps, and what follows reflows)."""
    def replace(match):
        name = face.fields[int(match.group(1))]
        if web:
            # On screen a write-in line needs words for screen readers too.
            return (f'<span class="field write-in" data-field="{name}"><span class="visually-hidden">'
                    f'(your team\'s {html_escape.escape(name)})</span></span>')
        if values is None:
            return f'<span class="field write-in" data-field="{name}"></span>'
        text = html_escape.escape(values.get(name, ''), quote=False)
        return f'<span class="field filled" data-field="{name}">{text}</span>'
    markup = face.html if web or values is None else mark_field_blocks(face.html, mode)
    return Markup(FIELD_TOKEN.sub(replace, markup))


def svg_data_uri(svg):
    """An SVG as an image source: in a tagged PDF an image carries its alt text as a Figure."""
    return 'data:image/svg+xml;base64,' + base64.b64encode(svg.encode()).decode('ascii')


def breakable(url):
    """A URL that may wrap only after / . # or -, never inside a word."""
    return Markup(re.sub(r'([/.#-])', r'\1<wbr>', html_escape.escape(url, quote=False)))


def faces(card, values=None, mode=SHOW, web=False):
    """The context a face template needs: the card, both faces' HTML and the QR code."""
    qr = qr_code(card.url, QR_SIZE_MM)
    return {
        'card': card, 'measuring': mode == ONLY,
        'front': fill_fields(card.front, values, mode, web),
        'back': fill_fields(card.back, values, mode, web),
        'qr_svg': Markup(qr.svg), 'qr_mm': QR_SIZE_MM, 'qr_image': svg_data_uri(qr.svg),
        'qr_alt': f'QR code: {display_url(card.url)}', 'qr_text': breakable(display_url(card.url)),
        'reviewed': (f'Reviewed {card.reviewed[0]:%B %Y} · next review {card.reviewed[1]:%B %Y}'
                     if card.reviewed else ''),
    }


def card_html(card, styles, variants, press=False, extra_css='', tall=False):
    """One HTML document: for each variant (a dict of values, or None for the generic card,
    and how it shows the blocks holding fields: SHOW, HIDE or ONLY), its front and back as
    card-size pages (``tall``: pages long enough for a face that overflows to stay whole, so
    that how far it overflows can be measured)."""
    template = make_environment().get_template('card.html.j2')
    # Dates come from the sources (the booklet's review), never the clock.
    dated = (card.reviewed[0] if card.reviewed else date(2000, 1, 1)).isoformat()
    return template.render(card=card, dated=dated, page_height_mm=card.height_mm * (
                               4 if tall else 1), variants=[faces(card, values, mode)
                                                for values, mode in variants],
                           css=Markup('\n'.join(styles.css(name) for name in (
                               'fonts.css', 'card.css', *(['card-print.css'] if press else [])))
                                      + extra_css))
