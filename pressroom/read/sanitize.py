"""One allow-list for the HTML of chapters and card faces, shared by every output (PDF and web).

Two passes: ``check_html`` walks the converted HTML and reports every refused construct at the
source line that wrote it (the build then fails, so nothing is silently dropped); ``clean``
runs the same allow-list through nh3 (Rust's ammonia), a maintained sanitiser, so that even a
construct the check missed cannot reach an output.
"""

import re
from html.parser import HTMLParser

import nh3

from ..model import TOKEN_CHARACTERS, reserved

BLOCKS = {'p', 'div', 'blockquote', 'pre', 'hr', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'figure',
          'figcaption', 'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'col',
          'colgroup', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'}
INLINES = {'a', 'abbr', 'b', 'br', 'cite', 'code', 'del', 'dfn', 'em', 'i', 'img', 'ins', 'kbd',
           'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var',
           'wbr'}
TAGS = BLOCKS | INLINES
HEADINGS = {'h1', 'h2', 'h3', 'h4', 'h5', 'h6'}
GLOBAL = {'id', 'class', 'title', 'lang', 'dir', 'style'}
ATTRIBUTES = {'a': {'href'}, 'img': {'src', 'alt', 'width', 'height'},
              'td': {'colspan', 'rowspan', 'align', 'headers'},
              'th': {'colspan', 'rowspan', 'align', 'headers', 'scope'},
              'ol': {'start', 'reversed', 'type'}, 'li': {'value'}, 'col': {'span'},
              'colgroup': {'span'}, 'time': {'datetime'}}
# The src of an <img> in raw HTML, quoted or not (the first one of a tag).
RAW_SRC = re.compile(r'(<img\b[^>]*?\bsrc\s*=\s*)("[^"]*"|\'[^\']*\'|[^\s>]+)', re.I)
LINK_SCHEMES = {'http', 'https', 'mailto', 'tel'}
# Nesting deeper than this is no real document, and WeasyPrint's layout recurses per level.
MAX_DEPTH = 24
VOID = {'br', 'hr', 'img', 'wbr', 'col'}
SCHEME = re.compile(r'^([a-z][a-z0-9+.-]*):')
# What a style attribute may not hold: anything that loads a file or runs code.
STYLE_REFUSED = re.compile(r'url|image|expression|@|\\|javascript|behavior|binding|src\s*\(',
                           re.I)
# Inline styles may align, weight and frame text, never hide, recolour, resize or move it
# (display: none, color: white, font-size: 0 ... would lose text without a word).
STYLE_PROPERTIES = {'text-align', 'vertical-align', 'font-weight', 'font-style',
                    'text-decoration', 'white-space', 'width', 'max-width', 'border',
                    'border-top', 'border-right', 'border-bottom', 'border-left', 'border-color',
                    'border-style', 'border-width', 'border-collapse'}
REASONS = {
    'script': 'no script may reach any output', 'noscript': 'no script may reach any output',
    'style': 'styles belong in styles/*.css', 'link': 'styles belong in styles/*.css',
    'meta': 'a chapter cannot set page metadata', 'base': 'a chapter cannot set page metadata',
    'svg': 'put the drawing in an .svg file and use it as an image with alt text',
    'math': 'use an image with alt text',
}
MEDIA = {'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'video', 'audio', 'source',
         'track', 'canvas', 'portal', 'picture'}
FORMS = {'form', 'input', 'button', 'select', 'option', 'textarea', 'fieldset', 'legend',
         'label', 'output', 'datalist', 'optgroup', 'dialog', 'details', 'summary'}


def style_properties(value):
    """The property names of an inline style (``a: b; c: d`` -> {'a', 'c'})."""
    return {part.split(':', 1)[0].strip().lower() for part in value.split(';')
            if part.strip()}


def reason(tag):
    if tag in REASONS:
        return REASONS[tag]
    if tag in MEDIA:
        return 'embedded and media content cannot be printed or kept on the site: use an ' \
               'image with alt text, or a link'
    if tag in FORMS:
        return 'forms and controls cannot work on paper'
    return 'see the README for the HTML a chapter may use'


def link_problem(value):
    """Why ``value`` may not be a link target, or ``None``."""
    plain = re.sub(r'[\x00-\x20]', '', value).lower()
    if plain.startswith('#'):
        return None
    scheme = SCHEME.match(plain)
    if scheme and scheme.group(1) in LINK_SCHEMES:
        return None
    if scheme:
        return f"links may only be http(s), mailto: or tel: addresses or #ids, not '{value}'"
    return f"link '{value}' is neither a web address nor an #id of this booklet"


class Locator:
    """Lines of the source where needles occur, each occurrence used once in order."""

    def __init__(self, source):
        self.lines = source.lower().splitlines()
        self.cursor = {}

    def line(self, *needles):
        for needle in needles:
            if not needle:
                continue
            needle = needle.lower()
            start = self.cursor.get(needle, 0)
            for index in list(range(start, len(self.lines))) + list(range(0, start)):
                if needle in self.lines[index]:
                    self.cursor[needle] = index + 1
                    return index + 1
        return 1


class Checker(HTMLParser):
    def __init__(self, source, path, problems):
        super().__init__(convert_charrefs=True)
        self.locate = Locator(source)
        self.path, self.problems = path, problems
        self.open = []
        self.deep = False

    def error(self, message, *needles):
        self.problems.error(self.path, self.locate.line(*needles), message)

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text() or ''
        first_line = raw.splitlines()[0] if raw else ''
        if tag not in TAGS:
            self.error(f'<{tag}> is not allowed: {reason(tag)}', first_line, f'<{tag}')
        else:
            for name, value in attrs:
                self.attribute(tag, name, value or '', first_line)
        if tag not in VOID:
            self.open.append(tag)
            if len(self.open) > MAX_DEPTH and self.deep is False:
                self.deep = True
                self.depth_at = self.getpos()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.open:
            self.open.pop()

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass

    def handle_data(self, data):
        if self.deep and data.strip():
            words = ' '.join(data.split()[:4])
            self.error(f'lists, quotes or blocks nested more than {MAX_DEPTH} levels deep: '
                       'flatten them', words)
            self.deep = None  # reported once per chapter

    def attribute(self, tag, name, value, raw):
        if name.startswith('on'):
            self.error(f"event handler '{name}' is not allowed: no script may reach any output",
                       raw, f'{name}=', name)
        elif name not in GLOBAL and name not in ATTRIBUTES.get(tag, ()):
            self.error(f"attribute '{name}' is not allowed on <{tag}>", raw, f'{name}=', name)
        elif name == 'href':
            problem = link_problem(value)
            if problem:
                # The source may spell the address with entities or tabs: its tail still shows.
                self.error(problem, raw, value, value[-12:], value[-6:])
        elif name == 'style' and STYLE_REFUSED.search(value):
            self.error(f"style '{value}' may not load files or run code: use a class and "
                       'styles/*.css, or an image', raw, value)
        elif name == 'style':
            for refused in style_properties(value) - STYLE_PROPERTIES:
                self.error(f"style property '{refused}' is not allowed (it could hide or move "
                           'text): use a class and styles/*.css', raw, value)
        elif name == 'id' and reserved(value) and tag not in HEADINGS:
            # (a heading's id is checked at the heading's own line)
            self.error(f"id '{value}' is reserved for what the build generates: choose another",
                       raw, value)


def check_html(html, source, path, problems):
    """Record every construct outside the allow-list, at its line in ``source``. Image
    sources are left to the callers, which open and check every image (read/booklet.py)."""
    checker = Checker(source, path, problems)
    checker.feed(html)
    checker.close()


def clean(html):
    """``html`` with anything outside the allow-list removed (nh3)."""
    attributes = {tag: set(names) | GLOBAL for tag, names in ATTRIBUTES.items()}
    attributes['*'] = set(GLOBAL)
    return nh3.clean(html, tags=TAGS, attributes=attributes, url_schemes=LINK_SCHEMES,
                     link_rel=None, strip_comments=True, clean_content_tags={'script', 'style'},
                     filter_style_properties=STYLE_PROPERTIES)


class ImageTags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == 'img':
            values = dict(attrs)
            raw = (self.get_starttag_text() or '').splitlines()
            self.found.append((values.get('src') or '', values.get('alt') or '',
                               raw[0] if raw else ''))


def image_tags(html):
    """(src, alt, the first line of its tag) of every ``<img>`` in ``html``."""
    parser = ImageTags()
    parser.feed(html)
    parser.close()
    return parser.found


def without_token_characters(source, path, problems):
    """``source`` without the private-use characters the build's placeholders are made of
    (model.TOKEN_CHARACTERS), each line that held one reported: they print as empty boxes
    anyway, and must not pass for a placeholder."""
    if not TOKEN_CHARACTERS.intersection(source):
        return source
    for number, line in enumerate(source.splitlines(), 1):
        found = sorted(TOKEN_CHARACTERS.intersection(line))
        if found:
            problems.error(path, number, f'private-use character U+{ord(found[0]):04X} cannot '
                                         'be printed: remove it')
    return ''.join(char for char in source if char not in TOKEN_CHARACTERS)
