"""Reading grade (SMOG), over-long sentences and hard words per chapter: did a review make it
harder to read, and which plainer words could help?"""

import html
import math
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

from ..read.markdown import ATX, FENCE, SETEXT
from .plain_words import plainer

# Words whose count the rules below get wrong, or must not drift when the rules change:
# UK spellings, clinical and drug words, and words said differently from how they are spelt.
# To add a word, give it in lower case with the count heard in plain British speech, e.g.
# 'oedema': 3. Plurals and possessives ("ideas", "tumour's") find the singular; for
# abbreviations said as a word rather than letter by letter (PET), add the lower-case form.
SYLLABLES = {
    # UK spellings and clinical words
    'anaemia': 4,
    'bisphosphonates': 4,
    'chemotherapy': 5,  # che-mo-ther-a-py
    'denosumab': 4,
    'diagnosed': 3,
    'diagnosis': 4,
    'diarrhoea': 4,
    'haematologist': 5,
    'haemoglobin': 4,
    'hypercalcaemia': 6,
    'immunotherapy': 6,
    'kyphoplasty': 4,
    'metastases': 4,
    'metastatic': 4,
    'oesophagus': 4,
    'oestrogen': 3,
    'orthopaedic': 4,  # or-tho-pae-dic
    'osteoblasts': 4,
    'osteoclasts': 4,
    'osteonecrosis': 6,
    'paediatric': 4,
    'palliative': 4,
    'pancreas': 3,
    'platelet': 2,
    'radiotherapy': 6,
    'vertebroplasty': 5,
    # Everyday words the spelling misleads
    'area': 3,
    'café': 2,
    'colour': 2,
    'create': 2,
    'element': 3,
    'every': 2,  # "ev-ry" in plain speech, so "everything" is 3 and "everyone" 3
    'fatigue': 2,
    'idea': 3,
    'maybe': 2,
    'nausea': 3,
    'people': 2,
    'queue': 1,
    'recipe': 3,
    'tumour': 2,
    "aren't": 1,
    "weren't": 1,
    'mrs': 2,
    # Abbreviations said as words (others in capitals are spelt out: NHS is 3)
    'brca': 2,
    'dexa': 2,
    'her': 1,  # HER2
    'nice': 1,
    'pals': 1,
    'pet': 1,
    'sabr': 2,
    'tens': 1,
}
# Compounds whose first part ends in a silent e or is said short: some-times, every-thing.
COMPOUND_HEADS = ('every', 'some', 'any', 'there', 'where', 'else', 'home', 'time', 'life',
                  'side', 'care', 'like', 'whole', 'bone')
# Second parts starting with a vowel that still make a compound (not home-opathy, care-er).
VOWEL_TAILS = {'one', 'ones', 'as', 'in', 'of', 'on', 'upon', 'after', 'ever'}
# Vowel pairs said as two syllables (di-a-gnosis, cal-ci-um, flu-id), each match adds one.
SPLIT_VOWELS = [re.compile(pattern) for pattern in (
    r'(?<![ctgs])ia|[ct]iat',  # tri-al, ap-pro-pri-ate; not so-cial, Asia
    r'(?<![tscgxn])(?<!ll)io(?!ur)|sio(?!n)',  # bi-op-sy, phys-i-o; not na-tion, mil-lion, vi-sion
    r'(?<!g)iu',  # cal-ci-um
    r'(?<![gcp])eo|^geo',  # os-te-o-, vi-de-o; not peo-ple, sur-geon
    r'(?<![gq])ua(?![aeiou])',  # u-su-al; not qua-li-ty, lan-guage
    r'(?<![gq])ue[lnt]',  # flu-ent, cru-el
    r'(?<![gq])ui(?:d|n(?!g$))',  # flu-id, gen-u-ine; not guide
    r'iet',  # di-et, qui-et, so-ci-e-ty
    r'(?<![tcs])ien[tc]|^scien',  # cli-ent, ex-pe-ri-ence, sci-ence; not pa-tient, an-cient
    r'[aeiouy][^aeiouy]+i(?:ers?|est)$',  # ea-si-er
    r'uou',  # con-tin-u-ous
    r'eums?$',  # mu-se-um
    r'creat(?!ur)',  # cre-ate, pan-cre-at-ic
    r'[aeiouy][^aeiouy]+ea$',  # cor-ne-a
    r'(?:s|th)ms?$',  # spa-sm, rhy-thm
)]
# A silent e before these endings: like-ly, state-ment, use-ful.
SILENT_E_SUFFIX = re.compile(r'[aeiouy][^aeiouy]e(?:ly|ments?|ful|fully|less|ness)$')
HISSING_ES = re.compile(r'(?:[sxzcg]|[cs]h)es$')  # bus-es, box-es, chan-ges, wash-es
SYLLABIC_L_OR_R = re.compile(r'(?:[^aeiouyl]l|[^aeiouyr]r)e[sd]?$')  # ta-ble, cen-tre, trou-bled
SPELT_OUT = re.compile(r'[A-Z]{2,4}(?:\'?s)?')  # NHS, GPs, MRI's
WORD_PART = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")

FENCE_OR_BREAK = re.compile(r'^ {0,3}([-*_])(?: *\1){2,} *$')
TABLE_DELIMITER = re.compile(r'^ *\|? *:?-+:? *(?:\| *:?-+:? *)*\|? *$')
LIST_ITEM = re.compile(r'^ *(?:[-*+]|\d{1,9}[.)])(?: +|$)')
QUOTE = re.compile(r'^ *> ?')
CLOSING_HASHES = re.compile(r'(?:^| +)#+ *$')
COMMENT = re.compile(r'<!--.*?-->', re.S)
INLINE = [(re.compile(pattern), replacement) for pattern, replacement in (
    (r'!\[[^\]]*\]\([^)]*\)', ''),  # images are not read as running text
    (r'\[([^\]]*)\]\([^)]*\)', r'\1'),
    (r'\[([^\]]+)\]\[[^\]]*\]', r'\1'),
    (r' *\{:? *[#.][^{}]*\}', ''),  # attribute lists: {#id}, {: .class}
    (r'<((?:https?|mailto):[^>]+)>', r'\1'),
    (r'</?[A-Za-z][^>]*>', ''),
    (r'`+([^`]*)`+', r'\1'),
    (r'\\([\\`*_{}\[\]()#+\-.!|>~])', r'\1'),
    (r'\*\*|__|~~', ''),
    (r'(?<!\w)[*_]|[*_](?!\w)', ''),
)]
SENTENCE_END = re.compile(r'[.!?…]+[\'"’”)\]]*(?=\s|$)')
ENDS_A_SENTENCE = re.compile(r'[.!?…]+[\'"’”)\]]*\s*$')
# Never the end of a sentence. "etc." is, unless a lower-case word follows (as after any stop).
ABBREVIATIONS = {'e.g.', 'i.e.', 'dr.', 'mr.', 'mrs.', 'ms.', 'prof.', 'vs.', 'approx.', 'cf.'}
WORDLIKE = re.compile(r'[^\W_]')
EDGE = re.compile(r"^[^\w]+|[^\w]+$")  # quotes and punctuation around a word
ADDRESS = re.compile(r'[^\W\d_][./@][^\W\d_]')  # northlight.example.org, a/b: not read as words


@dataclass(frozen=True)
class Sentence:
    """Plain text of one sentence, the source line it starts on and its number of words.

    ``prose``: a sentence of running text, which SMOG samples: every sentence of a paragraph or
    quote, and of a list item one of two words or more that ends with . ! ? or …; never a
    heading or a table cell ("Drug", "Every 3 weeks", "Calcium and vitamin D" are labels)."""

    text: str
    line: int
    words: int
    heading: bool = False
    prose: bool = True


@dataclass(frozen=True)
class HardWord:
    """A word of 3 or more syllables (SMOG counts it), or one the plain-words list would
    replace, with how often the chapter's prose uses it and the plainer word, if listed."""

    word: str
    count: int
    syllables: int
    suggestion: str = ''


@dataclass(frozen=True)
class ChapterReadability:
    """``sentences`` counts the SMOG sample: the chapter's prose sentences."""

    path: str
    smog: float
    sentences: int
    long_sentences: tuple[Sentence, ...] = ()
    booklet: str = ''  # the booklet's slug: every booklet has its 01-…md
    hard_words: tuple[HardWord, ...] = ()  # most used first


def plain_text(markdown_line):
    """One line of Markdown inline syntax -> the words a reader sees."""
    text = markdown_line
    for pattern, replacement in INLINE:
        text = pattern.sub(replacement, text)
    return ' '.join(html.unescape(text).split())


def blocks(markdown_text):
    """Yield ``(kind, [(line, text), ...])`` per paragraph, list item, table cell and heading;
    ``kind`` is ``'paragraph'``, ``'item'``, ``'cell'`` or ``'heading'``."""
    # Comments may span lines: blank them out but keep the line count.
    text = COMMENT.sub(lambda match: '\n' * match.group().count('\n'), markdown_text)
    lines = text.splitlines()
    block, kind, fence = [], None, None
    for number, line in enumerate(lines, 1):
        match = FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        while QUOTE.match(line):
            line = QUOTE.sub('', line, count=1)
        following = lines[number] if number < len(lines) else ''
        # A setext underline turns the paragraph above it into a heading.
        setext = SETEXT.match(line) and kind == 'paragraph'
        table = kind == 'table' and '|' in line or (
            '|' in line and '|' in following and TABLE_DELIMITER.match(following))
        marker = LIST_ITEM.match(line) if not FENCE_OR_BREAK.match(line) else None
        starts = (match or not line.strip() or ATX.match(line) or FENCE_OR_BREAK.match(line)
                  or setext or marker or table and kind != 'table')
        if starts or kind == 'table' and not table:
            if block:
                yield 'heading' if setext else kind, block
            block, kind = [], None
        if match:
            fence = match.group(1)
        elif ATX.match(line):
            yield 'heading', [(number, plain_text(CLOSING_HASHES.sub('', ATX.sub('', line))))]
        elif table:
            kind = 'table'
            if not TABLE_DELIMITER.match(line):
                for cell in re.split(r'(?<!\\)\|', line.strip().strip('|')):
                    yield 'cell', [(number, plain_text(cell))]
        elif marker:
            block, kind = [(number, plain_text(line[marker.end():]))], 'item'
        elif line.strip() and not setext and not FENCE_OR_BREAK.match(line):
            block.append((number, plain_text(line)))
            kind = kind or 'paragraph'
    if block:
        yield kind, block


def ends_sentence(text, match):
    following = text[match.end():].lstrip()
    if following[:1].islower():
        return False
    word = text[:match.end()].split()[-1].lstrip('(["\'‘“').lower()
    return word not in ABBREVIATIONS


def split_block(pieces, kind):
    heading = kind == 'heading'
    text, starts, lines = '', [], []
    for line, piece in pieces:
        if piece:
            text += ' ' if text else ''
            starts.append(len(text))
            lines.append(line)
            text += piece
    cuts = [0]
    if not heading:
        cuts += [match.end() for match in SENTENCE_END.finditer(text) if ends_sentence(text, match)]
    cuts.append(len(text))
    for start, end in zip(cuts, cuts[1:]):
        chunk = text[start:end]
        words = sum(1 for token in chunk.split() if WORDLIKE.search(token))
        if words:
            offset = start + len(chunk) - len(chunk.lstrip())
            line = lines[bisect_right(starts, offset) - 1]
            prose = kind == 'paragraph' or (kind == 'item' and words > 1
                                            and bool(ENDS_A_SENTENCE.search(chunk)))
            yield Sentence(chunk.strip(), line, words, heading, prose)


def plain_sentences(markdown_text):
    """Markdown source -> its sentences; headings, list items and table cells stand alone."""
    return [sentence for kind, pieces in blocks(markdown_text)
            for sentence in split_block(pieces, kind)]


def vowel_marks(word):
    """Which letters are vowels; y is, except first or between vowels (be-yond)."""
    marks = []
    for index, letter in enumerate(word):
        if letter == 'y':
            after = word[index + 1:index + 2]
            between = bool(after) and after in 'aeiou' and index > 0 and marks[-1]
            marks.append(index > 0 and not between)
        else:
            marks.append(letter in 'aeiou')
    return marks


def heuristic_syllables(word):
    """Syllables of one lower-case word from its spelling alone."""
    marks = vowel_marks(word)
    count = sum(1 for index, vowel in enumerate(marks)
                if vowel and (index == 0 or not marks[index - 1]))
    count += sum(len(pattern.findall(word)) for pattern in SPLIT_VOWELS)
    if word.endswith('ing') and len(word) > 4 and marks[-4]:
        count += 1  # go-ing, be-ing, try-ing: the i sits next to another vowel
    # A final e, es or ed on its own after a consonant is mostly silent (make, takes, walked),
    # but not after a consonant + l or r (ta-ble, cen-tre), nor -es after a hiss, nor -ted/-ded.
    own_e = len(word) > 2 and not SYLLABIC_L_OR_R.search(word)
    if own_e and word.endswith('e') and not marks[-2]:
        count -= 1
    elif own_e and word.endswith('es') and not marks[-3] and not HISSING_ES.search(word):
        count -= 1
    elif own_e and word.endswith('ed') and not marks[-3] and word[-3] not in 'td':
        count -= 1
    if re.search(r'ques?$|(?:[aeiou]|n)gues?$', word):
        count -= 1  # tech-nique, fa-tigue: the ue is silent
    if SILENT_E_SUFFIX.search(word):
        count -= 1
    return max(1, count)


def part_syllables(part):
    key = part.lower()
    for candidate in (key, re.sub("'s$", '', key), re.sub('s$', '', key)):
        if candidate in SYLLABLES:
            return SYLLABLES[candidate]
    if SPELT_OUT.fullmatch(part):
        return sum(3 if letter == 'W' else 1 for letter in re.sub("'?s$", '', part))
    for head in COMPOUND_HEADS:
        tail = key[len(head):]
        if (key.startswith(head) and len(tail) > 1 and re.search('[aeiouy]', tail)
                and (tail[0] not in 'aeiou' or tail.split("'")[0] in VOWEL_TAILS)):
            return part_syllables(head) + part_syllables(tail)
    count = 1 if re.search("[^aeiou]n't$", key) else 0  # could-n't, does-n't; not don't
    letters = re.sub('[^a-z]', '', unicodedata.normalize('NFKD', key))
    return count + (heuristic_syllables(letters) if letters else 1)


def syllables(word):
    """Syllables in one word as written (punctuation, digits and hyphens allowed); at least 1."""
    parts = WORD_PART.findall(word.replace('’', "'"))
    return max(1, sum(part_syllables(part) for part in parts))


def smog(sentences):
    """SMOG grade of the prose sentences (not headings, table cells or labels in lists); 0.0 if
    there are none.

    SMOG is calibrated on samples of 30 sentences; shorter chapters are still graded, scaled
    to 30, so their grade is rougher.
    """
    sample = [sentence for sentence in sentences if sentence.prose and not sentence.heading]
    if not sample:
        return 0.0
    polysyllables = sum(1 for sentence in sample for token in sentence.text.split()
                        if WORDLIKE.search(token) and not ADDRESS.search(token)
                        and syllables(token) >= 3)
    return 1.0430 * math.sqrt(polysyllables * 30 / len(sample)) + 3.1291


def hard_words(sentences, words=None):
    """The words of 3 or more syllables in ``sentences`` (what raises SMOG) and any word that
    ``words`` (the plain-words list) would replace, most used first."""
    words = words or {}
    counts, sizes = Counter(), {}
    for sentence in sentences:
        for token in sentence.text.replace('’', "'").split():
            word = re.sub(r"'s$", '', EDGE.sub('', token))
            if not WORDLIKE.search(word) or ADDRESS.search(word):
                continue
            size = syllables(word)
            if size >= 3 or plainer(word, words):
                key = word if SPELT_OUT.fullmatch(word) else word.lower()
                counts[key] += 1
                sizes[key] = size
    for word in sorted(counts, key=len, reverse=True):  # "areas" is counted with "area"
        single = next((form for form in (word[:-3] + 'y', word[:-2], word[:-1])
                       if word.endswith('s') and form != word and form in counts), None)
        if single:
            counts[single] += counts.pop(word)
    return tuple(HardWord(word, count, sizes[word], plainer(word, words))
                 for word, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def chapter_readability(path, markdown_text, long_words=25, booklet='', words=None):
    """SMOG on the chapter's prose; long sentences anywhere but headings (a list item or a table
    cell of 30 words is as hard to read as a sentence); hard words with ``words``' suggestions."""
    sentences = plain_sentences(markdown_text)
    sample = [sentence for sentence in sentences if sentence.prose and not sentence.heading]
    return ChapterReadability(
        path=str(path), smog=round(smog(sample), 1), sentences=len(sample),
        long_sentences=tuple(sentence for sentence in sentences
                             if not sentence.heading and sentence.words > long_words),
        booklet=booklet, hard_words=hard_words(sample, words))


def readability_problems(results, problems, max_smog=12, long_words=25):
    """Warn about hard chapters and long sentences (use the ``long_words`` given to the results)."""
    for result in results:
        if result.smog > max_smog:
            problems.warning(result.path, 1, f'reading grade (SMOG) {result.smog:g} is above '
                             f'{max_smog}: use shorter sentences and shorter words')
        for sentence in result.long_sentences:
            if sentence.words > long_words:
                words = sentence.text.split()
                start = ' '.join(words[:8]) + ('…' if len(words) > 8 else '')
                problems.warning(result.path, sentence.line, f'sentence of {sentence.words} '
                                 f'words (over {long_words}): "{start}"')


def readability_table(results):
    """One aligned line per chapter under a header, for the terminal."""
    header = ('booklet', 'chapter', 'SMOG', 'sentences', 'long sentences')
    rows = [(result.booklet, PurePath(result.path).name, f'{result.smog:.1f}',
             str(result.sentences), str(len(result.long_sentences))) for result in results]
    widths = [max(len(row[column]) for row in [header] + rows) for column in range(len(header))]
    lines = []
    for row in [header] + rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:2], widths)]
        cells += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:])]
        lines.append('  '.join(cells).rstrip())
    return '\n'.join(lines)


def hard_words_list(results, shown=12):
    """One line per chapter with hard words: those with a plainer word first, then the most
    used, ``shown`` at most (``--format json`` has them all)."""
    lines = []
    for result in results:
        if not result.hard_words:
            continue
        ordered = sorted(result.hard_words, key=lambda hard: not hard.suggestion)
        texts = [hard.word + (f' ×{hard.count}' if hard.count > 1 else '')
                 + (f' → {hard.suggestion}' if hard.suggestion else '')
                 for hard in ordered[:shown]]
        more = len(ordered) - shown
        chapter = PurePath(result.path).name
        name = f'{result.booklet}/{chapter}' if result.booklet else chapter
        lines.append(f'{name}: ' + '; '.join(texts) + (f'; and {more} more' if more > 0 else ''))
    return '\n'.join(lines)
