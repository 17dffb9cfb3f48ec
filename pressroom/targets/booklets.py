"""The booklet's PDFs: one target per variant (standard, print, large print) and the office
printer's imposed file, made from the standard one."""

from dataclasses import dataclass

from .base import Target
from .output import Output


@dataclass(frozen=True)
class Variant:
    """How a booklet PDF differs from the standard one."""

    kind: str  # the report's kind
    suffix: str  # added to the slug in the file name
    large: bool = False  # re-set in large print (styles/booklet-large.css)
    press: bool = False  # the commercial printer's file (styles/booklet-print.css, CMYK)


STANDARD = Variant('booklet', '')
PRINT = Variant('booklet-print', '-print', press=True)
LARGE_PRINT = Variant('booklet-large-print', '-large-print', large=True)


@dataclass(frozen=True)
class BookletWork:
    """What a render worker needs to lay out one variant (rendered HTML, no Jinja)."""

    booklet: object
    root: object
    styles: object
    html: str
    kind: str
    card_title: str
    pointer: object  # model.Reference printed under the back page's card, or None


class BookletPdf(Target):
    """``<slug><suffix>.pdf``: a booklet variant, laid out once, references verified."""

    built_from = 'booklet'
    in_worker = True

    def __init__(self, name, variant, summary):
        self.name, self.variant, self.summary = name, variant, summary

    def html(self, booklet, content, notes=None):
        from ..render.booklet import MAX_NOTES, booklet_html
        large = self.variant.large
        return booklet_html(booklet, content.styles, card=content.card_of(booklet),
                            notes=0 if large else (MAX_NOTES if notes is None else notes),
                            large=large, press=self.variant.press)

    def prepare(self, job, content, options):
        from ..render.booklet import card_pointer
        booklet = content.booklet(job.source)
        card = content.card_of(booklet)
        return BookletWork(booklet, content.root, content.styles, self.html(booklet, content),
                           self.variant.kind, card.title if card else '',
                           card_pointer(booklet, card))

    def make(self, work, problems, made=None):
        from .booklet_pdf import build_booklet_pdf
        from .workers import KEEP
        output = build_booklet_pdf(work.booklet, work.root, work.styles, problems, html=work.html,
                                   hold=KEEP, kind=work.kind, card_title=work.card_title,
                                   pointer=work.pointer)
        return [output] if output else []

    def check(self, content, problems):
        """The back cover fits its page (the standard booklet's; print sets the same pages,
        and large print lets its back matter run on)."""
        if self.variant != STANDARD:
            return
        from .booklet_pdf import check_back_cover
        for booklet in content.booklets:
            check_back_cover(booklet, content.root, content.styles, problems,
                             self.html(booklet, content))

    def extra_files(self, job, content, options, outputs):
        """With ``--html``: the HTML with exactly the Notes pages the PDF kept, so that
        WeasyPrint alone lays out the same pages."""
        if not options.html or not outputs:
            return {}
        booklet = content.booklet(job.source)
        html = self.html(booklet, content, notes=outputs[0].notes)
        if outputs[0].compact:
            from .booklet_pdf import compact
            html = compact(html)
        return {f'{booklet.slug}{self.variant.suffix}.html': html.encode('utf-8')}


class Imposed(Target):
    """``<slug>-imposed.pdf``: the standard booklet two-up on A4 for saddle stitching."""

    name = 'imposed'
    built_from = 'booklet'
    needs = ('booklet',)
    summary = 'the booklet two-up on A4 landscape in saddle-stitch order, for an office printer'

    def make(self, job, problems, made=None):
        from .imposition import impose
        standard = [output for output in made.get(f'booklet:{job.source}', [])
                    if output.kind == 'booklet']
        return [Output(path=output.path.replace('.pdf', '-imposed.pdf'), kind='booklet-imposed',
                       booklet=output.booklet, data=impose(output.data),
                       pages=output.pages // 2, seconds=output.seconds) for output in standard]
