"""Impose card faces on A4 sheets (crop marks outside the cards, backs mirrored for long-edge
duplex) and write personalised cards by drawing each clinic's values over a shared face."""

import io
import math
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

MM = 72 / 25.4
A4 = (210, 297)
MARK_GAP, MARK_LENGTH = 2, 5  # crop marks start 2 mm outside the cards and are 5 mm long
BLEED = 3  # mm around the block of cards on the printer's sheet


def grid(width_mm, height_mm, bleed=0):
    """Columns, rows and the bottom-left corner (mm) of a butted block of cards centred on A4,
    leaving room for crop marks (and a bleed) around it."""
    margin = bleed + MARK_GAP + MARK_LENGTH + 1
    columns = math.floor((A4[0] - 2 * margin) / width_mm)
    rows = math.floor((A4[1] - 2 * margin) / height_mm)
    left = (A4[0] - columns * width_mm) / 2
    bottom = (A4[1] - rows * height_mm) / 2
    return columns, rows, left, bottom


def crop_marks(width_mm, height_mm, bleed=0):
    """Marks on every cut line, outside the block of cards and outside its bleed."""
    columns, rows, left, bottom = grid(width_mm, height_mm, bleed)
    right, top = left + columns * width_mm, bottom + rows * height_mm
    gap = bleed + MARK_GAP
    lines = []
    for column in range(columns + 1):
        x = left + column * width_mm
        lines += [(x, top + gap, x, top + gap + MARK_LENGTH),
                  (x, bottom - gap, x, bottom - gap - MARK_LENGTH)]
    for row in range(rows + 1):
        y = bottom + row * height_mm
        lines += [(left - gap, y, left - gap - MARK_LENGTH, y),
                  (right + gap, y, right + gap + MARK_LENGTH, y)]
    operators = ''.join(f'{x1 * MM:.3f} {y1 * MM:.3f} m {x2 * MM:.3f} {y2 * MM:.3f} l S\n'
                        for x1, y1, x2, y2 in lines)
    # Registration colour on a print file (every plate), plain black otherwise.
    colour = '1 1 1 1 K' if bleed else '0 G'
    return f'q 0.25 w {colour}\n{operators}Q\n'


def placements(width_mm, height_mm, mirrored, bleed=0):
    """The bottom-left corner (pt) of every card on a sheet, in reading order. On the back
    sheet columns are mirrored, so each back lands behind its front (duplex, long edge)."""
    columns, rows, left, bottom = grid(width_mm, height_mm, bleed)
    for row in range(rows):
        for column in range(columns):
            placed = columns - 1 - column if mirrored else column
            yield ((left + placed * width_mm) * MM,
                   (bottom + (rows - 1 - row) * height_mm) * MM)


def cards_per_sheet(width_mm, height_mm):
    columns, rows, _, _ = grid(width_mm, height_mm)
    return columns * rows


@dataclass(frozen=True)
class Faces:
    """Where a card's front and back are: (number of the faces PDF, page index) each."""

    front: tuple = (0, 0)
    back: tuple = (0, 1)


FIRST = Faces()


class Imposer:
    """Holds card faces (pages of one or more PDFs, used as form XObjects) and the fonts that
    clinics' overlays draw with, and writes cards and sheets from them."""

    def __init__(self, faces_pdf, width_mm, height_mm, fonts=(), bleed=0):
        """``faces_pdf``: front and back as pages 0 and 1 (more PDFs: ``add``); ``fonts``:
        (resource name, function making the font's objects in a PDF). ``bleed`` (mm) makes a
        printer's sheet: trim and bleed boxes around the block of cards, marks outside the
        bleed, and the faces' output intent and metadata (PDF/X)."""
        self.width_mm, self.height_mm = width_mm, height_mm
        self.bleed = bleed
        self.fonts = list(fonts)
        self.sources = [faces_pdf]
        self._opened = {}
        self._templates = {}

    def add(self, faces_pdf):
        """Another PDF of faces; returns its number for :class:`Faces`."""
        self.sources.append(faces_pdf)
        return len(self.sources) - 1

    def _source(self, number):
        if number not in self._opened:
            self._opened[number] = pikepdf.open(io.BytesIO(self.sources[number]))
        return self._opened[number]

    def _new(self, kind, faces):
        """A PDF holding ``faces`` ({resource name: (source, page)}) as form XObjects, the
        fonts, and the page size and boxes of ``kind``; returns (pdf, resources, boxes)."""
        pdf = pikepdf.new()
        xobjects = Dictionary({f'/{name}': pdf.copy_foreign(
            self._source(source).pages[page].as_form_xobject())
            for name, (source, page) in faces.items()})
        fonts = Dictionary({f'/{name}': make(pdf) for name, make in self.fonts})
        resources = pdf.make_indirect(Dictionary(XObject=xobjects, Font=fonts))
        size = (A4 if kind == 'sheet' else (self.width_mm, self.height_mm))
        box = Array([0, 0, round(size[0] * MM, 3), round(size[1] * MM, 3)])
        trim = bleed_box = box
        if kind == 'sheet' and self.bleed:
            columns, rows, left, bottom = grid(self.width_mm, self.height_mm, self.bleed)
            block = (left, bottom, left + columns * self.width_mm,
                     bottom + rows * self.height_mm)
            trim = Array([round(value * MM, 3) for value in block])
            bleed_box = Array([round((value + sign * self.bleed) * MM, 3)
                               for value, sign in zip(block, (-1, -1, 1, 1))])
            source = self._source(0)
            if '/OutputIntents' in source.Root:
                pdf.Root.OutputIntents = pdf.copy_foreign(
                    source.make_indirect(source.Root.OutputIntents))
            if '/Metadata' in source.Root:
                pdf.Root.Metadata = pdf.copy_foreign(source.Root.Metadata)
        return pdf, resources, (box, trim, bleed_box)

    def _template(self, kind, faces):
        """Bytes of a PDF with the two faces and two empty pages of the right size."""
        key = (kind, faces)
        if key not in self._templates:
            pdf, resources, (box, trim, bleed_box) = self._new(
                kind, {'Front': faces.front, 'Back': faces.back})
            for _ in range(2):
                pdf.pages.append(pikepdf.Page(Dictionary(
                    Type=Name.Page, MediaBox=box, TrimBox=trim, BleedBox=bleed_box,
                    Resources=resources)))
            self._templates[key] = self._save(pdf)
        return self._templates[key]

    @staticmethod
    def face_operators(name, overlay=''):
        return f'/{name} Do\n{overlay}'

    def card(self, overlays=('', ''), faces=None, title=''):
        """Two card-size pages: front and back, each face with its overlay operators."""
        pdf = pikepdf.open(io.BytesIO(self._template('card', faces or FIRST)))
        for page, side, overlay in zip(pdf.pages, ('Front', 'Back'), overlays):
            page.obj.Contents = pdf.make_stream(self.face_operators(side, overlay).encode())
        return self._save(pdf, title)

    def sheet_contents(self, names=('Front', 'Back')):
        """The operators of a front and a back sheet placing the XObjects ``names``."""
        marks = crop_marks(self.width_mm, self.height_mm, self.bleed)
        contents = []
        for name, mirrored in ((names[0], False), (names[1], True)):
            cards = ''.join(f'q 1 0 0 1 {x:.3f} {y:.3f} cm /{name} Do Q\n'
                            for x, y in placements(self.width_mm, self.height_mm, mirrored,
                                                   self.bleed))
            contents.append((cards + marks).encode())
        return contents

    def _personal(self, pdf, resources, names, overlays):
        """Per side, a form XObject drawing the face with its overlay (once, however many
        times the sheet places it); a face without an overlay is used as it is."""
        forms = []
        box = Array([0, 0, round(self.width_mm * MM, 3), round(self.height_mm * MM, 3)])
        for name, overlay in zip(names, overlays):
            if not overlay:
                forms.append(resources.XObject[f'/{name}'])
                continue
            forms.append(pdf.make_stream(self.face_operators(name, overlay).encode(),
                                         Type=Name.XObject, Subtype=Name.Form, BBox=box,
                                         Resources=resources))
        return forms

    def _sheet_pages(self, pdf, resources, boxes, names, overlays):
        forms = self._personal(pdf, resources, names, overlays)
        box, trim, bleed_box = boxes
        for form, contents in zip(forms, self.sheet_contents(('Card', 'Card'))):
            pdf.pages.append(pikepdf.Page(Dictionary(
                Type=Name.Page, MediaBox=box, TrimBox=trim, BleedBox=bleed_box,
                Resources=Dictionary(XObject=Dictionary(Card=form)),
                Contents=pdf.make_stream(contents))))

    def sheet(self, overlays=('', ''), faces=None, title=''):
        """An A4 front sheet and its mirrored back sheet."""
        pdf = pikepdf.open(io.BytesIO(self._template('sheet', faces or FIRST)))
        first = pdf.pages[0].obj
        boxes = (first.MediaBox, first.TrimBox, first.BleedBox)
        resources = first.Resources
        del pdf.pages[:]
        self._sheet_pages(pdf, resources, boxes, ('Front', 'Back'), overlays)
        return self._save(pdf, title)

    def sheets(self, runs, title=''):
        """Every clinic's two sheets, in order, in one PDF (for a print shop); ``runs``:
        (Faces, overlays) per clinic."""
        used = {}
        for faces, _ in runs:
            for where in (faces.front, faces.back):
                used.setdefault(where, f'F{where[0]}p{where[1]}')
        pdf, resources, (box, _, _) = self._new('sheet', {name: where
                                                          for where, name in used.items()})
        for faces, overlays in runs:
            self._sheet_pages(pdf, resources, (box, box, box),
                              (used[faces.front], used[faces.back]), overlays)
        return self._save(pdf, title)

    def _save(self, pdf, title=''):
        """The bytes of ``pdf``, with its Info ``/Title`` (and ``/Trapped`` on a printer's
        sheet, which PDF/X asks for)."""
        if title:
            pdf.docinfo[Name.Title] = pikepdf.String(title)
        if self.bleed:
            pdf.docinfo[Name.Trapped] = Name('/False')
        buffer = io.BytesIO()
        # Fixed /ID and no dates: the same inputs give the same bytes.
        pdf.save(buffer, compress_streams=True, deterministic_id=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buffer.getvalue()
