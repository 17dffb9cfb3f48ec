"""Fill in what the reader left open in a chapter for each output to decide: the words of a
reference ("page", a title, "the back page") and the address of each image."""

import html
import posixpath

from ..model import BACK_PAGE_ID, IMAGE_TOKEN, REFERENCE_TOKEN


def filled(chapter, booklet, web=False, numbered_card=False):
    """``chapter``'s HTML for the PDFs (images as ``data:`` URIs, so the HTML needs no other
    file) or for its web page (images as files beside the page, references as plain links).
    ``numbered_card``: the card has a page of its own (large print), named by its number."""
    def reference(match):
        ref = chapter.references[int(match.group(1))]
        if ref.form == 'page' and ref.target == BACK_PAGE_ID and not numbered_card:
            # The card is on the back page, whatever its number, as printed booklets say.
            return 'the alert card' if web else 'the back page'
        if ref.form == 'page' and not web:
            return 'page'  # the stylesheet adds the number the target landed on
        heading = booklet.heading(ref.target)
        return f'\u2018{html.escape(heading.title if heading else ref.target, quote=False)}\u2019'

    def image(match):
        src = chapter.images[int(match.group(1))].src
        if web:
            return html.escape(web_path(src), quote=True)
        return booklet.images.get(src, '')

    return IMAGE_TOKEN.sub(image, REFERENCE_TOKEN.sub(reference, chapter.html))


def web_path(src):
    """Where an image's file is in a booklet's web folder (the reader allowed no '..')."""
    return posixpath.normpath(src)
