"""The A5 booklet PDF, checked on what was printed: pages, footers, contents, references, fonts."""

import hashlib
import re
import subprocess
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from conftest import META, page_texts, report, write_tree
from pressroom.cli import main

A5 = (419.53, 595.28)  # points
FILLER = ('Bones are living tissue that renew themselves all through life, and this '
          'paragraph is here to fill the page so that headings land further on. ')
PNG = bytes.fromhex('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c'
                    '4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082')


def chapter(title, id, sections, refs=''):
    body = [f'# {title} {{#{id}}}\n', refs + '\n']
    for number, (heading, hid) in enumerate(sections):
        body.append(f'## {heading} {{#{hid}}}\n')
        body.extend([FILLER * 3 + '\n'] * (2 + number % 3))
    return '\n'.join(body)


FILES = {
    'booklet/t/booklet.yaml': META,
    'booklet/t/01-about.md': chapter(
        'About this booklet', 'about', [('Who it is for', 'who')],
        'Pain in the back can mean [spinal cord compression](#scc). We explain symptoms on '
        '[page](#symptoms), and scans in [title](#mri).\n\n'
        'It\'s "plain English": a £5 gift buys a café tea.\n\n'
        '- First point\n- Second point\n\n'
        '| Drug | How often |\n|---|---|\n| Zoledronic acid | Every 3 to 4 weeks |\n\n'
        '![A single grey dot](images/dot.png)\n'),
    'booklet/t/02-symptoms.md': chapter(
        'Symptoms', 'symptoms', [('Pain', 'pain'), ('Fractures', 'fractures'),
                                 ('Tiredness', 'tiredness')],
        'Calcium can rise too ([hypercalcaemia](#hypercalcaemia)).'),
    'booklet/t/03-tests.md': chapter('Tests', 'tests', [('MRI scan', 'mri'), ('CT scan', 'ct'),
                                                        ('Bone scan', 'bone-scan')],
                                     'A contrast dye may be used (see [title](#mri)).'),
    'booklet/t/04-managing.md': chapter(
        'Managing symptoms', 'managing', [('Spinal cord compression', 'scc'),
                                          ('Too much calcium', 'hypercalcaemia'),
                                          ('Fatigue', 'fatigue')],
        'Strong drugs help ([back to pain](#pain)).'),
    'booklet/t/images/dot.png': PNG,
}


@pytest.fixture(scope='module')
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp('booklet')
    root = write_tree(base / 'content', FILES)
    out = base / 'out'
    # Only the standard booklet: the other formats have their own test files.
    assert main(['--source', str(root), '--out', str(out), '--html', '--formats', 'booklet',
                 '-q']) == 0
    return out


@pytest.fixture(scope='module')
def texts(built):
    return page_texts(built / 't.pdf')


def test_every_page_is_a5(built):
    reader = pypdf.PdfReader(built / 't.pdf')
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A5


def test_page_count_is_a_multiple_of_four(built, texts):
    assert len(texts) % 4 == 0
    assert [o['pages'] for o in report(built)['outputs'] if o['kind'] == 'booklet'] == [len(texts)]


def test_cover_has_title_subtitle_code_edition_and_no_footer(texts):
    cover = texts[0]
    for text in ('Test booklet', 'For the tests', 'TB-01', '2nd edition'):
        assert text in cover
    assert 'Helpline' not in cover and 'Visit' not in cover


def test_footers_alternate_left_and_right(texts):
    for number, text in enumerate(texts[1:-1], 2):
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        if number % 2 == 0:
            assert re.fullmatch(rf'{number}\s+Call our Helpline on 0808 157 0999', lines[-1]), text
        else:
            assert re.fullmatch(rf'Visit test\.example\.org\s+{number}', lines[-1]), text


def test_back_cover_carries_review_dates_code_and_edition(texts):
    back = ' '.join(texts[-1].split())
    assert 'Last reviewed: February 2026 · Next planned review: August 2027' in back
    assert 'TB-01 · 2nd edition' in back
    assert 'Helpline' in back and 'Visit' not in back.split('Visit test.example.org')[-1]


def heading_page(texts, title):
    """The 1-based page on which ``title`` starts a line."""
    for number, text in enumerate(texts, 1):
        if re.search(rf'^\s*{re.escape(title)}\s*$', text, re.M):
            return number
    raise AssertionError(f'{title!r} not found')


def test_contents_lists_chapters_with_leaders_and_true_pages(texts):
    contents = texts[1]
    assert contents.strip().startswith('Contents')
    for title in ('About this booklet', 'Symptoms', 'Tests', 'Managing symptoms'):
        match = re.search(rf'^\s*{re.escape(title)}\s*\.{{5,}}\s*(\d+)\s*$', contents, re.M)
        assert match, contents
        assert int(match.group(1)) == heading_page(texts, title)


def test_chapters_start_on_a_new_page(texts):
    for title in ('About this booklet', 'Symptoms', 'Tests', 'Managing symptoms'):
        page = texts[heading_page(texts, title) - 1]
        assert page.strip().startswith(title)


def test_printed_references_point_to_the_page_of_their_heading(texts):
    text = '\n'.join(texts)
    flat = ' '.join(text.split())
    cases = {'spinal cord compression': 'Spinal cord compression',
             'hypercalcaemia': 'Too much calcium', 'back to pain': 'Pain'}
    for label, heading in cases.items():
        match = re.search(rf'{label} \(see page (\d+)\)', flat)
        assert match, label
        assert int(match.group(1)) == heading_page(texts, heading)
        assert int(match.group(1)) > 2
    match = re.search(r'symptoms on page (\d+),', flat)
    assert int(match.group(1)) == heading_page(texts, 'Symptoms')
    assert 'scans in ‘MRI scan’.' in flat
    assert '(see ‘MRI scan’)' in flat


def test_report_lists_outputs_anchors_and_references(built, texts):
    data = report(built)
    [output] = [entry for entry in data['outputs'] if entry['kind'] == 'booklet']
    assert output['path'] == 't.pdf' and output['kind'] == 'booklet' and output['booklet'] == 't'
    assert output['sha256'] == hashlib.sha256((built / 't.pdf').read_bytes()).hexdigest()
    anchors = {anchor['id']: anchor for anchor in data['anchors'] if anchor['variant'] == 'booklet'}
    assert anchors['scc']['title'] == 'Spinal cord compression'
    assert anchors['scc']['pdf_page'] == heading_page(texts, 'Spinal cord compression')
    assert anchors['scc']['page'] == anchors['scc']['pdf_page']
    references = [(ref['source'], ref['target'], ref['page']) for ref in data['references']
                  if ref['variant'] == 'booklet']
    assert references[0] == ('booklet/t/01-about.md:3', 'scc', anchors['scc']['page'])
    assert ('booklet/t/04-managing.md:3', 'pain', anchors['pain']['page']) in references
    assert len(references) == 6
    assert data['warnings'] == []


def outline_titles(outline, depth=0):
    for item in outline:
        if isinstance(item, list):
            yield from outline_titles(item, depth + 1)
        else:
            yield depth, item.title


def test_bookmarks_for_chapters_and_sections(built):
    titles = list(outline_titles(pypdf.PdfReader(built / 't.pdf').outline))
    assert (0, 'Symptoms') in titles and (1, 'Pain') in titles and (0, 'Managing symptoms') in titles


def test_metadata_title_author_language(built):
    reader = pypdf.PdfReader(built / 't.pdf')
    assert reader.metadata.title == 'Test booklet'
    assert reader.metadata.author == 'test.example.org'
    assert reader.trailer['/Root']['/Lang'] == 'en-GB'


def test_all_fonts_embedded_and_vendored(built):
    listing = subprocess.run(['pdffonts', str(built / 't.pdf')], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        assert 'Atkinson-Hyperlegible' in line, line
        assert line.split()[-5] == 'yes', line  # the "emb" column


def test_body_text_is_at_least_12pt(built):
    with pdfplumber.open(built / 't.pdf') as pdf:
        for page in pdf.pages[2:-1]:
            body = [char for char in page.chars if char['top'] < page.height - 60]
            assert body
            assert min(round(char['size'], 2) for char in body) >= 12


def test_typography_table_list_and_image(built, texts):
    flat = ' '.join('\n'.join(texts).split())
    assert 'It’s “plain English”: a £5 gift buys a café tea.' in flat
    assert 'Zoledronic acid Every 3 to 4 weeks' in flat
    assert '• First point' in flat or 'First point' in flat
    page = pypdf.PdfReader(built / 't.pdf').pages[heading_page(texts, 'About this booklet') - 1]
    assert len(page.images) == 1


def test_html_is_self_sufficient(built, tmp_path):
    html = built / 't.html'
    moved = tmp_path / 'elsewhere.html'
    moved.write_bytes(html.read_bytes())
    assert b'file:' not in moved.read_bytes()
    subprocess.run([str(Path(__import__('sys').executable).parent / 'weasyprint'), str(moved),
                    str(tmp_path / 'again.pdf')], check=True, cwd=tmp_path)
    assert page_texts(tmp_path / 'again.pdf') == page_texts(built / 't.pdf')
