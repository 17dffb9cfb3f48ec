"""Reproducible bytes, and atomic outputs: a failed build leaves the previous ones untouched."""

import os
import time
from pathlib import Path

import pypdf
import pytest

from conftest import report
from pressroom.errors import ContentError
from pressroom.targets import files

CHAPTERS = {
    'booklet/b/01-a.md': '# Alpha\n\nSee [beta](#beta).\n\n![A dot](dot.svg)\n',
    'booklet/b/02-b.md': '# Beta\n\nText about "beta".\n',
    'booklet/b/dot.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                         '<circle cx="5" cy="5" r="4"/></svg>',
}


def snapshot(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(Path(folder).rglob('*')) if path.is_file()}


def test_two_builds_give_identical_bytes(run, make_root, tmp_path, monkeypatch):
    from test_cards import card_files
    root = make_root({**CHAPTERS, **card_files(), 'booklet/b/03-c.md': '# C {#scc}\n'})
    assert run('--source', root, '--out', tmp_path / 'one', '--html').code == 0
    time.sleep(1.1)  # a build that stamped the time would now differ
    monkeypatch.setenv('TZ', 'Pacific/Auckland')
    assert run('--source', root, '--out', tmp_path / 'two', '--html').code == 0
    one, two = snapshot(tmp_path / 'one'), snapshot(tmp_path / 'two')
    assert {'b.pdf', 'b.html', 'build-report.json', 'cards/test-card.pdf',
            'cards/test-card-sheet.pdf', 'cards/test-card/alpha.pdf',
            'cards/test-card/alpha-sheet.pdf', 'cards/test-card-clinics.pdf', 'b.epub'} <= set(one)
    assert one == two


def test_pdf_dates_and_identifier_come_from_the_sources(run, make_root, tmp_path):
    root = make_root(CHAPTERS)
    assert run('--source', root, '--out', tmp_path / 'out', '--formats', 'booklet').code == 0
    reader = pypdf.PdfReader(tmp_path / 'out' / 'b.pdf')
    assert reader.metadata['/CreationDate'].startswith('D:20260201')
    assert reader.metadata['/ModDate'].startswith('D:20260201')
    (root / 'booklet/b/02-b.md').write_text('# Beta\n\nChanged text.\n')
    assert run('--source', root, '--out', tmp_path / 'out2', '--formats', 'booklet').code == 0
    changed = pypdf.PdfReader(tmp_path / 'out2' / 'b.pdf')
    assert reader.trailer['/ID'][0] != changed.trailer['/ID'][0]


def test_failed_build_leaves_previous_outputs_byte_identical(run, make_root, tmp_path):
    root = make_root(CHAPTERS)
    out = tmp_path / 'out'
    assert run('--source', root, '--out', out, '--html').code == 0
    before = snapshot(out)
    (root / 'booklet/b/02-b.md').write_text('# Beta\n\nNow [broken](#nowhere).\n')
    result = run('--source', root, '--out', out, '--html')
    assert result.code == 1
    assert snapshot(out) == before
    assert report(out)['outputs'][0]['path'] == 'b.pdf'


def test_a_write_that_fails_halfway_replaces_nothing(tmp_path, monkeypatch):
    out = tmp_path / 'out'
    out.mkdir()
    (out / 'a.pdf').write_bytes(b'old a')
    (out / 'b.pdf').write_bytes(b'old b')
    real_fsync, calls = os.fsync, []

    def failing_fsync(handle):
        calls.append(handle)
        if len(calls) == 2:
            raise OSError(28, 'No space left on device')
        return real_fsync(handle)

    monkeypatch.setattr(os, 'fsync', failing_fsync)
    with pytest.raises(ContentError) as error:
        files.commit(out, {'a.pdf': b'new a', 'b.pdf': b'new b'})
    assert error.value.problems[0].format() == (f'{out}: error: cannot write outputs: '
                                                'No space left on device')
    assert snapshot(out) == {'a.pdf': b'old a', 'b.pdf': b'old b'}
