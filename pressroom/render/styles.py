"""Find stylesheets (the content root's styles/ overrides the project's) and inline what they load."""

import re
from pathlib import Path

from ..errors import ContentError, Problem
from ..read.files import ContentRoot

PROJECT_STYLES = Path(__file__).resolve().parents[2] / 'styles'
CSS_URL = re.compile(r'''url\(\s*(['"]?)([^'")]+)\1\s*\)''')
IMPORT = re.compile(r'@import\b')


class Styles:
    """Stylesheets by file name, searched in the content root's styles/ and then the project's."""

    def __init__(self, content_root):
        self.folders = [ContentRoot(content_root.path / 'styles'), ContentRoot(PROJECT_STYLES)]
        self.display_root = content_root
        self._cache = {}

    @property
    def paths(self):
        return [folder.path for folder in self.folders]

    def find(self, name):
        for folder in self.folders:
            path = folder.path / name
            if path.is_file():
                return folder, path
        raise ContentError([Problem(f'styles/{name}', 0, 'stylesheet not found')])

    def css(self, name):
        """The text of stylesheet ``name`` with every ``url()`` replaced by a ``data:`` URI."""
        if name not in self._cache:
            folder, path = self.find(name)
            self._cache[name] = self._inline(folder, path)
        return self._cache[name]

    def font_files(self, name='fonts.css'):
        """The font files that stylesheet ``name`` loads, inside its styles folder."""
        folder, path = self.find(name)
        text = path.read_text(encoding='utf-8')
        found = [path.parent / match.group(2).strip() for match in CSS_URL.finditer(text)]
        return [font for font in found if folder.contains(font) and font.is_file()]

    def _inline(self, folder, path):
        shown = display(path, self.display_root)
        text = path.read_text(encoding='utf-8')
        problems = []
        for match in IMPORT.finditer(text):
            line = text.count('\n', 0, match.start()) + 1
            problems.append(Problem(shown, line, '@import is not allowed; list stylesheets instead'))

        def replace(match):
            url = match.group(2).strip()
            if url.startswith('data:'):
                return match.group(0)
            line = text.count('\n', 0, match.start()) + 1
            target = path.parent / url
            if re.match(r'^[a-zA-Z][a-zA-Z0-9+.-]*:|^/', url) or not folder.contains(target):
                problems.append(Problem(shown, line, f"url({url}) must name a file inside "
                                                     "the styles folder"))
                return 'url()'
            uri = folder.data_uri(target)
            if uri is None:
                problems.append(Problem(shown, line, f'file not found: {url}'))
                return 'url()'
            return f'url("{uri}")'

        inlined = CSS_URL.sub(replace, text)
        if problems:
            raise ContentError(problems)
        return inlined


def display(path, content_root):
    """How a style file is named in messages: relative to the content root when inside it."""
    if content_root.contains(path):
        return content_root.relative(path)
    return f'styles/{Path(path).relative_to(PROJECT_STYLES).as_posix()}'
