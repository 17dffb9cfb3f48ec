"""No script in any output: every script vector is an error at its line, and what reaches the
PDF and the web edition holds no script, event handler or javascript: link."""

import re
from html.parser import HTMLParser

import pikepdf
import pytest
from hypothesis import given, settings, strategies as st

from pressroom.errors import Problems
from pressroom.read.markdown import convert_chapter
from pressroom.read.sanitize import TAGS, clean

VECTORS = {
    'script': ('<script>alert(1)</script>', '<script> is not allowed: no script may reach any '
                                            'output'),
    'remote script': ('<script src="http://evil.example/x.js"></script>',
                      '<script> is not allowed: no script may reach any output'),
    'handler': ('<p onclick="steal()">Hello</p>', "event handler 'onclick' is not allowed: no "
                                                   'script may reach any output'),
    'handler via attribute list': ('Hello {: onclick="steal()" }\n\n## Heading {onclick=steal()}',
                                   "event handler 'onclick' is not allowed: no script may reach "
                                   'any output'),
    'javascript link': ('[click](javascript:alert(1))',
                        "links may only be http(s), mailto: or tel: addresses or #ids, not "
                        "'javascript:alert(1)'"),
    'mixed case and spaces': ('<a href=" JaVaScRiPt:alert(1)">x</a>',
                              "links may only be http(s), mailto: or tel: addresses or #ids, not "
                              "' JaVaScRiPt:alert(1)'"),
    'entity-encoded scheme': ('<a href="&#106;avascript:alert(1)">x</a>',
                              "links may only be http(s), mailto: or tel: addresses or #ids, "
                              "not 'javascript:alert(1)'"),
    'data link': ('[x](data:text/html;base64,PHNjcmlwdD4=)',
                  "links may only be http(s), mailto: or tel: addresses or #ids, not "
                  "'data:text/html;base64,PHNjcmlwdD4='"),
    'video': ('<video src="http://evil.example/x.mp4"></video>',
              '<video> is not allowed: embedded and media content cannot be printed or kept on '
              'the site: use an image with alt text, or a link'),
    'audio from disk': ('<audio src="file:///etc/passwd"></audio>',
                        '<audio> is not allowed: embedded and media content cannot be printed or '
                        'kept on the site: use an image with alt text, or a link'),
    'iframe': ('<iframe src="https://evil.example"></iframe>',
               '<iframe> is not allowed: embedded and media content cannot be printed or kept on '
               'the site: use an image with alt text, or a link'),
    'inline svg': ('<svg onload="alert(1)"></svg>',
                   '<svg> is not allowed: put the drawing in an .svg file and use it as an image '
                   'with alt text'),
    'form': ('<form action="https://evil.example">Your NHS number</form>',
             '<form> is not allowed: forms and controls cannot work on paper'),
    'input': ('<input name="nhs" formaction="https://evil.example">',
              '<input> is not allowed: forms and controls cannot work on paper'),
    'meta refresh': ('<meta http-equiv="refresh" content="0;url=https://evil.example">',
                     '<meta> is not allowed: a chapter cannot set page metadata'),
    'style expression': ('<p style="width: expression(alert(1))">x</p>',
                         "style 'width: expression(alert(1))' may not load files or run code: use "
                         'a class and styles/*.css, or an image'),
    'style escape': ('<p style="background: u\\72l(http://x)">x</p>',
                     "style 'background: u\\72l(http://x)' may not load files or run code: use a "
                     'class and styles/*.css, or an image'),
    'unknown attribute': ('<p data-track="1">x</p>', "attribute 'data-track' is not allowed on <p>"),
}


@pytest.mark.parametrize('case', VECTORS)
def test_every_script_vector_is_an_error_at_its_line(run, make_root, tmp_path, case):
    markdown, message = VECTORS[case]
    root = make_root({'booklet/b/01-a.md': f'# A\n\nSome text.\n\n{markdown}\n'})
    out = tmp_path / 'out'
    result = run('--source', root, '--out', out)
    assert result.code == 1
    assert result.lines == [f'booklet/b/01-a.md:5: error: {message}']
    assert not out.exists() or not any(out.rglob('*.pdf'))


def test_a_card_face_is_held_to_the_same_list(run, make_root):
    from test_cards import BACK, card_files
    root = make_root({'booklet/b/01-a.md': '# A\n\n## S {#scc}\n',
                      **card_files(back=BACK + '\n<script>alert(1)</script>\n')})
    result = run('check', '--source', root)
    assert result.code == 1
    assert result.lines == ['cards/test-card/back.md:7: error: <script> is not allowed: no script '
                            'may reach any output']


def test_web_stylesheet_override_is_checked_like_the_pdf_ones(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': '# A\n',
                      'styles/web.css': 'body { color: black }\n@import url(http://evil.example/x.css);\n'})
    result = run('--source', root, '--out', tmp_path / 'out', '--formats', 'web')
    assert result.code == 1
    assert result.lines == [
        'styles/web.css:2: error: @import is not allowed; list stylesheets instead',
        'styles/web.css:2: error: url(http://evil.example/x.css) must name a file inside the '
        'styles folder']


ALLOWED = """\
# Everything allowed

A paragraph with **bold**, *emphasis*, `code`, a [web link](https://example.org/a?b=c),
[mail](mailto:help@example.org), [phone](tel:+448081570123) and a [reference](#everything-allowed).

<div class="note" lang="cy" dir="ltr"><p>Raw HTML, <abbr title="magnetic resonance imaging">MRI</abbr>,
x<sup>2</sup>, H<sub>2</sub>O, <mark>marked</mark>, <kbd>Ctrl</kbd>.</p></div>

| Left | Right |
|:-----|------:|
| a    | b     |

> A quote.

1. One
2. Two
"""


class Scanner(HTMLParser):
    """Every tag, attribute and URL in a page, to prove none of them can run."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append(tag)
        for name, value in attrs:
            if name.startswith('on'):
                self.found.append(f'handler {name}')
            if name in ('href', 'src') and re.match(r'\s*(javascript|vbscript|data:text)', value or '',
                                                    re.I):
                self.found.append(f'script url {value}')


def test_allowed_html_builds_and_no_output_can_run_script(run, make_root, tmp_path):
    root = make_root({'booklet/b/01-a.md': ALLOWED})
    out = tmp_path / 'out'
    result = run('--source', root, '--out', out, '--html')
    assert result.code == 0, result.err
    for page in out.rglob('*.html'):
        scanner = Scanner()
        scanner.feed(page.read_text())
        assert not [found for found in scanner.found if found == 'script'
                    or found.startswith(('handler', 'script url'))], page
    for path in out.glob('*.pdf'):
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                for annotation in page.get('/Annots', []):
                    action = annotation.get('/A')
                    if action is not None and action.get('/S') == '/URI':
                        assert str(action.URI).startswith(('https:', 'http:', 'mailto:', 'tel:'))
                    assert action is None or action.get('/S') in ('/URI', '/GoTo')
            assert '/JavaScript' not in str(pdf.Root.get('/Names', {}))
            assert '/OpenAction' not in pdf.Root


TAG_NAMES = sorted(TAGS | {'script', 'style', 'iframe', 'object', 'embed', 'video', 'audio',
                           'svg', 'math', 'form', 'input', 'base', 'link', 'meta', 'template',
                           'noscript', 'img', 'a', 'frameset', 'marquee'})
ATTRIBUTE = st.sampled_from(['onclick', 'onerror', 'onload', 'href', 'src', 'style', 'id',
                             'class', 'formaction', 'xlink:href', 'srcdoc', 'title'])
VALUE = st.sampled_from(['javascript:alert(1)', ' jav&#x09;ascript:x', 'data:text/html,<script>',
                         'http://evil.example/x', 'x', 'url(javascript:x)',
                         'expression(alert(1))', '#a', 'images/x.png', '"><script>alert(1)</script>'])


@st.composite
def raw_html(draw):
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        tag = draw(st.sampled_from(TAG_NAMES))
        attributes = ' '.join(f'{draw(ATTRIBUTE)}="{draw(VALUE)}"'
                              for _ in range(draw(st.integers(0, 3))))
        parts.append(f'<{tag} {attributes}>{draw(st.sampled_from(["x", "", "<b>y</b>"]))}</{tag}>')
    return '\n'.join(parts)


@settings(max_examples=150, deadline=None)
@given(raw_html())
def test_property_cleaned_html_never_carries_script(html):
    problems = Problems()
    chapter = convert_chapter(f'# A\n\n{html}\n', 'booklet/b/01-a.md', problems)
    scanner = Scanner()
    scanner.feed(chapter.html)
    # Whatever the input, the cleaned HTML holds no element or attribute that can run...
    assert not [found for found in scanner.found if found in ('script', 'iframe', 'object', 'embed',
                                                             'svg', 'style', 'base', 'meta')
                or found.startswith(('handler', 'script url'))], chapter.html
    # ... a refused construct in the input is an error (so the build stops, nothing is
    # silently dropped) ...
    given = Scanner()
    given.feed(html)
    if [found for found in given.found if found in ('script', 'iframe', 'object', 'embed', 'svg',
                                                    'form', 'base', 'meta')
            or found.startswith(('handler', 'script url'))]:
        assert problems.errors
    # ... and HTML that passed without an error is already clean (nothing left to strip).
    if not problems.errors:
        assert clean(chapter.html) == chapter.html
