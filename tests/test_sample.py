"""The repository's own sample booklet: builds, covers the reference's sections, own words.

The only tests that build the sample (once, the ``sample`` fixture) or depend on its wording and
structure; generic checks of every format run on the fixture roots in tests/roots/."""

import re
import subprocess

import pytest

from conftest import PROJECT, page_texts, report

SLUG = 'secondary-breast-cancer-in-the-bone'
SEEDS = PROJECT.parent / 'shared' / 'seeds'


def flat(text):
    return ' '.join(text.split())


@pytest.fixture(scope='module')
def texts(sample):
    return page_texts(sample / f'{SLUG}.pdf')


def test_sample_has_at_least_twelve_verified_references(sample, texts):
    data = report(sample)
    references = [ref for ref in data['references']
                  if ref['booklet'] == SLUG and ref['variant'] == 'booklet']
    assert len(references) >= 12
    # Editors never type page numbers: every "page N" in the booklet comes from a reference.
    # (The contents list the card on the "back page", whose next line is a footer's number.)
    printed = [int(number) for number in re.findall(r'(?<!back )\bpage (\d+)',
                                                    flat('\n'.join(texts)))]
    assert printed == [ref['page'] for ref in references
                       if ref['form'] in ('see', 'page') and ref['target'] != 'alert-card']
    # The alert card is on the back page, and the booklet says so rather than giving a number.
    to_card = [ref for ref in references if ref['target'] == 'alert-card']
    assert to_card and all(ref['page'] == len(texts) for ref in to_card)
    assert flat('\n'.join(texts)).count('(see the back page)') == len(to_card)
    assert 'URGENT: SUSPECTED SPINAL CORD COMPRESSION' in flat(texts[-1])
    anchors = {anchor['id']: anchor for anchor in data['anchors'] if anchor['variant'] == 'booklet'}
    for ref in references:
        assert ref['page'] == anchors[ref['target']]['page']


def test_sample_is_the_52_pages_the_readme_says(sample, texts):
    assert len(texts) == 52
    assert 'builds to 52 pages' in ' '.join((PROJECT / 'README.md').read_text().split())


def test_every_heading_is_on_the_page_the_report_gives(sample, texts):
    anchors = [anchor for anchor in report(sample)['anchors']
               if anchor['booklet'] == SLUG and anchor['variant'] == 'booklet']
    assert len(anchors) > 50
    for anchor in anchors:
        assert flat(anchor['title']) in flat(texts[anchor['pdf_page'] - 1]), anchor


def test_sample_covers_every_section_of_the_reference(sample):
    ids = {anchor['id'] for anchor in report(sample)['anchors']}
    for id in ('spinal-cord-compression', 'hypercalcaemia', 'bone-strengthening', 'mri-scan',
               'kidneys', 'surgery', 'targeted-therapy', 'hormone-therapy', 'bone-marrow',
               'managing-symptoms', 'tests'):
        assert id in ids
    titles = ' '.join(anchor['title'].lower() for anchor in report(sample)['anchors'])
    for words in ('osteo', 'lytic', 'symptoms', 'immunotherapy', 'chemotherapy', 'radiotherapy',
                  'spinal procedures', 'clinical trials', 'palliative', 'pregnan', 'pain',
                  'fracture', 'fatigue', 'blood clots', 'physical activity', 'coping', 'support'):
        assert words in titles, words


def test_every_pdf_of_the_sample_passes_qpdf_with_fonts_embedded(sample):
    pdfs = sorted(sample.rglob('*.pdf'))
    assert len(pdfs) >= 20
    assert len(pdfs) == sum(entry['path'].endswith('.pdf') for entry in report(sample)['outputs'])
    for path in pdfs:
        subprocess.run(['qpdf', '--check', str(path)], check=True, capture_output=True)
        listing = subprocess.run(['pdffonts', str(path)], capture_output=True, text=True,
                                 check=True).stdout.splitlines()[2:]
        assert all(line.split()[-5] == 'yes' for line in listing), path


def words(text):
    text = text.replace('’', "'").replace('‘', "'")
    return re.findall(r"[a-z0-9']+", text.lower())


@pytest.mark.skipif(not SEEDS.is_dir(), reason='reference texts not beside the repository')
def test_sample_is_in_our_own_words():
    """No run of 12 or more words is shared with the reference texts."""
    size = 12
    grams = set()
    for seed in SEEDS.glob('*.txt'):
        seq = words(seed.read_text(encoding='utf-8'))
        grams.update(tuple(seq[i:i + size]) for i in range(len(seq) - size + 1))
    copied = []
    for path in sorted((PROJECT / 'booklet').rglob('*.md')) + sorted((PROJECT / 'cards').rglob('*.md')):
        seq = words(re.sub(r'\]\([^)]*\)|\{[^}]*\}', ' ', path.read_text(encoding='utf-8')))
        copied += [f'{path.name}: {" ".join(seq[i:i + size])}'
                   for i in range(len(seq) - size + 1) if tuple(seq[i:i + size]) in grams]
    assert copied == []
