"""``build-report.json``: every output with its checksum, every anchor and verified reference,
each booklet's sections (for the change report), and the warnings."""

import json


# Outputs whose kind can write an extra file (--html) from their report entry alone.
EXTRA_KINDS = ('booklet', 'booklet-print', 'booklet-large-print')


def entry(output):
    record = {'path': output.path, 'kind': output.kind, 'booklet': output.booklet,
              'pages': output.pages, 'sha256': output.sha256}
    if output.kind in EXTRA_KINDS:
        record.update(notes=output.notes, compact=output.compact)
    if output.card:
        record.update(card=output.card, qr=output.qr)
        if output.clinic:
            record['clinic'] = output.clinic
    return record


def job_fragment(outputs, extra_files=()):
    """What one cache job contributes to the report, and the files it wrote."""
    return {
        'outputs': [entry(output) for output in outputs if output.kind != 'web-asset'],
        'anchors': [anchor for output in outputs for anchor in output.anchors],
        'references': [reference for output in outputs for reference in output.references],
        'files': sorted([output.path for output in outputs] + list(extra_files)),
    }


def build_report(fragments, warnings, sections, booklets):
    """The report from each job's fragment, in the registry's order."""
    return assemble(fragments, [warning.format() for warning in warnings],
                    summaries(booklets, sections))


def summaries(booklets, sections):
    """What the report and the change report say of each booklet, by slug."""
    return {booklet.slug: {
        'title': booklet.meta.title, 'code': booklet.meta.code, 'edition': booklet.meta.edition,
        'last_reviewed': booklet.meta.last_reviewed.isoformat(),
        'next_review': booklet.meta.next_review.isoformat(),
        'sections': sections[booklet.slug]} for booklet in booklets}


def assemble(fragments, warnings, booklets):
    """The report's shape, shared by a build and by merging shards' outputs. Warnings are
    sorted and listed once, so any split of the jobs gives the same report."""
    return {
        'outputs': [item for fragment in fragments for item in fragment['outputs']],
        'anchors': [item for fragment in fragments for item in fragment['anchors']],
        'references': [item for fragment in fragments for item in fragment['references']],
        'booklets': booklets,
        'warnings': sorted(set(warnings)),
    }


def report_bytes(report):
    """The report as written: keys sorted, so that it is the same however it was assembled
    (one build, or shards merged from their caches)."""
    return (json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + '\n').encode()
