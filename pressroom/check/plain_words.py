"""The plain-words list: plainer words for hard ones (``approximately -> about``), ours and a
content root's own ``plain-words.txt``, which adds to ours and wins."""

import re
from pathlib import Path

PACKAGED = Path(__file__).with_name('plain-words.txt')
ROOT_FILE = 'plain-words.txt'  # in the content root, beside booklet/ and cards/
ENTRY = re.compile(r"^\s*([^\W\d_][\w'’-]*)\s*->\s*(.*?)\s*$")


def parse(text, path='', problems=None):
    """``{word: plainer}`` from the lines of a list; an empty right side (``word ->``) maps to
    '' (taken off the list). A line that is not an entry is a warning at its line."""
    words = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith('#'):
            continue
        match = ENTRY.match(line)
        if match:
            words[match.group(1).lower()] = match.group(2)
        elif problems is not None:
            problems.warning(path, number, f"not a plain-words entry: {line.strip()!r}; write "
                                           "one word, '->' and what to write instead, e.g. "
                                           "'approximately -> about'")
    return words


def load(root, problems):
    """Our list with the content root's ``plain-words.txt`` (read through the root's gate)."""
    words = parse(PACKAGED.read_text(encoding='utf-8'))
    own = root.path / ROOT_FILE
    if own.exists() or own.is_symlink():
        text = root.read_text(own, problems)
        if text is not None:
            words.update(parse(text, ROOT_FILE, problems))
    return {word: plainer for word, plainer in words.items() if plainer}


def forms(word):
    """``word`` and the dictionary forms it may be an inflection of (medications, commencing)."""
    yield word
    for ending, base in (('ies', 'y'), ('es', ''), ('s', ''), ('ied', 'y'), ('ed', 'e'),
                         ('ed', ''), ('d', ''), ('ing', 'e'), ('ing', ''), ('ly', '')):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            yield word[:-len(ending)] + base


def plainer(word, words):
    """What to write instead of ``word`` (any case, maybe inflected), or ''."""
    return next((words[form] for form in forms(word.lower()) if form in words), '')
