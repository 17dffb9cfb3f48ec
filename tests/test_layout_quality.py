"""Typesetting checked on WeasyPrint's boxes: no stranded headings, no widows or orphans.

Laid out from tests/roots/many-chapters: thirty chapters, a third of them running over a page,
so paragraphs, lists, tables and headings meet the foot of the page."""

from collections import defaultdict

import pytest
from weasyprint.formatting_structure.boxes import BlockBox, LineBox, TableCellBox

from conftest import ROOTS
from pressroom.errors import Problems
from pressroom.pipeline import read_content
from pressroom.render.styles import Styles
from pressroom.targets.booklet_pdf import lay_out

HEADINGS = {'h1', 'h2', 'h3', 'h4'}


@pytest.fixture(scope='module')
def pages():
    content = read_content(ROOTS / 'many-chapters')
    laid = lay_out(content.booklets[0], content.root, content.styles, Problems())
    return laid.document.pages


def blocks(box):
    """Block boxes (and table cells) that hold lines of text, in order."""
    for child in getattr(box, 'children', None) or ():
        if isinstance(child, (BlockBox, TableCellBox)) and any(
                isinstance(c, LineBox) for c in child.children):
            yield child
        if not isinstance(child, LineBox):
            yield from blocks(child)


def test_no_heading_is_the_last_thing_on_a_page(pages):
    checked = 0
    for number, page in enumerate(pages, 1):
        # A heading followed on its page by a table's rows is not stranded.
        content = [box for box in blocks(page._page_box)
                   if box.element_tag in HEADINGS | {'p', 'li', 'td', 'th'}]
        if content:
            checked += 1
            assert content[-1].element_tag not in HEADINGS, f'heading stranded on page {number}'
    assert checked > 20


def test_no_widows_or_orphans(pages):
    fragments = defaultdict(list)
    for number, page in enumerate(pages, 1):
        for box in blocks(page._page_box):
            if box.element_tag in ('p', 'li'):
                lines = sum(isinstance(child, LineBox) for child in box.children)
                fragments[box.element].append((number, lines))
    split = {element: parts for element, parts in fragments.items() if len(parts) > 1}
    assert len(split) >= 5  # paragraphs do run over pages here, so the check means something
    for parts in split.values():
        for number, lines in parts:
            assert lines >= 2, f'a single line of a paragraph is left alone on page {number}'
    assert fragments
