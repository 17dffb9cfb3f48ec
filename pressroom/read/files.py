"""Read files from the content root, refusing anything that resolves outside it."""

import base64
import mimetypes
import os
from pathlib import Path

IMAGE_TYPES = {'.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
               '.gif': 'image/gif', '.svg': 'image/svg+xml', '.webp': 'image/webp'}


class ContentRoot:
    """A folder holding booklet/ and cards/ (and maybe styles/); paths are shown relative to it."""

    def __init__(self, path):
        self.path = Path(os.path.realpath(path))

    def relative(self, path):
        return Path(os.path.relpath(path, self.path)).as_posix()

    def contains(self, path):
        real = os.path.realpath(path)
        return real == str(self.path) or real.startswith(str(self.path) + os.sep)

    def read_text(self, path, problems):
        """UTF-8 text of ``path``; ``None`` after recording a problem."""
        rel = self.relative(path)
        if not self.contains(path):
            problems.error(rel, 0, 'refusing to read a file that resolves outside the content root')
            return None
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            problems.error(rel, 0, f'cannot read file: {error.strerror}')
            return None
        try:
            text = data.decode('utf-8')
        except UnicodeDecodeError as error:
            line = data[:error.start].count(b'\n') + 1
            problems.error(rel, line, f'file is not UTF-8 text (byte 0x{data[error.start]:02x}); '
                                      'save it as UTF-8')
            return None
        return text.removeprefix('\ufeff')

    def data_uri(self, path):
        """The file as a ``data:`` URI, or ``None`` when it is missing or outside the root."""
        if not self.contains(path) or not Path(path).is_file():
            return None
        kind = IMAGE_TYPES.get(Path(path).suffix.lower()) or mimetypes.guess_type(str(path))[0]
        encoded = base64.b64encode(Path(path).read_bytes()).decode('ascii')
        return f'data:{kind or "application/octet-stream"};base64,{encoded}'

    def booklet_slugs(self, problems):
        """Slugs of the booklet folders under ``booklet/``, sorted."""
        return self.slugs('booklet', problems)

    def card_slugs(self, problems):
        """Slugs of the card folders under ``cards/``, sorted."""
        return self.slugs('cards', problems)

    def slugs(self, kind, problems):
        folder = self.path / kind
        if not folder.is_dir():
            return []
        try:
            return sorted(entry.name for entry in folder.iterdir()
                          if entry.is_dir() and not entry.name.startswith('.'))
        except OSError as error:
            problems.error(kind, 0, f'cannot list folder: {error.strerror}')
            return []
