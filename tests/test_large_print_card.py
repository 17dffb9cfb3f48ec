"""The alert card in large print: a readable copy on a page of its own, never split, named by
its page number, with no cut-out wording."""

import subprocess
import sys

import pytest

from conftest import META, PROJECT, page_texts, report


@pytest.fixture(scope='module')
def large_print(tmp_path_factory):
    from conftest import write_tree
    from test_cards import card_files
    base = tmp_path_factory.mktemp('large-card')
    chapters = {f'booklet/b/0{number}-c.md': f'# Chapter {number}\n\n' + 'Some words. ' * 120
                + '\n' for number in range(1, 4)}
    chapters['booklet/b/04-d.md'] = ('# Keep the card\n\n## Spinal cord {#scc}\n\nKeep your '
                                     '[alert card](#alert-card) with you, as on [page](#alert-card).\n')
    root = write_tree(base / 'content', {'booklet/b/booklet.yaml': META + 'card: test-card\n',
                                         **chapters, **card_files()})
    out = base / 'out'
    result = subprocess.run([sys.executable, 'build.py', '--source', str(root), '--out', str(out),
                             '-q', '--formats', 'large-print'], cwd=PROJECT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    return out


def test_the_card_has_one_page_and_is_named_by_its_number(large_print):
    texts = page_texts(large_print / 'b-large-print.pdf')
    [anchor] = [anchor for anchor in report(large_print)['anchors']
                if anchor['id'] == 'alert-card' and anchor['variant'] == 'booklet-large-print']
    card = texts[anchor['pdf_page'] - 1]
    # (the professionals' heading is an urgent band, in capitals)
    assert 'For patients' in card and 'FOR HEALTHCARE PROFESSIONALS' in card
    assert 'Team:' in card  # the last line of the professionals' face
    assert all('FOR HEALTHCARE PROFESSIONALS' not in text
               for number, text in enumerate(texts, 1) if number != anchor['pdf_page'])
    body = ' '.join(' '.join(texts).split())
    assert f"Keep your alert card (see page {anchor['page']}) with you, as on page {anchor['page']}." in body
    assert 'back page' not in body and 'Cut along' not in body
    assert 'For a wallet-size card to keep with you, call our Helpline on 0808 157 0999.' in body
    references = [ref for ref in report(large_print)['references']
                  if ref['target'] == 'alert-card']
    assert {ref['page'] for ref in references} == {anchor['page']}


def test_the_code_on_the_large_card_scans(large_print, tmp_path):
    import zxingcpp
    from PIL import Image
    [anchor] = [anchor for anchor in report(large_print)['anchors']
                if anchor['id'] == 'alert-card' and anchor['variant'] == 'booklet-large-print']
    subprocess.run(['pdftoppm', '-png', '-r', '150', '-f', str(anchor['pdf_page']), '-l',
                    str(anchor['pdf_page']), str(large_print / 'b-large-print.pdf'),
                    str(tmp_path / 'page')], check=True)
    [image] = tmp_path.glob('page*.png')
    assert [code.text for code in zxingcpp.read_barcodes(Image.open(image))] == [
        'https://test.example.org/booklet#scc']
