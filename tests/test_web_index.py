"""The web edition as a charity publishes it: the organisation's name on the list of
publications, a description for search results on every page, phone numbers that dial (only on
the web), and pages the W3C HTML checker (vnu.jar) finds valid.

The browser checks (side margins at 375 and 1280 px, axe-core) are in tests/test_web.py."""

import os
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import META, PROJECT, ROOTS, build_once, write_tree
from pressroom import pipeline
from pressroom.render.booklet import booklet_html
from pressroom.render.phones import phone_links, tel_href
from pressroom.render.web import organisation
from test_web import Page

ORGANISATION = 'Northlight Test Charity'
ADDRESS = '1 Harbour Walk, Brackleymoor BM1 2NL'
HELP = """\
# Getting help {#getting-help}

Call our helpline on 0808 157 0999, or 020 7946 0000 from abroad. In an emergency, call 999.

| Service | Number |
| --- | --- |
| Out of hours | 01632 960000 |

Not numbers to dial: the code `0808 157 0999`, the date 2026-03-01, booklet TB-01 and 10:30.
"""
VNU = [Path(os.environ.get('VNU_JAR', PROJECT / 'node_modules/vnu-jar/build/dist/vnu.jar')),
       Path('/tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar')]


@pytest.fixture(scope='module')
def charity(tmp_path_factory):
    """Two booklets of one organisation (``organisation:``, or ``author:`` which names it
    too), built for the web only."""
    root = write_tree(tmp_path_factory.mktemp('charity'), {
        'booklet/help/booklet.yaml': META + f'organisation: {ORGANISATION}\n'
                                            f'charity_number: 1234567\naddress: {ADDRESS}\n',
        'booklet/help/01-getting-help.md': HELP,
        'booklet/more/booklet.yaml': META.replace('TB-01', 'TB-02').replace(
            'title: Test booklet', 'title: Another booklet') + f'author: {ORGANISATION}\n',
        'booklet/more/01-more.md': '# More {#more}\n\nShort words. Plain talk.\n',
    })
    built = build_once(tmp_path_factory, 'charity', root, '--formats', 'web')
    assert (built.code, built.err) == (0, '')
    return built


def test_the_index_is_the_organisations(charity):
    index = Page(charity / 'web/index.html')
    html = (charity / 'web/index.html').read_text(encoding='utf-8')
    assert re.search(r'<title>(.*)</title>', html).group(1) == f'{ORGANISATION}: publications'
    assert re.findall(r'<h1[^>]*>(.*)</h1>', html) == [ORGANISATION]
    assert 'Publications' not in index.text and 'Made with' not in index.text
    assert 'pressroom' not in index.text.lower()
    descriptions = [attrs['content'] for tag, attrs in index.tags
                    if tag == 'meta' and attrs.get('name') == 'description']
    assert descriptions == [f'Information booklets from {ORGANISATION}: Test booklet; '
                            'Another booklet.']  # in the order of the list: by folder name
    # The organisation's helpline, website, address and number, from its first booklet.
    assert index.text.endswith('Call our Helpline on 0808 157 0999 · Visit test.example.org '
                               f'{ORGANISATION}, {ADDRESS}. Registered charity number 1234567.')


def test_a_booklet_page_has_a_description_and_its_title_first(charity):
    page = Page(charity / 'web/help/index.html')
    descriptions = [attrs['content'] for tag, attrs in page.tags
                    if tag == 'meta' and attrs.get('name') == 'description']
    assert descriptions == [f'Test booklet: For the tests. A booklet from {ORGANISATION}.']
    headings = [(tag, attrs.get('id')) for tag, attrs in page.tags
                if re.fullmatch(r'h[1-6]', tag)]
    assert headings == [('h1', None), ('h2', 'toc-title'), ('h2', 'getting-help')]


def test_phone_numbers_in_the_text_dial(charity):
    html = (charity / 'web/help/index.html').read_text(encoding='utf-8')
    helpline = ('tel:+448081570999', '0808 157 0999')
    links = re.findall(r'<a href="(tel:[^"]*)">(.*?)</a>', html)
    # The text as read: no-break spaces (a number never breaks across lines) read as spaces.
    assert [(href, re.sub(r'<[^>]*>', '', text).replace('\xa0', ' ').replace('&nbsp;', ' '))
            for href, text in links] == [
        helpline,  # the header
        helpline, ('tel:+442079460000', '020 7946 0000'), ('tel:999', '999'),
        ('tel:+441632960000', '01632 960000'),  # the chapter's text and its table
        helpline,  # the footer
    ]
    assert re.search('<code>0808[ \xa0]157[ \xa0]0999</code>', html)


def test_the_pdfs_html_has_no_tel_links(charity):
    content = pipeline.read_content(charity.source)
    html = booklet_html(content.booklets[0], content.styles)
    assert 'tel:' not in html
    assert '020' in html and '7946' in html


@pytest.mark.parametrize('text, linked', [
    ('Call 0808 157 0123 now.', 'Call <a href="tel:+448081570123">0808 157 0123</a> now.'),
    # A no-break space keeps the number on one line; the link keeps it as written.
    ('on 0808&nbsp;157&nbsp;0123,', 'on <a href="tel:+448081570123">0808&nbsp;157&nbsp;0123</a>,'),
    ('+44 (0)20 7946 0000', '<a href="tel:+442079460000">+44 (0)20 7946 0000</a>'),
    ('08081570123', '<a href="tel:+448081570123">08081570123</a>'),
    ('Call 999 or NHS 111.', 'Call <a href="tel:999">999</a> or NHS <a href="tel:111">111</a>.'),
    ('<span class="nowrap">0808 157 0123</span>',
     '<span class="nowrap"><a href="tel:+448081570123">0808 157 0123</a></span>'),
    # Left alone: links, code, attributes, dates, times, codes, doses, years, short numbers.
    ('<a href="#x">0808 157 0123</a>', None), ('<pre><code>020 7946 0000</code></pre>', None),
    ('<img alt="0808 157 0123" src="a.png">', None), ('2026-03-01, 01/03/2026 at 08:00', None),
    ('NL-BONE-07, 0.5 mg, in 1999, 999 days, 0800 12', None),
])
def test_phone_links(text, linked):
    assert phone_links(text) == (text if linked is None else linked)


def test_tel_href():
    assert [tel_href(number) for number in ('0808 157 0123', '+44 (0)20 7946 0000',
                                            '0044 20 7946 0000', '+353 1 234 5678', '999')] == [
        'tel:+448081570123', 'tel:+442079460000', 'tel:+442079460000', 'tel:+35312345678',
        'tel:999']


def test_the_organisation_is_named_by_its_key_else_the_author_else_the_website():
    meta = SimpleNamespace(author='Author name', website='charity.example.org')
    assert organisation(meta) == 'Author name'
    assert organisation(SimpleNamespace(author='', website='charity.example.org')) == (
        'charity.example.org')
    assert organisation(SimpleNamespace(organisation='Northlight', author='Author name',
                                        website='w')) == 'Northlight'


@pytest.fixture(scope='module')
def vnu():
    jar = next((path for path in VNU if path.is_file()), None)
    java = shutil.which('java')
    if jar is None or java is None:
        pytest.skip('the W3C HTML checker is not installed (npm install vnu-jar, and Java); '
                    'set VNU_JAR to its vnu.jar')
    return [java, '-jar', str(jar), '--errors-only']


def test_every_page_is_valid_html(vnu, charity, tmp_path_factory):
    pages = sorted((charity / 'web').rglob('*.html'))
    for name in ('many-chapters', 'dates', 'wide-table', 'welsh'):
        built = build_once(tmp_path_factory, f'{name}-web', ROOTS / name, '--formats', 'web')
        assert built.code == 0, built.err
        pages += sorted((built.out / 'web').rglob('*.html'))
    checked = subprocess.run(vnu + [str(page) for page in pages], capture_output=True,
                             text=True, timeout=300)
    assert (checked.returncode, checked.stderr) == (0, '')
