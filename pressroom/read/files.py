"""The one gate every source file passes: regular files inside the content root, within limits.

Content roots come from many hands, so a file is read only when it resolves (symlinks
followed) inside the root, is a regular file (never a FIFO, device or socket), has no second
hard link (which could be a file from anywhere on the disk) and is within the size limit of its
kind. Opening is non-blocking, so even a FIFO swapped in after the check cannot hang a build.
"""

import base64
import errno
import os
import re
import stat
from pathlib import Path

IMAGE_TYPES = {'.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
               '.gif': 'image/gif', '.svg': 'image/svg+xml', '.webp': 'image/webp'}
MIB = 1024 * 1024
# Largest file the build reads, by kind: generous for real content, small enough that a
# careless or hostile file cannot exhaust memory or stall the build.
LIMITS = {'.yaml': MIB // 4, '.yml': MIB // 4, '.md': 2 * MIB, '.csv': 8 * MIB,
          '.css': MIB, '.ttf': 32 * MIB, '.otf': 32 * MIB, '.woff': 32 * MIB,
          '.woff2': 32 * MIB, '.icc': 8 * MIB, **{suffix: 20 * MIB for suffix in IMAGE_TYPES}}
OTHER_LIMIT = 20 * MIB
SLUG = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_-]*$')


def limit_of(path):
    return LIMITS.get(Path(path).suffix.lower(), OTHER_LIMIT)


def size_text(size):
    return f'{size / MIB:.1f} MB' if size >= MIB else f'{max(1, size // 1024)} KB'


class Refused(Exception):
    """A file the gate will not read; the message says why, for an editor."""


class ContentRoot:
    """A folder holding booklet/ and cards/ (and maybe styles/); paths are shown relative to it."""

    def __init__(self, path):
        self.path = Path(os.path.realpath(path))

    def relative(self, path):
        return Path(os.path.relpath(path, self.path)).as_posix()

    def contains(self, path):
        real = os.path.realpath(path)
        return real == str(self.path) or real.startswith(str(self.path) + os.sep)

    def read_bytes(self, path, limit=None):
        """The bytes of ``path``, or raise ``Refused`` saying why it may not be read."""
        limit = limit_of(path) if limit is None else limit
        real = os.path.realpath(path)
        if not self.contains(real):
            raise Refused('refusing to read a file that resolves outside the content root')
        try:
            # O_NOFOLLOW: the checked path is the one opened; O_NONBLOCK: a FIFO cannot block.
            handle = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError as error:
            if error.errno == errno.ENOENT:
                raise Refused('file not found') from None
            raise Refused(f'cannot read file: {error.strerror}') from None
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            os.close(handle)
            raise Refused('not a regular file (a pipe, device or folder): refusing to read it')
        with os.fdopen(handle, 'rb') as stream:
            if info.st_nlink > 1:
                raise Refused(f'the file has {info.st_nlink} hard links, so its bytes may belong '
                              'to a file outside the content root: replace it with a copy')
            if info.st_size > limit:
                raise Refused(f'file is {size_text(info.st_size)}; the limit for a '
                              f'{Path(path).suffix or "file"} file is {size_text(limit)}')
            data = stream.read(limit + 1)
        if len(data) > limit:
            raise Refused(f'file is over the limit of {size_text(limit)} for a '
                          f'{Path(path).suffix or "file"} file')
        return data

    def read_text(self, path, problems):
        """UTF-8 text of ``path``; ``None`` after recording a problem."""
        rel = self.relative(path)
        try:
            data = self.read_bytes(path)
        except Refused as refused:
            problems.error(rel, 0, str(refused))
            return None
        try:
            text = data.decode('utf-8')
        except UnicodeDecodeError as error:
            line = data[:error.start].count(b'\n') + 1
            problems.error(rel, line, f'file is not UTF-8 text (byte 0x{data[error.start]:02x}); '
                                      'save it as UTF-8')
            return None
        if '\x00' in text:
            line = text[:text.index('\x00')].count('\n') + 1
            problems.error(rel, line, 'file holds a NUL character: is it really text?')
            return None
        return text.removeprefix('\ufeff')

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
        if not self.contains(folder):
            problems.error(kind, 0, 'refusing a folder that resolves outside the content root')
            return []
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            problems.error(kind, 0, f'cannot list folder: {error.strerror}')
            return []
        slugs = []
        for entry in entries:
            if entry.name.startswith('.') or not entry.is_dir():
                continue
            if not named_well(entry.name):
                problems.error(f'{kind}/{printable(entry.name)}', 0, 'folder name is not UTF-8 '
                                                                     'text: rename it')
            elif not SLUG.match(entry.name):
                problems.error(f'{kind}/{entry.name}', 0, "folder name may only hold letters, "
                                                          "digits, '-' and '_' (it names output "
                                                          'files and web addresses): rename it')
            elif not self.contains(entry.path):
                problems.error(f'{kind}/{entry.name}', 0, 'refusing a folder that resolves '
                                                          'outside the content root')
            else:
                slugs.append(entry.name)
        return slugs

    def files(self, folder, suffix, problems):
        """The files named ``*<suffix>`` directly in ``folder`` that a build reads, sorted;
        hidden files (``.name``) are skipped, so the cache and the reader see the same set."""
        found = []
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            problems.error(self.relative(folder), 0, f'cannot list folder: {error.strerror}')
            return []
        for entry in entries:
            if entry.name.startswith('.') or not entry.name.lower().endswith(suffix):
                continue
            if not named_well(entry.name):
                problems.error(f'{self.relative(folder)}/{printable(entry.name)}', 0,
                               'file name is not UTF-8 text: rename it')
                continue
            found.append(Path(entry.path))
        return found


def data_uri(data, name):
    kind = IMAGE_TYPES.get(Path(name).suffix.lower())
    encoded = base64.b64encode(data).decode('ascii')
    return f'data:{kind or "application/octet-stream"};base64,{encoded}'


def named_well(name):
    """Whether a name from the disk is real UTF-8 text (undecodable bytes come back as
    surrogates, which no output or message can carry)."""
    try:
        name.encode('utf-8')
    except UnicodeEncodeError:
        return False
    return name.isprintable()


def printable(name):
    return name.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')


def walk(folder):
    """Every regular, visible file under ``folder``, without following symlinked folders (a
    link to ``/usr`` must not make the build read the disk); sorted."""
    found = []
    for base, folders, names in os.walk(folder, followlinks=False):
        folders[:] = sorted(name for name in folders if not name.startswith('.'))
        for name in sorted(names):
            if not name.startswith('.'):
                found.append(Path(base) / name)
    return found
