"""Problems found in content, and the exceptions that carry them.

Library code raises; only ``cli.main`` prints and chooses the exit code.
"""

import difflib
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One error or warning, located at ``path:line`` (line 0 means the file as a whole)."""

    path: str
    line: int
    message: str
    severity: str = 'error'

    def format(self):
        where = f'{self.path}:{self.line}' if self.line else self.path
        return visible(f'{where}: {self.severity}: {self.message}')


def closest(word, choices):
    """The one of ``choices`` a misspelt ``word`` was most likely meant to be, or ``None``:
    the most alike, else the only one holding it whole (``fax`` -> ``fax_number``)."""
    choices = sorted(set(choices))
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return close[0]
    holding = [choice for choice in choices
               if len(word) >= 3 and word.casefold() in choice.casefold()]
    return holding[0] if len(holding) == 1 else None


def did_you_mean(word, choices):
    """`` (did you mean 'x'?)`` naming the closest of ``choices`` to ``word``, or ``''``: an
    editor fixes a typo from the message alone."""
    close = closest(word, choices)
    return f" (did you mean '{close}'?)" if close else ''


def visible(text):
    """``text`` safe for a terminal: control characters and direction overrides quoted from
    a source (a CSV value, a file name) are shown as escapes, so they cannot reorder, hide or
    split what the editor reads."""
    return ''.join(f'\\u{ord(char):04x}' if ord(char) < 32 or 0x7f <= ord(char) < 0xa0
                   or 0x202a <= ord(char) <= 0x202e or 0x2066 <= ord(char) <= 0x2069
                   else char for char in text)


class PressroomError(Exception):
    """Base class: every failure the user can act on."""

    exit_code = 1


class ContentError(PressroomError):
    """The sources are wrong; carries every problem found, not just the first."""

    def __init__(self, problems):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line))
        super().__init__('\n'.join(p.format() for p in self.problems))

    def __reduce__(self):
        # Crosses process boundaries intact (render workers raise it too).
        return type(self), (self.problems,)


class UsageError(PressroomError):
    """The command line is wrong."""

    exit_code = 2


class Problems:
    """Collects problems while a stage runs, then raises them all at once."""

    def __init__(self):
        self.errors = []
        self.warnings = []

    def error(self, path, line, message):
        self.errors.append(Problem(str(path), line, message))

    def warning(self, path, line, message):
        self.warnings.append(Problem(str(path), line, message, 'warning'))

    def extend(self, other):
        """Add another stage's problems; the same problem found twice (say by two variants of
        a booklet) is listed once."""
        self.errors.extend(problem for problem in other.errors if problem not in self.errors)
        self.warnings.extend(problem for problem in other.warnings
                             if problem not in self.warnings)

    def raise_if_errors(self):
        if self.errors:
            raise ContentError(self.errors + self.warnings)
