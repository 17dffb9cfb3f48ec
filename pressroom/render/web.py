"""The online edition: one HTML page per booklet (so ``online_url#id`` works) and an index."""

import re

from markupsafe import Markup

from .. import __version__
from ..model import BACK_PAGE_ID
from .fill import filled
from .card import faces
from .environment import make_environment
from .phones import phone_links
from .typography import tied

HEADING = re.compile(r'<(/?)h([1-5])\b')


def demote(body):
    """Chapter headings one level down: the page's only h1 is the booklet's title."""
    return HEADING.sub(lambda match: f'<{match.group(1)}h{int(match.group(2)) + 1}', body)


def web_body(chapter, booklet, demoted=True):
    """A chapter for the web: no page numbers, references are plain links; its headings one
    level down (``demoted``) on a page whose h1 is the booklet's title."""
    body = tied(filled(chapter, booklet, web=True))
    body = re.sub(r'<table>', '<div class="table-wrap" role="region" aria-label="Table" '
                              'tabindex="0"><table>', body).replace('</table>', '</table></div>')
    return Markup(phone_links(demote(body) if demoted else body))


def web_card(card):
    if card is None:
        return None
    context = faces(card, web=True)
    return {**context, 'front': Markup(phone_links(demote(context['front']))),
            'back': Markup(phone_links(demote(context['back'])))}


def organisation(meta):
    """The name of the organisation that publishes a booklet: its ``organisation`` (which
    defaults to its ``author``, else its website)."""
    return getattr(meta, 'organisation', '') or meta.author or meta.website


def description(meta):
    """The booklet page's ``<meta name="description">``: what a search result shows."""
    about = f'{meta.title}: {meta.subtitle}' if meta.subtitle else meta.title
    stop = '' if about.endswith(('.', '!', '?')) else '.'
    return f'{about}{stop} A booklet from {organisation(meta)}.'


def booklet_page(booklet, card=None, live=False):
    """The booklet's web page (``web/<slug>/index.html``)."""
    template = make_environment().get_template('web.html.j2')
    meta = booklet.meta
    chapters = [(chapter, web_body(chapter, booklet)) for chapter in booklet.chapters]
    return template.render(meta=meta, booklet=booklet, chapters=chapters, card=web_card(card),
                           version=__version__, live=live, back_id=BACK_PAGE_ID,
                           organisation=organisation(meta), description=description(meta))


def index_page(booklets, live=False):
    """``web/index.html``: every publication, with its review dates."""
    template = make_environment().get_template('web_index.html.j2')
    # The site is the organisation's: its name, helpline and website are the first booklet's.
    first = booklets[0].meta if booklets else None
    name = organisation(first) if first else 'Publications'
    titles = [booklet.meta.title for booklet in booklets]
    listed = '; '.join(titles[:3]) + (f' and {len(titles) - 3} more' if len(titles) > 3 else '')
    about = f'Information booklets from {name}' + (f': {listed}.' if titles else '.')
    return template.render(booklets=booklets, live=live, version=__version__, organisation=name,
                           first=first, description=about)
