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


def warm_up(temporary=None):
    # WeasyPrint keeps font files in a temporary folder that a terminated worker never
    # deletes: put it in the build's own folder, which the build removes.
    if temporary is not None:
        import tempfile
        tempfile.tempdir = str(temporary)
    # The slow import (WeasyPrint), done before any work arrives.
    from . import booklet_pdf  # noqa: F401


def guarded(folder, make):
    """Run ``make(problems)`` -> outputs; content errors come back as problems, and any other
    failure as text (an unpicklable exception would hang the pool)."""
    problems = Problems()
    started = time.perf_counter()
    try:
        outputs = make(problems)
    except ContentError as error:
        problems.errors.extend(error.problems)
        return [], problems
    except Exception as error:
        raise RuntimeError(f'rendering {folder} failed:\n{traceback.format_exc()}') from error
    for output in outputs:
        output.seconds = time.perf_counter() - started
    return outputs, problems


def booklet_outputs(kind, booklet, root, styles, html, impose=False, problems=None):
    """A booklet variant (``kind``), and for the standard one its imposed file if asked."""
    from .booklet_pdf import build_booklet_pdf
    output = build_booklet_pdf(booklet, root, styles, problems, html=html, hold=KEEP, kind=kind)
    if output is None:
        return []
    if not impose:
        return [output]
    from .imposition import impose as two_up
    return [output, Output(path=output.path.replace('.pdf', '-imposed.pdf'),
                           kind='booklet-imposed', booklet=output.booklet,
                           data=two_up(output.data), pages=output.pages // 2)]


def card_outputs(card, root, styles, problems=None):
    from functools import partial

    from ..render.card import card_html
    from .card_pdf import build_card
    return build_card(card, root, styles, problems, partial(card_html, card, styles))


def run(job):
    """Worker entry point: ``(kind, arguments, options)`` -> (list of Outputs, Problems); the
    kind is ``card`` or a booklet variant (``booklet``, ``booklet-print``, ...)."""
    kind, arguments, options = job
    if kind == 'card':
        return guarded(arguments[0].folder,
                       lambda problems: card_outputs(*arguments, problems=problems))
    return guarded(arguments[0].folder, lambda problems: booklet_outputs(
        kind, *arguments, problems=problems, **options))


class Done:
    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


class Pool:
    """A process pool sized to the work (at most one process per core), or none for no work."""

    def __init__(self, jobs, temporary=None):
        self.size = max(0, min(jobs, os.cpu_count() or 1))
        self.temporary = temporary
        self.pool = None

    def __enter__(self):
        if self.size:
            # fork: the parent has not loaded WeasyPrint's C libraries, and workers inherit
            # the already imported pressroom modules for free.
            context = multiprocessing.get_context('fork')
            self.pool = context.Pool(self.size, initializer=warm_up,
                                     initargs=(self.temporary,))
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
