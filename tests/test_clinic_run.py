"""A run of 300 clinics (tests/roots/clinic-run): every card fits, and each of the hardest ones
is the same, raster and words, as a plain card with its values typed into the faces."""

import csv
import html
import re
import shutil
import subprocess

import pdfplumber
import pytest
from PIL import Image, ImageChops

from conftest import ROOTS, build_once

ROOT = ROOTS / 'clinic-run'
CARD = 'team-card'
WIDE = set('WMmw@')


def clinics():
    with open(ROOT / 'cards' / CARD / 'clinics.csv', newline='', encoding='utf-8') as file:
        return list(csv.DictReader(file))


def hardest(rows, count=10):
    """The longest values, the widest letters, the 58-letter word and the longest phones."""
    chosen = []
    for key in (lambda row: len(row['name']) + len(row['phone']),
                lambda row: sum(char in WIDE for char in row['name']),
                lambda row: max(len(word) for word in row['name'].split()),
                lambda row: len(row['phone'])):
        for row in sorted(rows, key=key, reverse=True):
            if row not in chosen:
                chosen.append(row)
                break
    for row in sorted(rows, key=lambda row: len(row['name']), reverse=True):
        if len(chosen) == count:
            break
        if row not in chosen:
            chosen.append(row)
    return chosen


def typed(value):
    """``value`` as Markdown that prints it literally, in bold like a filled-in field."""
    text = html.escape(value, quote=True).replace("'", '&#x27;')
    text = re.sub(r'([\\`*_{}\[\]()#+.!|-])', r'\\\1', text)
    # As the card keeps a phone number's digit groups on one line.
    text = re.sub(r'(?:\\\+)?\d+(?: \d+)+', lambda match: '<span style="white-space: nowrap">'
                  + match.group(0).replace('\\', '') + '</span>', text)
    return '**' + text + '**'


@pytest.fixture(scope='module')
def runs(built_root, tmp_path_factory):
    """(the clinic run built, the 10 hardest rows, plain cards with their values typed in)."""
    built = built_root('clinic-run')
    rows = hardest(clinics())
    plain = tmp_path_factory.mktemp('typed') / 'root'
    shutil.copytree(ROOT, plain, ignore=shutil.ignore_patterns('clinics.csv', '*.py'))
    for row in rows:
        folder = plain / 'cards' / f'typed-{row["id"]}'
        shutil.copytree(ROOT / 'cards' / CARD, folder,
                        ignore=shutil.ignore_patterns('clinics.csv', '*.py'))
        for face in ('front.md', 'back.md'):
            source = (folder / face).read_text(encoding='utf-8')
            (folder / face).write_text(re.sub(r'\{\{\s*clinic\.(\w+)\s*\}\}',
                                              lambda match: typed(row[match.group(1)]), source),
                                       encoding='utf-8')
        settings = (folder / 'card.yaml').read_text(encoding='utf-8')
        (folder / 'card.yaml').write_text(re.sub(r'(?m)^requires:.*\n', '', settings),
                                          encoding='utf-8')
    reference = build_once(tmp_path_factory, 'typed', plain, '--formats', 'cards')
    assert (reference.code, reference.lines) == (0, [])
    return built, rows, reference


def test_every_clinic_of_the_run_gets_a_card_that_fits(runs):
    built, _, _ = runs
    assert (built.code, built.lines) == (0, [])
    rows = clinics()
    assert len(rows) == 300
    assert min(len(row['name']) for row in rows) >= 20
    assert max(len(row['name']) for row in rows) == 80
    made = sorted(path.stem for path in (built.out / 'cards' / CARD).glob('*.pdf')
                  if not path.stem.endswith('-sheet'))
    assert made == sorted(row['id'] for row in rows)


def words(path):
    with pdfplumber.open(path) as pdf:
        return [[(word['text'], word['x0'], word['top']) for word in page.extract_words()]
                for page in pdf.pages]


def same_words(mine, theirs):
    """The same words on each page, each within 0.1 pt of its place."""
    return len(mine) == len(theirs) and all(
        len(one) == len(two) and all(a[0] == b[0] and abs(a[1] - b[1]) <= 0.1 and
                                     abs(a[2] - b[2]) <= 0.1 for a, b in zip(one, two))
        for one, two in zip(mine, theirs))


def raster(path, folder, name):
    subprocess.run(['pdftoppm', '-png', '-r', '150', str(path), str(folder / name)], check=True)
    return [Image.open(file).convert('L') for file in sorted(folder.glob(f'{name}-*.png'))]


def test_the_hardest_clinics_match_plain_cards_with_their_values_typed_in(runs, tmp_path):
    built, rows, reference = runs
    for row in rows:
        run_pdf = built.out / 'cards' / CARD / f'{row["id"]}.pdf'
        plain_pdf = reference.out / 'cards' / f'typed-{row["id"]}.pdf'
        # The same words at the same places (pdfplumber, to 0.1 pt)...
        assert same_words(words(run_pdf), words(plain_pdf)), row['id']
        # ...and the same pixels at 150 dpi, but for anti-aliasing: the run draws each glyph
        # at Pango's own advance where WeasyPrint rounds to 1/1000 em, so letters may stand
        # up to 0.1 pt apart (grey levels differ by up to about 60 on their edges); a word
        # moved by a pixel differs by far more.
        for mine, theirs in zip(raster(run_pdf, tmp_path, f'run-{row["id"]}'),
                                raster(plain_pdf, tmp_path, f'plain-{row["id"]}')):
            assert mine.size == theirs.size
            assert ImageChops.difference(mine, theirs).getextrema()[1] <= 96, row['id']


def test_values_wrap_mid_line_and_what_follows_reflows(runs):
    """The 58-letter word breaks inside the card, and the text after a field moves with it."""
    built, _, _ = runs
    row = next(row for row in clinics() if 'Llanfairpwll' in row['name'])
    with pdfplumber.open(built.out / 'cards' / CARD / f'{row["id"]}.pdf') as pdf:
        for page in pdf.pages:
            assert all(word['x1'] <= page.width - 3 * 72 / 25.4 + 0.5
                       for word in page.extract_words()), row['id']
        text = ' '.join(pdf.pages[1].extract_text().split())
    assert ', on ' in text and 'day or night.' in text


def test_an_impossible_value_in_the_run_is_one_error_at_its_row(run, root_copy):
    """Among 300 clinics, one name far too long for the card and one with a letter the card's
    font lacks: exactly one error each, at their rows; no other clinic is named."""
    root = root_copy('clinic-run')
    path = root / 'cards' / CARD / 'clinics.csv'
    rows = path.read_text(encoding='utf-8').splitlines()
    too_long = 'Royal Brackleymoor and Ashworth Vale University Hospital Lymph Service ' * 5
    rows[100] = f'c00099,{too_long.strip()},0113 496 0999'
    rows[200] = 'c00199,Ysbyty Tŷ Gwyn,029 2018 0199'
    path.write_text('\n'.join(rows) + '\n', encoding='utf-8')
    result = run('--source', root, '--out', root.parent / 'out', '--formats', 'cards', '-q')
    assert result.code == 1
    assert [line.split(': error: ')[0] for line in result.lines] == [
        f'cards/{CARD}/clinics.csv:101', f'cards/{CARD}/clinics.csv:201'], result.lines
    assert "the name 'Royal Brackleymoor" in result.lines[0]
    assert 'makes the front face overflow the 85×55 mm card by' in result.lines[0]
    assert "'ŷ' (U+0177), which the card's font lacks" in result.lines[1]
