"""Read a laid-out card back: how far each face's content overflows, and where fields landed."""

from dataclasses import dataclass

from weasyprint.formatting_structure.boxes import TextBox

from .layout import descendants

PX_TO_MM = 25.4 / 96
PX_TO_PT = 0.75


@dataclass(frozen=True)
class Slot:
    """Where a template face reserved room for a field: PDF points from the bottom-left."""

    field: str
    x: float
    baseline: float
    font_size: float
    bold: bool
    color: tuple


def classes(box):
    element = getattr(box, 'element', None)
    return (element.get('class', '') if element is not None else '').split()


def face_box(page):
    return next((box for box in descendants(page._page_box) if 'card-face' in classes(box)
                 and not isinstance(box, TextBox)), None)


def overflow_mm(page):
    """How far (mm) content reaches past the face's safe area, down or right; 0 when it fits."""
    face = face_box(page)
    if face is None:
        return 0.0
    bottom = face.content_box_y() + face.height
    right = face.content_box_x() + face.width
    worst = 0.0
    for box in descendants(face):
        if box is face or not hasattr(box, 'border_box_y'):
            continue
        if isinstance(box, TextBox) and not box.text.strip():
            continue
        box_bottom = box.border_box_y() + box.border_height()
        box_right = box.border_box_x() + box.border_width()
        if 'card-columns' in classes(box):
            continue  # a flex row stretched to the face's height, not content
        worst = max(worst, box_bottom - bottom, box_right - right)
    return round(worst * PX_TO_MM, 1) if worst > 0.05 / PX_TO_MM else 0.0


def spill_mm(page):
    """Height (mm) of face content pushed onto a page of its own."""
    face = face_box(page)
    if face is None:
        return 0.0
    top = face.content_box_y()
    bottoms = [box.border_box_y() + box.border_height() for box in descendants(face)
               if box is not face and hasattr(box, 'border_box_y')
               and not (isinstance(box, TextBox) and not box.text.strip())]
    return max([bottom - top for bottom in bottoms] + [0]) * PX_TO_MM


def faces_by_page(pages):
    """Pages grouped by the face they belong to (a face that overflows takes several)."""
    groups, last = [], None
    for page in pages:
        face = face_box(page)
        element = face.element if face is not None else None
        if groups and element is not None and element is last:
            groups[-1].append(page)
        else:
            groups.append([page])
        last = element
    return groups


def face_overflow_mm(group):
    """How far a face's content overflows, counting what spilled onto further pages."""
    return round(overflow_mm(group[0]) + sum(spill_mm(page) for page in group[1:]), 1)


def field_slots(page, page_height_pt):
    """The reserved place of every field on a template face page."""
    slots = []
    for box in descendants(page._page_box):
        if isinstance(box, TextBox) and 'field-text' in classes(box):
            field = box.element.get('data-field')
            style = box.style
            color = tuple(round(value, 4) for value in style['color'][:3])
            slots.append(Slot(field, box.position_x * PX_TO_PT,
                              page_height_pt - (box.position_y + box.baseline) * PX_TO_PT,
                              style['font_size'] * PX_TO_PT, style['font_weight'] >= 600,
                              color))
    return slots
