"""Large print: re-set on A4 at 16 pt or more, its own contents and its own verified references."""

import re

import pdfplumber
import pypdf
import pytest

from conftest import page_texts, report

SLUG = 'secondary-breast-cancer-in-the-bone'
A4 = (595.28, 841.89)


@pytest.fixture(scope='module')
def large(sample):
    return sample / f'{SLUG}-large-print.pdf'


def flat(text):
    return ' '.join(text.split())


def test_a4_pages_tagged_with_language(large):
    reader = pypdf.PdfReader(large)
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4
    root = reader.trailer['/Root']
    assert '/StructTreeRoot' in root and root['/Lang'] == 'en-GB'
    assert bool(root['/MarkInfo']['/Marked'])


def test_every_character_is_at_least_16pt_and_nothing_is_italic(large):
    with pdfplumber.open(large) as pdf:
        chars = [char for page in pdf.pages for char in page.chars]
    assert chars
    assert min(round(char['size'], 2) for char in chars) >= 16
    assert not [char for char in chars if 'Italic' in char['fontname']]


def test_line_spacing_is_at_least_one_and_a_half(large):
    with pdfplumber.open(large) as pdf:
        lines = pdf.pages[2].extract_text_lines()
    body = [line for line in lines if round(line['chars'][0]['size']) == 16]
    gaps = [b['top'] - a['top'] for a, b in zip(body, body[1:]) if 0 < b['top'] - a['top'] < 30]
    assert gaps and min(gaps) >= 16 * 1.5 - 0.5


def test_own_contents_and_references_verified_on_its_pages(sample, large):
    data = report(sample)
    texts = page_texts(large)
    kinds = {output['kind'] for output in data['outputs'] if output['booklet'] == SLUG}
    assert {'booklet', 'booklet-imposed', 'booklet-large-print'} <= kinds
    anchors = {a['id']: a for a in data['anchors'] if a.get('variant') == 'booklet-large-print'}
    standard = {a['id']: a for a in data['anchors'] if a.get('variant') == 'booklet'}
    assert anchors and anchors.keys() == standard.keys()
    assert any(anchors[id]['page'] != standard[id]['page'] for id in anchors)
    for anchor in anchors.values():
        assert flat(anchor['title']) in flat(texts[anchor['pdf_page'] - 1])
    references = [r for r in data['references'] if r.get('variant') == 'booklet-large-print']
    printed = [int(n) for n in re.findall(r'\bpage (\d+)', flat('\n'.join(texts)))]
    assert printed == [r['page'] for r in references
                       if r['form'] in ('see', 'page') and r['target'] != 'alert-card']
    contents = texts[1]
    match = re.search(r'^\s*Symptoms\s*\.{5,}\s*(\d+)\s*$', contents, re.M)
    symptoms = next(a for a in anchors.values() if a['title'] == 'Symptoms')
    assert int(match.group(1)) == symptoms['page']
