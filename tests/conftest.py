"""Shared fixtures: tiny content roots in temp folders, the CLI run in-process, PDF readers."""

import contextlib
import fcntl
import io
import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml

from pressroom.cli import main

PROJECT = Path(__file__).resolve().parents[1]
ROOTS = Path(__file__).resolve().parent / 'roots'  # fixture content roots, one per worst case
TODAY = '2026-11-21'

META = """\
title: Test booklet
subtitle: For the tests
code: TB-01
edition: 2nd edition
last_reviewed: 2026-02-01
next_review: 2027-08-01
helpline: 0808 157 0999
website: test.example.org
online_url: https://test.example.org/booklet
"""


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Review dates are judged against a fixed day, so the tests do not expire."""
    monkeypatch.setenv('PRESSROOM_TODAY', TODAY)


def write_tree(root, files):
    for relative, content in files.items():
        path = Path(root) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding='utf-8')
    return Path(root)


@pytest.fixture
def make_root(tmp_path):
    """``make_root({'booklet/b/01-a.md': '# A'})`` -> a content root (booklet.yaml included)."""
    def make(files, meta=META, slug='b'):
        root = tmp_path / 'content'
        if meta is not None:
            files = {f'booklet/{slug}/booklet.yaml': meta, **files}
        return write_tree(root, files)
    return make


class Run:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    @property
    def lines(self):
        return self.err.splitlines()


@pytest.fixture
def run(capsys):
    """Run ``build.py`` in-process: ``run('check', '--source', root)`` -> Run(code, out, err)."""
    def invoke(*argv):
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)
    return invoke


def pdftotext(path, first=None, last=None):
    argv = ['pdftotext', '-layout']
    if first:
        argv += ['-f', str(first), '-l', str(last or first)]
    return subprocess.run(argv + [str(path), '-'], check=True, capture_output=True,
                          text=True).stdout


def page_texts(path):
    """The text of every page of a PDF, as a list (index 0 is page 1)."""
    return pdftotext(path).split('\f')[:-1]


def report(out):
    return json.loads((Path(out) / 'build-report.json').read_text())


class Built:
    """A content root built once: where, into which folder, the exit code and what it printed."""

    def __init__(self, source, out, code, out_text, err):
        self.source, self.out, self.code, self.out_text, self.err = source, out, code, out_text, err

    @property
    def lines(self):
        return self.err.splitlines()

    def __truediv__(self, relative):
        return self.out / relative

    def __fspath__(self):
        return str(self.out)


def build_once(tmp_path_factory, name, source, *argv):
    """Build ``source`` into a fresh temp folder in-process, on the tests' fixed day."""
    out = tmp_path_factory.mktemp(f'{name}-out')
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(stdout), \
            contextlib.redirect_stderr(stderr):
        patch.setenv('PRESSROOM_TODAY', TODAY)
        code = main(['--source', str(source), '--out', str(out), '-q', *map(str, argv)])
    return Built(Path(source), out, code, stdout.getvalue(), stderr.getvalue())


def shared_build(tmp_path_factory, name, source):
    """Build ``source`` once per test run, however many pytest-xdist workers ask: the first
    builds, under a lock, into a folder every worker of the run shares; the others wait and
    read it. Tests only read these outputs."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get('PYTEST_XDIST_WORKER'):
        base = base.parent  # the run's folder, above each worker's own
    folder = base / f'shared-{name}'
    with open(base / f'shared-{name}.lock', 'a') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = folder / 'built.json'
        if not record.exists():
            folder.mkdir(exist_ok=True)
            out = folder / 'out'
            stdout, stderr = io.StringIO(), io.StringIO()
            with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(stdout), \
                    contextlib.redirect_stderr(stderr):
                patch.setenv('PRESSROOM_TODAY', TODAY)
                code = main(['--source', str(source), '--out', str(out), '-q'])
            record.write_text(json.dumps({'code': code, 'out': stdout.getvalue(),
                                          'err': stderr.getvalue()}))
        done = json.loads(record.read_text())
    return Built(Path(source), folder / 'out', done['code'], done['out'], done['err'])


@pytest.fixture(scope='session')
def sample(tmp_path_factory):
    """The repository's own sample content, every format, built once for the whole session.

    Only tests about the sample itself (tests/test_sample.py) use it; generic checks run on
    the fixture roots in tests/roots/."""
    built = shared_build(tmp_path_factory, 'sample', PROJECT)
    assert (built.code, built.err) == (0, '')
    return built.out


@pytest.fixture(scope='session')
def built_root(tmp_path_factory):
    """``built_root('many-chapters')`` -> that fixture root (tests/roots/<name>/) built with
    every format, once per session however many tests read it: a ``Built`` (``code``,
    ``lines``, and ``built / 'x.pdf'`` for its outputs). Tests only read it; to change a root,
    use ``root_copy``."""
    builds = {}

    def build(name):
        if name not in builds:
            builds[name] = shared_build(tmp_path_factory, name, ROOTS / name)
        return builds[name]
    return build


@pytest.fixture
def root_copy(tmp_path):
    """``root_copy('dates')`` -> a copy of tests/roots/dates/ in this test's temp folder."""
    def copy(name):
        return Path(shutil.copytree(ROOTS / name, tmp_path / name))
    return copy


def booklets_of(root):
    """{slug: metadata} of a content root's booklets, read as plain strings as pressroom reads
    them (no YAML typing), in slug order."""
    return {path.parent.name: yaml.load(path.read_text(encoding='utf-8'), Loader=yaml.BaseLoader)
            for path in sorted(Path(root).glob('booklet/*/booklet.yaml'))}
