"""Find content that runs off the page: after layout, everything must lie inside its page's text
area, or part of it prints in the margin or past the trim, and the build would lose it silently."""

import re
from dataclasses import dataclass

from weasyprint.formatting_structure.boxes import MarginBox, ReplacedBox, TextBox

from .layout import descendants

PX_PER_MM = 96 / 25.4
# Rounding, and the overhang of a slanted letter, are not lost content.
TOLERANCE = 0.5 * PX_PER_MM
WORD = re.compile(r'\w+')
CLUE_WORDS = 12
# booklet.css lets the cells of tables this wide break words anywhere; narrower tables keep
# words whole, so there it is a long word that makes the table too wide.
BREAKING_COLUMNS = 5


@dataclass(frozen=True)
class Overflow:
    """A piece of content that does not fit in the text area of its page."""

    chapter: str  # data-source of the chapter holding it; '' outside chapters (cover, back)
    clues: frozenset  # words of its text, to find its source line by
    message: str


def overflows(pages, image_names=None):
    """Every ``Overflow`` on ``pages``, once per element, in document order. ``image_names``
    maps an inlined ``data:`` URI back to the file name the source used."""
    found, seen = [], set()
    for page in pages:
        area = page._page_box
        x, y = area.content_box_x(), area.content_box_y()
        frame = (x, y, x + area.width, y + area.height)
        for box, chapter in outside(area, frame, ''):
            key = box.element if box.element is not None else box
            if key not in seen:
                seen.add(key)
                found.append(describe(box, chapter, frame, image_names or {}))
    return found


def excess(box, frame):
    """How far (px) ``box`` reaches out of the text area: (horizontally, vertically)."""
    left, top, right, bottom = frame
    x, y = box.border_box_x(), box.border_box_y()
    return (max(left - x, x + box.border_width() - right),
            max(top - y, y + box.border_height() - bottom))


def outside(box, frame, chapter):
    """(box, chapter) for each table, picture or run of text that sticks out of ``frame``.
    Other boxes only frame content: one that sticks out loses at most some background."""
    if isinstance(box, MarginBox):
        return
    if box.element_tag == 'article' and box.element is not None:
        chapter = box.element.get('data-source', chapter)
    if box.is_table_wrapper and excess(box, frame)[0] > TOLERANCE:
        yield box, chapter  # named as a whole, with the columns that do not fit
        return
    if isinstance(box, (ReplacedBox, TextBox)) and max(excess(box, frame)) > TOLERANCE:
        if not isinstance(box, TextBox) or box.text.strip():
            yield box, chapter
        return
    if box.style['overflow'] != 'visible':
        return  # it clips its content on purpose: a card face, whose fit card_layout checks
    for child in getattr(box, 'children', None) or ():
        yield from outside(child, frame, chapter)


def mm(px):
    return f'{px / PX_PER_MM:.0f} mm'


def describe(box, chapter, frame, image_names):
    if box.is_table_wrapper:
        # Its first row (the header) is the line that starts it in Markdown.
        text = ''.join(next(box.element.iter('tr'), box.element).itertext())
        message = table_message(box, frame)
    elif isinstance(box, ReplacedBox):
        src = box.element.get('src', '')
        text = image_names.get(src, '' if src.startswith('data:') else src)
        message = image_message(box, frame, text)
    else:
        text = box.text
        message = (f"text '{shorten(text)}' runs {mm(max(excess(box, frame)))} past the edge "
                   "of the page's text area, so it would be cut off: remove the style (a "
                   'width, height or nowrap) that stops it from wrapping to the page')
    return Overflow(chapter, frozenset(words(text)[:CLUE_WORDS]), message)


def table_message(box, frame):
    left, _, right, _ = frame
    table = box.get_wrapped_table()
    ends = [x + width for x, width in zip(table.column_positions, table.column_widths)]
    cut = sum(end > right + TOLERANCE for end in ends)
    longest = shorten(max(''.join(box.element.itertext()).split(), key=len, default=''))
    if len(ends) >= BREAKING_COLUMNS:
        fix = 'split it into narrower tables'
    elif '://' in longest:
        fix = f"write '{longest}' as a link (<https://…>), which may break across lines"
    else:
        fix = (f"shorten '{longest}': a table of fewer than {BREAKING_COLUMNS} columns keeps "
               'its words whole')
    return (f'table is {mm(box.border_width())} wide but the page has room for '
            f'{mm(right - left)}, so {cut} of its {len(ends)} columns would be cut off: {fix}')


def image_message(box, frame, name):
    left, top, right, bottom = frame
    size, room, extent = ((box.border_width(), right - left, 'wide')
                          if excess(box, frame)[0] > TOLERANCE
                          else (box.border_height(), bottom - top, 'tall'))
    return (f"image '{name}' is {mm(size)} {extent} but the page has room for {mm(room)}, so "
            'part of it would be cut off: remove the width, height or max-width style that '
            'stops it from shrinking to fit')


def shorten(text, limit=40):
    text = ' '.join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + '…'


def words(text):
    return [word.casefold() for word in WORD.findall(text)]


def source_line(overflow, sources):
    """(path, line) in ``sources`` (path -> text) of the line of its chapter holding most of the
    overflow's words; ``None`` when no line holds any."""
    best = (0, None)
    for number, line in enumerate(sources.get(overflow.chapter, '').splitlines(), 1):
        score = len(overflow.clues.intersection(words(line)))
        if score > best[0]:
            best = (score, (overflow.chapter, number))
    return best[1]


SAFE_MM = 3  # printers ask for nothing that matters within 3 mm of the trim
# The footer that prints each value of booklet.yaml (see booklet.html.j2).
FOOTER_KEYS = {'@bottom-left': 'helpline', '@bottom-right': 'website'}


def footer_overflows(pages):
    """{booklet.yaml key: how far (mm) its footer runs into the last 3 mm above the trim, where
    a cut may take it off}, for footers whose text is too long for the foot of the page."""
    found = {}
    for page in pages:
        for box in descendants(page._page_box):
            if not isinstance(box, MarginBox) or box.at_keyword not in FOOTER_KEYS:
                continue
            texts = [child for child in descendants(box) if isinstance(child, TextBox)]
            if not texts:
                continue
            bottom = max(text.position_y + text.height for text in texts)
            over = (bottom - page.height) / PX_PER_MM + SAFE_MM
            if over > 0.1:
                key = FOOTER_KEYS[box.at_keyword]
                found[key] = max(found.get(key, 0), round(over, 1))
    return found

