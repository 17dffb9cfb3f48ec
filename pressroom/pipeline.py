"""The whole build as a chain of stages: read the content root, render, write the outputs."""

import os
from pathlib import Path

from .errors import ContentError, Problem, Problems, UsageError
from .read.files import ContentRoot
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
    problems.raise_if_errors()
    return root, booklets, problems


def check(source):
    """Validate without rendering; returns the warnings, raises ``ContentError`` on errors."""
    _, _, problems = read_content(source)
    return problems.warnings


def build(source, out, write_html=False, progress=print):
    """Build every output into ``out``; nothing is written unless everything succeeds."""
    root = open_root(source)
    problems = Problems()
    slugs = root.booklet_slugs(problems)
    # Workers start importing WeasyPrint now, while this process reads the sources.
    with workers.Pool(len(slugs)) as pool:
        from .read.booklet import read_booklet
        from .render.booklet import booklet_html
        from .render.styles import Styles
        from .report import build_report
        booklets = [read_booklet(root, slug, problems) for slug in slugs]
        problems.raise_if_errors()
        files.check_writable(out)
        styles = Styles(root)
        outputs = []
        for output, found in pool.map(workers.booklet_pdf,
                                      [(booklet, root, styles, booklet_html(booklet, styles))
                                       for booklet in booklets]):
            problems.extend(found)
            if output is not None:
                outputs.append(output)
                progress(f'{output.kind:<8} {Path(out, output.path)}  {output.pages} pages  '
                         f'{output.seconds:.1f} s')
    problems.raise_if_errors()
    written = {output.path: output.data for output in outputs}
    if write_html:
        # The HTML with exactly the Notes pages the PDF kept: the same pages, laid out alone.
        for booklet, output in zip(booklets, outputs):
            html = booklet_html(booklet, styles, notes=output.notes)
            written[str(Path(output.path).with_suffix('.html'))] = html.encode('utf-8')
    written['build-report.json'] = build_report(outputs, problems.warnings)
    files.commit(out, written)
    return outputs, problems.warnings
