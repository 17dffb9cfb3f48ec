"""Alert cards: the generic card and its sheets, then every clinic's card and sheet.

Each clinic's card is laid out as if its values were typed into the faces. Only the blocks
that hold fields differ between clinics, so (card_measure.py) they are laid out for many
clinics in one measuring document; clinics whose blocks come out the same size share one
layout of the rest of the face (a *class*), laid out once with those blocks hidden; each
clinic's blocks are then drawn there glyph for glyph. When a face's blocks are not plain text
in a normal flow, or a class's blocks do not lay out exactly as they measured, the card is
laid out clinic by clinic instead.
"""

import hashlib
import os
from dataclasses import dataclass

from fontTools.ttLib import TTFont

from ..qr import display_url
from ..render.card import HIDE, ONLY, SHOW, TALL
from ..render.styles import PROJECT_STYLES
from .card_blame import blame_overflows
from .card_glyphs import FontBook, NotDrawable
from .card_layout import PX_TO_MM, face_overflow_mm, face_overflow_parts_mm, face_right, \
    faces_by_page
from .card_measure import MEASURE_CSS, body_width, face_boxes, field_blocks, measure_pages, \
    same_layout
from .forked import share
from .glyphs import check_card_glyphs
from .output import Output, Spooled
from .sandbox import SandboxFetcher
from .sheets import BLEED, Faces, Imposer
from .weasy import render, source_date, write_pdf

CHUNK = 150  # clinics per measuring document (its boxes are freed before the next)


@dataclass
class Laid:
    """One face of one class: where its blocks stand and how far it overflows down."""

    page: object            # the WeasyPrint page (first of its group)
    down: float             # mm the face overflows down (its blocks' sizes decide it)
    spans: int              # pages the face took (more than one: it overflowed)
    places: dict            # block index -> (x, y) of its border box, CSS px
    right: float            # the face's safe right edge, CSS px


def face_fonts(font_files):
    """(regular, bold) upright font files among those the stylesheets load: a clinic's
    values must print in them (no fallback font on a card)."""
    regular = bold = None
    for path in font_files:
        font = TTFont(path, lazy=True)
        if font['OS/2'].fsSelection & 1:
            continue
        if font['OS/2'].usWeightClass >= 600:
            bold = bold or path
        else:
            regular = regular or path
    return regular, bold or regular


def face_key(blocks):
    return tuple((index, round(block.width, 3), round(block.height, 3))
                 for index, block in sorted(blocks.items()))


class Run:
    """Lays out a card's clinics (see the module's docstring)."""

    def __init__(self, card, root, problems, html_for, fetcher, sources, body_widths):
        self.card, self.root, self.problems = card, root, problems
        self.body_widths = body_widths  # of each face's .card-body, in the generic card
        self.html_for, self.fetcher, self.sources = html_for, fetcher, sources

    def render(self, variants, extra_css='', tall=False, label=None):
        html = self.html_for(variants, extra_css=extra_css, tall=tall, label=label)
        return render(html, self.root.path / self.card.folder, self.fetcher, self.sources,
                      self.problems, where=self.card.folder)

    def excess(self, variants, label=None):
        """Per variant, per face, how far (mm) it overflows its card, down or right: laid out
        on pages long enough to hold the whole face (a face cut by a page break would
        measure wrong)."""
        groups = faces_by_page(self.render(variants, tall=True, label=label).pages)
        return [tuple(face_overflow_parts_mm(group) for group in groups[first:first + 2])
                for first in range(0, len(groups), 2)]

    def measure_css(self, count):
        """A page long enough for ``count`` clinics' faces however far they overflow (values
        are at most MAX_VALUE characters: read/clinics.py)."""
        front, back = self.body_widths
        return MEASURE_CSS % {'width': self.card.width_mm, 'front': front, 'back': back,
                              'height': round(count * 2 * TALL * self.card.height_mm)}

    def measure(self, value_sets, book):
        """Per value set, per face, ``{block index: Block}``, measured on every core; raises
        NotDrawable when a block is more than text."""
        size = max(1, min(CHUNK, -(-len(value_sets) // (os.cpu_count() or 1))))
        chunks = [value_sets[start:start + size] for start in range(0, len(value_sets), size)]
        measured = []
        for result in share(self.measure_chunk, chunks):
            if result[0] == 'slow':
                raise NotDrawable(result[1])
            measured += result[1]
            book.merge(result[2])
        return measured

    def measure_chunk(self, value_sets):
        """('ok', measured, FontBook) or ('slow', why): picklable, for forked processes."""
        book = FontBook()
        try:
            document = self.render([(values, ONLY) for values in value_sets],
                                   self.measure_css(len(value_sets)))
            return 'ok', measure_pages(document.pages, 2, book), book
        except NotDrawable as reason:
            return 'slow', str(reason)

    def lay_out_classes(self, representatives):
        """Lay out whole cards (blocks hidden) for ``representatives`` (value sets); returns
        the document and, per representative, per face, a :class:`Laid`."""
        document = self.render([(values, HIDE) for values in representatives])
        groups = faces_by_page(document.pages)
        laid = []
        for number in range(len(representatives)):
            sides = []
            for group in groups[2 * number:2 * number + 2]:
                blocks = field_blocks(group[0]._page_box)
                sides.append(Laid(group[0], face_overflow_parts_mm(group)[0], len(group),
                                  {index: (box.border_box_x(), box.border_box_y())
                                   for index, box in blocks.items()}, face_right(group[0])))
            laid.append(tuple(sides))
        return document, laid

    def proven(self, representatives, laid):
        """Whether each representative's blocks, measured alone, lay out exactly as in its
        whole card (the condition for drawing measured blocks on shared faces)."""
        measuring = self.render([(values, ONLY) for values in representatives],
                                self.measure_css(len(representatives)))
        alone = [face for page in measuring.pages for face in face_boxes(page._page_box)]
        whole = [side.page for sides in laid for side in sides]
        if len(alone) != len(whole):
            return False
        for face, page in zip(alone, whole):
            measured, laid_out = field_blocks(face), field_blocks(page._page_box)
            if measured.keys() != laid_out.keys():
                return False
            if not all(same_layout(measured[index], laid_out[index]) for index in measured):
                return False
        return True


def lay_out_generic(card, root, styles, problems, html_for):
    """(the generic card's HTML, its laid-out document, a :class:`Run` for the clinics), after
    checking that both faces fit and that the fonts have every character; None on errors."""
    before = len(problems.errors)
    font_files = styles.font_files()
    fetcher = SandboxFetcher([root.path, PROJECT_STYLES, *styles.paths])
    sources = {face.path: face.source for face in (card.front, card.back)}
    html = html_for([(None, SHOW)])
    document = render(html, root.path / card.folder, fetcher, sources, problems,
                      where=card.folder)
    if len(problems.errors) > before:
        return None
    groups = faces_by_page(document.pages)
    run = Run(card, root, problems, html_for, fetcher, sources,
              [body_width(group[0]) for group in groups])
    if any(face_overflow_mm(group) for group in groups):
        excess = [max(parts) for parts in run.excess([(None, SHOW)])[0]]
        if excess[0] and not max(run.excess([(None, SHOW)], label='x')[0][0]):
            excess = (0, excess[1])  # the address under the code is what overflows
            label = card.qr_label or display_url(card.url)
            problems.error(f'{card.folder}/card.yaml', card.label_line,
                           f"the address printed under the QR code ('{label}', {len(label)} "
                           f"characters) does not fit under it: set 'qr_label:' to a shorter "
                           f"address that opens the same page, such as the page's own address "
                           f"without its '#' part")
        for face, over in zip((card.front, card.back), excess):
            if over:
                problems.error(face.path, 0, f'text overflows the {card.size_label} face by '
                                             f'{over:g} mm')
    if len(problems.errors) > before:
        return None
    # A value the font lacks is an error at its row; the run is still laid out, so that every
    # clinic that would not fit is reported in the same build.
    check_card_glyphs(card, font_files, face_fonts(font_files), problems)
    return html, document, run


def check_card(card, root, styles, problems, html_for):
    """Everything ``build`` checks of a card, without writing a file (``check`` runs it)."""
    laid = lay_out_generic(card, root, styles, problems, html_for)
    if laid is not None and card.clinics:
        check_clinics(card, laid[2], problems)


def build_card(card, root, styles, problems, html_for):
    """Every output of ``card``; ``html_for(variants, press=False)`` renders faces to HTML."""
    before = len(problems.errors)
    laid = lay_out_generic(card, root, styles, problems, html_for)
    if laid is None:
        return []
    html, document, run = laid
    if len(problems.errors) > before:
        if card.clinics:
            check_clinics(card, run, problems)
        return []
    fetcher, sources = run.fetcher, run.sources
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    with source_date_of(card):
        generic = write_pdf(document, fetcher, sources, problems, pdf_identifier=identifier)
    if generic is None:
        return []
    common = {'booklet': None, 'card': card.slug, 'qr': card.url}
    outputs = [
        Output(path=f'cards/{card.slug}.pdf', kind='card', data=generic, pages=2, **common),
        Output(path=f'cards/{card.slug}-sheet.pdf', kind='card-sheet', pages=2,
               data=Imposer(generic, card.width_mm, card.height_mm).sheet(
                   title=f'{card.title}: a sheet of cards'), **common)]
    press = print_sheet(card, root, problems, html_for, fetcher, sources, identifier)
    if press is None:
        return []
    outputs.append(Output(path=f'cards/{card.slug}-sheet-print.pdf', kind='card-sheet-print',
                          pages=2, data=press, **common))
    if card.clinics:
        made = clinic_cards(card, run, identifier, problems)
        if len(problems.errors) > before or made is None:
            return []
        outputs += clinic_outputs(card, *made, common)
    return outputs


def values_of(clinic):
    return dict(clinic.values)


@dataclass
class Classes:
    """A run's clinics laid out (see the module's docstring): what each measured, the
    representative of each face's class and its whole-card layout."""

    measured: list     # per clinic, per face, {block index: Block}
    keys: list         # per clinic, per face, the class key
    chosen: dict       # (side, key) -> representative number
    document: object   # the representatives' whole cards, blocks hidden
    laid: list         # per representative, per face, a Laid
    book: FontBook


SLOW = 'slow'  # the blocks cannot be measured apart: lay out clinic by clinic


def classify(card, run, problems):
    """:class:`Classes`, ``SLOW``, or None after reporting every clinic that overflows."""
    book = FontBook()
    value_sets = [values_of(clinic) for clinic in card.clinics]
    try:
        measured = run.measure(value_sets, book)
    except NotDrawable:
        return SLOW
    keys = [tuple(face_key(blocks) for blocks in faces) for faces in measured]
    chosen = {}  # (side, key) -> representative number
    representatives = []
    for number, clinic_keys in enumerate(keys):
        for side, key in enumerate(clinic_keys):
            if (side, key) not in chosen:
                if number not in representatives:
                    representatives.append(number)
                chosen[(side, key)] = representatives.index(number)
    document, laid = run.lay_out_classes([value_sets[n] for n in representatives])
    over = {}
    for number, faces in enumerate(measured):
        for side, blocks in enumerate(faces):
            face = laid[chosen[(side, keys[number][side])]][side]
            # (a block missing from the face's first page was pushed off it: ``down`` says)
            right = max((block.reach - (face.right - face.places[index][0]) for index, block
                         in blocks.items() if index in face.places), default=0) * PX_TO_MM
            right = round(right, 1) if right > 0.05 else 0.0
            if face.down or right:
                over.setdefault(number, {})[side] = max(face.down, right)
    if over:
        blame_overflows(card, run, exact(run, card, over), problems)
        return None
    if not run.proven([value_sets[n] for n in representatives], laid):
        return SLOW
    return Classes(measured, keys, chosen, document, laid, book)


def check_clinics(card, run, problems):
    """The fit check of ``build`` without writing anything (for ``check``)."""
    if classify(card, run, problems) == SLOW:
        one_by_one(card, run, None, problems, write=False)


def clinic_cards(card, run, identifier, problems):
    """(Imposer, [(Faces, overlays)] per clinic), or None after reporting overflows."""
    classes = classify(card, run, problems)
    if classes == SLOW:
        return one_by_one(card, run, identifier, problems)
    if classes is None:
        return None
    measured, keys, chosen, laid, book = (classes.measured, classes.keys, classes.chosen,
                                          classes.laid, classes.book)
    pages, wanted = [], {}
    for number, sides in enumerate(laid):
        for side in range(2):
            if any(chosen[(side, key[side])] == number for key in keys):
                wanted[(number, side)] = len(pages)
                pages.append(sides[side].page)
    with source_date_of(card):
        faces_pdf = write_pdf(classes.document.copy(pages), run.fetcher, run.sources, problems,
                              pdf_identifier=identifier)
    if faces_pdf is None:
        return None
    names = {key: f'C{number}' for number, key in enumerate(sorted(book.data))}
    imposer = Imposer(faces_pdf, card.width_mm, card.height_mm,
                      fonts=[(name, font_maker(book, key)) for key, name in names.items()])
    height_pt = card.height_mm * 72 / 25.4
    runs = []
    for number, faces in enumerate(measured):
        where, overlays = [], []
        for side, blocks in enumerate(faces):
            representative = chosen[(side, keys[number][side])]
            where.append((0, wanted[(representative, side)]))
            places = laid[representative][side].places
            operators = ''.join(text_run.moved(*places[index]).operators(names)
                                for index, block in blocks.items() for text_run in block.runs)
            overlays.append(f'q 0.75 0 0 -0.75 0 {height_pt:.4f} cm\n{operators}Q\n'
                            if operators else '')
        runs.append((Faces(*where), tuple(overlays)))
    return imposer, runs


def font_maker(book, key):
    return lambda pdf: book.objects(pdf, key)


def one_by_one(card, run, identifier, problems, write=True):
    """Every clinic's card laid out on its own, in runs of ``CHUNK`` (the slow, general way);
    ``write=False`` only checks that they fit."""
    imposer, runs, over = None, [], {}
    for start in range(0, len(card.clinics), CHUNK):
        clinics = card.clinics[start:start + CHUNK]
        document = run.render([(values_of(clinic), SHOW) for clinic in clinics])
        groups = faces_by_page(document.pages)
        pages = []
        for offset, clinic in enumerate(clinics):
            sides = groups[2 * offset:2 * offset + 2]
            for side, group in enumerate(sides):
                excess = face_overflow_mm(group)
                if excess:
                    over.setdefault(start + offset, {})[side] = excess
            pages += [group[0] for group in sides]
        if over or not write:
            continue
        with source_date_of(card):
            faces_pdf = write_pdf(document.copy(pages), run.fetcher, run.sources, problems,
                                  pdf_identifier=identifier)
        if faces_pdf is None:
            return None
        if imposer is None:
            imposer, source = Imposer(faces_pdf, card.width_mm, card.height_mm), 0
        else:
            source = imposer.add(faces_pdf)
        runs += [(Faces((source, 2 * offset), (source, 2 * offset + 1)), ('', ''))
                 for offset in range(len(clinics))]
    if over:
        blame_overflows(card, run, exact(run, card, over), problems)
        return None
    return imposer, runs


def exact(run, card, over):
    """``over`` ({clinic number: {side: mm}}) measured again on pages that hold a whole
    face, so that a face that spilled over a page break says by how much exactly."""
    numbers = sorted(over)
    measured = run.excess([(values_of(card.clinics[number]), SHOW) for number in numbers])
    return {number: {side: parts for side, parts in enumerate(sides) if max(parts)}
            for number, sides in zip(numbers, measured) if any(max(parts) for parts in sides)}


def print_sheet(card, root, problems, html_for, fetcher, sources, identifier):
    """The printer's sheet: generic faces in CMYK (PDF/X-4), 3 mm bleed, marks outside it."""
    html = html_for([(None, SHOW)], press=True)
    document = render(html, root.path / card.folder, fetcher, sources, problems,
                      where=card.folder)
    with source_date_of(card):
        faces = write_pdf(document, fetcher, sources, problems, where=card.folder,
                          pdf_identifier=identifier, pdf_variant='pdf/x-4')
    if faces is None:
        return None
    from .press import cmyk_only
    return Imposer(cmyk_only(faces, identifier), card.width_mm, card.height_mm,
                   bleed=BLEED).sheet(title=f"{card.title}: the printer's sheet")


def source_date_of(card):
    from datetime import date
    return source_date(card.reviewed[0] if card.reviewed else date(2000, 1, 1))


def named(clinic):
    """A clinic as its card's title names it: its name, else its id."""
    return dict(clinic.values).get('name') or clinic.id


def clinic_outputs(card, imposer, runs, common):
    """Each clinic's card and sheet, and the print shop's file of every sheet; spooled to
    files as they are made (a run of thousands would not fit in memory)."""
    outputs = []
    for clinic, (faces, overlays) in zip(card.clinics, runs):
        extra = {**common, 'clinic': clinic.id}
        outputs.append(Output(path=f'cards/{card.slug}/{clinic.id}.pdf', kind='card', pages=2,
                              data=b'', spooled=Spooled.write(imposer.card(
                                  overlays, faces, title=f'{card.title}: {named(clinic)}')),
                              **extra))
        outputs.append(Output(path=f'cards/{card.slug}/{clinic.id}-sheet.pdf', kind='card-sheet',
                              pages=2, data=b'',
                              spooled=Spooled.write(imposer.sheet(
                                  overlays, faces, title=f'{card.title}: {named(clinic)}, a '
                                                         'sheet of cards')), **extra))
    outputs.append(Output(path=f'cards/{card.slug}-clinics.pdf', kind='card-sheet',
                          pages=2 * len(card.clinics), data=b'',
                          spooled=Spooled.write(imposer.sheets(
                              runs, title=f"{card.title}: every clinic's sheets")), **common))
    return outputs
