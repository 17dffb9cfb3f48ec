"""A CI matrix: ``build --shard K/N`` on N machines, then ``merge-reports``, gives the same
output folder as one build, file for file."""

import shutil
from pathlib import Path

import pytest

from conftest import META, build_once, write_tree
from pressroom.pipeline import in_shard
from pressroom.targets.base import Job


def snapshot(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(Path(folder).rglob('*')) if path.is_file()}


@pytest.fixture(scope='module')
def catalogue(tmp_path_factory):
    """Four booklets (one carrying the card) and a card with two clinics."""
    from test_cards import card_files
    files = {}
    for slug in ('alpha', 'beta', 'gamma', 'delta'):
        files[f'booklet/{slug}/booklet.yaml'] = META.replace('/booklet', f'/{slug}') + (
            'card: test-card\n' if slug == 'alpha' else '')
        files[f'booklet/{slug}/01-a.md'] = f'# {slug.title()}\n\nSee [the next part](#more).\n'
        files[f'booklet/{slug}/02-b.md'] = '# More\n\n## Spinal cord {#scc}\n\nWords.\n'
    card = card_files()
    card['cards/test-card/card.yaml'] = card['cards/test-card/card.yaml'].replace(
        'test.example.org/booklet#scc', 'test.example.org/alpha#scc')
    return write_tree(tmp_path_factory.mktemp('catalogue') / 'content', {**files, **card})


@pytest.fixture(scope='module')
def built(tmp_path_factory, catalogue):
    """``built()`` -> the catalogue built in one go, ``built(k, n)`` -> its share k of n: each
    built once for this file, and only read (a test that changes one works on a copy)."""
    made = {}

    def build(*shard):
        if shard not in made:
            argv = ['--shard', '/'.join(map(str, shard))] if shard else []
            result = build_once(tmp_path_factory, 'shard-{}-of-{}'.format(*shard) if shard
                                else 'one', catalogue, *argv)
            assert result.code == 0, result.err
            made[shard] = result.out
        return made[shard]
    return build


@pytest.mark.parametrize('shares', [3])  # (2 shares: a subset of what 3 exercise)
def test_shards_merged_equal_one_build(run, built, tmp_path, shares):
    folders = [built(k, shares) for k in range(1, shares + 1)]
    # Each share made something, and no file was made twice.
    made = [set(snapshot(folder)) - {'build-report.json', '.pressroom-cache.json',
                                     '.pressroom-lock'} for folder in folders]
    assert all(made) or shares > 2
    assert sum(len(files) for files in made) == len(set().union(*made))
    merged = run('merge-reports', *folders, '--out', tmp_path / 'merged')
    assert merged.code == 0, merged.err
    one, joined = snapshot(built()), snapshot(tmp_path / 'merged')
    assert sorted(one) == sorted(joined)
    assert [path for path in one if one[path] != joined[path]] == []


def test_every_job_is_in_exactly_one_share():
    jobs = [Job(target, source) for target in ('booklet', 'print', 'imposed', 'cards')
            for source in ('alpha', 'beta', 'gamma', 'bone', 'scc', 'x-print')] + [Job('web')]
    for n in (1, 2, 3, 7):
        for job in jobs:
            assert sum(in_shard(job, (k, n)) for k in range(1, n + 1)) == 1
    # A booklet's outputs stay together (the imposed file is made from the standard one).
    assert in_shard(Job('imposed', 'alpha'), (2, 3)) == in_shard(Job('booklet', 'alpha'), (2, 3))


def test_merge_refuses_a_changed_shard_file(run, built, tmp_path):
    folders = [tmp_path / 'a', tmp_path / 'b']
    for k, folder in enumerate(folders, 1):
        shutil.copytree(built(k, 3), folder)  # (the shares test_shards_merged builds)
    victim = next(path for folder in folders for path in sorted(folder.rglob('*.pdf')))
    victim.write_bytes(b'%PDF-1.7 tampered')
    result = run('merge-reports', *folders, '--out', tmp_path / 'merged')
    assert result.code == 1
    assert result.lines == [f'{victim}: error: missing or changed since its shard built it']
    assert not (tmp_path / 'merged').exists()


@pytest.mark.parametrize('argv, message', [
    (['--shard', '0/2'], "argument --shard: '0/2': K must be from 1 to N"),
    (['--shard', 'half'], "argument --shard: 'half' is not K/N, e.g. 1/4"),
])
def test_bad_shards_are_usage_errors(run, catalogue, argv, message, capsys):
    with pytest.raises(SystemExit) as exit:
        run('--source', catalogue, *argv)
    assert exit.value.code == 2
    assert message in capsys.readouterr().err


def test_merge_needs_output_folders_of_builds(run, tmp_path):
    (tmp_path / 'empty').mkdir()
    result = run('merge-reports', tmp_path / 'empty', '--out', tmp_path / 'merged')
    assert result.code == 2
    assert result.lines == [f'build.py: error: {tmp_path}/empty: not the output folder of a '
                            'build (no .pressroom-cache.json)']
