"""Writes clinics.csv of this root: NHS-style clinic names of 20-80 characters (fixed seed).

Run from the repository: `.venv/bin/python tests/roots/clinic-run/make_clinics.py [count] [out]`.
bench/bench.py uses it too, for 1,000 and 10,000 clinics.
"""

import csv
import random
import sys
from pathlib import Path

PLACES = ['Riverside', 'Irwell Valley', 'Avonside', 'Forthbank', 'Taff Vale', 'Northgate',
          'Upper Tamar', 'North Moorland', 'Royal Wessex', 'South Downs', 'Queen Eleanor\'s',
          'Eden Valley', 'Solway Coast', 'Brackleymoor', 'Ashworth Vale', 'Glan Clwyd',
          'Ynys Môn', 'Bryn-y-Neuadd', 'Pen-y-Fai', 'Llandrindod Wells', 'Bodelwyddan',
          'Saint Bartholomew\'s', 'Weston-super-Mare', 'Brontë Moor', 'Cœur de Lion',
          'Nuñez Court', 'Zoë Hart', 'Łęczna House', 'Ystrad Fawr', 'Wrecsam Maelor']
KINDS = ['Hospital', 'University Hospital', 'Infirmary', 'Community Hospital',
         'Hospitals NHS Foundation Trust', 'University Health Board', 'Cancer Centre',
         'General Hospital', 'Ysbyty Cymuned']
SERVICES = ['Oncology Unit', 'Breast and Bone Oncology Unit', 'Acute Oncology Service',
            'Lymph Service', 'Metastatic Spinal Cord Compression Team', 'Cancer Clinic',
            'Chemotherapy Day Unit', 'Macmillan Centre', '']
LONG_WORD = 'Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch'
PHONES = ['01632 960 {:03d}', '0113 496 0{:03d}', '+44 117 496 0{:03d}', '029 2018 0{:03d}',
          '020 7946 0{:03d}', '0161 496 0{:03d} (24 h)', '0300 123 4{:03d} ext. 2201']


def name(rng):
    while True:
        parts = [rng.choice(['', 'Royal ', 'The ']) + rng.choice(PLACES)]
        if rng.random() < 0.5:
            parts.append('and ' + rng.choice(PLACES))
        parts.append(rng.choice(KINDS))
        service = rng.choice(SERVICES)
        if service:
            parts.append(service)
        text = ' '.join(parts)
        if 20 <= len(text) <= 80:
            return text


def rows(count, seed=10):
    rng = random.Random(seed)
    yield ['id', 'name', 'phone']
    for number in range(count):
        value = name(rng)
        if number == 7:
            value = f'{LONG_WORD} Hospital'  # one 58-letter word: must break, not overflow
        if number == 11:
            value = ('Royal Brackleymoor and Ashworth Vale University Hospital Lymph Service '
                     'Team')[:80]
        yield [f'c{number:05d}', value, rng.choice(PHONES).format(number % 1000)]


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else \
        Path(__file__).parent / 'cards' / 'team-card' / 'clinics.csv'
    with open(out, 'w', newline='', encoding='utf-8') as file:
        csv.writer(file, lineterminator='\n').writerows(rows(count))


if __name__ == '__main__':
    main()
