"""Read a whole content root: every booklet and card, and the links between them."""

from dataclasses import replace
from urllib.parse import urlsplit

from ..errors import Problems, did_you_mean
from ..model import BACK_PAGE_ID
from .booklet import read_booklet
from .card import read_card


def read_all(root, problems, only_booklets=None):
    """(booklets, cards) of the root; problems recorded (the caller raises). With
    ``only_booklets`` (slugs), no other booklet is read, and a card whose code opens one of
    those is not checked against it."""
    before = len(problems.errors)
    slugs = [slug for slug in root.booklet_slugs(problems)
             if only_booklets is None or slug in only_booklets]
    booklets = [booklet for booklet in (read_booklet(root, slug, problems) for slug in slugs)
                if booklet]
    complete = len(problems.errors) == before and only_booklets is None
    cards = read_cards(root, problems, booklets)
    # A card with errors of its own is reported at them, not again as missing.
    check_card_links(booklets, root.card_slugs(Problems()), problems)
    if complete:  # else the address or ids a code opens may be in a booklet with errors
        check_qr_targets(booklets, cards, problems)
    return tuple(booklets), tuple(cards)


def page_address(url):
    """(the page a URL opens, without query or trailing slash; its fragment)."""
    parts = urlsplit(url)
    return f'{parts.scheme}://{parts.netloc}{parts.path}'.rstrip('/'), parts.fragment


def read_cards(root, problems, booklets=()):
    """Every card; each carries the review dates of the booklet its QR code opens."""
    pages = {page_address(booklet.meta.online_url)[0]: booklet for booklet in booklets}
    by_slug = {booklet.slug: booklet for booklet in booklets}
    cards = []
    for slug in root.card_slugs(problems):
        card = read_card(root, slug, problems)
        if card:
            booklet = (by_slug.get(card.opens[0]) if card.opens
                       else pages.get(page_address(card.url)[0]))
            if booklet:
                card = replace(card, reviewed=(booklet.meta.last_reviewed,
                                               booklet.meta.next_review))
            cards.append(card)
    return cards


def check_card_links(booklets, card_slugs, problems):
    """A booklet's ``card:`` must name a card folder that exists."""
    slugs = set(card_slugs)
    for booklet in booklets:
        if booklet.meta.card and booklet.meta.card not in slugs:
            problems.error(booklet.meta.path, booklet.meta.lines.get('card', 0),
                           f"card '{booklet.meta.card}' not found: no folder "
                           f'cards/{booklet.meta.card}' + did_you_mean(booklet.meta.card, slugs))


def check_qr_targets(booklets, cards, problems):
    """Each card's QR code must open a booklet's web page at an id that exists there: its
    headings' ids, and the alert card's section when it prints one (known from the model, so
    nothing is rendered to check it)."""
    pages = {page_address(booklet.meta.online_url)[0]: booklet for booklet in booklets}
    by_slug = {booklet.slug: booklet for booklet in booklets}
    for card in cards:
        where = f'{card.folder}/card.yaml'
        if card.opens:
            # A short address that redirects: 'opens' names where it must lead.
            slug, fragment = card.opens
            booklet, line = by_slug.get(slug), card.opens_line
            if booklet is None:
                problems.error(where, line, f"card '{card.slug}': 'opens' names booklet "
                                            f"'{slug}', which does not exist"
                                            + did_you_mean(slug, by_slug))
                continue
        else:
            address, fragment = page_address(card.url)
            booklet, line = pages.get(address), card.url_line
            if booklet is None:
                problems.error(where, line, f"card '{card.slug}': its QR code opens "
                                            f"{address}, which is no booklet's online_url (for a "
                                            "short address that redirects, add 'opens: "
                                            "<booklet-slug>#<id>' naming where it leads)")
                continue
        ids = {heading.id for heading in booklet.headings}
        ids |= {BACK_PAGE_ID} if booklet.meta.card else set()
        if fragment and fragment not in ids:
            problems.error(where, line, f"card '{card.slug}': its QR code opens "
                                        f"#{fragment}, which is not an id in the web "
                                        f'edition of {booklet.folder}' + did_you_mean(fragment, ids))
