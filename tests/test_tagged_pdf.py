"""The standard booklet is a tagged PDF/UA-1: what a screen reader needs is in the file."""

from collections import Counter

import pypdf
import pytest

SLUG = 'secondary-breast-cancer-in-the-bone'


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


@pytest.fixture(scope='module')
def tagged(sample):
    reader = pypdf.PdfReader(sample / f'{SLUG}.pdf')
    root = reader.trailer['/Root']
    return reader, root, structure(root['/StructTreeRoot'], [])


def test_catalog_says_tagged_with_language_and_title(tagged):
    reader, root, _ = tagged
    assert bool(root['/MarkInfo']['/Marked'])
    assert root['/Lang'] == 'en-GB'
    assert bool(root['/ViewerPreferences']['/DisplayDocTitle'])
    assert reader.metadata.title == 'Secondary breast cancer in the bone'
    assert b'pdfuaid' in reader.trailer['/Root']['/Metadata'].get_object().get_data()
    assert reader.outline  # bookmarks


def test_structure_has_headings_lists_tables_figures_links(tagged):
    _, _, elements = tagged
    kinds = Counter(str(element['/S']) for element in elements)
    for kind in ('/H1', '/H2', '/H3', '/P', '/L', '/LI', '/Table', '/TH', '/TD', '/Figure',
                 '/Link'):
        assert kinds[kind] > 0, kind


def test_every_figure_has_alt_text(tagged):
    _, _, elements = tagged
    figures = [element for element in elements if element['/S'] == '/Figure']
    assert len(figures) >= 2  # the diagram and the QR code on the back page
    for figure in figures:
        assert str(figure.get('/Alt', '')).strip()


def test_heading_levels_never_skip(tagged):
    _, _, elements = tagged
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
