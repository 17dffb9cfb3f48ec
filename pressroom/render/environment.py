"""The Jinja environment shared by every template: strict, autoescaped, with print-friendly filters."""

import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from .phones import tel_href
from .typography import join_digits, tie_words

TEMPLATES = Path(__file__).parent / 'templates'


def css_string(value):
    """A value as a quoted CSS string, safe inside ``content:``."""
    # CSS ends a string at \n, \r and \f: every control character is written as an escape.
    escaped = ''.join(f'\\{ord(char):x} ' if char in '\\"<' or ord(char) < 32 or ord(char) == 127
                      else char for char in str(value))
    return Markup(f'"{escaped}"')


def month_year(value):
    """'September 2029', kept on one line by a no-break space (a year never wraps alone)."""
    return value.strftime('%B\u00a0%Y')


def url_breaks(text):
    """An address that may wrap after / . # ? & or =, never at a hyphen (a break there reads
    as hyphenation, and nobody could type the address back): the pieces between those
    characters never break."""
    pieces = re.split(r'(?<=[/.#?&=])', str(text))
    return Markup('<wbr>'.join(Markup('<span class="url-piece">{}</span>').format(piece)
                               for piece in pieces if piece))


def short_url(value):
    """A URL as people read it aloud: no scheme, no www, no trailing slash."""
    text = re.sub(r'^https?://', '', str(value))
    return re.sub(r'^www\.', '', text).rstrip('/')


def make_environment():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                             undefined=jinja2.StrictUndefined, autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters['css_string'] = css_string
    env.filters['month_year'] = month_year
    env.filters['short_url'] = short_url
    env.filters['join_digits'] = join_digits
    env.filters['tie_words'] = tie_words
    env.filters['tel'] = tel_href
    env.filters['url_breaks'] = url_breaks
    return env
