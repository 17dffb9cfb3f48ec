"""Read ``clinics.csv``: one personalised card run per row. Values are data, never markup."""

import csv
import io
import re

from ..model import Clinic

# The longest value a card is laid out with: far more than any card holds, and a bound on how
# tall the pages measuring an overflowing card must be (render/card.py TALL).
MAX_VALUE = 1000
SAFE_ID = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_-]*$')


def read_clinics(text, rel, requires, problems):
    """((Clinic, ...), columns) after recording every problem with its ``clinics.csv:line``."""
    reader = csv.reader(io.StringIO(text, newline=''), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        problems.error(rel, reader.line_num or 1, f'malformed CSV: {error}')
        return (), ()
    if not header or not any(cell.strip() for cell in header):
        problems.error(rel, 1, 'empty file: expected a header row with an id column')
        return (), ()
    columns = [cell.strip() for cell in header]
    for index, column in enumerate(columns):
        if not column:
            problems.error(rel, 1, f'column {index + 1} has no name')
        elif columns.index(column) != index:
            problems.error(rel, 1, f"duplicate column '{column}'")
    if 'id' not in columns:
        problems.error(rel, 1, "no 'id' column: each row needs an id that names its files")
    for column in requires:
        if column not in columns:
            problems.error(rel, 1, f"missing required column '{column}' (card.yaml requires "
                                   f"{', '.join(requires)})")
    clinics, seen, rows = [], {}, 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.error(rel, reader.line_num, f'malformed CSV: {error}')
            rows += 1
            break
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        if len(row) != len(columns):
            problems.error(rel, line, f'expected {len(columns)} values ({", ".join(columns)}), '
                                      f'found {len(row)}')
            continue
        values = dict(zip(columns, (cell.strip() for cell in row)))
        for column, value in values.items():
            if len(value) > MAX_VALUE:
                problems.error(rel, line, f"'{column}' is {len(value)} characters long: a "
                                          f'card holds far fewer (at most {MAX_VALUE} are '
                                          'even tried)')
        clinic_id = values.get('id', '')
        for column in requires:
            if column in values and not values[column]:
                problems.error(rel, line, f"'{column}' is empty (card.yaml requires it)")
        if 'id' in values:
            if not clinic_id:
                problems.error(rel, line, "'id' is empty")
            elif not SAFE_ID.match(clinic_id):
                problems.error(rel, line, f"id '{clinic_id}' may only hold letters, digits, "
                                          "'-' and '_': it names the clinic's files")
            elif clinic_id in seen:
                problems.error(rel, line, f"duplicate id '{clinic_id}' (first on line "
                                          f"{seen[clinic_id]})")
            else:
                seen[clinic_id] = line
        clinics.append(Clinic(clinic_id, tuple(values.items()), line))
    if not rows:
        problems.error(rel, 1, 'no clinics: add one row per clinic under the header')
    return tuple(clinics), tuple(columns)
