"""HTML fragments re-serialised as well-formed XHTML (for EPUB): every element closed, void
elements self-closed, attributes quoted, text escaped, comments dropped."""

import html
from html.parser import HTMLParser

VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source',
        'track', 'wbr'}


class _Serialiser(HTMLParser):
    def __init__(self, before, href, after):
        super().__init__(convert_charrefs=True)
        self.before, self.href, self.after = before, href, after
        self.out, self.open = [], []

    def start(self, tag, attrs, closed):
        attrs = dict(attrs)
        if attrs.get('id') in self.before:
            self.out.append(self.before[attrs['id']])
        if tag == 'a' and attrs.get('href', '').startswith('#'):
            attrs['href'] = self.href(attrs['href'][1:])
        # A boolean attribute (``hidden``) has no value in HTML; XML wants one.
        text = ''.join(f' {name}="{html.escape(name if value is None else value, quote=True)}"'
                       for name, value in attrs.items())
        if tag in VOID or closed:
            self.out.append(f'<{tag}{text}/>')
        else:
            self.out.append(f'<{tag}{text}>')
            self.open.append((tag, attrs))

    def handle_starttag(self, tag, attrs):
        self.start(tag, attrs, False)

    def handle_startendtag(self, tag, attrs):
        self.start(tag, attrs, True)

    def handle_endtag(self, tag):
        if tag in VOID or tag not in (name for name, _ in self.open):
            return  # a stray end tag: HTML ignores it too
        while self.open:
            name, attrs = self.open.pop()
            self.out.append(f'</{name}>')
            if name == 'a':
                self.out.append(self.after(attrs))
            if name == tag:
                break

    def handle_data(self, data):
        self.out.append(html.escape(data, quote=False))

    def close(self):
        super().close()
        while self.open:
            self.out.append(f'</{self.open.pop()[0]}>')


def xhtml(fragment, before=None, href=None, after=None):
    """``fragment`` as XHTML. ``before``: {id: markup} put before the element with that id
    (page-break markers); ``href(id)``: where a same-document link ``#id`` leads now;
    ``after(attrs)``: markup after each link closes (the printed page of a reference)."""
    serialiser = _Serialiser(before or {}, href or (lambda id: f'#{id}'),
                             after or (lambda attrs: ''))
    serialiser.feed(fragment)
    serialiser.close()
    return ''.join(serialiser.out)
