"""Render a card's two faces to HTML: generic (write-in lines) or filled for one clinic."""

import base64
from datetime import date
import html as html_escape
from html.parser import HTMLParser
import re

from markupsafe import Markup

from ..model import FIELD_TOKEN, QR_SIZE_MM, is_write_in
from .environment import make_environment, url_breaks
from .typography import tie_headings
from ..qr import display_url, qr_code

# How a variant shows the blocks (a face's top-level elements) that hold fields:
SHOW = 'show'  # drawn, as on a plain card
HIDE = 'hide'  # laid out but not drawn: a clinic's own blocks are drawn over them
ONLY = 'only'  # nothing but those blocks (measuring a run of clinics' blocks in one go)
# How many card heights a 'tall' page holds: room for any face a value within the length limit
# (read/clinics.py MAX_VALUE) can make, so that its overflow is measured whole.
TALL = 60
# Groups of digits a line must not split: '0113 496 0123' never becomes '0113 496 / 0123'.
DIGIT_GROUPS = re.compile(r'\+?\d+(?: \d+)+')
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


def mark_field_blocks(face, mode=SHOW):
    """The face's HTML with ``data-field-block`` on each top-level element holding a clinic's
    field: hidden (``HIDE``), alone (``ONLY``) or as they are (``SHOW``)."""
    markup = face.html
    pieces, last, index = [], 0, 0
    for start, end in top_level_blocks(markup):
        block = markup[start:end]
        if mode == ONLY:
            last = end
        else:
            pieces.append(markup[last:start])
            last = end
        if not clinic_fields(face, block):
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


def clinic_fields(face, markup):
    """The names of the clinic fields in a piece of ``face``'s HTML, each once, in order."""
    names = (face.fields[int(number)] for number in FIELD_TOKEN.findall(markup))
    return tuple(dict.fromkeys(name for name in names if not is_write_in(name)))


def fields_by_block(face):
    """``{block index: (field name, ...)}``: which clinic fields each ``data-field-block``
    holds."""
    blocks = {}
    for start, end in top_level_blocks(face.html):
        names = clinic_fields(face, face.html[start:end])
        if names:
            blocks[len(blocks)] = names
    return blocks


def fill_fields(face, values=None, mode=SHOW, web=False):
    """``face``'s HTML with each field as a write-in line (``values`` is None, or a field the
    patient fills in) or the clinic's value, escaped (a value is text like any other: it
    wraps, and what follows reflows)."""
    def replace(match):
        name = face.fields[int(match.group(1))]
        write_in = values is None or is_write_in(name)
        if web and write_in:
            # On screen a write-in line needs words for screen readers too.
            label = (f'your {name.removeprefix("patient.")}' if is_write_in(name)
                     else f"your team's {name}")
            return (f'<span class="field write-in" data-field="{name}"><span class="visually-hidden">'
                    f'({html_escape.escape(label)})</span></span>')
        if write_in:
            return f'<span class="field write-in" data-field="{name}"></span>'
        text = DIGIT_GROUPS.sub(r'<span class="digits">\g<0></span>',
                                html_escape.escape(values.get(name, ''), quote=False))
        return f'<span class="field filled" data-field="{name}">{text}</span>'
    markup = face.html if web or values is None else mark_field_blocks(face, mode)
    return Markup(FIELD_TOKEN.sub(replace, markup))


def svg_data_uri(svg):
    """An SVG as an image source: in a tagged PDF an image carries its alt text as a Figure."""
    return 'data:image/svg+xml;base64,' + base64.b64encode(svg.encode()).decode('ascii')


def faces(card, values=None, mode=SHOW, web=False, label=None):
    """The context a face template needs: the card, both faces' HTML and the QR code."""
    qr = qr_code(card.url, QR_SIZE_MM)
    return {
        'card': card, 'measuring': mode == ONLY,
        # No heading leaves its last word alone on a line (the urgent band's, the faces').
        'front': Markup(tie_headings(fill_fields(card.front, values, mode, web))),
        'back': Markup(tie_headings(fill_fields(card.back, values, mode, web))),
        'qr_svg': Markup(qr.svg), 'qr_mm': QR_SIZE_MM, 'qr_image': svg_data_uri(qr.svg),
        'qr_alt': f'QR code: {display_url(card.url)}',
        'qr_text': url_breaks(label or card.qr_label or display_url(card.url)),
        'reviewed': (f'Reviewed {card.reviewed[0]:%B %Y} · next review {card.reviewed[1]:%B %Y}'
                     if card.reviewed else ''),
    }


def card_html(card, styles, variants, press=False, extra_css='', tall=False, label=None):
    """One HTML document: for each variant (a dict of values, or None for the generic card,
    and how it shows the blocks holding fields: SHOW, HIDE or ONLY), its front and back as
    card-size pages (``tall``: pages long enough for a face that overflows to stay whole, so
    that how far it overflows can be measured; ``label``: another address under the code)."""
    template = make_environment().get_template('card.html.j2')
    # Dates come from the sources (the booklet's review), never the clock.
    dated = (card.reviewed[0] if card.reviewed else date(2000, 1, 1)).isoformat()
    return template.render(card=card, dated=dated, page_height_mm=card.height_mm * (
                               TALL if tall else 1), variants=[faces(card, values, mode, label=label)
                                                for values, mode in variants],
                           css=Markup('\n'.join(styles.css(name) for name in (
                               'fonts.css', 'card.css', *(['card-print.css'] if press else [])))
                                      + extra_css))
