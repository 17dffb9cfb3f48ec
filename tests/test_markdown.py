"""Markdown -> HTML: heading ids, the three reference forms, and the source line of each."""

from pathlib import Path

import pytest

from pressroom.errors import Problems
from pressroom.model import Booklet
from pressroom.read.markdown import convert_chapter
from pressroom.render.fill import filled

SOURCE = """\
# Tests and scans {#tests}

Read about [the MRI scan](#mri-scan), explained on [page](#mri-scan)
and in [title](#mri-scan).

MRI scan {#mri-scan}
--------

![A scanner](images/mri.png)

```
# not a heading, [not a link](#nowhere)
```

## It's "quoted" -- and £5 for a café
"""


def test_heading_ids_titles_and_lines():
    chapter = convert_chapter(SOURCE, 'booklet/b/01-tests.md')
    assert [(h.id, h.title, h.level, h.line) for h in chapter.headings] == [
        ('tests', 'Tests and scans', 1, 1),
        ('mri-scan', 'MRI scan', 2, 6),
        ('its-quoted-and-5-for-a-cafe', 'It’s “quoted” – and £5 for a café', 2, 15),
    ]
    assert '<h1 id="tests">' in chapter.html


def test_reference_forms_and_lines():
    chapter = convert_chapter(SOURCE, 'booklet/b/01-tests.md')
    assert [(r.target, r.form, r.line) for r in chapter.references] == [
        ('mri-scan', 'see', 3), ('mri-scan', 'page', 3), ('mri-scan', 'title', 4)]
    # How each form reads in each output: tests/fixtures/markdown.txt.


def test_code_blocks_hold_no_headings_or_references():
    chapter = convert_chapter(SOURCE, 'booklet/b/01-tests.md')
    assert 'nowhere' not in [r.target for r in chapter.references]
    assert len(chapter.headings) == 3


def test_images_keep_alt_text_and_line():
    chapter = convert_chapter(SOURCE, 'booklet/b/01-tests.md')
    assert [(i.src, i.alt, i.line) for i in chapter.images] == [('images/mri.png', 'A scanner', 9)]


FIXTURES = Path(__file__).parent / 'fixtures' / 'markdown.txt'


def fixtures():
    """(name, markdown, pdf html, web html) for each case of tests/fixtures/markdown.txt:
    cases start with ``=== name``; the three parts are separated by lines holding one dot."""
    for case in FIXTURES.read_text(encoding='utf-8').split('\n=== ')[1:]:
        name, _, body = case.partition('\n')
        markdown, pdf, web = (part.strip('\n') for part in body.split('\n.\n'))
        yield pytest.param(markdown, pdf, web, id=name.strip())


@pytest.mark.parametrize('markdown, pdf, web', list(fixtures()))
def test_markdown_fixture(markdown, pdf, web):
    problems = Problems()
    chapter = convert_chapter(markdown + '\n', 'booklet/b/01-x.md', problems)
    assert problems.errors == []
    booklet = Booklet(slug='b', folder='booklet/b', meta=None, chapters=(chapter,),
                      images={image.src: f'data:image/png;base64,{index}'
                              for index, image in enumerate(chapter.images)})
    assert filled(chapter, booklet).strip() == pdf
    assert filled(chapter, booklet, web=True).strip() == web
