"""The build cache: skip outputs whose inputs (sources, styles, templates, fonts, the pipeline's
own code) have not changed. It lives in the output folder, so a fresh ``--out`` is a cold build.
"""

import hashlib
import json
import os
import re
from pathlib import Path

CACHE_FILE = '.pressroom-cache.json'
CODE = Path(__file__).resolve().parent
CARD_KEY = re.compile(r'^card:\s*["\']?([A-Za-z0-9_-]+)', re.M)


def digest_files(paths, base):
    """One hash for a set of files: their paths (relative to ``base``) and their bytes."""
    total = hashlib.sha256()
    for path in sorted(paths):
        total.update(os.path.relpath(path, base).encode() + b'\0')
        total.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return total.hexdigest()


def files_under(folder, skip=()):
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [path for path in folder.rglob('*')
            if path.is_file() and path.name not in skip and not path.name.startswith('.')]


def code_digest():
    """The pipeline's version: its code and templates as they are on disk."""
    return digest_files([path for path in files_under(CODE) if '__pycache__' not in path.parts
                         and path.suffix in ('.py', '.j2', '.js')], CODE)


def job_keys(root_path, style_folders, options='', web_options=''):
    """``{job: key}`` for every booklet, card and the web edition, from file bytes alone
    (no parsing, so a build with nothing to do stays fast)."""
    root_path = Path(root_path)
    shared = hashlib.sha256()
    shared.update(code_digest().encode())
    shared.update(digest_files([path for folder in style_folders for path in files_under(folder)],
                               '/').encode())
    shared.update(options.encode())
    shared = shared.hexdigest()
    keys = {}
    cards = {}
    # A card prints the review dates of the booklet its QR code opens.
    metadata = digest_files(list((root_path / 'booklet').glob('*/booklet.yaml')), root_path)
    for folder in sorted((root_path / 'cards').glob('*/')):
        if folder.is_dir() and not folder.name.startswith('.'):
            faces = files_under(folder, skip=('clinics.csv',))
            cards[folder.name] = digest_files(faces, root_path)
            keys[f'card:{folder.name}'] = hashlib.sha256(
                (shared + metadata + digest_files(files_under(folder), root_path)).encode()
            ).hexdigest()
    for folder in sorted((root_path / 'booklet').glob('*/')):
        if not folder.is_dir() or folder.name.startswith('.'):
            continue
        meta = folder / 'booklet.yaml'
        text = meta.read_text(encoding='utf-8', errors='replace') if meta.is_file() else ''
        linked = CARD_KEY.search(text)
        card = cards.get(linked.group(1), '') if linked else ''
        keys[f'booklet:{folder.name}'] = hashlib.sha256(
            (shared + digest_files(files_under(folder), root_path) + card).encode()).hexdigest()
    keys['web'] = hashlib.sha256((''.join(keys[key] for key in sorted(keys)) + web_options)
                                 .encode()).hexdigest()
    return keys


def load(out):
    try:
        return json.loads((Path(out) / CACHE_FILE).read_text())
    except (OSError, ValueError):
        return {}


def up_to_date(cache, job, key, out):
    """Whether ``job`` built with ``key`` before and all its files are still there."""
    entry = cache.get('jobs', {}).get(job)
    return (entry is not None and entry.get('key') == key
            and all((Path(out) / path).is_file() for path in entry.get('files', [])))


def dump(jobs):
    return (json.dumps({'jobs': jobs}, indent=1, sort_keys=True) + '\n').encode()
