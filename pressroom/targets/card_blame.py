"""Say which of a clinic's values make its card overflow, and how long they may be.

For each clinic whose face overflows, each field on that face is tried empty: a field whose
emptying lets the face fit is to blame (when none alone does, the face's fields together are).
For a value to blame, the longest start of it that fits is found by halving, every clinic's
step laid out in one measuring document. A face's blocks stack in a normal flow, so a block
that comes out ``d`` mm shorter takes back ``d`` mm of the overflow.
"""

from ..render.card import ONLY, fields_by_block
from .card_layout import PX_TO_MM
from .card_measure import face_boxes, field_blocks
from .forked import share
from .layout import descendants

SIDES = ('front', 'back')


def heights(run, value_sets):
    """Per value set, per face, ``{block index: (height, reach)}`` in mm: the block's height,
    and how far its content reaches past the face's safe right edge. Measured on every core."""
    chunks = [value_sets[start:start + 150] for start in range(0, len(value_sets), 150)]
    return [faces for chunk in share(lambda chunk: measure_heights(run, chunk), chunks)
            for faces in chunk]


def measure_heights(run, chunk):
    document = run.render([(values, ONLY) for values in chunk], run.measure_css(len(chunk)))
    faces = [face for page in document.pages for face in face_boxes(page._page_box)]
    rights = run.body_widths  # a block starts at its body's left edge
    measured = []
    for first in range(0, len(faces), 2):
        sides = []
        for side, face in enumerate(faces[first:first + 2]):
            blocks = {}
            for index, box in field_blocks(face).items():
                left = box.border_box_x()
                reach = max([inner.border_box_x() + inner.border_width() - left
                             for inner in descendants(box)
                             if hasattr(inner, 'border_box_x')] + [0])
                blocks[index] = (box.border_height() * PX_TO_MM,
                                 max(0.0, reach - rights[side]) * PX_TO_MM)
            sides.append(blocks)
        measured.append(tuple(sides))
    return measured


def fits(before, after, excess):
    """Whether a face over by ``excess`` (down, right: mm) fits once its blocks measure
    ``after``: its blocks give back the height it is over by, and none reaches past its right
    edge."""
    down, right = excess
    gained = sum(before[index][0] - after[index][0] for index in before)
    return gained >= down - 0.05 and all(after[index][1] <= 0.05 for index in after)


def blame_overflows(card, run, over, problems):
    """One error per clinic in ``over`` ({clinic number: {side: (down, right) mm}})."""
    faces = (card.front, card.back)
    fields = [fields_by_block(face) for face in faces]
    numbers = sorted(over)
    base = {number: values for number, values in
            zip(numbers, heights(run, [dict(card.clinics[n].values) for n in numbers]))}
    # Each field of an overflowing face, tried empty: which faces that alone lets fit.
    trials = [(number, name) for number in numbers
              for name in dict.fromkeys(name for side in over[number]
                                        for names in fields[side].values() for name in names)]
    emptied = heights(run, [{**dict(card.clinics[number].values), name: ''}
                            for number, name in trials])
    fixes = {}
    for (number, name), measured in zip(trials, emptied):
        fixes.setdefault(number, {})[name] = {
            side for side, excess in over[number].items()
            if fits(base[number][side], measured[side], excess)}
    guilty = {number: culprits(fixes.get(number, {}), set(over[number])) for number in numbers}
    # The longest start of each guilty value that fits every face it overflows.
    searches = [(number, name, sides) for number, names in guilty.items()
                for name, sides in names.items()]
    low = [0] * len(searches)
    high = [len(card.clinics[number].value(name)) + 1 for number, name, _ in searches]
    while any(low[i] < high[i] - 1 for i in range(len(searches))):
        open_ = [i for i in range(len(searches)) if low[i] < high[i] - 1]
        middles = {i: (low[i] + high[i]) // 2 for i in open_}
        measured = heights(run, [{**dict(card.clinics[searches[i][0]].values),
                                  searches[i][1]: cut(card.clinics[searches[i][0]]
                                                      .value(searches[i][1]), middles[i])}
                                 for i in open_])
        for i, result in zip(open_, measured):
            number, _, sides = searches[i]
            if all(fits(base[number][side], result[side], over[number][side])
                   for side in sides):
                low[i] = middles[i]
            else:
                high[i] = middles[i]
    longest = {(searches[i][0], searches[i][1]): low[i] for i in range(len(searches))}
    for number in numbers:
        clinic = card.clinics[number]
        names = guilty[number]
        if names:
            parts = [f"the {name} '{shown(clinic.value(name))}' ({len(clinic.value(name))} "
                     f"characters) makes {overflow(over[number], sides, card)}"
                     for name, sides in names.items()]
            fit = '; '.join(f'at most {longest[(number, name)]} characters of the {name} fit '
                            f'this card' for name in names)
            message = f'{"; ".join(parts)}; {fit}'
        else:
            together = [name for side in over[number] for names in fields[side].values()
                        for name in names]
            together = list(dict.fromkeys(together))
            message = (f'the {" and ".join(together)} together make '
                       f'{overflow(over[number], set(over[number]), card)}: shorten one of them')
        problems.error(f'{card.folder}/clinics.csv', clinic.line, message)


def culprits(fixes, sides):
    """{field: the faces it is blamed for}: a field whose emptying lets every face fit; else,
    face by face, the fields that let that face fit; else a lone field (nothing else on its
    faces could be at fault). Empty when only the fields together are."""
    whole = {name: set(sides) for name, fixed in fixes.items() if fixed >= sides}
    if whole:
        return whole
    per_face = {name: fixed for name, fixed in fixes.items() if fixed}
    if per_face and set().union(*per_face.values()) >= sides:
        return per_face
    if len(fixes) == 1:
        return {name: set(sides) for name in fixes}
    return {}


def shown(value, limit=80):
    """A value as an error message quotes it: a long one cut in the middle."""
    return value if len(value) <= limit else f'{value[:50]}…{value[-20:]}'


def overflow(excess, sides, card):
    """'the front face overflow the 85×55 mm card by 3 mm and the back face by 1.2 mm'."""
    said = [f'the {SIDES[side]} face' + (f' overflow the {card.size_label} card' if not n else '')
            + f' by {max(excess[side]):g} mm' for n, side in enumerate(sorted(sides))]
    return ' and '.join(said)


def cut(value, length):
    return value[:length].rstrip()
