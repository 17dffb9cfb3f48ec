"""The alert card on the standard booklet's back page, measured on the built PDFs: a dashed cut
line with scissors and a lighter dotted fold line labelled "fold"; nothing to read on the page
behind the card (its area mirrored, as the sheet turns over); a verified pointer to the page of
the heading its QR code opens, in large print too, where the card stays on one page."""

import re
import subprocess

import pdfplumber
import pypdf
import pytest
import yaml
from PIL import Image

from conftest import META, PROJECT, page_texts, report, write_tree
from test_cards import card_files
from test_roots import flat, folio
from test_tagged_pdf import structure

SLUG = 'secondary-breast-cancer-in-the-bone'
CARD = PROJECT / 'cards/spinal-cord-compression/card.yaml'
MM = 72 / 25.4  # PDF points per millimetre
DPI = 300
POINTER = re.compile(r'More about this: see page (\d+) of this booklet\.')
# The two booklets of the fixture roots with a card whose last page of text would lie behind it
# (card-dates) or that already end on Notes pages (thirty-chapters), and the sample.
WITH_CARDS = [('dates', 'card-dates'), ('many-chapters', 'thirty-chapters'), (None, SLUG)]


def booklet_pdf(sample, built_root, root, slug):
    """The standard PDF of ``slug``: the sample's, or that of a fixture root's booklet."""
    if root is None:
        return sample / f'{slug}.pdf'
    built = built_root(root)
    assert built.code == 0, built.err
    return built / f'{slug}.pdf'


def cut_line(page):
    """The dashed lines around the card: (the box where scissors cut, in points; the lines)."""
    dashed = [line for line in page.lines if line.get('dash') and line['dash'][0]]
    across = [line['x0'] for line in dashed if line['x0'] == line['x1']]  # vertical sides
    down = [line['top'] for line in dashed if line['top'] == line['bottom']]  # horizontal sides
    return (min(across), min(down), max(across), max(down)), dashed


def overlap(a, b):
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 * MM and \
        min(a[3], b[3]) - max(a[1], b[1]) > 0.5 * MM


def row_runs(image, y, x0, x1, ink=200):
    """The runs of ink along pixel row ``y`` between ``x0`` and ``x1``: (length px, darkest)."""
    runs, length, darkest = [], 0, 255
    for x in range(x0, x1):
        value = image.getpixel((x, y))
        if value < ink:
            length, darkest = length + 1, min(darkest, value)
        elif length:
            runs.append((length, darkest))
            length, darkest = 0, 255
    return runs + ([(length, darkest)] if length else [])


def inked_row(image, top, bottom, x0, x1):
    """The pixel row between ``top`` and ``bottom`` with the most ink: a line, not text."""
    return max(range(top, bottom), key=lambda y: sum(n for n, _ in row_runs(image, y, x0, x1)))


@pytest.fixture(scope='module')
def back_page(sample, tmp_path_factory):
    """The standard booklet's back page: (pdfplumber page, grey raster at DPI)."""
    path = sample / f'{SLUG}.pdf'
    folder = tmp_path_factory.mktemp('back-page')
    pdf = pdfplumber.open(path)
    number = len(pdf.pages)
    subprocess.run(['pdftoppm', '-png', '-r', str(DPI), '-f', str(number), '-l', str(number),
                    str(path), str(folder / 'page')], check=True)
    [png] = folder.glob('page*.png')
    yield pdf.pages[-1], Image.open(png).convert('L')
    pdf.close()


def test_the_cut_line_is_dashed_dark_and_true_size(back_page):
    page, _ = back_page
    (left, top, right, bottom), dashed = cut_line(page)
    assert len(dashed) == 4
    width, height = (float(side) for side in
                     yaml.safe_load(CARD.read_text())['size'].removesuffix('mm').split('x'))
    # Around both faces, one above the other: 85 × 110 mm (and the line's own width).
    assert (right - left) / MM == pytest.approx(width, abs=0.5)
    assert (bottom - top) / MM == pytest.approx(2 * height, abs=0.5)
    for line in dashed:
        assert max(line['stroking_color']) < 0.2 and line['linewidth'] >= 0.9


def test_scissors_sit_at_the_start_of_the_cut_line(back_page, sample):
    page, _ = back_page
    (left, top, _, _), _ = cut_line(page)
    # The scissors are drawn (the booklet's font has no ✂): two finger loops just left of the
    # card's top left corner, centred on the top cut line, none of it on the card.
    loops = [curve for curve in page.curves if curve['x1'] <= left + 0.5 and
             curve['x0'] >= left - 8 * MM and abs((curve['top'] + curve['bottom']) / 2 - top)
             < 2 * MM and curve['stroke']]
    assert len(loops) == 2
    reader = pypdf.PdfReader(sample / f'{SLUG}.pdf')
    figures = [str(element.get('/Alt', '')) for element in
               structure(reader.trailer['/Root']['/StructTreeRoot'], [])
               if element['/S'] == '/Figure']
    assert 'Scissors: cut here' in figures


def test_the_fold_line_is_dotted_lighter_and_labelled_fold(back_page):
    page, image = back_page
    (left, top, right, bottom), _ = cut_line(page)
    px = DPI / 72  # pixels per point
    x0, x1 = round((left + 5 * MM) * px), round((right - 5 * MM) * px)
    middle = (top + bottom) / 2
    fold = inked_row(image, round((middle - 1 * MM) * px), round((middle + 1 * MM) * px), x0, x1)
    cut = inked_row(image, round((top - 1 * MM) * px), round((top + 1 * MM) * px), x0, x1)
    fold_runs, cut_runs = row_runs(image, fold, x0, x1), row_runs(image, cut, x0, x1)
    # Dots less than half a millimetre long, several to each dash of the cut line (~1.4 mm).
    assert max(n for n, _ in fold_runs) < 0.5 * MM * px
    assert min(n for n, _ in cut_runs[1:-1]) > 1.0 * MM * px
    assert len(fold_runs) > 2 * len(cut_runs)
    # Lighter: its darkest pixel is far from the cut line's near-black.
    assert min(d for _, d in fold_runs) > min(d for _, d in cut_runs) + 60
    # No dashed line runs along the fold.
    assert all(abs(line['top'] - middle) > 2 * MM for line in cut_line(page)[1]
               if line['top'] == line['bottom'])
    # The word "fold" in small type beside it, outside the card.
    [label] = [word for word in page.extract_words(extra_attrs=['size'])
               if word['text'] == 'fold' and top < word['top'] < bottom]
    assert abs((label['top'] + label['bottom']) / 2 - fold / px) < 1.5 * MM
    assert right < label['x0'] < right + 8 * MM and label['size'] < 12


def test_the_help_text_says_what_to_cut_and_what_to_fold(sample):
    back = flat(page_texts(sample / f'{SLUG}.pdf')[-1])
    assert 'Cut along the dashed line with the scissors, fold along the line marked “fold”' \
        in back


@pytest.mark.parametrize('root, slug', WITH_CARDS, ids=[slug for _, slug in WITH_CARDS])
def test_nothing_to_read_is_printed_behind_the_card(sample, built_root, root, slug, tmp_path):
    path = booklet_pdf(sample, built_root, root, slug)
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        assert pages % 4 == 0
        back, behind = pdf.pages[-1], pdf.pages[-2]
        (left, top, right, bottom), _ = cut_line(back)
        # The sheet turns over on its vertical axis: x mirrored, y the same.
        area = (float(back.width) - right, top, float(back.width) - left, bottom)
        assert overlap(area, (left, top, right, bottom))  # a real area, on the page
        printed = [char for char in behind.chars if overlap(area, (
            char['x0'], char['top'], char['x1'], char['bottom']))]
        assert printed == [], ''.join(char['text'] for char in printed)
        assert [image for image in behind.images
                if overlap(area, (image['x0'], image['top'], image['x1'], image['bottom']))] == []
    # Whatever else is drawn there is ruled lines only (a Notes page's writing lines): every
    # row of pixels in that area is blank or inked from side to side.
    subprocess.run(['pdftoppm', '-png', '-r', '150', '-f', str(pages - 1), '-l', str(pages - 1),
                    str(path), str(tmp_path / 'behind')], check=True)
    [png] = tmp_path.glob('behind*.png')
    image, px = Image.open(png).convert('L'), 150 / 72
    x0, x1 = round(area[0] * px), round(area[2] * px)
    rows = [sum(n for n, _ in row_runs(image, y, x0, x1)) / (x1 - x0)
            for y in range(round(area[1] * px), round(area[3] * px))]
    assert [round(row, 2) for row in rows if 0 < row < 0.98] == []


def test_the_sample_ends_on_notes_pages_behind_the_card(sample):
    texts = page_texts(sample / f'{SLUG}.pdf')
    # Its chapters end on page 47 and its back matter (sources, feedback, who we are) fills
    # page 48: three Notes pages follow, the last of them behind the card.
    assert [number for number, text in enumerate(texts, 1)
            if text.strip().startswith('Notes')] == [49, 50, 51]
    assert len(texts) == 52


def words(text):
    """The words of four letters or more in ``text``, in lower case (a word broken at its hyphen
    at the end of a line is two words either way)."""
    return {word.lower() for word in re.findall(r'[A-Za-z]{4,}', text)}


def heading_page(texts, title):
    """The folio of the one page holding ``title`` as a line of its own (a heading)."""
    [page] = [text for text in texts
              if any(line.strip() == title for line in text.splitlines())]
    return folio(page)


@pytest.mark.parametrize('suffix', ['', '-large-print'])
def test_the_card_points_to_the_page_of_the_heading_its_code_opens(sample, suffix):
    texts = page_texts(sample / f'{SLUG}{suffix}.pdf')
    pointers = [(number, int(match.group(1))) for number, text in enumerate(texts, 1)
                for match in POINTER.finditer(flat(text))]
    # The sample's code is a short address: 'opens' names the section it leads to.
    settings = yaml.safe_load(CARD.read_text())
    fragment = settings['opens'].split('#')[1]
    [anchor] = [anchor for anchor in report(sample)['anchors'] if anchor['id'] == fragment and
                anchor['variant'] == f'booklet{suffix}']
    [(number, page)] = pointers
    assert page == heading_page(texts, anchor['title']) == anchor['page']
    card_page = [anchor for anchor in report(sample)['anchors'] if anchor['id'] == 'alert-card'
                 and anchor['variant'] == f'booklet{suffix}'][0]['pdf_page']
    assert number == card_page
    # Verified and reported like any reference, at the card's 'opens' line.
    line = next(number for number, text in enumerate(CARD.read_text().splitlines(), 1)
                if text.startswith('opens:'))
    [reference] = [ref for ref in report(sample)['references']
                   if ref['source'] == f'cards/spinal-cord-compression/card.yaml:{line}'
                   and ref['variant'] == f'booklet{suffix}']
    assert (reference['target'], reference['page']) == (fragment, page)


def test_the_standalone_cards_have_no_pointer(sample):
    for path in [sample / 'cards/spinal-cord-compression.pdf',
                 sample / 'cards/spinal-cord-compression-sheet.pdf']:
        assert 'More about this' not in flat(' '.join(page_texts(path)))


def test_large_print_keeps_the_card_and_its_pointer_on_one_page(sample):
    path = sample / f'{SLUG}-large-print.pdf'
    texts = page_texts(path)
    [number] = [anchor['pdf_page'] for anchor in report(sample)['anchors']
                if anchor['id'] == 'alert-card' and anchor['variant'] == 'booklet-large-print']
    # Every word of both faces is on the card's page, and the pointer is there too.
    faces = re.sub(r'\{\{.*?\}\}', ' ', ' '.join(
        (CARD.parent / name).read_text(encoding='utf-8') for name in ('front.md', 'back.md')))
    card = flat(texts[number - 1])
    assert words(faces) - words(card) == set()
    assert [n for n, text in enumerate(texts, 1) if 'More about this' in flat(text)] == [number]
    assert 'Cut along' not in card and 'fold' not in card.split()
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[number - 1]
        # A readable copy in a solid frame: no cut line.
        assert not [line for line in page.lines if line.get('dash') and line['dash'][0]]
        printed = page.extract_words(extra_attrs=['size'])
        start = next(i for i, word in enumerate(printed)
                     if [w['text'] for w in printed[i:i + 2]] == ['More', 'about'])
        assert all(word['size'] > 15.9 for word in printed[start:start + 8])  # 16 pt


def test_no_pointer_when_the_booklet_lacks_the_heading_the_code_opens(tmp_path, run):
    # The code opens the web edition's card section: no heading of the booklet has that id.
    card = card_files(card='title: Test alert card\nurl: https://test.example.org/booklet#'
                           'alert-card\n')
    root = write_tree(tmp_path / 'content', {
        'booklet/b/booklet.yaml': META + 'card: test-card\n',
        'booklet/b/01-a.md': '# A\n\n## Spinal cord\n\nText.\n', **card})
    assert run('--source', root, '--out', tmp_path / 'out', '-q', '--formats', 'booklet').code == 0
    assert 'More about this' not in flat(' '.join(page_texts(tmp_path / 'out/b.pdf')))


def test_text_behind_the_card_is_an_error_at_the_card_key(tmp_path, run):
    """A content root's stylesheet that moves a Notes page's title down behind the card."""
    css = (PROJECT / 'styles/booklet.css').read_text() + (
        '\n.notes-title { margin: 60mm 0 0 40mm; }\n.notes-lines { display: none; }\n')
    root = write_tree(tmp_path / 'content', {
        'booklet/b/booklet.yaml': META + 'card: test-card\n', 'styles/booklet.css': css,
        'booklet/b/01-a.md': '# A\n\n## Spinal cord {#scc}\n\nText.\n',
        'booklet/b/02-b.md': '# B\n\nMore text.\n', **card_files()})
    result = run('--source', root, '--out', tmp_path / 'out', '-q', '--formats', 'booklet')
    assert result.code == 1
    line = len(META.splitlines()) + 1
    assert result.lines == [
        f"booklet/b/booklet.yaml:{line}: error: page 7, behind the alert card, prints 'Notes' "
        'where the card is cut out of the back page, so cutting the card out would lose it: '
        'keep that part of the page blank or ruled']
