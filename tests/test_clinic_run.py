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
    return '**' + re.sub(r'([\\`*_{}\[\]()#+.!|-])', r'\\\1', text) + '**'


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
        return [[(word['text'], round(word['x0'], 1), round(word['top'], 1))
                 for word in page.extract_words()] for page in pdf.pages]


def raster(path, folder, name):
    subprocess.run(['pdftoppm', '-png', '-r', '150', str(path), str(folder / name)], check=True)
    return [Image.open(file).convert('L') for file in sorted(folder.glob(f'{name}-*.png'))]


def test_the_hardest_clinics_match_plain_cards_with_their_values_typed_in(runs, tmp_path):
    built, rows, reference = runs
    for row in rows:
        run_pdf = built.out / 'cards' / CARD / f'{row["id"]}.pdf'
        plain_pdf = reference.out / 'cards' / f'typed-{row["id"]}.pdf'
        # The same words at the same places (pdfplumber, to 0.1 pt)...
        assert words(run_pdf) == words(plain_pdf), row['id']
        # ...and the same pixels at 150 dpi. The faces of a run are drawn as form XObjects,
        # whose images poppler may place a fraction of a pixel apart: a few grey pixels on the
        # QR code's edge, never a letter.
        for mine, theirs in zip(raster(run_pdf, tmp_path, f'run-{row["id"]}'),
                                raster(plain_pdf, tmp_path, f'plain-{row["id"]}')):
            assert mine.size == theirs.size
            difference = ImageChops.difference(mine, theirs)
            changed = sum(difference.point(lambda value: 255 if value > 32 else 0).histogram()[255:])
            assert changed <= 0.002 * mine.size[0] * mine.size[1], (row['id'], changed)


def test_values_wrap_mid_line_and_what_follows_reflows(runs):
    """The 58-letter word breaks inside the card, and the text after a field moves with it."""
    built, _, _ = runs
    row = next(row for row in clinics() if 'Llanfairpwll' in row['name'])
    with pdfplumber.open(built.out / 'cards' / CARD / f'{row["id"]}.pdf') as pdf:
        for page in pdf.pages:
            assert all(word['x1'] <= page.width - 3 * 72 / 25.4 + 0.5
                       for word in page.extract_words()), row['id']
        text = ' '.join(pdf.pages[0].extract_text().split())
    assert ', on ' in text and 'day or night.' in text
