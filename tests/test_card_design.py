"""The alert card reads as an emergency, measured on the PDFs (pdfplumber): the title is the
patient face's largest text, the professionals' face opens with an urgent band, no text is
under 8 pt, write-in lines are long enough to write an 11-digit number and 7 mm apart, there
is a line for the patient's name, and the address under the code never breaks at a hyphen."""

import pdfplumber
import pytest

MM = 72 / 25.4
CARD = 'cards/spinal-cord-compression'


def faces(path):
    with pdfplumber.open(path) as pdf:
        return [(page.chars, page.rects, page.width, page.height) for page in pdf.pages]


@pytest.fixture(scope='module')
def cards(sample, built_root):
    """The sample's generic card and one clinic's, and every card of the 300-clinic run that
    test_clinic_run.py ranks among the hardest (a long name, a long word, a long number)."""
    run = built_root('clinic-run')
    return {'generic': sample / f'{CARD}.pdf', 'clinic': sample / f'{CARD}/riverside.pdf',
            'long name': run / 'cards/team-card/c00011.pdf',
            'long word': run / 'cards/team-card/c00007.pdf'}


def write_ins(rects):
    """The write-in lines of a face: thin dark rules, as (x0, x1, baseline) in points."""
    lines = {}
    for rect in rects:
        dark = max(rect['non_stroking_color'] or (1,)) < 0.3 if rect['fill'] else False
        if dark and rect['x1'] - rect['x0'] > 20 * MM:
            lines[(round(rect['x0'], 1), round(rect['x1'], 1))] = rect['bottom']
    return sorted(((x0, x1, bottom) for (x0, x1), bottom in lines.items()), key=lambda l: l[2])


@pytest.mark.parametrize('which', ['generic', 'clinic', 'long name', 'long word'])
def test_no_text_on_a_card_is_smaller_than_8_pt(cards, which):
    for chars, _, _, _ in faces(cards[which]):
        assert chars
        assert min(char['size'] for char in chars) >= 8 - 0.01, which


@pytest.mark.parametrize('which', ['generic', 'clinic', 'long name'])
def test_the_title_is_the_largest_text_on_the_patients_face(cards, which):
    chars, _, _, _ = faces(cards[which])[0]
    largest = max(char['size'] for char in chars)
    title = [char for char in chars if char['size'] == largest]
    assert ''.join(char['text'] for char in title).replace(' ', '') in (
        'Spinalcordcompressionalertcard', 'Hospitalteamalertcard'), which
    assert largest >= 1.3 * 8
    # It comes first: nothing is printed above it.
    assert min(char['top'] for char in title) == min(char['top'] for char in chars)


@pytest.mark.parametrize('which', ['generic', 'clinic'])
def test_the_professionals_face_opens_with_an_urgent_band(cards, which):
    chars, rects, width, _ = faces(cards[which])[1]
    bands = [rect for rect in rects if rect['fill'] and rect['non_stroking_color']
             and len(rect['non_stroking_color']) == 3
             and rect['non_stroking_color'][0] > 0.6 and max(rect['non_stroking_color'][1:]) < 0.2]
    [band] = bands
    assert band['x1'] - band['x0'] >= (85 - 6 - 0.5) * MM  # the whole safe width
    assert band['top'] <= 3 * MM + 0.5  # at the top of the safe area
    inside = [char for char in chars if band['top'] <= char['top'] and char['bottom'] <=
              band['bottom'] and band['x0'] <= char['x0'] and char['x1'] <= band['x1']]
    assert ''.join(char['text'] for char in inside).startswith('URGENT')
    assert all(char['non_stroking_color'] in ((1, 1, 1), [1, 1, 1], (1.0, 1.0, 1.0))
               for char in inside)
    # Nothing else on the face is printed above the band.
    assert min(char['top'] for char in chars) >= band['top']


def test_write_in_lines_are_long_enough_and_far_enough_apart(cards):
    for chars, rects, _, _ in faces(cards['generic']):
        lines = write_ins(rects)
        assert lines
        for x0, x1, _ in lines:
            assert x1 - x0 >= 40 * MM
        baselines = [bottom for _, _, bottom in lines]
        for upper, lower in zip(baselines, baselines[1:]):
            assert lower - upper >= 7 * MM - 0.05
    # The professionals' face has three: the patient's name, the team and its number.
    assert len(write_ins(faces(cards['generic'])[1][1])) == 3


def test_a_clinic_card_keeps_the_patients_name_line_and_fills_the_rest(cards):
    chars, rects, _, _ = faces(cards['clinic'])[1]
    lines = write_ins(rects)
    assert len(lines) == 1
    text = ''.join(char['text'] for char in chars)
    assert 'Patient’s name:' in text and 'Riverside Oncology Unit' in text
    text_chars = ''.join(char['text'] for char in chars)
    label = chars[text_chars.index('name:') + 4]
    x0, x1, bottom = lines[0]
    assert x0 > label['x1'] and abs(bottom - label['bottom']) < 3 * MM


def test_the_address_under_the_code_never_breaks_at_a_hyphen(cards):
    for which in ('generic', 'long word'):
        chars, _, width, _ = faces(cards[which])[0]
        # The address: in the code's column, in the card's navy blue.
        label = [char for char in chars if char['x0'] > width - 3 * MM - 26 * MM - 0.5
                 and char['non_stroking_color'][0] < 0.2 and char['non_stroking_color'][2] > 0.3
                 and abs(char['size'] - 8) < 0.01]
        rows = {}
        for char in label:
            rows.setdefault(round(char['top']), []).append(char)
        lines = [''.join(char['text'] for char in sorted(row, key=lambda c: c['x0']))
                 for _, row in sorted(rows.items())]
        address = lines
        assert not any(line.endswith('-') for line in address), lines
        # The sample's code is a short address; the run prints its URL, on as few lines as fit.
        assert ''.join(address) in ('northlight.example.org/scc',
                                    'clinic-run.example.org/team#when-to-call'), address
