"""Markdown -> HTML: heading ids, the three reference forms, and the source line of each."""

from pressroom.read.markdown import convert_chapter

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
    assert '<a class="ref ref-see" href="#mri-scan">the MRI scan</a>' in chapter.html
    assert '<a class="ref ref-page" href="#mri-scan">page</a>' in chapter.html
    # The title form is filled in later, from the target heading.
    assert '<a class="ref ref-title" href="#mri-scan"></a>' in chapter.html


def test_code_blocks_hold_no_headings_or_references():
    chapter = convert_chapter(SOURCE, 'booklet/b/01-tests.md')
    assert 'nowhere' not in [r.target for r in chapter.references]
    assert len(chapter.headings) == 3


def test_images_keep_alt_text_and_line():
    chapter = convert_chapter(SOURCE, 'booklet/b/01-tests.md')
    assert [(i.src, i.alt, i.line) for i in chapter.images] == [('images/mri.png', 'A scanner', 9)]


def test_typography_is_curly():
    chapter = convert_chapter('He said "yes" -- it\'s fine...', 'x.md')
    assert '“yes” – it’s fine…' in chapter.html
