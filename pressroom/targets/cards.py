"""Alert cards: the generic card, its sheets, and every clinic's card (targets/card_pdf.py)."""

from .base import Target


class Cards(Target):
    """``cards/<card>.pdf`` and its sheets, and ``cards/<card>/<clinic>.pdf`` for each clinic."""

    name = 'cards'
    built_from = 'card'
    in_worker = True
    summary = 'alert cards: generic, sheets, the printer\'s sheet, one per clinic'

    def prepare(self, job, content, options):
        return content.card(job.source), content.root, content.styles

    def make(self, work, problems, made=None):
        from functools import partial

        from ..render.card import card_html
        from .card_pdf import build_card
        card, root, styles = work
        return build_card(card, root, styles, problems, partial(card_html, card, styles))

    def check(self, content, problems):
        """Every card laid out as ``build`` would: each face and each clinic's card fits."""
        from functools import partial

        from ..render.card import card_html
        from .card_pdf import check_card
        for card in content.cards:
            check_card(card, content.root, content.styles, problems,
                       partial(card_html, card, content.styles))
