"""The EPUB edition's documents: a title page, the contents (every heading, and the printed
booklet's pages), one XHTML file per chapter, the alert card, and the package document."""

import posixpath
import re
import uuid
from dataclasses import dataclass

from markupsafe import Markup

from .. import __version__
from ..model import BACK_PAGE_ID
from .environment import make_environment
from .card import faces
from .phones import phone_links
from .web import organisation, web_body
from .xhtml import xhtml

TITLE, NAV, CARD = 'title.xhtml', 'nav.xhtml', 'alert-card.xhtml'
CONFORMS_TO = 'EPUB Accessibility 1.1 - WCAG 2.2 Level AA'


@dataclass(frozen=True)
class Item:
    """One file of the package: where it is (inside ``OEBPS/``) and its media type."""

    path: str
    media_type: str
    properties: str = ''

    @property
    def id(self):
        return 'item-' + re.sub(r'[^A-Za-z0-9]+', '-', self.path).strip('-')


def chapter_file(number):
    return f'chapter-{number:02d}.xhtml'


def identifier(meta, slug):
    """The same for every build of the booklet (the code and the slug, never the clock)."""
    return f'urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f"pressroom:{meta.code}:{slug}")}'


def page_breaks(booklet, pages):
    """[(printed page, file, id of the first heading on it)], in reading order, one per page
    a heading (or the card) landed on in the standard booklet (``pages``: id -> page)."""
    where = [(heading.id, chapter_file(number)) for number, chapter in
             enumerate(booklet.chapters, 1) for heading in chapter.headings]
    breaks, seen = [], set()
    for id, name in [*where, (BACK_PAGE_ID, CARD)]:
        page = pages.get(id)
        if page is not None and page not in seen:
            seen.add(page)
            breaks.append((str(page), name, id))
    return breaks


def contents(booklet, card):
    """The headings as a tree for the nav's nested lists: [(title, href, children)]."""
    top = []
    stack = [(0, top)]
    entries = [(heading.level, heading.title, f'{chapter_file(number)}#{heading.id}')
               for number, chapter in enumerate(booklet.chapters, 1)
               for heading in chapter.headings]
    if card is not None:
        entries.append((1, card.title, f'{CARD}#{BACK_PAGE_ID}'))
    for level, title, href in entries:
        while len(stack) > 1 and stack[-1][0] >= level:
            stack.pop()
        children = []
        stack[-1][1].append({'title': title, 'href': href, 'children': children})
        stack.append((level, children))
    return top


def epub_documents(booklet, card, pages, assets, images=False):
    """{path inside OEBPS/: text} of every document: the XHTML pages, the nav and the
    package. ``pages``: heading id -> the standard booklet's printed page ({} for none);
    ``assets``: the other files' ``Item``s (stylesheet, fonts, images)."""
    env = make_environment()
    meta = booklet.meta
    breaks = page_breaks(booklet, pages)
    markers = {id: Markup('<span epub:type="pagebreak" role="doc-pagebreak" id="page-{0}" '
                          'aria-label="{0}"/>').format(page) for page, _, id in breaks}
    files = {id: name for page, name, id in breaks}
    files.update({heading.id: chapter_file(number) for number, chapter in
                  enumerate(booklet.chapters, 1) for heading in chapter.headings})
    files[BACK_PAGE_ID] = CARD

    def href(id):
        return f'{files[id]}#{id}' if id in files else f'#{id}'

    def printed(attrs):
        """A reference's page in the printed booklet, for a reader with both."""
        target = attrs.get('href', '').rpartition('#')[2]
        classes = (attrs.get('class') or '').split()
        if 'ref' in classes and target in pages and target != BACK_PAGE_ID:
            return f' (page\u00a0{pages[target]})'
        return ''

    page = env.get_template('epub_page.xhtml.j2')
    body = env.get_template('epub_body.html.j2')

    def document(title, kind, **context):
        markup = body.render(kind=kind, meta=meta, organisation=organisation(meta), **context)
        return page.render(meta=meta, title=title, body=Markup(xhtml(
            markup, before=markers, href=href, after=printed)))

    documents = {TITLE: document(meta.title, 'title'),
                 NAV: document('Contents', 'nav', tree=contents(booklet, card),
                               breaks=breaks)}
    for number, chapter in enumerate(booklet.chapters, 1):
        documents[chapter_file(number)] = document(
            chapter.title or meta.title, 'chapter', chapter=chapter,
            chapter_body=web_body(chapter, booklet, demoted=False))
    if card is not None:
        documents[CARD] = document(card.title, 'card', card=card_faces(card), back_id=BACK_PAGE_ID,
                                   qr=f'images/qr-{card.slug}.svg')
    spine = [Item(TITLE, 'application/xhtml+xml'), Item(NAV, 'application/xhtml+xml', 'nav'),
             *[Item(chapter_file(number), 'application/xhtml+xml')
               for number in range(1, len(booklet.chapters) + 1)],
             *([Item(CARD, 'application/xhtml+xml')] if card is not None else [])]
    features = ['structuralNavigation', 'tableOfContents', 'readingOrder',
                *(['alternativeText'] if images or card is not None else []),
                *(['pageNavigation'] if breaks else [])]
    documents['package.opf'] = env.get_template('epub_package.opf.j2').render(
        meta=meta, identifier=identifier(meta, booklet.slug), organisation=organisation(meta),
        modified=f'{meta.last_reviewed.isoformat()}T00:00:00Z', spine=spine,
        manifest=sorted(spine + list(assets), key=lambda item: item.path),
        visual=images or card is not None, features=features, paged=bool(breaks),
        conforms_to=CONFORMS_TO, version=__version__, summary=summary(bool(breaks)))
    return documents


def card_faces(card):
    """The generic card's faces, headings as they are: in its own document the card's title
    is the h1 and each face's title an h2."""
    context = faces(card, web=True)
    return {**context, 'front': Markup(phone_links(context['front'])),
            'back': Markup(phone_links(context['back']))}


def summary(paged):
    """What the accessibility metadata says in words."""
    return ('This publication meets WCAG 2.2 Level AA. It has a table of contents with every '
            'heading, headings in order, and text descriptions for every picture'
            + (', and page numbers matching the printed booklet, so that a page reference '
               'can be followed' if paged else '') +
            '. Its reading order is the printed booklet\u2019s. The alert card is the last '
            'section; its write-in lines are labelled.')


def media_type(path):
    return {'.css': 'text/css', '.ttf': 'font/ttf', '.otf': 'font/otf', '.png': 'image/png',
            '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
            '.svg': 'image/svg+xml', '.webp': 'image/webp'}.get(
                posixpath.splitext(path)[1].lower(), 'application/octet-stream')
