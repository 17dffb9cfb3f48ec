"""QR codes as vector SVG, sized so a phone can still read them once printed (used when reading,
to check that a URL fits, and when rendering)."""

import functools
import html
import re
from dataclasses import dataclass
from urllib.parse import quote

import qrcode
import qrcode.constants
import qrcode.exceptions
import qrcode.util

# The smallest module a phone reads from a printed card, measured on card PDFs rasterised at
# 150 dpi and blurred like a camera's image (Gaussian, sigma 1 px), random URLs of every length,
# five card widths: zxing-cpp read every code down to 0.47 mm; ZBar missed 49 of 160 at
# 0.511 mm, 36 of 210 at 0.551 mm, 17 of 310 at 0.556 mm and none of 1,800 from 0.561 mm up.
# 0.57 mm keeps a margin: at 0.578 mm (version 5 in 26 mm) 557 of 560 still read through 10%
# more blur, at 0.561 mm only 311 of 360.
MIN_MODULE_MM = 0.57
# Level M: Q reads only slightly smaller modules (ZBar stops missing at about 0.55 mm, not
# 0.56 mm), and in 26 mm it holds 60 characters where M holds 84 (a tracked URL to a section
# is often 70-85).
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
QUIET_MODULES = 4
MAX_VERSION = 40
# Float division must not reject a code that fits exactly (e.g. 37 modules of 0.5 mm in 18.5 mm).
EPSILON = 1e-9


def tracked_url(url, campaign=None):
    """``url`` with ``utm_source=<campaign>`` added to its query, before any ``#fragment``."""
    if not campaign:
        return url
    base, hash_, fragment = url.partition('#')
    path, _, query = base.partition('?')
    # A second utm_source would leave the campaign to whichever one the analytics reads.
    kept = [part for part in query.split('&') if part and part.split('=', 1)[0] != 'utm_source']
    kept.append(f'utm_source={quote(str(campaign), safe="")}')
    return f'{path}?{"&".join(kept)}{hash_}{fragment}'


def display_url(url):
    """The URL printed beside the code: no scheme, www, query or trailing slash; fragment kept."""
    base, hash_, fragment = url.partition('#')
    base = base.partition('?')[0]
    base = re.sub(r'^[A-Za-z][A-Za-z0-9+.-]*://', '', base)
    base = re.sub(r'^www\.', '', base).rstrip('/')
    return f'{base}{hash_}{fragment}'


class QRTooLong(Exception):
    """The URL needs more modules than fit the printed size at the smallest readable module."""

    def __init__(self, length, limit, size_mm, min_module_mm, version=None, module_mm=None):
        self.length, self.limit = length, limit
        self.size_mm, self.min_module_mm = size_mm, min_module_mm
        self.version, self.module_mm = version, module_mm  # the largest code that still reads
        self.cut = length - limit
        if version is None:
            message = (f'the QR code URL is {length} characters, but no {size_mm:g} mm code has '
                       f'modules of {min_module_mm:g} mm')
        else:
            message = (f'the QR code URL is {length} characters; at most {limit} fit a '
                       f'{size_mm:g} mm code a phone can read from a printed card (version '
                       f'{version}, modules of {module_mm:.2f} mm, at least {min_module_mm:g} '
                       f'mm): shorten it by {self.cut}')
        super().__init__(message)

    def __reduce__(self):
        # Crosses process boundaries intact (render workers raise it too).
        return type(self), (self.length, self.limit, self.size_mm, self.min_module_mm,
                            self.version, self.module_mm)


@dataclass(frozen=True)
class QRCode:
    url: str
    version: int
    modules: int  # per side, quiet zone excluded
    module_mm: float
    size_mm: float
    svg: str


def side(version):
    return 17 + 4 * version


def fits(modules, size_mm, min_module_mm):
    return modules * min_module_mm <= size_mm + EPSILON


def byte_capacity(version):
    """Bytes a version holds at level M in byte mode: data bits less the mode and length headers."""
    bits = qrcode.util.BIT_LIMIT_TABLE[ERROR_CORRECTION][version]
    header = 4 + qrcode.util.length_in_bits(qrcode.util.MODE_8BIT_BYTE, version)
    return (bits - header) // 8


def largest_version(size_mm, min_module_mm, quiet_modules):
    """The largest version whose modules, quiet zone included, are still ``min_module_mm``
    in a ``size_mm`` square (``None`` if none)."""
    versions = [v for v in range(1, MAX_VERSION + 1)
                if fits(side(v) + 2 * quiet_modules, size_mm, min_module_mm)]
    return versions[-1] if versions else None


def longest_url(size_mm, min_module_mm, quiet_modules):
    """Characters in the longest (ASCII, byte-mode) URL whose code still fits."""
    version = largest_version(size_mm, min_module_mm, quiet_modules)
    return byte_capacity(version) if version else 0


def too_long(url, size_mm, min_module_mm, quiet_modules):
    version = largest_version(size_mm, min_module_mm, quiet_modules)
    module_mm = size_mm / (side(version) + 2 * quiet_modules) if version else None
    return QRTooLong(len(url), longest_url(size_mm, min_module_mm, quiet_modules), size_mm,
                     min_module_mm, version, module_mm)


def svg_path(matrix, offset):
    """One path for every dark module, each horizontal run merged into one rectangle."""
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            width = x - start
            parts.append(f'M{start + offset} {y + offset}h{width}v1h-{width}z')
    return ''.join(parts)


@functools.lru_cache(maxsize=64)
def qr_code(url, size_mm, min_module_mm=MIN_MODULE_MM, quiet_modules=QUIET_MODULES):
    """The smallest level-M code for ``url`` that fills ``size_mm`` square, quiet zone
    included, with modules of at least ``min_module_mm`` (by default what a phone reads).
    Kept once made: a run of clinics renders the same card's code many times."""
    if size_mm <= 0 or min_module_mm <= 0 or quiet_modules < 0:
        raise ValueError('size_mm and min_module_mm must be positive, quiet_modules not negative')
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=0)
    code.add_data(url)
    try:
        code.make(fit=True)
    # Past version 40, qrcode 8 raises ValueError('Invalid version ...'), not DataOverflowError.
    except (qrcode.exceptions.DataOverflowError, ValueError):
        raise too_long(url, size_mm, min_module_mm, quiet_modules) from None
    modules = code.modules_count
    total = modules + 2 * quiet_modules
    if not fits(total, size_mm, min_module_mm):
        raise too_long(url, size_mm, min_module_mm, quiet_modules)
    label = html.escape(display_url(url), quote=True)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_mm:g}mm" height="{size_mm:g}mm" '
           f'viewBox="0 0 {total} {total}" role="img" aria-label="{label}" '
           f'shape-rendering="crispEdges">'
           f'<rect width="{total}" height="{total}" fill="#ffffff"/>'
           f'<path fill="#000000" d="{svg_path(code.modules, quiet_modules)}"/></svg>')
    return QRCode(url, code.version, modules, size_mm / total, size_mm, svg)
