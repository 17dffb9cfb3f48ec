"""The A5 booklet PDF: one layout, Notes pages trimmed to a multiple of four, references verified."""

import hashlib
from dataclasses import dataclass

from ..model import BACK_PAGE_ID
from ..render.styles import PROJECT_STYLES
from .cut_out import cut_out_area, printed_in, seen_from_behind
from .layout import read_layout
from .output import Output
from .overflow import footer_overflows, overflows, source_line
from .sandbox import SandboxFetcher
from .weasy import render, source_date, write_pdf


def notes_to_keep(content_pages, behind_card=False):
    """Blank Notes pages needed so that content + notes + back cover is a multiple of four;
    ``behind_card``: at least one, to be the page behind the back page's card."""
    keep = -(content_pages + 1) % 4
    return 4 if behind_card and keep == 0 else keep


@dataclass
class Laid:
    """One layout of a booklet's HTML, with what is needed to finish and write it."""

    html: str
    document: object
    layout: object
    fetcher: SandboxFetcher
    sources: dict


def lay_out(booklet, root, styles, problems, html=None):
    """Lay out ``html`` (by default ``booklet``'s, with spare Notes pages); ``None`` if the
    sandbox refused something."""
    if html is None:
        from ..render.booklet import booklet_html
        html = booklet_html(booklet, styles)
    fetcher = SandboxFetcher([root.path, PROJECT_STYLES, *styles.paths])
    sources = {chapter.path: chapter.source for chapter in booklet.chapters}
    before = len(problems.errors)
    document = render(html, root.path / booklet.folder, fetcher, sources, problems,
                      where=booklet.folder)
    if len(problems.errors) > before:
        return None
    return Laid(html, document, read_layout(document.pages), fetcher, sources)


VARIANTS = {
    # kind: (file suffix, WeasyPrint PDF variant)
    'booklet': ('', 'pdf/ua-1'),
    'booklet-large-print': ('-large-print', 'pdf/ua-1'),
    'booklet-print': ('-print', 'pdf/x-4'),
}


COMPACT = 'class="back-cover compact'


def compact(html):
    """The booklet's HTML with its back cover set smaller (styles/booklet.css, ``.compact``)."""
    return html.replace('class="back-cover', COMPACT, 1)


def check_back_cover(booklet, root, styles, problems, html):
    """What ``build`` says of a back cover too long for its page, without laying out the
    booklet: the back cover alone, as the booklet's HTML sets it."""
    body = html.index('>', html.index('<body')) + 1
    alone = html[:body] + html[html.index('<section class="back-cover'):]
    laid = lay_out(booklet, root, styles, problems, alone)
    if laid is not None and len(laid.document.pages) > 1:
        laid = lay_out(booklet, root, styles, problems, compact(alone))
        if laid is not None and len(laid.document.pages) > 1:
            back_cover_too_long(booklet, laid.document.pages, problems)


def back_cover_too_long(booklet, pages, problems):
    """The back cover runs over its page even set small: an error at the longest value it
    prints, saying by how much the page is overrun."""
    from .layout import descendants
    over = 0.0
    for page in pages[1:]:
        box = page._page_box
        top = box.content_box_y()
        bottoms = [inner.border_box_y() + inner.border_height() for inner in descendants(box)
                   if hasattr(inner, 'border_box_y') and getattr(inner, 'text', 'x').strip()
                   and inner is not box and inner.element_tag not in ('html', 'body')]
        over += max([bottom - top for bottom in bottoms] + [0]) * 25.4 / 96
    meta = booklet.meta
    printed = {'online_url': meta.online_url, 'website': meta.website, 'helpline': meta.helpline,
               'edition': meta.edition, 'code': meta.code,
               'organisation': getattr(meta, 'organisation', None) or meta.author or ''}
    key = max(printed, key=lambda name: len(str(printed[name])))
    problems.error(f'{booklet.folder}/booklet.yaml', meta.lines.get(key, 0),
                   f'the back cover runs {over:.1f} mm past its page, even set smaller: its '
                   f"longest value is {key} ({len(str(printed[key]))} characters); shorten it, "
                   f"or the card's text")


def build_booklet_pdf(booklet, root, styles, problems, html=None, hold=None, kind='booklet',
                      card_title='', pointer=None):
    """Lay out ``booklet`` once and return its ``Output``, or ``None`` after recording problems.

    ``html`` is the booklet's HTML with spare Notes pages (rendered by the caller, so that a
    render worker never loads Jinja); ``card_title`` names the card on its back page and
    ``pointer`` is the reference printed under it (render.booklet.card_pointer). A worker
    passes ``hold``, a list that keeps the document so that it is not freed (the worker is
    ended instead).
    """
    before = len(problems.errors)
    laid = lay_out(booklet, root, styles, problems, html)
    if laid is None:
        return None
    html, document, layout = laid.html, laid.document, laid.layout
    if hold is not None:
        hold[:] = [laid]
    if kind == 'booklet-large-print':
        # Large print is not saddle-stitched: no padding, and the back matter may run on.
        keep, pages = 0, list(document.pages)
        back_page = layout.anchors.get(BACK_PAGE_ID, len(pages))
    else:
        back = layout.anchors['pr-back-cover'] - 1
        if back != len(document.pages) - 1:
            # Long values: the back cover is set again, smaller and closer (class "compact").
            laid = lay_out(booklet, root, styles, problems, compact(html))
            if laid is None:
                return None
            html, document, layout = laid.html, laid.document, laid.layout
            if hold is not None:
                hold[:] = [laid]
            back = layout.anchors['pr-back-cover'] - 1
            if back != len(document.pages) - 1:
                back_cover_too_long(booklet, document.pages[back:], problems)
                return None
        content_pages = layout.anchors['pr-notes-1'] - 1
        # Cutting the card out of the back page cuts through the page before it: when the
        # last page of text has anything where the card is, a Notes page goes behind the card.
        card = cut_out_area(document.pages[back])
        behind = card and seen_from_behind(card, document.pages[back])
        keep = notes_to_keep(content_pages, behind_card=bool(
            card and printed_in(document.pages[content_pages - 1], behind)))
        pages = document.pages[:content_pages + keep] + document.pages[back:]
        back_page = len(pages)
        if card:
            check_behind_card(booklet, pages[-2], behind, back_page - 1, problems)
    final = document.copy(pages)

    check_lost_content(booklet, document.pages, problems, kind)
    anchors = anchor_records(booklet, layout, back_page, card_title)
    # Large print shows the card on its own page, which references name by number.
    references = verify_references(booklet, layout, problems, back_page,
                                   numbered=kind == 'booklet-large-print',
                                   extra=(pointer,) if pointer else ())
    if len(problems.errors) > before:
        return None

    meta = booklet.meta
    suffix, variant = VARIANTS[kind]
    identifier = hashlib.sha256(f'{html}\nnotes={keep}'.encode()).hexdigest()[:32].encode()
    with source_date(meta.last_reviewed):
        # PDF/UA-1 is tagged: structure tree, headings, lists, tables, figures with alt, links.
        data = write_pdf(final, laid.fetcher, laid.sources, problems, where=booklet.folder,
                         pdf_identifier=identifier, pdf_variant=variant)
    if data is None:
        return None
    if kind == 'booklet-print':
        from .press import press_ready
        data = press_ready(data, identifier)
    for record in anchors + references:
        record['variant'] = kind
    return Output(path=f'{booklet.slug}{suffix}.pdf', kind=kind, booklet=booklet.slug, data=data,
                  pages=len(pages), notes=keep, anchors=anchors, references=references,
                  compact=COMPACT in html)


def check_lost_content(booklet, pages, problems, kind='booklet'):
    """An error for everything that does not fit its page, at the source line that wrote it (or
    at booklet.yaml for the cover and back cover)."""
    names = {uri: src for src, uri in booklet.images.items()}
    sources = {chapter.path: chapter.source for chapter in booklet.chapters}
    # Large print has its own page size, so its numbers differ: say which booklet they are for.
    prefix = 'in large print, ' if kind == 'booklet-large-print' else ''
    for overflow in overflows(pages, names):
        path, line = source_line(overflow, sources) or (overflow.chapter or booklet.meta.path, 0)
        problems.error(path, line, prefix + overflow.message)
    for key, over in footer_overflows(pages).items():
        problems.error(booklet.meta.path, booklet.meta.lines.get(key, 0),
                       f"{prefix}the footer with the {key} runs {over:g} mm too close to the foot "
                       f"of the page, where the trim may cut it: shorten '{key}' (opening hours "
                       'and the like belong in the text)')


def check_behind_card(booklet, page, area, number, problems):
    """An error if ``page`` (page ``number``, behind the card) prints text or a picture in
    ``area``, where cutting the card out would take it away."""
    lost = printed_in(page, area)
    if lost:
        words = ' '.join(' '.join(box.text.split()) for box in lost if hasattr(box, 'text'))
        what = f"'{words[:60]}'" if words else 'a picture'
        problems.error(booklet.meta.path, booklet.meta.lines.get('card', 0),
                       f'page {number}, behind the alert card, prints {what} where the card is '
                       'cut out of the back page, so cutting the card out would lose it: keep '
                       'that part of the page blank or ruled')


def anchor_records(booklet, layout, back_page, card_title=''):
    records = [{'booklet': booklet.slug, 'id': heading.id, 'title': heading.title,
                'page': layout.folio(layout.anchors[heading.id]),
                'pdf_page': layout.anchors[heading.id]}
               for heading in booklet.headings if heading.id in layout.anchors]
    if BACK_PAGE_ID in layout.anchors:
        records.append({'booklet': booklet.slug, 'id': BACK_PAGE_ID, 'title': card_title,
                        'page': back_page, 'pdf_page': back_page})
    return records


def squeeze(text):
    return ''.join(text.split())


def verify_references(booklet, layout, problems, back_page, numbered=False, extra=()):
    """Check that every printed page number is the folio of the page its target landed on;
    the card on the back page is "the back page" unless ``numbered``. ``extra``: references
    the build prints after the chapters' (the pointer under the back page's card)."""
    records = []
    printed = layout.references
    wanted = [*booklet.references, *extra]
    if len(printed) != len(wanted):
        problems.error(booklet.folder, 0, f'{len(wanted)} references in the sources '
                                          f'but {len(printed)} in the layout')
        return records
    for ref, shown in zip(wanted, printed):
        if ref.target == BACK_PAGE_ID and not numbered:
            page = back_page
            expected = {'see': '(see the back page)', 'page': 'the back page'}.get(ref.form)
        else:
            page = layout.folio(layout.anchors[ref.target])
            expected = {'see': f'(see page {page})', 'page': f'page {page}'}.get(ref.form)
        if shown.target != ref.target or (expected and not squeeze(shown.text).endswith(
                squeeze(expected))):
            problems.error(ref.path, ref.line,
                           f"reference to '{ref.target}' printed '{shown.text}' but the heading "
                           f'is on page {page}')
        records.append({'booklet': booklet.slug, 'source': f'{ref.path}:{ref.line}',
                        'target': ref.target, 'form': ref.form, 'page': page})
    return records



