"""One cause, one error: no false follow-on errors, "did you mean" for every name, ``ids``,
no success line from a failed build, plain messages for a port in use or a closed pipe, and
review governance in every build."""

import re
import socket
import subprocess
import sys

import pytest

from conftest import META, PROJECT

CARD = 'title: Test alert card\nurl: https://test.example.org/booklet#scc\nrequires: [name, phone]\n'
FACES = {'cards/test-card/front.md': '# For patients\n\nCall {{ clinic.phone }}.\n',
         'cards/test-card/back.md': '# For professionals\n\nTeam: {{ clinic.name }}\n'}
CLINICS = 'id,name,phone\nalpha,Alpha Clinic,0113 496 0001\n'
CHAPTER = ('# A\n\nKeep the [alert card](#alert-card) with you.\n\n'
           '## Spinal cord compression {#scc}\n')
# A progress line of a made output (pipeline.progress_lines), or of a build with nothing to do.
SUCCESS = re.compile(r'^\s*(booklet|card|clinics|web|up to date)', re.M)


def with_card(make_root, meta=META + 'card: test-card\n', card=CARD, clinics=CLINICS,
              chapter=CHAPTER, **extra):
    return make_root({'booklet/b/01-a.md': chapter, 'cards/test-card/card.yaml': card,
                      'cards/test-card/clinics.csv': clinics, **FACES, **extra}, meta=meta)


def both(run, root, tmp_path):
    """check and build say the same about a root whose sources are wrong (read errors stop a
    build before anything is laid out)."""
    checked = run('check', '--source', root)
    built = run('--source', root, '--out', tmp_path / 'out', '--formats', 'web')
    assert (checked.code, built.code) == (1, 1)
    assert checked.lines == built.lines
    assert 'Traceback' not in built.err and not SUCCESS.search(built.out)
    return built.lines


# -- no false follow-on errors ---------------------------------------------------------------

def test_a_colon_in_a_value_is_one_error_saying_how_to_quote_it(run, make_root, tmp_path):
    # Not also "no heading with id 'alert-card'" (the card: key was never read), nor "its QR
    # code opens ..., which is no booklet's online_url" (the booklet's address is unknown).
    root = with_card(make_root, meta=META.replace('title: Test booklet', 'title: Bone: a guide')
                     + 'card: test-card\n')
    assert both(run, root, tmp_path) == [
        "booklet/b/booklet.yaml:1: error: invalid YAML: mapping values are not allowed here: a "
        "value holding ': ' must be in quotes, e.g. title: \"Bone: a guide\""]


def test_a_yaml_syntax_error_is_the_only_error(run, make_root, tmp_path):
    root = with_card(make_root, meta=META.replace('edition: 2nd edition', 'edition: [2nd')
                     + 'card: test-card\n')
    assert both(run, root, tmp_path) == [
        "booklet/b/booklet.yaml:5: error: invalid YAML: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence at line 4)"]


def test_an_error_in_clinics_csv_is_not_also_a_missing_card(run, make_root, tmp_path):
    root = with_card(make_root, clinics=CLINICS + 'beta,Beta,0161 496 0002,extra\n')
    assert both(run, root, tmp_path) == [
        'cards/test-card/clinics.csv:3: error: expected 3 values (id, name, phone), found 4']


def test_an_unreadable_chapter_does_not_break_references_to_it(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n\nSee [later](#later).\n',
                      'booklet/b/02-b.md': b'# B\n\n## Later {#later}\n\nCaf\xe9.\n'})
    assert both(run, root, tmp_path) == [
        'booklet/b/02-b.md:5: error: file is not UTF-8 text (byte 0xe9); save it as UTF-8']


def test_a_key_that_is_not_a_name_is_one_error(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n'}, meta=META + '? [a, b]\n: c\n')
    assert both(run, root, tmp_path) == [
        'booklet/b/booklet.yaml:10: error: a key must be a plain name such as title']


# -- did you mean ----------------------------------------------------------------------------

def test_unknown_reference_id_suggests_the_closest_heading(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n\nSee [this](#hormone-therapy).\n\n'
                                           '## Hormonal therapy\n\n## Pain\n'})
    assert both(run, root, tmp_path) == [
        "booklet/b/01-a.md:3: error: no heading with id 'hormone-therapy' (did you mean "
        "'hormonal-therapy'?)"]


def test_reference_to_the_card_without_one_keeps_its_own_hint(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    assert both(run, root, tmp_path) == [
        "booklet/b/01-a.md:3: error: no heading with id 'alert-card' (the alert card needs "
        "'card:' in booklet.yaml)"]


def test_misspelt_required_key_is_one_error_at_its_line(run, make_root, tmp_path):
    # Not also "missing required key 'next_review'" at line 1: one cause.
    root = make_root({'booklet/b/01-a.md': '# A\n'},
                     meta=META.replace('next_review:', 'next_reveiw:'))
    assert both(run, root, tmp_path) == [
        "booklet/b/booklet.yaml:6: error: unknown key 'next_reveiw' (did you mean "
        "'next_review'? it is required)"]


def test_misspelt_optional_key_is_a_warning_with_a_suggestion(run, make_root):
    root = make_root({'booklet/b/01-a.md': '# A\n'}, meta=META + 'langauge: cy\n')
    result = run('check', '--source', root)
    assert result.code == 0
    assert result.lines == ["booklet/b/booklet.yaml:10: warning: unknown key 'langauge' "
                            "(ignored; did you mean 'language'?)"]


def test_misspelt_card_yaml_key_is_one_error(run, make_root, tmp_path):
    root = with_card(make_root, card=CARD.replace('url:', 'ulr:'))
    assert both(run, root, tmp_path) == [
        "cards/test-card/card.yaml:2: error: unknown key 'ulr' (did you mean 'url'? it is "
        "required)"]


def test_card_slug_that_does_not_exist_suggests_one_that_does(run, make_root, tmp_path):
    root = with_card(make_root, meta=META + 'card: test-crad\n')
    assert both(run, root, tmp_path) == [
        "booklet/b/booklet.yaml:10: error: card 'test-crad' not found: no folder "
        "cards/test-crad (did you mean 'test-card'?)"]


@pytest.mark.parametrize('placeholder, columns, suggestion', [
    ('phon', 'id,name,phone', " (did you mean 'phone'?)"),
    ('fax', 'id,name,phone,fax_number', " (did you mean 'fax_number'?)"),
    ('fax', 'id,name,phone', ''),
])
def test_unknown_csv_column_suggests_a_close_one(run, make_root, tmp_path, placeholder,
                                                 columns, suggestion):
    values = ','.join(['alpha', 'Alpha', '0113 496 0001', '0113 496 0009'][:columns.count(',') + 1])
    root = with_card(make_root, clinics=f'{columns}\n{values}\n', **{
        'cards/test-card/front.md': f'# For patients\n\nCall {{{{ clinic.{placeholder} }}}}.\n'})
    assert both(run, root, tmp_path) == [
        f"cards/test-card/front.md:3: error: no column '{placeholder}' in clinics.csv"
        + suggestion]


# -- ids -------------------------------------------------------------------------------------

IDS_CHAPTERS = {
    'booklet/b/01-a.md': '# What is it?\n\nText.\n\n## Hormonal therapy\n\nMore.\n\n'
                         '## Pain {#pain}\n',
    'booklet/b/02-b.md': '# Next steps\n\nSee [pain](#pain) and [this](#hormone-therapy).\n',
}


def test_ids_lists_every_id_even_of_a_booklet_with_errors(run, make_root, tmp_path):
    root = make_root(IDS_CHAPTERS)
    result = run('ids', 'b', '--source', root, '--out', tmp_path / 'none')
    assert (result.code, result.err) == (0, '')
    assert result.out.splitlines() == [
        f'booklet/b: 4 ids; no pages: {tmp_path / "none" / "build-report.json"} does not list '
        'this booklet (build it)',
        'id                 page  heading             where',
        'what-is-it*           -  What is it?         01-a.md:1',
        'hormonal-therapy*     -    Hormonal therapy  01-a.md:5',
        'pain                  -    Pain              01-a.md:9',
        'next-steps*           -  Next steps          02-b.md:1',
        "* made from the heading's text, so it changes with the heading: to keep it, write "
        '{#id} after the heading',
    ]


def test_ids_gives_the_page_of_each_id_and_the_alert_card(run, make_root, tmp_path):
    root = with_card(make_root, chapter='# A\n\nText.\n\n## Spinal cord compression {#scc}\n\n'
                                        'See [the card](#alert-card).\n')
    out = tmp_path / 'out'
    assert run('--source', root, '--out', out, '--formats', 'booklet', '-q').code == 0
    result = run('ids', 'b', '--source', root, '--out', out)
    assert (result.code, result.err) == (0, '')
    lines = result.out.splitlines()
    assert lines[0] == (f'booklet/b: 3 ids; pages of the booklet as last built '
                        f'({out / "build-report.json"})')
    rows = [re.split(' {2,}', line.strip()) for line in lines[1:]]
    assert rows[:3] == [['id', 'page', 'heading', 'where'], ['a*', '3', 'A', '01-a.md:1'],
                        ['scc', '3', 'Spinal cord compression', '01-a.md:5']]
    assert rows[3][0] == 'alert-card' and rows[3][1].isdigit()
    assert rows[3][2:] == ['the alert card (test-card), on the back page', 'booklet.yaml:10']
    assert lines[2].index(' A ') < lines[3].index('Spinal')  # indented by heading level


def test_ids_of_an_unknown_booklet_is_a_usage_error(run, make_root):
    root = make_root(IDS_CHAPTERS, slug='bone')
    result = run('ids', 'bnoe', '--source', root)
    assert (result.code, result.out) == (2, '')
    assert result.lines == [f"build.py: error: no booklet 'bnoe' in {root / 'booklet'} (did "
                            "you mean 'bone'?)"]
    with pytest.raises(SystemExit) as exit:
        run('ids', '--source', root)
    assert exit.value.code == 2


# -- failures are plain, and never look like success -----------------------------------------

def test_a_failed_build_prints_no_success_line(run, make_root, tmp_path):
    """Two booklets, one fine, one whose card does not fit: exit 1, and nothing on stdout
    says that an output was made."""
    root = with_card(make_root, **{
        'cards/test-card/front.md': '# For patients\n\n' + 'Much more text here. ' * 60 + '\n',
        'booklet/c/booklet.yaml': META.replace('/booklet', '/c'),
        'booklet/c/01-a.md': '# C\n\nFine.\n'})
    result = run('--source', root, '--out', tmp_path / 'out', '--formats', 'web,cards')
    assert result.code == 1
    assert result.lines[0].startswith('cards/test-card/front.md: error: text overflows')
    assert not SUCCESS.search(result.out), result.out


def test_a_port_in_use_is_a_plain_usage_error(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n'})
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run('watch', '--source', root, '--out', tmp_path / 'out', '--port', port)
    assert (result.code, result.out) == (2, '')
    assert result.lines == [f'build.py: error: watch: port {port} is in use: choose another '
                            'with --port']


def test_a_reader_that_leaves_ends_the_command_quietly(make_root):
    """``build.py check | head -1``: no traceback, no "internal error", exit 1."""
    root = make_root({'booklet/b/01-a.md': '# A\n\nShort words. Plain talk.\n'})
    command = subprocess.Popen([sys.executable, 'build.py', 'check', '--source', str(root)],
                               cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    command.stdout.close()  # gone before the command writes a line
    err = command.stderr.read().decode()
    command.stderr.close()
    assert (command.wait(timeout=60), err) == (1, '')


# -- review governance in every build --------------------------------------------------------

OVERDUE = ('booklet/b/booklet.yaml:6: {} next review was due on 2026-10-01 (51 days ago): '
           'review the content and update last_reviewed and next_review')


def test_build_warns_of_reviews_as_check_does(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n\nShort words. Plain talk.\n'},
                     meta=META.replace('next_review: 2027-08-01', 'next_review: 2026-10-01'))
    checked = run('check', '--source', root)
    built = run('--source', root, '--out', tmp_path / 'out', '--formats', 'web', '-q')
    assert (checked.code, built.code) == (0, 0)
    assert checked.lines == built.lines == [OVERDUE.format('warning:')]
    # Every build, even one with nothing to make: the date passed, not the sources.
    again = run('--source', root, '--out', tmp_path / 'out', '--formats', 'web')
    assert (again.code, again.lines) == (0, [OVERDUE.format('warning:')])
    assert again.out.startswith('up to date')


def test_build_warns_of_a_review_due_soon(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n'},
                     meta=META.replace('next_review: 2027-08-01', 'next_review: 2027-01-10'))
    built = run('--source', root, '--out', tmp_path / 'out', '--formats', 'web', '-q')
    assert (built.code, built.lines) == (0, ['booklet/b/booklet.yaml:6: warning: next review is '
                                             'due on 2027-01-10, in 50 days'])


def test_strict_build_fails_on_an_overdue_review_and_writes_nothing(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n'},
                     meta=META.replace('next_review: 2027-08-01', 'next_review: 2026-10-01'))
    out = tmp_path / 'out'
    checked = run('check', '--strict', '--source', root)
    built = run('--strict', '--source', root, '--out', out, '--formats', 'web')
    assert (checked.code, built.code) == (1, 1)
    assert checked.lines == built.lines == [OVERDUE.format('error:')]
    assert built.out == '' and not out.exists()


@pytest.mark.parametrize('last, upcoming, warned', [
    ('2026-09-30', '2029-09-30', False),  # three calendar years, a leap day among them
    ('2026-09-30', '2029-10-01', True),
])
def test_a_review_period_of_three_calendar_years_is_not_too_long(run, make_root, last,
                                                                  upcoming, warned):
    meta = META.replace('last_reviewed: 2026-02-01', f'last_reviewed: {last}').replace(
        'next_review: 2027-08-01', f'next_review: {upcoming}')
    result = run('check', '--source', make_root({'booklet/b/01-a.md': '# A\n'}, meta=meta))
    assert result.lines == ([f'booklet/b/booklet.yaml:6: warning: review period is 3.0 years '
                             f'(last reviewed {last}, next review {upcoming}); the longest '
                             'advised is 3 years'] if warned else [])
