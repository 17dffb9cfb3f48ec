"""Scaffolding: ``new booklet SLUG`` and ``new card SLUG`` write a minimal valid folder.

The example files beside this module (booklet/, card/) are ``string.Template`` text: ``$title``,
``$slug``, the review dates and the card's ``$url`` are filled in when they are written.
"""

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from string import Template

from ..errors import ContentError, Problem, Problems, UsageError
from ..read.files import ContentRoot

EXAMPLES = Path(__file__).resolve().parent
SLUG = re.compile(r'[a-z0-9][a-z0-9-]*')


@dataclass(frozen=True)
class Created:
    """What ``new`` wrote: a folder of the content root, its files, and what to do next."""

    folder: str  # relative to the content root, e.g. booklet/demo
    files: tuple[str, ...]
    notes: tuple[str, ...] = ()


def new_booklet(source, slug):
    """Write ``booklet/<slug>/``: its metadata, two chapters that refer to each other, a picture."""
    from ..check.governance import today
    check_request(source, 'booklet', slug)
    reviewed = today()
    values = {'title': title_of(slug), 'slug': slug, 'last_reviewed': reviewed.isoformat(),
              'next_review': review_date(reviewed).isoformat()}
    return write_folder(source, 'booklet', slug, fill(EXAMPLES / 'booklet', values))


def new_card(source, slug, booklet=None):
    """Write ``cards/<slug>/`` whose QR code opens a section of ``booklet``'s web page (by
    default the content root's only booklet): a card must open a page the build makes."""
    check_request(source, 'cards', slug)
    chosen = read_target(source, booklet)
    url, section = qr_address(chosen)
    values = {'title': title_of(slug), 'url': url}
    opens = (f"at '{section.title}'" if section and url.endswith('#' + section.id)
             else 'at the top')
    notes = (f"Its QR code opens {url}, the web page of {chosen.folder} {opens}: change 'url' "
             'in card.yaml to the section the card is about.',
             f'To print the card on the back page of {chosen.folder}, add this line to its '
             f'booklet.yaml:\n  card: {slug}')
    created = write_folder(source, 'cards', slug, fill(EXAMPLES / 'card', values))
    return Created(created.folder, created.files, notes)


def check_request(source, kind, slug):
    """Refuse (exit 2) a source that is not a folder, a bad name, or a folder already there."""
    if not os.path.isdir(source):
        raise UsageError(f'--source {source}: no such folder')
    if not SLUG.fullmatch(slug):
        raise UsageError(f"'{slug}' cannot name a folder: use lower-case letters, digits and "
                         "'-', starting with a letter or digit (it names files and web addresses)")
    if os.path.lexists(Path(source) / kind / slug):
        raise UsageError(f'{kind}/{slug} already exists in {source}: choose another name')
    if os.path.lexists(Path(source) / kind) and not ContentRoot(source).contains(
            Path(source) / kind):
        # The build refuses such a folder too: writing there would write outside the root.
        raise UsageError(f'{kind}/ in {source} resolves outside the content root: '
                         'refusing to write there')


def title_of(slug):
    """A first title from a folder name: ``living-with-it`` -> ``Living with it``."""
    return slug.replace('-', ' ').strip().capitalize()


def review_date(day):
    """Three years after ``day``, shortened by a day when a leap day makes that period longer
    than the three years that ``check`` accepts without a warning."""
    from ..check.governance import LONGEST_PERIOD_YEARS
    try:
        later = day.replace(year=day.year + LONGEST_PERIOD_YEARS)
    except ValueError:  # 29 February
        later = day.replace(year=day.year + LONGEST_PERIOD_YEARS, day=28)
    while (later - day).days / 365.25 > LONGEST_PERIOD_YEARS:
        later -= timedelta(days=1)
    return later


def read_target(source, slug):
    """The booklet a new card's QR code opens, read (and checked) as the build reads it."""
    from ..read.booklet import read_booklet
    root = ContentRoot(source)
    problems = Problems()
    slugs = root.booklet_slugs(problems)
    if slug is None:
        if not slugs:
            raise UsageError(f"a card's QR code opens a booklet's web page, and {source} has no "
                             'booklet yet: create one first with new booklet SLUG')
        if len(slugs) > 1:
            raise UsageError(f"choose the booklet whose web page the card's QR code opens: "
                             f'--booklet {" or ".join(slugs)}')
        slug = slugs[0]
    elif slug not in slugs:
        raise UsageError(f'--booklet {slug}: no folder booklet/{slug} in {source}')
    booklet = read_booklet(root, slug, problems)
    if booklet is None:
        raise ContentError(problems.errors)
    return booklet


def qr_address(booklet):
    """(the address the card opens, its section): the booklet's ``online_url`` at its first
    ``##`` section (or first heading), or the page alone when that address is too long for
    the code."""
    from ..model import QR_SIZE_MM
    from ..qr import QRTooLong, qr_code
    headings = booklet.headings
    section = next((heading for heading in headings if heading.level == 2),
                   headings[0] if headings else None)
    page = booklet.meta.online_url.split('#')[0]
    for url in ([f'{page}#{section.id}'] if section else []) + [page]:
        try:
            qr_code(url, QR_SIZE_MM)
            return url, section
        except QRTooLong:
            continue
    raise UsageError(f"the online_url of {booklet.folder} is too long for a card's QR code: "
                     'shorten it first')


def fill(folder, values):
    """Every example file under ``folder`` (relative path -> bytes), its placeholders filled."""
    files = {}
    for path in sorted(folder.rglob('*')):
        if path.is_file():
            text = Template(path.read_text(encoding='utf-8')).substitute(values)
            files[path.relative_to(folder).as_posix()] = text.encode('utf-8')
    return files


def write_folder(source, kind, slug, files):
    """Write ``files`` as ``<source>/<kind>/<slug>/``, all of them or none: they are written
    into a hidden folder (which builds skip), then renamed into place."""
    parent = Path(source) / kind
    folder = f'{kind}/{slug}'
    staging = None
    try:
        parent.mkdir(exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f'.new-{slug}-', dir=parent))
        for relative, data in files.items():
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
            (staging / relative).write_bytes(data)
        os.chmod(staging, 0o755)  # mkdtemp makes it private to its owner
        if os.path.lexists(parent / slug):
            raise UsageError(f'{folder} already exists in {source}: choose another name')
        os.rename(staging, parent / slug)
    except OSError as error:
        raise ContentError([Problem(folder, 0, f'cannot create the folder: '
                                               f'{error.strerror or error}')]) from None
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return Created(folder, tuple(f'{folder}/{relative}' for relative in files))
