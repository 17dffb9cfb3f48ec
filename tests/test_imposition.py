"""The office-printer file: A4 landscape sheets, two A5 pages a side, in saddle-stitch order."""

import re
import subprocess

import pypdf
import pytest

from pressroom.targets.imposition import saddle_stitch_order
from test_booklet_pdf import A5

SLUG = 'secondary-breast-cancer-in-the-bone'


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


def folio(text, pages):
    """The page number printed in a page's footer, or 1 / N for the covers (no footer)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    footer = lines[-1] if lines else ''
    match = re.fullmatch(r'(\d+)\s+Call our Helpline.*|Visit \S+\s+(\d+)', footer)
    if match:
        return int(match.group(1) or match.group(2))
    if 'Secondary breast' in text and 'NL-BONE-07' in text and 'Contents' not in text:
        return 1
    if 'Last reviewed' in text and 'Next planned review' in text:
        return pages
    raise AssertionError(f'no folio in: {text!r}')


def test_imposed_sheets_read_in_saddle_stitch_order(sample):
    booklet = pypdf.PdfReader(sample / f'{SLUG}.pdf')
    pages = len(booklet.pages)
    imposed = sample / f'{SLUG}-imposed.pdf'
    reader = pypdf.PdfReader(imposed)
    assert len(reader.pages) == pages // 2
    for page in reader.pages:
        assert [round(float(v), 1) for v in page.mediabox] == [0, 0, 841.9, 595.3]
    found = [(folio(half_text(imposed, number, True), pages),
              folio(half_text(imposed, number, False), pages))
             for number in range(1, len(reader.pages) + 1)]
    assert found == saddle_stitch_order(pages)


def test_pages_keep_their_trim_size_on_the_sheet(sample):
    import pdfplumber
    with pdfplumber.open(sample / f'{SLUG}-imposed.pdf') as pdf:
        words = pdf.pages[0].extract_words()
    # The cover (right half) starts at the sheet's centre: 148 mm pages, centred on 297 mm.
    cover = next(word for word in words if word['text'] == 'Secondary')
    assert 421 < cover['x0'] < 421 + A5[0]
