"""Fuzzing whole builds: a small content root, mutated at random (bytes in YAML, Markdown and
CSV, raw HTML, files swapped for pipes, links and folders), must give exit 0 or 1 with located
messages, never a traceback or exit 3, never a file outside --out, within a time bound.

``make test`` runs a few examples; ``make fuzz`` runs many (PRESSROOM_FUZZ_EXAMPLES).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import META, PROJECT, write_tree

EXAMPLES = int(os.environ.get('PRESSROOM_FUZZ_EXAMPLES', '3'))
SECONDS = 120  # a build of this root takes a few seconds; a hang is a failure
BASE = {
    'booklet/b/booklet.yaml': META + 'card: c\n',
    'booklet/b/01-a.md': '# Alpha\n\nSee [beta](#beta) and the [card](#alert-card).\n\n'
                         '![A dot](dot.svg)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
    'booklet/b/02-b.md': '# Beta\n\n## Spinal cord {#scc}\n\n- one\n- two\n',
    'booklet/b/dot.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                         '<circle cx="5" cy="5" r="4"/></svg>',
    'cards/c/card.yaml': 'title: Alert card\nurl: https://test.example.org/booklet#scc\n',
    'cards/c/front.md': '# For you\n\nCall {{ clinic.phone }}\n',
    'cards/c/back.md': '# For professionals\n\nTeam: {{ clinic.name }}\n',
    'cards/c/clinics.csv': 'id,name,phone\nnorth,North Clinic,0113 496 0001\n',
}
TEXT_FILES = [name for name in BASE if not name.endswith('.svg')]
TAGS = ['script', 'p', 'div', 'img', 'a', 'iframe', 'table', 'td', 'video', 'svg', 'style',
        'fieldset', 'ul', 'li', 'blockquote', 'span', 'object', 'h2', 'pre']
ATTRIBUTES = ['onclick', 'href', 'src', 'style', 'id', 'class', 'alt', 'colspan']
VALUES = ['javascript:alert(1)', 'x', '#beta', 'http://evil.example/x', 'dot.svg',
          '../../../etc/passwd', 'border: 3px groove red', 'alert-card', 'url(x)', '9' * 12]


@st.composite
def raw_html(draw):
    tag = draw(st.sampled_from(TAGS))
    attributes = ' '.join(f'{draw(st.sampled_from(ATTRIBUTES))}="{draw(st.sampled_from(VALUES))}"'
                          for _ in range(draw(st.integers(0, 2))))
    depth = draw(st.sampled_from([1, 1, 2, 40]))
    return f'<{tag} {attributes}>' * depth + draw(st.text(max_size=20)) + f'</{tag}>' * depth


MUTATIONS = st.one_of(
    st.tuples(st.just('bytes'), st.sampled_from(TEXT_FILES), st.integers(0, 400),
              st.binary(min_size=1, max_size=12)),
    st.tuples(st.just('text'), st.sampled_from(TEXT_FILES), st.integers(0, 400),
              st.text(min_size=1, max_size=30)),
    st.tuples(st.just('html'), st.sampled_from(['booklet/b/01-a.md', 'booklet/b/02-b.md',
                                                'cards/c/back.md']), st.integers(0, 400),
              raw_html()),
    st.tuples(st.just('kind'), st.sampled_from(list(BASE) + ['booklet/b/03-c.md']),
              st.just(0), st.sampled_from(['fifo', 'dev-zero', 'outside', 'folder', 'empty',
                                           'hardlink', 'deep-link'])),
)


def mutate(root, secret, mutation):
    kind, name, offset, payload = mutation
    path = root / name
    if kind in ('bytes', 'text', 'html'):
        # (An earlier mutation may have made the file a FIFO or a link: writing would block
        # on the FIFO, or write through the link.)
        regular = path.is_file() and not path.is_symlink()
        data = path.read_bytes() if regular else b''
        if os.path.lexists(path) and not regular:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        insert = payload if isinstance(payload, bytes) else payload.encode('utf-8', 'replace')
        offset = min(offset, len(data))
        path.write_bytes(data[:offset] + insert + data[offset:])
        return
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if payload == 'fifo':
        os.mkfifo(path)
    elif payload == 'dev-zero':
        path.symlink_to('/dev/zero')
    elif payload == 'outside':
        path.symlink_to(secret)
    elif payload == 'folder':
        path.mkdir()
    elif payload == 'empty':
        path.write_bytes(b'')
    elif payload == 'hardlink':
        os.link(secret, path)
    elif payload == 'deep-link':
        path.symlink_to(root / 'booklet')


MESSAGE = re.compile(r'^(\S[^\n]*?: (error|warning): .+|build\.py: error: .+|  .*|)$')


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 10,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(MUTATIONS, min_size=1, max_size=3))
def test_mutated_roots_fail_cleanly(tmp_path_factory, mutations):
    base = tmp_path_factory.mktemp('fuzz')
    root = write_tree(base / 'content', BASE)
    secret = base / 'secret.md'
    secret.write_text('# Secret\n\nTOP-SECRET-FUZZ\n')
    for mutation in mutations:
        mutate(root, secret, mutation)
    out = base / 'out'
    before = {str(path) for path in base.rglob('*')}
    result = subprocess.run([sys.executable, 'build.py', '--source', str(root), '--out', str(out),
                             '-q'], cwd=PROJECT, capture_output=True, text=True, timeout=SECONDS,
                            env={**os.environ, 'TMPDIR': str(base)})
    assert result.returncode in (0, 1), result.stderr
    assert 'Traceback' not in result.stderr and 'internal error' not in result.stderr
    assert all(MESSAGE.match(line) for line in result.stderr.splitlines()), result.stderr
    created = {str(path) for path in base.rglob('*')} - before
    assert all(path.startswith(str(out)) for path in created), created
    if out.exists():
        for path in out.rglob('*'):
            if path.is_file() and not path.is_symlink():
                assert b'TOP-SECRET-FUZZ' not in path.read_bytes()
    shutil.rmtree(base, ignore_errors=True)
