"""Read a booklet folder (``booklet.yaml`` plus chapters) and check its ids, references and images."""

import os

from ..errors import did_you_mean
from ..model import BACK_PAGE_ID, Booklet, reserved
from .files import data_uri
from .images import image_bytes
from .markdown import convert_chapter
from .metadata import read_meta



def read_booklet(root, slug, problems):
    """The ``Booklet`` at ``booklet/<slug>``, or ``None`` after recording its problems."""
    folder = root.path / 'booklet' / slug
    rel = f'booklet/{slug}'
    before = len(problems.errors)
    meta = None
    meta_file = folder / 'booklet.yaml'
    if not os.path.lexists(meta_file):
        problems.error(rel, 0, 'missing booklet.yaml (title, code, edition, review dates, ...)')
    else:
        text = root.read_text(meta_file, problems)
        if text is not None:
            meta = read_meta(text, f'{rel}/booklet.yaml', problems)

    chapters = []
    files = root.files(folder, '.md', problems)
    if not files:
        problems.error(rel, 0, 'booklet has no chapters: add Markdown files such as 01-about.md')
    for path in files:
        text = root.read_text(path, problems)
        if text is not None:
            chapter = convert_chapter(text, f'{rel}/{path.name}', problems)
            if chapter is not None:
                chapters.append(chapter)

    check_chapters(chapters, problems)
    check_ids(chapters, problems)
    # A booklet.yaml that failed to read (reported already) may well name a card, and a
    # chapter that failed may hold the heading referred to: no second, false error at every
    # reference to them.
    card = meta is None or meta.card
    if len(chapters) == len(files):
        check_references(chapters, problems, extra_ids={BACK_PAGE_ID} if card else set())
    images = read_images(root, folder, chapters, problems)
    if len(problems.errors) > before:
        return None
    return Booklet(slug=slug, folder=rel, meta=meta, chapters=tuple(chapters), images=images)


def check_chapters(chapters, problems):
    for chapter in chapters:
        if not chapter.headings or chapter.headings[0].level != 1:
            problems.warning(chapter.path, 1, 'chapter does not start with a "# Title" heading, '
                                              'so it has no entry in the contents')
        previous = 0
        for heading in chapter.headings:
            if previous and heading.level > previous + 1:
                problems.warning(heading.path, heading.line,
                                 f'heading level jumps from h{previous} to h{heading.level}')
            previous = heading.level


def check_ids(chapters, problems):
    seen = {}
    for chapter in chapters:
        for heading in chapter.headings:
            if not heading.id:
                problems.error(heading.path, heading.line, 'heading has no text to make an id from')
                continue
            if reserved(heading.id):
                problems.error(heading.path, heading.line,
                               f"id '{heading.id}' is reserved for what the build generates: "
                               'choose another with {#new-id}')
            first = seen.setdefault(heading.id, heading)
            if first is not heading:
                problems.error(heading.path, heading.line,
                               f"duplicate heading id '{heading.id}' (first used at "
                               f"{first.path}:{first.line}); give one of them its own "
                               "id with {#new-id}")


def check_references(chapters, problems, extra_ids=()):
    """Every reference names a heading (or the back page's alert card, when there is one)."""
    ids = {heading.id for chapter in chapters for heading in chapter.headings} | set(extra_ids)
    for chapter in chapters:
        for ref in chapter.references:
            if ref.target not in ids:
                hint = (" (the alert card needs 'card:' in booklet.yaml)"
                        if ref.target == BACK_PAGE_ID else did_you_mean(ref.target, ids))
                problems.error(ref.path, ref.line, f"no heading with id '{ref.target}'{hint}")


def read_images(root, folder, chapters, problems):
    """Map each image ``src`` to a ``data:`` URI so the HTML needs no other file; every image
    passes the content root's gate and is checked to be a real, safe image."""
    images = {}
    for chapter in chapters:
        for image in chapter.images:
            if not image.alt:
                problems.error(image.path, image.line,
                               f"image '{image.src}' has no alt text: describe it in "
                               f"![...]({image.src})")
            if image.src in images:
                continue
            images[image.src] = None
            message, data = image_bytes(root, folder / image.src, image.src)
            if message:
                problems.error(image.path, image.line, message)
            else:
                images[image.src] = data_uri(data, image.src)
    return {src: uri for src, uri in images.items() if uri}
