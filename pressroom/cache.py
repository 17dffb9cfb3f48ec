"""The build cache: skip outputs whose inputs (sources, styles, templates, fonts, the pipeline's
own code) have not changed. It lives in the output folder, so a fresh ``--out`` is a cold build.
"""

import hashlib
import json
import os
import re
import stat
from pathlib import Path

from .read.files import ContentRoot, Refused, walk

CACHE_FILE = '.pressroom-cache.json'
CODE = Path(__file__).resolve().parent
CARD_KEY = re.compile(r'^card:\s*["\']?([A-Za-z0-9_-]+)', re.M)


def digest_files(paths, base, gate=None):
    """One hash for a set of files: their paths (relative to ``base``) and their bytes.

    Files are read through the content root's gate (``gate``); one it refuses (a FIFO, a
    link out of the root, a file over its size limit) is hashed by name and status only,
    never opened: the reader reports it and the build fails anyway."""
    total = hashlib.sha256()
    for path in sorted(paths):
        total.update(os.path.relpath(path, base).encode('utf-8', 'surrogateescape') + b'\0')
        try:
            data = gate.read_bytes(path) if gate else Path(path).read_bytes()
        except Refused as refused:
            try:
                info = os.stat(path)
                data = f'refused {refused} {info.st_size} {info.st_mtime_ns}'.encode()
            except OSError:
                data = f'refused {refused}'.encode()
        total.update(hashlib.sha256(data).digest())
    return total.hexdigest()


def files_under(folder, skip=()):
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [path for path in walk(folder) if path.name not in skip]


def code_digest():
    """The pipeline's version: its code and templates as they are on disk."""
    # (The scaffolds of ``new`` are not part of any build.)
    return digest_files([path for path in files_under(CODE) if '__pycache__' not in path.parts
                         and 'new' not in path.relative_to(CODE).parts[:1]
                         and path.suffix in ('.py', '.j2', '.js')], CODE)


def sources(root_path, style_folders):
    """Digests of everything a build reads (``Sources``), from file bytes alone: no parsing,
    so a build with nothing to do stays fast."""
    from .targets.base import Sources
    root_path = Path(root_path)
    gate = ContentRoot(root_path)
    shared = hashlib.sha256()
    shared.update(code_digest().encode())
    for folder in style_folders:
        if Path(folder) == root_path / 'styles' and not gate.contains(folder):
            shared.update(b'styles folder leads outside the root')  # refused by the reader
            continue
        shared.update(digest_files(files_under(folder), '/', ContentRoot(folder)).encode())
    booklets = folders(root_path / 'booklet', gate)
    found = Sources(shared=shared.hexdigest(), metadata=digest_files(
        [folder / 'booklet.yaml' for folder in booklets
         if os.path.lexists(folder / 'booklet.yaml')], root_path, gate))
    for folder in folders(root_path / 'cards', gate):
        # The booklet's back page prints the faces, not the clinics.
        found.cards[folder.name] = digest_files(files_under(folder, skip=('clinics.csv',)),
                                                root_path, gate)
        found.clinics[folder.name] = digest_files(files_under(folder), root_path, gate)
    for folder in booklets:
        found.booklets[folder.name] = digest_files(files_under(folder), root_path, gate)
        try:
            text = gate.read_bytes(folder / 'booklet.yaml').decode('utf-8', 'replace')
        except Refused:
            text = ''
        linked = CARD_KEY.search(text)
        if linked:
            found.links[folder.name] = linked.group(1)
    return found


def job_key(target, job, found, options):
    """The cache key of ``job``: the shared inputs, the target, and the job's own inputs."""
    return hashlib.sha256('\0'.join((found.shared, job.id, target.inputs(job, found, options)))
                          .encode()).hexdigest()


def folders(parent, gate):
    """The visible sub-folders of ``parent``, except those that lead out of the content root
    (the reader refuses them; a link to ``/usr`` must not make the cache read the disk)."""
    if not parent.is_dir() or not gate.contains(parent):
        return []
    return [Path(entry.path) for entry in sorted(os.scandir(parent), key=lambda e: e.name)
            if not entry.name.startswith('.') and entry.is_dir() and gate.contains(entry.path)]


def load(out):
    try:
        return json.loads((Path(out) / CACHE_FILE).read_text())
    except (OSError, ValueError):
        return {}


def up_to_date(cache, job, key, out):
    """Whether ``job`` built with ``key`` before and every file it wrote is still there with
    the same bytes (a file changed or half-written since is rebuilt, never trusted)."""
    entry = cache.get('jobs', {}).get(job)
    if entry is None or entry.get('key') != key or not isinstance(entry.get('files'), dict):
        return False
    return all(file_digest(Path(out) / path) == digest
               for path, digest in entry['files'].items())


def regular_file(path):
    """An open binary stream on ``path`` if it is a regular file (a symlink is not followed,
    a FIFO cannot block), else ``None``."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        return None
    return os.fdopen(handle, 'rb')


def file_digest(path):
    """sha256 of a regular file (not followed if a symlink), or ``None``."""
    stream = regular_file(path)
    if stream is None:
        return None
    with stream:
        return hashlib.file_digest(stream, 'sha256').hexdigest()


def regular_bytes(path):
    """The bytes of a regular file (not followed if a symlink), or ``None``."""
    stream = regular_file(path)
    if stream is None:
        return None
    with stream:
        return stream.read()


def dump(jobs):
    return (json.dumps({'jobs': jobs}, indent=1, sort_keys=True) + '\n').encode()
