"""Review governance: every publication has a clinical review date that must not pass unseen."""

import os
from datetime import date

SOON_DAYS = 90
LONGEST_PERIOD_YEARS = 3


def today():
    """The date reviews are judged against; ``PRESSROOM_TODAY`` (YYYY-MM-DD) fixes it for tests."""
    fixed = os.environ.get('PRESSROOM_TODAY')
    return date.fromisoformat(fixed) if fixed else date.today()


def key_line(root, path, key):
    """The line of ``key:`` in a YAML file (0 when it cannot be found)."""
    try:
        lines = (root.path / path).read_text(encoding='utf-8').splitlines()
    except OSError:
        return 0
    return next((number for number, line in enumerate(lines, 1)
                 if line.startswith(f'{key}:')), 0)


def review_problems(root, booklets, problems, strict=False, on=None):
    """Overdue reviews (errors with ``strict``), reviews due soon, and review periods too long."""
    on = on or today()
    for booklet in booklets:
        meta = booklet.meta
        where = meta.path
        line = key_line(root, where, 'next_review')
        due = meta.next_review
        days = (due - on).days
        if days < 0:
            message = (f'next review was due on {due.isoformat()} ({-days} days ago): review the '
                       'content and update last_reviewed and next_review')
            (problems.error if strict else problems.warning)(where, line, message)
        elif days <= SOON_DAYS:
            problems.warning(where, line, f'next review is due on {due.isoformat()}, in {days} days')
        period = (due - meta.last_reviewed).days / 365.25
        if period > LONGEST_PERIOD_YEARS:
            problems.warning(where, line, f'review period is {period:.1f} years (last reviewed '
                                       f'{meta.last_reviewed.isoformat()}, next review '
                                       f'{due.isoformat()}); the longest advised is '
                                       f'{LONGEST_PERIOD_YEARS} years')
