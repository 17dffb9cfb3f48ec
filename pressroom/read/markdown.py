"""Convert one chapter's Markdown to HTML, keeping the source line of every heading, link and image.

Python-Markdown does not track lines, so the source is scanned for headings and links
in document order and matched to the elements of the converted tree in the same order.
"""

import html
import re

import markdown
from markdown.extensions.toc import slugify
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, STX, ETX

from ..errors import Problems
from ..model import (BACK_PAGE_ID, Chapter, Heading, Image, Reference, image_token,
                     reference_token, reserved)
from .budget import SLOW, OverBudget, time_budget
from .sanitize import (RAW_SRC, Locator, check_html, clean, image_tags,
                       without_token_characters)

EXTENSIONS = ['tables', 'attr_list', 'smarty', 'sane_lists', 'fenced_code']
HEADING_TAGS = {'h1': 1, 'h2': 2, 'h3': 3, 'h4': 4, 'h5': 5, 'h6': 6}
ATX = re.compile(r'^ {0,3}#{1,6}(?:[ \t]+|$)')
SETEXT = re.compile(r'^ {0,3}(=+|-+)[ \t]*$')
FENCE = re.compile(r'^ {0,3}(`{3,}|~{3,})')
LINK = re.compile(r'\]\(\s*<?([^)\s>]+)')
ESCAPED = re.compile(f'{STX}([0-9]+){ETX}')
TAG = re.compile(r'<[^>]+>')
# Link texts that ask for a bare page number or the target's title instead of "(see page N)".
FORMS = {'page': 'page', 'title': 'title'}


class SourceLines:
    """Where headings and link targets occur in the source, consumed in document order."""

    def __init__(self, text):
        self.headings = []
        self.links = []
        fence = None
        lines = text.splitlines()
        for number, line in enumerate(lines, 1):
            match = FENCE.match(line)
            if fence:
                if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                    fence = None
                continue
            if match:
                fence = match.group(1)
                continue
            if ATX.match(line):
                self.headings.append(number)
            elif (SETEXT.match(line) and number > 1 and lines[number - 2].strip()
                  and not ATX.match(lines[number - 2])):
                self.headings.append(number - 1)
            self.links.extend((number, target) for target in LINK.findall(line))

    def heading(self, index):
        return self.headings[index] if index < len(self.headings) else 1

    def link(self, target):
        for index, (number, found) in enumerate(self.links):
            if found == target:
                del self.links[index]
                return number
        return 1


class ChapterCollector(Treeprocessor):
    """Give headings their ids, classify cross-references and record everything with its line."""

    def __init__(self, md, source, path):
        super().__init__(md)
        self.source = source
        self.lines = SourceLines(source)
        self.path = path
        self.headings = []
        self.references = []
        self.images = []

    def plain_text(self, element):
        text = ''.join(element.itertext())

        def stashed(match):
            return TAG.sub('', self.md.htmlStash.rawHtmlBlocks[int(match.group(1))])

        text = HTML_PLACEHOLDER_RE.sub(stashed, text)
        text = ESCAPED.sub(lambda match: chr(int(match.group(1))), text)
        return ' '.join(html.unescape(text).split())

    def run(self, root):
        self.raw_images()
        for element in root.iter():
            if element.tag in HEADING_TAGS:
                self.add_heading(element)
            elif element.tag == 'a' and element.get('href', '').startswith('#'):
                self.add_reference(element)
            elif element.tag == 'img':
                self.add_image(element)

    def add_heading(self, element):
        title = self.plain_text(element)
        if not element.get('id'):
            made = slugify(title, '-')
            # A made-up id never takes one the build uses itself ("Main" -> main-1).
            element.set('id', f'{made}-1' if reserved(made) else made)
        line = self.lines.heading(len(self.headings))
        self.headings.append(Heading(element.get('id'), title, HEADING_TAGS[element.tag],
                                     self.path, line))

    def add_reference(self, element):
        target = element.get('href')[1:]
        text = self.plain_text(element).lower()
        form = FORMS.get(text, 'see') if len(element) == 0 else 'see'
        classes = element.get('class', '').split() + ['ref', f'ref-{form}']
        if form != 'see':
            # Its words depend on the output ("page" + a number, the title, "the back page"):
            # render fills them in.
            element.text = reference_token(len(self.references))
        if target == BACK_PAGE_ID:
            # The card is on the back page, whatever its number: say so, as printed booklets do.
            classes.append('ref-back')
        element.set('class', ' '.join(classes))
        line = self.lines.link(element.get('href'))
        self.references.append(Reference(target, form, self.path, line))

    def add_image(self, element):
        line = self.lines.link(element.get('src', ''))
        self.images.append(Image(element.get('src', ''), element.get('alt', '').strip(),
                                 self.path, line))
        # Each output has its own address for the file (a data: URI, a path on the site).
        element.set('src', image_token(len(self.images) - 1))

    def raw_images(self):
        """``<img>`` written as raw HTML (Markdown keeps it aside, unparsed, until after this
        step): recorded and given a placeholder like Markdown images, so a missing file is
        one error at its line and each output fills in its own address."""
        locate = Locator(self.source)
        blocks = self.md.htmlStash.rawHtmlBlocks
        for number, block in enumerate(blocks):
            if not isinstance(block, str) or '<img' not in block.lower():
                continue
            indices = []
            for src, alt, tag in image_tags(block):
                line = locate.line(tag, src, '<img')
                self.images.append(Image(src, alt.strip(), self.path, line))
                if RAW_SRC.search(tag):
                    indices.append(len(self.images) - 1)
            order = iter(indices)

            def tokenised(match):
                index = next(order, None)
                if index is None:  # (an <img inside a comment: left as it is)
                    return match.group(0)
                return f'{match.group(1)}"{image_token(index)}"'

            block = RAW_SRC.sub(tokenised, block)
            blocks[number] = block


def convert_chapter(source, path, problems=None):
    """Markdown text of ``path`` (relative to the content root) -> ``Chapter`` (``None`` when
    it is too slow to convert); HTML outside the allow-list (read/sanitize.py) is recorded in
    ``problems`` and removed."""
    problems = problems if problems is not None else Problems()
    source = without_token_characters(source, path, problems)
    md = markdown.Markdown(extensions=EXTENSIONS, output_format='html')
    collector = ChapterCollector(md, source, path)
    # After inline patterns (20) and attr_list (8), before unescaping (0).
    md.treeprocessors.register(collector, 'pressroom-collect', 5)
    try:
        with time_budget():
            body = md.convert(source)
    except OverBudget:
        problems.error(path, 1, SLOW)
        return None
    check_html(body, source, path, problems)
    body = clean(body)
    return Chapter(path=path, html=body, headings=tuple(collector.headings),
                   references=tuple(collector.references), images=tuple(collector.images),
                   source=source)
