"""Write outputs atomically: every file goes to a temporary name first, then all are renamed."""

import os
import tempfile
from pathlib import Path

from ..errors import ContentError, Problem


def check_writable(out_dir):
    """Fail early, before any rendering, when the output folder cannot be written."""
    try:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out_dir, prefix='.write-test-'):
            pass
    except OSError as error:
        raise ContentError([Problem(str(out_dir), 0, f'cannot write to the output folder: '
                                                     f'{error.strerror or error}')]) from None


def commit(out_dir, files):
    """Write ``files`` (relative path -> bytes) under ``out_dir``; all of them or none."""
    out_dir = Path(out_dir)
    staged = []
    try:
        for relative, data in files.items():
            target = out_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f'.{target.name}.')
            staged.append((temporary, target))
            with os.fdopen(handle, 'wb') as stream:
                stream.write(data)
            os.chmod(temporary, 0o644)
    except OSError as error:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
        raise ContentError([Problem(str(out_dir), 0, f'cannot write outputs: '
                                                     f'{error.strerror or error}')]) from None
    for temporary, target in staged:
        os.replace(temporary, target)


def read_json(path):
    """A JSON file written by an earlier build, or ``{}``."""
    import json
    try:
        return json.loads(Path(path).read_text(encoding='utf-8'))
    except (OSError, ValueError):
        return {}
