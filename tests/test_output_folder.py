"""An honest output folder and a build that says what it does: --html and --booklet keep the
cache, one broken booklet does not hold back the others, progress as jobs finish, and a
closing summary."""

import re
import shutil

from conftest import ROOTS, report

ROOT = ROOTS / 'dates'  # two booklets (card-dates, long-address) and a card


def pdf_digests(out):
    return {entry['path']: entry['sha256'] for entry in report(out)['outputs']
            if entry['path'].endswith('.pdf')}


def test_html_files_come_and_go_without_laying_anything_out_again(run, tmp_path):
    out = tmp_path / 'out'
    assert run('--source', ROOT, '--out', out, '-q').code == 0
    before = pdf_digests(out)
    stamps = {path: (out / path).stat().st_mtime_ns for path in before}
    with_html = run('--source', ROOT, '--out', out, '--html')
    assert with_html.code == 0
    assert sorted(path.name for path in out.glob('*.html')) == [
        'card-dates-large-print.html', 'card-dates-print.html', 'card-dates.html',
        'long-address-large-print.html', 'long-address-print.html', 'long-address.html']
    assert 'made ' not in with_html.out  # no job ran: the HTML comes from the kept layouts
    assert {path: (out / path).stat().st_mtime_ns for path in before} == stamps
    assert 'built 0 files' in with_html.out and '12 jobs unchanged, kept' in with_html.out
    without = run('--source', ROOT, '--out', out)
    assert without.code == 0 and not list(out.glob('*.html'))
    assert pdf_digests(out) == before
    assert 'up to date' in run('--source', ROOT, '--out', out).out


def test_booklet_builds_only_that_booklet(run, tmp_path):
    out = tmp_path / 'out'
    result = run('--source', ROOT, '--out', out, '--booklet', 'long-address')
    assert result.code == 0
    assert sorted(path.name for path in out.glob('*.pdf')) == [
        'long-address-imposed.pdf', 'long-address-large-print.pdf', 'long-address-print.pdf',
        'long-address.pdf']
    assert not (out / 'cards').exists() and not (out / 'web').exists()
    wrong = run('--source', ROOT, '--out', out, '--booklet', 'long-adress')
    assert wrong.code == 2
    assert wrong.lines == [f"build.py: error: --booklet long-adress: no booklet/long-adress in "
                           f"{ROOT} (did you mean 'long-address'?)"]


def test_one_broken_booklet_does_not_stop_the_others(run, tmp_path):
    root = tmp_path / 'content'
    shutil.copytree(ROOT, root)
    out = tmp_path / 'out'
    assert run('--source', root, '--out', out, '-q').code == 0
    broken_pdf = (out / 'long-address.pdf').read_bytes()
    chapter = next((root / 'booklet/long-address').glob('01-*.md'))
    chapter.write_text(chapter.read_text() + '\nSee [nowhere](#nowhere "see").\n')
    other = next((root / 'booklet/card-dates').glob('*.md'))
    other.write_text(other.read_text() + '\nA sentence added after review.\n')
    result = run('--source', root, '--out', out)
    assert result.code == 1
    line = len(chapter.read_text().splitlines())
    assert result.lines == [f"booklet/long-address/{chapter.name}:{line}: error: no heading with "
                            "id 'nowhere'"]
    assert 'not built, for the errors below: booklet/long-address (their previous outputs are ' \
           'unchanged)' in result.out
    assert (out / 'long-address.pdf').read_bytes() == broken_pdf
    text = (out / 'card-dates-changes.md').read_text()
    assert 'A sentence added after review' in text or 'changed' in text.lower()


def test_progress_as_jobs_finish_then_a_summary(run, tmp_path):
    out = tmp_path / 'out'
    result = run('--source', ROOT, '--out', out)
    lines = result.out.splitlines()
    assert lines[0].startswith("making 12 of the build's jobs: booklet:card-dates, ")
    made = [line for line in lines if line.startswith('[')]
    assert len(made) == 12 and made[-1].startswith("[12/12] made ")
    assert {line.split()[2].rstrip(':') for line in made} == {
        job for job in lines[0].split(': ', 1)[1].split(', ')}
    assert re.fullmatch(rf'built \d+ files into {re.escape(str(out))} in \d+\.\d s', lines[-3])
    assert lines[-2:] == [f'what changed, for the reviewer: {out}/card-dates-changes.md',
                          f'what changed, for the reviewer: {out}/long-address-changes.md']
    assert run('--source', ROOT, '--out', out, '-q').out == ''
