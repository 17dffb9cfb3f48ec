"""Read back what WeasyPrint laid out: where each anchor landed and what each reference printed."""

import re
from dataclasses import dataclass

from weasyprint.formatting_structure.boxes import MarginBox, TextBox

NUMBER = re.compile(r'\d+')


@dataclass(frozen=True)
class PrintedReference:
    target: str
    text: str
    pdf_page: int


@dataclass(frozen=True)
class Layout:
    anchors: dict  # id -> 1-based PDF page
    folios: dict  # 1-based PDF page -> folio printed in its footer
    references: list  # PrintedReference, in document order

    def folio(self, pdf_page):
        return self.folios.get(pdf_page, pdf_page)


def descendants(box):
    yield box
    for child in getattr(box, 'children', None) or ():
        yield from descendants(child)


def text_of(box):
    # Each TextBox is a run on one line; a line break between runs reads as a space.
    return ' '.join(child.text for child in descendants(box) if isinstance(child, TextBox))


def read_layout(pages):
    anchors, folios = {}, {}
    references = {}  # element -> [target, text, first page]
    for number, page in enumerate(pages, 1):
        for anchor in page.anchors:
            anchors.setdefault(anchor, number)
        for box in descendants(page._page_box):
            if isinstance(box, MarginBox):
                digits = NUMBER.findall(text_of(box))
                if box.at_keyword in ('@bottom-left', '@bottom-right') and digits:
                    # The folio is the number at the page's outer edge.
                    folios[number] = int(digits[0] if box.at_keyword == '@bottom-left'
                                         else digits[-1])
            elif (box.element_tag == 'a' and box.element is not None
                  and 'ref' in box.element.get('class', '').split()
                  and not isinstance(box, TextBox)):
                entry = references.setdefault(
                    box.element, [box.element.get('href', '')[1:], '', number])
                entry[1] += text_of(box)
    printed = [PrintedReference(target, ' '.join(text.split()), page)
               for target, text, page in references.values()]
    return Layout(anchors, folios, printed)
