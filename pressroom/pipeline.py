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
    cards = read_cards(root, problems)
    check_card_links(booklets, cards, problems)
    problems.raise_if_errors()
    from .render.styles import Styles
    from .targets.web import web_outputs
    web_outputs(root, booklets, cards, Styles(root), problems)
    problems.raise_if_errors()
    return root, booklets, problems


def read_cards(root, problems):
    from .read.card import read_card
    return [card for card in (read_card(root, slug, problems)
                              for slug in root.card_slugs(problems)) if card]


def check_card_links(booklets, cards, problems):
    """A booklet's ``card:`` must name a card that exists."""
    slugs = {card.slug for card in cards}
    for booklet in booklets:
        if booklet and booklet.meta.card and booklet.meta.card not in slugs:
            problems.error(booklet.meta.path, 0, f"card '{booklet.meta.card}' not found: "
                                                 f"no folder cards/{booklet.meta.card}")


def check(source):
    """Validate without rendering; returns the warnings, raises ``ContentError`` on errors."""
    _, _, problems = read_content(source)
    return problems.warnings


def progress_lines(outputs, out):
    """One line per output; a clinic run is summed up in one line rather than thousands."""
    single = [output for output in outputs if output.clinic is None]
    for output in single:
        yield (f'{output.kind:<10} {Path(out, output.path)}  {output.pages} pages  '
               f'{output.seconds:.1f} s')
    clinics = [output for output in outputs if output.clinic is not None]
    if clinics:
        yield (f'{"clinics":<10} {Path(out, "cards", clinics[0].card)}/  '
               f'{len(clinics) // 2} clinics, {len(clinics)} files  {clinics[0].seconds:.1f} s')


def build(source, out, write_html=False, progress=print):
    """Build every output into ``out``; nothing is written unless everything succeeds."""
    root = open_root(source)
    problems = Problems()
    slugs = root.booklet_slugs(problems)
    card_slugs = root.card_slugs(problems)
    # Workers start importing WeasyPrint now, while this process reads the sources.
    with workers.Pool(len(slugs) + len(card_slugs)) as pool:
        from .read.booklet import read_booklet
        from .render.booklet import booklet_html
        from .render.styles import Styles
        from .report import build_report
        booklets = [read_booklet(root, slug, problems) for slug in slugs]
        cards = read_cards(root, problems)
        check_card_links(booklets, cards, problems)
        problems.raise_if_errors()
        files.check_writable(out)
        styles = Styles(root)
        by_slug = {card.slug: card for card in cards}
        jobs = [('booklet', (booklet, root, styles,
                             booklet_html(booklet, styles, card=by_slug.get(booklet.meta.card))))
                for booklet in booklets]
        jobs += [('card', (card, root, styles)) for card in cards]
        rendering = pool.map_async(workers.run, jobs)
        # The web edition needs no layout: it is made here while the workers render.
        from .targets.web import web_outputs
        web = web_outputs(root, booklets, cards, styles, problems)
        outputs = []
        for produced, found in rendering.get():
            problems.extend(found)
            outputs += produced
            for line in progress_lines(produced, out):
                progress(line)
        outputs += web
        progress(f'{"web":<10} {Path(out, "web")}/  {sum(o.kind == "web" for o in web)} pages')
    problems.raise_if_errors()
    written = {output.path: output.data for output in outputs}
    if write_html:
        # The HTML with exactly the Notes pages the PDF kept: the same pages, laid out alone.
        for booklet, output in zip(booklets, [o for o in outputs if o.kind == 'booklet']):
            html = booklet_html(booklet, styles, notes=output.notes,
                                card=by_slug.get(booklet.meta.card))
            written[str(Path(output.path).with_suffix('.html'))] = html.encode('utf-8')
    written['build-report.json'] = build_report(outputs, problems.warnings)
    files.commit(out, written)
    return outputs, problems.warnings
