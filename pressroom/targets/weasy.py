"""Run WeasyPrint inside the sandbox, turning its log messages and refusals into problems."""

import logging
import os
import re
from contextlib import contextmanager
from datetime import datetime, timezone
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.draw import color as draw_color
from weasyprint.logger import LOGGER

REFUSED = 'refused by the build sandbox'
# A message may quote a whole data: URI (megabytes for a broken image): keep its start.
MAX_MESSAGE = 300


def tolerant(shade, black):
    """``shade`` (WeasyPrint's darken or lighten) that cannot fail on a colour space.

    WeasyPrint 70 shades groove, ridge, inset and outset borders through ``to('srgb')``, which
    raises for device-cmyk (every colour of the print file) and lab, lch, oklab ... (upstream:
    "TODO: handle color spaces"). A CMYK colour gets ``black`` applied to its K; any other
    colour the conversion cannot handle is drawn unshaded rather than crashing the build.
    """
    def shaded(color):
        try:
            return shade(color)
        except NotImplementedError:
            if color.space != 'device-cmyk':
                return color
            *cmy, k = color.coordinates
            return type(color)(color.space, (*cmy, black(k or 0)), color.alpha)
    return shaded


# styled_color() looks darken and lighten up as module globals, so replacing them is enough.
draw_color.darken = tolerant(draw_color.darken, lambda k: 1 - (1 - k) / 1.5)
draw_color.lighten = tolerant(draw_color.lighten, lambda k: k / 1.5)


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
    for message in messages(records):
        problems.warning(where or next(iter(sources), ''), 0, f'WeasyPrint: {message}')
    return document


def write_pdf(document, fetcher, sources, problems, where='', **options):
    """The PDF bytes, or ``None`` when writing tried to load something outside the sandbox or
    WeasyPrint reported an error (such as an accessibility failure in a tagged PDF)."""
    with captured_log() as records:
        data = document.write_pdf(**options)
    errors = messages(records, logging.ERROR)
    for message in errors:
        problems.error(where or next(iter(sources), ''), 0, f'WeasyPrint: {message}')
    refused = report_refused(fetcher, sources, problems)
    return None if refused or errors else data


def messages(records, level=logging.WARNING):
    """Each distinct message once, cut short: one missing image is logged for every box that
    uses it, and a broken one with its whole data: URI."""
    cut = (shorten(record.getMessage()) for record in records if record.levelno >= level)
    return list(dict.fromkeys(cut))


def shorten(message):
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE - 1] + '…'


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



