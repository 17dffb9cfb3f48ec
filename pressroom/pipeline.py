"""The build as a visible chain: read -> plan -> run -> verify -> commit.

Each step returns a new object (Content, Plan, Ran) and none changes another's; the targets
(targets/registry.py) say what each output format needs, so nothing here names a format.
"""

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

from . import cache
from .errors import ContentError, Problem, Problems, UsageError
from .read.files import ContentRoot
from .render.styles import PROJECT_STYLES
from .targets import files, registry, workers
from .targets.base import Content, Job, Options

# The reading stage (Markdown, YAML, Jinja) is imported inside the functions below, so that a
# build's render workers are already importing WeasyPrint while this process imports it.


def formats():
    """The ``--formats`` words, in the registry's order."""
    return registry.names()


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


def read(root, problems, only_booklets=None):
    """Step 1: the content root as a ``Content``; raises with every problem found.
    ``only_booklets`` (slugs): read no other booklet (``--booklet``, or the rest of a build
    in which some booklets have errors)."""
    from .read.content import read_all
    from .render.styles import Styles
    booklets, cards = read_all(root, problems, only_booklets)
    problems.raise_if_errors()
    return Content(root=root, styles=Styles(root), booklets=booklets, cards=cards)


def read_content(source):
    """The content root at ``source``, read and validated (for tools and tests)."""
    return read(open_root(source), Problems())


def check(source, strict=False):
    """Validate without writing anything: (problems, readability per chapter). Errors are
    in ``problems.errors``; nothing is raised for content, so every problem can be listed.
    Cards are laid out, as a build would, to check that every clinic's card fits."""
    from .check.governance import review_problems
    from .check import plain_words
    from .check.readability import chapter_readability, readability_problems
    problems = Problems()
    try:
        root = open_root(source)
        content = read(root, problems)
    except ContentError as error:
        found = Problems()
        for problem in error.problems:
            (found.errors if problem.severity == 'error' else found.warnings).append(problem)
        return found, []
    review_problems(root, content.booklets, problems, strict=strict)
    for target in registry.TARGETS:
        target.check(content, problems)
    words = plain_words.load(root, problems)
    results = [chapter_readability(chapter.path, chapter.source, booklet=booklet.slug,
                                   words=words)
               for booklet in content.booklets for chapter in booklet.chapters]
    readability_problems(results, problems)
    return problems, results


@dataclass(frozen=True)
class Plan:
    """Step 2: what this build makes, decided from file digests alone."""

    jobs: tuple  # every job of the chosen formats, in the registry's order
    keys: dict  # job id -> cache key
    stale: tuple  # the jobs to make now
    later: frozenset  # ids of stale jobs left for a later build (watch's quick web pass)
    gone: tuple  # ids of recorded jobs whose source no longer exists
    recorded: dict  # the cache as the previous build left it
    shard: tuple | None = None  # (k, n): this build makes the k-th of n shares of the jobs


def in_shard(job, shard):
    """Whether ``job`` is in share ``k`` of ``n``: by a stable hash of its source, so all the
    outputs of one booklet (which need each other) land in the same share, on any machine."""
    if shard is None:
        return True
    k, n = shard
    digest = hashlib.sha256((job.source or job.target).encode()).hexdigest()
    return int(digest[:12], 16) % n == k - 1


def plan(root, chosen, options, out, force=False, only=None, shard=None):
    problems = Problems()  # the reader reports bad folder names; the plan just skips them
    booklets, cards = root.booklet_slugs(problems), root.card_slugs(problems)
    found = cache.sources(root.path, [root.path / 'styles', PROJECT_STYLES])
    recorded = cache.load(out)
    every = {job.id for target in registry.TARGETS for job in target.plan(booklets, cards)}
    web_files = recorded.get('jobs', {}).get('web', {}).get('files', {})
    if 'web/assets/live.js' in web_files and not options.live and 'web' in every:
        # After watch the web edition is rebuilt whatever the formats: its pages load the
        # live-reload script, and no script may stay in an output.
        chosen = set(chosen) | {'web'}
    chosen = with_needs(chosen)
    jobs = tuple(job for target in registry.TARGETS if target.name in chosen
                 for job in target.plan(booklets, cards) if in_shard(job, shard))
    keys = {job.id: cache.job_key(registry.target(job.target), job, found, options)
            for job in jobs}
    previous = {} if force else recorded
    stale = {job.id for job in jobs if not cache.up_to_date(previous, job.id, keys[job.id], out)}
    for job in jobs:  # a target is made from what it needs: both are made together
        if job.id in stale:
            stale |= {Job(need, job.source).id for need in registry.target(job.target).needs}
    later = frozenset(job for job in stale if only is not None and job not in only)
    return Plan(jobs=jobs, keys=keys, stale=tuple(job for job in jobs if job.id in stale - later),
                later=later, gone=tuple(job for job in recorded.get('jobs', {}) if job not in every),
                recorded=recorded, shard=shard)


def with_needs(chosen):
    chosen = set(chosen)
    for target in registry.TARGETS:
        if target.name in chosen:
            chosen |= set(target.needs)
    return chosen


@dataclass(frozen=True)
class Ran:
    """Step 3: what each stale job made (job id -> outputs), with the content it was made
    from; problems are collected separately."""

    content: Content
    outputs: dict


def run(plan_, root, options, temporary, problems, reporter=None, only_booklets=None):
    """Make every stale job: layouts in render workers (started before the sources are read,
    so they import WeasyPrint meanwhile), the rest here while they work. ``reporter`` hears
    of each job as it finishes (progress.py)."""
    from .progress import Quiet
    reporter = reporter or Quiet()
    in_workers = [job for job in plan_.stale if registry.target(job.target).in_worker]
    with workers.Pool(len(in_workers), temporary) as pool:
        content = read(root, problems, only_booklets)
        tasks = [(job.target, registry.target(job.target).prepare(job, content, options))
                 for job in in_workers]
        rendering = pool.as_finished(workers.run_numbered, tasks)
        check_fonts(plan_, content, problems)
        made = {}
        here = [job for job in plan_.stale if job not in in_workers]
        for job in [job for job in here if not registry.target(job.target).needs]:
            made[job.id] = make_here(job, content, options, made, problems)
            reporter.finished(job, made[job.id])
        found_by_job = {}
        for number, (produced, found) in rendering:
            job = in_workers[number]
            found_by_job[job.id] = found
            made[job.id] = produced
            reporter.finished(job, produced)
        for job in in_workers:  # problems in the jobs' order, whatever order they finished in
            problems.extend(found_by_job[job.id])
    for job in [job for job in here if registry.target(job.target).needs]:
        made[job.id] = make_here(job, content, options, made, problems)
        reporter.finished(job, made[job.id])
    return Ran(content=content, outputs=made)


def make_here(job, content, options, made, problems):
    target = registry.target(job.target)
    return target.make(target.prepare(job, content, options), problems, made)


def check_fonts(plan_, content, problems):
    """Characters the fonts lack, for every booklet being made into anything (no layout
    needed), so that the result does not depend on which formats were asked for."""
    from .targets.glyphs import check_booklet_glyphs
    kinds = {job: registry.target(job.target).built_from for job in plan_.stale}
    slugs = {job.source for job, kind in kinds.items() if kind == 'booklet'}
    for booklet in content.booklets:
        if booklet.slug in slugs or 'site' in kinds.values():
            check_booklet_glyphs(booklet, content.root, content.styles.font_files(), problems)


def verify(plan_, ran, problems):
    """Step 4: two sources never write one file (``x-print.pdf`` is both the print file of
    booklet ``x`` and the booklet ``x-print``): an error naming both. Names are compared
    without case, as on the file systems of many print shops and web servers."""
    stale = {job.id for job in plan_.stale}
    seen = {path.casefold(): f'the cached outputs of {job}'
            for job, entry in plan_.recorded.get('jobs', {}).items()
            if job in plan_.keys and job not in stale for path in entry.get('files', {})}
    for outputs in ran.outputs.values():
        for output in outputs:
            key, mine = output.path.casefold(), origin(output)
            if key in seen and seen[key] != mine:
                problems.error(mine, 0, f"its output '{output.path}' is also an output of "
                                        f'{seen[key]}: rename one of them')
            seen.setdefault(key, mine)
    problems.raise_if_errors()


def origin(output):
    """Who asked for an output, as an editor names it."""
    if output.clinic:
        return f"cards/{output.card}/clinics.csv (clinic '{output.clinic}')"
    if output.card and output.kind.startswith('card'):
        return f'cards/{output.card}'
    if output.booklet:
        return f'booklet/{output.booklet}'
    return 'the web edition'


def commit(plan_, ran, options, out, problems):
    """Step 5: every file, the report, the change reports and the cache, written at once."""
    from .changes import booklet_sections, changes_markdown, compare
    from .report import build_report, job_fragment, report_bytes
    content = ran.content
    written, fragments = {}, {}
    recorded_jobs = plan_.recorded.get('jobs', {})
    for job in plan_.jobs:
        if job.id in ran.outputs:
            outputs = ran.outputs[job.id]
            extra = registry.target(job.target).extra_files(job, content, options, outputs)
            written.update({output.path: output.payload for output in outputs})
            written.update(extra)
            fragments[job.id] = job_fragment(outputs, extra)
        elif job.id in recorded_jobs:
            fragments[job.id], extra = cached_extras(job, recorded_jobs[job.id], content,
                                                     options)
            written.update(extra)
    sections = {booklet.slug: booklet_sections(booklet) for booklet in content.booklets}
    old_report = files.read_json(Path(out) / 'build-report.json')
    report = build_report([fragments[job.id] for job in plan_.jobs if job.id in fragments],
                          problems.warnings, sections, content.booklets)
    report['changes'] = {booklet.slug: compare(old_report, report, booklet.slug)
                         for booklet in content.booklets}
    # A shard's change reports would see only its share: merge-reports writes them.
    for booklet in content.booklets if plan_.shard is None else ():
        written[f'{booklet.slug}-changes.md'] = changes_markdown(
            report['booklets'][booklet.slug], report['changes'][booklet.slug]).encode('utf-8')
    written['build-report.json'] = report_bytes(report)
    digests = {path: getattr(data, 'sha256', None) or hashlib.sha256(data).hexdigest()
               for path, data in written.items()}
    entries = {job: entry for job, entry in recorded_jobs.items()
               if job not in plan_.gone and job not in ran.outputs}
    for job in plan_.jobs:
        if job.id in entries and job.id in fragments:  # a kept job: its --html files follow
            listed = fragments[job.id]['files']
            entries[job.id] = {**entries[job.id], 'report': fragments[job.id],
                               'files': {path: digests.get(path) or
                                         entries[job.id]['files'].get(path)
                                         for path in listed}}
        if job.id in ran.outputs:
            entries[job.id] = {'key': plan_.keys[job.id], 'report': fragments[job.id],
                               'files': {path: digests[path]
                                         for path in fragments[job.id]['files']}}
    written[cache.CACHE_FILE] = cache.dump(entries)
    remove = withdrawn(plan_, ran, written)
    remove += [path for job, entry in recorded_jobs.items() if job in entries
               for path in entry.get('files', {}) if path not in entries[job]['files']]
    files.commit(out, written, last=(cache.CACHE_FILE,), remove=remove)
    return report['changes']


def html_files_differ(plan_, options):
    """Whether the ``--html`` files in the output folder are not the ones asked for: a kept
    layout whose HTML file is wanted, or an earlier build's HTML file that is not."""
    from .report import EXTRA_KINDS
    for entry in plan_.recorded.get('jobs', {}).values():
        outputs = entry.get('report', {}).get('outputs', [])
        if not outputs or not all(item['kind'] in EXTRA_KINDS for item in outputs):
            continue
        has_html = any(path.endswith('.html') for path in entry.get('files', {}))
        if has_html != options.html:
            return True
    return False


def cached_extras(job, entry, content, options):
    """A kept job's report fragment and extra files for this build: ``--html`` writes the
    HTML of a booklet laid out by an earlier build (from what its report recorded: the Notes
    pages kept, a compact back cover) rather than laying it out again; a build without
    ``--html`` drops the ones an earlier build wrote."""
    from .report import EXTRA_KINDS
    from .targets.output import Output
    fragment = dict(entry['report'])
    outputs = [Output(path=item['path'], kind=item['kind'], booklet=item.get('booklet'),
                      data=b'', pages=item.get('pages', 0), notes=item.get('notes', 0),
                      compact=item.get('compact', False)) for item in fragment['outputs']]
    extra = (registry.target(job.target).extra_files(job, content, options, outputs)
             if outputs and all(item['kind'] in EXTRA_KINDS for item in fragment['outputs'])
             else {})
    mine = {item['path'] for item in fragment['outputs']} | set(extra)
    fragment['files'] = sorted(path for path in fragment['files']
                               if path in mine or not path.endswith('.html')
                               or path.startswith('web/')) if options.html is False else \
        sorted(set(fragment['files']) | set(extra))
    return fragment, extra


def withdrawn(plan_, ran, written):
    """Files to delete: those of sources that no longer exist (a withdrawn edition, a closed
    clinic), and those a rebuilt job no longer makes (an image no longer used, live.js after
    watch). They are ours, and a stale file must not stay published."""
    recorded = {job: entry['files'] for job, entry in plan_.recorded.get('jobs', {}).items()
                if isinstance(entry.get('files'), dict)}
    paths = [path for job in plan_.gone for path in recorded.get(job, {})]
    paths += [f'{job.split(":", 1)[1]}-changes.md' for job in plan_.gone
              if job.startswith('booklet:')]
    paths += [path for job in ran.outputs for path in recorded.get(job, {})]
    return [path for path in dict.fromkeys(paths) if path not in written]


def build(source, out, write_html=False, progress=print, force=False, only=None, live=False,
          verbose=None, formats=None, shard=None, strict=False, reporter=None, booklets=None):
    """Build what changed (see ``build_all``). When every error lies inside some booklets'
    folders, the other booklets are still built, then the errors are raised (exit 1): one
    half-made booklet does not hold back the rest, and its own previous outputs stay."""
    options = dict(write_html=write_html, progress=progress, force=force, only=only, live=live,
                   verbose=verbose, formats=formats, shard=shard, strict=strict,
                   reporter=reporter)
    try:
        return build_all(source, out, booklets=booklets, **options)
    except ContentError as error:
        broken = {broken_booklet(problem.path) for problem in error.problems
                  if problem.severity == 'error'}
        known = open_root(source).booklet_slugs(Problems())
        others = [slug for slug in (booklets or known) if slug not in broken]
        if None in broken or not others or only:
            raise
        try:
            build_all(source, out, booklets=others, **options)
        except ContentError:
            pass  # the first errors are the ones to fix; these follow from them or repeat them
        progress(f'not built, for the errors below: '
                 f'{", ".join(f"booklet/{slug}" for slug in sorted(broken))} (their previous '
                 'outputs are unchanged)')
        raise


def broken_booklet(path):
    """The slug of the booklet whose folder holds ``path``, or None for any other file."""
    parts = str(path).split('/')
    return parts[1] if len(parts) > 2 and parts[0] == 'booklet' else None


def build_all(source, out, write_html=False, progress=print, force=False, only=None,
              live=False, verbose=None, formats=None, shard=None, strict=False, reporter=None,
              booklets=None):
    """Build what changed into ``out``; nothing is written unless everything succeeds.

    ``only`` limits the build to some job ids (``{'web'}`` for a quick preview while
    watching); ``live`` adds the live-reload script to web pages; ``shard`` (k, n) makes only
    the k-th of n shares of the jobs (merge.py joins the shares); ``strict`` makes an overdue
    review an error, as in ``check``; ``reporter`` hears of each job as it finishes
    (progress.py); ``booklets`` (slugs) builds only those booklets' outputs. Returns (outputs,
    warnings, changes)."""
    from .check.governance import build_review_problems
    root = open_root(source)
    files.check_out_folder(out, source)
    # Judged on every build, up to date or not: a review date passes without a source changing.
    reviews = Problems()
    build_review_problems(root, reviews, strict=strict)
    reviews.raise_if_errors()
    options = Options(html=write_html, live=live)
    chosen = registry.names() if formats is None else formats
    if booklets:
        only = set(only or ()) | booklet_jobs(root, chosen, booklets)
    started = time.perf_counter()
    with files.session(out) as temporary:
        plan_ = plan(root, chosen, options, out, force=force, only=only, shard=shard)
        if verbose:
            for job in plan_.jobs:
                if job not in plan_.stale and job.id not in plan_.later:
                    verbose(f'{"cached":<10} {job.id} (inputs unchanged)')
        if not plan_.stale and not plan_.gone and not html_files_differ(plan_, options):
            if plan_.shard and not plan_.recorded:
                # An empty share still leaves an output folder that merge-reports can join.
                files.commit(out, {cache.CACHE_FILE: cache.dump({})})
            progress(f'up to date: nothing changed since the last build into {out}')
            return [], reviews.warnings, {}
        problems = Problems()
        problems.extend(reviews)
        from .progress import Quiet
        reporter = reporter or Quiet()
        reporter.planned(plan_.stale)
        try:
            ran = run(plan_, root, options, temporary, problems, reporter, booklets)
        finally:
            reporter.close()
        problems.raise_if_errors()
        verify(plan_, ran, problems)
        changes = commit(plan_, ran, options, out, problems)
    outputs = [output for job in plan_.jobs for output in ran.outputs.get(job.id, [])]
    # Said once the files are in place: a build that fails writes nothing, so says nothing.
    for line in progress_lines(outputs, out):
        progress(line)
    from .progress import summary
    rebuilt = {job.source for job in plan_.stale if job.source}
    reports = [str(Path(out, f'{booklet.slug}-changes.md')) for booklet in ran.content.booklets
               if booklet.slug in rebuilt and plan_.shard is None]
    kept = sum(job not in plan_.stale and job.id in plan_.recorded.get('jobs', {})
               for job in plan_.jobs)
    for line in summary(outputs, kept, out, problems.warnings, reports,
                        time.perf_counter() - started):
        progress(line)
    return outputs, problems.warnings, changes


def booklet_jobs(root, chosen, slugs):
    """The job ids that make the booklets ``slugs`` (``--booklet``): a usage error naming the
    closest booklet for a slug that does not exist."""
    from .errors import did_you_mean
    known = root.booklet_slugs(Problems())
    for slug in slugs:
        if slug not in known:
            raise UsageError(f"--booklet {slug}: no booklet/{slug} in {root.path}"
                             + did_you_mean(slug, known))
    jobs = {job for target in registry.TARGETS if target.name in with_needs(set(chosen))
            for job in target.plan(known, ())}
    return {job.id for job in jobs if job.source in slugs}


def progress_lines(outputs, out):
    """One line per output; a clinic run is summed up in one line rather than thousands, and
    the web edition in one."""
    runs, pages = {}, 0
    for output in outputs:
        if output.kind.startswith('web'):
            pages += output.kind == 'web'
        elif output.clinic is None:
            yield (f'{output.kind:<10} {Path(out, output.path)}  {output.pages} pages  '
                   f'{output.seconds:.1f} s')
        else:
            runs.setdefault(output.card, []).append(output)
    for card, clinics in runs.items():
        yield (f'{"clinics":<10} {Path(out, "cards", card)}/  {len(clinics) // 2} clinics, '
               f'{len(clinics)} files  {clinics[0].seconds:.1f} s')
    if pages:
        yield f'{"web":<10} {Path(out, "web")}/  {pages} pages'
