"""Readability: syllables, sentences from Markdown, the SMOG grade, warnings and the table."""

import json

from conftest import META, PROJECT
from pressroom.check.plain_words import PACKAGED, parse, plainer
from pressroom.check.readability import (
    SYLLABLES, ChapterReadability, HardWord, Sentence, chapter_readability, hard_words_list,
    plain_sentences, readability_problems, readability_table, smog, syllables)
from pressroom.errors import Problems

# Words whose count is not in doubt (British pronunciation).
ORDINARY = {
    'cat': 1, 'the': 1, 'make': 1, 'bone': 1, 'bones': 1, 'takes': 1, 'walked': 1, 'helped': 1,
    'nurse': 1, 'spine': 1, 'eye': 1, 'yes': 1, 'tongue': 1, 'league': 1, 'cheque': 1,
    'table': 2, 'little': 2, 'cancer': 2, 'treatment': 2, 'changes': 2, 'causes': 2,
    'nurses': 2, 'tablets': 2, 'tissue': 2, 'going': 2, 'being': 2, 'trying': 2, 'playing': 2,
    'agreed': 2, 'needed': 2, 'beyond': 2, 'centre': 2, 'muscles': 2, 'colleagues': 2,
    'technique': 2, 'client': 2, 'diet': 2, 'quiet': 2, 'fluid': 2, 'statement': 2, 'useful': 2,
    'careful': 2, 'likely': 2, 'something': 2, 'sometimes': 2, 'someone': 2, 'therefore': 2,
    'beautiful': 3, 'created': 3, 'hospital': 3, 'everything': 3, 'everyone': 3,
    'injection': 3, 'appointment': 3, 'specialist': 3, 'understand': 3, 'important': 3,
    'possible': 3, 'surgery': 3, 'biopsy': 3, 'calcium': 3, 'decided': 3, 'completely': 3,
    'serious': 3, 'previous': 3, 'easier': 3, 'skeleton': 3, 'behaviour': 3, 'catalogue': 3,
    'information': 4, 'operation': 4, 'radiation': 4, 'experience': 4, 'oncologist': 4,
    'continuous': 4, 'absolutely': 4, 'readability': 5, 'radiologist': 5, 'immediately': 5,
    'osteoporosis': 6, 'physiotherapy': 6,
}
# The override table: every one of these must keep its count.
OVERRIDES = {
    'haemoglobin': 4, 'oesophagus': 4, 'anaemia': 4, 'oestrogen': 3, 'haematologist': 5,
    'paediatric': 4, 'tumour': 2, 'colour': 2, 'hypercalcaemia': 6, 'osteoclasts': 4,
    'osteoblasts': 4, 'osteonecrosis': 6, 'bisphosphonates': 4, 'denosumab': 4,
    'metastatic': 4, 'metastases': 4, 'radiotherapy': 6, 'chemotherapy': 5,
    'immunotherapy': 6, 'vertebroplasty': 5, 'kyphoplasty': 4, 'orthopaedic': 4,
    'palliative': 4, 'diagnosis': 4, 'diagnosed': 3, 'fatigue': 2, 'queue': 1, 'nausea': 3,
    'area': 3, 'idea': 3, 'create': 2, 'people': 2, 'every': 2, 'diarrhoea': 4, 'platelet': 2,
    'maybe': 2, 'café': 2,
}


def test_syllables_of_ordinary_words():
    assert {word: syllables(word) for word in ORDINARY} == ORDINARY


def test_syllables_of_override_words():
    assert {word: syllables(word) for word in OVERRIDES} == OVERRIDES
    assert set(OVERRIDES) <= set(SYLLABLES)


def test_syllables_of_written_forms():
    assert [syllables(word) for word in ('Radiotherapy', 'tumours', "tumour's", 'ideas')] == [
        6, 2, 2, 3]
    # Hyphenated words count every part; punctuation and digits are not syllables.
    assert [syllables(word) for word in ('bone-strengthening', 'x-rays', 'PET-CT', '"cancer,"',
                                         'HER2', '0808')] == [4, 2, 3, 2, 1, 1]
    # Abbreviations in capitals are spelt out unless said as a word.
    assert [syllables(word) for word in ('NHS', 'GP', 'GPs', 'MRI', 'PET')] == [3, 2, 2, 3, 1]
    assert [syllables(word) for word in ("couldn't", "doesn't", "don't", "you're", "aren't",
                                         "we’ll")] == [2, 2, 1, 1, 1, 1]


SOURCE = """\
# Bone health {#bone-health}

Your dose is 2.5 mg a day. Take it with food, e.g. at breakfast.
Visit northlight.example.org for more. Dr. Patel or Mrs. Jones,
i.e. your team, will explain!

- **Calcium** and *vitamin D*
- see [title](#diet) for foods
1. First step. Second step

![A drawing](images/bone.png)
<!-- Reviewer: check the dose. -->

```
Not. A. Sentence.
```

| Drug | How often |
| --- | --- |
| Zometa | Every 3 weeks. Sometimes less |

Setext heading
--------------

Pain, sickness, etc. can be eased. Pain, sickness etc. Tell your nurse.
> Is it "bad?" Yes.
"""


def test_sentences_from_markdown():
    # The last column: prose, which SMOG samples. Headings and table cells never are; a list
    # item only when it is a sentence of two words or more ending with . ! ? or ….
    assert [(s.text, s.line, s.words, s.heading, s.prose) for s in plain_sentences(SOURCE)] == [
        ('Bone health', 1, 2, True, False),
        ('Your dose is 2.5 mg a day.', 3, 7, False, True),
        ('Take it with food, e.g. at breakfast.', 3, 7, False, True),
        ('Visit northlight.example.org for more.', 4, 4, False, True),
        ('Dr. Patel or Mrs. Jones, i.e. your team, will explain!', 4, 10, False, True),
        ('Calcium and vitamin D', 7, 4, False, False),
        ('see title for foods', 8, 4, False, False),
        ('First step.', 9, 2, False, True),
        ('Second step', 9, 2, False, False),
        ('Drug', 18, 1, False, False),
        ('How often', 18, 2, False, False),
        ('Zometa', 20, 1, False, False),
        ('Every 3 weeks.', 20, 3, False, False),
        ('Sometimes less', 20, 2, False, False),
        ('Setext heading', 22, 2, True, False),
        # "etc." ends a sentence only when a capital follows.
        ('Pain, sickness, etc. can be eased.', 25, 6, False, True),
        ('Pain, sickness etc.', 25, 3, False, True),
        ('Tell your nurse.', 25, 3, False, True),
        ('Is it "bad?"', 26, 3, False, True),
        ('Yes.', 26, 1, False, True),
    ]
    assert chapter_readability('b/x.md', SOURCE).sentences == 10


# Polysyllables (3+ syllables) of the three sentences, the heading left out:
#   radiotherapy 6, chemotherapy 5, usual 3                              -> 3
#   oncologist 4, haematologist 5, information 4                         -> 3
#   bisphosphonates 4, skeleton 3, osteonecrosis 6, hypercalcaemia 6     -> 4
# SMOG = 1.0430 * sqrt(10 * 30 / 3) + 3.1291 = 10.430 + 3.1291 = 13.5591
SMOG_SAMPLE = """\
# Radiotherapy, chemotherapy and information

Radiotherapy and chemotherapy are usual treatments for cancer.
Your oncologist and haematologist will explain the information.
Bisphosphonates protect the skeleton from osteonecrosis and hypercalcaemia.
"""


def test_smog_of_a_hand_counted_sample():
    sentences = plain_sentences(SMOG_SAMPLE)
    assert abs(smog(sentences) - 13.5591) < 1e-9
    result = chapter_readability('booklet/b/08-treatments.md', SMOG_SAMPLE, booklet='b')
    assert result == ChapterReadability('booklet/b/08-treatments.md', 13.6, 3, (), 'b', tuple(
        HardWord(word, 1, syllables(word)) for word in sorted((
            'radiotherapy', 'chemotherapy', 'usual', 'oncologist', 'haematologist',
            'information', 'bisphosphonates', 'skeleton', 'osteonecrosis', 'hypercalcaemia'))))
    assert smog([]) == 0.0
    assert smog([Sentence('Radiotherapy information', 1, 2, heading=True)]) == 0.0


def test_a_hard_chapter_is_warned_about():
    problems = Problems()
    readability_problems([chapter_readability('b/08-treatments.md', SMOG_SAMPLE)], problems)
    assert [p.format() for p in problems.warnings] == [
        'b/08-treatments.md:1: warning: reading grade (SMOG) 13.6 is above 12: '
        'use shorter sentences and shorter words']
    assert not problems.errors
    problems = Problems()
    readability_problems([chapter_readability('b/08-treatments.md', SMOG_SAMPLE)], problems,
                         max_smog=14)
    assert problems.warnings == []


LONG = """\
# A heading of twenty-seven words is never a long sentence, because headings are left out of the check on sentence length in every chapter we write today

This one is short. When you have secondary breast cancer in the bone, you may find
that the pain is worse at night and that it keeps you awake for hours. Another short one.

- ask your team about the drugs, the scans, the tests, the side effects, the support you can get and the people you can call when you need help
- this item has exactly twenty-five words, so it is not long: one two three four five six seven eight nine ten eleven twelve thirteen fourteen
"""


def test_long_sentences_are_warned_about_with_their_line():
    result = chapter_readability('b/09-managing.md', LONG)
    # 27 words from line 3 to line 4, and a list item of 28 words on line 6.
    assert [(s.line, s.words) for s in result.long_sentences] == [(3, 27), (6, 28)]
    assert [s.words for s in plain_sentences(LONG) if s.heading] == [27]
    problems = Problems()
    readability_problems([result], problems)
    assert [p.format() for p in problems.warnings] == [
        'b/09-managing.md:3: warning: sentence of 27 words (over 25): '
        '"When you have secondary breast cancer in the…"',
        'b/09-managing.md:6: warning: sentence of 28 words (over 25): '
        '"ask your team about the drugs, the scans,…"',
    ]
    problems = Problems()
    readability_problems([chapter_readability('b/09.md', LONG, long_words=27)], problems,
                         long_words=27)
    assert [p.line for p in problems.warnings] == [6]


def test_table_for_the_terminal():
    results = [ChapterReadability('booklet/bone/01-about.md', 7.1, 19, booklet='bone'),
               ChapterReadability('booklet/bone/08-treatments.md', 12.0, 273,
                                  (Sentence('Long.', 3, 30),), booklet='bone'),
               ChapterReadability('booklet/lymphoedema/01-about.md', 6.0, 9,
                                  booklet='lymphoedema')]
    assert readability_table(results) == (
        'booklet      chapter           SMOG  sentences  long sentences\n'
        'bone         01-about.md        7.1         19               0\n'
        'bone         08-treatments.md  12.0        273               1\n'
        'lymphoedema  01-about.md        6.0          9               0')


def test_the_sample_booklet_reads_at_a_sensible_grade():
    chapters = sorted((PROJECT / 'booklet' / 'secondary-breast-cancer-in-the-bone').glob('*.md'))
    assert len(chapters) == 11
    for path in chapters:
        result = chapter_readability(path, path.read_text(encoding='utf-8'))
        assert result.sentences > 10, path.name
        assert 5 <= result.smog <= 14, (path.name, result.smog)


# A chapter as editors write them: a lead-in, a list of labels, a table of one-word cells, and
# prose. Only the prose is a SMOG sample: 4 sentences (the list item that is a sentence, the
# paragraph's two and the closing one); the heading, 3 labels and 6 cells are not.
CHAPTER = """\
# Medicines {#medicines}

You may be given these medications. Take them approximately as your team says.

- Painkillers
- Anti-sickness tablets
- Bisphosphonates strengthen the bones.

| Drug | When |
| --- | --- |
| Zometa | Monthly |
| Denosumab | Monthly |

Tell your oncologist about every medication you take.
"""
WORDS = {word: plain for word, plain in parse(PACKAGED.read_text(encoding='utf-8')).items()
         if plain}


def test_sentences_are_counted_from_prose_only():
    sentences = plain_sentences(CHAPTER)
    assert [s.text for s in sentences if s.prose] == [
        'You may be given these medications.', 'Take them approximately as your team says.',
        'Bisphosphonates strengthen the bones.',
        'Tell your oncologist about every medication you take.']
    assert [s.text for s in sentences if not s.prose] == [
        'Medicines', 'Painkillers', 'Anti-sickness tablets', 'Drug', 'When', 'Zometa',
        'Monthly', 'Denosumab', 'Monthly']
    result = chapter_readability('booklet/b/03-medicines.md', CHAPTER, words=WORDS)
    assert result.sentences == 4
    # medications 4, approximately 5, bisphosphonates 4, oncologist 4, medication 4: 5 words
    # of 3+ syllables in 4 sentences (denosumab, in a cell, is not in the sample).
    assert result.smog == round(1.0430 * (5 * 30 / 4) ** 0.5 + 3.1291, 1) == 9.5


def test_hard_words_are_listed_with_plainer_words():
    result = chapter_readability('booklet/b/03-medicines.md', CHAPTER, booklet='b', words=WORDS)
    assert result.hard_words == (
        HardWord('medication', 2, 4, 'medicine'),  # "medications" counted with "medication"
        HardWord('approximately', 1, 5, 'about'),
        HardWord('bisphosphonates', 1, 4),
        HardWord('oncologist', 1, 4, 'cancer doctor'))
    assert hard_words_list([result]) == (
        'b/03-medicines.md: medication ×2 → medicine; approximately → about; '
        'oncologist → cancer doctor; bisphosphonates')
    assert hard_words_list([result], shown=2) == (
        'b/03-medicines.md: medication ×2 → medicine; approximately → about; and 2 more')


def test_the_plain_words_list():
    assert len(WORDS) >= 40
    assert {word: WORDS[word] for word in ('approximately', 'commence', 'medication')} == {
        'approximately': 'about', 'commence': 'start, begin', 'medication': 'medicine'}
    # Inflected forms find the dictionary form; capitals do not matter.
    assert [plainer(word, WORDS) for word in ('Medications', 'commencing', 'commenced',
                                              'utilises', 'walked')] == [
        'medicine', 'start, begin', 'start, begin', 'use', '']


def five_booklets(make_root):
    files = {}
    for slug in ('bone', 'brain', 'liver', 'lung', 'skin'):
        files[f'booklet/{slug}/booklet.yaml'] = META.replace('TB-01', f'TB-{slug}')
        files[f'booklet/{slug}/01-what-is-it.md'] = (f'# What is it {{#what-{slug}}}\n\n'
                                                     'Short words. Plain talk.\n')
    return make_root(files, meta=None)


def test_the_table_names_the_booklet_of_each_chapter(run, make_root):
    root = five_booklets(make_root)
    result = run('check', '--source', root)
    assert result.code == 0, result.err
    table = result.out.split('Readability (SMOG grade of the prose; aim for 12 or below):\n')[1]
    rows = table.split('\n\n')[0].splitlines()
    assert rows == ['booklet  chapter           SMOG  sentences  long sentences'] + [
        f'{slug:<7}  01-what-is-it.md   3.1          2               0'
        for slug in ('bone', 'brain', 'liver', 'lung', 'skin')]
    data = json.loads(run('check', '--format', 'json', '--source', root).out)
    assert [(item['booklet'], item['path']) for item in data['readability']] == [
        (slug, f'booklet/{slug}/01-what-is-it.md')
        for slug in ('bone', 'brain', 'liver', 'lung', 'skin')]


def test_check_lists_hard_words_and_a_content_root_adds_its_own(run, make_root):
    own = ('# Our own plainer words\n'
           'bisphosphonates -> bone-strengthening drugs\n'
           'oncologist -> specialist cancer doctor\n'
           'approximately ->\n'
           'medication = medicine\n')
    root = make_root({'booklet/b/01-a.md': CHAPTER, 'plain-words.txt': own})
    result = run('check', '--source', root)
    assert result.code == 0
    assert result.lines == ["plain-words.txt:5: warning: not a plain-words entry: "
                            "'medication = medicine'; write one word, '->' and what to write "
                            "instead, e.g. 'approximately -> about'"]
    assert ('Hard words (3 or more syllables, which raise the grade; → a plainer word from '
            'plain-words.txt):\nb/01-a.md: medication ×2 → medicine; bisphosphonates → '
            'bone-strengthening drugs; oncologist → specialist cancer doctor; approximately\n'
            ) in result.out
    data = json.loads(run('check', '--format', 'json', '--source', root).out)
    assert data['readability'][0]['hard_words'][:2] == [
        {'word': 'medication', 'count': 2, 'syllables': 4, 'suggestion': 'medicine'},
        {'word': 'approximately', 'count': 1, 'syllables': 5, 'suggestion': ''}]
