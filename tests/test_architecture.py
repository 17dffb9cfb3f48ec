"""The pipeline's shape: stages import only downward, and a new output format is one Target
registered in one place, planned, built, cached, reported and listed without other changes."""

import ast
from pathlib import Path

import pytest

from conftest import PROJECT, report
from pressroom.targets import registry
from pressroom.targets.base import Target
from pressroom.targets.output import Output

# Lower numbers are lower stages: a module may import from its own stage or lower ones only.
LAYERS = {'__init__': 0, '__version__': 0, 'model': 0, 'errors': 0, 'qr': 0, 'read': 1, 'render': 2,
          'targets': 3}
TOP = 9  # pipeline, cache, report, changes, check, watch, cli, new


def layer(parts):
    return LAYERS.get(parts[0].removesuffix('.py'), TOP) if parts else 0


def imports(path):
    """(line, imported module parts) for every relative import of a module in the package."""
    package = Path(PROJECT, 'pressroom')
    here = list(path.relative_to(package).parts[:-1])
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here[:len(here) - (node.level - 1)] if node.level > 1 else here
            target = base + (node.module.split('.') if node.module else [])
            yield node.lineno, target or [node.names[0].name]


def test_stages_import_only_downward():
    package = Path(PROJECT, 'pressroom')
    upward = []
    for path in sorted(package.rglob('*.py')):
        mine = layer(path.relative_to(package).parts)
        for line, target in imports(path):
            if layer(target) > mine:
                upward.append(f'{path.relative_to(PROJECT)}:{line} imports {".".join(target)}')
    assert upward == []


def test_the_layer_check_sees_an_upward_import(tmp_path):
    # Control: the walk above must find a read -> render import when there is one.
    fake = Path(PROJECT, 'pressroom', 'read', '_upward_probe.py')
    fake.write_text('from ..render.booklet import booklet_html\n')
    try:
        found = [target for _, target in imports(fake)]
        assert found == [['render', 'booklet']]
        assert layer(found[0]) > layer(['read'])
    finally:
        fake.unlink()


class PlainText(Target):
    """A throwaway format for this test: each booklet's chapters as plain text."""

    name = 'text'
    built_from = 'booklet'
    summary = 'plain text'

    def make(self, job, problems, made=None):
        self.calls.append(job.source)
        return [Output(path=f'{job.source}.txt', kind='text', booklet=job.source, pages=0,
                       data=b'plain text of ' + job.source.encode())]


@pytest.fixture
def plain_text():
    target = PlainText()
    target.calls = []
    registry.register(target)
    yield target
    registry.unregister('text')


def test_a_new_format_is_one_registered_target(run, make_root, tmp_path, plain_text, capsys):
    root = make_root({'booklet/b/01-a.md': '# A\n\nWords.\n'})
    out = tmp_path / 'out'
    with pytest.raises(SystemExit):
        run('--help')
    assert 'booklet,print,imposed,large-print,cards,web,epub,text' in ''.join(
        capsys.readouterr().out.split())
    result = run('--source', root, '--out', out, '--formats', 'text')
    assert result.code == 0, result.err
    assert (out / 'b.txt').read_bytes() == b'plain text of b'
    assert plain_text.calls == ['b']
    assert [(output['path'], output['kind']) for output in report(out)['outputs']] == [
        ('b.txt', 'text')]
    # Cached like any other format: nothing to do the second time.
    again = run('--source', root, '--out', out, '--formats', 'text', '-v')
    assert 'cached     text:b (inputs unchanged)' in again.out
    assert plain_text.calls == ['b']
    # And it takes its place among the others.
    both = run('--source', root, '--out', out, '--formats', 'booklet,text')
    assert both.code == 0
    assert [output['kind'] for output in report(out)['outputs']] == ['booklet', 'text']
