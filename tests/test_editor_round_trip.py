"""The editor's day on the sample: review dates and a long online_url after a clinical review,
a section added in the middle; and a back cover that adapts to long values or says exactly
which one to shorten."""

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import PROJECT, page_texts

SLUG = 'secondary-breast-cancer-in-the-bone'
LONG_URL = ('https://www.northlight-breast-cancer-care.example.org/patient-information/'
            'booklets/bone-26')


@pytest.fixture
def sample_copy(tmp_path):
    root = tmp_path / 'content'
    for folder in ('booklet', 'cards'):
        shutil.copytree(PROJECT / folder, root / folder)
    return root


def set_keys(path, **values):
    text = path.read_text(encoding='utf-8')
    for key, value in values.items():
        text, count = re.subn(rf'(?m)^{key}: .*$', f'{key}: {value}', text)
        assert count == 1, key
    path.write_text(text, encoding='utf-8')


def published_files(out):
    return {str(path.relative_to(out)) for path in Path(out).rglob('*')
            if path.is_file() and not any(part.startswith('.') for part in
                                          path.relative_to(out).parts)}


def test_review_dates_a_90_character_address_and_a_new_section(run, sample_copy, tmp_path):
    out = tmp_path / 'out'
    # (what an editor proofs: the booklet and its web page; the other formats are the same
    # sources, tested elsewhere)
    formats = ('--formats', 'booklet,web')
    first = run('--source', sample_copy, '--out', out, '-q', *formats)
    assert (first.code, first.lines) == (0, [])
    meta = sample_copy / 'booklet' / SLUG / 'booklet.yaml'
    assert len(LONG_URL) == 90
    set_keys(meta, last_reviewed='2026-09-30', next_review='2029-09-30', published='2026-09-30',
             online_url=LONG_URL)
    chapter = sample_copy / 'booklet' / SLUG / '05-symptoms.md'
    lines = chapter.read_text(encoding='utf-8').splitlines()
    middle = len(lines) // 2
    while lines[middle].strip():
        middle += 1
    lines[middle:middle] = ['', '## Keeping a symptom diary {#symptom-diary}', '',
                            'Write down each new pain: when it started and what eases it.', '']
    chapter.write_text('\n'.join(lines) + '\n', encoding='utf-8')
    (sample_copy / 'booklet' / SLUG / '09-managing-symptoms.md').open('a').write(
        '\nA [symptom diary](#symptom-diary "see") helps your team.\n')

    second = run('--source', sample_copy, '--out', out, '-q', *formats)
    assert (second.code, second.lines) == (0, [])
    report = json.loads((out / 'build-report.json').read_text())
    anchors = {(anchor['variant'], anchor['id']): anchor['page'] for anchor in report['anchors']}
    assert report['references']
    for reference in report['references']:
        assert reference['page'] == anchors[(reference['variant'], reference['target'])]
    assert any(reference['target'] == 'symptom-diary' for reference in report['references'])
    changes = (out / f'{SLUG}-changes.md').read_text(encoding='utf-8')
    assert '- Last reviewed: 2026-03-01 → 2026-09-30' in changes
    assert '- Next review: 2028-03-01 → 2029-09-30' in changes
    assert 'symptom-diary' in changes
    # The back cover prints the new values, each address on whole lines of its own pieces.
    back = ' '.join(page_texts(out / f'{SLUG}.pdf')[-1].split())
    assert 'Last reviewed: September 2026 · Next planned review: September 2029' in back
    assert LONG_URL.removeprefix('https://www.') in back.replace(' ', '')
    # Nothing stale: every published file is one this build wrote (its manifest, the cache).
    cache = json.loads((out / '.pressroom-cache.json').read_text())
    written = {path for entry in cache['jobs'].values() for path in entry['files']}
    assert published_files(out) - written == {'build-report.json', f'{SLUG}-changes.md'}
    assert {output['path'] for output in report['outputs']} <= written


def test_long_values_set_the_back_cover_smaller_rather_than_fail(run, sample_copy, tmp_path):
    meta = sample_copy / 'booklet' / SLUG / 'booklet.yaml'
    set_keys(meta, online_url=LONG_URL, helpline='0808 157 0123 (Monday to Friday, 9am to 5pm)',
             edition='7th edition, revised after the 2026 clinical review')
    result = run('--source', sample_copy, '--out', tmp_path / 'out', '-q', '--formats',
                 'booklet')
    assert (result.code, result.lines) == (0, [])
    assert len(page_texts(tmp_path / 'out' / f'{SLUG}.pdf')) == 52


def test_a_back_cover_that_cannot_fit_names_its_longest_value(run, sample_copy, tmp_path):
    meta = sample_copy / 'booklet' / SLUG / 'booklet.yaml'
    edition = 'Seventh edition, revised and expanded after the clinical review ' * 9
    set_keys(meta, edition=edition.strip())
    line = next(number for number, text in enumerate(meta.read_text().splitlines(), 1)
                if text.startswith('edition:'))
    message = re.compile(rf'booklet/{SLUG}/booklet\.yaml:{line}: error: the back cover runs '
                         r'\d+\.\d mm past its page, even set smaller: its longest value is '
                         rf'edition \({len(edition.strip())} characters\); shorten it, or the '
                         r"card's text")
    built = run('--source', sample_copy, '--out', tmp_path / 'out', '--formats', 'booklet')
    assert built.code == 1
    assert len(built.lines) == 1 and message.fullmatch(built.lines[0]), built.lines
    checked = run('check', '--source', sample_copy)
    assert checked.code == 1
    assert [line for line in checked.lines if ': error: ' in line] == built.lines
