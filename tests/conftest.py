"""Shared fixtures: tiny content roots in temp folders, the CLI run in-process, PDF readers."""

import json
import subprocess
import textwrap
from pathlib import Path

import pytest

from pressroom.cli import main

PROJECT = Path(__file__).resolve().parents[1]

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
    monkeypatch.setenv('PRESSROOM_TODAY', '2026-11-21')


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


@pytest.fixture(scope='session')
def sample(tmp_path_factory):
    """The repository's own sample content, built once (with --html) for the whole session."""
    out = tmp_path_factory.mktemp('sample-out')
    code = main(['--source', str(PROJECT), '--out', str(out), '--html', '-q'])
    assert code == 0
    return out

