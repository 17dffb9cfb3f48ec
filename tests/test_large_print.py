"""Large print: re-set on A4 at 16 pt or more, its own contents and its own verified references.

Checked on the fixture roots (tests/roots/): thirty chapters (a contents list over two pages,
emphasis and raw ``<i>`` that the standard booklet sets in italics, a picture that makes the
large print's page numbers differ), Welsh, a 12-column table and long review dates."""

import functools
import re

import pdfplumber
import pypdf
import pytest

from conftest import ROOTS, booklets_of, page_texts, report

A4 = (595.28, 841.89)
SLUG = 'thirty-chapters'
BOOKLETS = [(name, slug) for name in ('many-chapters', 'welsh', 'wide-table', 'dates')
            for slug in booklets_of(ROOTS / name)]


@pytest.fixture(scope='module', params=BOOKLETS, ids=[f'{n}/{s}' for n, s in BOOKLETS])
def any_large(request, built_root):
    name, slug = request.param
    return built_root(name) / f'{slug}-large-print.pdf', booklets_of(ROOTS / name)[slug]


@pytest.fixture(scope='module')
def built(built_root):
    return built_root('many-chapters')


@pytest.fixture(scope='module')
def large(built):
    return built / f'{SLUG}-large-print.pdf'


def flat(text):
    return ' '.join(text.split())


def test_a4_pages_tagged_with_language(any_large):
    path, meta = any_large
    reader = pypdf.PdfReader(path)
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4
    root = reader.trailer['/Root']
    assert '/StructTreeRoot' in root and root['/Lang'] == meta.get('language', 'en-GB')
    assert bool(root['/MarkInfo']['/Marked'])


@functools.lru_cache
def chars(path):
    """(size, font name, text) of every character of a PDF, read once per session."""
    with pdfplumber.open(path) as pdf:
        return [(char['size'], char['fontname'], char['text'])
                for page in pdf.pages for char in page.chars]


def italic(path):
    return [char for char in chars(path) if 'Italic' in char[1]]


def test_every_character_is_at_least_16pt(any_large):
    path, meta = any_large
    assert chars(path)
    assert min(round(size, 2) for size, _, _ in chars(path)) >= 16


def test_nothing_is_italic(any_large, built):
    assert not italic(any_large[0])
    # ... though the standard booklet sets the raw <i> of thirty-chapters in italics.
    [words] = [a for a in report(built)['anchors']
               if a['variant'] == 'booklet' and a['id'] == 'words-a-to-m']
    with pdfplumber.open(built / f'{SLUG}.pdf') as pdf:
        page = pdf.pages[words['pdf_page'] - 1]
        assert ''.join(c['text'] for c in page.chars if 'Italic' in c['fontname']) == 'prnod'


def test_line_spacing_is_at_least_one_and_a_half(built, large):
    first = next(a for a in report(built)['anchors']
                 if a['variant'] == 'booklet-large-print' and a['id'] == 'about')
    with pdfplumber.open(large) as pdf:
        lines = pdf.pages[first['pdf_page'] - 1].extract_text_lines()
    body = [line for line in lines if round(line['chars'][0]['size']) == 16]
    gaps = [b['top'] - a['top'] for a, b in zip(body, body[1:]) if 0 < b['top'] - a['top'] < 30]
    assert len(gaps) > 5 and min(gaps) >= 16 * 1.5 - 0.5


def test_own_contents_and_references_verified_on_its_pages(built, large):
    data = report(built)
    texts = page_texts(large)
    kinds = {output['kind'] for output in data['outputs'] if output.get('booklet') == SLUG}
    assert {'booklet', 'booklet-imposed', 'booklet-large-print'} <= kinds
    anchors = {a['id']: a for a in data['anchors'] if a.get('variant') == 'booklet-large-print'}
    standard = {a['id']: a for a in data['anchors'] if a.get('variant') == 'booklet'}
    assert anchors and anchors.keys() == standard.keys()
    # Its own page numbers, not the standard booklet's, and not only for the back page.
    assert any(anchors[id]['page'] != standard[id]['page'] for id in anchors if id != 'alert-card')
    for anchor in anchors.values():
        assert flat(anchor['title']) in flat(texts[anchor['pdf_page'] - 1])
    references = [r for r in data['references'] if r.get('variant') == 'booklet-large-print']
    assert len(references) >= 60
    printed = [int(n) for n in re.findall(r'\bpage (\d+)', flat('\n'.join(texts)))]
    # (The alert card too: in large print it has a page of its own, named by its number.)
    assert printed == [r['page'] for r in references if r['form'] in ('see', 'page')]
    # Every chapter is listed with its large-print page, on contents pages before the first one.
    contents = '\n'.join(texts[1:anchors['about']['pdf_page'] - 1])
    assert texts[1].strip().startswith('Contents')
    # (The alert card is listed too, with its page: tests/test_back_matter.py.)
    chapters = [a for a in anchors.values() if a['id'] != 'alert-card' and re.search(
        rf'^\s*{re.escape(a["title"])}\s*\.{{5,}}', contents, re.M)]
    assert len(chapters) == 30
    for anchor in chapters:
        match = re.search(rf'^\s*{re.escape(anchor["title"])}\s*\.{{5,}}\s*(\d+)\s*$', contents,
                          re.M)
        assert int(match.group(1)) == anchor['page'], anchor
