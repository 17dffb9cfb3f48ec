"""Render a card's two faces to HTML: generic (write-in lines) or filled for one clinic."""

import base64
from datetime import date
import html as html_escape
import re

from markupsafe import Markup

from ..model import FIELD_TOKEN, QR_SIZE_MM
from .environment import make_environment
from ..qr import display_url, qr_code



def fill_fields(face, values=None, hidden=False, web=False):
    """``face``'s HTML with each field as a write-in line (``values`` is None) or the clinic's
    value, escaped.

    ``hidden`` lays the value out without drawing it: the space a value takes is reserved in
    a template face and the text is drawn later, once per clinic."""
    def replace(match):
        name = face.fields[int(match.group(1))]
        if web:
            # On screen a write-in line needs words for screen readers too.
            return (f'<span class="field write-in" data-field="{name}"><span class="visually-hidden">'
                    f'(your team\'s {html_escape.escape(name)})</span></span>')
        if values is None:
            return f'<span class="field write-in" data-field="{name}"></span>'
        text = html_escape.escape(values.get(name, ''), quote=False)
        state = ' hidden-value' if hidden else ''
        return (f'<span class="field filled{state}" data-field="{name}">'
                f'<span class="field-text" data-field="{name}">{text}</span></span>')
    return Markup(FIELD_TOKEN.sub(replace, face.html))


def svg_data_uri(svg):
    """An SVG as an image source: in a tagged PDF an image carries its alt text as a Figure."""
    return 'data:image/svg+xml;base64,' + base64.b64encode(svg.encode()).decode('ascii')


def breakable(url):
    """A URL that may wrap only after / . # or -, never inside a word."""
    return Markup(re.sub(r'([/.#-])', r'\1<wbr>', html_escape.escape(url, quote=False)))


def faces(card, values=None, hidden=False, web=False):
    """The context a face template needs: the card, both faces' HTML and the QR code."""
    qr = qr_code(card.url, QR_SIZE_MM)
    return {
        'card': card,
        'front': fill_fields(card.front, values, hidden, web),
        'back': fill_fields(card.back, values, hidden, web),
        'qr_svg': Markup(qr.svg), 'qr_mm': QR_SIZE_MM, 'qr_image': svg_data_uri(qr.svg),
        'qr_alt': f'QR code: {display_url(card.url)}', 'qr_text': breakable(display_url(card.url)),
        'reviewed': (f'Reviewed {card.reviewed[0]:%B %Y} · next review {card.reviewed[1]:%B %Y}'
                     if card.reviewed else ''),
    }


def card_html(card, styles, variants, press=False):
    """One HTML document: for each variant (a dict of values, or None for the generic card,
    with a flag saying whether values are hidden), its front and back as card-size pages."""
    template = make_environment().get_template('card.html.j2')
    # Dates come from the sources (the booklet's review), never the clock.
    dated = (card.reviewed[0] if card.reviewed else date(2000, 1, 1)).isoformat()
    return template.render(card=card, dated=dated, variants=[faces(card, values, hidden)
                                                for values, hidden in variants],
                           css=Markup('\n'.join(styles.css(name) for name in (
                               'fonts.css', 'card.css', *(['card-print.css'] if press else [])))))
