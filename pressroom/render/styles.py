"""Find stylesheets (the content root's styles/ overrides the project's) and inline what they load."""

import os
import re
from pathlib import Path

from ..errors import ContentError, Problem
from ..read.files import ContentRoot, Refused, data_uri

PACKAGE = Path(__file__).resolve().parents[1]
# Installed, the project's styles ship inside the package (pyproject.toml maps the repository's
# styles/ to pressroom/styles/); in a checkout they are the styles/ folder beside the package.
PROJECT_STYLES = (PACKAGE / 'styles' if (PACKAGE / 'styles').is_dir()
                  else PACKAGE.parent / 'styles')
CSS_URL = re.compile(r'''url\(\s*(['"]?)([^'")]+)\1\s*\)''')
IMPORT = re.compile(r'@import\b', re.I)


class Styles:
    """Stylesheets by file name, searched in the content root's styles/ and then the project's.
    Every file is read through the gate of its styles folder (read/files.py)."""

    def __init__(self, content_root):
        overrides = content_root.path / 'styles'
        if os.path.lexists(overrides) and not content_root.contains(overrides):
            # Else the folder it leads to (/, /usr ...) would become a trusted styles folder.
            raise ContentError([Problem('styles', 0, 'refusing a folder that resolves outside '
                                                     'the content root')])
        self.folders = [ContentRoot(overrides), ContentRoot(PROJECT_STYLES)]
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
        """The font files that stylesheet ``name`` loads, inside its styles folder (each
        checked to be a usable font, once per build)."""
        if ('fonts', name) not in self._cache:
            self._cache[('fonts', name)] = self._font_files(name)
        return self._cache[('fonts', name)]

    def _font_files(self, name):
        folder, path = self.find(name)
        text = self.text(folder, path)
        found = [path.parent / match.group(2).strip() for match in CSS_URL.finditer(text)]
        fonts = [font for font in found if folder.contains(font) and font.is_file()]
        problems = [Problem(display(font, self.display_root), 0, message)
                    for font in fonts for message in [font_problem(folder, font)] if message]
        if problems:
            raise ContentError(problems)
        return fonts

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
        if not problems:
            # Decide from what a CSS parser sees in the result, so that escapes, comments or
            # odd syntax cannot hide a load from the regular expressions above.
            produced = {match.group(2).strip() for match in CSS_URL.finditer(rewritten)}
            problems += unchecked_loads(rewritten, shown, produced)
        if problems:
            raise ContentError(problems)
        return rewritten, used


def font_problem(folder, path):
    """Why the font file at ``path`` cannot be used, or ``None``."""
    from fontTools.ttLib import TTFont
    try:
        data = folder.read_bytes(path)
    except Refused as refused:
        return str(refused)
    try:
        import io
        font = TTFont(io.BytesIO(data), lazy=True)
        if not font.getBestCmap():
            return 'the font maps no characters: is it a symbol font?'
    except Exception as error:  # noqa: BLE001 - fontTools raises many kinds on damaged data
        return f'not a usable font file ({str(error)[:80] or type(error).__name__})'
    return None


# CSS functions that load an image from a string, not only from url().
LOADING = {'image-set', '-webkit-image-set', 'image', 'cross-fade', '-webkit-cross-fade',
           'element', '-moz-element', 'paint'}


def unchecked_loads(css, shown, produced):
    """Problems for every ``@import`` and every load in ``css`` (as tinycss2 tokenises it)
    that is not one of the ``produced`` addresses the build checked and wrote itself."""
    import tinycss2
    problems = []

    def refuse(token, message):
        problems.append(Problem(shown, token.source_line, message))

    def walk(tokens):
        for token in tokens:
            kind = token.type
            if kind == 'at-rule' and token.lower_at_keyword == 'import':
                refuse(token, '@import is not allowed; list stylesheets instead')
            elif kind == 'url' and token.value.strip() not in produced:
                refuse(token, 'CSS escapes or unusual syntax around url(): write url() plainly '
                              'so the build can check what it loads')
            elif kind == 'function' and token.lower_name in LOADING:
                refuse(token, f'{token.lower_name}() is not allowed: use url() with a file in '
                              'the styles folder')
            elif kind == 'function' and token.lower_name in ('url', 'src'):
                values = [arg.value for arg in token.arguments if arg.type == 'string']
                if not values or any(value.strip() not in produced for value in values):
                    refuse(token, 'CSS escapes or unusual syntax around url(): write url() '
                                  'plainly so the build can check what it loads')
            for name in ('prelude', 'content', 'arguments'):
                inner = getattr(token, name, None)
                if isinstance(inner, list):
                    walk(inner)

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return problems


def display(path, content_root):
    """How a style file is named in messages: relative to the content root when inside it."""
    if content_root.contains(path):
        return content_root.relative(path)
    return f'styles/{Path(path).relative_to(PROJECT_STYLES).as_posix()}'
