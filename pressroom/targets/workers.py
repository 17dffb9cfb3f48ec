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


def run(task):
    """Worker entry point: ``(target name, work)`` -> (list of Outputs, Problems). The worker
    was forked from the build, so it knows every registered target, a test's too."""
    from .registry import target
    name, work = task
    where = getattr(getattr(work, 'booklet', None), 'folder', None) or name
    return guarded(where, lambda problems: target(name).make(work, problems))


def run_numbered(numbered):
    """``(number, task)`` -> ``(number, run(task))``: results that say which task they are."""
    number, task = numbered
    return number, run(task)


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

    def as_finished(self, function, jobs):
        """``(index, function(job))`` for each job, in the order the jobs finish."""
        if not jobs:
            return iter(())
        return self.pool.imap_unordered(function, list(enumerate(jobs)), chunksize=1)

    def __exit__(self, *exc_info):
        if self.pool is not None:
            # Every result is in (or the build failed): end the workers without letting them
            # free what they hold.
            self.pool.terminate()
            self.pool.join()
