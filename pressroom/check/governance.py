"""Review governance: every publication has a clinical review date that must not pass unseen."""

import os
from datetime import date

from ..errors import Problems
from ..read.metadata import read_meta

SOON_DAYS = 90
LONGEST_PERIOD_YEARS = 3


def today():
    """The date reviews are judged against; ``PRESSROOM_TODAY`` (YYYY-MM-DD) fixes it for tests."""
    fixed = os.environ.get('PRESSROOM_TODAY')
    return date.fromisoformat(fixed) if fixed else date.today()


def review_problems(root, booklets, problems, strict=False, on=None):
    """Overdue reviews (errors with ``strict``), reviews due soon, and review periods too long."""
    for booklet in booklets:
        meta_review_problems(booklet.meta, problems, strict, on)


def build_review_problems(root, problems, strict=False, on=None):
    """The same problems for ``build``, from each ``booklet.yaml`` alone: a build that finds
    every output up to date reads no chapter, yet an overdue booklet never builds without a
    word. A ``booklet.yaml`` with errors is the read stage's to report, once."""
    for slug in root.booklet_slugs(Problems()):
        path = root.path / 'booklet' / slug / 'booklet.yaml'
        ignored = Problems()
        text = root.read_text(path, ignored) if os.path.lexists(path) else None
        meta = read_meta(text, f'booklet/{slug}/booklet.yaml', ignored) if text else None
        if meta is not None:
            meta_review_problems(meta, problems, strict, on)


def meta_review_problems(meta, problems, strict=False, on=None):
    """One booklet's review problems, at the line of its ``next_review``."""
    on = on or today()
    where, line = meta.path, meta.lines.get('next_review', 0)
    due = meta.next_review
    days = (due - on).days
    if days < 0:
        message = (f'next review was due on {due.isoformat()} ({-days} days ago): review the '
                   'content and update last_reviewed and next_review')
        (problems.error if strict else problems.warning)(where, line, message)
    elif days <= SOON_DAYS:
        problems.warning(where, line, f'next review is due on {due.isoformat()}, in {days} days')
    period = (due - meta.last_reviewed).days / 365.25
    if due > years_after(meta.last_reviewed, LONGEST_PERIOD_YEARS):
        problems.warning(where, line, f'review period is {period:.1f} years (last reviewed '
                                      f'{meta.last_reviewed.isoformat()}, next review '
                                      f'{due.isoformat()}); the longest advised is '
                                      f'{LONGEST_PERIOD_YEARS} years')


def years_after(day, years):
    """The same date ``years`` later (28 February for 29 February): 2026-09-30 to 2029-09-30
    is three years, leap day or not."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
