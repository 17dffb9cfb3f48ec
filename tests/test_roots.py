"""The fixture content roots in tests/roots/, each a worst realistic case, built once a session:
thirty chapters referring forward and back, the longest review dates and a 90-character address,
a 12-column table, Welsh letters the booklet font lacks, and clinic names of 70 characters."""

import csv
import re
import subprocess

import pdfplumber
import pypdf
import pytest

from conftest import ROOTS, booklets_of, page_texts, report
from test_lost_content import assert_inside_text_area
from test_sample import SEEDS, words

PASSING = ['many-chapters', 'dates', 'wide-table', 'welsh', 'back-matter']
VARIANTS = {'booklet': '', 'booklet-print': '-print', 'booklet-large-print': '-large-print'}


def flat(text):
    return ' '.join(text.split())


def solid(text):
    """Text without any whitespace: what survives however a line was wrapped."""
    return ''.join(text.split())


def folio(text):
    """The page number a page's footer prints, or None (cover, back cover)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    footer = lines[-1] if lines else ''
    match = re.fullmatch(r'(\d+)\s+Call our Helpline.*|Visit \S+\s+(\d+)', footer)
    return int(match.group(1) or match.group(2)) if match else None


@pytest.mark.parametrize('name', PASSING)
def test_every_root_builds_without_problems(built_root, name):
    """(The Welsh root's two warnings, exactly, are checked below.)"""
    built = built_root(name)
    assert built.code == 0, built.err
    if name != 'welsh':
        assert built.lines == [] and report(built)['warnings'] == []


# Thirty chapters ------------------------------------------------------------------------------

SLUG = 'thirty-chapters'


def chapter_ids():
    """{chapter file name: the id of its title}, in file-name (reading) order."""
    return {path.name: path.read_text(encoding='utf-8').splitlines()[0].split('{#')[1].rstrip('}')
            for path in sorted((ROOTS / 'many-chapters/booklet' / SLUG).glob('*.md'))}


@pytest.fixture(scope='module')
def chapters(built_root):
    built = built_root('many-chapters')
    assert built.code == 0, built.err
    return built


@pytest.mark.parametrize('variant', VARIANTS)
def test_every_heading_is_on_the_page_its_footer_and_the_report_give(chapters, variant):
    texts = page_texts(chapters / f'{SLUG}{VARIANTS[variant]}.pdf')
    anchors = [a for a in report(chapters)['anchors'] if a['variant'] == variant]
    assert len(anchors) > 60
    for anchor in anchors:
        page = texts[anchor['pdf_page'] - 1]
        assert flat(anchor['title']) in flat(page), anchor
        if anchor['id'] != 'alert-card' or variant == 'booklet-large-print':
            # (the back page has no footer; large print gives the card a page of its own)
            assert folio(page) == anchor['page'] == anchor['pdf_page'], anchor


@pytest.mark.parametrize('variant', VARIANTS)
def test_references_forward_and_back_print_their_targets_pages(chapters, variant):
    data = report(chapters)
    texts = page_texts(chapters / f'{SLUG}{VARIANTS[variant]}.pdf')
    anchors = {a['id']: a for a in data['anchors'] if a['variant'] == variant}
    references = [r for r in data['references'] if r['variant'] == variant]
    for reference in references:
        assert reference['page'] == anchors[reference['target']]['page'], reference
    chapter_pages = {name: anchors[id]['page'] for name, id in chapter_ids().items()}
    # (The line under the back page's card, "see page N of this booklet", is reported at the
    # card's url: line; it is checked with the others below.)
    pages = [(chapter_pages[r['source'].split('/')[-1].split(':')[0]], r['page'])
             for r in references
             if r['target'] != 'alert-card' and r['source'].startswith('booklet/')]
    forward = [1 for here, there in pages if there > here]
    back = [1 for here, there in pages if there < here]
    assert len(forward) >= 20 and len(back) >= 20
    # The card is "the back page" in the A5 booklets, and has its own page in large print.
    by_number = variant == 'booklet-large-print'
    printed = [int(n) for n in re.findall(r'\bpage (\d+)', flat('\n'.join(texts)))]
    assert printed == [r['page'] for r in references if r['form'] in ('see', 'page')
                       and (r['target'] != 'alert-card' or by_number)]
    assert flat('\n'.join(texts)).count('(see the back page)') == (0 if by_number else sum(
        r['target'] == 'alert-card' and r['form'] == 'see' for r in references))


def test_a_contents_list_over_two_pages_gives_every_chapter_its_page(chapters):
    texts = page_texts(chapters / f'{SLUG}.pdf')
    ids = list(chapter_ids().values())
    assert len(ids) == 30
    anchors = {a['id']: a for a in report(chapters)['anchors'] if a['variant'] == 'booklet'}
    assert texts[1].strip().startswith('Contents') and folio(texts[2]) == 3
    contents = texts[1] + texts[2]
    for id in ids:
        title = anchors[id]['title']
        match = re.search(rf'^\s*{re.escape(title)}\s*\.{{5,}}\s*(\d+)\s*$', contents, re.M)
        assert match and int(match.group(1)) == anchors[id]['page'], title
    assert anchors[ids[0]]['page'] == 4


# Dates and a long address ---------------------------------------------------------------------

DATES = 'Last reviewed: September 2026 · Next planned review: November 2028'


@pytest.fixture(scope='module')
def dates(built_root):
    built = built_root('dates')
    assert built.code == 0, built.err
    return built


@pytest.mark.parametrize('slug', ['long-address', 'card-dates'])
@pytest.mark.parametrize('suffix', VARIANTS.values())
def test_the_longest_month_names_print_whole_on_the_back_cover(dates, slug, suffix):
    back = page_texts(dates / f'{slug}{suffix}.pdf')[-1]
    assert DATES in flat(back)
    meta = booklets_of(ROOTS / 'dates')[slug]
    address = meta['online_url'].removeprefix('https://').removeprefix('www.')
    if slug == 'long-address':
        assert len(meta['online_url']) == 90
    # In full, however it wraps.
    assert solid(f'Read this booklet online at {address}') in solid(back)
    reader = pypdf.PdfReader(dates / f'{slug}{suffix}.pdf')
    assert reader.metadata['/CreationDate'].startswith('D:20260930' if slug == 'long-address'
                                                      else 'D:20260901')


def test_the_card_front_prints_both_dates_on_one_line(dates):
    line = 'Reviewed September 2026 · next review November 2028'
    for path, cards in (('cards/review-card.pdf', 1), ('cards/review-card-sheet.pdf', 10)):
        text = subprocess.run(['pdftotext', '-layout', '-f', '1', '-l', '1', str(dates / path),
                               '-'], capture_output=True, text=True, check=True).stdout
        # -layout keeps a line of text on one line (two cards side by side on the sheet)
        assert sum(row.count(line) for row in text.splitlines()) == cards, path


def test_the_web_edition_shows_the_dates(dates):
    for page in ('web/index.html', 'web/long-address/index.html', 'web/card-dates/index.html'):
        text = flat(re.sub(r'<[^>]+>', ' ', (dates / page).read_text(encoding='utf-8')))
        assert DATES in text, page


def card_opening_the_long_address(run, root_copy):
    """Check a copy of dates/ whose card opens the 90-character address: (result, the start of
    the error expected at the card's url line; the rest of its wording is test_cards' concern)."""
    root = root_copy('dates')
    url = booklets_of(root)['long-address']['online_url'] + '#review-dates'
    card = root / 'cards/review-card/card.yaml'
    card.write_text(card.read_text().replace(
        'https://www.long-address.example.org/card#when-to-call', url))
    result = run('check', '--source', root)
    assert result.code == 1
    return result, f'cards/review-card/card.yaml:2: error: the QR code URL is {len(url)} characters'


def test_a_card_cannot_open_the_90_character_address(run, root_copy):
    result, start = card_opening_the_long_address(run, root_copy)
    assert [line for line in result.lines if line.startswith(start)] != []


def test_a_card_with_too_long_an_address_is_reported_once(run, root_copy):
    result, start = card_opening_the_long_address(run, root_copy)
    assert len(result.lines) == 1 and result.lines[0].startswith(start)


# A 12-column table ----------------------------------------------------------------------------

def source_rows():
    path = ROOTS / 'wide-table/booklet/medicine-timetable/01-timetable.md'
    rows = [line for line in path.read_text(encoding='utf-8').splitlines() if line.startswith('|')]
    return [[solid(cell) for cell in row.strip('|').split('|')] for row in rows if '---' not in row]


@pytest.mark.parametrize('suffix', VARIANTS.values())
def test_a_twelve_column_table_keeps_every_cell_in_its_column(built_root, suffix):
    built = built_root('wide-table')
    header, *body = source_rows()
    assert len(header) == 12 and len(body) == 5
    found = []
    with pdfplumber.open(built / f'medicine-timetable{suffix}.pdf') as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                if len(table[0]) == 12:
                    rows = [[solid(cell or '') for cell in row] for row in table]
                    assert rows[0] == header  # repeated on every page the table reaches
                    found += rows[1:]
    assert found == body


def test_a_twelve_column_table_stays_inside_the_text_area(built_root):
    built = built_root('wide-table')
    assert_inside_text_area(built / 'medicine-timetable.pdf')


# Welsh ----------------------------------------------------------------------------------------

WELSH = 'byw-gyda-thriniaeth'


def test_welsh_letters_the_font_lacks_warn_once_each_and_print_in_a_fallback(built_root):
    built = built_root('welsh')
    expected = [f"booklet/{WELSH}/01-croeso.md:9: warning: 'ŷ' (U+0177) is not in the booklet's "
                'font; it would print in a fallback font',
                f"booklet/{WELSH}/02-bwyd-a-diod.md:7: warning: 'ŵ' (U+0175) is not in the "
                "booklet's font; it would print in a fallback font"]
    assert (built.code, built.lines) == (0, expected)
    assert report(built)['warnings'] == expected
    for suffix in VARIANTS.values():
        path = built / f'{WELSH}{suffix}.pdf'
        text = flat('\n'.join(page_texts(path)))
        for word in ('tŷ', 'ŷd', 'dŵr', 'gŵr'):
            assert word in text, (suffix, word)
        fonts = subprocess.run(['pdffonts', str(path)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert any('DejaVu' in line for line in fonts), fonts
        assert all(line.split()[-5] == 'yes' for line in fonts)
        assert pypdf.PdfReader(path).trailer['/Root']['/Lang'] == 'cy'


# Seventy-character clinic names ---------------------------------------------------------------

def test_seventy_character_clinic_names_and_eleven_digit_numbers_fit_the_card(run, tmp_path):
    root = ROOTS / 'long-names'
    result = run('--source', root, '--out', tmp_path / 'out', '--formats', 'cards', '-q')
    assert (result.code, result.lines) == (0, [])
    clinics = (root / 'cards/team-card/clinics.csv').read_text(encoding='utf-8').splitlines()[1:]
    assert len(clinics) == 20
    for id, name, phone in csv.reader(clinics):
        assert len(re.sub(r'\D', '', phone)) == 11
        text = flat(subprocess.run(['pdftotext', str(tmp_path / f'out/cards/team-card/{id}.pdf'),
                                    '-'], capture_output=True, text=True, check=True).stdout)
        assert name in text and phone in text, id


# Our own words --------------------------------------------------------------------------------

@pytest.mark.skipif(not SEEDS.is_dir(), reason='reference texts not beside the repository')
def test_fixture_roots_are_in_our_own_words():
    """No run of 12 or more words is shared with the reference texts."""
    size = 12
    grams = set()
    for seed in SEEDS.glob('*.txt'):
        seq = words(seed.read_text(encoding='utf-8'))
        grams.update(tuple(seq[i:i + size]) for i in range(len(seq) - size + 1))
    copied = []
    for path in sorted(ROOTS.rglob('*.md')):
        seq = words(re.sub(r'\]\([^)]*\)|\{[^}]*\}', ' ', path.read_text(encoding='utf-8')))
        copied += [f'{path.name}: {" ".join(seq[i:i + size])}'
                   for i in range(len(seq) - size + 1) if tuple(seq[i:i + size]) in grams]
    assert copied == []
