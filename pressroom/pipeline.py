"""The whole build as a chain of stages: read the content root, render, write the outputs."""

import hashlib
import os
from pathlib import Path

from . import cache
from .errors import ContentError, Problem, Problems, UsageError
from .read.files import ContentRoot
from .render.styles import PROJECT_STYLES
from .targets import files, workers

# The reading stage (Markdown, YAML, Jinja) is imported inside the functions below, so that a
# build's render workers are already importing WeasyPrint while this process imports it.


def open_root(source):
    path = Path(source)
    if not path.is_dir():
        raise UsageError(f"--source {source}: no such folder")
    if not os.access(path, os.R_OK | os.X_OK):
        raise ContentError([Problem(str(source), 0, 'cannot read the content root')])
    root = ContentRoot(path)
    if not (root.path / 'booklet').is_dir() and not (root.path / 'cards').is_dir():
        raise ContentError([Problem(str(source), 0, 'not a content root: it has no booklet/ '
                                                    'or cards/ folder')])
    return root


def read_content(source):
    """Stage 1 for every booklet: returns (root, booklets, problems); raises on any error."""
    from .read.booklet import read_booklet
    root = open_root(source)
    problems = Problems()
    booklets = [read_booklet(root, slug, problems) for slug in root.booklet_slugs(problems)]
    cards = read_cards(root, problems, booklets)
    check_card_links(booklets, cards, problems)
    problems.raise_if_errors()
    from .render.styles import Styles
    from .targets.web import web_outputs
    web_outputs(root, booklets, cards, Styles(root), problems)
    problems.raise_if_errors()
    return root, booklets, problems


def read_cards(root, problems, booklets=()):
    """Every card; each carries the review dates of the booklet its QR code opens."""
    from dataclasses import replace
    from .read.card import read_card
    from .targets.web import page_address
    pages = {page_address(booklet.meta.online_url)[0]: booklet for booklet in booklets if booklet}
    cards = []
    for slug in root.card_slugs(problems):
        card = read_card(root, slug, problems)
        if card:
            booklet = pages.get(page_address(card.url)[0])
            if booklet:
                card = replace(card, reviewed=(booklet.meta.last_reviewed,
                                               booklet.meta.next_review))
            cards.append(card)
    return cards


def check_card_links(booklets, cards, problems):
    """A booklet's ``card:`` must name a card that exists."""
    slugs = {card.slug for card in cards}
    for booklet in booklets:
        if booklet and booklet.meta.card and booklet.meta.card not in slugs:
            problems.error(booklet.meta.path, 0, f"card '{booklet.meta.card}' not found: "
                                                 f"no folder cards/{booklet.meta.card}")


def check(source, strict=False):
    """Validate without rendering: (problems, readability per chapter). Errors are in
    ``problems.errors``; nothing is raised for content, so every problem can be listed."""
    from .check.governance import review_problems
    from .check.readability import chapter_readability, readability_problems
    try:
        root, booklets, problems = read_content(source)
    except ContentError as error:
        problems = Problems()
        for problem in error.problems:
            (problems.errors if problem.severity == 'error' else problems.warnings).append(problem)
        return problems, []
    review_problems(root, booklets, problems, strict=strict)
    results = [chapter_readability(chapter.path, chapter.source)
               for booklet in booklets for chapter in booklet.chapters]
    readability_problems(results, problems)
    return problems, results


def progress_lines(outputs, out):
    """One line per output; a clinic run is summed up in one line rather than thousands."""
    runs = {}
    for output in outputs:
        if output.kind.startswith('web'):
            continue
        if output.clinic is None:
            yield (f'{output.kind:<10} {Path(out, output.path)}  {output.pages} pages  '
                   f'{output.seconds:.1f} s')
        else:
            runs.setdefault(output.card, []).append(output)
    for card, clinics in runs.items():
        yield (f'{"clinics":<10} {Path(out, "cards", card)}/  {len(clinics) // 2} clinics, '
               f'{len(clinics)} files  {clinics[0].seconds:.1f} s')


def job_of(output):
    """The cache job an output belongs to: its booklet, its card, or the web edition."""
    if output.kind.startswith('web'):
        return 'web'
    if output.card and output.kind.startswith('card'):
        return f'card:{output.card}'
    return f'booklet:{output.booklet}'


FORMATS = ('booklet', 'print', 'imposed', 'large-print', 'cards', 'web')


def build(source, out, write_html=False, progress=print, force=False, only=None, live=False,
          verbose=None, formats=FORMATS):
    """Build what changed into ``out``; nothing is written unless everything succeeds.

    ``only`` limits the build to some jobs (``{'web'}`` for a quick preview while watching);
    ``live`` adds the live-reload script to web pages. Returns (outputs, warnings, changes)."""
    root = open_root(source)
    files.check_out_folder(out, source)
    with files.session(out) as temporary:
        return build_in(root, out, temporary, write_html, progress, force, only, live, verbose,
                        formats)


def build_in(root, out, temporary, write_html, progress, force, only, live, verbose, formats):
    """``build`` with the output folder locked and recovered, and ``temporary`` the build's
    own scratch folder (WeasyPrint's font files go there, never into /tmp)."""
    problems = Problems()
    style_folders = [root.path / 'styles', PROJECT_STYLES]
    formats = tuple(format for format in FORMATS if format in formats)
    every = cache.job_keys(root.path, style_folders,
                           options=f'html={write_html} formats={",".join(formats)}',
                           web_options=f'live={live}')
    recorded = cache.load(out)
    keys = dict(every)
    if 'cards' not in formats:
        keys = {job: key for job, key in keys.items() if not job.startswith('card:')}
    live_left = 'web/assets/live.js' in recorded.get('jobs', {}).get('web', {}).get('files', {})
    if 'web' not in formats and not (live_left and not live):
        # (After watch, the web edition is rebuilt anyway: its pages load the live-reload
        # script, and no script may stay in an output.)
        keys.pop('web', None)
    previous = {} if force else recorded
    stale = {job for job, key in keys.items() if not cache.up_to_date(previous, job, key, out)}
    # Jobs left for later keep their previous report and key, so they stay stale.
    later = {job for job in stale if only is not None and job not in only}
    stale -= later
    if verbose:
        for job in sorted(set(keys) - stale - later):
            verbose(f'{"cached":<10} {job} (inputs unchanged)')
    gone = [job for job in recorded.get('jobs', {}) if job not in every]
    if not stale and not gone:
        progress(f'up to date: nothing changed since the last build into {out}')
        return [], [], {}
    renders = [job for job in stale if job != 'web']
    # Workers start importing WeasyPrint now, while this process reads the sources.
    with workers.Pool(len(renders), temporary) as pool:
        from .read.booklet import read_booklet
        from .render.booklet import booklet_html
        from .render.styles import Styles
        from .report import build_report, job_fragment
        from .changes import booklet_sections, compare
        booklets = [read_booklet(root, slug, problems) for slug in root.booklet_slugs(problems)]
        cards = read_cards(root, problems, booklets)
        check_card_links(booklets, cards, problems)
        problems.raise_if_errors()
        styles = Styles(root)
        by_slug = {card.slug: card for card in cards}
        jobs = []
        for booklet in booklets:
            if f'booklet:{booklet.slug}' in stale:
                card = by_slug.get(booklet.meta.card)
                if 'booklet' in formats or 'imposed' in formats:
                    jobs.append(('booklet', (booklet, root, styles,
                                             booklet_html(booklet, styles, card=card)),
                                 {'impose': 'imposed' in formats}))
                if 'large-print' in formats:
                    jobs.append(('booklet-large-print', (
                        booklet, root, styles,
                        booklet_html(booklet, styles, notes=0, card=card, large=True)), {}))
                if 'print' in formats:
                    jobs.append(('booklet-print', (
                        booklet, root, styles,
                        booklet_html(booklet, styles, card=card, press=True)), {}))
        jobs += [('card', (card, root, styles), {}) for card in cards
                 if f'card:{card.slug}' in stale]
        rendering = pool.map_async(workers.run, jobs)
        # What needs no layout is done here while the workers render: the font check ...
        from .targets.glyphs import check_booklet_glyphs
        for booklet in booklets:
            if f'booklet:{booklet.slug}' in stale:
                check_booklet_glyphs(booklet, root, styles.font_files(), problems)
        # ... and the web edition.
        from .targets.web import web_outputs
        web = web_outputs(root, booklets, cards, styles, problems, live=live)
        outputs = []
        for produced, found in rendering.get():
            problems.extend(found)
            outputs += produced
        if 'web' in stale and 'web' in formats:
            outputs += web
    problems.raise_if_errors()
    # Said once the files are in place: a build that fails writes nothing, so says nothing.
    done = list(progress_lines(outputs, out))
    if 'web' in stale and 'web' in formats:
        done.append(f'{"web":<10} {Path(out, "web")}/  {sum(o.kind == "web" for o in web)} pages')
    kept = {path: job for job, entry in previous.get('jobs', {}).items()
            if job in keys and job not in stale for path in entry.get('files', {})}
    collisions(outputs, kept, problems)
    problems.raise_if_errors()

    written = {output.path: output.data for output in outputs}
    if write_html:
        # The HTML with exactly the Notes pages the PDF kept: the same pages, laid out alone.
        laid = {output.booklet: output for output in outputs if output.kind == 'booklet'}
        for booklet in booklets:
            if booklet.slug in laid:
                card = by_slug.get(booklet.meta.card)
                html = booklet_html(booklet, styles, notes=laid[booklet.slug].notes, card=card)
                written[f'{booklet.slug}.html'] = html.encode('utf-8')
                if 'large-print' in formats:
                    large = booklet_html(booklet, styles, notes=0, card=card, large=True)
                    written[f'{booklet.slug}-large-print.html'] = large.encode('utf-8')
                if 'print' in formats:
                    press = booklet_html(booklet, styles, notes=laid[booklet.slug].notes,
                                         card=card, press=True)
                    written[f'{booklet.slug}-print.html'] = press.encode('utf-8')
    # Every job's part of the report: new for what was built, remembered for the rest.
    fragments = {job: entry['report'] for job, entry in previous.get('jobs', {}).items()
                 if job in keys and job not in stale}
    kept_keys = {job: previous['jobs'][job]['key'] for job in later if job in fragments}
    for job in stale:
        mine = [output for output in outputs if job_of(output) == job]
        slug = job.split(':', 1)[-1]
        extra = [path for path in written if job.startswith('booklet:')
                 and path in (f'{slug}.html', f'{slug}-large-print.html', f'{slug}-print.html')]
        fragments[job] = job_fragment(mine, extra)
    sections = {booklet.slug: booklet_sections(booklet) for booklet in booklets}
    old_report = files.read_json(Path(out) / 'build-report.json')
    report = build_report(fragments, problems.warnings, sections, booklets)
    changes = {booklet.slug: compare(old_report, report, booklet.slug) for booklet in booklets}
    report['changes'] = changes
    from .changes import changes_markdown
    for booklet in booklets:
        written[f'{booklet.slug}-changes.md'] = changes_markdown(
            booklet, changes[booklet.slug]).encode('utf-8')
    written['build-report.json'] = report_bytes(report)
    digests = {path: hashlib.sha256(data).hexdigest() for path, data in written.items()}
    old_files = {job: entry['files'] for job, entry in previous.get('jobs', {}).items()
                 if isinstance(entry.get('files'), dict)}
    # Outputs of booklets and cards that no longer exist go, as do a rebuilt job's files that
    # it no longer makes (live.js after watch, an image no longer used): they are ours, and a
    # withdrawn edition or a closed clinic's card must not stay published.
    recorded_files = {job: entry['files'] for job, entry in recorded.get('jobs', {}).items()
                      if isinstance(entry.get('files'), dict)}
    vanished = [path for job in gone for path in recorded_files.get(job, {})]
    vanished += [f'{job.split(":", 1)[1]}-changes.md' for job in gone
                 if job.startswith('booklet:')]
    vanished += [path for job in stale for path in recorded_files.get(job, {})
                 if path not in fragments[job]['files']]
    vanished = [path for path in vanished if path not in written]
    # Jobs this build did not cover (--formats) stay recorded, so their files stay tracked.
    carried = {job: entry for job, entry in recorded.get('jobs', {}).items()
               if job in every and job not in keys}
    written[cache.CACHE_FILE] = cache.dump({**carried, **{
        job: {'key': kept_keys.get(job, keys[job]), 'report': fragments[job],
              'files': {path: digests[path] if job in stale else old_files.get(job, {}).get(path)
                        for path in fragments[job]['files']}}
        for job in keys if job in fragments}})
    files.commit(out, written, last=(cache.CACHE_FILE,), remove=vanished)
    for line in done:
        progress(line)
    return outputs, problems.warnings, changes


def origin(output):
    """Who asked for an output, as an editor names it."""
    if output.clinic:
        return f"cards/{output.card}/clinics.csv (clinic '{output.clinic}')"
    if output.card and output.kind.startswith('card'):
        return f'cards/{output.card}'
    if output.booklet:
        return f'booklet/{output.booklet}'
    return 'the web edition'


def collisions(outputs, kept, problems):
    """Two sources that want the same output file (``x-print.pdf`` is both the print file of
    booklet ``x`` and the booklet ``x-print``): an error naming both. Names are compared
    without case, as on the file systems of many print shops and web servers."""
    seen = {path.casefold(): f'the cached outputs of {job}' for path, job in kept.items()}
    for output in outputs:
        key = output.path.casefold()
        mine = origin(output)
        if key in seen and seen[key] != mine:
            problems.error(mine, 0, f"its output '{output.path}' is also an output of "
                                    f'{seen[key]}: rename one of them')
        seen.setdefault(key, mine)


def report_bytes(report):
    import json
    return (json.dumps(report, indent=2, ensure_ascii=False) + '\n').encode('utf-8')
