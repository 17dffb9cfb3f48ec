"""Draw short runs of text into PDF pages with an embedded font subset (variable data).

One subset per face style holds every character any clinic needs, so one set of font objects
serves a whole run; glyphs are addressed by id (Identity-H) with a ToUnicode map, so the text
stays searchable and copyable.
"""

import io

from fontTools import subset
from fontTools.ttLib import TTFont
from pikepdf import Array, Dictionary, Name

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


class SubsetFont:
    """A TrueType subset for ``text``, with the metrics needed to place and encode glyphs."""

    def __init__(self, path, text, name):
        font = TTFont(path, recalcTimestamp=False)  # no build time in the output
        options = subset.Options()
        options.layout_features = []
        options.name_IDs = ['*']
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=''.join(sorted(set(text))) or ' ')
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
        self.data = buffer.getvalue()
        self.name = name
        self.scale = 1000 / font['head'].unitsPerEm
        self.cmap = font.getBestCmap()
        order = font.getGlyphOrder()
        self.gid = {char: order.index(glyph) for char, glyph in self.cmap.items()}
        self.advance = {order.index(glyph): font['hmtx'][glyph][0] * self.scale
                        for glyph in order}
        head, hhea = font['head'], font['hhea']
        self.bbox = [round(value * self.scale) for value in
                     (head.xMin, head.yMin, head.xMax, head.yMax)]
        self.ascent, self.descent = round(hhea.ascent * self.scale), round(hhea.descent * self.scale)

    def width(self, text, size):
        """Advance width of ``text`` at ``size`` points (no kerning)."""
        return sum(self.advance.get(self.gid.get(ord(char), 0), 0) for char in text) * size / 1000

    def encode(self, text):
        return ''.join(f'{self.gid.get(ord(char), 0):04X}' for char in text)

    def objects(self, pdf):
        """The font's PDF objects, created in ``pdf``; returns the Type0 font dictionary."""
        file = pdf.make_stream(self.data)
        file.Length1 = len(self.data)
        descriptor = pdf.make_indirect(Dictionary(
            Type=Name.FontDescriptor, FontName=Name('/' + self.name), Flags=32,
            FontBBox=Array(self.bbox), ItalicAngle=0, Ascent=self.ascent, Descent=self.descent,
            CapHeight=self.ascent, StemV=80, FontFile2=file))
        gids = sorted(self.advance)
        cid_font = pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name('/' + self.name),
            CIDSystemInfo=Dictionary(Registry='Adobe', Ordering='Identity', Supplement=0),
            FontDescriptor=descriptor, CIDToGIDMap=Name.Identity,
            W=Array([0, Array([round(self.advance[gid]) for gid in gids])])))
        pairs = '\n'.join(f'<{self.gid[char]:04X}> <{char:04X}>' for char in sorted(self.gid)
                          if char <= 0xFFFF)
        to_unicode = pdf.make_stream(TO_UNICODE.format(count=len(self.gid), pairs=pairs).encode())
        return pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.Type0, BaseFont=Name('/' + self.name),
            Encoding=Name('/Identity-H'), DescendantFonts=Array([cid_font]),
            ToUnicode=to_unicode))


def show_text(resource, font, text, x, y, size, color):
    """Content-stream operators drawing ``text`` with its baseline starting at (x, y)."""
    red, green, blue = color
    return (f'BT /{resource} {size:.2f} Tf {red:.4f} {green:.4f} {blue:.4f} rg '
            f'1 0 0 1 {x:.3f} {y:.3f} Tm <{font.encode(text)}> Tj ET\n')
