"""Run WeasyPrint inside the sandbox, turning its log messages and refusals into problems."""

import logging
import os
import re
from contextlib import contextmanager
from datetime import datetime, timezone
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.logger import LOGGER

REFUSED = 'refused by the build sandbox'


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        # Sandbox refusals are reported at the line that asked for the file, not here.
        if REFUSED not in record.getMessage():
            self.records.append(record)


@contextmanager
def captured_log():
    """WeasyPrint's warnings and errors, kept from the terminal and handed to the caller."""
    handler = Collect()
    LOGGER.addHandler(handler)
    propagate, LOGGER.propagate = LOGGER.propagate, False
    try:
        yield handler.records
    finally:
        LOGGER.removeHandler(handler)
        LOGGER.propagate = propagate


def render(html, base_folder, fetcher, sources, problems, where=''):
    """Lay out ``html``; refused URLs become errors located in ``sources`` (path -> text)."""
    with captured_log() as records:
        document = HTML(string=html, base_url=base_folder.as_uri() + '/',
                        url_fetcher=fetcher).render()
    report_refused(fetcher, sources, problems)
    for record in records:
        problems.warning(where or next(iter(sources), ''), 0, f'WeasyPrint: {record.getMessage()}')
    return document


def write_pdf(document, fetcher, sources, problems, where='', **options):
    """The PDF bytes, or ``None`` when writing tried to load something outside the sandbox or
    WeasyPrint reported an error (such as an accessibility failure in a tagged PDF)."""
    with captured_log() as records:
        data = document.write_pdf(**options)
    errors = [record.getMessage() for record in records if record.levelno >= logging.ERROR]
    for message in errors:
        problems.error(where or next(iter(sources), ''), 0, f'WeasyPrint: {message}')
    refused = report_refused(fetcher, sources, problems)
    return None if refused or errors else data


def report_refused(fetcher, sources, problems):
    refused = list(dict.fromkeys(fetcher.refused))
    fetcher.refused.clear()
    for url in refused:
        for path, line in locate(url, sources):
            problems.error(path, line, f"refused to load '{url}': a build may only use files "
                                       "inside the content root, and never the network")
    return bool(refused)


def locate(url, sources):
    """Every ``(path, line)`` whose text mentions ``url`` (or else its last path segment)."""
    path = unquote(urlparse(url).path) if url.startswith('file:') else None
    tail = re.split(r'[/\\]', url.rstrip('/'))[-1]
    for candidates in ([url, path], [tail]):
        found = []
        for source, text in sources.items():
            for number, line in enumerate(text.splitlines(), 1):
                if any(candidate and candidate in line for candidate in candidates):
                    found.append((source, number))
        if found:
            return found
    return [(next(iter(sources), ''), 0)]


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



