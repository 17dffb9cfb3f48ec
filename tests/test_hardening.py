"""Untrusted content roots: nothing read outside the root, nothing written outside --out, no
hangs, no mixed outputs after a killed build, no two sources writing one file."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import META, PROJECT, report, write_tree
from pressroom.targets import files

CHAPTER = '# Alpha\n\nFirst words.\n'


def snapshot(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(Path(folder).rglob('*')) if path.is_file()}


def tree(folder):
    """Every path under ``folder`` (files, folders, links), to prove nothing new appeared."""
    return sorted(str(path) for path in Path(folder).rglob('*'))


def build(root, out, *extra, timeout=120, env=None):
    """The command as a user runs it, in its own process (a hang fails the test, not pytest)."""
    result = subprocess.run([sys.executable, 'build.py', '--source', str(root), '--out',
                             str(out), '-q', *map(str, extra)], cwd=PROJECT,
                            capture_output=True, text=True, timeout=timeout,
                            env={**os.environ, **(env or {})})
    return result.returncode, result.stderr.splitlines()


# Writing: the single place that writes keeps every output inside --out.

def test_symlink_and_dotdots_in_a_stylesheet_cannot_write_outside(make_root, tmp_path):
    # The reproduction: a link inside the root leads deeper into it, so the url() resolves
    # inside the styles folder while its text climbs out of web/assets/ and out of --out.
    root = make_root({'booklet/b/01-a.md': CHAPTER,
                      'styles/d1/d2/d3/d4/d5/d6/keep.txt': 'x',
                      'styles/evil/hello.sh': 'echo owned\n',
                      'styles/web.css': 'body { background: url(link/' + '../' * 6
                                        + 'evil/hello.sh) }\n'})
    (root / 'styles/link').symlink_to(root / 'styles/d1/d2/d3/d4/d5/d6')
    out = tmp_path / 'out'
    before = tree(tmp_path)
    code, lines = build(root, out, '--formats', 'web')
    assert code == 0, lines
    created = set(tree(tmp_path)) - set(before)
    assert all(path.startswith(str(out)) for path in created), created
    assert (out / 'web/assets/evil/hello.sh').read_bytes() == b'echo owned\n'
    css = (out / 'web/assets/web.css').read_text()
    assert 'url("evil/hello.sh")' in css and '..' not in css


def test_image_path_may_not_climb_out_of_the_booklet_folder(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n\n![Dot](deep/../../../evil.svg)\n'})
    result = run('--source', root, '--out', tmp_path / 'out', '--formats', 'web')
    assert result.code == 1
    assert result.lines == ["booklet/b/01-a.md:3: error: image 'deep/../../../evil.svg' must be "
                            'inside the booklet folder (no ../): move the file there']


@pytest.mark.parametrize('relative', ['../x.pdf', '/etc/x', 'a/../../x', 'a\\..\\x', 'a//b',
                                      '', 'web/\x00x'])
def test_commit_refuses_paths_outside_the_output_folder(tmp_path, relative):
    out = tmp_path / 'out'
    out.mkdir()
    with pytest.raises(Exception) as error:
        files.commit(out, {relative: b'x'})
    assert 'outside the output folder' in str(error.value)
    assert tree(tmp_path) == [str(out)]


def test_commit_refuses_a_symlinked_folder_in_the_output(tmp_path):
    out, elsewhere = tmp_path / 'out', tmp_path / 'elsewhere'
    out.mkdir()
    elsewhere.mkdir()
    (out / 'cards').symlink_to(elsewhere)
    with pytest.raises(Exception) as error:
        files.commit(out, {'cards/x.pdf': b'x'})
    assert "refusing to write 'cards/x.pdf'" in str(error.value)
    assert list(elsewhere.iterdir()) == []


def test_a_folder_in_the_way_of_an_output_fails_before_writing(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    out = tmp_path / 'out'
    assert run('--source', root, '--out', out).code == 0
    before = snapshot(out)
    (root / 'booklet/b/01-a.md').write_text('# Alpha\n\nChanged.\n')
    (out / 'b.pdf').unlink()
    (out / 'b.pdf').mkdir()
    result = run('--source', root, '--out', out)
    assert result.code == 1
    assert result.lines == [f'{out}/b.pdf: error: a folder is in the way of this output: move '
                            'it away']
    del before['b.pdf']
    assert snapshot(out) == before


@pytest.mark.parametrize('where, message', [
    ('/', 'refusing to write into the root folder /'),
    ('{root}', 'the output folder would hold the content root {root}; choose a folder of its '
               'own, such as output/'),
    ('{root}/..', 'the output folder would hold the content root {root}; choose a folder of '
                  'its own, such as output/'),
    ('{root}/booklet/out', "the output folder is inside the content root's booklet/ folder, "
                           'among the sources; choose a folder such as output/'),
    ('{root}/styles', "the output folder is inside the content root's styles/ folder, among the "
                      'sources; choose a folder such as output/'),
    ('{project}/pressroom/out', "the output folder is inside this project's pressroom/ folder; "
                                'choose a folder such as output/'),
    ('{project}/tests', "the output folder is inside this project's tests/ folder; choose a "
                        'folder such as output/'),
])
def test_bad_output_folders_are_usage_errors(run, make_root, where, message):
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    out = where.format(root=root, project=PROJECT)
    result = run('--source', root, '--out', out)
    assert result.code == 2
    assert result.lines == [f'build.py: error: --out {out}: '
                            + message.format(root=root, project=PROJECT)]
    assert not (PROJECT / 'pressroom/out').exists()


def test_output_folder_that_is_a_file_is_a_usage_error(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    (tmp_path / 'file').write_text('x')
    result = run('--source', root, '--out', tmp_path / 'file')
    assert result.code == 2
    assert result.lines == [f'build.py: error: --out {tmp_path}/file: exists and is not a folder']


# Reading: only regular files inside the root, within their size limit; nothing blocks.

@pytest.mark.parametrize('command', ['build', 'check'])
def test_booklet_yaml_linked_to_dev_zero(make_root, tmp_path, command):
    root = make_root({'booklet/b/01-a.md': CHAPTER}, meta=None)
    (root / 'booklet/b/booklet.yaml').symlink_to('/dev/zero')
    result = subprocess.run([sys.executable, 'build.py', command, '--source', str(root),
                             *(['--out', str(tmp_path / 'out')] if command == 'build' else [])],
                            cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert ('booklet/b/booklet.yaml: error: refusing to read a file that resolves outside the '
            'content root') in result.stderr.splitlines()


@pytest.mark.parametrize('name', ['booklet/b/booklet.yaml', 'cards/c/clinics.csv',
                                  'booklet/b/02-b.md'])
@pytest.mark.parametrize('command', ['build', 'check'])
def test_a_fifo_never_hangs_the_build(make_root, tmp_path, name, command):
    from test_cards import card_files
    root = make_root({'booklet/b/01-a.md': CHAPTER, **card_files(slug='c')})
    (root / name).unlink(missing_ok=True)
    os.mkfifo(root / name)
    result = subprocess.run([sys.executable, 'build.py', command, '--source', str(root),
                             *(['--out', str(tmp_path / 'out')] if command == 'build' else [])],
                            cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert (f'{name}: error: not a regular file (a pipe, device or folder): refusing to read '
            'it') in result.stderr.splitlines()


def test_booklet_folder_linked_to_usr_is_refused_without_reading_it(make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    (root / 'booklet/system').symlink_to('/usr')
    code, lines = build(root, tmp_path / 'out', timeout=60)
    assert code == 1
    assert lines == ['booklet/system: error: refusing a folder that resolves outside the '
                     'content root']


def test_hard_link_to_a_file_outside_the_root(run, make_root, tmp_path):
    secret = tmp_path / 'secret.md'
    secret.write_text('# Secret\n\nTOP-SECRET-HARDLINK\n')
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    os.link(secret, root / 'booklet/b/02-b.md')
    out = tmp_path / 'out'
    result = run('--source', root, '--out', out)
    assert result.code == 1
    assert result.lines == ['booklet/b/02-b.md: error: the file has 2 hard links, so its bytes '
                            'may belong to a file outside the content root: replace it with a '
                            'copy']
    assert not out.exists() or not any(b'TOP-SECRET' in data for data in snapshot(out).values())


def test_symlinked_notes_file_is_never_opened(make_root, tmp_path):
    # A file the build does not use may point anywhere: the cache must not open it either.
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    os.mkfifo(tmp_path / 'pipe')
    (root / 'booklet/b/notes.txt').symlink_to(tmp_path / 'pipe')
    code, lines = build(root, tmp_path / 'out', timeout=60)
    assert code == 0, lines


@pytest.mark.parametrize('name, size, message', [
    ('booklet/b/booklet.yaml', 300 * 1024, 'file is 300 KB; the limit for a .yaml file is 256 KB'),
    ('booklet/b/02-b.md', 3 * 1024 * 1024, 'file is 3.0 MB; the limit for a .md file is 2.0 MB'),
])
def test_size_limits(run, make_root, name, size, message):
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    path = root / name
    path.write_bytes(path.read_bytes() if path.exists() else b'# B\n')
    with open(path, 'ab') as stream:
        stream.write(b'x' * (size - path.stat().st_size))
    result = run('check', '--source', root)
    assert result.code == 1
    assert f'{name}: error: {message}' in result.lines


def test_chapter_file_name_that_is_not_utf8(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    with open(os.fsencode(root / 'booklet/b') + b'/02-caf\xe9.md', 'wb') as stream:
        stream.write(b'# B\n')
    result = run('--source', root, '--out', tmp_path / 'out')
    assert result.code == 1
    assert result.lines == ['booklet/b/02-caf\ufffd.md: error: file name is not UTF-8 text: '
                            'rename it']


def test_hidden_chapter_is_neither_read_nor_cached(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': CHAPTER, 'booklet/b/.02-draft.md': '# Draft\n'})
    out = tmp_path / 'out'
    assert run('--source', root, '--out', out).code == 0
    assert 'draft' not in [anchor['id'] for anchor in report(out)['anchors']]


# Transactions: a build stopped at any instant leaves the old outputs or the new ones.

class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no cleanup (not an Exception)."""


def kill_after(monkeypatch, renames):
    calls = []
    real = files.place

    def place(*args):
        if len(calls) == renames:
            raise Killed()
        calls.append(args)
        real(*args)

    monkeypatch.setattr(files, 'place', place)


@pytest.mark.parametrize('renames', [0, 3])
def test_killed_during_commit_then_sources_reverted(run, make_root, tmp_path, monkeypatch,
                                                    renames):
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    out, reference = tmp_path / 'out', tmp_path / 'reference'
    assert run('--source', root, '--out', out).code == 0
    assert run('--source', root, '--out', reference).code == 0
    first = snapshot(out)
    (root / 'booklet/b/01-a.md').write_text('# Alpha\n\nSecond words, a new edition.\n')
    real = files.place
    kill_after(monkeypatch, renames)
    with pytest.raises(Killed):
        run('--source', root, '--out', out)
    monkeypatch.setattr(files, 'place', real)
    assert (out / files.JOURNAL).exists()
    # The editor reverts the change: the next build must give the first outputs again,
    # never call a mix of the two "up to date".
    (root / 'booklet/b/01-a.md').write_text(CHAPTER)
    result = run('--source', root, '--out', out)
    assert result.code == 0, result.err
    now = snapshot(out)
    assert {path: data for path, data in now.items() if path.endswith('.pdf')} == {
        path: data for path, data in first.items() if path.endswith('.pdf')}
    assert not (out / files.JOURNAL).exists() and not (out / files.STAGING).exists()
    assert run('--source', root, '--out', out, '-v').out.startswith('cached')


def test_killed_before_the_journal_leaves_previous_outputs(run, make_root, tmp_path,
                                                           monkeypatch):
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    out = tmp_path / 'out'
    assert run('--source', root, '--out', out).code == 0
    before = snapshot(out)
    (root / 'booklet/b/01-a.md').write_text('# Alpha\n\nChanged.\n')
    real = files.write_atomically
    monkeypatch.setattr(files, 'write_atomically', lambda *args: (_ for _ in ()).throw(Killed()))
    with pytest.raises(Killed):
        run('--source', root, '--out', out)
    monkeypatch.setattr(files, 'write_atomically', real)
    assert (out / files.STAGING).exists()  # the leftover of the killed build
    assert {k: v for k, v in snapshot(out).items() if not k.startswith('.pressroom-staging')} \
        == before
    (root / 'booklet/b/01-a.md').write_text(CHAPTER)
    assert run('--source', root, '--out', out).code == 0
    assert not (out / files.STAGING).exists()
    assert snapshot(out) == before


def test_cache_checks_output_bytes_not_mere_existence(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    out = tmp_path / 'out'
    assert run('--source', root, '--out', out).code == 0
    good = (out / 'b.pdf').read_bytes()
    (out / 'b.pdf').write_bytes(good[:len(good) // 2])  # half-written by something else
    result = run('--source', root, '--out', out)
    assert result.code == 0
    assert 'up to date' not in result.out
    assert (out / 'b.pdf').read_bytes() == good


def test_no_temporary_files_outlive_a_build(make_root, tmp_path):
    from test_cards import card_files
    root = make_root({'booklet/b/01-a.md': CHAPTER + '\n## Spinal cord {#scc}\n',
                      **card_files()})
    scratch = tmp_path / 'tmp'
    scratch.mkdir()
    out = tmp_path / 'out'
    code, lines = build(root, out, env={'TMPDIR': str(scratch)})
    assert code == 0, lines
    assert list(scratch.iterdir()) == []
    assert sorted(path.name for path in out.iterdir() if path.name.startswith('.')) == [
        '.pressroom-cache.json', '.pressroom-lock']


def test_leftovers_of_a_killed_build_are_removed(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    out = tmp_path / 'out'
    (out / '.pressroom-tmp-99999/weasyprint-abc').mkdir(parents=True)
    (out / '.pressroom-tmp-99999/weasyprint-abc/font.ttf').write_bytes(b'x' * 1000)
    (out / files.STAGING).mkdir()
    (out / files.STAGING / '0.pdf').write_bytes(b'half')
    assert run('--source', root, '--out', out).code == 0
    assert not (out / '.pressroom-tmp-99999').exists()
    assert not (out / files.STAGING).exists()


def test_a_file_a_rebuilt_job_no_longer_makes_is_removed(run, make_root, tmp_path):
    image = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
             '<circle cx="5" cy="5" r="4"/></svg>')
    root = make_root({'booklet/b/01-a.md': '# A\n\n![A dot](dot.svg)\n', 'booklet/b/dot.svg': image})
    out = tmp_path / 'out'
    assert run('--source', root, '--out', out).code == 0
    assert (out / 'web/b/dot.svg').exists()
    (root / 'booklet/b/01-a.md').write_text('# A\n\nNo picture now.\n')
    assert run('--source', root, '--out', out).code == 0
    assert not (out / 'web/b/dot.svg').exists()


# Collisions: two sources never write one file.

def test_booklets_x_and_x_print_collide(run, make_root, tmp_path):
    root = make_root({'booklet/x/01-a.md': CHAPTER, 'booklet/x-print/01-a.md': CHAPTER,
                      'booklet/x/booklet.yaml': META,
                      'booklet/x-print/booklet.yaml': META.replace('/booklet', '/other')},
                     meta=None)
    out = tmp_path / 'out'
    result = run('--source', root, '--out', out)
    assert result.code == 1
    assert result.lines == ["booklet/x: error: its output 'x-print.pdf' is also an output of "
                            'booklet/x-print: rename one of them']
    assert not (out / 'x-print.pdf').exists()


def test_clinic_ids_that_collide_with_sheet_names(run, make_root, tmp_path):
    from test_cards import CLINICS, card_files
    clinics = CLINICS + 'alpha-sheet,Gamma,0113 496 0003\n'
    root = make_root({'booklet/b/01-a.md': '# A\n\n## S {#scc}\n',
                      **card_files(clinics=clinics)})
    result = run('--source', root, '--out', tmp_path / 'out')
    assert result.code == 1
    assert result.lines == ["cards/test-card/clinics.csv (clinic 'alpha-sheet'): error: its output "
                            "'cards/test-card/alpha-sheet.pdf' is also an output of "
                            "cards/test-card/clinics.csv (clinic 'alpha'): rename one of them"]


@pytest.mark.parametrize('heading, message', [
    ('## Notes {#pr-notes-1}', "id 'pr-notes-1' is reserved for what the build generates: choose "
                               'another with {#new-id}'),
    ('## Skip {#main}', "id 'main' is reserved for what the build generates: choose another "
                        'with {#new-id}'),
])
def test_generated_ids_are_reserved(run, make_root, heading, message):
    root = make_root({'booklet/b/01-a.md': f'# A\n\n{heading}\n'})
    result = run('check', '--source', root)
    assert result.code == 1
    assert result.lines == [f'booklet/b/01-a.md:3: error: {message}']


def test_a_heading_whose_made_up_id_is_reserved_gets_another(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n\n## Main\n\nSee [main](#main-1).\n'})
    out = tmp_path / 'out'
    assert run('--source', root, '--out', out).code == 0
    assert 'main-1' in [anchor['id'] for anchor in report(out)['anchors']]


def test_report_and_cache_are_valid_json_after_every_build(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    out = tmp_path / 'out'
    assert run('--source', root, '--out', out).code == 0
    cache = json.loads((out / '.pressroom-cache.json').read_text())
    assert all(isinstance(entry['files'], dict) for entry in cache['jobs'].values())


# Crashes on ordinary (or careless) input become errors at their line.

@pytest.mark.parametrize('markdown', [
    '> ' * 80 + 'A quote inside eighty quotes.\n',
    ''.join('  ' * depth + '- item\n' for depth in range(100)),
    '<div>' * 100 + 'Deep text' + '</div>' * 100 + '\n',
])
def test_deep_nesting_is_an_error_not_a_crash(run, make_root, tmp_path, markdown):
    root = make_root({'booklet/b/01-a.md': f'# A\n\n{markdown}'})
    result = run('--source', root, '--out', tmp_path / 'out')
    assert result.code == 1
    assert result.lines == ['booklet/b/01-a.md:3: error: lists, quotes or blocks nested more than '
                            '24 levels deep: flatten them']


def test_markdown_that_would_take_hours_is_stopped(run, make_root, monkeypatch):
    from pressroom.read import budget
    monkeypatch.setattr(budget, 'SECONDS', 0.5)
    root = make_root({'booklet/b/01-a.md': '# A\n\n' + '[' * 20000 + '\n'})
    result = run('check', '--source', root)
    assert result.code == 1
    assert result.lines == ['booklet/b/01-a.md:1: error: this file takes over 10 s to convert: '
                            'look for very long runs of [ ( < * or _ characters and break them up']


def test_invalid_yaml_characters_and_nesting(run, make_root):
    root = make_root({'booklet/b/01-a.md': CHAPTER}, meta=META + 'subtitle: a\x1fb\n')
    result = run('check', '--source', root)
    assert result.lines == ['booklet/b/booklet.yaml:10: error: invalid YAML: character U+001F is '
                            'not allowed in YAML text']
    root = make_root({'booklet/b/01-a.md': CHAPTER}, meta=META + 'subtitle: ' + '[' * 5000 + '\n')
    result = run('check', '--source', root)
    assert result.lines == ['booklet/b/booklet.yaml:1: error: invalid YAML: nested too deeply or '
                            'malformed']


def test_a_build_after_watch_removes_the_live_reload_script(make_root, tmp_path):
    from pressroom import pipeline
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    out = tmp_path / 'out'
    pipeline.build(root, out, progress=lambda line: None, live=True)
    assert (out / 'web/assets/live.js').exists()
    assert '<script' in (out / 'web/b/index.html').read_text()
    pipeline.build(root, out, progress=lambda line: None)
    assert not (out / 'web/assets/live.js').exists()
    assert not any('<script' in page.read_text() for page in out.rglob('*.html'))


def test_images_on_card_faces_are_checked_like_booklet_images(run, make_root):
    from test_cards import BACK, card_files
    root = make_root({'booklet/b/01-a.md': '# A\n\n## S {#scc}\n',
                      **card_files(back=BACK + '\n![Logo](logo.png)\n'),
                      'cards/test-card/logo.png': b'\x89PNG\r\n\x1a\n broken'})
    result = run('check', '--source', root)
    assert result.code == 1
    assert result.lines == ["cards/test-card/back.md:7: error: image 'logo.png': the image is "
                            'damaged or incomplete (broken PNG file): export it again']


@pytest.mark.parametrize('name', ['My booklet', 'b#1', 'café'])
def test_folder_names_must_be_safe_for_files_and_addresses(run, make_root, name):
    root = make_root({f'booklet/{name}/01-a.md': CHAPTER}, slug=name)
    result = run('check', '--source', root)
    assert result.code == 1
    assert result.lines == [f"booklet/{name}: error: folder name may only hold letters, digits, "
                            "'-' and '_' (it names output files and web addresses): rename it"]


def test_outputs_of_a_deleted_booklet_are_withdrawn(run, make_root, tmp_path):
    import shutil
    root = make_root({'booklet/b/01-a.md': CHAPTER, 'booklet/old/01-a.md': CHAPTER,
                      'booklet/old/booklet.yaml': META.replace('/booklet', '/old')})
    out = tmp_path / 'out'
    assert run('--source', root, '--out', out).code == 0
    assert (out / 'old.pdf').exists() and (out / 'web/old/index.html').exists()
    shutil.rmtree(root / 'booklet/old')
    assert run('--source', root, '--out', out).code == 0
    assert sorted(path.name for path in out.glob('old*')) == []
    assert not (out / 'web/old').exists() or not any((out / 'web/old').iterdir())
    assert (out / 'b.pdf').exists()


def test_a_build_of_other_formats_after_watch_still_removes_live_reload(make_root, tmp_path):
    from pressroom import pipeline
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    out = tmp_path / 'out'
    pipeline.build(root, out, progress=lambda line: None, live=True)
    pipeline.build(root, out, progress=lambda line: None, formats=('booklet',))
    assert not (out / 'web/assets/live.js').exists()
    assert not any('<script' in page.read_text() for page in out.rglob('*.html'))


def test_styles_folder_linked_out_of_the_root_is_refused(make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    (root / 'styles').symlink_to('/usr')
    code, lines = build(root, tmp_path / 'out', '--formats', 'web', timeout=60)
    assert code == 1
    assert lines == ['styles: error: refusing a folder that resolves outside the content root']


def test_an_escaped_url_behind_a_commented_one_is_refused(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': CHAPTER, 'styles/d.png': b'x',
                      'styles/web.css': '/* url(d.png) */\nbody { background: u\\72l(https://evil.example/x.png) }\n'
                                        'p { background: image-set("https://evil.example/y.png" 1x) }\n'})
    result = run('--source', root, '--out', tmp_path / 'out', '--formats', 'web')
    assert result.code == 1
    assert result.lines == [
        'styles/web.css:2: error: CSS escapes or unusual syntax around url(): write url() plainly '
        'so the build can check what it loads',
        'styles/web.css:3: error: image-set() is not allowed: use url() with a file in the styles '
        'folder']


def test_a_damaged_font_is_an_error_not_a_crash(run, make_root, tmp_path):
    import shutil
    root = make_root({'booklet/b/01-a.md': CHAPTER})
    shutil.copytree(PROJECT / 'styles/fonts', root / 'styles/fonts')
    shutil.copy(PROJECT / 'styles/fonts.css', root / 'styles/fonts.css')
    (root / 'styles/fonts/AtkinsonHyperlegible-Regular.ttf').write_bytes(os.urandom(5000))
    result = run('--source', root, '--out', tmp_path / 'out')
    assert result.code == 1
    assert len(result.lines) == 1
    assert result.lines[0].startswith('styles/fonts/AtkinsonHyperlegible-Regular.ttf: error: not a '
                                      'usable font file (')


def test_control_characters_in_metadata_and_messages(run, make_root):
    root = make_root({'booklet/b/01-a.md': CHAPTER},
                     meta=META.replace('helpline: 0808 157 0999',
                                       'helpline: "0808\\r; } p { display: none }"'))
    result = run('check', '--source', root)
    assert result.lines == ["booklet/b/booklet.yaml:7: error: 'helpline' holds an invisible "
                            'control character (U+000D): retype the value on one line']


def test_private_use_characters_print_as_boxes_so_they_are_errors(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n\n\uf0b7 A bullet pasted from Word.\n'})
    result = run('--source', root, '--out', tmp_path / 'out')
    assert result.code == 1
    assert result.lines == ["booklet/b/01-a.md:3: error: '\uf0b7' (U+F0B7) is not in the booklet's "
                            'font, nor in any font on this machine; it would print as an empty box']


def test_private_use_field_markers_in_a_face(run, make_root):
    from test_cards import BACK, card_files
    root = make_root({'booklet/b/01-a.md': '# A\n\n## S {#scc}\n',
                      **card_files(back=BACK + '\nPrivate \ue0007\ue001 use.\n')})
    result = run('check', '--source', root)
    assert result.code == 1
    assert result.lines == ['cards/test-card/back.md:7: error: private-use character U+E000 '
                            'cannot be printed: remove it']


def test_placeholder_characters_in_a_chapter_are_refused(run, make_root):
    root = make_root({'booklet/b/01-a.md': '# A\n\nSee \ue01099\ue011 and \ue0120\ue013.\n'})
    result = run('check', '--source', root)
    assert result.code == 1
    assert result.lines == ['booklet/b/01-a.md:3: error: private-use character U+E010 cannot be '
                            'printed: remove it']


def test_inline_styles_that_hide_text_are_refused(run, make_root):
    root = make_root({'booklet/b/01-a.md': '# A\n\nHidden words.\n{: style="display:none" }\n'})
    result = run('check', '--source', root)
    assert result.lines == ["booklet/b/01-a.md:4: error: style property 'display' is not allowed "
                            '(it could hide or move text): use a class and styles/*.css']


def test_a_face_image_reaches_the_card_the_back_page_and_the_web(run, make_root, tmp_path):
    from PIL import Image
    import io
    from test_cards import FRONT, card_files
    buffer = io.BytesIO()
    Image.new('RGB', (20, 10), 'red').save(buffer, 'PNG')
    root = make_root({'booklet/b/01-a.md': '# A\n\n## S {#scc}\n',
                      **card_files(front=FRONT + '\n![Clinic logo](logo.png)\n'),
                      'cards/test-card/logo.png': buffer.getvalue()},
                     meta=META + 'card: test-card\n')
    out = tmp_path / 'out'
    result = run('--source', root, '--out', out)
    assert result.code == 0, result.err
    page = (out / 'web/b/index.html').read_text()
    assert 'alt="Clinic logo" src="data:image/png;base64,' in page
    images = subprocess.run(['pdfimages', '-list', str(out / 'cards/test-card.pdf')],
                            capture_output=True, text=True, check=True).stdout
    assert '20    10' in images


def test_a_footer_too_long_for_the_foot_of_the_page(run, make_root, tmp_path):
    helpline = '0808 157 0123 ' + ' '.join(f'extension {number}' for number in range(14))
    root = make_root({'booklet/b/01-a.md': '# A\n\n' + 'Some words here. ' * 300 + '\n'},
                     meta=META.replace('helpline: 0808 157 0999', f'helpline: {helpline}'))
    result = run('--source', root, '--out', tmp_path / 'out', '--formats', 'booklet')
    assert result.code == 1
    assert result.lines == ['booklet/b/booklet.yaml:7: error: the footer with the helpline runs '
                            '2.4 mm too close to the foot of the page, where the trim may cut it: '
                            "shorten 'helpline' (opening hours and the like belong in the text)"]


def test_a_broken_or_bomb_sized_image_is_an_error_at_its_line(run, make_root, tmp_path):
    import struct
    import zlib
    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data
                + struct.pack('>I', zlib.crc32(kind + data)))

    # A 30000 x 30000 PNG whose header alone says so: decoding it would take 2.7 GB.
    bomb = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 30000, 30000, 8, 2,
                                                               0, 0, 0))
            + chunk(b'IDAT', zlib.compress(b'\x00' * 64)) + chunk(b'IEND', b''))
    root = make_root({'booklet/b/01-a.md': '# A\n\n![Scan](scan.png)\n\n![Chart](chart.png)\n',
                      'booklet/b/scan.png': bomb, 'booklet/b/chart.png': b'\x89PNG\r\n\x1a\nbroken'})
    out = tmp_path / 'out'
    result = run('--source', root, '--out', out)
    assert result.code == 1
    assert result.lines == [
        "booklet/b/01-a.md:3: error: image 'scan.png': the image is 30000 x 30000 pixels, over "
        'the limit of 50 megapixels: make it smaller and export it again',
        "booklet/b/01-a.md:5: error: image 'chart.png': the image is damaged or incomplete "
        '(broken PNG file): export it again']
    assert not out.exists() or not list(out.glob('*.pdf'))


def test_a_clinic_that_left_the_csv_loses_its_cards(run, make_root, tmp_path):
    from test_cards import CLINICS, card_files
    root = make_root({'booklet/b/01-a.md': '# A\n\n## S {#scc}\n', **card_files()})
    out = tmp_path / 'out'
    assert run('--source', root, '--out', out).code == 0
    assert (out / 'cards/test-card/beta.pdf').exists()
    (root / 'cards/test-card/clinics.csv').write_text(CLINICS.replace(
        'beta,{{ 7*7 }} Clinic,0161 496 0002\n', ''))
    assert run('--source', root, '--out', out).code == 0
    assert sorted(path.name for path in (out / 'cards/test-card').iterdir()) == [
        'alpha-sheet.pdf', 'alpha.pdf']


def test_merge_reads_nothing_outside_a_shard_folder(run, make_root, tmp_path):
    import hashlib
    import json
    secret = tmp_path / 'secret.txt'
    secret.write_bytes(b'TOP-SECRET-MERGE')
    shard = tmp_path / 'shard'
    shard.mkdir()
    (shard / 'x.pdf').symlink_to(secret)
    digest = hashlib.sha256(b'TOP-SECRET-MERGE').hexdigest()
    (shard / '.pressroom-cache.json').write_text(json.dumps({'jobs': {'booklet:x': {
        'key': 'k', 'report': {'outputs': [], 'anchors': [], 'references': [], 'files': []},
        'files': {'x.pdf': digest, '../secret.txt': digest}}}}))
    result = run('merge-reports', shard, '--out', tmp_path / 'merged')
    assert result.code == 1
    assert result.lines == [f'{shard}/../secret.txt: error: missing or changed since its shard '
                            'built it',
                            f'{shard}/x.pdf: error: missing or changed since its shard built it']
    assert not (tmp_path / 'merged').exists()
