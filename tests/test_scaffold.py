"""``new booklet`` and ``new card``: what they write builds, with verified references and a QR
code that scans; every refusal with its exact message, and nothing half-written."""

from datetime import date

import pytest

from conftest import report
from pressroom.new import review_date
from test_cards import decoded, outputs

NEXT = 'next: replace the placeholder text, then run\n  python build.py check --source {root}\n' \
       '  python build.py build --source {root}\n'


@pytest.fixture
def root(tmp_path):
    folder = tmp_path / 'content'
    folder.mkdir()
    return folder


def listing(folder):
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob('*'))


def test_new_booklet_writes_a_valid_booklet_that_builds(run, root, tmp_path):
    made = run('new', 'booklet', 'living-with-it', '--source', root)
    assert (made.code, made.err) == (0, '')
    assert made.out == (f'created booklet/living-with-it/ in {root}:\n'
                        '  booklet/living-with-it/01-about.md\n'
                        '  booklet/living-with-it/02-getting-help.md\n'
                        '  booklet/living-with-it/booklet.yaml\n'
                        '  booklet/living-with-it/images/example.svg\n' + NEXT.format(root=root))
    meta = (root / 'booklet/living-with-it/booklet.yaml').read_text()
    # PRESSROOM_TODAY is 2026-11-21 (conftest); three years on crosses 29 February 2028.
    for line in ('title: Living with it', 'last_reviewed: 2026-11-21', 'next_review: 2029-11-20',
                 'online_url: https://example.org/living-with-it'):
        assert f'\n{line}\n' in meta

    checked = run('check', '--source', root, '--strict')
    assert (checked.code, checked.err) == (0, '')
    assert 'check: 0 errors, 0 warnings' in checked.out

    out = tmp_path / 'out'
    built = run('--source', root, '--out', out, '-q')
    assert (built.code, built.err) == (0, '')
    assert (out / 'living-with-it.pdf').is_file()
    verified = {(entry['source'], entry['target'], entry['page'])
                for entry in report(out)['references'] if entry['variant'] == 'booklet'}
    assert verified == {('booklet/living-with-it/01-about.md:7', 'when-to-get-help', 4),
                        ('booklet/living-with-it/02-getting-help.md:11', 'about-this-booklet', 3)}
    assert report(out)['warnings'] == []


def test_new_card_opens_the_only_booklet_and_its_qr_code_scans(run, root, tmp_path):
    assert run('new', 'booklet', 'demo', '--source', root).code == 0
    made = run('new', 'card', 'alert', '--source', root)
    assert (made.code, made.err) == (0, '')
    url = 'https://example.org/demo#when-to-get-help'
    assert made.out == (f'created cards/alert/ in {root}:\n'
                        '  cards/alert/back.md\n  cards/alert/card.yaml\n'
                        '  cards/alert/clinics.csv\n  cards/alert/front.md\n'
                        f'Its QR code opens {url}, the web page of booklet/demo at '
                        "'When to get help': change 'url' in card.yaml to the section the card "
                        'is about.\n'
                        'To print the card on the back page of booklet/demo, add this line to '
                        'its booklet.yaml:\n  card: alert\n' + NEXT.format(root=root))
    assert f'\nurl: {url}\n' in (root / 'cards/alert/card.yaml').read_text()

    out = tmp_path / 'out'
    built = run('--source', root, '--out', out, '--formats', 'cards', '-q')
    assert (built.code, built.err) == (0, '')
    for path in ('cards/alert.pdf', 'cards/alert-sheet.pdf', 'cards/alert-sheet-print.pdf',
                 'cards/alert/example-north.pdf', 'cards/alert/example-south.pdf'):
        assert outputs(out)[path]['qr'] == url
    assert decoded(out / 'cards/alert.pdf', 1) == [url]  # the code is on the patient's face


def test_new_card_opens_the_first_section_of_the_chosen_booklet(run, make_root):
    root = make_root({'booklet/b/01-a.md': '# A\n\nText.\n\n## Section one\n\nText.\n'})
    assert run('new', 'booklet', 'other', '--source', root).code == 0
    assert run('new', 'card', 'c', '--source', root, '--booklet', 'b').code == 0
    assert '\nurl: https://test.example.org/booklet#section-one\n' in (
        root / 'cards/c/card.yaml').read_text()
    assert run('check', '--source', root).code == 0


@pytest.mark.parametrize('slug', ['Demo', 'my_booklet', 'two words', 'café', '0.5', 'demo\n'])
def test_a_name_that_cannot_be_a_folder_is_refused(run, root, slug):
    for kind in ('booklet', 'card'):
        result = run('new', kind, slug, '--source', root)
        assert (result.code, result.out) == (2, '')
        assert result.err == (f"build.py: error: '{slug}' cannot name a folder: use lower-case "
                              "letters, digits and '-', starting with a letter or digit (it "
                              'names files and web addresses)\n')
    assert listing(root) == []


def test_an_existing_folder_is_refused_and_left_alone(run, root):
    (root / 'booklet/demo').mkdir(parents=True)
    (root / 'booklet/demo/notes.md').write_text('mine')
    result = run('new', 'booklet', 'demo', '--source', root)
    assert (result.code, result.out) == (2, '')
    assert result.err == f'build.py: error: booklet/demo already exists in {root}: ' \
                         'choose another name\n'
    assert listing(root) == ['booklet', 'booklet/demo', 'booklet/demo/notes.md']


def test_a_source_that_is_not_a_folder_is_refused(run, tmp_path):
    (tmp_path / 'file').write_text('')
    for source in (tmp_path / 'nothing', tmp_path / 'file'):
        result = run('new', 'booklet', 'demo', '--source', source)
        assert (result.code, result.out) == (2, '')
        assert result.err == f'build.py: error: --source {source}: no such folder\n'
    assert not (tmp_path / 'nothing').exists()


def test_a_booklet_folder_leading_out_of_the_root_is_refused(run, root, tmp_path):
    (tmp_path / 'elsewhere').mkdir()
    (root / 'booklet').symlink_to(tmp_path / 'elsewhere')
    result = run('new', 'booklet', 'demo', '--source', root)
    assert (result.code, result.err) == (2, f'build.py: error: booklet/ in {root} resolves '
                                            'outside the content root: refusing to write there\n')
    assert listing(tmp_path / 'elsewhere') == []


def test_a_card_needs_one_booklet_to_open(run, root):
    alone = run('new', 'card', 'c', '--source', root)
    assert (alone.code, alone.err) == (2, "build.py: error: a card's QR code opens a booklet's "
                                          f'web page, and {root} has no booklet yet: create one '
                                          'first with new booklet SLUG\n')
    for slug in ('one', 'two'):
        assert run('new', 'booklet', slug, '--source', root).code == 0
    several = run('new', 'card', 'c', '--source', root)
    assert (several.code, several.err) == (2, "build.py: error: choose the booklet whose web "
                                              "page the card's QR code opens: --booklet one or "
                                              'two\n')
    unknown = run('new', 'card', 'c', '--source', root, '--booklet', 'three')
    assert (unknown.code, unknown.err) == (2, f'build.py: error: --booklet three: no folder '
                                              f'booklet/three in {root}\n')
    assert not (root / 'cards').exists() or listing(root / 'cards') == []
    chosen = run('new', 'card', 'c', '--source', root, '--booklet', 'two')
    assert chosen.code == 0
    assert '\nurl: https://example.org/two#when-to-get-help\n' in (
        root / 'cards/c/card.yaml').read_text()


def test_a_card_for_a_broken_booklet_shows_its_problems(run, make_root):
    root = make_root({'booklet/b/01-a.md': '# A\n\nSee [x](#nowhere).\n'})
    result = run('new', 'card', 'c', '--source', root)
    assert result.code == 1
    assert result.lines == ["booklet/b/01-a.md:3: error: no heading with id 'nowhere'"]
    assert listing(root / 'cards') == []


def test_booklet_option_is_for_cards_only(run, root):
    result = run('new', 'booklet', 'demo', '--source', root, '--booklet', 'x')
    assert (result.code, result.err) == (2, 'build.py: error: --booklet is for new card only\n')
    assert not (root / 'booklet').exists()


@pytest.mark.parametrize('day, expected', [
    (date(2026, 11, 21), date(2029, 11, 20)),  # over 29 February 2028: a day less
    (date(2025, 1, 1), date(2028, 1, 1)),
    (date(2028, 2, 29), date(2031, 2, 28)),
    (date(2029, 3, 1), date(2032, 2, 29)),
])
def test_the_next_review_is_three_years_on_within_the_advised_period(day, expected):
    assert review_date(day) == expected
    assert (expected - day).days / 365.25 <= 3

