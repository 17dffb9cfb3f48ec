"""Image checks: valid files of each format pass; wrong, damaged, huge and scripted ones get a message."""

import io
import random
import struct
import warnings
import zlib

import pytest
from hypothesis import given, settings, strategies as st
from PIL import Image

from pressroom.read.images import image_problem

SUFFIXES = ('.png', '.jpg', '.jpeg', '.gif', '.webp', '.svg')


def raster(kind, size=(60, 40), mode='RGB', **options):
    image = Image.linear_gradient('L').resize(size).convert(mode)
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def animation(kind):
    frames = [Image.new('RGB', (30, 20), colour) for colour in ('red', 'green', 'blue')]
    out = io.BytesIO()
    frames[0].save(out, kind, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def svg(body, head=''):
    return (f'{head}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
            f' viewBox="0 0 10 10">\n{body}\n</svg>\n').encode()


def damaged(detail):
    return f'the image is damaged or incomplete ({detail}): export it again'


def outside(reference, line):
    return (f'the SVG refers to outside content {reference} (line {line}); '
            'images may only refer to their own parts (#name)')


@pytest.mark.parametrize('data, suffix', [
    (raster('PNG'), '.png'),
    (raster('PNG', mode='RGBA'), '.png'),
    (raster('JPEG'), '.jpg'),
    (raster('JPEG', mode='L'), '.jpeg'),
    (raster('GIF'), '.gif'),
    (raster('WEBP'), '.webp'),
    (animation('GIF'), '.gif'),
    (animation('WEBP'), '.webp'),
    (animation('PNG'), '.png'),
    (svg('<rect width="5" height="5"/>', '<?xml version="1.0" encoding="UTF-8"?>\n'), '.svg'),
])
def test_valid_images_pass(data, suffix):
    assert image_problem(data, suffix) is None


def test_references_to_own_parts_pass():
    data = svg('<defs><linearGradient id="gradient"><stop offset="0" stop-color="red"/></linearGradient>\n'
               '<rect id="shape" width="5" height="5"/></defs>\n'
               '<style>rect { fill: url(#gradient) } circle { fill: url( "#gradient" ) }</style>\n'
               '<use href="#shape"/><use xlink:href="#shape" style="fill:url(#gradient)"/>\n'
               '<a href="#shape"><circle r="2" fill="url(\'#gradient\')"/></a>',
               '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
               '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<!-- made by hand -->\n')
    assert image_problem(data, '.svg') is None


def test_png_named_jpg_says_what_it_really_is():
    assert image_problem(raster('PNG'), '.jpg') == (
        'the file is really a PNG image, not a JPEG image: rename it to end in .png, '
        'or export it again as JPEG')
    assert image_problem(raster('JPEG'), '.svg') == (
        'the file is really a JPEG image, not an SVG image: rename it to end in .jpg, '
        'or export it again as SVG')
    assert image_problem(svg('<rect/>'), '.webp') == (
        'the file is really an SVG image, not a WebP image: rename it to end in .svg, '
        'or export it again as WebP')


def test_unusable_kinds_say_what_to_export():
    assert image_problem(b'%PDF-1.7\n...', '.png') == (
        'the file is really a PDF document, not a PNG image: export it again as PNG')
    assert image_problem(raster('TIFF'), '.gif') == (
        'the file is really a TIFF image, not a GIF image: export it again as GIF')


@pytest.mark.parametrize('kind, suffix', [('PNG', '.png'), ('JPEG', '.jpg'), ('GIF', '.gif')])
def test_truncated_raster_is_damaged(kind, suffix):
    data = raster(kind, size=(300, 200))
    assert image_problem(data[:len(data) // 2], suffix) == damaged('the file ends too soon')


def test_truncated_webp_is_damaged():
    data = raster('WEBP', size=(300, 200))
    assert image_problem(data[:len(data) // 2], '.webp') == damaged('could not create decoder object')


def test_corrupt_png_header_is_damaged():
    data = bytearray(raster('PNG'))
    data[12:16] = b'XXXX'  # the IHDR chunk's name
    assert image_problem(bytes(data), '.png') == damaged('broken PNG file')


NOISE = random.Random(7).randbytes(5000)


@pytest.mark.parametrize('suffix, kind', [('.png', 'PNG'), ('.jpg', 'JPEG'), ('.gif', 'GIF'),
                                          ('.webp', 'WebP')])
def test_random_bytes_are_not_an_image(suffix, kind):
    assert image_problem(NOISE, suffix) == (
        f'the file is not a {kind} image (it is damaged, or another kind of file): export it again as {kind}')


def test_random_bytes_are_not_svg():
    assert image_problem(NOISE, '.svg') == (
        "the SVG is not well-formed XML (line 1: Start tag expected, '<' not found)")


@pytest.mark.parametrize('suffix', SUFFIXES)
def test_empty_file(suffix):
    assert image_problem(b'', suffix) == 'the file is empty: export the image again'


def test_unknown_suffix():
    assert image_problem(raster('PNG'), '.bmp') == (
        "'.bmp' files cannot be used as images: use PNG, JPEG, GIF, WebP or SVG")


def huge_png(width, height, mode='RGB'):
    """A small PNG whose header claims ``width`` x ``height`` pixels."""
    data = raster('PNG', mode=mode)
    header = b'IHDR' + struct.pack('>II', width, height) + data[24:29]
    return data[:12] + header + struct.pack('>I', zlib.crc32(header)) + data[33:]


@pytest.mark.parametrize('width, height', [(20000, 20000), (10000, 5001), (60000, 60000)])
def test_decompression_bomb_is_refused_before_decoding(width, height):
    assert image_problem(huge_png(width, height), '.png') == (
        f'the image is {width} x {height} pixels, over the limit of 50 megapixels: '
        'make it smaller and export it again')


def test_fifty_megapixels_is_the_limit():
    assert image_problem(huge_png(10000, 5000, mode='1'), '.png') == damaged('the file ends too soon')


def test_pillows_bomb_warning_cannot_escape_as_an_error():
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        assert image_problem(huge_png(12000, 12000), '.png').startswith('the image is 12000 x 12000 pixels')


def test_gif_frame_that_grows_the_canvas_is_refused():
    data = animation('GIF')
    descriptor = b',' + struct.pack('<4H', 0, 0, 30, 20)  # an image block at 0,0, 30 x 20 pixels
    second = data.index(descriptor, data.index(descriptor) + 1)
    data = data[:second] + b',' + struct.pack('<4H', 0, 0, 9000, 9000) + data[second + 9:]
    assert image_problem(data, '.gif') == (
        'the image is 9000 x 9000 pixels, over the limit of 50 megapixels: '
        'make it smaller and export it again')


def test_webp_too_big_for_pillow_to_open_is_refused():
    data = bytearray(animation('WEBP'))
    canvas = data.index(b'VP8X') + 12  # width - 1 and height - 1, three bytes each
    data[canvas:canvas + 6] = (16382).to_bytes(3, 'little') * 2
    assert image_problem(bytes(data), '.webp') == (
        'the image is over the limit of 50 megapixels: make it smaller and export it again')


SVG_ATTACKS = [
    ('<script>alert(1)</script>',
     'the SVG has a <script> element (line 2); images may not carry script'),
    ('<rect width="5" height="5"\n  onload="alert(1)"/>',
     'the SVG has an onload attribute (line 3); images may not carry script'),
    ('<image xlink:href="http://example.com/x.png" width="5" height="5"/>',
     outside('href="http://example.com/x.png"', 2)),
    ('<a href="javascript:alert(1)"><rect width="5" height="5"/></a>',
     outside('href="javascript:alert(1)"', 2)),
    ('<image href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='
     'PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="/>',
     outside('href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==P…"', 2)),
    ('<use href="other.svg#shape"/>', outside('href="other.svg#shape"', 2)),
    ('<foreignObject width="5" height="5"><p xmlns="http://www.w3.org/1999/xhtml">hi</p></foreignObject>',
     'the SVG has a <foreignObject> element (line 2); images may not carry web content'),
    ('<style>\nrect { fill: red }\n@import url(#x);\n</style>',
     'the SVG has an @import rule (line 4); images may not load style sheets'),
    ('<style>@IMPORT "http://example.com/a.css";</style>',
     'the SVG has an @import rule (line 2); images may not load style sheets'),
    ('<style>@im<!-- split -->port "a.css";</style>',
     'the SVG has an @import rule (line 2); images may not load style sheets'),
    ('<style>\nrect { fill: url(http://x/y.svg#g) }</style>', outside('url(http://x/y.svg#g)', 3)),
    ('<style>rect { fill: \\75 rl(http://x/y.svg#g) }</style>', outside('url(http://x/y.svg#g)', 2)),
    ('<rect style="fill:url(http://x)" width="5" height="5"/>', outside('url(http://x)', 2)),
    ('<rect fill="URL(\'file:///etc/passwd\')" width="5" height="5"/>',
     outside("URL('file:///etc/passwd')", 2)),
    ('<iframe src="http://example.com"/>',
     'the SVG has an <iframe> element (line 2); images may not carry web content'),
    ('<embed src="x.swf"/>', 'the SVG has an <embed> element (line 2); images may not carry web content'),
    ('<object data="x.html"/>', 'the SVG has an <object> element (line 2); images may not carry web content'),
    ('<audio src="x.mp3"/>', 'the SVG has an <audio> element (line 2); images may not carry sound or video'),
    ('<video src="x.mp4"/>', 'the SVG has a <video> element (line 2); images may not carry sound or video'),
    ('<a href="#x"><animate attributeName="href" to="javascript:alert(1)"/></a>',
     'the SVG has an <animate> element that changes a link (line 2); '
     'images may only refer to their own parts (#name)'),
    ('<a href="#x"><set attributeName="xlink:href" to="http://x"/></a>',
     'the SVG has a <set> element that changes a link (line 2); '
     'images may only refer to their own parts (#name)'),
    ('<h:img xmlns:h="http://www.w3.org/1999/xhtml" src="http://x/y.png"/>',
     'the SVG has an HTML <img> element (line 2); images may not carry web content'),
    ('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>',
     'the SVG has a <script> element (line 2); images may not carry script'),
]


@pytest.mark.parametrize('body, message', SVG_ATTACKS)
def test_svg_attacks_are_refused(body, message):
    assert image_problem(svg(body), '.svg') == message


def test_xml_stylesheet_instruction_is_refused():
    data = svg('<rect/>', '<?xml version="1.0"?>\n<?xml-stylesheet href="http://x/a.css"?>\n')
    assert image_problem(data, '.svg') == (
        'the SVG has an <?xml-stylesheet?> instruction (line 2); images may not load style sheets')


def billion_laughs():
    """Nine entities, each ten of the one before: a billion 'lol's if anything expands them."""
    entities = ['<!ENTITY lol "lol">']
    entities += [f'<!ENTITY lol{n} "' + f'&lol{n - 1 or ""};' * 10 + '">' for n in range(1, 10)]
    return '<?xml version="1.0"?>\n<!DOCTYPE svg [\n' + '\n'.join(entities) + '\n]>\n'


@pytest.mark.parametrize('head, body, name', [
    (billion_laughs(), '<text>&lol9;</text>', 'lol'),
    ('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n', '<text>&x;</text>', 'x'),
    ('<!DOCTYPE svg [<!ENTITY % x SYSTEM "http://example.com/x.dtd"> %x;]>\n', '<rect/>', 'x'),
    ('<!DOCTYPE svg [<!ENTITY ns "http://www.w3.org/2000/svg">]>\n', '<rect/>', 'ns'),
])
def test_entity_declarations_are_refused(head, body, name):
    assert image_problem(svg(body, head), '.svg') == (
        f"the SVG's DOCTYPE declares entities (<!ENTITY {name}>); images may not declare entities: "
        'remove the DOCTYPE or export the SVG again')


def test_entities_in_utf16_are_refused():
    head = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE svg [<!ENTITY x "y">]>\n'
    data = svg('<text>&x;</text>', head)
    data = data.decode().encode('utf-16')
    assert image_problem(data, '.svg').startswith("the SVG's DOCTYPE declares entities (<!ENTITY x>)")


def test_root_must_be_svg():
    assert image_problem(b'<html><body/></html>', '.svg') == (
        'the file is not an SVG image (its outer element is <html>): export it again as SVG')
    assert image_problem(b'<svg viewBox="0 0 1 1"><rect/></svg>', '.svg') == (
        'the <svg> element lacks xmlns="http://www.w3.org/2000/svg": add it, or export the SVG again')


def test_malformed_svg():
    assert image_problem(svg('<g>\n<rect>'), '.svg') == (
        'the SVG is not well-formed XML (line 4: Opening and ending tag mismatch: rect line 3 and svg)')


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_never_raise(data, suffix):
    assert isinstance(image_problem(data, suffix), (str, type(None)))


@settings(max_examples=300, deadline=None)
@given(data=st.data(), suffix=st.sampled_from(SUFFIXES[:-1]))
def test_mangled_images_never_raise(data, suffix):
    original = bytearray(raster({'.jpg': 'JPEG', '.jpeg': 'JPEG'}.get(suffix, suffix[1:].upper())))
    for _ in range(data.draw(st.integers(1, 8))):
        original[data.draw(st.integers(0, len(original) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(original)))
    assert isinstance(image_problem(bytes(original[:cut]), suffix), (str, type(None)))


def test_svg_image_set_with_a_remote_address_is_outside_content():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg"><style>rect{fill:image-set('
           '"https://evil.example/a.png" 1x)}</style><rect width="5" height="5"/></svg>')
    assert image_problem(svg.encode(), '.svg') == (
        'the SVG refers to outside content image-set("https://evil.example/a.png" 1x) (line 1); '
        'images may only refer to their own parts (#name)')
