"""Read a laid-out card back: how far each face's content overflows."""

from weasyprint.formatting_structure.boxes import TextBox

from .layout import descendants

PX_TO_MM = 25.4 / 96


def classes(box):
    element = getattr(box, 'element', None)
    return (element.get('class', '') if element is not None else '').split()


def face_box(page):
    return next((box for box in descendants(page._page_box) if 'card-face' in classes(box)
                 and not isinstance(box, TextBox)), None)


def overflow_mm(page):
    """How far (mm) content reaches past the face's safe area, down or right; 0 when it fits."""
    return max(overflow_parts_mm(page))


def overflow_parts_mm(page):
    """(down, right): how far (mm) content reaches past the face's safe area each way."""
    face = face_box(page)
    if face is None:
        return 0.0, 0.0
    bottom = face.content_box_y() + face.height
    right = face.content_box_x() + face.width
    down = across = 0.0
    for box in descendants(face):
        if box is face or not hasattr(box, 'border_box_y'):
            continue
        if isinstance(box, TextBox) and not box.text.strip():
            continue
        if 'card-columns' in classes(box):
            continue  # a flex row stretched to the face's height, not content
        down = max(down, box.border_box_y() + box.border_height() - bottom)
        across = max(across, box.border_box_x() + box.border_width() - right)
    return tuple(round(value * PX_TO_MM, 1) if value > 0.05 / PX_TO_MM else 0.0
                 for value in (down, across))


def face_right(page):
    """The right edge (CSS px) of the face's safe area."""
    face = face_box(page)
    return face.content_box_x() + face.width


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
    return max(face_overflow_parts_mm(group))


def face_overflow_parts_mm(group):
    """(down, right) overflow of a face (mm), what spilled onto further pages counted down."""
    down, right = overflow_parts_mm(group[0])
    return round(down + sum(spill_mm(page) for page in group[1:]), 1), right
