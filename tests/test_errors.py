"""Every content error: exit 1, ``path:line: error: message`` lines, all problems at once, no traceback."""

import pytest

from conftest import META

CHAPTER = {'booklet/b/01-a.md': '# A\n\nText.\n'}


def check(run, root):
    result = run('check', '--source', root)
    assert 'Traceback' not in result.err
    return result


def test_valid_root_checks_clean(run, make_root):
    result = check(run, make_root(CHAPTER))
    assert result.code == 0, result.err
    assert result.err == ''


def test_invalid_yaml_names_its_line(run, make_root):
    meta = META.replace('edition: 2nd edition', 'edition: [2nd edition')
    result = check(run, make_root(CHAPTER, meta=meta))
    assert result.code == 1
    assert result.lines == ["booklet/b/booklet.yaml:5: error: invalid YAML: expected ',' or ']', "
                            "but got ':' (while parsing a flow sequence at line 4)"]


def test_missing_and_ill_typed_keys_are_all_reported(run, make_root):
    meta = '\n'.join(line for line in META.splitlines()
                     if not line.startswith(('helpline', 'website')))
    meta = meta.replace('title: Test booklet', 'title: [a, b]')
    result = check(run, make_root(CHAPTER, meta=meta + '\n'))
    assert result.code == 1
    assert result.lines == [
        "booklet/b/booklet.yaml:1: error: missing required key 'helpline'",
        "booklet/b/booklet.yaml:1: error: missing required key 'website'",
        "booklet/b/booklet.yaml:1: error: 'title' must be text, not a list",
    ]


@pytest.mark.parametrize('value, message', [
    ('2026-02-30', "'last_reviewed' is not a real date: 2026-02-30"),
    ('February 2026', "'last_reviewed' must be an ISO date (YYYY-MM-DD), not 'February 2026'"),
])
def test_impossible_dates(run, make_root, value, message):
    meta = META.replace('last_reviewed: 2026-02-01', f'last_reviewed: {value}')
    result = check(run, make_root(CHAPTER, meta=meta))
    assert result.code == 1
    assert result.lines == [f'booklet/b/booklet.yaml:5: error: {message}']


def test_next_review_must_follow_last_review(run, make_root):
    meta = META.replace('next_review: 2027-08-01', 'next_review: 2026-01-01')
    result = check(run, make_root(CHAPTER, meta=meta))
    assert result.code == 1
    assert result.lines == ["booklet/b/booklet.yaml:6: error: 'next_review' (2026-01-01) must be "
                            "after 'last_reviewed' (2026-02-01)"]


def test_unknown_key_is_a_warning(run, make_root):
    result = check(run, make_root(CHAPTER, meta=META + 'helpine: 0800\n'))
    assert result.code == 0
    assert result.lines == ["booklet/b/booklet.yaml:10: warning: unknown key 'helpine' (ignored)"]


def test_broken_reference_and_duplicate_id_all_reported(run, make_root):
    root = make_root({
        'booklet/b/01-a.md': '# A\n\nSee [pain](#pain) and [x](#nowhere).\n\n## Pain {#pain}\n',
        'booklet/b/02-b.md': '# B\n\n## More pain {#pain}\n\nOn [page](#missing).\n',
    })
    result = check(run, root)
    assert result.code == 1
    assert result.lines == [
        "booklet/b/01-a.md:3: error: no heading with id 'nowhere'",
        "booklet/b/02-b.md:3: error: duplicate heading id 'pain' (first used at "
        "booklet/b/01-a.md:5); give one of them its own id with {#new-id}",
        "booklet/b/02-b.md:5: error: no heading with id 'missing'",
    ]


def test_missing_image_and_missing_alt_text(run, make_root):
    root = make_root({'booklet/b/01-a.md': '# A\n\n![](images/nothere.png)\n'})
    result = check(run, root)
    assert result.code == 1
    assert result.lines == [
        "booklet/b/01-a.md:3: error: image 'images/nothere.png' has no alt text: describe it in "
        "![...](images/nothere.png)",
        'booklet/b/01-a.md:3: error: image not found: images/nothere.png',
    ]


def test_file_not_utf8(run, make_root):
    root = make_root({'booklet/b/01-a.md': '# A\n\nCaf\xe9\n'.encode('latin-1')})
    result = check(run, root)
    assert result.code == 1
    assert result.lines == ['booklet/b/01-a.md:3: error: file is not UTF-8 text (byte 0xe9); '
                            'save it as UTF-8']


def test_booklet_without_chapters(run, make_root):
    result = check(run, make_root({}))
    assert result.code == 1
    assert result.lines == ['booklet/b: error: booklet has no chapters: add Markdown files such '
                            'as 01-about.md']


def test_missing_booklet_yaml(run, make_root):
    result = check(run, make_root(CHAPTER, meta=None))
    assert result.code == 1
    assert result.lines == ['booklet/b: error: missing booklet.yaml (title, code, edition, '
                            'review dates, ...)']


def test_errors_in_several_booklets_are_all_reported(run, make_root):
    root = make_root({**CHAPTER, 'booklet/c/01-a.md': '# C\n\n[x](#y)\n',
                      'booklet/c/booklet.yaml': META})
    (root / 'booklet/b/booklet.yaml').write_text(META.replace('code: TB-01\n', ''))
    result = check(run, root)
    assert result.code == 1
    assert result.lines == ["booklet/b/booklet.yaml:1: error: missing required key 'code'",
                            "booklet/c/01-a.md:3: error: no heading with id 'y'"]


def test_build_stops_on_errors_and_writes_nothing(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n\n[x](#y)\n'})
    result = run('--source', root, '--out', tmp_path / 'out')
    assert result.code == 1
    assert result.lines == ["booklet/b/01-a.md:3: error: no heading with id 'y'"]
    assert not (tmp_path / 'out' / 'b.pdf').exists()


def test_missing_content_root_is_a_usage_error(run, tmp_path):
    result = run('check', '--source', tmp_path / 'nothing')
    assert result.code == 2
    assert result.err == f'build.py: error: --source {tmp_path / "nothing"}: no such folder\n'


def test_folder_that_is_not_a_content_root(run, tmp_path):
    result = run('check', '--source', tmp_path)
    assert result.code == 1
    assert result.lines == [f'{tmp_path}: error: not a content root: it has no booklet/ or '
                            'cards/ folder']


def test_unreadable_content_root(run, make_root, monkeypatch):
    import os
    root = make_root(CHAPTER)
    real_access = os.access
    monkeypatch.setattr(os, 'access', lambda path, mode: False if str(path) == str(root)
                        else real_access(path, mode))
    result = run('check', '--source', root)
    assert result.code == 1
    assert result.lines == [f'{root}: error: cannot read the content root']


def test_unwritable_output_folder(run, make_root, tmp_path):
    root = make_root(CHAPTER)
    blocker = tmp_path / 'file'
    blocker.write_text('not a folder')
    result = run('--source', root, '--out', blocker / 'out')
    assert result.code == 1
    assert len(result.lines) == 1
    assert result.lines[0].startswith(f'{blocker / "out"}: error: cannot write to the output '
                                      'folder: ')


@pytest.mark.parametrize('argv', [['publish'], ['--bogus'], ['check', 'extra']])
def test_usage_errors_exit_2(run, argv):
    with pytest.raises(SystemExit) as exit:
        run(*argv)
    assert exit.value.code == 2


def test_help_explains_both_commands(run):
    with pytest.raises(SystemExit) as exit:
        run('--help')
    assert exit.value.code == 0


def test_character_missing_from_the_font_is_a_warning(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n\nGo left → then right → again.\n'})
    result = run('--source', root, '--out', tmp_path / 'out', '-q')
    assert result.code == 0
    assert result.lines == ["booklet/b/01-a.md:3: warning: '→' (U+2192) is not in the booklet's "
                            "font; it would print in a fallback font"]
