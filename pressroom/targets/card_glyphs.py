"""Text exactly as WeasyPrint laid it out, recorded as glyphs so it can be drawn again elsewhere.

A clinic's blocks are laid out by WeasyPrint in a measuring document; their text boxes are
read back here glyph by glyph (the same glyph ids, advances, offsets and kerning WeasyPrint's
own drawing code writes: weasyprint/draw/text.py) and drawn over the clinic's card. The fonts
are embedded whole-glyph-id subsets, so the glyph ids Pango chose stay valid.
"""

import hashlib
import io
from dataclasses import dataclass

from fontTools import subset
from fontTools.ttLib import TTFont
from pikepdf import Array, Dictionary, Name



# The ToUnicode CMap that keeps the drawn text searchable and copyable.
TO_UNICODE = """/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
{count} beginbfchar
{pairs}
endbfchar
endcmap
CMapName currentdict /CIDFont defineresource pop
end
end
"""


class NotDrawable(Exception):
    """A text box that the glyph copy cannot reproduce exactly (the card is then laid out
    clinic by clinic instead)."""


@dataclass(frozen=True)
class Run:
    """One text box: ``parts`` ((font key, ``TJ`` array body), ...) drawn from (x, y) in CSS
    px, y down to the baseline, at ``size`` px."""

    size: float
    x: float
    y: float
    color: tuple
    parts: tuple

    def moved(self, dx, dy):
        return Run(self.size, self.x + dx, self.y + dy, self.color, self.parts)

    def operators(self, resources):
        """``resources``: font key -> resource name."""
        red, green, blue = self.color
        shown = ''.join(f'/{resources[key]} {self.size:g} Tf [{glyphs}] TJ '
                        for key, glyphs in self.parts)
        return (f'BT {red:g} {green:g} {blue:g} rg 1 0 0 -1 {self.x:.4f} {self.y:.4f} Tm '
                f'{shown}ET\n')


class FontBook:
    """The fonts that recorded runs use: file data, advance widths and text of each glyph."""

    def __init__(self):
        self.data = {}      # key -> font file bytes
        self.widths = {}    # key -> {gid: width in 1/1000 em}
        self.text = {}      # key -> {gid: text}
        self._faces = {}    # (address of a HarfBuzz face) -> key
        self._subsets = {}

    def key(self, pango_font):
        from weasyprint.text.ffi import ffi
        from weasyprint.text.fonts import get_hb_object_data, get_pango_font_hb_face
        face = get_pango_font_hb_face(pango_font)
        address = int(ffi.cast('uintptr_t', face))
        if address not in self._faces:
            data = get_hb_object_data(face)
            key = 'G' + hashlib.sha256(data).hexdigest()[:10]
            self._faces[address] = key
            if key not in self.data:
                try:
                    font = TTFont(io.BytesIO(data), lazy=True)
                except Exception as error:  # a font collection, or data fontTools refuses
                    raise NotDrawable(f'a font the glyph copy cannot embed: {error}') from None
                if 'glyf' not in font:
                    # CFF outlines (a fallback .otf): embedded as a TrueType font they would
                    # make an invalid PDF; the card is laid out clinic by clinic instead.
                    raise NotDrawable('a font without TrueType outlines')
                self.data[key] = data
                scale = 1000 / font['head'].unitsPerEm
                order = font.getGlyphOrder()
                metrics = font['hmtx'].metrics
                self.widths[key] = {gid: round(metrics[name][0] * scale)
                                    for gid, name in enumerate(order)}
                self.text[key] = {}
        return self._faces[address]

    def merge(self, other):
        for key, data in other.data.items():
            self.data.setdefault(key, data)
            self.widths.setdefault(key, other.widths[key])
            self.text.setdefault(key, {}).update(other.text[key])

    def subset(self, key):
        """(file bytes, head, hhea) of the subset holding the glyphs used: made once."""
        if key not in self._subsets:
            font = TTFont(io.BytesIO(self.data[key]), recalcTimestamp=False)
            options = subset.Options()
            options.retain_gids = True
            options.layout_features = []
            options.name_IDs = ['*']
            options.notdef_outline = True
            subsetter = subset.Subsetter(options)
            subsetter.populate(gids=sorted(self.text[key]) or [0])
            subsetter.subset(font)
            buffer = io.BytesIO()
            font.save(buffer)
            self._subsets[key] = (buffer.getvalue(), font['head'], font['hhea'])
        return self._subsets[key]

    def objects(self, pdf, key):
        """The Type0 font (Identity-H, glyph ids kept) for ``key``, created in ``pdf``."""
        used = sorted(self.text[key])
        data, head, hhea = self.subset(key)
        scale = 1000 / head.unitsPerEm
        # A subset's tag is six capital letters (PDF 32000-1, 9.6.4), made from its digest.
        tag = ''.join(chr(65 + int(digit, 16) % 26) for digit in key[1:7])
        name = f'{tag}+Card'
        file = pdf.make_stream(data)
        file.Length1 = len(data)
        descriptor = pdf.make_indirect(Dictionary(
            Type=Name.FontDescriptor, FontName=Name('/' + name), Flags=32,
            FontBBox=Array([round(value * scale) for value in
                            (head.xMin, head.yMin, head.xMax, head.yMax)]),
            ItalicAngle=0, Ascent=round(hhea.ascent * scale),
            Descent=round(hhea.descent * scale), CapHeight=round(hhea.ascent * scale),
            StemV=80, FontFile2=file))
        widths = Array()
        for gid in used:
            widths.extend([gid, Array([self.widths[key].get(gid, 0)])])
        cid_font = pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name('/' + name),
            CIDSystemInfo=Dictionary(Registry='Adobe', Ordering='Identity', Supplement=0),
            FontDescriptor=descriptor, CIDToGIDMap=Name.Identity, W=widths))
        pairs = '\n'.join(f'<{gid:04X}> <{utf16(text)}>' for gid, text
                          in sorted(self.text[key].items()) if text)
        to_unicode = pdf.make_stream(TO_UNICODE.format(
            count=pairs.count('\n') + 1 if pairs else 0, pairs=pairs).encode())
        return pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.Type0, BaseFont=Name('/' + name),
            Encoding=Name('/Identity-H'), DescendantFonts=Array([cid_font]),
            ToUnicode=to_unicode))


def utf16(text):
    return text.encode('utf-16-be').hex().upper()


def record(textbox, book):
    """The :class:`Run` WeasyPrint would draw for ``textbox`` (None for blank text)."""
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango
    style = textbox.style
    if not textbox.text.strip() or style['visibility'] != 'visible':
        return None
    if style['text_decoration_line'] != 'none':
        raise NotDrawable('decorated text')
    color = style['color']
    if color.alpha < 1 or color.space not in ('srgb', 'hsl', 'hwb'):
        raise NotDrawable('translucent or non-RGB text')
    color = tuple(round(value, 6) for value in color.to('srgb').coordinates)
    layout = textbox.pango_layout
    layout.reactivate(style)
    try:
        pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
        first_line, _ = layout.get_first_line()
        parts, key, glyphs = [], None, []
        size = style['font_size']
        utf8 = layout.text.encode()
        run = first_line.runs[0]
        while run != ffi.NULL:
            glyph_item = run.data
            run = run.next
            glyph_string = glyph_item.glyphs
            if glyph_item.item.analysis.level % 2:
                raise NotDrawable('right-to-left text')
            font_key = book.key(glyph_item.item.analysis.font)
            if font_key != key:
                if glyphs:
                    parts.append((key, ' '.join(glyphs)))
                key, glyphs = font_key, []
            widths, texts = book.widths[key], book.text[key]
            clusters = glyph_string.log_clusters
            count = glyph_string.num_glyphs
            offset = glyph_item.item.offset
            for i, info in enumerate(glyph_string.glyphs[0:count]):
                gid = info.glyph
                width = info.geometry.width
                if gid == pango.PANGO_GLYPH_EMPTY:
                    glyphs.append(f'{-width / size:g}')
                    continue
                if gid & pango.PANGO_GLYPH_UNKNOWN_FLAG or info.geometry.y_offset:
                    raise NotDrawable('a missing glyph or a raised one')
                if gid not in texts:
                    end = glyph_item.item.length if i == count - 1 else clusters[i + 1]
                    texts[gid] = utf8[offset + clusters[i]:offset + end].decode()
                shift = info.geometry.x_offset / size
                if shift:
                    glyphs.append(f'{-shift:g}')
                glyphs.append(f'<{gid:04x}>')
                kerning = widths.get(gid, 0) + shift - width * 1000 * FROM_UNITS / size
                if kerning:
                    glyphs.append(str(int(kerning)))
        if glyphs:
            parts.append((key, ' '.join(glyphs)))
        if not parts:
            return None
        return Run(size, textbox.position_x, textbox.position_y + textbox.baseline, color,
                   tuple(parts))
    finally:
        layout.deactivate()
