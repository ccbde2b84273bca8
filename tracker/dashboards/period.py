"""The dashboards' date range and its buckets, in the reader's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import format_date
from werkzeug.datastructures import MultiDict

from tracker.i18n import day_start, local_today
from tracker.text import day_of

DEFAULT_WEEKS = 12
MAX_DAYS = 3 * 366  # a longer range is cut to this: monthly buckets up to three years
WEEKLY_UP_TO_DAYS = 26 * 7  # longer ranges are counted by month


@dataclass(frozen=True)
class Bucket:
    """Days ``first`` to ``last`` (both included) and the label the chart shows."""

    first: date
    last: date
    label: str


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def from_args(cls, args: MultiDict, today: date) -> Period:
        """``from`` and ``to`` (YYYY-MM-DD), else the last DEFAULT_WEEKS weeks up to today,
        starting on a Monday; reversed dates are swapped, a too long range is cut."""
        end = day_of(args.get("to")) or today
        start = day_of(args.get("from")) or (end - timedelta(days=end.weekday())
                                - timedelta(weeks=DEFAULT_WEEKS - 1))
        if start > end:
            start, end = end, start
        if (end - start).days > MAX_DAYS:
            start = end - timedelta(days=MAX_DAYS)
        return cls(start, end)

    @property
    def weekly(self) -> bool:
        return (self.end - self.start).days < WEEKLY_UP_TO_DAYS

    def buckets(self) -> list[Bucket]:
        """Weeks from Monday to Sunday (or calendar months), cut to the period's ends."""
        found: list[Bucket] = []
        first = self.start
        while first <= self.end:
            if self.weekly:
                last = min(first - timedelta(days=first.weekday()) + timedelta(days=6),
                           self.end)
                label = format_date(first, "M/d")
            else:
                following = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
                last = min(following - timedelta(days=1), self.end)
                label = format_date(first, "yyyy/M")
            found.append(Bucket(first, last, label))
            first = last + timedelta(days=1)
        return found

    def args(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def bucket_of(column: sa.ColumnElement, buckets: list[Bucket]) -> sa.ColumnElement:
    """Which bucket a time falls in (0, 1 …), by the buckets' starts as parameters: one
    CASE the database evaluates per row, right in every time zone (no date arithmetic)."""
    whens = [(column < day_start(b.last, 1), i) for i, b in enumerate(buckets)]
    return sa.case(*whens, else_=None)


def within(column: sa.ColumnElement, buckets: list[Bucket]) -> sa.ColumnElement[bool]:
    return sa.and_(column >= day_start(buckets[0].first), column < day_start(buckets[-1].last, 1))


__all__ = ["Bucket", "Period", "bucket_of", "day_start", "local_today", "within"]
