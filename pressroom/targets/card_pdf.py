"""Alert cards: the generic card and its sheet, then every clinic's card and sheet.

WeasyPrint lays out each face once (generic, and a template face holding each field's widest
value, hidden); clinics' values are then drawn over the shared faces (variable-data printing),
so a run of a thousand clinics costs one layout, not a thousand.
"""

import hashlib

from fontTools.ttLib import TTFont

from ..render.styles import PROJECT_STYLES
from .card_layout import face_overflow_mm, faces_by_page, field_slots
from .glyphs import check_card_glyphs
from .output import Output
from .pdf_text import SubsetFont, show_text
from .sandbox import SandboxFetcher
from .sheets import BLEED, Imposer
from .weasy import render, source_date, write_pdf

PX_PER_MM = 96 / 25.4


def face_fonts(font_files):
    """(regular, bold) upright font files among those the stylesheets load."""
    regular = bold = None
    for path in font_files:
        font = TTFont(path, lazy=True)
        italic = font['OS/2'].fsSelection & 1
        if italic:
            continue
        if font['OS/2'].usWeightClass >= 600:
            bold = bold or path
        else:
            regular = regular or path
    return regular, bold or regular


def widest(card, font):
    """For each field, the clinic whose value is widest (it decides whether every card fits)."""
    result = {}
    for field in card.fields:
        result[field] = max(card.clinics, key=lambda clinic: font.width(clinic.value(field), 10))
    return result


def build_card(card, root, styles, problems, html_for):
    """Every output of ``card``; ``html_for(variants, press=False)`` renders faces to HTML."""
    before = len(problems.errors)
    font_files = styles.font_files()
    regular_file, bold_file = face_fonts(font_files)
    values_text = ''.join(value for clinic in card.clinics for _, value in clinic.values)
    fonts = {'FR': SubsetFont(regular_file, values_text, 'PRSRMR+Atkinson-Hyperlegible'),
             'FB': SubsetFont(bold_file, values_text, 'PRSRMB+Atkinson-Hyperlegible-Bold')}
    variants = [(None, False)]
    chosen = {}
    if card.clinics:
        chosen = widest(card, fonts['FB'])
        variants.append(({field: clinic.value(field) for field, clinic in chosen.items()}, True))
    html = html_for(variants)
    fetcher = SandboxFetcher([root.path, PROJECT_STYLES, *styles.paths])
    sources = {face.path: face.source for face in (card.front, card.back)}
    document = render(html, root.path / card.folder, fetcher, sources, problems,
                      where=card.folder)
    if len(problems.errors) > before:
        return []
    groups = faces_by_page(document.pages)
    check_fit(card, groups, chosen, problems)
    check_card_glyphs(card, font_files, (regular_file, bold_file), problems)
    if len(problems.errors) > before:
        return []

    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    with source_date_of(card):
        generic = write_pdf(document.copy(document.pages[:2]), fetcher, sources, problems,
                            pdf_identifier=identifier)
        template = (write_pdf(document.copy(document.pages[2:4]), fetcher, sources, problems,
                              pdf_identifier=identifier) if card.clinics else None)
    if generic is None or (card.clinics and template is None):
        return []

    common = {'booklet': None, 'card': card.slug, 'qr': card.url}
    outputs = [
        Output(path=f'cards/{card.slug}.pdf', kind='card', data=generic, pages=2, **common),
        Output(path=f'cards/{card.slug}-sheet.pdf', kind='card-sheet', pages=2,
               data=Imposer(generic, card.width_mm, card.height_mm).sheet(), **common)]
    press = print_sheet(card, root, styles, problems, html_for, fetcher, sources, identifier)
    if press is None:
        return []
    outputs.append(Output(path=f'cards/{card.slug}-sheet-print.pdf', kind='card-sheet-print',
                          pages=2, data=press, **common))
    if card.clinics:
        outputs += clinic_outputs(card, template, document.pages[2:4], fonts, common)
    return outputs


def print_sheet(card, root, styles, problems, html_for, fetcher, sources, identifier):
    """The printer's sheet: generic faces in CMYK (PDF/X-4), 3 mm bleed, marks outside it."""
    html = html_for([(None, False)], press=True)
    document = render(html, root.path / card.folder, fetcher, sources, problems,
                      where=card.folder)
    with source_date_of(card):
        faces = write_pdf(document, fetcher, sources, problems, where=card.folder,
                          pdf_identifier=identifier, pdf_variant='pdf/x-4')
    if faces is None:
        return None
    from .press import cmyk_only
    return Imposer(cmyk_only(faces, identifier), card.width_mm, card.height_mm,
                   bleed=BLEED).sheet()


def source_date_of(card):
    from datetime import date
    return source_date(card.reviewed[0] if card.reviewed else date(2000, 1, 1))


def check_fit(card, groups, chosen, problems):
    """Errors for faces that overflow: at the face's file, or at the CSV line of the value
    that made a clinic's face overflow."""
    names = ('front', 'back')
    generic = [face_overflow_mm(group) for group in groups[:2]]
    for excess, face in zip(generic, (card.front, card.back)):
        if excess:
            problems.error(face.path, 0, f'text overflows the {card.size_label} face by '
                                         f'{excess:g} mm')
    for index, group in enumerate(groups[2:4]):
        excess = face_overflow_mm(group)
        face = (card.front, card.back)[index]
        if excess and not generic[index]:
            for field in face.fields:
                clinic = chosen[field]
                problems.error(f'{card.folder}/clinics.csv', clinic.line,
                               f"the {field} '{clinic.value(field)}' makes the {names[index]} "
                               f'face overflow the {card.size_label} card by {excess:g} mm')


def clinic_outputs(card, template, template_pages, fonts, common):
    height_pt = card.height_mm * 72 / 25.4
    slots = [field_slots(page, height_pt) for page in template_pages]
    imposer = Imposer(template, card.width_mm, card.height_mm, fonts=fonts.items())
    outputs, overlay_list = [], []
    for clinic in card.clinics:
        overlays = tuple(
            ''.join(show_text('FB' if slot.bold else 'FR', fonts['FB' if slot.bold else 'FR'],
                              clinic.value(slot.field), slot.x, slot.baseline, slot.font_size,
                              slot.color) for slot in face_slots)
            for face_slots in slots)
        overlay_list.append(overlays)
        extra = {**common, 'clinic': clinic.id}
        outputs.append(Output(path=f'cards/{card.slug}/{clinic.id}.pdf', kind='card', pages=2,
                              data=imposer.card(overlays), **extra))
        outputs.append(Output(path=f'cards/{card.slug}/{clinic.id}-sheet.pdf', kind='card-sheet',
                              pages=2, data=imposer.sheet(overlays), **extra))
    outputs.append(Output(path=f'cards/{card.slug}-clinics.pdf', kind='card-sheet',
                          pages=2 * len(card.clinics), data=imposer.sheets(overlay_list),
                          **common))
    return outputs
