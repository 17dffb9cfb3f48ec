"""The standard booklet is a tagged PDF/UA-1: what a screen reader needs is in the file.

Checked on the fixture roots (tests/roots/): thirty chapters with every kind of block, Welsh
(``language: cy``), a 12-column table, and two booklets with long dates and addresses."""

from collections import Counter

import pypdf
import pytest

from conftest import ROOTS, booklets_of

BOOKLETS = [(name, slug) for name in ('many-chapters', 'welsh', 'wide-table', 'dates')
            for slug in booklets_of(ROOTS / name)]


def structure(node, found):
    """Every structure element under ``node``, in reading order."""
    node = node.get_object() if hasattr(node, 'get_object') else node
    if hasattr(node, 'keys'):
        if '/S' in node:
            found.append(node)
        kids = node.get('/K')
        if kids is not None:
            kids = kids.get_object() if hasattr(kids, 'get_object') else kids
            for kid in (kids if isinstance(kids, list) else [kids]):
                structure(kid, found)
    return found


@pytest.fixture(scope='module', params=BOOKLETS, ids=[f'{n}/{s}' for n, s in BOOKLETS])
def tagged(request, built_root):
    name, slug = request.param
    reader = pypdf.PdfReader(built_root(name) / f'{slug}.pdf')
    root = reader.trailer['/Root']
    return reader, root, structure(root['/StructTreeRoot'], []), booklets_of(ROOTS / name)[slug]


@pytest.fixture(scope='module')
def thirty(built_root):
    """Thirty chapters holding every kind of block, the picture and the card's QR code."""
    reader = pypdf.PdfReader(built_root('many-chapters') / 'thirty-chapters.pdf')
    return structure(reader.trailer['/Root']['/StructTreeRoot'], [])


def test_catalog_says_tagged_with_language_and_title(tagged):
    reader, root, _, meta = tagged
    assert bool(root['/MarkInfo']['/Marked'])
    assert root['/Lang'] == meta.get('language', 'en-GB')
    assert bool(root['/ViewerPreferences']['/DisplayDocTitle'])
    assert reader.metadata.title == meta['title']
    assert b'pdfuaid' in reader.trailer['/Root']['/Metadata'].get_object().get_data()
    assert reader.outline  # bookmarks


def test_structure_has_headings_lists_tables_figures_links(thirty):
    elements = thirty
    kinds = Counter(str(element['/S']) for element in elements)
    for kind in ('/H1', '/H2', '/H3', '/P', '/L', '/LI', '/Table', '/TH', '/TD', '/Figure',
                 '/Link'):
        assert kinds[kind] > 0, kind


def test_every_figure_has_alt_text(thirty, tagged):
    figures = [element for element in thirty if element['/S'] == '/Figure']
    assert len(figures) >= 2  # the diagram and the QR code on the back page
    for elements in (thirty, tagged[2]):
        for figure in [element for element in elements if element['/S'] == '/Figure']:
            assert str(figure.get('/Alt', '')).strip()


def test_heading_levels_never_skip(tagged):
    elements = tagged[2]
    levels = [int(str(element['/S'])[2:]) for element in elements
              if str(element['/S']) in ('/H1', '/H2', '/H3', '/H4', '/H5', '/H6')]
    assert levels[0] == 1
    for previous, level in zip(levels, levels[1:]):
        assert level <= previous + 1, levels


def test_an_image_without_alt_in_raw_html_is_a_build_error(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n\n<img src="dot.svg">\n',
                      'booklet/b/dot.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="4" '
                                           'height="4"><rect width="4" height="4"/></svg>'})
    result = run('--source', root, '--out', tmp_path / 'out')
    assert result.code == 1
    # Raw HTML images are checked like Markdown ones, at their line, before any layout.
    assert result.lines == ["booklet/b/01-a.md:3: error: image 'dot.svg' has no alt text: "
                            'describe it in ![...](dot.svg)']
