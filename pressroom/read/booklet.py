"""Read a booklet folder (``booklet.yaml`` plus chapters) and check its ids, references and images."""

import re
from pathlib import Path

from ..model import Booklet
from .files import IMAGE_TYPES
from .markdown import convert_chapter
from .metadata import read_meta

EXTERNAL = re.compile(r'^[a-zA-Z][a-zA-Z0-9+.-]*:|^//')


def read_booklet(root, slug, problems):
    """The ``Booklet`` at ``booklet/<slug>``, or ``None`` after recording its problems."""
    folder = root.path / 'booklet' / slug
    rel = f'booklet/{slug}'
    before = len(problems.errors)
    meta = None
    meta_file = folder / 'booklet.yaml'
    if not meta_file.is_file():
        problems.error(rel, 0, 'missing booklet.yaml (title, code, edition, review dates, ...)')
    else:
        text = root.read_text(meta_file, problems)
        if text is not None:
            meta = read_meta(text, f'{rel}/booklet.yaml', problems)

    chapters = []
    files = sorted(path for path in folder.glob('*.md') if path.is_file())
    if not files:
        problems.error(rel, 0, 'booklet has no chapters: add Markdown files such as 01-about.md')
    for path in files:
        text = root.read_text(path, problems)
        if text is not None:
            chapters.append(convert_chapter(text, f'{rel}/{path.name}'))

    check_chapters(chapters, problems)
    check_ids(chapters, problems)
    check_references(chapters, problems, extra_ids={'alert-card'} if meta and meta.card else set())
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
                        if ref.target == 'alert-card' else '')
                problems.error(ref.path, ref.line, f"no heading with id '{ref.target}'{hint}")


def read_images(root, folder, chapters, problems):
    """Map each image ``src`` to a ``data:`` URI so the HTML needs no other file."""
    images = {}
    for chapter in chapters:
        for image in chapter.images:
            if not image.alt:
                problems.error(image.path, image.line,
                               f"image '{image.src}' has no alt text: describe it in "
                               f"![...]({image.src})")
            if image.src in images:
                continue
            if not image.src or EXTERNAL.match(image.src) or image.src.startswith('/'):
                problems.error(image.path, image.line,
                               f"image '{image.src}' must be a file path relative to the booklet "
                               "folder (no URLs or absolute paths)")
                continue
            path = folder / image.src
            if Path(image.src).suffix.lower() not in IMAGE_TYPES:
                problems.error(image.path, image.line, f"image '{image.src}' is not a PNG, JPEG, "
                                                       "GIF, WebP or SVG file")
            elif not root.contains(path):
                problems.error(image.path, image.line,
                               f"image '{image.src}' is outside the content root")
            elif not path.is_file():
                problems.error(image.path, image.line, f"image not found: {image.src}")
            else:
                images[image.src] = root.data_uri(path)
    return images
