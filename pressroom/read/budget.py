"""A time budget for parsing one source file: Python-Markdown is quadratic on some inputs
(thousands of unclosed ``[``), so a careless file could stall a build for hours."""

import signal
import threading
from contextlib import contextmanager

SECONDS = 10


class OverBudget(Exception):
    """Parsing took longer than the budget."""


@contextmanager
def time_budget(seconds=None):
    """Raise ``OverBudget`` inside the block after ``seconds`` (main thread only: elsewhere,
    such as watch's server threads, the block just runs)."""
    seconds = seconds or SECONDS
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise OverBudget()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


SLOW = (f'this file takes over {SECONDS} s to convert: look for very long runs of [ ( < * or _ '
        'characters and break them up')
