"""Saddle-stitch imposition for an office printer: two A5 pages side by side on each side of an
A4 landscape sheet, in the order that a folded, stapled stack of sheets reads correctly."""

import io

import pikepdf
from pikepdf import Array, Dictionary, Name

MM = 72 / 25.4
A4_LANDSCAPE = (297 * MM, 210 * MM)


def saddle_stitch_order(pages):
    """(left, right) page numbers for each side of each sheet: sheet k's front holds
    N-2k+2 | 2k-1, its back 2k | N-2k+1."""
    if pages % 4:
        raise ValueError(f'a saddle-stitched booklet needs a multiple of 4 pages, not {pages}')
    sides = []
    for sheet in range(1, pages // 4 + 1):
        sides.append((pages - 2 * sheet + 2, 2 * sheet - 1))
        sides.append((2 * sheet, pages - 2 * sheet + 1))
    return sides


def impose(pdf_bytes):
    """The booklet's pages imposed two-up on A4 landscape, centred, at their trim size.

    Each page becomes a form XObject placed twice per sheet side (pikepdf, qpdf underneath)."""
    source = pikepdf.open(io.BytesIO(pdf_bytes))
    pdf = pikepdf.new()
    forms = [pdf.copy_foreign(page.as_form_xobject()) for page in source.pages]
    trims = [[float(value) for value in page.trimbox] for page in source.pages]
    sheet_width, sheet_height = A4_LANDSCAPE
    box = Array([0, 0, round(sheet_width, 3), round(sheet_height, 3)])
    for left, right in saddle_stitch_order(len(source.pages)):
        operators, names = [], Dictionary()
        for number, slot in ((left, 0), (right, 1)):
            x0, y0, x1, y1 = trims[number - 1]
            width, height = x1 - x0, y1 - y0
            x = (sheet_width - 2 * width) / 2 + slot * width - x0
            y = (sheet_height - height) / 2 - y0
            names[f'/P{number}'] = forms[number - 1]
            operators.append(f'q 1 0 0 1 {x:.3f} {y:.3f} cm /P{number} Do Q')
        pdf.pages.append(pikepdf.Page(Dictionary(
            Type=Name.Page, MediaBox=box, TrimBox=box, Resources=Dictionary(XObject=names),
            Contents=pdf.make_stream('\n'.join(operators).encode()))))
    title = str(source.docinfo.get('/Title', 'Booklet'))
    pdf.docinfo['/Title'] = f'{title} (imposed for saddle stitching)'
    buffer = io.BytesIO()
    # No dates and an identifier derived from the content: the same booklet, the same bytes.
    pdf.save(buffer, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()
