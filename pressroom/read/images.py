"""Check an untrusted image file's bytes before they go into a PDF or the web edition."""

import io
import posixpath
import re
from pathlib import Path

from lxml import etree
from PIL import GifImagePlugin, Image, ImageFile, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

from .files import IMAGE_TYPES, Refused

MAX_PIXELS = 50_000_000
# Image.open refuses a huge header before we can read its size, so open through each format's own class.
FORMATS = {'.png': ('PNG', PngImagePlugin.PngImageFile), '.jpg': ('JPEG', JpegImagePlugin.JpegImageFile),
           '.jpeg': ('JPEG', JpegImagePlugin.JpegImageFile), '.gif': ('GIF', GifImagePlugin.GifImageFile),
           '.webp': ('WebP', WebPImagePlugin.WebPImageFile), '.svg': ('SVG', None)}
EXTENSION = {'PNG': '.png', 'JPEG': '.jpg', 'GIF': '.gif', 'WebP': '.webp', 'SVG': '.svg'}
# First bytes of the files most often sent by mistake: exports in the wrong format, phone photos, PDFs.
MAGIC = ((b'\x89PNG\r\n\x1a\n', 'a PNG image'), (b'\xff\xd8\xff', 'a JPEG image'), (b'GIF87a', 'a GIF image'),
         (b'GIF89a', 'a GIF image'), (b'II*\x00', 'a TIFF image'), (b'MM\x00*', 'a TIFF image'),
         (b'BM', 'a BMP image'), (b'%PDF', 'a PDF document'))

SVG_ROOT = '{http://www.w3.org/2000/svg}svg'
XHTML = '{http://www.w3.org/1999/xhtml}'
FORBIDDEN = {'script': 'carry script', 'handler': 'carry script', 'foreignObject': 'carry web content',
             'iframe': 'carry web content', 'embed': 'carry web content', 'object': 'carry web content',
             'audio': 'carry sound or video', 'video': 'carry sound or video'}
# Presentation attributes are CSS too (fill="url(...)"), so every attribute value is read as CSS.
CSS_REFERENCE = re.compile(r'@import|url\((?!\s*[\'"]?\s*#)[^)]*\)'
                           r'|(?:-webkit-)?image-set\([^)]*\)|cross-fade\([^)]*\)', re.I)
CSS_ESCAPE = re.compile(r'\\([0-9a-fA-F]{1,6})\s?|\\(.)', re.S)
ENTITIES = ("the SVG's DOCTYPE declares entities (<!ENTITY {}>); images may not declare entities: "
            'remove the DOCTYPE or export the SVG again')


def image_problem(data: bytes, suffix: str) -> str | None:
    """None when the image is safe and usable; otherwise a short message saying what is wrong
    and what to do, written for an editor (no Python jargon)."""
    try:
        return _problem(data, suffix)
    except Exception as error:  # untrusted bytes reach C parsers: whatever they raise is the file's fault
        return _damaged(error)


def _problem(data, suffix):
    if suffix not in FORMATS:
        return f"'{suffix}' files cannot be used as images: use PNG, JPEG, GIF, WebP or SVG"
    expected, opener = FORMATS[suffix]
    if not data:
        return 'the file is empty: export the image again'
    wanted, actual = _a(f'{expected} image'), _kind(data)
    if actual is not None and actual != wanted:
        kind = actual.split()[1]
        rename = f'rename it to end in {EXTENSION[kind]}, or ' if kind in EXTENSION else ''
        return f'the file is really {actual}, not {wanted}: {rename}export it again as {expected}'
    if expected == 'SVG':
        return _svg_problem(data)
    if actual is None:
        return (f'the file is not {wanted} (it is damaged, or another kind of file): '
                f'export it again as {expected}')
    return _raster_problem(data, opener)


def _kind(data):
    """What the first bytes say the file is ('a PNG image'), or None when they do not say."""
    head = data[:2048]
    if head[:4] == b'RIFF' and head[8:12] == b'WEBP':
        return 'a WebP image'
    if head[4:8] == b'ftyp' and head[8:12] in (b'heic', b'heix', b'mif1'):
        return 'a HEIC image'
    kinds = [kind for magic, kind in MAGIC if head.startswith(magic)]
    return kinds[0] if kinds else 'an SVG image' if b'<svg' in head else None


def _raster_problem(data, opener):
    # WeasyPrint, once imported (watch, tests), sets Pillow to accept truncated files for the
    # whole process: a damaged image must still be found here.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        return _frames_problem(data, opener)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def _frames_problem(data, opener):
    with opener(io.BytesIO(data)) as image:
        for frame in range(getattr(image, 'n_frames', 1)):
            if frame:
                image.seek(frame)
            width, height = image.size  # read before decoding; a GIF frame may grow the canvas
            if width * height > MAX_PIXELS:
                return (f'the image is {width} x {height} pixels, over the limit of 50 megapixels: '
                        'make it smaller and export it again')
            # WeasyPrint draws only the first frame: decode an animation only up to about one
            # full-size image's worth of pixels, so a long one cannot make the check slow.
            if frame * width * height > MAX_PIXELS:
                break
            image.load()
    return None


def _damaged(error):
    if isinstance(error, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
        return 'the image is over the limit of 50 megapixels: make it smaller and export it again'
    detail = str(error) if isinstance(error, (OSError, SyntaxError, ValueError)) else ''
    if 'truncated' in detail.lower() or 'buffer' in detail:  # Pillow's and struct's words for a short file
        detail = 'the file ends too soon'
    detail = re.sub(r" *\([^()]*b'.*", '', detail)  # Pillow names a PNG chunk as Python bytes: b'IHDR'
    return f'the image is damaged or incomplete ({detail[:100] or "unreadable data"}): export it again'


def _svg_problem(data):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        entity = re.search(rb'<!ENTITY\s+(?:%\s+)?([^\s>]+)', data)
        if entity:  # libxml2 stops a billion-laughs file itself: say what is really wrong
            return ENTITIES.format(entity[1].decode('utf-8', 'replace'))
        message = re.sub(r', line \d+, column \d+$', '', error.msg or 'unreadable')
        return f'the SVG is not well-formed XML (line {error.lineno or 1}: {message})'
    dtd = root.getroottree().docinfo.internalDTD
    entities = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    if entities:
        return ENTITIES.format(entities[0])
    if root.tag != SVG_ROOT:
        name = etree.QName(root).localname
        if name == 'svg':
            return ('the <svg> element lacks xmlns="http://www.w3.org/2000/svg": '
                    'add it, or export the SVG again')
        return f'the file is not an SVG image (its outer element is <{name}>): export it again as SVG'
    nodes = [*root.itersiblings(preceding=True), *root.iter(), *root.itersiblings()]
    return next(filter(None, map(_node_problem, nodes)), None)


def _node_problem(node):
    line = node.sourceline
    if node.tag is etree.PI and node.target == 'xml-stylesheet':
        return _refusal('has an <?xml-stylesheet?> instruction', line, 'not load style sheets')
    if not isinstance(node.tag, str):  # comments, other instructions, entity references
        return None
    name = etree.QName(node).localname
    if name in FORBIDDEN:
        return _refusal(f'has {_a(f"<{name}>")} element', line, f'not {FORBIDDEN[name]}')
    if node.tag.startswith(XHTML):
        return _refusal(f'has an HTML <{name}> element', line, 'not carry web content')
    if node.get('attributeName', '').rpartition(':')[2] == 'href':
        return _refusal(f'has {_a(f"<{name}>")} element that changes a link', line,
                        'only refer to their own parts (#name)')
    for attribute, value in node.attrib.items():
        local = etree.QName(attribute).localname
        if local.lower().startswith('on'):
            return _refusal(f'has an {local} attribute', line, 'not carry script')
        if local == 'href' and not value.strip().startswith('#'):
            return _outside(value, line, 'href="{}"')
    css = [*node.attrib.values(), ''.join(node.itertext()) if name == 'style' else '']
    for text in map(lambda text: CSS_ESCAPE.sub(_unescape, text), css):
        found = CSS_REFERENCE.search(text)
        if found:
            # An element's line is where its start tag ends, which is where a <style>'s text begins.
            at = line + text[:found.start()].count('\n')
            if found[0].lower() == '@import':
                return _refusal('has an @import rule', at, 'not load style sheets')
            return _outside(found[0], at)
    return None


def _refusal(what, line, rule):
    return f'the SVG {what} (line {line}); images may {rule}'


def _outside(reference, line, form='{}'):
    shown = form.format(reference if len(reference) <= 60 else reference[:59] + '…')
    return _refusal(f'refers to outside content {shown}', line, 'only refer to their own parts (#name)')


def _unescape(match):
    code = int(match[1], 16) if match[1] else None
    return match[2] if code is None else chr(code) if 0 < code <= 0x10FFFF else '\ufffd'


def _a(phrase):
    """The phrase with 'a' or 'an' before it, by how it sounds: 'an <iframe>', 'an SVG image'."""
    return ('an ' if phrase.lstrip('<')[0] in 'aeioS' else 'a ') + phrase


# Where the image file is, checked before its bytes: used by booklets and card faces alike.
EXTERNAL = re.compile(r'^[a-zA-Z][a-zA-Z0-9+.-]*:|^//')


def image_bytes(root, path, src, folder='booklet'):
    """(what is wrong with the image ``src`` at ``path``, None) or (None, its bytes); ``folder``
    names where images belong (the booklet or the card folder) in messages."""
    problem = image_path_problem(src, folder)
    if problem is None and not root.contains(path):
        problem = 'is outside the content root'
    if problem:
        return f"image '{src}' {problem}", None
    try:
        data = root.read_bytes(path)
    except Refused as refused:
        return (f'image not found: {src}' if str(refused) == 'file not found'
                else f"image '{src}': {refused}"), None
    problem = image_problem(data, Path(src).suffix.lower())
    return (f"image '{src}': {problem}", None) if problem else (None, data)


def image_path_problem(src, folder='booklet'):
    """Why ``src`` cannot name an image file of the booklet (or card), or ``None``."""
    if not src or EXTERNAL.match(src) or src.startswith('/'):
        return (f'must be a file path relative to the {folder} folder (no URLs or absolute '
                'paths)')
    if Path(src).suffix.lower() not in IMAGE_TYPES:
        return 'is not a PNG, JPEG, GIF, WebP or SVG file'
    normal = posixpath.normpath(src)
    if normal == '..' or normal.startswith('../') or '\\' in src:
        return f'must be inside the {folder} folder (no ../): move the file there'
    return None
