"""Read and validate ``booklet.yaml`` against its schema, reporting every problem at once."""

import re
import unicodedata
from datetime import date

import yaml

from ..errors import closest
from ..model import Meta

REQUIRED = ('title', 'code', 'edition', 'last_reviewed', 'next_review', 'helpline', 'website',
            'online_url')
OPTIONAL = ('subtitle', 'published', 'language', 'card', 'author', 'organisation',
            'charity_number', 'address', 'sources_statement', 'feedback', 'other_formats',
            'chapter_breaks')
# Embeddings and overrides reorder text invisibly (Trojan Source, CVE-2021-42574); the
# isolates (U+2066-2069) and marks that right-to-left text needs stay allowed.
BIDI = set('\u202a\u202b\u202c\u202d\u202e')
DATES = ('last_reviewed', 'next_review', 'published')
LANGUAGE = re.compile(r'^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$')
URL = re.compile(r'^https?://[^\s/]+\S*$')
SLUG = re.compile(r'^[a-z0-9][a-z0-9-]*$')
KEY_VALUE = re.compile(r'^([A-Za-z_][\w-]*):[ \t]+(.*)$')


def load_yaml_mapping(text, path, problems):
    """Compose YAML into nodes (so every key keeps its line); ``None`` when unusable."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        message = f'invalid YAML: {error.problem or error.context}'
        if error.problem and error.context and error.context_mark:
            message += f' ({error.context} at line {error.context_mark.line + 1})'
        problems.error(path, line, message + quoting_hint(error, text, line))
        return None
    except yaml.reader.ReaderError as error:
        line = text[:error.position].count('\n') + 1
        code = error.character if isinstance(error.character, int) else ord(error.character)
        problems.error(path, line, f'invalid YAML: character U+{code:04X} is not allowed in '
                                   'YAML text')
        return None
    except (yaml.YAMLError, RecursionError):
        problems.error(path, 1, 'invalid YAML: nested too deeply or malformed')
        return None
    if node is None:
        problems.error(path, 1, 'file is empty: expected keys such as title and code')
        return None
    if not isinstance(node, yaml.MappingNode):
        problems.error(path, node.start_mark.line + 1, 'expected a mapping of keys to values')
        return None
    entries = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            problems.error(path, key_node.start_mark.line + 1, 'a key must be a plain name '
                                                               'such as title')
            continue
        key = key_node.value
        if key in entries:
            problems.error(path, key_node.start_mark.line + 1, f"duplicate key '{key}'")
        entries[key] = (value_node, key_node.start_mark.line + 1)
    return entries


def quoting_hint(error, text, line):
    """How to fix the commonest YAML mistake, a value holding ': ' (``title: Bone: a guide``,
    which YAML reads as a second key): the line, quoted."""
    if error.problem != 'mapping values are not allowed here':
        return ''
    lines = text.splitlines()
    match = KEY_VALUE.match(lines[line - 1]) if line <= len(lines) else None
    if not match:
        return ''
    key, value = match.group(1), match.group(2).strip()
    quoted = f"'{value}'" if '"' in value else f'"{value}"'
    return f": a value holding ': ' must be in quotes, e.g. {key}: {quoted}"


def check_keys(entries, required, optional, path, problems):
    """Missing and unknown keys, each with its line. An unknown key close to a missing
    required one is taken as its misspelling: one error at its line, not an unknown key and a
    missing one."""
    missing = [key for key in required if key not in entries]
    absent = [key for key in required + optional if key not in entries]
    for key, (_, line) in entries.items():
        if key in required or key in optional:
            continue
        meant = closest(key, missing)
        if meant:
            missing.remove(meant)
            problems.error(path, line, f"unknown key '{key}' (did you mean '{meant}'? it is "
                                       'required)')
            continue
        meant = closest(key, absent)
        problems.warning(path, line, f"unknown key '{key}' (ignored"
                         + (f"; did you mean '{meant}'?)" if meant else ')'))
    for key in missing:
        problems.error(path, 1, f"missing required key '{key}'")


def scalar(entries, key, path, problems):
    """The raw text of a scalar value, or ``None`` (with an error) when it is not one."""
    value_node, line = entries[key]
    if not isinstance(value_node, yaml.ScalarNode):
        kind = 'a list' if isinstance(value_node, yaml.SequenceNode) else 'a mapping'
        problems.error(path, line, f"'{key}' must be text, not {kind}")
        return None
    text = value_node.value.strip()
    if value_node.tag == 'tag:yaml.org,2002:null' or not text:
        problems.error(path, line, f"'{key}' is empty")
        return None
    hidden = [char for char in text if unicodedata.category(char) == 'Cc' or char in BIDI]
    if hidden:
        # A line break or a direction override inside a value prints where nobody sees it
        # in the file (and could end a CSS string in the footers).
        problems.error(path, line, f"'{key}' holds an invisible control character "
                                   f'(U+{ord(hidden[0]):04X}): retype the value on one line')
        return None
    return text


def parse_date(text, key, line, path, problems):
    try:
        return date.fromisoformat(text)
    except ValueError:
        if re.fullmatch(r'\d{4}-\d{2}-\d{2}', text):
            problems.error(path, line, f"'{key}' is not a real date: {text}")
        else:
            problems.error(path, line, f"'{key}' must be an ISO date (YYYY-MM-DD), not '{text}'")
        return None


def read_meta(text, path, problems):
    """Validate ``booklet.yaml`` text; returns ``Meta`` or ``None`` after recording problems."""
    entries = load_yaml_mapping(text, path, problems)
    if entries is None:
        return None
    before = len(problems.errors)
    check_keys(entries, REQUIRED, OPTIONAL, path, problems)
    values = {}
    for key in REQUIRED + OPTIONAL:
        if key not in entries:
            continue
        text_value = scalar(entries, key, path, problems)
        if text_value is None:
            continue
        line = entries[key][1]
        if key in DATES:
            values[key] = parse_date(text_value, key, line, path, problems)
        elif key == 'language' and not LANGUAGE.match(text_value):
            problems.error(path, line, f"'language' must be a language tag such as en-GB, "
                                       f"not '{text_value}'")
        elif key == 'online_url' and not URL.match(text_value):
            problems.error(path, line, f"'online_url' must be an http(s) URL, not '{text_value}'")
        elif key == 'card' and not SLUG.match(text_value):
            problems.error(path, line, f"'card' must be the slug of a folder in cards/, "
                                       f"not '{text_value}'")
        elif key == 'chapter_breaks' and text_value not in ('page', 'none'):
            problems.error(path, line, "'chapter_breaks' must be page (each chapter starts a "
                                       f"new page) or none (chapters run on), not '{text_value}'")
        elif key == 'charity_number' and not re.search(r'\d', text_value):
            problems.error(path, line, "'charity_number' must hold the registered number, such "
                                       f"as 1234567 or SC012345, not '{text_value}'")
        else:
            values[key] = text_value
    last, upcoming = values.get('last_reviewed'), values.get('next_review')
    if last and upcoming and upcoming <= last:
        problems.error(path, entries['next_review'][1],
                       f"'next_review' ({upcoming}) must be after 'last_reviewed' ({last})")
    if len(problems.errors) > before:
        return None
    values.setdefault('organisation', values.get('author') or values['website'])
    values.setdefault('author', values['organisation'])
    return Meta(path=str(path), lines={key: line for key, (_, line) in entries.items()},
                **values)
