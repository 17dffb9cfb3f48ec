"""The web edition, in its files and in a real browser, on the fixture roots (tests/roots/).

Thirty chapters with a picture and a card, two booklets with the longest review dates and a
90-character address, a 12-column table (at phone width) and Welsh (``lang="cy"``). Each root is
built once a session (``built_root``) and its ``web/`` is served over HTTP on 127.0.0.1; headless
Chromium (Debian's chromium and chromium-driver, driven by Selenium) loads every page and checks
console errors, horizontal overflow and side margins at phone and desktop widths, that every
heading id of the build report is there and visible, and axe-core's WCAG 2.2 AA rules
(``node_modules/axe-core``, installed by ``make setup`` from package-lock.json).
"""

import datetime
import functools
import http.server
import re
import struct
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from conftest import PROJECT, ROOTS, booklets_of, report

CHROMIUM = Path('/usr/bin/chromium')
CHROMEDRIVER = Path('/usr/bin/chromedriver')
AXE = PROJECT / 'node_modules' / 'axe-core' / 'axe.min.js'
AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
WIDTHS = (375, 1280)
HEIGHT = 900

NAMES = ['many-chapters', 'dates', 'wide-table', 'welsh']
SLUGS = [(name, slug) for name in NAMES for slug in booklets_of(ROOTS / name)]
PAGES = [(name, page) for name in NAMES
         for page in ['index.html'] + [f'{slug}/index.html' for slug in booklets_of(ROOTS / name)]]
PICTURED = ('many-chapters', 'thirty-chapters/index.html')  # the root whose booklet has a picture
# In the browser: every booklet page, and the lists of publications that are a worst case (two
# booklets with the longest dates; a Welsh title). The others are the same template with one entry.
BROWSED = [(name, page) for name, page in PAGES
           if page != 'index.html' or name in ('dates', 'welsh')]
# Elements whose src/href the browser loads by itself (an <a href> is only followed on a click).
LOADED = {'link': ('href',), 'script': ('src',), 'img': ('src', 'srcset'),
          'source': ('src', 'srcset'), 'iframe': ('src',), 'video': ('src', 'poster'),
          'audio': ('src',), 'embed': ('src',), 'object': ('data',), 'image': ('href',),
          'use': ('href',)}


class Page(HTMLParser):
    """One HTML file: its tags with their attributes, and its visible text."""

    def __init__(self, path):
        super().__init__(convert_charrefs=True)
        self.tags, self._text, self._skip = [], [], 0
        self.feed(Path(path).read_text(encoding='utf-8'))
        self.text = ' '.join(' '.join(self._text).split())

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._skip += tag in ('script', 'style', 'title')

    def handle_endtag(self, tag):
        self._skip -= tag in ('script', 'style', 'title') and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self._text.append(data)

    def ids(self):
        return {attrs['id'] for _, attrs in self.tags if attrs.get('id')}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class Site:
    def __init__(self, out, base):
        self.out, self.web, self.base = out, out / 'web', base
        self.report = report(out)

    def anchors(self, slug):
        return [anchor for anchor in self.report['anchors'] if anchor['booklet'] == slug]

    def url(self, page):
        return f'{self.base}/{page}'


def serve(folder):
    """Serve ``folder`` on an ephemeral port of 127.0.0.1: (base URL, stop)."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    thread = threading.Thread(target=server.serve_forever, name='web-edition', daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()
        thread.join(5)
    return f'http://127.0.0.1:{server.server_address[1]}', stop


@pytest.fixture(scope='module')
def sites(built_root):
    """``sites(name)`` -> the fixture root built (once a session), ``web/`` served (once here)."""
    served, stops = {}, []

    def site(name):
        if name not in served:
            built = built_root(name)
            assert built.code == 0, built.err
            base, stop = serve(built.out / 'web')
            stops.append(stop)
            served[name] = Site(built.out, base)
        return served[name]
    try:
        yield site
    finally:
        for stop in stops:
            stop()


@pytest.fixture(scope='module')
def browser(tmp_path_factory):
    """Headless Chromium through chromedriver, with the browser console logged."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        pytest.fail(f'{", ".join(missing)} not found: install Debian\'s chromium and '
                    f'chromium-driver (`make setup` as root does)')
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                     '--disable-quic', '--no-first-run', '--disable-background-networking',
                     '--disable-component-update', '--disable-sync',
                     f'--user-data-dir={tmp_path_factory.mktemp("chromium-profile")}'):
        options.add_argument(argument)
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_script_timeout(60)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope='module')
def screenshots(tmp_path_factory):
    """Where the overflow test leaves its screenshots, to look at when it fails."""
    return tmp_path_factory.mktemp('screenshots')


def load(driver, url, width):
    """Open ``url`` in a window ``width`` CSS px wide; wait for its fonts; return console logs."""
    driver.get_log('browser')  # drop what earlier pages logged
    driver.set_window_size(width, HEIGHT)
    driver.get(url)
    driver.execute_async_script('const done = arguments[arguments.length - 1];'
                                'document.fonts.ready.then(() => done(true));')
    assert driver.execute_script('return window.innerWidth') == width
    return driver.get_log('browser')


def meta(name, slug):
    """booklet.yaml read as plain strings, as pressroom reads it (no YAML typing)."""
    return booklets_of(ROOTS / name)[slug]


def month_year(iso):
    return datetime.date.fromisoformat(iso).strftime('%B %Y')


def png_width(data):
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    return struct.unpack('>I', data[16:20])[0]


# --- The files -------------------------------------------------------------------------------

@pytest.mark.parametrize('name', NAMES)
def test_the_report_names_every_booklet(sites, name):
    site, slugs = sites(name), [slug for root, slug in SLUGS if root == name]
    assert slugs
    assert {anchor['booklet'] for anchor in site.report['anchors']} == set(slugs)
    for root, page in PAGES:
        assert root != name or (site.web / page).is_file(), page


@pytest.mark.parametrize('name, slug', SLUGS, ids=[f'{n}/{s}' for n, s in SLUGS])
def test_every_anchor_of_the_report_is_an_id_of_the_page(sites, name, slug):
    site = sites(name)
    page = Page(site.web / slug / 'index.html')
    ids = page.ids()
    anchors = {anchor['id'] for anchor in site.anchors(slug)}
    assert anchors, slug
    assert sorted(anchors - ids) == []
    if meta(name, slug).get('card'):
        assert 'alert-card' in ids
    # and every link within the page opens an id of the page
    targets = {attrs['href'][1:] for tag, attrs in page.tags
               if tag == 'a' and attrs.get('href', '').startswith('#')}
    assert sorted(targets - ids) == []


@pytest.mark.parametrize('name, page', PAGES, ids=[f'{n}/{p}' for n, p in PAGES])
def test_language_and_alt_text(sites, name, page):
    parsed = Page(sites(name).web / page)
    html = [attrs for tag, attrs in parsed.tags if tag == 'html']
    language = 'en-GB' if page == 'index.html' else meta(name, page.split('/')[0]).get(
        'language', 'en-GB')
    assert html == [{'lang': language}]
    images = [attrs for tag, attrs in parsed.tags if tag == 'img']
    assert all((attrs.get('alt') or '').strip() for attrs in images), images
    if (name, page) == PICTURED:
        assert images, 'the thirty-chapter booklet has a picture'


def local_references(parsed):
    """(tag, attribute, value) of everything the browser loads by itself."""
    for tag, attrs in parsed.tags:
        for attribute in LOADED.get(tag, ()):
            for name in (attribute, f'xlink:{attribute}'):
                value = (attrs.get(name) or '').strip()
                if name.endswith('srcset') and value:
                    for candidate in value.split(','):
                        yield tag, name, candidate.split()[0]
                elif value:
                    yield tag, name, value


@pytest.mark.parametrize('name, page', PAGES, ids=[f'{n}/{p}' for n, p in PAGES])
def test_pages_are_self_contained(sites, name, page):
    site = sites(name)
    parsed = Page(site.web / page)
    references = list(local_references(parsed))
    assert any(tag == 'link' for tag, _, _ in references)  # the stylesheet
    remote = [ref for ref in references if re.match(r'(?i)(https?:|//)', ref[2])]
    assert remote == []
    missing = []
    for tag, attribute, value in references:
        if value.startswith(('data:', '#')):
            continue
        target = (site.web / page).parent / unquote(urlsplit(value).path)
        if not target.resolve().is_relative_to(site.web.resolve()) or not target.is_file():
            missing.append((tag, attribute, value))
    assert missing == []


@pytest.mark.parametrize('name', NAMES)
def test_stylesheet_is_local_and_has_a_print_style(sites, name):
    site = sites(name)
    css_path = site.web / 'assets' / 'web.css'
    css = css_path.read_text(encoding='utf-8')
    assert '@media print' in css
    assert '@import' not in css
    urls = re.findall(r'url\(\s*["\']?([^"\')]+)', css)
    assert urls, 'the fonts'
    for url in urls:
        assert not re.match(r'(?i)(https?:|//)', url), url
        if not url.startswith('data:'):
            assert (css_path.parent / url).is_file(), url


def headings(parsed):
    return [int(tag[1]) for tag, _ in parsed.tags if re.fullmatch(r'h[1-6]', tag)]


@pytest.mark.parametrize('name, page', PAGES, ids=[f'{n}/{p}' for n, p in PAGES])
def test_description_title_and_heading_order(sites, name, page):
    parsed = Page(sites(name).web / page)
    descriptions = [attrs.get('content', '') for tag, attrs in parsed.tags
                    if tag == 'meta' and attrs.get('name') == 'description']
    assert len(descriptions) == 1 and descriptions[0].strip()
    # One h1, first (the page's title, before the contents' h2); no level skipped on the way down.
    levels = headings(parsed)
    assert levels[0] == 1 and levels.count(1) == 1, levels
    assert all(after <= before + 1 for before, after in zip(levels, levels[1:])), levels
    assert 'Made with' not in parsed.text and 'pressroom' not in parsed.text.lower()
    first = next(iter(booklets_of(ROOTS / name).values()))
    # No organisation or author in these roots: the organisation is named by the website.
    if page == 'index.html':
        assert descriptions[0].startswith(f'Information booklets from {first["website"]}: ')
    else:
        data = meta(name, page.split('/')[0])
        assert descriptions[0].startswith(data['title'])


@pytest.mark.parametrize('name, slug', SLUGS, ids=[f'{n}/{s}' for n, s in SLUGS])
def test_review_dates_code_helpline_and_website_are_in_the_text(sites, name, slug):
    site, data = sites(name), meta(name, slug)
    booklet = Page(site.web / slug / 'index.html').text
    index = Page(site.web / 'index.html').text
    for text in (booklet, index):
        assert f'Last reviewed: {month_year(data["last_reviewed"])}' in text
        assert f'Next planned review: {month_year(data["next_review"])}' in text
        assert data['code'] in text
    assert data['title'] in index
    assert data['helpline'] in booklet
    assert data['website'] in booklet


# --- In the browser --------------------------------------------------------------------------

@pytest.mark.parametrize('name, page', BROWSED, ids=[f'{n}/{p}' for n, p in BROWSED])
def test_loads_without_console_errors(sites, browser, name, page):
    logs = load(browser, sites(name).url(page), 1280)
    assert browser.title.strip()
    assert 'Error response' not in browser.title  # http.server's 404 page
    assert browser.find_element(By.TAG_NAME, 'h1').text.strip()
    errors = [entry['message'] for entry in logs if entry['level'] == 'SEVERE']
    assert errors == []
    # the web fonts really loaded (a missing font file is also a console error)
    assert browser.execute_script(
        'return document.fonts.check(\'16px "Atkinson Hyperlegible"\')')


@pytest.mark.parametrize('width', WIDTHS)
@pytest.mark.parametrize('name, page', BROWSED, ids=[f'{n}/{p}' for n, p in BROWSED])
def test_no_horizontal_overflow(sites, browser, name, page, width, screenshots):
    load(browser, sites(name).url(page), width)
    scroll_width, inner_width, ratio = browser.execute_script(
        'return [document.documentElement.scrollWidth, window.innerWidth, devicePixelRatio]')
    wide = browser.execute_script(
        'const w = window.innerWidth; return [...document.querySelectorAll("body *")]'
        '.filter(e => e.getBoundingClientRect().right > w + 0.5 && !e.closest(".skip-link"))'
        '.slice(0, 5).map(e => e.tagName + "." + e.className + " right=" '
        '+ Math.round(e.getBoundingClientRect().right))')
    assert scroll_width <= inner_width, f'{page} at {width} px is {scroll_width} px wide: {wide}'
    screenshot = browser.get_screenshot_as_png()
    (screenshots / f'{name}-{page.replace("/", "-")}-{width}.png').write_bytes(screenshot)
    assert png_width(screenshot) == round(inner_width * ratio)


# Everything a reader sees: each line box of text, pictures, tables (a wide one scrolls inside
# its box) and tinted boxes; not the header's full-width band, only the text inside it.
INK = """
const boxes = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode, element = node.parentElement;
  if (!node.data.trim()
      || element.closest('.skip-link, .visually-hidden, .table-wrap, svg')) continue;
  const range = document.createRange();
  range.selectNodeContents(node);
  for (const r of range.getClientRects())
    if (r.width > 0)
      boxes.push([r.left, r.right, element.tagName + ': ' + node.data.trim().slice(0, 40)]);
}
for (const element of document.querySelectorAll('body *')) {
  if (element.closest('.skip-link, .site-header')
      || element.parentElement.closest('svg, .table-wrap')) continue;
  const tinted = getComputedStyle(element).backgroundColor !== 'rgba(0, 0, 0, 0)';
  if (!tinted && !element.matches('img, svg, .table-wrap')) continue;
  const r = element.getBoundingClientRect();
  if (r.width > 0 && r.height > 0)
    boxes.push([r.left, r.right, element.tagName + '.' + (element.getAttribute('class') || '')]);
}
return boxes;
"""
MARGIN = 16  # CSS px: at least this much space on both sides of everything, at every width


@pytest.mark.parametrize('width', WIDTHS)
@pytest.mark.parametrize('name, page', BROWSED, ids=[f'{n}/{p}' for n, p in BROWSED])
def test_side_margins(sites, browser, name, page, width):
    load(browser, sites(name).url(page), width)
    boxes = browser.execute_script(INK)
    assert len(boxes) > 10
    left, right = min(box[0] for box in boxes), max(box[1] for box in boxes)
    closest = sorted(boxes, key=lambda box: min(box[0], width - box[1]))[:3]
    assert MARGIN <= left and right <= width - MARGIN, (left, width - right, closest)


SCROLL_TO = """
const element = arguments[0];
element.scrollIntoView({block: 'center'});
const box = element.getBoundingClientRect();
const hit = document.elementFromPoint(box.left + Math.min(box.width / 2, 20), box.top + box.height / 2);
return {width: box.width, height: box.height, text: element.innerText,
        inView: box.bottom > 0 && box.top < window.innerHeight,
        onTop: hit !== null && element.contains(hit)};
"""


@pytest.mark.parametrize('name, slug', SLUGS, ids=[f'{n}/{s}' for n, s in SLUGS])
def test_every_anchor_is_visible_when_scrolled_to(sites, browser, name, slug):
    site = sites(name)
    load(browser, site.url(f'{slug}/index.html'), 1280)
    anchors = site.anchors(slug)
    elements = browser.execute_script('return arguments[0].map(id => document.getElementById(id))',
                                      [anchor['id'] for anchor in anchors])
    problems = []
    for anchor, element in zip(anchors, elements):
        if element is None:
            problems.append(f'{anchor["id"]}: not in the DOM')
            continue
        box = browser.execute_script(SCROLL_TO, element)
        if not (element.is_displayed() and box['width'] > 0 and box['height'] > 0
                and box['inView'] and box['onTop']):
            problems.append(f'{anchor["id"]}: not visible after scrollIntoView: {box}')
        elif anchor['title'] not in ' '.join(box['text'].split()):
            problems.append(f'{anchor["id"]}: shows {box["text"]!r}, not {anchor["title"]!r}')
    assert problems == []


AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(results => done(results.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
      target: v.nodes[0] && v.nodes[0].target.join(' '),
      summary: v.nodes[0] && v.nodes[0].failureSummary}))))
  .catch(error => done([{id: 'axe-error', impact: 'critical', help: String(error)}]));
"""


@pytest.mark.parametrize('width', WIDTHS)
@pytest.mark.parametrize('name, page', BROWSED, ids=[f'{n}/{p}' for n, p in BROWSED])
def test_axe_finds_no_wcag_violations(sites, browser, name, page, width):
    load(browser, sites(name).url(page), width)
    assert AXE.is_file(), f'{AXE} is missing: run `make setup` (npm ci)'
    browser.execute_script(AXE.read_text(encoding='utf-8'))
    violations = browser.execute_async_script(AXE_RUN, AXE_TAGS)
    for v in violations:
        print(f'{name}/{page} at {width} px: {v["id"]} ({v["impact"]}, {v.get("count")} elements): '
              f'{v["help"]}\n    first: {v.get("target")}\n    {v.get("summary")}')
    assert [f'{v["id"]} ({v["impact"]}) at {v.get("target")}' for v in violations] == []
