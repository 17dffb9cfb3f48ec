"""``<slug>.epub``: the booklet as an EPUB 3 for e-readers, with the alert card, its pages
numbered as in the printed booklet (made with the standard booklet, whose layout gives them)."""

import base64
import zipfile
from io import BytesIO

from .base import Target
from .output import Output

# A fixed date for every entry (zip needs one; the OPF carries the booklet's own).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CONTAINER = b"""<?xml version="1.0" encoding="utf-8"?>
<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">
<rootfiles>
<rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
"""


class Epub(Target):
    """``<slug>.epub``: EPUB 3, accessibility metadata, a page-list of the printed booklet."""

    name = 'epub'
    built_from = 'booklet'
    needs = ('booklet',)  # the page-list maps to the standard booklet's printed pages
    summary = 'EPUB 3 for e-readers: every heading, the alert card, the printed page numbers'

    def prepare(self, job, content, options):
        booklet = content.booklet(job.source)
        return booklet, content.card_of(booklet), content.styles

    def make(self, work, problems, made=None):
        booklet, card, styles = work
        standard = [output for output in (made or {}).get(f'booklet:{booklet.slug}', [])
                    if output.kind == 'booklet']
        pages = {anchor['id']: anchor['page'] for output in standard
                 for anchor in output.anchors}
        return [Output(path=f'{booklet.slug}.epub', kind='epub', booklet=booklet.slug,
                       data=epub_bytes(booklet, card, styles, pages), pages=0)]


def epub_bytes(booklet, card, styles, pages):
    """The EPUB's bytes: the same for the same sources (no clock, entries in order)."""
    from ..qr import qr_code
    from ..model import QR_SIZE_MM
    from ..render.epub import Item, epub_documents, media_type
    from ..render.fill import web_path
    from .web import web_stylesheet
    files = dict(web_stylesheet(styles))
    for src, uri in booklet.images.items():
        files[web_path(src)] = base64.b64decode(uri.partition(',')[2])
    if card is not None:
        files[f'images/qr-{card.slug}.svg'] = qr_code(card.url, QR_SIZE_MM).svg.encode()
    assets = [Item(path, media_type(path)) for path in files]
    documents = epub_documents(booklet, card, pages, assets, images=bool(booklet.images))
    files.update({path: text.encode('utf-8') for path, text in documents.items()})
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        # The mimetype first and stored, so that a reader knows the file from its first bytes.
        write(archive, 'mimetype', b'application/epub+zip', zipfile.ZIP_STORED)
        write(archive, 'META-INF/container.xml', CONTAINER)
        for path in sorted(files):
            write(archive, f'OEBPS/{path}', files[path])
    return buffer.getvalue()


def write(archive, name, data, compression=zipfile.ZIP_DEFLATED):
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = compression
    info.create_system = 3
    info.external_attr = 0o644 << 16
    archive.writestr(info, data, compress_type=compression, compresslevel=9)
