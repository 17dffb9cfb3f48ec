"""Finish the commercial printer's file: crop marks outside the bleed, room for them on the
media, and no RGB left (anything WeasyPrint wrote in RGB is converted to CMYK)."""

import io
import re

import pikepdf
from pikepdf import Array, Name, Operator

MM = 72 / 25.4
MARK_GAP, MARK_LENGTH, SLUG_MM = 2, 5, 12  # marks start 2 mm outside the bleed


def cmyk(red, green, blue):
    """A plain RGB -> CMYK conversion (black generation from the darkest channel)."""
    black = 1 - max(red, green, blue)
    if black >= 1:
        return 0.0, 0.0, 0.0, 1.0
    return tuple(round((1 - channel - black) / (1 - black), 4)
                 for channel in (red, green, blue)) + (round(black, 4),)


def convert_stream(owner):
    """Rewrite ``rg``/``RG`` (RGB fill/stroke) as ``k``/``K`` in one content stream."""
    instructions = pikepdf.parse_content_stream(owner)
    changed = False
    rewritten = []
    for operands, operator in instructions:
        name = str(operator)
        if name in ('rg', 'RG') and len(operands) == 3:
            values = cmyk(*(float(value) for value in operands))
            rewritten.append((list(values), Operator('k' if name == 'rg' else 'K')))
            changed = True
        else:
            rewritten.append((operands, operator))
    return pikepdf.unparse_content_stream(rewritten) if changed else None


def crop_marks(trim, bleed):
    """Marks at the four corners of the trim box, all of them outside the bleed box."""
    x0, y0, x1, y1 = trim
    outside = (bleed[2] - trim[2]) + MARK_GAP * MM
    length = MARK_LENGTH * MM
    lines = []
    for x, dx in ((x0, -1), (x1, 1)):
        for y, dy in ((y0, -1), (y1, 1)):
            lines.append((x + dx * outside, y, x + dx * (outside + length), y))
            lines.append((x, y + dy * outside, x, y + dy * (outside + length)))
    path = ''.join(f'{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l S\n' for a, b, c, d in lines)
    # Registration colour: the marks print on every plate.
    return f'q 0.25 w 1 1 1 1 K\n{path}Q\n'


def press_ready(data, identifier):
    """The booklet's print file: CMYK only, room on the media for marks outside the bleed."""
    pdf = pikepdf.open(io.BytesIO(data))
    for page in pdf.pages:
        page.contents_coalesce()
    convert_colours(pdf)
    without_annotations(pdf)
    for page in pdf.pages:
        trim = [float(value) for value in page.obj.TrimBox]
        bleed = [float(value) for value in page.obj.BleedBox]
        slug = SLUG_MM * MM
        page.obj.MediaBox = Array([round(bleed[0] - slug, 3), round(bleed[1] - slug, 3),
                                   round(bleed[2] + slug, 3), round(bleed[3] + slug, 3)])
        page.obj.Contents = pdf.make_stream(
            b'q\n' + page.obj.Contents.read_bytes() + b'\nQ\n' + crop_marks(trim, bleed).encode())
    return finish(pdf, identifier)


def without_annotations(pdf):
    """A print file carries no annotations: its links would sit in the bleed and inside the
    trim, and press preflights flag them (PDF/X-4 allows only a few kinds, none useful on
    paper). The links stay in the PDF for reading on screen."""
    for page in pdf.pages:
        if '/Annots' in page.obj:
            del page.obj['/Annots']
    if '/AcroForm' in pdf.Root:
        del pdf.Root['/AcroForm']


def convert_colours(pdf):
    """Every page and form XObject of ``pdf`` with its RGB colour operators made CMYK."""
    for page in pdf.pages:
        page.contents_coalesce()
        new = convert_stream(page.obj)
        if new is not None:
            page.obj.Contents = pdf.make_stream(new)
    for xobject in forms(pdf):
        new = convert_stream(xobject)
        if new is not None:
            xobject.write(new)


def finish(pdf, identifier):
    fix_document_id(pdf, identifier)
    buffer = io.BytesIO()
    pdf.save(buffer, deterministic_id=True, compress_streams=True)
    return buffer.getvalue()


def fix_document_id(pdf, identifier):
    """WeasyPrint writes a random XMP DocumentID for PDF/X; derive it from the content."""
    metadata = pdf.Root.Metadata.read_bytes().decode('utf-8')
    derived = identifier.decode()[:32]
    derived = '-'.join((derived[:8], derived[8:12], derived[12:16], derived[16:20], derived[20:]))
    metadata = re.sub(r'(<xmpMM:(?:DocumentID|InstanceID)>(?:xmp\.did:|xmp\.iid:|uuid:)?)'
                      r'[0-9a-fA-F-]+', lambda match: match.group(1) + derived, metadata)
    pdf.Root.Metadata = pdf.make_stream(metadata.encode('utf-8'))
    pdf.Root.Metadata.Type = Name.Metadata
    pdf.Root.Metadata.Subtype = Name.XML


def cmyk_only(data, identifier):
    """A PDF/X file from WeasyPrint with any RGB turned CMYK and its XMP ids derived from the
    content (the card faces that printers' sheets are made of)."""
    pdf = pikepdf.open(io.BytesIO(data))
    convert_colours(pdf)
    return finish(pdf, identifier)


def forms(pdf):
    """Every form XObject in the file."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get('/Subtype') == Name.Form:
            yield obj
