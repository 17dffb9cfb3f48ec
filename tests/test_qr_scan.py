"""A card's QR code scans from a phone: built card PDFs, rasterised at 150 dpi and blurred like a
phone's camera (Gaussian, sigma 1 px), decode with both zxing-cpp and ZBar to the reported URL."""

import functools
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image, ImageFilter

from conftest import META, report
from pressroom.model import QR_SIZE_MM
from pressroom.qr import MIN_MODULE_MM, qr_code

SCAN_DPI, BLUR = 150, 1.0
BASE = 'https://test.example.org/booklet'  # conftest META's online_url
SHORT_BASE = 'https://ex.org/s'
LIMIT = 84  # characters of the version-5 code, 26 mm, modules of 0.58 mm
CAMPAIGN = 'alert-card'  # adds ?utm_source=alert-card, 22 characters
LONGEST_ID = 'spinal-cord-compression-what-to-do-and-whom-to-call'  # 84 characters with BASE
IDS = {'scc': 'Spinal cord compression', 'spinal-cord-compression': 'The signs',
       'spinal-cord-compression-signs': 'Signs', LONGEST_ID: 'What to do'}
# card slug -> (url in card.yaml, qr_campaign, the URL its code must hold)
CARDS = {
    'shortest': (SHORT_BASE, None, SHORT_BASE),
    'page': (BASE, None, BASE),
    'typical': (f'{BASE}#spinal-cord-compression', None, f'{BASE}#spinal-cord-compression'),
    'typical-campaign': (f'{BASE}#spinal-cord-compression', CAMPAIGN,
                         f'{BASE}?utm_source=alert-card#spinal-cord-compression'),
    'longest': (f'{BASE}#{LONGEST_ID}', None, f'{BASE}#{LONGEST_ID}'),
    'longest-campaign': (f'{BASE}#spinal-cord-compression-signs', CAMPAIGN,
                         f'{BASE}?utm_source=alert-card#spinal-cord-compression-signs'),
}
FRONT = """\
# For patients

Back pain can be a sign of **spinal cord compression**. Call your team, day or night.
"""
BACK = """\
# For healthcare professionals

Urgent whole-spine MRI. Keep the patient flat. If compression is confirmed, treat urgently
per local policy.
"""


def card_yaml(url, campaign=None):
    # (a short address under the code: the long ones do not fit its column)
    return f'title: Test alert card\nurl: {url}\nqr_label: example.org/b\n' + (
        f'qr_campaign: {campaign}\n' if campaign else '')


def content(cards):
    """Two booklets (a long and a short online_url) and a card for each ``(url, campaign)``."""
    files = {'booklet/b/01-a.md': '# A\n\n' + ''.join(f'## {title} {{#{id_}}}\n\n'
                                                     for id_, title in IDS.items()),
             'booklet/s/booklet.yaml': META.replace(BASE, SHORT_BASE).replace('TB-01', 'TB-02'),
             'booklet/s/01-a.md': '# A\n'}
    for slug, (url, campaign, *_) in cards.items():
        files.update({f'cards/{slug}/card.yaml': card_yaml(url, campaign),
                      f'cards/{slug}/front.md': FRONT, f'cards/{slug}/back.md': BACK})
    return files


def build(run, root, out):
    result = run('--source', root, '--out', out, '--formats', 'cards', '-q')
    assert (result.code, result.err) == (0, '')
    return {entry['path']: entry['qr'] for entry in report(out)['outputs']
            if entry['kind'] == 'card' and 'qr' in entry}


def code_face(pdf, dpi=SCAN_DPI):
    """Page 1 of a card PDF (the patient's face, with the code) as a camera sees it: blurred."""
    prefix = pdf.with_name(f'{pdf.stem}-{dpi}')
    subprocess.run(['pdftoppm', '-r', str(dpi), '-f', '1', '-l', '1', '-png', '-singlefile',
                    str(pdf), str(prefix)], check=True)
    blurred = Image.open(f'{prefix}.png').filter(ImageFilter.GaussianBlur(BLUR))
    path = prefix.with_name(f'{prefix.name}-blurred.png')
    blurred.save(path)
    return path


def zxing(path):
    return [result.text for result in zxingcpp.read_barcodes(Image.open(path))
            if result.format == zxingcpp.BarcodeFormat.QRCode]


def zbar(path):
    if not shutil.which('zbarimg'):
        pytest.fail('zbarimg not found: install zbar-tools (sh scripts/system-packages.sh test)')
    # Exit status 4 means no code found; ZBar may also print D-Bus noise on stderr.
    found = subprocess.run(['zbarimg', '--raw', '-q', '-Sdisable', '-Sqrcode.enable', str(path)],
                           capture_output=True)
    return found.stdout.decode().splitlines()


def decoded(pdf, dpi=SCAN_DPI):
    path = code_face(pdf, dpi)
    return {'zxing': zxing(path), 'zbar': zbar(path)}


def test_urls_up_to_the_limit_scan_with_both_decoders(run, make_root, tmp_path):
    qr = build(run, make_root(content(CARDS)), tmp_path / 'out')
    assert {slug: qr[f'cards/{slug}.pdf'] for slug in CARDS} == {
        slug: expected for slug, (*_, expected) in CARDS.items()}
    assert len(CARDS['longest'][2]) == len(CARDS['longest-campaign'][2]) == LIMIT
    for slug, url in ((slug, qr[f'cards/{slug}.pdf']) for slug in CARDS):
        assert decoded(tmp_path / 'out' / f'cards/{slug}.pdf') == {'zxing': [url],
                                                                    'zbar': [url]}, slug
    # Versions 2 to 5: from the largest modules down to the smallest the rule allows.
    assert {qr_code(url, QR_SIZE_MM).version for url in qr.values()} == {2, 3, 4, 5}


def test_rule_is_level_m_at_least_057_mm_in_26_mm():
    assert (QR_SIZE_MM, MIN_MODULE_MM) == (26, 0.57)
    longest = qr_code(CARDS['longest'][2], QR_SIZE_MM)
    assert (longest.version, round(longest.module_mm, 3)) == (5, 0.578)


def test_blur_check_fails_at_75_dpi(run, make_root, tmp_path):
    slug, (url, campaign, expected) = 'typical-campaign', CARDS['typical-campaign']
    build(run, make_root(content({slug: (url, campaign)})), tmp_path / 'out')
    pdf = tmp_path / 'out' / f'cards/{slug}.pdf'
    assert decoded(pdf, 150)['zbar'] == [expected]
    assert decoded(pdf, 75)['zbar'] == []


def test_blur_check_fails_for_modules_of_045_mm(run, make_root, tmp_path, monkeypatch):
    # The same card and URL, the code drawn with modules of 0.45 mm instead of 0.578 mm.
    import pressroom.render.card
    slug, (url, campaign, expected) = 'typical-campaign', CARDS['typical-campaign']
    small = qr_code(expected, 20.25, min_module_mm=0.45)
    assert (small.version, small.module_mm) == (5, pytest.approx(0.45))
    monkeypatch.setattr(pressroom.render.card, 'QR_SIZE_MM', 20.25)
    monkeypatch.setattr(pressroom.render.card, 'qr_code',
                        functools.partial(qr_code, min_module_mm=0.45))
    root = make_root(content({slug: (url, campaign)}))
    assert build(run, root, tmp_path / 'out')[f'cards/{slug}.pdf'] == expected
    # zxing-cpp alone still reads it: that is why the check asks two decoders.
    assert decoded(tmp_path / 'out' / f'cards/{slug}.pdf') == {'zxing': [expected], 'zbar': []}


def check(run, make_root, url, campaign=None):
    root = make_root(content({'x': (url, campaign)}))
    result = run('check', '--source', root)
    assert result.code == 1
    return result.lines


READS = ('at most 84 fit a 26 mm code a phone can read from a printed card (version 5, modules '
         'of 0.58 mm, at least 0.57 mm)')


def test_one_character_over_the_limit_is_an_error_at_the_url_line(run, make_root):
    url = CARDS['longest'][2] + 'x'
    assert check(run, make_root, url) == [
        f'cards/x/card.yaml:2: error: the QR code URL is 85 characters; {READS}: shorten it by 1']


def test_too_long_with_qr_campaign_says_dropping_it_is_enough(run, make_root):
    url = f'{BASE}#spinal-cord-compression-what-to-do'
    assert check(run, make_root, url, CAMPAIGN) == [
        f'cards/x/card.yaml:2: error: the QR code URL is 89 characters; {READS}: shorten it by '
        '5 or drop qr_campaign, which adds 22']


def test_too_long_even_without_qr_campaign(run, make_root):
    url = f'{BASE}#spinal-cord-compression-what-to-do-and-whom-to-call-at-night-or-weekends'
    assert check(run, make_root, url, CAMPAIGN) == [
        f'cards/x/card.yaml:2: error: the QR code URL is 127 characters; {READS}: shorten it by '
        '43 (qr_campaign adds 22 of them)']
