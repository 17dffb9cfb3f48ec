"""QR codes printed through WeasyPrint and pdftoppm, then decoded and measured on the raster."""

import base64
import functools
import pickle
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
import qrcode
import qrcode.constants
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML

from pressroom.qr import MIN_MODULE_MM, QRTooLong, display_url, qr_code, tracked_url

SVG_NS = '{http://www.w3.org/2000/svg}'
MEASURE_DPI = 600
SCAN_DPI = 300
# Where the code's box sits on the card, so the raster can be checked against it.
LEFT_MM, TOP_MM = 30, 10
# A tinted card: the quiet zone seen on the raster is then the code's own white, not the page's.
CARD = '#c8c8c8'
DARK, WHITE = 128, 228  # grey levels halfway between ink and white, and between the card and white
PAD = 'abcdefghij'  # lowercase letters keep qrcode in byte mode


@functools.cache
def expected_limit(size_mm, min_module_mm=MIN_MODULE_MM, quiet=4):
    """The longest URL that fits, found by trial encoding rather than from a capacity table."""
    version = max(v for v in range(1, 41) if (17 + 4 * v + 2 * quiet) * min_module_mm <= size_mm)
    fits, too_long = 20, 2332  # bisect; 2332 bytes is more than version 40 holds
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if encoded_version(url_of_length(middle)) <= version:
            fits = middle
        else:
            too_long = middle
    return fits


def url_of_length(length):
    base = 'https://example.org/'
    return base + (PAD * (length // len(PAD) + 1))[:length - len(base)]


def encoded(url):
    """The library's own encoding, to check the SVG and the raster against."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(url)
    code.make(fit=True)
    return code


def encoded_version(url):
    return encoded(url).version


def matrix(url):
    return encoded(url).get_matrix()


CASES = {
    'short': ('https://example.org/bone', 20),
    # 44 characters: over the 20 mm limit, so a 25 mm code.
    'fragment-and-campaign': (tracked_url('https://example.org/bone#scc', 'card'), 25),
    'at-the-20mm-limit': (url_of_length(expected_limit(20)), 20),
    'at-the-30mm-limit': (url_of_length(expected_limit(30)), 30),
}


def page(body):
    return (f'<!doctype html><html><head><style>@page {{ size: 85mm 55mm; margin: 0 }}'
            f'html, body {{ margin: 0; background: {CARD} }}'
            f'.code {{ position: absolute; left: {LEFT_MM}mm; top: {TOP_MM}mm; line-height: 0 }}'
            f'.code > * {{ display: block }}</style></head>'
            f'<body><div class="code">{body}</div></body></html>')


def inline(code):
    return code.svg


def as_image(code):
    uri = 'data:image/svg+xml;base64,' + base64.b64encode(code.svg.encode()).decode()
    return f'<img src="{uri}" style="width: {code.size_mm}mm; height: {code.size_mm}mm" alt="">'


def rasterise(pdf, dpi):
    prefix = pdf.with_name(f'{pdf.stem}-{dpi}')
    subprocess.run(['pdftoppm', '-r', str(dpi), '-gray', '-png', '-singlefile', str(pdf),
                    str(prefix)], check=True)
    return Image.open(f'{prefix}.png').convert('L')


@dataclass
class Printed:
    code: object
    pdf: Path

    def raster(self, dpi):
        return rasterise(self.pdf, dpi)


@pytest.fixture(scope='module')
def printed(tmp_path_factory):
    """``printed(code, embed)`` -> the code printed on a card PDF (each one printed once)."""
    folder = tmp_path_factory.mktemp('qr')
    done = {}

    def render(code, embed=inline):
        key = (code.url, code.size_mm, embed.__name__)
        if key not in done:
            pdf = folder / f'card-{len(done)}.pdf'
            HTML(string=page(embed(code))).write_pdf(pdf)
            done[key] = Printed(code, pdf)
        return done[key]
    return render


def decode(image):
    return [(result.format, result.text) for result in zxingcpp.read_barcodes(image)]


def mask(image, test):
    return image.point(lambda level: 255 if test(level) else 0)


@dataclass
class Measured:
    box: tuple  # the code's white square, px (left, top, right, bottom)
    ink: tuple  # the dark modules' bounding box, px
    module_px: float

    def quiet_px(self):
        return (self.ink[0] - self.box[0], self.ink[1] - self.box[1],
                self.box[2] - self.ink[2], self.box[3] - self.ink[3])


def measure(image, code):
    # The last row and column of pixels straddle the page edge, where the paper shows white.
    image = image.crop((0, 0, image.width - 1, image.height - 1))
    ink = mask(image, lambda level: level < DARK).getbbox()
    box = mask(image, lambda level: level > WHITE).getbbox()
    width, height = ink[2] - ink[0], ink[3] - ink[1]
    assert abs(width - height) <= 1, 'the code is not square on the raster'
    return Measured(box, ink, width / code.modules)


def px_to_mm(px, dpi=MEASURE_DPI):
    return px / dpi * 25.4


def mm_to_px(mm, dpi=MEASURE_DPI):
    return mm / 25.4 * dpi


@pytest.fixture(scope='module', params=list(CASES), ids=list(CASES))
def case(request, printed):
    url, size = CASES[request.param]
    return printed(qr_code(url, size))


@pytest.fixture(scope='module')
def measured(case):
    image = case.raster(MEASURE_DPI)
    return case, image, measure(image, case.code)


def test_printed_code_decodes_to_the_exact_url(case):
    assert decode(case.raster(SCAN_DPI)) == [(zxingcpp.BarcodeFormat.QRCode, case.code.url)]


def test_code_embedded_as_an_image_decodes_too(printed):
    code = qr_code(tracked_url('https://example.org/bone#scc', 'card'), 25)
    card = printed(code, as_image)
    assert decode(card.raster(SCAN_DPI)) == [(zxingcpp.BarcodeFormat.QRCode, code.url)]


def test_printed_modules_are_at_least_half_a_millimetre(measured):
    card, _, m = measured
    module_mm = px_to_mm(m.module_px)
    assert module_mm >= 0.5
    assert module_mm == pytest.approx(card.code.module_mm, rel=0.05)


def test_printed_code_sits_where_the_page_puts_it_at_its_size(measured):
    card, _, m = measured
    expected = (mm_to_px(LEFT_MM), mm_to_px(TOP_MM), mm_to_px(LEFT_MM + card.code.size_mm),
                mm_to_px(TOP_MM + card.code.size_mm))
    assert m.box == pytest.approx(expected, abs=1.5)


def test_printed_quiet_zone_is_four_modules_on_every_side(measured):
    _, _, m = measured
    for side_px in m.quiet_px():
        # One pixel of slack for the edge pixels that anti-aliasing greys.
        assert side_px >= 4 * m.module_px - 1
        assert side_px == pytest.approx(4 * m.module_px, abs=1.5)


def test_every_printed_module_matches_the_encoded_matrix(measured):
    card, image, m = measured
    for row, cells in enumerate(matrix(card.code.url)):
        for column, dark in enumerate(cells):
            x = m.ink[0] + (column + 0.5) * m.module_px
            y = m.ink[1] + (row + 0.5) * m.module_px
            assert (image.getpixel((int(x), int(y))) < DARK) == dark, (row, column)


def test_pdf_holds_no_bitmap(case):
    assert all(not page.images for page in PdfReader(case.pdf).pages)


@pytest.mark.parametrize('size', [20, 30])
def test_the_limit_still_fits_and_one_more_character_does_not(size):
    limit = expected_limit(size)
    code = qr_code(url_of_length(limit), size)
    assert code.size_mm / (code.modules + 8) >= 0.5
    with pytest.raises(QRTooLong) as raised:
        qr_code(url_of_length(limit + 1), size)
    assert (raised.value.length, raised.value.limit, raised.value.cut) == (limit + 1, limit, 1)


def test_too_long_says_how_much_to_cut():
    limit = expected_limit(20)
    with pytest.raises(QRTooLong) as raised:
        qr_code(url_of_length(75), 20)
    error = raised.value
    assert (error.length, error.limit, error.cut) == (75, limit, 75 - limit)
    assert str(error) == (f'the QR code URL is 75 characters; at most {limit} fit a 20 mm code a '
                          f'phone can read from a printed card (version 2, modules of 0.61 mm, '
                          f'at least 0.57 mm): shorten it by {75 - limit}')
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.cut, str(copy)) == (error.cut, str(error))


def test_too_long_for_any_version():
    # 2331 bytes: version 40 at level M in byte mode (ISO/IEC 18004, table 7).
    with pytest.raises(QRTooLong) as raised:
        qr_code(url_of_length(2400), 1000)
    assert (raised.value.limit, raised.value.cut) == (2331, 2400 - 2331)


def test_smaller_modules_or_quiet_zone_allow_longer_urls():
    url = url_of_length(expected_limit(20) + 1)
    assert qr_code(url, 20, quiet_modules=2).module_mm >= 0.5
    assert qr_code(url, 20, min_module_mm=0.45).module_mm >= 0.45


def test_svg_is_one_vector_path_in_a_white_square():
    url = 'https://www.example.org/a&b/?u=1#x"<y>'
    code = qr_code(url, 25)
    assert '<image' not in code.svg
    root = ET.fromstring(code.svg)
    total = code.modules + 8
    assert root.tag == f'{SVG_NS}svg'
    assert (root.get('width'), root.get('height')) == ('25mm', '25mm')
    assert root.get('viewBox') == f'0 0 {total} {total}'
    assert (root.get('role'), root.get('aria-label')) == ('img', 'example.org/a&b#x"<y>')
    paths = root.findall(f'{SVG_NS}path')
    assert len(paths) == 1 and paths[0].get('fill') == '#000000'
    rect = root.find(f'{SVG_NS}rect')
    assert (rect.get('width'), rect.get('height'), rect.get('fill')) == (str(total), str(total),
                                                                       '#ffffff')
    assert rect.get('x', '0') == rect.get('y', '0') == '0'
    assert [child.tag for child in root] == [f'{SVG_NS}rect', f'{SVG_NS}path']


def test_svg_path_draws_exactly_the_dark_modules():
    code = qr_code('https://example.org/bone', 20)
    drawn = set()
    for rectangle in ET.fromstring(code.svg).find(f'{SVG_NS}path').get('d').split('z')[:-1]:
        start, rest = rectangle[1:].split('h', 1)
        x, y = map(int, start.split())
        width = int(rest.split('v')[0])
        drawn.update((x + i - 4, y - 4) for i in range(width))
    dark = {(x, y) for y, row in enumerate(matrix(code.url)) for x, cell in enumerate(row) if cell}
    assert drawn == dark


def test_code_reports_its_geometry():
    code = qr_code('https://example.org/bone', 20)
    assert code.version == encoded_version(code.url)
    assert code.modules == 17 + 4 * code.version
    assert code.module_mm == pytest.approx(20 / (code.modules + 8))


@pytest.mark.parametrize('url, campaign, expected', [
    ('https://example.org/bone#scc', 'card', 'https://example.org/bone?utm_source=card#scc'),
    ('https://example.org/bone', 'card', 'https://example.org/bone?utm_source=card'),
    ('https://example.org/a?x=1&y=2#f', 'card', 'https://example.org/a?x=1&y=2&utm_source=card#f'),
    ('https://example.org/a?utm_source=old&x=1', 'card',
     'https://example.org/a?x=1&utm_source=card'),
    ('https://example.org/a', 'wallet card/2&b',
     'https://example.org/a?utm_source=wallet%20card%2F2%26b'),
    ('https://example.org/bone#scc', None, 'https://example.org/bone#scc'),
])
def test_tracked_url(url, campaign, expected):
    assert tracked_url(url, campaign) == expected


@pytest.mark.parametrize('url, expected', [
    ('https://www.example.org/bone/?utm_source=card#scc', 'example.org/bone#scc'),
    ('https://example.org/bone?utm_source=card#scc', 'example.org/bone#scc'),
    ('http://example.org/', 'example.org'),
    ('https://example.org', 'example.org'),
    ('https://www.nhs.uk/a/b/', 'nhs.uk/a/b'),
    ('https://wwwx.example.org/a', 'wwwx.example.org/a'),
])
def test_display_url(url, expected):
    assert display_url(url) == expected
