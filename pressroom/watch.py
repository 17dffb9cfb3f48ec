"""``build.py watch``: serve the web edition on 127.0.0.1 with live reload, rebuilding on save.

A save first rebuilds the web pages (no layout needed, a fraction of a second) and tells the
browser to reload; the PDFs follow. Errors go to the terminal and to a banner on the page,
while the last good outputs stay in place.
"""

import errno
import json
import os
import threading
import traceback
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .errors import ContentError, PressroomError, UsageError
from .read.files import walk
from .render.styles import PROJECT_STYLES

POLL_SECONDS = 0.05
STATUS_PATH = '/__pressroom__/status'


class State:
    """What the browser is told: a version that changes on every event, the build number
    (a change means reload), and the current errors."""

    def __init__(self):
        self.changed = threading.Condition()
        self.version = self.build = 0
        self.errors = ''

    def update(self, built=False, errors=''):
        with self.changed:
            self.version += 1
            self.build += built
            self.errors = errors
            self.changed.notify_all()

    def wait(self, since, timeout=25):
        with self.changed:
            self.changed.wait_for(lambda: self.version > since, timeout)
            return {'version': self.version, 'build': self.build, 'errors': self.errors}


def handler(state, web):
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(web), **kwargs)

        def do_GET(self):
            parts = urlsplit(self.path)
            if parts.path != STATUS_PATH:
                return super().do_GET()
            try:
                since = int(parse_qs(parts.query).get('since', ['-1'])[0])
            except ValueError:
                since = -1  # not a number: answer at once with the current state
            body = json.dumps(state.wait(since) if since >= 0 else state.wait(-1, 0)).encode()
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Cache-Control', 'no-store')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def end_headers(self):
            self.send_header('Cache-Control', 'no-store')
            super().end_headers()

        def log_message(self, format, *args):
            pass  # the terminal is for build results

    return Handler


def listen(port, handler_class):
    """The server on 127.0.0.1:``port``; a port that cannot be used is the user's to change."""
    try:
        return ThreadingHTTPServer(('127.0.0.1', port), handler_class)
    except OverflowError:
        raise UsageError(f'watch: --port {port} is not a port: choose one from 1024 to '
                         '65535') from None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise UsageError(f'watch: port {port} is in use: choose another with '
                             '--port') from None
        raise UsageError(f'watch: cannot serve on port {port} ({error.strerror}): choose '
                         'another with --port') from None


def snapshot(folders):
    """Modification times of every file under ``folders`` (the sources a build reads)."""
    seen = {}
    for folder in folders:
        for path in walk(folder) if Path(folder).is_dir() else ():
            try:
                seen[str(path)] = path.stat().st_mtime_ns
            except OSError:
                pass
    return seen


def watch(source, out, port=8000, progress=print, ready=None, stop=None):
    """Build, serve ``out/web`` and rebuild on every change until ``stop`` is set (or Ctrl-C)."""
    from . import pipeline
    from .targets.files import check_out_folder
    gate = pipeline.open_root(source)
    check_out_folder(out, source)  # usage errors end watch at once (exit 2)
    state = State()
    stop = stop or threading.Event()
    root = Path(source)
    # A source folder that leads out of the root is refused by the build: never poll it.
    folders = [folder for folder in (root / 'booklet', root / 'cards', root / 'styles')
               if gate.contains(folder)]
    folders += [PROJECT_STYLES, Path(__file__).parent / 'render' / 'templates']

    def run(only=None, reload=True):
        try:
            pipeline.build(source, out, progress=progress, only=only, live=True)
        except ContentError as error:
            text = '\n'.join(problem.format() for problem in error.problems)
            progress(text)
            state.update(errors=text)
            return False
        except PressroomError as error:
            progress(f'build.py: error: {error}')
            state.update(errors=str(error))
            return False
        except Exception as error:  # a bug: say so, keep serving the last good build
            last = str(error).strip().splitlines()[-1:] or [type(error).__name__]
            text = (f'build.py: internal error: {last[0]} (the last good build is still '
                    'served; set PRESSROOM_DEBUG=1 for the traceback)')
            if os.environ.get('PRESSROOM_DEBUG'):
                traceback.print_exc()
            progress(text)
            state.update(errors=text)
            return False
        state.update(built=reload)
        return True

    web = Path(out) / 'web'
    # Bound before building: a port in use ends watch at once, not after a build.
    server = listen(port, handler(state, web))
    # Taken before the first build: a save made while it runs, or right after "watching" is
    # printed, is seen and built next (taken after, it would pass unnoticed).
    seen = snapshot(folders)
    run()
    web.mkdir(parents=True, exist_ok=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f'http://127.0.0.1:{server.server_address[1]}/'
    progress(f'watching {root} — open {address} (Ctrl-C to stop)')
    if ready:
        ready(address)
    try:
        while not stop.is_set():
            time.sleep(POLL_SECONDS)
            now = snapshot(folders)
            if now == seen:
                continue
            seen = now
            started = time.perf_counter()
            # The page first (quick), then the PDFs.
            if run(only={'web'}):
                progress(f'web pages rebuilt in {time.perf_counter() - started:.2f} s')
                run(reload=False)  # the PDFs: nothing on the page changes
            # A save made during these builds differs from ``seen`` and is built next.
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0
