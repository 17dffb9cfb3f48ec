"""Render in worker processes: they import WeasyPrint while the parent reads the sources,
and lay out several booklets at once on a machine with more than one core."""

import multiprocessing
import os
import time
import traceback

from ..errors import ContentError, Problems
from .output import Output


# The last laid-out document of this worker. Freeing a document's millions of boxes takes
# about a third of the time it took to lay them out; the worker is ended instead.
KEEP = []


def warm_up():
    # The slow import (WeasyPrint), done before any work arrives.
    from . import booklet_pdf  # noqa: F401


def booklet_pdf(job):
    """Worker entry point: (booklet, root, styles, html[, kind]) -> (Output or None, Problems)."""
    from .booklet_pdf import build_booklet_pdf
    booklet, root, styles, html, *kind = job
    kind = kind[:1]
    problems = Problems()
    started = time.perf_counter()
    try:
        kind = kind[0] if kind else 'booklet'
        output = build_booklet_pdf(booklet, root, styles, problems, html=html, hold=KEEP,
                                   large=kind == 'booklet-large-print', kind=kind)
    except ContentError as error:
        problems.errors.extend(error.problems)
        return None, problems
    except Exception as error:  # an unpicklable exception would hang the pool: send text
        raise RuntimeError(f'rendering {booklet.folder} failed:\n'
                           f'{traceback.format_exc()}') from error
    if output is not None:
        output.seconds = time.perf_counter() - started
    return output, problems


def card_outputs(job):
    """Worker entry point: (card, root, styles) -> (list of Outputs, Problems)."""
    from functools import partial

    from ..render.card import card_html
    from .card_pdf import build_card
    card, root, styles = job
    problems = Problems()
    started = time.perf_counter()
    try:
        outputs = build_card(card, root, styles, problems, partial(card_html, card, styles))
    except ContentError as error:
        problems.errors.extend(error.problems)
        return [], problems
    except Exception as error:  # an unpicklable exception would hang the pool: send text
        raise RuntimeError(f'rendering {card.folder} failed:\n'
                           f'{traceback.format_exc()}') from error
    for output in outputs:
        output.seconds = time.perf_counter() - started
    return outputs, problems


def run(job):
    """Dispatch one job, ``(kind, arguments)``, to its worker entry point."""
    kind, arguments = job
    if kind in ('booklet-large-print', 'booklet-print'):
        output, problems = booklet_pdf(arguments + (kind,))
        return ([output] if output else []), problems
    if kind == 'booklet':
        output, problems = booklet_pdf(arguments)
        if output is None:
            return [], problems
        if len(arguments) > 5 and not arguments[5]:
            return [output], problems  # no imposed file asked for
        from .imposition import impose
        imposed = Output(path=output.path.replace('.pdf', '-imposed.pdf'), kind='booklet-imposed',
                         booklet=output.booklet, data=impose(output.data), pages=output.pages // 2,
                         seconds=output.seconds)
        return [output, imposed], problems
    return card_outputs(arguments)


class Done:
    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


class Pool:
    """A process pool sized to the work (at most one process per core), or none for no work."""

    def __init__(self, jobs):
        self.size = max(0, min(jobs, os.cpu_count() or 1))
        self.pool = None

    def __enter__(self):
        if self.size:
            # fork: the parent has not loaded WeasyPrint's C libraries, and workers inherit
            # the already imported pressroom modules for free.
            context = multiprocessing.get_context('fork')
            self.pool = context.Pool(self.size, initializer=warm_up)
        return self

    def map(self, function, jobs):
        return self.map_async(function, jobs).get()

    def map_async(self, function, jobs):
        """Start the jobs; ``.get()`` on the result waits for them, in order."""
        if not jobs:
            return Done([])
        return self.pool.map_async(function, jobs, chunksize=1)

    def __exit__(self, *exc_info):
        if self.pool is not None:
            # Every result is in (or the build failed): end the workers without letting them
            # free what they hold.
            self.pool.terminate()
            self.pool.join()
