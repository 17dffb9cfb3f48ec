"""Alert cards: sizes, QR codes that scan, sheets, clinic runs, literal CSV values, fit errors."""

import re
import subprocess

import pdfplumber
import pypdf
import pytest
import zxingcpp
from PIL import Image

from conftest import META, report, write_tree
from pressroom.cli import main
from pressroom.read.card import QR_SIZE_MM
from pressroom.qr import qr_code
from pressroom.targets.sheets import A4, MM, cards_per_sheet, grid, placements

FRONT = """\
# For patients

Back pain can be a sign of **spinal cord compression**.

- Severe back pain
- Trouble walking

Call your team, day or night: {{ clinic.phone }}
"""
BACK = """\
# For healthcare professionals

Urgent whole-spine MRI. Keep the patient flat.

Team: {{ clinic.name }}
"""
CARD = """\
title: Test alert card
url: https://test.example.org/booklet#scc
requires: [name, phone]
"""
CLINICS = """\
id,name,phone
alpha,Alpha & Omega <script>x</script>,0113 496 0001
beta,{{ 7*7 }} Clinic,0161 496 0002
"""


def card_files(card=CARD, front=FRONT, back=BACK, clinics=CLINICS, slug='test-card'):
    files = {f'cards/{slug}/card.yaml': card, f'cards/{slug}/front.md': front,
             f'cards/{slug}/back.md': back}
    if clinics is not None:
        files[f'cards/{slug}/clinics.csv'] = clinics
    return files


@pytest.fixture(scope='module')
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp('cards')
    root = write_tree(base / 'content', {
        **card_files(),
        **card_files(card=CARD.replace('requires: [name, phone]\n', 'size: 85.6x54mm\n'
                                       'qr_campaign: wallet\n'), clinics=None, slug='id1'),
        'booklet/b/booklet.yaml': META + 'card: test-card\n',
        'booklet/b/01-a.md': '# A\n\nKeep the [alert card](#alert-card) and see [page](#alert-card).\n'
                             '\n## Spinal cord compression {#scc}\n',
    })
    out = base / 'out'
    # The cards, and the booklet that prints one on its back page.
    assert main(['--source', str(root), '--out', str(out), '--formats', 'booklet,cards',
                 '-q']) == 0
    return out


def raster(pdf, dpi, page=1):
    prefix = pdf.parent / f'{pdf.stem}-{dpi}-{page}'
    subprocess.run(['pdftoppm', '-r', str(dpi), '-f', str(page), '-l', str(page), '-png',
                    '-singlefile', str(pdf), str(prefix)], check=True)
    return Image.open(f'{prefix}.png')


def decoded(pdf, page, dpi=300):
    return [result.text for result in zxingcpp.read_barcodes(raster(pdf, dpi, page))
            if result.format == zxingcpp.BarcodeFormat.QRCode]


def outputs(out):
    return {entry['path']: entry for entry in report(out)['outputs']}


def test_report_lists_every_card_output(built):
    entries = outputs(built)
    url = 'https://test.example.org/booklet#scc'
    expected = {
        'cards/test-card.pdf': ('card', None), 'cards/test-card-sheet.pdf': ('card-sheet', None),
        'cards/test-card/alpha.pdf': ('card', 'alpha'),
        'cards/test-card/alpha-sheet.pdf': ('card-sheet', 'alpha'),
        'cards/test-card/beta.pdf': ('card', 'beta'),
        'cards/test-card/beta-sheet.pdf': ('card-sheet', 'beta'),
        'cards/test-card-clinics.pdf': ('card-sheet', None),
    }
    for path, (kind, clinic) in expected.items():
        entry = entries[path]
        assert (entry['kind'], entry['card'], entry.get('clinic'), entry['qr']) == (
            kind, 'test-card', clinic, url), entry
        assert (built / path).is_file()
    assert entries['cards/id1.pdf']['qr'] == 'https://test.example.org/booklet?utm_source=wallet#scc'


@pytest.mark.parametrize('path, size', [('cards/test-card.pdf', (85, 55)),
                                        ('cards/test-card/alpha.pdf', (85, 55)),
                                        ('cards/id1.pdf', (85.6, 54))])
def test_card_pages_are_card_size_with_a_trimbox(built, path, size):
    reader = pypdf.PdfReader(built / path)
    assert len(reader.pages) == 2
    for page in reader.pages:
        trim = [float(value) for value in page.trimbox]
        assert trim == pytest.approx([0, 0, size[0] * MM, size[1] * MM], abs=0.01)
        assert [float(v) for v in page.mediabox] == pytest.approx(trim, abs=0.01)


@pytest.mark.parametrize('path', ['cards/test-card.pdf', 'cards/test-card/beta.pdf',
                                  'cards/id1.pdf'])
def test_qr_code_on_the_patients_face_decodes_to_the_reported_url(built, path):
    assert decoded(built / path, 1) == [outputs(built)[path]['qr']]


def test_every_card_on_a_sheet_scans(built):
    url = outputs(built)['cards/test-card/alpha-sheet.pdf']['qr']
    codes = decoded(built / 'cards/test-card/alpha-sheet.pdf', 1)
    assert codes == [url] * cards_per_sheet(85, 55) == [url] * 10


def test_qr_modules_and_quiet_zone_measured_at_600_dpi(built):
    url = outputs(built)['cards/test-card.pdf']['qr']
    modules = qr_code(url, QR_SIZE_MM).modules
    image = raster(built / 'cards/test-card.pdf', 600, 1).convert('L')
    [result] = zxingcpp.read_barcodes(image)
    corners = [result.position.top_left, result.position.bottom_right]
    # The dark bounding box of the code, searched a little beyond zxing's corners.
    pad = 60
    box = image.crop((corners[0].x - pad, corners[0].y - pad, corners[1].x + pad,
                      corners[1].y + pad))
    dark = box.point(lambda value: 255 if value < 128 else 0).getbbox()
    left, top, right, bottom = dark[0] + corners[0].x - pad, dark[1] + corners[0].y - pad, \
        dark[2] + corners[0].x - pad, dark[3] + corners[0].y - pad
    module_px = (right - left) / modules
    assert module_px / 600 * 25.4 >= 0.5
    assert (bottom - top) / modules == pytest.approx(module_px, rel=0.03)
    # Quiet zone: nothing dark within 4 modules of the code, on every side.
    ring = 4 * module_px
    pixels = image.load()
    for x in range(int(left - ring) + 1, int(right + ring) - 1):
        for y in list(range(int(top - ring) + 1, top - 1)) + list(range(bottom + 1, int(bottom + ring) - 1)):
            assert pixels[x, y] > 128, (x, y)
    for y in range(top, bottom):
        for x in list(range(int(left - ring) + 1, left - 1)) + list(range(right + 1, int(right + ring) - 1)):
            assert pixels[x, y] > 128, (x, y)


def test_clinic_values_print_literally(built):
    text = subprocess.run(['pdftotext', str(built / 'cards/test-card/alpha.pdf'), '-'],
                          capture_output=True, text=True, check=True).stdout
    assert '0113 496 0001' in text
    # A value wraps like any text (here after '/'): lines joined, it is there literally.
    assert 'Alpha & Omega <script>x</script>' in text.replace('\n', '')
    beta = subprocess.run(['pdftotext', str(built / 'cards/test-card/beta.pdf'), '-'],
                          capture_output=True, text=True, check=True).stdout
    assert '{{ 7*7 }} Clinic' in beta and '49 Clinic' not in beta


def test_generic_card_has_write_in_lines_not_values(built):
    text = subprocess.run(['pdftotext', str(built / 'cards/test-card.pdf'), '-'],
                          capture_output=True, text=True, check=True).stdout
    assert 'Call your team, day or night:' in text and '0113' not in text
    with pdfplumber.open(built / 'cards/test-card.pdf') as pdf:
        lines = [edge for edge in pdf.pages[0].edges if edge['orientation'] == 'h']
        assert any(edge['x1'] - edge['x0'] > 20 * MM for edge in lines)


def test_text_is_at_least_8pt_and_3mm_inside_the_trim(built):
    for path in ('cards/test-card.pdf', 'cards/test-card/alpha.pdf'):
        with pdfplumber.open(built / path) as pdf:
            for page in pdf.pages:
                objects = page.chars + page.rects + page.curves + page.lines
                assert page.chars
                for char in page.chars:
                    assert round(char['size'], 2) >= 8
                for obj in objects:
                    if obj.get('non_stroking_color') in ((1,), (1, 1, 1), [1], [1, 1, 1]):
                        continue  # white (the QR code's quiet zone)
                    assert obj['x0'] >= 3 * MM - 0.5 and obj['x1'] <= page.width - 3 * MM + 0.5
                    assert obj['top'] >= 3 * MM - 0.5 and obj['bottom'] <= page.height - 3 * MM + 0.5


def test_sheets_are_a4_with_marks_outside_the_cards(built):
    reader = pypdf.PdfReader(built / 'cards/test-card-sheet.pdf')
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert [round(float(v), 1) for v in page.mediabox] == [0, 0, 595.3, 841.9]
    columns, rows, left, bottom = grid(85, 55)
    block = (left * MM, (A4[1] - bottom - rows * 55) * MM, (left + columns * 85) * MM,
             (A4[1] - bottom) * MM)
    with pdfplumber.open(built / 'cards/test-card-sheet.pdf') as pdf:
        marks = [line for line in pdf.pages[0].lines if line['linewidth'] <= 0.3]
        assert len(marks) == 2 * (columns + 1) + 2 * (rows + 1)
        for mark in marks:
            inside_x = block[0] + 0.1 < (mark['x0'] + mark['x1']) / 2 < block[2] - 0.1
            inside_y = block[1] + 0.1 < (mark['top'] + mark['bottom']) / 2 < block[3] - 0.1
            assert not (inside_x and inside_y), mark
    assert len(pypdf.PdfReader(built / 'cards/test-card-clinics.pdf').pages) == 4


def test_back_sheet_is_mirrored_for_long_edge_duplex():
    fronts = list(placements(85, 55, mirrored=False))
    backs = list(placements(85, 55, mirrored=True))
    for (fx, fy), (bx, by) in zip(fronts, backs):
        # Turned over on the long edge, a point at x lands at page width - x.
        assert bx == pytest.approx(A4[0] * MM - fx - 85 * MM)
        assert by == pytest.approx(fy)


def test_booklet_back_page_carries_the_generic_card(built):
    pdf = built / 'b.pdf'
    texts = subprocess.run(['pdftotext', str(pdf), '-'], capture_output=True, text=True,
                           check=True).stdout.split('\f')
    back = texts[-2]
    # (the professionals' heading is an urgent band, in capitals)
    assert 'For patients' in back and 'FOR HEALTHCARE PROFESSIONALS' in back
    assert decoded(pdf, len(texts) - 1) == ['https://test.example.org/booklet#scc']
    flat = ' '.join(''.join(texts).split())
    assert 'Keep the alert card (see the back page) and see the back page.' in flat
    anchors = {a['id']: a for a in report(built)['anchors']}
    assert anchors['alert-card']['page'] == len(texts) - 1
    # True size: the two faces are stacked, so their first lines are one card height apart.
    with pdfplumber.open(pdf) as document:
        words = document.pages[-1].extract_words()
    # The card's name, first on its front (the page's heading above the card says it too).
    front = [w for w in words if w['text'] == 'Test'][-1]
    back = next(w for w in words if w['text'] == 'FOR' and w['top'] > front['top'] + 20 * MM)
    # (the back's first line sits in the urgent band, 1.3 mm below the band's top)
    assert (back['top'] - front['top']) / MM == pytest.approx(55 + 1.3, abs=0.6)
    assert anchors['alert-card']['title'] == 'Test alert card'


# Errors ------------------------------------------------------------------------------------

HOST = {'booklet/b/01-a.md': '# A\n\n## Spinal cord compression {#scc}\n'}


def check(run, make_root, **parts):
    # A booklet whose web edition holds the id the card's QR code opens.
    root = make_root({**HOST, **card_files(**parts)})
    result = run('--source', root, '--out', root.parent / 'out')
    assert 'Traceback' not in result.err
    return result


def test_overflowing_face_is_an_error(run, make_root):
    result = check(run, make_root, front=FRONT + '\n' + 'Much more text here. ' * 40 + '\n')
    assert result.code == 1
    [line] = result.lines
    assert re.fullmatch(r'cards/test-card/front\.md: error: text overflows the 85×55 mm face by '
                        r'\d+(\.\d)? mm', line), line


def test_clinic_value_that_overflows_names_its_csv_line(run, make_root):
    """One error, at the row, naming only the column at fault, by how much, and how long it may
    be; a value of that length fits and one a few characters longer does not."""
    long = 'The Extremely Long Named Regional Oncology Centre For Everyone ' * 12
    long = long.strip()
    result = check(run, make_root, clinics=CLINICS + f'gamma,{long},0113 496 0003\n')
    assert result.code == 1
    [line] = result.lines
    # (a long value is quoted cut in the middle: its start, '…', its end)
    quoted = f'{long[:50]}…{long[-20:]}'
    match = re.fullmatch(rf"cards/test-card/clinics\.csv:4: error: the name '{quoted}' "
                         rf"\({len(long)} characters\) makes the (front|back) face overflow the "
                         r'85×55 mm card by \d+(\.\d)? mm(?: and the (front|back) face by '
                         r'\d+(\.\d)? mm)?; at most (?P<n>\d+) characters of the name fit this card',
                         line)
    assert match, line
    longest = int(match.group("n"))
    assert 20 < longest < len(long)
    fitting = check(run, make_root,
                    clinics=CLINICS + f'gamma,{long[:longest].strip()},0113 496 0003\n')
    assert (fitting.code, fitting.lines) == (0, [])
    over = check(run, make_root, clinics=CLINICS + f'gamma,{long[:longest + 12]},0113 496 0003\n')
    assert over.code == 1 and len(over.lines) == 1


def test_check_lays_out_clinic_cards_as_build_does(run, make_root):
    long = 'The Extremely Long Named Regional Oncology Centre For Everyone ' * 12
    root = make_root({**HOST, **card_files(clinics=CLINICS + f'gamma,{long},0113 496 0003\n')})
    built = run('--source', root, '--out', root.parent / 'out')
    checked = run('check', '--source', root)
    assert checked.code == built.code == 1
    errors = [line for line in checked.lines if ': error: ' in line]
    assert errors == built.lines and len(errors) == 1
    assert errors[0].startswith('cards/test-card/clinics.csv:4: error: the name ')


@pytest.mark.parametrize('clinics, message', [
    ('id,name\na,A\n', "cards/test-card/clinics.csv:1: error: missing required column 'phone' "
                       "(card.yaml requires name, phone)"),
    ('id,name,phone\na,A,\n', "cards/test-card/clinics.csv:2: error: 'phone' is empty (card.yaml "
                              "requires it)"),
    ('id,name,phone\na,A,1\nb,B,2\na,C,3\n', "cards/test-card/clinics.csv:4: error: duplicate id "
                                             "'a' (first on line 2)"),
    ('id,name,phone\na,A,1,extra\n', 'cards/test-card/clinics.csv:2: error: expected 3 values '
                                     '(id, name, phone), found 4'),
    ('id,name,phone\na,"A,1\n', 'cards/test-card/clinics.csv:2: error: malformed CSV: '
                                'unexpected end of data'),
    ('id,name,phone\n../x,A,1\n', "cards/test-card/clinics.csv:2: error: id '../x' may only hold "
                                  "letters, digits, '-' and '_': it names the clinic's files"),
])
def test_bad_csv_is_an_error_at_its_line(run, make_root, clinics, message):
    result = check(run, make_root, clinics=clinics)
    assert result.code == 1
    assert result.lines == [message]


def test_too_long_url_says_how_much_to_cut(run, make_root):
    url = 'https://test.example.org/' + 'a' * 80
    result = check(run, make_root, card=CARD.replace('https://test.example.org/booklet#scc', url))
    assert result.code == 1
    assert result.lines == [f'cards/test-card/card.yaml:2: error: the QR code URL is {len(url)} '
                            'characters; at most 84 fit a 26 mm code a phone can read from a '
                            'printed card (version 5, modules of 0.58 mm, at least 0.57 mm): '
                            f'shorten it by {len(url) - 84}']


def test_unknown_placeholder_and_unknown_column(run, make_root):
    result = check(run, make_root, front=FRONT + '\n{{ clinic.fax }} {{ name }}\n')
    assert result.code == 1
    assert result.lines == [
        'cards/test-card/front.md:10: error: unknown placeholder {{ name }}: a face may only use '
        '{{ clinic.<column> }} or {{ patient.<label> }}',
        "cards/test-card/front.md:10: error: no column 'fax' in clinics.csv"]


def test_qr_code_must_open_an_id_of_the_web_edition(run, make_root):
    result = check(run, make_root, card=CARD.replace('#scc', '#nowhere'))
    assert result.code == 1
    assert result.lines == ["cards/test-card/card.yaml:2: error: card 'test-card': its QR code opens "
                            "#nowhere, which is not an id in the web edition of booklet/b"]
    result = check(run, make_root, card=CARD.replace('test.example.org/booklet',
                                                     'other.example.org/page'))
    assert result.lines == ["cards/test-card/card.yaml:2: error: card 'test-card': its QR code opens "
                            "https://other.example.org/page, which is no booklet's online_url (for "
                            "a short address that redirects, add 'opens: <booklet-slug>#<id>' "
                            "naming where it leads)"]


def test_a_short_address_names_the_section_it_opens(run, make_root):
    short = CARD.replace('https://test.example.org/booklet#scc', 'https://t.example/x')
    fine = check(run, make_root, card=short + 'opens: b#scc\n')
    assert (fine.code, fine.lines) == (0, [])
    wrong = check(run, make_root, card=short + 'opens: b#sc\n')
    assert wrong.lines == ["cards/test-card/card.yaml:4: error: card 'test-card': its QR code "
                           "opens #sc, which is not an id in the web edition of booklet/b (did "
                           "you mean 'scc'?)"]
    missing = check(run, make_root, card=short + 'opens: bb#scc\n')
    assert missing.lines == ["cards/test-card/card.yaml:4: error: card 'test-card': 'opens' names "
                             "booklet 'bb', which does not exist (did you mean 'b'?)"]


def test_booklet_naming_a_missing_card(run, make_root):
    root = make_root({'booklet/b/01-a.md': '# A\n'}, meta=META + 'card: nowhere\n')
    result = run('check', '--source', root)
    assert result.code == 1
    assert result.lines == ["booklet/b/booklet.yaml:10: error: card 'nowhere' not found: no "
                            "folder cards/nowhere"]


@pytest.mark.parametrize('path', ['cards/test-card.pdf', 'cards/test-card/alpha.pdf',
                                  'cards/test-card/alpha-sheet.pdf'])
def test_cards_are_vector_with_every_font_embedded(built, path):
    for page in pypdf.PdfReader(built / path).pages:
        assert len(page.images) == 0  # the QR code is drawn, not a bitmap
    listing = subprocess.run(['pdffonts', str(built / path)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    assert listing and all(line.split()[-5] == 'yes' for line in listing)
    subprocess.run(['qpdf', '--check', str(built / path)], check=True, capture_output=True)


def test_raw_html_in_a_face_cannot_reach_outside(run, make_root, tmp_path):
    secret = tmp_path / 'secret.png'
    secret.write_bytes(b'not really a png')
    result = check(run, make_root, back=BACK + f'\n<img src="file://{secret}" alt="x">\n')
    assert result.code == 1
    assert result.lines == [f"cards/test-card/back.md:7: error: image 'file://{secret}' must be a "
                            "file path relative to the card folder (no URLs or absolute paths)"]


def test_cards_print_the_review_dates_of_their_booklet(built):
    for path in ('cards/test-card.pdf', 'cards/test-card/alpha.pdf'):
        text = subprocess.run(['pdftotext', str(built / path), '-'], capture_output=True,
                              text=True, check=True).stdout
        assert 'Reviewed February 2026 · next review August 2027' in ' '.join(text.split())


def test_a_line_break_in_a_quoted_value_prints_as_a_space(run, make_root):
    root = make_root({**HOST, **card_files(
        clinics=CLINICS + 'gamma,"Riverside\nOncology Unit",0113 496 0003\n')})
    result = run('--source', root, '--out', root.parent / 'out', '-q', '--formats', 'cards')
    assert (result.code, result.lines) == (0, [])
    text = subprocess.run(['pdftotext', str(root.parent / 'out/cards/test-card/gamma.pdf'),
                           '-'], capture_output=True, text=True, check=True).stdout
    assert 'Riverside Oncology Unit' in ' '.join(text.split())
