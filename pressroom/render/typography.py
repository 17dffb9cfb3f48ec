"""Ties: runs of text a line must not break, in print and on the web, joined by no-break spaces.
Digit groups (a phone number, "0808 157 0123", never "0808 157 / 0123") and a heading's last
two words (no word alone on a heading's last line: WeasyPrint has no ``text-wrap: balance``).
"page N" and "(see page N)" are tied by the stylesheets, which print the number.

No-break spaces rather than nowrap spans: WeasyPrint 70 sometimes breaks a line far too early
before a nowrap span (after the first word of "If your temperature reaches 37.5 °C, call …
<span>0808 157 0456</span>"), where Pango breaks lines with no-break spaces correctly. Text
extracted from the PDFs (pdftotext) reads them as ordinary spaces."""

import re

NBSP = '\u00a0'
# Digit groups one space apart, standing alone: a phone number as people write it
# ('0808 157 0123', '+44 (0)20 7946 0000'), not the 'M1 2N' of a postcode 'BM1 2NL'. Any such
# run is kept whole: a break inside one never helps.
DIGIT_GROUPS = re.compile(r'(?<![\w+])\+?\d+(?: \(0\) ?\d+| \d+)+(?!\w)')
TAG = re.compile(r'(<!--.*?-->|<[^>]*>)', re.S)
TAG_NAME = re.compile(r'<(/?)([A-Za-z][\w-]*)')
# "(see [page](#id))" typed in a chapter: its "page N" is tied by the stylesheet, "(see page" here.
SEE_PAGE = re.compile(r'(\((?i:see)) (<a\b[^>]*\bref-page\b)')
HEADING = re.compile(r'(<h[1-6]\b[^>]*>)(.*?)(</h[1-6]>)', re.S)
# Text kept exactly as written: a line of code keeps its own spaces.
VERBATIM = {'pre', 'code', 'kbd', 'samp'}
# Two words longer than this might not fit a heading's line together (22 pt on A5, 30 pt on
# A4 large print: about 25 characters a line): then they are left free to break.
TIED_WORDS = 20


def join_digits(text):
    """Plain ``text`` with no-break spaces inside its digit groups (a template filter: the
    helpline in the footers' CSS strings and on the back cover, the back matter)."""
    return DIGIT_GROUPS.sub(lambda match: match.group().replace(' ', NBSP), str(text))


def tied(html_text):
    """A chapter's HTML with the digit groups of its text tied (not in a tag, code or pre)
    and the last two words of each heading of three words or more; "(see" before a page
    reference."""
    parts = TAG.split(html_text)  # text, tag, text, tag, ..., text
    verbatim = 0
    for index, part in enumerate(parts):
        if index % 2:
            name = TAG_NAME.match(part)
            if name and name.group(2).lower() in VERBATIM and not part.endswith('/>'):
                verbatim = max(verbatim + (-1 if name.group(1) else 1), 0)
        elif part and not verbatim:
            parts[index] = join_digits(part)
    return HEADING.sub(tie_heading, SEE_PAGE.sub(f'\\1{NBSP}\\2', ''.join(parts)))


def tie_words(text):
    """Plain ``text`` (a title set as a heading by a template) with its last two words tied
    as a heading's are."""
    return tie_heading_html(str(text))


def tie_headings(html_text):
    """Only the headings of ``html_text`` tied (a card's faces: their digits are tied by
    render/card.py); a heading holding a clinic's field is left as it is."""
    return HEADING.sub(tie_heading, html_text)


def tie_heading(match):
    opening, inner, closing = match.groups()
    if 'class="field' in inner:
        return match.group()
    return opening + tie_heading_html(inner) + closing


def tie_heading_html(inner):
    """A heading's HTML with a no-break space for its last breakable space, when a line could
    break it in three places or more and its last two pieces are short enough to share a line."""
    parts = TAG.split(inner)
    pieces = [piece for piece in ''.join(parts[::2]).strip().split(' ') if piece.strip()]
    if len(pieces) < 3 or len(' '.join(pieces[-2:])) > TIED_WORDS:
        return inner
    seen = False  # a word after this point, so a space here is between two words
    for index in range(len(parts) - 1, -1, -2):  # the text parts, last first
        text = parts[index]
        for position in range(len(text) - 1, -1, -1):
            if text[position] == ' ' and seen:
                parts[index] = text[:position] + NBSP + text[position + 1:]
                return ''.join(parts)
            seen = seen or not text[position].isspace()
    return inner
