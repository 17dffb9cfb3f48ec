"""``merge-reports``: join the output folders of ``build --shard K/N`` runs (one per machine of
a CI matrix) into one output folder, the same file for file as a single build would make."""

import hashlib
from pathlib import Path

from . import cache
from .changes import changes_markdown, compare
from .errors import ContentError, Problem, UsageError
from .report import assemble, report_bytes
from .targets import files, registry


def order(job):
    """Where a job's part goes in the report: the registry's order, then its source, as a
    single build plans them."""
    name, _, source = job.partition(':')
    names = registry.names()
    return (names.index(name) if name in names else len(names), name, source)


def merge(folders, out, progress=print):
    """Copy every shard's outputs into ``out`` (each checked against the digest its shard
    recorded) and write one report, one change report per booklet and one cache."""
    folders = [Path(folder) for folder in folders]
    for folder in folders:
        if not (folder / cache.CACHE_FILE).is_file():
            raise UsageError(f'{folder}: not the output folder of a build (no {cache.CACHE_FILE})')
    problems, entries, owners, written = [], {}, {}, {}
    booklets, warnings = {}, []
    for folder in folders:
        for job, entry in cache.load(folder).get('jobs', {}).items():
            if job in entries and entries[job] != entry:
                problems.append(Problem(str(folder), 0, f"{job} was also built, differently, "
                                                        f'into {owners[job]}'))
                continue
            entries[job], owners[job] = entry, folder
            for path, digest in entry.get('files', {}).items():
                # A shard's folder is read like untrusted content: only paths inside it, no
                # links (file_digest does not follow them).
                inside = files.target_of(folder, path)
                data = cache.regular_bytes(inside) if inside else None
                if data is None or hashlib.sha256(data).hexdigest() != digest:
                    problems.append(Problem(str(folder / path), 0, 'missing or changed since its '
                                                                   'shard built it'))
                written[path] = data
        report = files.read_json(folder / 'build-report.json')
        booklets.update(report.get('booklets', {}))
        warnings += report.get('warnings', [])
    if problems:
        raise ContentError(problems)
    files.check_out_folder(out, None)
    with files.session(out):
        jobs = sorted(entries, key=order)
        report = assemble([entries[job]['report'] for job in jobs], warnings,
                          {slug: booklets[slug] for slug in sorted(booklets)})
        old = files.read_json(Path(out) / 'build-report.json')
        report['changes'] = {slug: compare(old, report, slug) for slug in report['booklets']}
        for slug, summary in report['booklets'].items():
            written[f'{slug}-changes.md'] = changes_markdown(
                summary, report['changes'][slug]).encode('utf-8')
        written['build-report.json'] = report_bytes(report)
        written[cache.CACHE_FILE] = cache.dump(entries)
        files.commit(out, written, last=(cache.CACHE_FILE,))
    progress(f'merged {len(folders)} output folders ({len(jobs)} jobs) into {out}')
    return report

