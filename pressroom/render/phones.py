"""Phone numbers in the web edition's text as ``tel:`` links, so a phone dials them in one tap."""

import re

SPACE = r'(?:[ \u00a0\u202f]|&nbsp;|&#160;|&#xa0;)'  # a typed space, or a no-break one
# A UK number as people write it: 0 (or +44, maybe "(0)") and the digits in up to three groups
# (0808 157 0123, 020 7946 0000, 01632 960000, +44 (0)20 7946 0000), not inside a longer run of
# digits, a word, a date or a code; and 999 or 111 after a word that asks to call (call 999).
PHONE = re.compile(
    rf'(?<![\w+/.:#-])(?:\+44{SPACE}?(?:\(0\){SPACE}?)?|\(?0)\d{{1,10}}\)?'
    rf'(?:{SPACE}\d{{2,6}}){{0,2}}(?![\w/-]|[.,]\d)'
    rf'|(?P<ask>\b(?i:call|ring|phone|dial|nhs){SPACE})(?P<short>999|111)\b')
SKIPPED = {'a', 'code', 'pre', 'script', 'style', 'kbd', 'samp', 'textarea'}
ENTITY = re.compile(r'&#?\w+;')
TAG = re.compile(r'(<!--.*?-->|<[^>]*>)', re.S)
TAG_NAME = re.compile(r'<(/?)([A-Za-z][\w-]*)')


def tel_href(number):
    """``tel:`` address of a number as written: ``0808 157 0123`` -> ``tel:+448081570123``.

    A UK national number (0 then 9 or 10 digits) gets the country code, so it dials from
    abroad too; 00 becomes +; anything else keeps its digits."""
    digits = re.sub(r'[^\d+]', '', number.replace('(0)', ''))
    if digits.startswith('00'):
        digits = '+' + digits[2:]
    elif re.fullmatch(r'0\d{9,10}', digits):
        digits = '+44' + digits[1:]
    return f'tel:{digits}'


def dialable(number):
    """Whether a match is a whole national number: 9 or 10 digits after 0 or +44."""
    digits = re.sub(r'\D', '', ENTITY.sub(' ', number).replace('(0)', ''))
    national = digits[2:] if number.startswith('+') else digits[1:]
    return 9 <= len(national) <= 10


def link(match):
    if match.group('short'):
        short = match.group('short')
        return f'{match.group("ask")}<a href="tel:{short}">{short}</a>'
    number = match.group()
    if not dialable(number):
        return number
    return f'<a href="{tel_href(ENTITY.sub(" ", number))}">{number}</a>'


def phone_links(html):
    """``html`` with every phone number of its text wrapped in a ``tel:`` link; numbers already
    in a link, in code or in an attribute are left alone."""
    parts = TAG.split(html)  # text, tag, text, tag, ..., text
    inside = []  # the open elements whose text keeps its numbers as they are
    for index, part in enumerate(parts):
        if index % 2:
            tag = TAG_NAME.match(part)
            name = tag and tag.group(2).lower()
            if name not in SKIPPED or part.endswith('/>'):
                continue
            if not tag.group(1):
                inside.append(name)
            elif name in inside:
                del inside[len(inside) - 1 - inside[::-1].index(name):]
        elif part and not inside:
            parts[index] = PHONE.sub(link, part)
    return ''.join(parts)
