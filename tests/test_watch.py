"""``build.py watch``: serves the web edition, rebuilds on save, shows errors, keeps good output."""

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import META, PROJECT, write_tree


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def get(url, timeout=30):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode()


def status(base, since=None):
    query = '' if since is None else f'?since={since}'
    return json.loads(get(f'{base}__pressroom__/status{query}'))


def start_watching(tmp_path):
    root = write_tree(tmp_path / 'content', {
        'booklet/b/booklet.yaml': META,
        'booklet/b/01-a.md': '# Alpha\n\nFirst words. See [beta](#beta).\n',
        'booklet/b/02-b.md': '# Beta\n\nSecond words.\n',
    })
    out, port = tmp_path / 'out', free_port()
    process = subprocess.Popen([sys.executable, 'build.py', 'watch', '--source', str(root),
                                '--out', str(out), '--port', str(port)], cwd=PROJECT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f'http://127.0.0.1:{port}/'
    deadline = time.monotonic() + 60
    while True:
        line = process.stdout.readline()
        if 'watching' in line or not line or time.monotonic() > deadline:
            break
    assert 'watching' in line, line
    return process, (root, out, base)


@pytest.fixture
def watching(tmp_path):
    """A watcher of its own, for a test that changes the content."""
    process, watched = start_watching(tmp_path)
    yield watched
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope='module')
def served(tmp_path_factory):
    """One watcher shared by the tests that only read from it (its first build, unchanged)."""
    process, watched = start_watching(tmp_path_factory.mktemp('served'))
    yield watched
    process.terminate()
    process.wait(timeout=10)


def next_status(base, since, predicate, seconds=60):
    """Long-poll the watcher until its state satisfies ``predicate`` (events may come first)."""
    deadline = time.monotonic() + seconds
    state = status(base, since=since)
    while not predicate(state) and time.monotonic() < deadline:
        state = status(base, since=state['version'])
    return state


def wait_for(predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_serves_pages_with_live_reload(served):
    root, out, base = served
    page = get(f'{base}b/index.html')
    assert 'First words.' in page and '../assets/live.js' in page
    assert 'fetch' in get(f'{base}assets/live.js')
    assert status(base)['build'] == 1


def test_a_save_rebuilds_the_page_then_the_pdf(watching):
    root, out, base = watching
    first = status(base)
    pdf_before = (out / 'b.pdf').stat().st_mtime_ns
    (root / 'booklet/b/02-b.md').write_text('# Beta\n\nSecond words, revised.\n')
    # Long poll: answers on the rebuild.
    after = next_status(base, first['version'], lambda state: state['build'] > first['build'])
    assert after['build'] > first['build'] and after['errors'] == ''
    assert 'Second words, revised.' in get(f'{base}b/index.html')
    assert wait_for(lambda: (out / 'b.pdf').stat().st_mtime_ns != pdf_before)


def test_errors_show_in_the_banner_and_the_last_good_page_stays(watching):
    root, out, base = watching
    first = status(base)
    good = get(f'{base}b/index.html')
    (root / 'booklet/b/01-a.md').write_text('# Alpha\n\nSee [nothing](#nowhere).\n')
    broken = next_status(base, first['version'], lambda state: state['errors'])
    assert broken['errors'] == "booklet/b/01-a.md:3: error: no heading with id 'nowhere'"
    assert broken['build'] == first['build']
    assert get(f'{base}b/index.html') == good
    (root / 'booklet/b/01-a.md').write_text('# Alpha\n\nFixed words.\n')
    fixed = next_status(base, broken['version'], lambda state: not state['errors'])
    assert fixed['errors'] == '' and fixed['build'] > first['build']
    assert 'Fixed words.' in get(f'{base}b/index.html')


def test_a_malformed_status_query_is_answered(served):
    root, out, base = served
    state = json.loads(get(f'{base}__pressroom__/status?since=abc'))
    assert state['build'] == 1 and state['errors'] == ''
    assert 'First words.' in get(f'{base}b/index.html')  # still serving


def test_watch_survives_an_internal_error_and_keeps_serving(tmp_path, monkeypatch):
    import threading
    from pressroom import pipeline
    from pressroom.watch import watch
    root = write_tree(tmp_path / 'content', {'booklet/b/booklet.yaml': META,
                                             'booklet/b/01-a.md': '# Alpha\n\nFirst words.\n'})
    real, calls = pipeline.build, []

    def flaky(*args, **kwargs):
        calls.append(kwargs.get('only'))
        if len(calls) == 2:
            raise RuntimeError('a bug in the build')
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, 'build', flaky)
    started, stop, lines = [], threading.Event(), []
    thread = threading.Thread(target=watch, args=(root, tmp_path / 'out'), daemon=True,
                              kwargs={'port': free_port(), 'progress': lines.append,
                                      'ready': started.append, 'stop': stop})
    thread.start()
    assert wait_for(lambda: started)
    base = started[0]
    first = status(base)
    (root / 'booklet/b/01-a.md').write_text('# Alpha\n\nSecond words.\n')
    broken = next_status(base, first['version'], lambda state: state['errors'])
    assert broken['errors'] == ('build.py: internal error: a bug in the build (the last good build '
                                'is still served; set PRESSROOM_DEBUG=1 for the traceback)')
    assert 'First words.' in get(f'{base}b/index.html')
    (root / 'booklet/b/01-a.md').write_text('# Alpha\n\nThird words.\n')
    fixed = next_status(base, broken['version'], lambda state: not state['errors'])
    assert fixed['errors'] == '' and thread.is_alive()
    assert wait_for(lambda: 'Third words.' in get(f'{base}b/index.html'))
    stop.set()
    thread.join(timeout=30)
