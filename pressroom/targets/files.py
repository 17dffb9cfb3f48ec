"""The single place that writes: outputs are staged inside ``--out``, then committed with a
journal, so a build stopped at any instant leaves the previous outputs or the new ones.

A commit (1) writes every file into ``.pressroom-staging/`` and syncs it, (2) writes the
journal (the list of renames) atomically, (3) renames the staged files into place, the cache
last, (4) removes the journal. A build killed before (2) leaves its staging folder, which the
next build deletes; killed after (2), the next build finishes the renames from the journal
before doing anything else. The cache records every output's digest and trusts nothing else.
"""

import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from ..errors import ContentError, Problem, UsageError

STAGING = '.pressroom-staging'
JOURNAL = '.pressroom-journal.json'
LOCK = '.pressroom-lock'
TEMPORARY = '.pressroom-tmp'
PROJECT = Path(__file__).resolve().parents[2]
# Folders of this project that hold its own sources: never an output folder.
PROJECT_FOLDERS = ('pressroom', 'styles', 'tests', 'booklet', 'cards', 'bench', 'scripts', '.git',
                   '.ci', '.venv', 'node_modules')


def inside(path, folder):
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def check_out_folder(out, source):
    """Refuse (exit 2) an output folder that would put outputs among sources or over them."""
    real = os.path.realpath(out)
    root = os.path.realpath(source) if source is not None else None
    shown = f'--out {out}'
    if real == os.sep:
        raise UsageError(f'{shown}: refusing to write into the root folder /')
    if root is None:
        pass  # (merging shards: there is no content root)
    elif inside(root, real):
        raise UsageError(f'{shown}: the output folder would hold the content root {source}; '
                         'choose a folder of its own, such as output/')
    for name in ('booklet', 'cards', 'styles') if root is not None else ():
        if inside(real, os.path.join(root, name)) or inside(
                real, os.path.realpath(os.path.join(root, name))):
            raise UsageError(f'{shown}: the output folder is inside the content root\'s {name}/ '
                             'folder, among the sources; choose a folder such as output/')
    project = str(PROJECT)
    if inside(project, real):
        raise UsageError(f'{shown}: the output folder would hold this project\'s own files')
    for name in PROJECT_FOLDERS:
        if inside(real, os.path.join(project, name)):
            raise UsageError(f'{shown}: the output folder is inside this project\'s {name}/ '
                             'folder; choose a folder such as output/')
    if os.path.lexists(out) and not os.path.isdir(out):
        raise UsageError(f'{shown}: exists and is not a folder')


def check_writable(out_dir):
    """Fail early, before any rendering, when the output folder cannot be written."""
    try:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        probe = Path(out_dir) / f'{TEMPORARY}-probe-{os.getpid()}'
        probe.write_bytes(b'')
        probe.unlink()
    except OSError as error:
        raise ContentError([Problem(str(out_dir), 0, f'cannot write to the output folder: '
                                                     f'{error.strerror or error}')]) from None


@contextmanager
def session(out_dir):
    """One build at a time in ``out_dir``: take its lock, finish or clear what an interrupted
    build left, and give the build a private temporary folder that never outlives it."""
    check_writable(out_dir)
    out_dir = Path(out_dir)
    with open(out_dir / LOCK, 'a+b') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        recover(out_dir)
        temporary = out_dir / f'{TEMPORARY}-{os.getpid()}'
        temporary.mkdir()
        try:
            yield temporary
        finally:
            shutil.rmtree(temporary, ignore_errors=True)


def recover(out_dir):
    """Finish a commit that a killed build started (its journal exists), then delete every
    leftover: staging files, temporary folders."""
    journal = out_dir / JOURNAL
    if journal.exists():
        try:
            renames = json.loads(journal.read_text(encoding='utf-8'))
        except (OSError, ValueError):
            renames = []  # the journal is written atomically: unreadable means not ours
        for staged, relative in renames:
            source = out_dir / STAGING / staged
            if os.path.lexists(source):
                try:
                    place(out_dir, source, relative)
                except OSError:
                    pass  # its cache entry's digest will not match: the job is rebuilt
        journal.unlink()
    shutil.rmtree(out_dir / STAGING, ignore_errors=True)
    for leftover in out_dir.glob(f'{TEMPORARY}-*'):
        shutil.rmtree(leftover, ignore_errors=True)


def target_of(out_dir, relative):
    """``out_dir / relative`` when that is a safe place for an output, else ``None``: no
    absolute paths, ``..``, backslashes or control characters, and no folder on the way that
    is a symlink (which could lead anywhere on the disk) or a file."""
    parts = PurePosixPath(relative).parts
    if (not relative or relative.startswith('/') or '\\' in relative
            or any(part in ('.', '..') for part in parts)
            or any(ord(char) < 32 for char in relative) or relative != '/'.join(parts)):
        return None
    current = out_dir
    for part in parts[:-1]:
        current = current / part
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            return None
    return out_dir / relative


def check_targets(out_dir, files):
    """Every problem that would stop ``files`` from being written where they belong."""
    problems = []
    for relative in files:
        target = target_of(Path(out_dir), relative)
        if target is None:
            problems.append(Problem(str(out_dir), 0, f"refusing to write '{relative}': it would "
                                                     'land outside the output folder'))
        elif target.is_dir() and not target.is_symlink():
            problems.append(Problem(str(target), 0, 'a folder is in the way of this output: '
                                                    'move it away'))
    return problems


def commit(out_dir, files, last=(), remove=()):
    """Write ``files`` (relative path -> bytes, or a Spooled file to move) under ``out_dir``;
    all of them or none.
    ``last`` names files renamed into place after all the others (the cache); ``remove``,
    earlier outputs to delete once the new ones are in place."""
    out_dir = Path(out_dir)
    problems = check_targets(out_dir, files)
    if problems:
        raise ContentError(problems)
    staging = out_dir / STAGING
    order = sorted(files, key=lambda relative: relative in last)
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        renames = []
        for index, relative in enumerate(order):
            staged = f'{index}{PurePosixPath(relative).suffix}'
            data = files[relative]
            if hasattr(data, 'sha256') and hasattr(data, 'path'):  # Spooled: move it here
                shutil.move(data.path, staging / staged)
                with open(staging / staged, 'rb') as stream:
                    os.fsync(stream.fileno())
            else:
                with open(staging / staged, 'xb') as stream:
                    stream.write(data)
                    stream.flush()
                    os.fsync(stream.fileno())
            os.chmod(staging / staged, 0o644)
            renames.append((staged, relative))
        write_atomically(out_dir / JOURNAL, json.dumps(renames).encode())
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        (out_dir / JOURNAL).unlink(missing_ok=True)
        raise ContentError([Problem(str(out_dir), 0, f'cannot write outputs: '
                                                     f'{error.strerror or error}')]) from None
    for staged, relative in renames:
        place(out_dir, staging / staged, relative)
    for relative in remove:
        target = target_of(out_dir, relative)
        if target is not None and (target.is_symlink() or target.is_file()):
            target.unlink()
    (out_dir / JOURNAL).unlink()
    shutil.rmtree(staging, ignore_errors=True)


def place(out_dir, staged, relative):
    target = target_of(out_dir, relative)
    if target is None:  # a folder became a symlink since the check: leave it staged
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, target)


def write_atomically(path, data):
    temporary = path.with_name(path.name + '.new')
    with open(temporary, 'wb') as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def read_json(path):
    """A JSON file written by an earlier build, or ``{}``."""
    try:
        return json.loads(Path(path).read_text(encoding='utf-8'))
    except (OSError, ValueError):
        return {}
