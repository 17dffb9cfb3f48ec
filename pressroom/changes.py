"""The change report an editor sends to a reviewer: what moved since the previous build."""

import hashlib
from collections import Counter

META = (('title', 'Title'), ('edition', 'Edition'), ('code', 'Product code'),
        ('last_reviewed', 'Last reviewed'), ('next_review', 'Next review'))


def booklet_sections(booklet):
    """Every heading's section (its source lines up to the next heading) with a digest of its
    text, from the model: nothing is read back out of HTML."""
    sections = []
    for chapter in booklet.chapters:
        lines = chapter.source.splitlines()
        starts = [heading.line for heading in chapter.headings] + [len(lines) + 1]
        for heading, end in zip(chapter.headings, starts[1:]):
            sections.append({
                'id': heading.id, 'level': heading.level, 'chapter': chapter.path,
                'title': heading.title,
                'digest': digest('\n'.join(lines[heading.line - 1:end - 1])),
            })
    return sections


def digest(text):
    return hashlib.sha256(text.strip().encode()).hexdigest()[:16]


def reference_pages(report, slug):
    """Pages of a booklet's references, keyed by (file, target, n-th such reference in file)."""
    seen, pages = Counter(), {}
    for reference in report.get('references', []):
        if reference['booklet'] != slug or reference.get('variant', 'booklet') != 'booklet':
            continue
        path = reference['source'].rsplit(':', 1)[0]
        seen[(path, reference['target'])] += 1
        pages[(path, reference['target'], seen[(path, reference['target'])])] = reference
    return pages


def booklet_pages(report, slug):
    return next((output['pages'] for output in report.get('outputs', [])
                 if output['kind'] == 'booklet' and output['booklet'] == slug), None)


def compare(old, new, slug):
    before = old.get('booklets', {}).get(slug)
    after = new['booklets'][slug]
    if before is None:
        return {'first_build': True, 'pages': [None, booklet_pages(new, slug)]}
    old_sections = {section['id']: section for section in before['sections']}
    new_sections = {section['id']: section for section in after['sections']}
    old_refs, new_refs = reference_pages(old, slug), reference_pages(new, slug)
    return {
        'first_build': False,
        'added': [new_sections[id] for id in new_sections if id not in old_sections],
        'removed': [old_sections[id] for id in old_sections if id not in new_sections],
        'changed': [new_sections[id] for id in new_sections if id in old_sections
                    and new_sections[id]['digest'] != old_sections[id]['digest']],
        'moved': [{'source': new_refs[key]['source'], 'target': key[1],
                   'from': old_refs[key]['page'], 'to': new_refs[key]['page']}
                  for key in new_refs if key in old_refs
                  and old_refs[key]['page'] != new_refs[key]['page']],
        'pages': [booklet_pages(old, slug), booklet_pages(new, slug)],
        'meta': {key: [before.get(key), after.get(key)] for key, _ in META
                 if before.get(key) != after.get(key)},
    }


def changes_markdown(summary, change):
    """The change report of a booklet; ``summary`` is its entry in the build report."""
    lines = [f'# Changes: {summary["title"]} ({summary["code"]}, {summary["edition"]})', '']
    if change['first_build']:
        lines += ['First build into this folder: there is no earlier build to compare with.',
                  '', f'Pages: {change["pages"][1]}', '']
        return '\n'.join(lines)
    nothing = True
    for key, label in META:
        if key in change['meta']:
            old, new = change['meta'][key]
            lines.append(f'- {label}: {old} → {new}')
            nothing = False
    old_pages, new_pages = change['pages']
    if old_pages != new_pages:
        lines.append(f'- Pages: {old_pages} → {new_pages}')
        nothing = False
    if lines[-1] != '':
        lines.append('')
    for key, heading in (('added', 'Sections added'), ('removed', 'Sections removed'),
                         ('changed', 'Sections changed')):
        if change[key]:
            nothing = False
            lines += [f'## {heading}', '']
            lines += [f'- {"#" * section["level"]} {section["title"]} (`{section["id"]}`, '
                      f'{section["chapter"]})' for section in change[key]]
            lines.append('')
    if change['moved']:
        nothing = False
        lines += ['## References whose page number moved', '']
        lines += [f'- {move["source"]} → `{move["target"]}`: page {move["from"]} → '
                  f'{move["to"]}' for move in change['moved']]
        lines.append('')
    if nothing:
        lines += ['No changes since the previous build.', '']
    return '\n'.join(lines)
