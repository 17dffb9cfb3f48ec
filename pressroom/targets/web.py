"""Write the online edition: pages, their images, and local assets (no request leaves the site)."""

import base64
import os
from pathlib import Path

from ..render.fill import web_path
from ..render.web import booklet_page, index_page
from .base import Target
from .output import Output

LIVE_RELOAD = Path(__file__).parent / 'live.js'


class Web(Target):
    """``web/``: a page per booklet (so ``online_url#id`` works), an index, local assets."""

    name = 'web'
    built_from = 'site'
    summary = 'the online edition: one page per booklet, an index, local assets'

    def prepare(self, job, content, options):
        return content, options.live

    def make(self, work, problems, made=None):
        content, live = work
        return web_outputs(content.root, content.booklets, content.cards, content.styles,
                           live=live)


def web_outputs(root, booklets, cards, styles, live=False):
    """Every file of ``web/``."""
    by_slug = {card.slug: card for card in cards}
    outputs = []
    for booklet in booklets:
        page = booklet_page(booklet, by_slug.get(booklet.meta.card), live=live)
        outputs.append(Output(path=f'web/{booklet.slug}/index.html', kind='web',
                              booklet=booklet.slug, data=page.encode(), pages=1))
        for src, uri in booklet.images.items():
            # The reader allowed only paths inside the booklet folder, so the normal form has
            # no '..'; the bytes are the ones it checked, never read again.
            data = base64.b64decode(uri.partition(',')[2])
            outputs.append(Output(path=f'web/{booklet.slug}/{web_path(src)}',
                                  kind='web-asset', booklet=booklet.slug, data=data, pages=0))
    outputs.append(Output(path='web/index.html', kind='web', booklet=None,
                          data=index_page(booklets, live=live).encode(), pages=1))
    outputs += asset_outputs(styles, live)
    return outputs


def web_stylesheet(styles):
    """{name: bytes} of web.css and the files it uses, checked as strictly as the PDFs'
    stylesheets; each file is named by where it really is inside its styles folder (the web
    edition and the EPUB carry the same)."""
    folder, css_path = styles.find('web.css')
    names = {}

    def local(target, data):
        name = Path(os.path.relpath(os.path.realpath(target), folder.path)).as_posix()
        names[name] = data
        return f'url("{name}")'

    css, _ = styles.rewrite(folder, css_path, local)
    return {'web.css': css.encode(), **names}


def asset_outputs(styles, live):
    """web.css and the files it uses, under web/assets/."""
    outputs = [Output(path=f'web/assets/{name}', kind='web-asset', booklet=None, data=data,
                      pages=0) for name, data in web_stylesheet(styles).items()]
    if live:
        outputs.append(Output(path='web/assets/live.js', kind='web-asset', booklet=None,
                              data=LIVE_RELOAD.read_bytes(), pages=0))
    return outputs
