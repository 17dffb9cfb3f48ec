"""Lay out the blocks that hold fields, for a run of clinics at once, and read them back.

Only a face's top-level blocks holding a field (``data-field-block``) change from clinic to
clinic. A measuring document holds just those blocks, for many clinics, each inside a copy of
the face (same classes, same width). WeasyPrint lays them out; each block comes back as its
size and its text as glyph runs (card_glyphs.py), ready to be drawn on the clinic's card.

A block's inside does not depend on where it stands when the face is a normal flow (no floats)
and the block has the same width and the same computed styles: proven per card by comparing,
box by box, a clinic's block here with the same clinic's block laid out in its whole card
(``same_layout``); when that fails the card is laid out clinic by clinic instead.
"""

from dataclasses import dataclass

from weasyprint.css.properties import INITIAL_VALUES
from weasyprint.formatting_structure.boxes import (
    BlockBox, InlineBox, LineBox, ReplacedBox, TextBox)

from .card_glyphs import NotDrawable, record
from .card_layout import classes
from .layout import descendants

# The computed values that may differ between a measured block and the same block in its
# card without changing its inside: hidden blocks are invisible there, and page furniture.
UNCOMPARED = {'visibility', 'page', 'anchor', 'bookmark_label', 'bookmark_level',
              'bookmark_state', 'string_set', 'lang', 'link'}
MEASURE_CSS = """
@page { size: %(width)smm %(height)smm; margin: 0; }
.card-face.measuring { height: auto !important; break-before: auto !important; }
.card-face.measuring .card-columns { display: block !important; height: auto !important; }
.card-face.measuring .card-qr, .card-face.measuring .card-review { display: none !important; }
.card-face.measuring.card-front .card-body { width: %(front)spx !important; }
.card-face.measuring.card-back .card-body { width: %(back)spx !important; }
"""
COMPARED = sorted(set(INITIAL_VALUES) - UNCOMPARED)


def same_style(one, two):
    """Whether two computed styles agree on every property WeasyPrint computes."""
    for key in COMPARED:
        try:
            if one[key] != two[key]:
                return False
        except KeyError:  # a logical property: WeasyPrint computes the physical ones
            continue
    return True


EPSILON = 0.01  # px: two layouts agree when every box is within this


@dataclass(frozen=True)
class Block:
    """A laid-out field block: its border box size, how far its content reaches right of its
    left edge, and its text as glyph runs placed relative to its top-left corner (CSS px)."""

    width: float
    height: float
    reach: float
    runs: tuple


def field_blocks(page_box):
    """``{index: box}`` of the field blocks of a laid-out face, by ``data-field-block``."""
    found = {}
    for box in descendants(page_box):
        element = getattr(box, 'element', None)
        if element is None or isinstance(box, (TextBox, LineBox)):
            continue
        index = element.get('data-field-block')
        if index is not None and not getattr(box, 'element_tag', '').endswith('marker') \
                and int(index) not in found and box.element_tag == element.tag:
            found[int(index)] = box
    return found


def body_width(page):
    """The content width (CSS px) of a laid-out face's ``.card-body``: its blocks' width."""
    return next(box.width for box in descendants(page._page_box)
                if 'card-body' in classes(box) and not isinstance(box, (TextBox, LineBox)))


def face_boxes(page_box):
    """The face boxes (``.card-face``) of a measuring page, in order."""
    return [box for box in descendants(page_box)
            if 'card-face' in classes(box) and not isinstance(box, (TextBox, LineBox))
            and box.element_tag == box.element.tag]


def drawable(box):
    """Whether every box inside ``box`` is text the glyph copy draws exactly (no backgrounds,
    borders, images, links, or positioned, floating or transformed boxes)."""
    for inner in descendants(box):
        style = inner.style
        if isinstance(inner, ReplacedBox) or not isinstance(
                inner, (TextBox, LineBox, InlineBox, BlockBox)):
            return False
        if style['float'] != 'none' or style['position'] != 'static':
            return False
        if style['background_color'].alpha or any(
                layer[0] != 'none' for layer in style['background_image']):
            return False
        if any(style[f'border_{side}_width'] for side in ('top', 'right', 'bottom', 'left')):
            return False
        if style['outline_width'] and style['outline_style'] != 'none':
            return False
        if style['opacity'] < 1 or style['transform'] or style['box_shadow'] not in ('none', ()):
            return False
        element = getattr(inner, 'element', None)
        if element is not None and element.tag == 'a':
            return False
    return True


def read_block(box, book):
    """The :class:`Block` of a laid-out field block (raises NotDrawable)."""
    if not drawable(box):
        raise NotDrawable('a block with more than text')
    left, top = box.border_box_x(), box.border_box_y()
    runs, reach = [], 0.0
    for inner in descendants(box):
        if isinstance(inner, TextBox):
            run = record(inner, book)
            if run is not None:
                runs.append(run.moved(-left, -top))
                reach = max(reach, inner.position_x + inner.width - left)
        elif hasattr(inner, 'border_box_x') and inner is not box:
            reach = max(reach, inner.border_box_x() + inner.border_width() - left)
    return Block(box.border_width(), box.border_height(), reach, tuple(runs))


def measure_pages(pages, faces_per_clinic, book):
    """Per clinic, per face, ``{index: Block}`` from a laid-out measuring document."""
    faces = [face for page in pages for face in face_boxes(page._page_box)]
    if len(pages) != 1:  # a face split over two pages would measure wrong
        raise NotDrawable('a measuring document longer than its page')
    measured = []
    for start in range(0, len(faces), faces_per_clinic):
        measured.append(tuple({index: read_block(box, book)
                               for index, box in sorted(field_blocks(face).items())}
                              for face in faces[start:start + faces_per_clinic]))
    return measured


def same_layout(measured_box, card_box):
    """Whether two laid-out blocks are the same inside: boxes of the same kinds and computed
    styles, at the same places relative to the block, of the same sizes."""
    inner = list(descendants(measured_box))
    other = list(descendants(card_box))
    if len(inner) != len(other):
        return False
    dx = card_box.border_box_x() - measured_box.border_box_x()
    dy = card_box.border_box_y() - measured_box.border_box_y()
    for one, two in zip(inner, other):
        if type(one) is not type(two):
            return False
        if isinstance(one, TextBox) and one.text != two.text:
            return False
        for name in ('position_x', 'position_y'):
            shift = dx if name == 'position_x' else dy
            if abs(getattr(one, name) + shift - getattr(two, name)) > EPSILON:
                return False
        for name in ('width', 'height'):
            first, second = getattr(one, name), getattr(two, name)
            if isinstance(first, (int, float)) and isinstance(second, (int, float)) and \
                    abs(first - second) > EPSILON:
                return False
        if not same_style(one.style, two.style):
            return False
    return True
