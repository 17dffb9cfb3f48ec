"""Run WeasyPrint inside the sandbox, turning its log messages and refusals into problems."""

import logging
import os
import re
from contextlib import contextmanager
from datetime import datetime, timezone

from weasyprint import HTML
from weasyprint.logger import LOGGER




class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@contextmanager
def captured_log():
    handler = Collect()
    LOGGER.addHandler(handler)
    propagate, LOGGER.propagate = LOGGER.propagate, False
    try:
        yield handler.messages
    finally:
        LOGGER.removeHandler(handler)
        LOGGER.propagate = propagate


def render(html, base_folder, fetcher, sources, problems):
    """Lay out ``html``; refused URLs become errors located in ``sources`` (path -> text)."""
    with captured_log() as messages:
        document = HTML(string=html, base_url=base_folder.as_uri() + '/',
                        url_fetcher=fetcher).render()
    for url in dict.fromkeys(fetcher.refused):
        path, line = locate(url, sources)
        problems.error(path, line, f"refused to load '{url}': a build may only use files inside "
                                   "the content root, and never the network")
    for message in messages:
        if 'refused by the build sandbox' not in message:
            problems.warning(next(iter(sources), ''), 0, f'WeasyPrint: {message}')
    return document


def locate(url, sources):
    """The first ``path:line`` whose text mentions ``url`` (or its last path segment)."""
    candidates = [url, url.removeprefix('file://')]
    tail = re.split(r'[/\\]', url.rstrip('/'))[-1]
    if tail:
        candidates.append(tail)
    for candidate in candidates:
        for path, text in sources.items():
            index = text.find(candidate)
            if index >= 0:
                return path, text.count('\n', 0, index) + 1
    return next(iter(sources), ''), 0


@contextmanager
def source_date(day):
    """SOURCE_DATE_EPOCH from a date in the sources, so font subsets carry no build time."""
    stamp = int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())
    previous = os.environ.get('SOURCE_DATE_EPOCH')
    os.environ['SOURCE_DATE_EPOCH'] = str(stamp)
    try:
        yield
    finally:
        if previous is None:
            del os.environ['SOURCE_DATE_EPOCH']
        else:
            os.environ['SOURCE_DATE_EPOCH'] = previous



