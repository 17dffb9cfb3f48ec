"""The Jinja environment shared by every template: strict, autoescaped, with print-friendly filters."""

import re
from pathlib import Path

import jinja2
from markupsafe import Markup

TEMPLATES = Path(__file__).parent / 'templates'


def css_string(value):
    """A value as a quoted CSS string, safe inside ``content:``."""
    # CSS ends a string at \n, \r and \f: every control character is written as an escape.
    escaped = ''.join(f'\\{ord(char):x} ' if char in '\\"<' or ord(char) < 32 or ord(char) == 127
                      else char for char in str(value))
    return Markup(f'"{escaped}"')


def month_year(value):
    return value.strftime('%B %Y')


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
    return env
