"""The cache: a no-op build is quick and loads no WeasyPrint; a chapter edit rebuilds only its
booklet and web page; the change report says what moved."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import META, PROJECT, write_tree
from test_cards import card_files

FILLER = 'Words that fill the page so that later headings move on. ' * 30


def content(tmp_path):
    return write_tree(tmp_path / 'content', {
        'booklet/b/booklet.yaml': META + 'card: test-card\n',
        'booklet/b/01-a.md': f'# Alpha\n\nSee [gamma](#gamma).\n\n## Old section {{#old}}\n\n{FILLER}\n',
        'booklet/b/02-b.md': f'# Beta\n\n{FILLER}\n\n## Gamma {{#gamma}}\n\nText.\n\n'
                             '## Spinal cord compression {#scc}\n',
        **card_files(),
    })


class Built:
    def __init__(self, result):
        self.returncode, self.stdout = result.returncode, result.stdout
        # -X importtime reports every import, render workers' included, on stderr.
        self.weasyprint = 'weasyprint' in result.stderr
        self.stderr = '\n'.join(line for line in result.stderr.splitlines()
                                if not line.startswith('import time:'))


def build(root, out, *extra):
    """Run the command in a fresh process, noting whether any process loaded WeasyPrint."""
    return Built(subprocess.run([sys.executable, '-X', 'importtime', 'build.py', '--source',
                                 str(root), '--out', str(out), *extra],
                                capture_output=True, text=True, cwd=PROJECT))


def rebuild(run, root, out, *extra):
    """Run the command in-process: quicker, for tests that need not know what a process loaded."""
    result = run('--source', root, '--out', out, *extra)
    return subprocess.CompletedProcess([], result.code, result.out, result.err)


@pytest.fixture(scope='module')
def cold(tmp_path_factory):
    """One cold build of ``content``, made once: (root, out, Built)."""
    base = tmp_path_factory.mktemp('incremental')
    root, out = content(base), base / 'out'
    first = build(root, out)
    assert first.returncode == 0, first.stderr
    return root, out, first


@pytest.fixture
def built(cold, tmp_path):
    """A copy of the cold build's content root and output folder (times kept), to change: the
    cache holds paths relative to them, so the copy is as up to date as the original."""
    root, out, first = cold
    return (Path(shutil.copytree(root, tmp_path / 'content')),
            Path(shutil.copytree(out, tmp_path / 'out')), first)


def mtimes(out):
    return {path.relative_to(out).as_posix(): path.stat().st_mtime_ns
            for path in out.rglob('*') if path.is_file()}


def test_no_op_build_skips_everything_without_weasyprint(built):
    root, out, first = built
    assert first.weasyprint
    before = mtimes(out)
    again = build(root, out)
    assert again.returncode == 0
    assert not again.weasyprint
    assert 'up to date' in again.stdout
    assert mtimes(out) == before


def test_a_chapter_edit_rebuilds_its_booklet_and_web_page_not_the_cards(built, run):
    root, out, _ = built
    before = mtimes(out)
    (root / 'booklet/b/02-b.md').write_text(
        f'# Beta\n\n{FILLER}\n\n## New part {{#new}}\n\n{FILLER * 3}\n\n## Gamma {{#gamma}}\n\n'
        'Text changed.\n\n## Spinal cord compression {#scc}\n')
    result = rebuild(run, root, out)
    assert result.returncode == 0, result.stderr
    after = mtimes(out)
    changed = {path for path in after if after[path] != before.get(path)}
    assert {'b.pdf', 'web/b/index.html', 'b-changes.md', 'build-report.json'} <= changed
    assert not [path for path in changed if path.startswith("cards/")]
    report = json.loads((out / 'build-report.json').read_text())
    assert any(entry['kind'] == 'card' for entry in report['outputs'])  # still listed


def test_change_report_lists_sections_moved_references_pages_and_dates(built, run):
    root, out, _ = built
    first = (out / 'b-changes.md').read_text()
    assert 'First build' in first
    old_refs = json.loads((out / 'build-report.json').read_text())['references']
    old_page = next(ref['page'] for ref in old_refs if ref['target'] == 'gamma')
    # The line under the back page's card gives the page of the heading its QR code opens.
    pointer = 'cards/test-card/card.yaml:2'
    old_scc = next(ref['page'] for ref in old_refs if ref['source'] == pointer)
    (root / 'booklet/b/01-a.md').write_text(f'# Alpha\n\nSee [gamma](#gamma).\n\n{FILLER * 4}\n')
    (root / 'booklet/b/booklet.yaml').write_text(
        META.replace('last_reviewed: 2026-02-01', 'last_reviewed: 2026-06-01')
        .replace('2nd edition', '3rd edition') + 'card: test-card\n')
    assert rebuild(run, root, out).returncode == 0
    text = (out / 'b-changes.md').read_text()
    report = json.loads((out / 'build-report.json').read_text())
    change = report['changes']['b']
    assert [section['id'] for section in change['removed']] == ['old']
    assert [section['id'] for section in change['changed']] == ['alpha']
    new_page = next(ref['page'] for ref in report['references'] if ref['target'] == 'gamma')
    new_scc = next(ref['page'] for ref in report['references'] if ref['source'] == pointer)
    assert new_page != old_page and new_scc != old_scc
    assert change['moved'] == [{'source': 'booklet/b/01-a.md:3', 'target': 'gamma',
                                'from': old_page, 'to': new_page},
                               {'source': pointer, 'target': 'scc', 'from': old_scc,
                                'to': new_scc}]
    assert '- Last reviewed: 2026-02-01 → 2026-06-01' in text
    assert '- Edition: 2nd edition → 3rd edition' in text
    assert f'- booklet/b/01-a.md:3 → `gamma`: page {old_page} → {new_page}' in text
    assert '- ## Old section (`old`, booklet/b/01-a.md)' in text


def test_a_fresh_output_folder_is_a_cold_build(built, tmp_path):
    root, one, _ = built  # built once into ``one`` (a copy of it)
    assert (one / 'b.pdf').is_file()
    result = build(root, tmp_path / 'two')
    assert result.weasyprint and 'up to date' not in result.stdout


def test_verbose_says_what_the_cache_skipped(built, run):
    root, out, _ = built
    (root / 'booklet/b/02-b.md').write_text('# Beta\n\nNew.\n\n## Gamma {#gamma}\n\n'
                                            '## Spinal cord compression {#scc}\n')
    result = rebuild(run, root, out, '-v')
    assert 'cached     cards:test-card (inputs unchanged)' in result.stdout
    assert 'b.pdf' in result.stdout and 'done in' in result.stdout


def test_formats_limit_what_is_built(tmp_path):
    root, out = content(tmp_path), tmp_path / 'out'
    result = build(root, out, '--formats', 'booklet,web')
    assert result.returncode == 0, result.stderr
    assert (out / 'b.pdf').is_file() and (out / 'web/b/index.html').is_file()
    for path in ('b-print.pdf', 'b-imposed.pdf', 'b-large-print.pdf', 'cards'):
        assert not (out / path).exists(), path
    bad = build(root, out, '--formats', 'booklet,posters')
    assert bad.returncode == 2
    assert 'build.py: error: --formats: unknown posters' in bad.stderr
