"""The page behind the back page's card: cutting the card out takes that part of the page with
it, so nothing a reader needs may be printed there (seen from behind, the card's area is
mirrored left to right; a sheet turns over on its vertical axis)."""

from weasyprint.formatting_structure.boxes import ReplacedBox, TextBox

from .layout import descendants
from .overflow import TOLERANCE


def cut_out_area(page):
    """(left, top, right, bottom), in px, of the card to cut out on ``page``; None if none."""
    for box in descendants(page._page_box):
        if box.element_tag == 'div' and box.element is not None and \
                'cut-out' in box.element.get('class', '').split():
            x, y = box.border_box_x(), box.border_box_y()
            return x, y, x + box.border_width(), y + box.border_height()
    return None


def seen_from_behind(area, page):
    """``area`` of a page as it lies on the other side of the same sheet."""
    left, top, right, bottom = area
    width = page._page_box.margin_width()
    return width - right, top, width - left, bottom


def printed_in(page, area):
    """The text and pictures of ``page`` that reach into ``area``, in order. Ruled lines,
    borders and backgrounds carry nothing to read: losing them loses nothing."""
    left, top, right, bottom = area
    found = []
    for box in descendants(page._page_box):
        if isinstance(box, TextBox) and not box.text.strip():
            continue
        if isinstance(box, (TextBox, ReplacedBox)):
            x, y = box.border_box_x(), box.border_box_y()
            if (min(right, x + box.border_width()) - max(left, x) > TOLERANCE and
                    min(bottom, y + box.border_height()) - max(top, y) > TOLERANCE):
                found.append(box)
    return found
