"""The commercial printer's file: PDF/X-4, 3 mm bleed, crop marks outside it, CMYK only.

Checked on the fixture roots (tests/roots/): thirty chapters (tables, a picture, a card), and
every PDF that every root builds."""

import subprocess

import pikepdf
import pytest

from conftest import report
from pressroom.targets.press import MM
from test_booklet_pdf import A5

NAME, SLUG, CARD = 'many-chapters', 'thirty-chapters', 'thirty-chapters-card'
ROOTS_BUILT = ['many-chapters', 'dates', 'wide-table', 'welsh']
COLOUR_OPERATORS = {'rg', 'RG', 'k', 'K', 'g', 'G', 'sc', 'SC', 'scn', 'SCN', 'cs', 'CS'}


@pytest.fixture(scope='module')
def built(built_root):
    return built_root(NAME)


@pytest.fixture(scope='module')
def press(built):
    return built / f'{SLUG}-print.pdf'


def test_boxes_trim_bleed_and_room_for_marks(press):
    pdf = pikepdf.open(press)
    for page in pdf.pages:
        trim = [float(v) for v in page.obj.TrimBox]
        bleed = [float(v) for v in page.obj.BleedBox]
        media = [float(v) for v in page.obj.MediaBox]
        assert trim[2] - trim[0] == pytest.approx(A5[0], abs=0.01)
        assert trim[3] - trim[1] == pytest.approx(A5[1], abs=0.01)
        for side in range(4):
            sign = -1 if side < 2 else 1
            assert (bleed[side] - trim[side]) * sign == pytest.approx(3 * MM, abs=0.01)
            assert (media[side] - bleed[side]) * sign >= 8 * MM


def test_output_intent_and_pdfx4_metadata(press):
    pdf = pikepdf.open(press)
    [intent] = pdf.Root.OutputIntents
    assert intent.S == '/GTS_PDFX'
    profile = intent.DestOutputProfile
    assert int(profile.N) == 4 and profile.read_bytes()[16:20] == b'CMYK'
    metadata = pdf.Root.Metadata.read_bytes()
    assert b'PDF/X-4' in metadata


def content_streams(pdf):
    for page in pdf.pages:
        yield page.obj
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get('/Subtype') == '/Form':
            yield obj


def test_only_cmyk_and_grey_colour_operators(press):
    pdf = pikepdf.open(press)
    seen = set()
    for stream in content_streams(pdf):
        for operands, operator in pikepdf.parse_content_stream(stream):
            name = str(operator)
            if name in COLOUR_OPERATORS:
                seen.add(name)
                assert name not in ('rg', 'RG'), 'RGB colour operator'
                if name in ('cs', 'CS'):
                    space = str(operands[0])
                    assert space in ('/DeviceCMYK', '/DeviceGray', '/device-cmyk', '/Pattern'), space
                if name in ('sc', 'SC', 'scn', 'SCN') and operands and \
                        not isinstance(operands[-1], pikepdf.Name):
                    assert len(operands) in (1, 4), operands
    assert {'k', 'K'} & seen or {'cs', 'scn'} <= seen
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get('/Subtype') == '/Image':
            assert obj.get('/ColorSpace') not in ('/DeviceRGB',), 'RGB image'


def test_crop_marks_lie_outside_the_bleed(press):
    import pdfplumber
    pdf = pikepdf.open(press)
    bleed = [float(v) for v in pdf.pages[1].obj.BleedBox]
    with pdfplumber.open(press) as document:
        page = document.pages[1]
        marks = [line for line in page.lines if line['linewidth'] <= 0.3]
        assert len(marks) == 8
        for mark in marks:
            # pdfplumber keeps x; its "top" counts down from the page's height.
            x0, x1 = mark['x0'], mark['x1']
            y0, y1 = page.height - mark['bottom'], page.height - mark['top']
            outside = x1 <= bleed[0] or x0 >= bleed[2] or y1 <= bleed[1] or y0 >= bleed[3]
            assert outside, (mark, bleed)
            # ... and they sit on the trim lines.
            on_trim = [abs(x0), abs(x0 - A5[0]), abs(y0), abs(y0 - A5[1])]
            assert min(on_trim) < 0.05, mark


def test_the_cover_colour_runs_into_the_bleed(press, tmp_path):
    subprocess.run(['pdftoppm', '-r', '50', '-f', '1', '-l', '1', '-png', '-singlefile',
                    str(press), str(tmp_path / 'cover')], check=True)
    from PIL import Image
    image = Image.open(tmp_path / 'cover.png').convert('RGB')
    scale = 50 / 72
    # A point 1.5 mm outside the trim, inside the bleed: cover colour, not white.
    x = int((15 * MM - 1.5 * MM) * scale)
    y = int((15 * MM + 50 * MM) * scale)
    assert sum(image.getpixel((x, y))) < 300


@pytest.mark.parametrize('suffix', ['', '-print', '-imposed', '-large-print'])
def test_every_variant_passes_qpdf_and_embeds_fonts(built, suffix):
    path = built / f'{SLUG}{suffix}.pdf'
    subprocess.run(['qpdf', '--check', str(path)], check=True, capture_output=True)
    listing = subprocess.run(['pdffonts', str(path)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    assert listing and all(line.split()[-5] == 'yes' for line in listing)


@pytest.fixture(scope='module')
def card_press(built):
    return built / 'cards' / f'{CARD}-sheet-print.pdf'


def test_card_print_sheet_has_bleed_boxes_intent_and_only_cmyk(built, card_press):
    from pressroom.targets.sheets import A4, grid
    entries = {entry['path']: entry for entry in report(built)['outputs']}
    assert entries[f'cards/{CARD}-sheet-print.pdf']['kind'] == 'card-sheet-print'
    pdf = pikepdf.open(card_press)
    assert len(pdf.pages) == 2
    columns, rows, left, bottom = grid(85, 55, 3)
    assert columns * rows == 10
    for page in pdf.pages:
        media = [float(v) for v in page.obj.MediaBox]
        trim = [float(v) for v in page.obj.TrimBox]
        bleed = [float(v) for v in page.obj.BleedBox]
        assert media == pytest.approx([0, 0, A4[0] * MM, A4[1] * MM], abs=0.01)
        assert trim == pytest.approx([left * MM, bottom * MM, (left + 170) * MM,
                                      (bottom + 275) * MM], abs=0.01)
        assert [b - t for b, t in zip(bleed, trim)] == pytest.approx(
            [-3 * MM, -3 * MM, 3 * MM, 3 * MM], abs=0.01)
    [intent] = pdf.Root.OutputIntents
    assert intent.S == '/GTS_PDFX' and b'PDF/X-4' in pdf.Root.Metadata.read_bytes()
    for stream in content_streams(pdf):
        for operands, operator in pikepdf.parse_content_stream(stream):
            assert str(operator) not in ('rg', 'RG')
            if str(operator) in ('cs', 'CS'):
                assert str(operands[0]) in ('/DeviceCMYK', '/DeviceGray', '/device-cmyk',
                                            '/Pattern')
    subprocess.run(['qpdf', '--check', str(card_press)], check=True, capture_output=True)


def test_card_print_sheet_marks_outside_the_bleed_and_codes_scan(card_press):
    import pdfplumber
    import zxingcpp
    from PIL import Image
    pdf = pikepdf.open(card_press)
    bleed = [float(v) for v in pdf.pages[0].obj.BleedBox]
    with pdfplumber.open(card_press) as document:
        page = document.pages[0]
        marks = [line for line in page.lines if line['linewidth'] <= 0.3]
        assert len(marks) == 2 * 3 + 2 * 6
        for mark in marks:
            x0, x1 = mark['x0'], mark['x1']
            y0, y1 = page.height - mark['bottom'], page.height - mark['top']
            assert x1 <= bleed[0] or x0 >= bleed[2] or y1 <= bleed[1] or y0 >= bleed[3], mark
    # (the QR code is on the cards' front, the patient's face)
    prefix = card_press.parent / 'sheet-print-front'
    subprocess.run(['pdftoppm', '-r', '300', '-f', '1', '-l', '1', '-png', '-singlefile',
                    str(card_press), str(prefix)], check=True)
    codes = [r.text for r in zxingcpp.read_barcodes(Image.open(f'{prefix}.png'))]
    assert len(codes) == 10 and len(set(codes)) == 1
    prefix.with_suffix('.png').unlink()


@pytest.mark.parametrize('name', ROOTS_BUILT)
def test_every_pdf_of_every_root_passes_qpdf_with_fonts_embedded(built_root, name):
    built = built_root(name)
    pdfs = sorted(built.out.rglob('*.pdf'))
    assert len(pdfs) >= 4 and len(pdfs) == sum(
        entry['path'].endswith('.pdf') for entry in report(built)['outputs'])
    for path in pdfs:
        subprocess.run(['qpdf', '--check', str(path)], check=True, capture_output=True)
        listing = subprocess.run(['pdffonts', str(path)], capture_output=True, text=True,
                                 check=True).stdout.splitlines()[2:]
        assert all(line.split()[-5] == 'yes' for line in listing), path
