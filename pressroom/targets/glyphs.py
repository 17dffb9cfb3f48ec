"""Check that every character can be printed. One the booklet's or card's fonts lack prints in
whatever fallback font the machine has, so pages would differ between machines (a warning); one
that no font on the machine has prints as an empty box (an error). Clinic values are drawn by
our own code with the card's font alone, so any character it lacks is an error."""

import subprocess
import unicodedata
from dataclasses import fields
from functools import lru_cache
from itertools import chain

from fontTools.ttLib import TTFont



def covered(font_files):
    """Code points present in every face, so any weight or style can print them."""
    sets = [set(TTFont(path, lazy=True).getBestCmap() or {}) for path in font_files if path]
    return set.intersection(*sets) if sets else None


@lru_cache(maxsize=1)
def machine_ranges():
    """The code point ranges of every font installed on this machine, as fontconfig (which
    WeasyPrint asks for fallbacks) lists them: one call, however many characters are asked."""
    try:
        found = subprocess.run(['fc-list', '--format', '%{charset}\n'], capture_output=True,
                               text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return ()
    ranges = set()
    for item in found.stdout.split():
        first, _, last = item.partition('-')
        try:
            ranges.add((int(first, 16), int(last or first, 16)))
        except ValueError:
            continue
    return tuple(sorted(ranges))


def has_fallback(char):
    """Whether a font installed on this machine has ``char``. Without fc-list nothing says
    so, so assume none does."""
    code = ord(char)
    return any(first <= code <= last for first, last in machine_ranges())


def uses(sources):
    """(path, line, character) for every character of ``sources`` (path -> text)."""
    for path, text in sources.items():
        for number, line in enumerate(text.splitlines(), 1):
            for char in line:
                yield path, number, char


def invisible(char):
    """Characters no font needs to draw: controls, format marks (joiners, direction marks,
    soft hyphens) and spaces. Private-use and unassigned code points are not among them: they
    print as empty boxes like any other character the fonts lack."""
    return unicodedata.category(char) in ('Cc', 'Cf', 'Zs', 'Zl', 'Zp')


def report_missing(used, font_files, problems, whose):
    """A problem at the first use of each character the fonts lack: a warning when another
    font on this machine can print it, else an error."""
    codepoints = covered(font_files)
    if codepoints is None:
        return
    seen = set()
    for path, number, char in used:
        if char in seen or ord(char) in codepoints or invisible(char):
            continue
        seen.add(char)
        name = f"'{char}' (U+{ord(char):04X}) is not in the {whose}'s font"
        if has_fallback(char):
            problems.warning(path, number, f'{name}; it would print in a fallback font')
        else:
            problems.error(path, number, f'{name}, nor in any font on this machine; it would '
                                         'print as an empty box')


def check_glyphs(sources, font_files, problems, whose='booklet'):
    report_missing(uses(sources), font_files, problems, whose)


def check_booklet_glyphs(booklet, root, font_files, problems):
    """Chapters, and the values of booklet.yaml (they print on the cover, in the footers and on
    the back cover), each character at the line that wrote it. (``root`` is unused: kept for
    callers.)"""
    chapters = uses({chapter.path: chapter.source for chapter in booklet.chapters})
    report_missing(chain(chapters, meta_uses(booklet.meta)), font_files, problems, 'booklet')


def meta_uses(meta):
    """(path, line, character) for each printed value of ``meta``, at the line of its key
    (``Meta.lines``); keys and comments never print, so they are not checked."""
    for field in fields(meta):
        value = getattr(meta, field.name)
        if field.name == 'path' or not isinstance(value, str):
            continue
        for char in value:
            yield meta.path, meta.lines.get(field.name, 0), char


def check_card_glyphs(card, font_files, value_fonts, problems):
    """A card's faces, as chapters are checked; then its clinics' values, which a card draws
    with ``value_fonts`` alone (no fallback): an error at the CSV line of each value that holds
    a character they lack."""
    check_glyphs({face.path: face.source for face in (card.front, card.back)}, font_files,
                 problems, 'card')
    codepoints = covered(value_fonts)
    if codepoints is None:
        return
    for clinic in card.clinics:
        for column, value in clinic.values:
            # (a line break or tab in a quoted CSV value prints as a space, like any white space)
            lacking = [char for char in dict.fromkeys(value)
                       if ord(char) not in codepoints and not char.isspace()]
            if column not in card.fields or not lacking:
                continue
            named = ' and '.join(f"'{char}' (U+{ord(char):04X})" for char in lacking)
            boxes = 'it would print as an empty box' if len(lacking) == 1 else \
                'they would print as empty boxes'
            problems.error(f'{card.folder}/clinics.csv', clinic.line,
                           f"the {column} '{value}' has {named}, which the card's font lacks; "
                           f'clinic values are printed without a fallback font, so {boxes}')
