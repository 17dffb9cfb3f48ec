"""Nothing is lost without a word: content that cannot fit the page is an error at its source
line, what can fit is made to fit, and WeasyPrint's own gaps (shaded borders in CMYK or lab,
characters no font has, floods of identical warnings) neither crash nor go unseen."""

import logging
import struct
import subprocess
import zlib

import pdfplumber
import pytest
from tinycss2.color5 import parse_color

from conftest import META
from pressroom.errors import Problems
from pressroom.targets import glyphs
from pressroom.targets.sandbox import SandboxFetcher
from pressroom.targets.weasy import MAX_MESSAGE, messages, render
from test_cards import CLINICS, check, FRONT

MM = 72 / 25.4
TEXT_AREA_MM = (13, 13)  # the narrower margins (left, right) of an A5 page


def build(run, make_root, files, formats='booklet'):
    root = make_root(files)
    result = run('--source', root, '--out', root.parent / 'out', '--formats', formats, '-q')
    assert 'Traceback' not in result.err and 'internal error' not in result.err, result.err
    return result, root.parent / 'out'


def png(width, height):
    """A grey PNG of ``width`` × ``height`` pixels."""
    def chunk(kind, data):
        crc = struct.pack('>I', zlib.crc32(kind + data))
        return struct.pack('>I', len(data)) + kind + data + crc
    rows = b''.join(b'\0' + b'\x80' * (width * 3) for _ in range(height))
    return (b'\x89PNG\r\n\x1a\n'
            + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))


def assert_inside_text_area(pdf):
    """Every character of every page lies between the page's margins."""
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for char in page.chars:
                assert char['x0'] >= TEXT_AREA_MM[0] * MM - 1, char
                assert char['x1'] <= page.width - TEXT_AREA_MM[1] * MM + 1, char


def printed(pdf):
    with pdfplumber.open(pdf) as document:
        return ''.join(char['text'] for page in document.pages for char in page.chars)


# 1. Shaded borders in colour spaces WeasyPrint cannot convert -----------------------------

BORDERS = '# A\n\n' + ''.join(
    f'<p style="border: 3px {style}">{style}</p>\n\n'
    for style in ('groove', 'ridge', 'inset', 'outset')) + (
    '<p style="border: 3px groove lab(50% 40 30)">lab text</p>\n\n'
    '<p style="border: 3px ridge device-cmyk(0 1 1 0)">cmyk</p>\n\n'
    '<p style="border: 3px inset oklab(0.5 0.1 0.1)">oklab</p>\n')


@pytest.mark.parametrize('formats', ['print', 'booklet'])
def test_shaded_borders_in_cmyk_and_lab_build(run, make_root, formats):
    result, out = build(run, make_root, {'booklet/b/01-a.md': BORDERS}, formats)
    assert result.code == 0, result.err
    pdf = out / ('b-print.pdf' if formats == 'print' else 'b.pdf')
    assert 'lab text' in subprocess.run(['pdftotext', str(pdf), '-'], capture_output=True,
                                        text=True, check=True).stdout


def test_cmyk_darkens_with_more_black_and_lightens_with_less():
    from weasyprint.draw import color
    ink = parse_color('device-cmyk(0.1 0.2 0.3 0.6)')
    assert color.darken(ink).coordinates == pytest.approx((0.1, 0.2, 0.3, 1 - 0.4 / 1.5))
    assert color.lighten(ink).coordinates == pytest.approx((0.1, 0.2, 0.3, 0.4))
    lab = parse_color('lab(50% 40 30)')
    assert color.darken(lab) == lab and color.lighten(lab) == lab
    red = parse_color('red')
    assert color.darken(red).coordinates[0] < 1  # sRGB is still WeasyPrint's own shading


# 2. WeasyPrint's messages: each once, and short -------------------------------------------

def record(message, level=logging.WARNING):
    return logging.LogRecord('weasyprint', level, __file__, 1, message, (), None)


def test_identical_messages_are_listed_once_and_cut_short():
    long = 'Failed to load image at data:image/png;base64,' + 'A' * 1_500_000
    found = messages([record('Missing x')] * 59 + [record(long), record(long)])
    assert found[0] == 'Missing x' and len(found) == 2
    assert len(found[1]) == MAX_MESSAGE == 300 and found[1].endswith('…')
    assert messages([record('w'), record('e', logging.ERROR)], logging.ERROR) == ['e']


def test_repeated_and_huge_warnings_come_once_and_short(tmp_path):
    broken = 'data:image/png;base64,' + 'iVBORw0KGgo' + 'A' * 20_000
    html = ('<style>a::after { content: target-counter(attr(href url), page) }</style>'
            + '<p><a href="#nowhere">x</a></p>' * 30 + f'<img src="{broken}" alt="x">')
    problems = Problems()
    render(html, tmp_path, SandboxFetcher([tmp_path]), {'booklet/b/01-a.md': ''}, problems,
           where='booklet/b')
    assert [problem.format()[:80] for problem in problems.warnings] == [
        'booklet/b: warning: WeasyPrint: Content discarded: target points to undefined an',
        'booklet/b: warning: WeasyPrint: Failed to load image at \'data:image/png;base64,i']
    assert len(problems.warnings[1].message) == len('WeasyPrint: ') + MAX_MESSAGE


# 3. Lost content --------------------------------------------------------------------------

LONG_WORD = 'x' * 500
URL = 'https://www.example.org/' + 'a' * 66  # 90 characters


def table(columns, header='H', value='v'):
    return '\n'.join(['| ' + ' | '.join(f'{header}{i}' for i in range(columns)) + ' |',
                      '|' + '---|' * columns,
                      '| ' + ' | '.join(f'{value}{i}' for i in range(columns)) + ' |'])


def test_long_words_urls_code_and_twelve_columns_fit_the_page(run, make_root):
    chapter = (f'# A\n\nSome words {LONG_WORD} and more.\n\nSee {URL} for details.\n\n'
               f'```\n{"code " * 40}\n```\n\n{table(12, "Mon", "Breakfast")}\n\n'
               '| Drug | What it does |\n|---|---|\n'
               f'| Zoledronic acid | {"Strengthens the bones and lowers the calcium. " * 5}|\n'
               f'\n| Where | Address |\n|---|---|\n| Online | <{URL}> |\n')
    result, out = build(run, make_root, {'booklet/b/01-a.md': chapter})
    assert (result.code, result.lines) == (0, [])
    assert_inside_text_area(out / 'b.pdf')
    text = printed(out / 'b.pdf')
    assert text.count('x') >= 500 and text.count('a' * 66) == 2 and text.count('Breakfast') == 12
    # A table of few columns keeps its words whole.
    assert 'Zoledronic' in text


def test_pictures_scale_down_to_the_page(run, make_root):
    chapter = '# A\n\n![Wide](images/wide.png)\n\n![Tall](images/tall.png)\n'
    result, out = build(run, make_root, {'booklet/b/01-a.md': chapter,
                                         'booklet/b/images/wide.png': png(3000, 100),
                                         'booklet/b/images/tall.png': png(100, 2000)},
                        'booklet,large-print')
    assert (result.code, result.lines) == (0, [])
    for pdf in ('b.pdf', 'b-large-print.pdf'):
        with pdfplumber.open(out / pdf) as document:
            images = [image for page in document.pages for image in page.images]
            assert len(images) == 2
            for image, page in ((image, document.pages[image['page_number'] - 1])
                                for image in images):
                assert image['x0'] >= 0 and image['x1'] <= page.width
                assert image['top'] >= 0 and image['bottom'] <= page.height
                # Scaled, not squeezed: the tall picture keeps its shape.
                ratio = (image['x1'] - image['x0']) / (image['bottom'] - image['top'])
                assert ratio == pytest.approx(image['srcsize'][0] / image['srcsize'][1],
                                              rel=0.02)


WIDE = {'booklet/b/01-a.md': '# A\n\nIntro.\n', 'booklet/b/02-b.md': (
    '# B\n\nA table follows, with H0 and H1 in this line too.\n\n' + table(40) + '\n\nAfter.\n')}
TABLE_ERROR = ('booklet/b/02-b.md:5: error: {prefix}table is {wide} mm wide but the page has '
               'room for {room} mm, so {cut} of its 40 columns would be cut off: split it into '
               'narrower tables')


@pytest.mark.parametrize('formats, numbers', [
    ('booklet', dict(prefix='', wide=167, room=119, cut=12)),
    ('print', dict(prefix='', wide=167, room=119, cut=12)),
    ('large-print', dict(prefix='in large print, ', wide=244, room=166, cut=13)),
])
def test_a_table_wider_than_the_page_is_an_error_at_its_line(run, make_root, formats, numbers):
    result, out = build(run, make_root, WIDE, formats)
    assert result.code == 1
    assert result.lines == [TABLE_ERROR.format(**numbers)]
    assert not list(out.glob('*.pdf'))


def test_a_narrow_table_with_an_unbreakable_word_names_the_word(run, make_root):
    # Few columns keep whole words (so "Drug" never becomes "Dru g"): a long one must be cut.
    chapter = ('# A\n\n| Where | Address |\n|---|---|\n'
               f'| Online | {URL} |\n\n| Word | Meaning |\n|---|---|\n'
               f'| {"Pneumono" * 12} | A lung disease |\n')
    result, _ = build(run, make_root, {'booklet/b/01-a.md': chapter})
    assert result.code == 1
    assert result.lines == [
        'booklet/b/01-a.md:3: error: table is 168 mm wide but the page has room for 119 mm, so '
        "1 of its 2 columns would be cut off: write 'https://www.example.org/aaaaaaaaaaaaaaa…' "
        'as a link (<https://…>), which may break across lines',
        'booklet/b/01-a.md:7: error: table is 263 mm wide but the page has room for 119 mm, so '
        "2 of its 2 columns would be cut off: shorten 'PneumonoPneumonoPneumonoPneumonoPneumon…'"
        ': a table of fewer than 5 columns keeps its words whole']


def test_a_picture_kept_from_shrinking_is_an_error_at_its_line(run, make_root):
    chapter = ('# A\n\nText.\n\n<img src="images/wide.png" alt="Wide" '
               'style="max-width: none; width: 200mm">\n')
    result, _ = build(run, make_root, {'booklet/b/01-a.md': chapter,
                                       'booklet/b/images/wide.png': png(2000, 100)})
    assert result.code == 1
    assert result.lines == [
        "booklet/b/01-a.md:5: error: image 'images/wide.png' is 200 mm wide but the page has "
        'room for 119 mm, so part of it would be cut off: remove the width, height or '
        'max-width style that stops it from shrinking to fit']


def test_text_kept_from_wrapping_is_an_error_at_its_line(run, make_root):
    chapter = ('# A\n\nFirst.\n\nText <span style="white-space: nowrap">this is a long run of '
               'words that never wraps because a style says so</span> end.\n')
    result, _ = build(run, make_root, {'booklet/b/01-a.md': chapter})
    assert result.code == 1
    assert result.lines == [
        "booklet/b/01-a.md:5: error: text 'this is a long run of words that never …' runs "
        "5 mm past the edge of the page's text area, so it would be cut off: remove the style "
        '(a width, height or nowrap) that stops it from wrapping to the page']


# 4. Characters no font can print ----------------------------------------------------------

NO_FONT = '\U00013000'  # EGYPTIAN HIEROGLYPH A001: in no font this machine has


@pytest.fixture
def no_font_has_it():
    listed = subprocess.run(['fc-list', f':charset={ord(NO_FONT):x}', 'file'],
                            capture_output=True, text=True).stdout
    if listed.strip():
        pytest.skip(f'a font on this machine has U+{ord(NO_FONT):04X}')


@pytest.fixture
def no_fc_list(monkeypatch):
    def missing(*args, **options):
        raise FileNotFoundError('fc-list')
    glyphs.machine_ranges.cache_clear()
    monkeypatch.setattr(glyphs.subprocess, 'run', missing)
    yield
    glyphs.machine_ranges.cache_clear()


def test_a_character_no_font_has_is_an_error(run, make_root, no_font_has_it):
    result, _ = build(run, make_root, {'booklet/b/01-a.md': f'# A\n\nA sign: {NO_FONT}.\n'},
                      'web')
    assert result.code == 1
    assert result.lines == [
        f"booklet/b/01-a.md:3: error: '{NO_FONT}' (U+13000) is not in the booklet's font, nor "
        'in any font on this machine; it would print as an empty box']


def test_without_fc_list_a_missing_character_is_an_error(run, make_root, no_fc_list):
    result, _ = build(run, make_root, {'booklet/b/01-a.md': '# A\n\nGo left → now.\n'}, 'web')
    assert result.code == 1
    assert result.lines == [
        "booklet/b/01-a.md:3: error: '→' (U+2192) is not in the booklet's font, nor in any "
        'font on this machine; it would print as an empty box']


def test_booklet_yaml_values_are_checked_at_their_line(make_root, no_font_has_it):
    from pressroom.pipeline import read_content
    from pressroom.render.styles import Styles
    root = make_root({'booklet/b/01-a.md': '# A\n\nText.\n'},
                     meta=f'# comment → not printed\n{META}'.replace(
                         'helpline: 0808', 'helpline: → 0808').replace(
                         'subtitle: For the tests', f'subtitle: For {NO_FONT} tests'))
    content = read_content(root)
    root, [booklet] = content.root, content.booklets
    problems = Problems()
    glyphs.check_booklet_glyphs(booklet, root, Styles(root).font_files(), problems)
    assert [problem.format() for problem in problems.errors + problems.warnings] == [
        f"booklet/b/booklet.yaml:3: error: '{NO_FONT}' (U+13000) is not in the booklet's font, "
        'nor in any font on this machine; it would print as an empty box',
        "booklet/b/booklet.yaml:8: warning: '→' (U+2192) is not in the booklet's font; it "
        'would print in a fallback font']


def test_clinic_value_the_card_font_lacks_is_an_error_at_its_csv_line(run, make_root):
    clinics = CLINICS + 'gamma,Ysbyty Gŵynedd ŷ,0113 496 0003\ndelta,Δ 中,0113 496 0004\n'
    result = check(run, make_root, clinics=clinics)
    assert result.code == 1
    assert result.lines == [
        "cards/test-card/clinics.csv:4: error: the name 'Ysbyty Gŵynedd ŷ' has 'ŵ' (U+0175) and "
        "'ŷ' (U+0177), which the card's font lacks; clinic values are printed without a "
        'fallback font, so they would print as empty boxes',
        "cards/test-card/clinics.csv:5: error: the name 'Δ 中' has '中' (U+4E2D), which the "
        "card's font lacks; clinic values are printed without a fallback font, so it would "
        'print as an empty box']


def test_card_faces_are_checked_like_chapters(run, make_root, no_font_has_it):
    result = check(run, make_root, front=FRONT + '\nTurn → here.\n',
                   back=f'# Staff\n\nSign {NO_FONT}.\n\nTeam: {{{{ clinic.name }}}}\n')
    assert result.code == 1
    assert result.lines == [
        f"cards/test-card/back.md:3: error: '{NO_FONT}' (U+13000) is not in the card's font, "
        'nor in any font on this machine; it would print as an empty box',
        "cards/test-card/front.md:10: warning: '→' (U+2192) is not in the card's font; it "
        'would print in a fallback font']
