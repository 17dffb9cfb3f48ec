"""Find stylesheets (the content root's styles/ overrides the project's) and inline what they load."""

import os
import re
from pathlib import Path

from ..errors import ContentError, Problem
from ..read.files import ContentRoot, Refused, data_uri

PROJECT_STYLES = Path(__file__).resolve().parents[2] / 'styles'
CSS_URL = re.compile(r'''url\(\s*(['"]?)([^'")]+)\1\s*\)''')
IMPORT = re.compile(r'@import\b', re.I)


class Styles:
    """Stylesheets by file name, searched in the content root's styles/ and then the project's.
    Every file is read through the gate of its styles folder (read/files.py)."""

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
            if os.path.lexists(path):
                return folder, path
        raise ContentError([Problem(f'styles/{name}', 0, 'stylesheet not found')])

    def text(self, folder, path):
        try:
            data = folder.read_bytes(path)
        except Refused as refused:
            raise ContentError([Problem(display(path, self.display_root), 0,
                                        str(refused))]) from None
        try:
            return data.decode('utf-8').removeprefix('\ufeff')
        except UnicodeDecodeError:
            raise ContentError([Problem(display(path, self.display_root), 0,
                                        'stylesheet is not UTF-8 text')]) from None

    def css(self, name):
        """The text of stylesheet ``name`` with every ``url()`` replaced by a ``data:`` URI."""
        if name not in self._cache:
            folder, path = self.find(name)
            self._cache[name] = self.rewrite(folder, path, lambda target, data: (
                f'url("{data_uri(data, target)}")'))[0]
        return self._cache[name]

    def font_files(self, name='fonts.css'):
        """The font files that stylesheet ``name`` loads, inside its styles folder."""
        folder, path = self.find(name)
        text = self.text(folder, path)
        found = [path.parent / match.group(2).strip() for match in CSS_URL.finditer(text)]
        return [font for font in found if folder.contains(font) and font.is_file()]

    def rewrite(self, folder, path, replacement):
        """(text of the stylesheet at ``path`` with each ``url()`` replaced by
        ``replacement(file, bytes)``, {file: bytes}); ``@import`` and any url() that is not a
        file inside ``folder`` are errors at their line, whoever reads the stylesheet."""
        shown = display(path, self.display_root)
        text = self.text(folder, path)
        problems, used = [], {}
        for match in IMPORT.finditer(text):
            line = text.count('\n', 0, match.start()) + 1
            problems.append(Problem(shown, line, '@import is not allowed; list stylesheets instead'))

        def replace(match):
            url = match.group(2).strip()
            line = text.count('\n', 0, match.start()) + 1
            if url.startswith('data:') and not url.lower().startswith(('data:image/svg',
                                                                       'data:text')):
                return match.group(0)
            target = path.parent / url
            if re.match(r'^[a-zA-Z][a-zA-Z0-9+.-]*:|^/|^\\', url) or not folder.contains(target):
                problems.append(Problem(shown, line, f"url({url}) must name a file inside "
                                                     "the styles folder"))
                return 'url()'
            try:
                data = folder.read_bytes(target)
            except Refused as refused:
                message = (f'file not found: {url}' if str(refused) == 'file not found'
                           else f'url({url}): {refused}')
                problems.append(Problem(shown, line, message))
                return 'url()'
            used[target] = data
            return replacement(target, data)

        rewritten = CSS_URL.sub(replace, text)
        problems += hidden_loads(text, shown)
        if problems:
            raise ContentError(problems)
        return rewritten, used


def hidden_loads(text, shown):
    """``@import`` and ``url()`` that only a CSS parser sees (written with escapes such as
    ``u\\72l(`` or in comments' shadows): the regular expressions above would miss them."""
    import tinycss2
    found = []

    def walk(tokens):
        for token in tokens:
            kind = token.type
            if kind == 'at-rule' and token.lower_at_keyword == 'import':
                found.append((token.source_line, '@import'))
            elif kind == 'url' or (kind == 'function' and token.lower_name in ('url', 'src')):
                found.append((token.source_line, 'url()'))
            for name in ('prelude', 'content', 'arguments'):
                inner = getattr(token, name, None)
                if isinstance(inner, list):
                    walk(inner)

    walk(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True))
    plain = len(IMPORT.findall(text)) + len(CSS_URL.findall(text))
    if len(found) > plain:
        line = found[0][0]
        return [Problem(shown, line, 'CSS escapes or unusual syntax around @import or url(): '
                                     "write url() plainly so the build can check what it loads")]
    return []


def display(path, content_root):
    """How a style file is named in messages: relative to the content root when inside it."""
    if content_root.contains(path):
        return content_root.relative(path)
    return f'styles/{Path(path).relative_to(PROJECT_STYLES).as_posix()}'
