"""The office-printer file: A4 landscape sheets, two A5 pages a side, in saddle-stitch order.

Read on the fixture roots (tests/roots/): thirty chapters (48 pages, 12 sheets) and Welsh (8)."""

import re
import subprocess

import pypdf
import pytest

from conftest import ROOTS, booklets_of
from pressroom.targets.imposition import saddle_stitch_order
from test_booklet_pdf import A5

BOOKLETS = [('many-chapters', 'thirty-chapters'), ('welsh', 'byw-gyda-thriniaeth')]


def test_order_for_eight_pages():
    assert saddle_stitch_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    with pytest.raises(ValueError):
        saddle_stitch_order(10)


def half_text(pdf, page, left):
    width = 842  # A4 landscape, points
    x = 0 if left else width // 2
    return subprocess.run(['pdftotext', '-layout', '-f', str(page), '-l', str(page), '-x', str(x),
                           '-y', '0', '-W', str(width // 2), '-H', '595', str(pdf), '-'],
                          capture_output=True, text=True, check=True).stdout


def folio(text, pages, meta):
    """The page number printed in a page's footer, or 1 / N for the covers (no footer)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    footer = lines[-1] if lines else ''
    match = re.fullmatch(r'(\d+)\s+Call our Helpline.*|Visit \S+\s+(\d+)', footer)
    if match:
        return int(match.group(1) or match.group(2))
    title = meta['title'].split()
    if title[0] in text and title[-1] in text and meta['code'] in text \
            and 'Contents' not in text:
        return 1
    if 'Last reviewed' in text and 'Next planned review' in text:
        return pages
    raise AssertionError(f'no folio in: {text!r}')


@pytest.mark.parametrize('name, slug', BOOKLETS)
def test_imposed_sheets_read_in_saddle_stitch_order(built_root, name, slug):
    built, meta = built_root(name), booklets_of(ROOTS / name)[slug]
    booklet = pypdf.PdfReader(built / f'{slug}.pdf')
    pages = len(booklet.pages)
    imposed = built / f'{slug}-imposed.pdf'
    reader = pypdf.PdfReader(imposed)
    assert len(reader.pages) == pages // 2
    for page in reader.pages:
        assert [round(float(v), 1) for v in page.mediabox] == [0, 0, 841.9, 595.3]
    found = [(folio(half_text(imposed, number, True), pages, meta),
              folio(half_text(imposed, number, False), pages, meta))
             for number in range(1, len(reader.pages) + 1)]
    assert found == saddle_stitch_order(pages)


def test_pages_keep_their_trim_size_on_the_sheet(built_root):
    import pdfplumber
    name, slug = BOOKLETS[0]
    with pdfplumber.open(built_root(name) / f'{slug}-imposed.pdf') as pdf:
        words = pdf.pages[0].extract_words()
    # The cover (right half) starts at the sheet's centre: 148 mm pages, centred on 297 mm.
    cover = next(word for word in words
                 if word['text'] == booklets_of(ROOTS / name)[slug]['title'].split()[0])
    assert 421 < cover['x0'] < 421 + A5[0]
