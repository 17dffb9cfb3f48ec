"""Warn about characters the booklet's fonts lack: they would print in whatever fallback font
the machine has, so pages would differ between machines (and may show empty boxes)."""

from fontTools.ttLib import TTFont


def covered(font_files):
    """Code points present in every face, so any weight or style can print them."""
    sets = [set(TTFont(path, lazy=True).getBestCmap() or {}) for path in font_files]
    return set.intersection(*sets) if sets else None


def check_glyphs(sources, font_files, problems):
    """A warning for the first use of each missing character, at its ``path:line``."""
    codepoints = covered(font_files)
    if codepoints is None:
        return
    seen = set()
    for path, text in sources.items():
        for number, line in enumerate(text.splitlines(), 1):
            for char in line:
                if char in seen or ord(char) in codepoints or not char.isprintable():
                    continue
                seen.add(char)
                problems.warning(path, number, f"'{char}' (U+{ord(char):04X}) is not in the "
                                               "booklet's font; it would print in a fallback font")
