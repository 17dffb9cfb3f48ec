"""Property-based (Hypothesis): any valid metadata and structure builds, and every reference
verifies. Dates 2000-2099 (every month name), titles up to 120 characters, online addresses up
to 100, helplines up to 40, 1 to 30 chapters of 0 to 3,000 words, with the alert card on the
back page.

``make test`` runs a few examples with their text kept short (a build of 30 chapters of 3,000
words takes a minute); ``make fuzz`` runs many, at full size (PRESSROOM_FUZZ_EXAMPLES).
"""

import json
import os
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import build_once

FULL = 'PRESSROOM_FUZZ_EXAMPLES' in os.environ
EXAMPLES = int(os.environ.get('PRESSROOM_FUZZ_EXAMPLES', '2'))
MAX_WORDS = 3000 if FULL else 150
WORDS = ['bone', 'treatment', 'pain', 'your', 'team', 'may', 'help', 'with', 'the', 'cancer',
         'nurse', 'radiotherapy', 'ask', 'about', 'September', 'Llanfairpwllgwyngyll']

dates = st.dates(date(2000, 1, 1), date(2096, 12, 31))
words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=30)
title = st.text(st.characters(codec='ascii', categories=('Lu', 'Ll', 'Nd')), min_size=1,
                max_size=12).flatmap(lambda word: st.lists(st.just(word) | st.sampled_from(WORDS),
                                                           min_size=1, max_size=20)).map(
    lambda parts: ' '.join(parts)[:120].strip() or 'Title')
path = st.text('abcdefghijklmnopqrstuvwxyz0123456789-/', min_size=0, max_size=81)
helpline = st.from_regex(r'0[0-9]{3} [0-9]{3} [0-9]{4}( \((24 hours|Mon to Fri, 9am-5pm)\))?',
                         fullmatch=True).filter(lambda text: len(text) <= 40)


@st.composite
def booklets(draw):
    reviewed = draw(dates)
    following = reviewed + timedelta(days=draw(st.integers(30, 3 * 365)))
    address = 'https://example.org/' + draw(path).strip('/-').replace('//', '/')
    chapters = draw(st.integers(1, 30))
    lengths = [draw(st.integers(0, MAX_WORDS)) for _ in range(chapters)]
    meta = {
        'title': draw(title), 'code': 'PB-01', 'edition': '1st edition',
        'last_reviewed': reviewed.isoformat(), 'next_review': following.isoformat(),
        'helpline': draw(helpline), 'website': 'example.org', 'online_url': address[:100],
        'card': 'alert',
    }
    files = {'booklet/p/booklet.yaml': ''.join(f'{key}: "{value}"\n'
                                               for key, value in meta.items())}
    for number, length in enumerate(lengths, 1):
        other = (number % chapters) + 1
        text = ' '.join(WORDS[(number + index) % len(WORDS)] for index in range(length))
        files[f'booklet/p/{number:02d}-chapter.md'] = (
            f'# Chapter {number} {{#c{number}}}\n\n'
            f'See [chapter {other}](#c{other} "see") and the [alert card](#alert-card "see").'
            f'\n\n{text}\n')
    files.update({
        'cards/alert/card.yaml': 'title: Alert card\nurl: https://example.org/a\n'
                                 'opens: p#c1\n',
        'cards/alert/front.md': 'Get help at once. Call your team: {{ clinic.phone }}\n',
        'cards/alert/back.md': '# Urgent: check this patient\n\nTeam: {{ clinic.name }}\n',
        'cards/alert/clinics.csv': 'id,name,phone\nnorth,North Clinic,0113 496 0001\n',
    })
    return files


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not FULL,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(files=booklets())
def test_any_valid_metadata_and_structure_builds_with_references_verified(files,
                                                                         tmp_path_factory):
    from conftest import write_tree
    root = write_tree(tmp_path_factory.mktemp('property') / 'content', files)
    # (the card prints on the back page of both; its own PDFs are tested elsewhere)
    built = build_once(tmp_path_factory, 'property', root, '--formats', 'booklet,large-print')
    errors = [line for line in built.lines if ': warning: ' not in line]
    assert (built.code, errors) == (0, []), (built.lines, len(files))
    report = json.loads((built.out / 'build-report.json').read_text())
    anchors = {(anchor['variant'], anchor['id']): anchor['page'] for anchor in report['anchors']}
    assert len(report['references']) >= 2 * 2
    for reference in report['references']:
        assert reference['page'] == anchors[(reference['variant'], reference['target'])]
