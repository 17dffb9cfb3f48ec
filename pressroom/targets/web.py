"""Write the online edition: pages, their images, and local assets (no request leaves the site)."""

import base64
import os
import posixpath
from pathlib import Path
from urllib.parse import urlsplit

from ..render.web import booklet_page, index_page, page_ids
from .output import Output

LIVE_RELOAD = Path(__file__).parent / 'live.js'


def web_outputs(root, booklets, cards, styles, problems, live=False):
    """Every file of ``web/``; QR codes that open a missing id are errors at their card."""
    by_slug = {card.slug: card for card in cards}
    outputs, ids = [], {}
    for booklet in booklets:
        page = booklet_page(booklet, by_slug.get(booklet.meta.card), live=live)
        ids[booklet.slug] = page_ids(page)
        outputs.append(Output(path=f'web/{booklet.slug}/index.html', kind='web',
                              booklet=booklet.slug, data=page.encode(), pages=1))
        for src, uri in booklet.images.items():
            # The reader allowed only paths inside the booklet folder, so the normal form has
            # no '..'; the bytes are the ones it checked, never read again.
            data = base64.b64decode(uri.partition(',')[2])
            outputs.append(Output(path=f'web/{booklet.slug}/{posixpath.normpath(src)}',
                                  kind='web-asset', booklet=booklet.slug, data=data, pages=0))
    outputs.append(Output(path='web/index.html', kind='web', booklet=None,
                          data=index_page(booklets, live=live).encode(), pages=1))
    outputs += asset_outputs(styles, live)
    check_qr_targets(booklets, cards, ids, problems)
    return outputs


def asset_outputs(styles, live):
    """web.css and the files it uses, checked as strictly as the PDFs' stylesheets; each file
    is named by where it really is inside its styles folder."""
    folder, css_path = styles.find('web.css')
    names = {}

    def local(target, data):
        name = Path(os.path.relpath(os.path.realpath(target), folder.path)).as_posix()
        names[name] = data
        return f'url("{name}")'

    css, _ = styles.rewrite(folder, css_path, local)
    outputs = [Output(path='web/assets/web.css', kind='web-asset', booklet=None,
                      data=css.encode(), pages=0)]
    outputs += [Output(path=f'web/assets/{name}', kind='web-asset', booklet=None, data=data,
                       pages=0) for name, data in names.items()]
    if live:
        outputs.append(Output(path='web/assets/live.js', kind='web-asset', booklet=None,
                              data=LIVE_RELOAD.read_bytes(), pages=0))
    return outputs


def page_address(url):
    parts = urlsplit(url)
    return f'{parts.scheme}://{parts.netloc}{parts.path}'.rstrip('/'), parts.fragment


def check_qr_targets(booklets, cards, ids, problems):
    """Each card's QR code must open a page of the web edition at an id that exists there."""
    pages = {page_address(booklet.meta.online_url)[0]: booklet for booklet in booklets}
    for card in cards:
        address, fragment = page_address(card.url)
        booklet = pages.get(address)
        where = f'{card.folder}/card.yaml'
        if booklet is None:
            problems.error(where, card.url_line, f"card '{card.slug}': its QR code opens "
                                                 f'{address}, which is no booklet\'s online_url')
        elif fragment and fragment not in ids[booklet.slug]:
            problems.error(where, card.url_line, f"card '{card.slug}': its QR code opens "
                                                 f"#{fragment}, which is not an id in the web "
                                                 f'edition of {booklet.folder}')
