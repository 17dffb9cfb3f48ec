"""Back matter, contents and typography, measured on the built PDFs of tests/roots/back-matter/:
the organisation, charity numbers, address, sources, feedback and other formats at their
longest, in every variant and on the web; the organisation named on the back cover with and
without a card; the alert card in the contents; no line break inside "page N", "(see page N)"
or a phone number; chapters that run on (chapter_breaks: none); no heading ending in a word
alone on its last line."""

import re
from collections import Counter
from html import unescape

import pdfplumber
import pytest

from conftest import META, ROOTS, booklets_of, page_texts, report
from test_roots import flat, solid

NAME = 'back-matter'
WITH_CARD, NO_CARD = 'runs-on', 'page-breaks'
VARIANTS = {'booklet': '', 'booklet-print': '-print', 'booklet-large-print': '-large-print'}
SAMPLE = 'secondary-breast-cancer-in-the-bone'
BACK_MATTER = ('organisation', 'address', 'sources_statement', 'feedback', 'other_formats')
FOOTER = re.compile(r'^\d+\s+Call our Helpline\b|^Visit \S+\s+\d+$')


@pytest.fixture(scope='module')
def built(built_root):
    built = built_root(NAME)
    assert built.code == 0, built.err
    return built


def meta(slug):
    return booklets_of(ROOTS / NAME)[slug]


def pdfs(built):
    return [built / f'{slug}{suffix}.pdf' for slug in (WITH_CARD, NO_CARD)
            for suffix in VARIANTS.values()]


def anchors(built, slug, variant='booklet'):
    return {a['id']: a for a in report(built)['anchors']
            if a['booklet'] == slug and a['variant'] == variant}


# Back matter ----------------------------------------------------------------------------------

@pytest.mark.parametrize('slug', [WITH_CARD, NO_CARD])
@pytest.mark.parametrize('suffix', VARIANTS.values())
def test_the_organisation_is_named_on_the_back_cover_card_or_not(built, slug, suffix):
    texts = page_texts(built / f'{slug}{suffix}.pdf')
    # (Large print sets the card on a page of its own; the back cover follows it.)
    assert solid(meta(slug)['organisation']) in solid(texts[-1])
    if slug == WITH_CARD and not suffix:
        assert 'Between treatments alert card' in flat(texts[-1])


@pytest.mark.parametrize('slug', [WITH_CARD, NO_CARD])
@pytest.mark.parametrize('suffix', VARIANTS.values())
def test_every_variant_prints_the_whole_back_matter(built, slug, suffix):
    # (Footers left out: the sources statement runs over a page.)
    text = solid(' '.join(line for page in page_texts(built / f'{slug}{suffix}.pdf')
                          for line in body_lines(page)))
    values = meta(slug)
    for key in BACK_MATTER:
        assert solid(values[key]) in text, key
    assert solid(f"Registered charity number {values['charity_number']}") in text


def test_beside_a_card_the_address_and_charity_number_go_on_the_back_matter_page(built):
    """The A5 back page holds the card: there the organisation is named, and its address and
    charity numbers are on the page of back matter, which is not the page behind the card."""
    texts = page_texts(built / f'{WITH_CARD}.pdf')
    values = meta(WITH_CARD)
    assert solid(values['address']) not in solid(texts[-1])
    assert 'charity' not in texts[-1]
    who = next(number for number, text in enumerate(texts, 1) if 'Who we are' in text)
    assert solid(values['address']) in solid(texts[who - 1])
    assert who < len(texts) - 1 and 'Notes' in texts[-2]


def test_without_a_card_the_back_cover_prints_address_and_charity_numbers(built):
    back = solid(page_texts(built / f'{NO_CARD}.pdf')[-1])
    values = meta(NO_CARD)
    assert solid(values['address']) in back
    assert solid(f"Registered charity number {values['charity_number']}") in back


def test_the_web_edition_footer_carries_the_back_matter(built):
    page = (built / 'web' / WITH_CARD / 'index.html').read_text(encoding='utf-8')
    footer = solid(unescape(re.sub(r'<[^>]+>', ' ', page.split('<footer', 1)[1])))
    for key in BACK_MATTER + ('charity_number',):
        assert solid(meta(WITH_CARD)[key]) in footer, key


def test_the_sample_names_its_charity_and_asks_for_feedback(sample):
    texts = page_texts(sample / f'{SAMPLE}.pdf')
    assert 'Northlight Breast Cancer Care' in texts[-1]  # beside its card
    about = next(text for text in texts if 'About our information' in text
                 and 'Contents' not in text)
    for words in ('Tell us what you think', 'Other formats', 'Registered charity number 1234567'):
        assert words in flat(about)


# Contents -------------------------------------------------------------------------------------

@pytest.mark.parametrize('variant', VARIANTS)
def test_the_contents_lists_the_alert_card_and_the_back_matter(built, variant):
    texts = page_texts(built / f'{WITH_CARD}{VARIANTS[variant]}.pdf')
    contents = texts[1]
    card = re.search(r'^\s*Between treatments alert card\s*\.{5,}\s*(.+?)\s*$', contents, re.M)
    assert card, contents
    if variant == 'booklet-large-print':
        # Large print gives the card a page of its own: its number, as references print it.
        assert card.group(1) == str(anchors(built, WITH_CARD, variant)['alert-card']['page'])
    else:
        assert card.group(1) == 'back page'  # as references to it say, whatever its number
    about = re.search(r'^\s*About our information\s*\.{5,}\s*(\d+)\s*$', contents, re.M)
    page = next(number for number, text in enumerate(texts, 1)
                if re.search(r'^\s*About our information\s*$', text, re.M))
    assert about and int(about.group(1)) == page


def test_a_booklet_without_card_lists_no_card(built):
    assert 'alert card' not in page_texts(built / f'{NO_CARD}.pdf')[1]


# Typography -----------------------------------------------------------------------------------

def body_lines(text):
    """A page's lines as printed, without blank lines and footers."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [line for line in lines if not FOOTER.search(line)]


def broken_ties(path):
    """Every place where a line of ``path`` ends inside "page N", "(see page N)" or a run of
    digit groups (a phone number), as 'page P: <end of line> / <start of next>'."""
    found = []
    for number, text in enumerate(page_texts(path), 1):
        lines = body_lines(text)
        for line, following in zip(lines, lines[1:]):
            # (In -layout text a line may hold two columns: the last one's end is what counts.)
            end, start = line.split('   ')[-1], following.split('   ')[0]
            if (re.search(r'\bpage$', end) and re.match(r'\d', start)
                    or re.search(r'\(see$', end) and start.startswith('page')
                    or re.search(r'(?<![\w.])\d+$', end) and re.match(r'\d', start)):
                found.append(f'page {number}: {end[-30:]!r} / {start[:30]!r}')
    return found


def test_no_line_ends_inside_page_n_or_a_phone_number(built, sample):
    paths = pdfs(built) + [sample / f'{SAMPLE}{suffix}.pdf' for suffix in VARIANTS.values()]
    assert [f'{path.name}: {place}' for path in paths for place in broken_ties(path)] == []


def test_phone_numbers_and_references_stand_where_lines_end(built):
    """The root puts many numbers and references in running text, so that some of them come
    to a line's end: they move to the next line whole."""
    lines = [line for path in pdfs(built) for text in page_texts(path)
             for line in body_lines(text)]
    assert sum(bool(re.match(r'0808 157 \d{4}', line)) for line in lines) >= 5
    assert sum(bool(re.match(r'\(see page \d+\)', line)) for line in lines) >= 2


def test_chapter_breaks_none_runs_chapters_on(built):
    ids = ['rest', 'eating', 'blood-counts', 'who-to-call', 'moving', 'feelings']
    for variant, suffix in VARIANTS.items():
        runs_on, paged = anchors(built, WITH_CARD, variant), anchors(built, NO_CARD, variant)
        assert runs_on[ids[-1]]['pdf_page'] < paged[ids[-1]]['pdf_page'], variant
        first_lines = {slug: [(body_lines(text) or [''])[0] for text in
                              page_texts(built / f'{slug}{suffix}.pdf')]
                       for slug in (WITH_CARD, NO_CARD)}
        # Run on: a chapter starts below the end of the one before, on the same page (unless
        # that one happens to end at a page's foot). Page: each one is the first line of its page.
        mid_page = [id for id in ids[1:] if not runs_on[id]['title'].startswith(
            first_lines[WITH_CARD][runs_on[id]['pdf_page'] - 1])]
        assert len(mid_page) >= 3, (variant, mid_page)
        for id in ids[1:]:
            assert paged[id]['title'].startswith(first_lines[NO_CARD][paged[id]['pdf_page'] - 1])
    assert len(page_texts(built / f'{WITH_CARD}-large-print.pdf')) < \
        len(page_texts(built / f'{NO_CARD}-large-print.pdf'))


def heading_lines(pdf):
    """The headings of every page of ``pdf`` (bold lines larger than the body text), each as
    its list of lines, each line its list of words."""
    headings = []
    for page in pdf.pages[:-1]:  # (the back page: the card's faces, not the booklet's headings)
        words = page.extract_words(extra_attrs=['size', 'fontname'])
        lines = {}
        for word in words:
            lines.setdefault(round(word['top']), []).append(word)
        previous = None
        for top in sorted(lines):
            line = lines[top]
            size = round(line[0]['size'], 1)
            heading = all('Bold' in word['fontname'] and round(word['size'], 1) == size
                          for word in line) and size > body_size(pdf)
            if not heading:
                previous = None
                continue
            if previous and previous[0] == size and top - previous[1] < 1.6 * size:
                headings[-1].append([word['text'] for word in line])
            else:
                headings.append([[word['text'] for word in line]])
            previous = (size, top)
    return headings


def body_size(pdf, cache={}):
    if pdf not in cache:
        sizes = Counter(round(char['size'], 1) for page in pdf.pages[2:6] for char in page.chars)
        cache[pdf] = sizes.most_common(1)[0][0] + 1
    return cache[pdf]


def test_no_heading_ends_with_one_word_alone(built, sample):
    # (the print file sets the same lines as the standard booklet: read once)
    paths = [path for path in pdfs(built) + [sample / f'{SAMPLE}{suffix}.pdf'
                                             for suffix in VARIANTS.values()]
             if not path.name.endswith('-print.pdf') or path.name.endswith('-large-print.pdf')]
    wrapped, alone = 0, []
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for heading in heading_lines(pdf):
                if len(heading) > 1 and sum(len(line) for line in heading) >= 3:
                    wrapped += 1
                    if len(heading[-1]) == 1:
                        alone.append(f'{path.name}: {" / ".join(map(" ".join, heading))}')
    assert wrapped >= 10 and alone == []


# booklet.yaml ---------------------------------------------------------------------------------

def test_bad_chapter_breaks_and_charity_number_are_errors_at_their_lines(make_root, run):
    root = make_root({'booklet/b/01-a.md': '# A\n\nText.\n'},
                     meta=META + 'chapter_breaks: sometimes\ncharity_number: pending\n')
    result = run('check', '--source', root)
    assert result.code == 1
    assert [line for line in result.lines if ': error: ' in line] == [
        "booklet/b/booklet.yaml:10: error: 'chapter_breaks' must be page (each chapter starts a "
        "new page) or none (chapters run on), not 'sometimes'",
        "booklet/b/booklet.yaml:11: error: 'charity_number' must hold the registered number, "
        "such as 1234567 or SC012345, not 'pending'"]


def test_the_organisation_defaults_to_the_author_then_the_website(make_root, run, tmp_path):
    from pressroom.errors import Problems
    from pressroom.read.metadata import read_meta
    problems = Problems()
    assert read_meta(META, 'b.yaml', problems).organisation == 'test.example.org'
    assert read_meta(META + 'author: Northlight\n', 'b.yaml', problems).organisation == \
        'Northlight'
    named = read_meta(META + 'organisation: Northlight Care\n', 'b.yaml', problems)
    assert (named.organisation, named.author) == ('Northlight Care', 'Northlight Care')
    assert problems.errors == []
