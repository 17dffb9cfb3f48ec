"""``build.py check``: review governance, readability, strict mode and JSON output."""

import json

import pytest

from conftest import META

LONG = ('This sentence is deliberately written to be much longer than any sentence in a '
        'patient booklet should be, so that the checker has something to warn about today.')


def root_with(make_root, meta=META, text='# A\n\nShort words. Plain talk.\n'):
    return make_root({'booklet/b/01-a.md': text}, meta=meta)


@pytest.mark.parametrize('next_review, severity, message', [
    ('2026-10-01', 'warning', 'next review was due on 2026-10-01 (51 days ago): review the content '
                              'and update last_reviewed and next_review'),
    ('2027-01-10', 'warning', 'next review is due on 2027-01-10, in 50 days'),
])
def test_review_dates(run, make_root, next_review, severity, message):
    root = root_with(make_root, META.replace('next_review: 2027-08-01',
                                             f'next_review: {next_review}'))
    result = run('check', '--source', root)
    assert result.code == 0
    assert result.lines == [f'booklet/b/booklet.yaml:6: {severity}: {message}']


def test_overdue_review_is_an_error_with_strict(run, make_root):
    root = root_with(make_root, META.replace('next_review: 2027-08-01', 'next_review: 2026-10-01'))
    result = run('check', '--strict', '--source', root)
    assert result.code == 1
    assert result.lines == ['booklet/b/booklet.yaml:6: error: next review was due on 2026-10-01 '
                            '(51 days ago): review the content and update last_reviewed and '
                            'next_review']


def test_review_period_over_three_years(run, make_root):
    root = root_with(make_root, META.replace('next_review: 2027-08-01', 'next_review: 2030-02-01'))
    result = run('check', '--source', root)
    assert result.lines == ['booklet/b/booklet.yaml:6: warning: review period is 4.0 years (last '
                            'reviewed 2026-02-01, next review 2030-02-01); the longest advised is '
                            '3 years']


def test_long_sentences_and_hard_chapters_are_listed(run, make_root):
    hard = ' '.join(['Osteonecrosis complicates bisphosphonate administration considerably.'] * 30)
    root = root_with(make_root, text=f'# A\n\n{LONG}\n\n{hard}\n')
    result = run('check', '--source', root)
    assert result.code == 0
    assert result.lines[0].startswith('booklet/b/01-a.md:1: warning: reading grade (SMOG) ')
    assert result.lines[1] == ('booklet/b/01-a.md:3: warning: sentence of 28 words (over 25): '
                               '"This sentence is deliberately written to be much…"')
    assert 'Readability (SMOG grade' in result.out and '01-a.md' in result.out


def test_json_output_for_ci(run, make_root):
    root = root_with(make_root, META.replace('next_review: 2027-08-01', 'next_review: 2026-10-01'),
                     text=f'# A\n\n{LONG}\n\n[x](#nowhere)\n')
    result = run('check', '--strict', '--format', 'json', '--source', root)
    assert result.code == 1
    data = json.loads(result.out)
    assert [(e['path'], e['line']) for e in data['errors']] == [('booklet/b/01-a.md', 5)]
    # Reading errors stop the check before governance and readability are judged.
    assert data['readability'] == []
    fixed = root_with(make_root, META.replace('next_review: 2027-08-01', 'next_review: 2026-10-01'),
                      text=f'# A\n\n{LONG}\n')
    data = json.loads(run('check', '--strict', '--format', 'json', '--source', fixed).out)
    assert [e['message'][:20] for e in data['errors']] == ['next review was due ']
    assert [w['line'] for w in data['warnings']] == [3]
    assert data['readability'][0]['path'] == 'booklet/b/01-a.md'
    assert data['readability'][0]['long_sentences'] == 1
