"""The installable package: a wheel built from the repository and installed into a fresh venv
gives a ``pressroom`` command that scaffolds and builds from any folder, with its own styles,
fonts, colour profile and templates; the tests and the sample content stay out of it."""

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import pressroom
from conftest import PROJECT

PYPROJECT = tomllib.loads((PROJECT / 'pyproject.toml').read_text())
TEST_TOOLS = {'pytest', 'hypothesis', 'pdfplumber', 'pypdf', 'selenium', 'zxing-cpp', 'setuptools'}


def normal(name):
    return re.sub(r'[-_.]+', '-', name).lower()


def pins(path):
    found = {}
    for line in path.read_text().splitlines():
        if '==' in line and not line.startswith('#'):
            name, version = line.split('==')
            found[normal(name)] = version.strip()
    return found


@pytest.fixture(scope='module')
def installed(tmp_path_factory):
    """(the wheel, the venv's python): built with pip from a copy of the sources, installed
    into a venv made without pip whose dependencies are this venv's packages (a .pth file)."""
    base = tmp_path_factory.mktemp('package')
    # A copy, so that setuptools' build/ and *.egg-info folders never land in the repository.
    source = base / 'source'
    source.mkdir()
    for name in ('pyproject.toml', 'README.md'):
        shutil.copy(PROJECT / name, source / name)
    for name in ('pressroom', 'styles'):
        shutil.copytree(PROJECT / name, source / name,
                        ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))
    pip = [sys.executable, '-m', 'pip', '--disable-pip-version-check', '--no-input', '-q']
    # setuptools from requirements-test.txt (make test) builds it, without the network.
    built = subprocess.run(pip + ['wheel', '--no-deps', '--no-build-isolation', '-w',
                                  str(base / 'wheel'), str(source)], capture_output=True,
                           text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    [wheel] = (base / 'wheel').glob('pressroom-*.whl')
    venv = base / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(venv)], check=True,
                   timeout=60)
    python = venv / 'bin' / 'python'
    purelib = Path(subprocess.run([python, '-c', 'import sysconfig; '
                                   'print(sysconfig.get_paths()["purelib"])'], check=True,
                                  capture_output=True, text=True).stdout.strip())
    # Read after the new venv's own site-packages, so the installed pressroom comes first.
    ours = dict.fromkeys(sysconfig.get_paths()[key] for key in ('purelib', 'platlib'))
    (purelib / 'dependencies.pth').write_text(''.join(f'{path}\n' for path in ours))
    done = subprocess.run(pip + ['--python', str(python), 'install', '--no-deps', '--no-index',
                                 str(wheel)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return wheel, venv, purelib


def command(venv, *argv, cwd):
    environment = {key: value for key, value in os.environ.items()
                   if key not in ('PYTHONPATH', 'PYTHONHOME')}
    return subprocess.run([str(venv / 'bin' / 'pressroom'), *map(str, argv)], cwd=cwd,
                          env=environment, capture_output=True, text=True, timeout=120)


def test_wheel_holds_the_package_with_its_data_and_no_tests(installed):
    wheel, _, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    info = f'pressroom-{pressroom.__version__}.dist-info'
    assert all(name.startswith(('pressroom/', f'{info}/')) for name in names), sorted(names)
    shipped = [PROJECT / 'pressroom/targets/live.js', PROJECT / 'pressroom/check/plain-words.txt',
               *(PROJECT / 'pressroom/render/templates').glob('*.j2'),
               *(path for path in (PROJECT / 'pressroom/new').rglob('*')
                 if path.is_file() and '__pycache__' not in path.parts)]
    expected = {path.relative_to(PROJECT).as_posix() for path in shipped}
    expected |= {f'pressroom/styles/{path.relative_to(PROJECT / "styles").as_posix()}'
                 for path in (PROJECT / 'styles').rglob('*') if path.is_file()}
    assert {'pressroom/styles/fonts/OFL.txt', 'pressroom/styles/icc/default_cmyk.icc',
            'pressroom/styles/fonts/AtkinsonHyperlegible-Regular.ttf'} <= expected
    assert expected <= names, sorted(expected - names)
    assert not [name for name in names
                if 'tests/' in name or name.endswith(('.pyc', 'conftest.py'))]
    metadata = zipfile.ZipFile(wheel).read(f'{info}/METADATA').decode()
    assert f'\nVersion: {pressroom.__version__}\n' in metadata
    entry_points = zipfile.ZipFile(wheel).read(f'{info}/entry_points.txt').decode()
    assert 'pressroom = pressroom.cli:command' in entry_points


def test_installed_command_scaffolds_and_builds_outside_the_repository(installed, tmp_path):
    _, venv, purelib = installed
    work = tmp_path / 'work'
    work.mkdir()
    helped = command(venv, '--help', cwd=work)
    assert helped.returncode == 0 and helped.stdout.startswith('usage: pressroom ')
    assert 'new booklet SLUG' in helped.stdout

    made = command(venv, 'new', 'booklet', 'demo', '--source', 'R', cwd=work)
    assert (made.returncode, made.stderr) == (2, 'pressroom: error: --source R: no such folder\n')
    (work / 'R').mkdir()
    made = command(venv, 'new', 'booklet', 'demo', '--source', 'R', cwd=work)
    assert (made.returncode, made.stderr) == (0, '')
    assert made.stdout.endswith('\n  pressroom check --source R\n  pressroom build --source R\n')

    built = command(venv, 'build', '--source', 'R', '--out', 'O', '-q', cwd=work)
    assert (built.returncode, built.stderr) == (0, '')
    assert (work / 'O/demo.pdf').is_file() and (work / 'O/demo-print.pdf').is_file()
    report = json.loads((work / 'O/build-report.json').read_text())
    assert {(entry['source'], entry['target']) for entry in report['references']
            if entry['booklet'] == 'demo'} == {('booklet/demo/01-about.md:7', 'when-to-get-help'),
                                               ('booklet/demo/02-getting-help.md:11',
                                                'about-this-booklet')}

    # Without --source and --out: the current folder and its output/.
    root = work / 'R'
    made = command(venv, 'new', 'card', 'alert', cwd=root)
    assert (made.returncode, made.stderr) == (0, '')
    assert made.stdout.startswith('created cards/alert/:\n')
    assert made.stdout.endswith('\n  pressroom check\n  pressroom build\n')
    built = command(venv, '--formats', 'cards,web', '-q', cwd=root)
    assert (built.returncode, built.stderr) == (0, '')
    assert (root / 'output/cards/alert.pdf').is_file()
    assert (root / 'output/web/demo/index.html').is_file()
    assert not (work / 'output').exists()

    found = subprocess.run([venv / 'bin' / 'python', '-c',
                            'import pressroom, pressroom.render.styles as styles; '
                            'print(pressroom.__file__); print(styles.PROJECT_STYLES)'],
                           cwd=work, capture_output=True, text=True, check=True).stdout.split()
    assert found == [str(purelib / 'pressroom/__init__.py'), str(purelib / 'pressroom/styles')]
    assert not list(purelib.glob('tests')) and not list(purelib.glob('pressroom/tests'))


def test_a_checkout_uses_the_repositorys_styles_folder():
    from pressroom.render.styles import PROJECT_STYLES
    assert PROJECT_STYLES == PROJECT / 'styles'
    assert not (PROJECT / 'pressroom/styles').exists()


def test_pyproject_lists_every_subpackage():
    packages = {'.'.join(path.parent.relative_to(PROJECT).parts)
                for path in (PROJECT / 'pressroom').rglob('__init__.py')}
    assert set(PYPROJECT['tool']['setuptools']['packages']) == packages | {'pressroom.styles'}


def test_runtime_dependencies_hold_the_pins_and_leave_out_the_test_tools():
    runtime, tests = pins(PROJECT / 'requirements.txt'), pins(PROJECT / 'requirements-test.txt')
    assert (PROJECT / 'requirements-test.txt').read_text().count('-r requirements.txt\n') == 1
    assert not runtime.keys() & tests.keys()
    assert TEST_TOOLS <= tests.keys() and not TEST_TOOLS & runtime.keys()
    for line in PYPROJECT['project']['dependencies']:
        requirement = Requirement(line)
        assert normal(requirement.name) in runtime, requirement.name
        assert requirement.specifier.contains(runtime[normal(requirement.name)]), line


def test_make_builds_without_npm_or_browser_and_make_test_adds_them():
    def dry(target):
        return subprocess.run(['make', '-n', '-B', target], cwd=PROJECT, capture_output=True,
                              text=True, check=True).stdout
    build = dry('build')
    assert 'scripts/system-packages.sh build' in build and 'requirements.txt' in build
    assert not re.search(r'npm|chromium|requirements-test|system-packages.sh test', build)
    test = dry('test')
    for step in ('npm ci', 'scripts/system-packages.sh test', '-r requirements-test.txt',
                 'pytest'):
        assert step in test
