"""``ids SLUG``: every id of a booklet that a reference may name, with its heading, where it is
written and its page in the last build, so that ids made from heading text are visible to
editors without reading HTML."""

import re
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import Problems, UsageError, did_you_mean, visible
from .model import BACK_PAGE_ID
from .pipeline import open_root
from .read.markdown import convert_chapter
from .read.metadata import read_meta
from .targets.files import read_json


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    level: int  # 0 for what the build generates (the alert card)
    where: str  # chapter file:line
    made: bool  # made from the heading's text (it changes when the text does)
    page: str = ''  # in the standard booklet as last built, '' when unknown


@dataclass(frozen=True)
class Listing:
    folder: str
    entries: tuple
    report: str  # the build report the pages come from
    built: bool  # whether it lists this booklet's pages


def booklet_ids(source, slug, out):
    """The ids of booklet ``slug``, read even when the booklet has errors (the ids are what
    an editor needs to fix a broken reference)."""
    root = open_root(source)
    slugs = root.booklet_slugs(Problems())
    if slug not in slugs:
        raise UsageError(f"no booklet '{slug}' in {Path(source, 'booklet')}"
                         + did_you_mean(slug, slugs))
    folder, rel = root.path / 'booklet' / slug, f'booklet/{slug}'
    ignored = Problems()  # check and build report them; here they only hide what they spoil
    entries = []
    for path in root.files(folder, '.md', ignored):
        text = root.read_text(path, ignored)
        chapter = convert_chapter(text, f'{rel}/{path.name}', ignored) if text else None
        for heading in chapter.headings if chapter else ():
            written = ''.join(chapter.source.splitlines()[heading.line - 1:heading.line])
            given = re.search(r'\{[^}]*#' + re.escape(heading.id) + r'(?=[\s}])', written)
            entries.append(Entry(heading.id, heading.title, heading.level,
                                 f'{path.name}:{heading.line}', made=not given))
    meta_text = root.read_text(folder / 'booklet.yaml', ignored)
    meta = read_meta(meta_text, f'{rel}/booklet.yaml', ignored) if meta_text else None
    if meta is not None and meta.card:
        entries.append(Entry(BACK_PAGE_ID, f'the alert card ({meta.card}), on the back page',
                             0, f'booklet.yaml:{meta.lines.get("card", 0)}', made=False))
    report_path = Path(out) / 'build-report.json'
    report = read_json(report_path)
    pages = {}
    for anchor in report.get('anchors', []) if isinstance(report, dict) else ():
        if isinstance(anchor, dict) and anchor.get('booklet') == slug and \
                anchor.get('variant', 'booklet') == 'booklet':
            pages.setdefault(anchor.get('id'), str(anchor.get('page', '')))
    entries = tuple(replace(entry, page=pages.get(entry.id, '')) for entry in entries)
    return Listing(rel, entries, str(report_path), built=bool(pages))


def ids_table(listing):
    """The listing as text: one id a line, headings indented by level, a note on made ids."""
    rows = [('id', 'page', 'heading', 'where')]
    for entry in listing.entries:
        rows.append((entry.id + ('*' if entry.made else ''), entry.page or '-',
                     '  ' * max(entry.level - 1, 0) + entry.title, entry.where))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = [f'{listing.folder}: {len(listing.entries)} ids; '
             + (f'pages of the booklet as last built ({listing.report})' if listing.built
                else f'no pages: {listing.report} does not list this booklet (build it)')]
    lines += [f'{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}'
              .rstrip() for row in rows]
    if any(entry.made for entry in listing.entries):
        lines.append("* made from the heading's text, so it changes with the heading: to "
                     'keep it, write {#id} after the heading')
    return '\n'.join(visible(line) for line in lines)
