"""Files for a printer and every other PDF: print files carry no annotations, every PDF has an
Info /Title, and PDF/X files say /Trapped (issue 12, item 2)."""

import pikepdf
import pytest

ROOTS_WITH_CARDS = ['many-chapters', 'clinic-run']


def pdfs(built):
    return sorted(built.out.rglob('*.pdf'))


def for_press(path):
    """A printer's file (PDF/X): ``<slug>-print.pdf``, ``<card>-sheet-print.pdf``."""
    return path.name.endswith('-print.pdf') and not path.name.endswith('-large-print.pdf')


@pytest.mark.parametrize('name', ROOTS_WITH_CARDS)
def test_every_pdf_has_a_title_and_pdf_x_files_say_trapped(built_root, name):
    built = built_root(name)
    paths = pdfs(built)
    assert len(paths) >= 7
    for path in paths:
        with pikepdf.open(path) as pdf:
            title = str(pdf.docinfo.get('/Title', ''))
            assert title.strip(), path
            if for_press(path):
                assert pdf.docinfo.get('/Trapped') == pikepdf.Name('/False'), path
    # A clinic's files say whose card they are.
    run = [path for path in paths if path.parent.name == 'team-card']
    if run:
        with pikepdf.open(next(path for path in run if path.stem == 'c00011')) as pdf:
            assert str(pdf.docinfo['/Title']) == (
                'Hospital team alert card: Royal Brackleymoor and Ashworth Vale University '
                'Hospital Lymph Service Team')


def test_print_files_carry_no_annotations_while_the_screen_pdf_keeps_its_links(built_root):
    built = built_root('many-chapters')
    printed = [path for path in pdfs(built) if for_press(path)]
    assert printed
    for path in printed:
        with pikepdf.open(path) as pdf:
            assert all('/Annots' not in page.obj for page in pdf.pages), path
            assert '/AcroForm' not in pdf.Root
    screen = next(path for path in pdfs(built) if path.name == 'thirty-chapters.pdf')
    with pikepdf.open(screen) as pdf:
        assert sum(len(page.obj.get('/Annots', [])) for page in pdf.pages) > 20
