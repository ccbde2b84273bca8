"""How far a goal has come and whether it will get there. Pure functions: no database.

Progress is the share of the way from the baseline to the target the latest check-in has
covered, ``(latest - baseline) / (target - baseline)``, clamped to 0–100 %; the same formula
serves goals that go down (a complaint rate from 5 % to 2 %).

The state, in this order:

- **achieved** — the latest value has reached the target (even after the due date);
- **overdue** — the due date has passed and the target is not reached;
- otherwise the trend is extrapolated to the end of the due date:
  with two or more check-ins, the least-squares line through the last three;
  with one, the line from the baseline on the start date through it;
  with none (or check-ins that give no line), the pace so far: actual progress against the
  progress expected by the time elapsed between the start and the due date.
  **on track** if the projection reaches the target, **at risk** if it covers at least
  80 % of the way, **off track** otherwise. Before any progress is expected (on the start
  date, or before it) a goal without a trend is on track.

A goal without a due date cannot be late: it is on track until achieved.
Exact arithmetic throughout (``Fraction``), so a trend that lands on the target exactly
counts as reaching it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from flask_babel import lazy_gettext as _l

AT_RISK_SHARE = Fraction(4, 5)  # a projection covering 80 % of the way is "at risk"
TREND_POINTS = 3  # the trend is the line through the last three check-ins


class GoalState(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    ACHIEVED = "achieved"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])

    @property
    def css(self) -> str:
        """Badge classes: an existing colour, plus ``goal-<state>`` for styles of its own."""
        return f"{STATE_COLOURS[self]} goal-{self.value}"


STATE_LABELS = {
    GoalState.ON_TRACK: _l("On track"),
    GoalState.AT_RISK: _l("At risk"),
    GoalState.OFF_TRACK: _l("Off track"),
    GoalState.ACHIEVED: _l("Achieved"),
    GoalState.OVERDUE: _l("Overdue"),
}

STATE_COLOURS = {
    GoalState.ON_TRACK: "status-prospect",
    GoalState.AT_RISK: "status-on_hold",
    GoalState.OFF_TRACK: "stage-ended",
    GoalState.ACHIEVED: "status-active",
    GoalState.OVERDUE: "overdue-badge",
}


@dataclass(frozen=True)
class Assessment:
    """What a goal's page shows: progress, state, and the two numbers behind the state."""

    progress: int  # whole per cent, 0–100, rounded down: 100 only when achieved
    state: GoalState
    expected: int | None  # per cent of the way the calendar expects by today (no due date: None)
    projected: int | None  # per cent of the way the trend reaches by the due date (0–100)


CheckIns = Sequence[tuple[datetime, Decimal]]


def goal_state(baseline: Decimal, target: Decimal, checkins: CheckIns,
               starts_on: date | None, due_on: date | None,
               today: date) -> tuple[int, GoalState]:
    """(progress in whole per cent, state) of a goal; see the module's description."""
    result = assess(baseline, target, checkins, starts_on, due_on, today)
    return result.progress, result.state


def assess(baseline: Decimal, target: Decimal, checkins: CheckIns,
           starts_on: date | None, due_on: date | None, today: date) -> Assessment:
    """Progress, state, expected and projected share of the way, for one goal."""
    base, goal = Fraction(baseline), Fraction(target)
    points = sorted((_day(at), Fraction(value)) for at, value in checkins)
    span = goal - base
    if span == 0:  # no way to go (the goal form refuses this)
        return Assessment(100, GoalState.ACHIEVED, None, None)
    latest = points[-1][1] if points else base
    share = (latest - base) / span
    progress = _percent(share)
    start = Fraction(starts_on.toordinal()) if starts_on else (
        Fraction(math.floor(points[0][0])) if points else Fraction(today.toordinal()))
    expected, expected_share = None, Fraction(0)
    if due_on is not None:
        deadline = Fraction(due_on.toordinal() + 1)  # the end of the due date
        total = deadline - start
        elapsed = Fraction(today.toordinal()) - start  # whole days gone by the start of today
        expected_share = _clamp(elapsed / total) if total > 0 else Fraction(1)
        expected = _percent(expected_share)
    if share >= 1:
        return Assessment(progress, GoalState.ACHIEVED, expected, 100)
    if due_on is None:
        return Assessment(progress, GoalState.ON_TRACK, None, None)
    if today > due_on:
        return Assessment(progress, GoalState.OVERDUE, expected, None)
    at_deadline = _trend_at(points, start, base, deadline)
    if at_deadline is not None:
        projected = (at_deadline - base) / span
    elif expected_share > 0:
        projected = share / expected_share  # the pace so far, kept up until the due date
    else:
        return Assessment(progress, GoalState.ON_TRACK, expected, None)  # nothing expected yet
    if projected >= 1:
        state = GoalState.ON_TRACK
    elif projected >= AT_RISK_SHARE:
        state = GoalState.AT_RISK
    else:
        state = GoalState.OFF_TRACK
    return Assessment(progress, state, expected, _percent(projected))


def _trend_at(points: list[tuple[Fraction, Fraction]], start: Fraction, base: Fraction,
              when: Fraction) -> Fraction | None:
    """The value the trend line reaches at ``when``; None when the check-ins give no line."""
    if len(points) == 1:
        x, y = points[0]
        if x <= start:
            return None
        return base + (y - base) * (when - start) / (x - start)
    last = points[-TREND_POINTS:]
    if len(last) < 2:
        return None
    n = len(last)
    mean_x = sum(x for x, _y in last) / n
    mean_y = sum(y for _x, y in last) / n
    spread = sum((x - mean_x) ** 2 for x, _y in last)
    if spread == 0:  # all at the same moment: no direction
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in last) / spread
    return mean_y + slope * (when - mean_x)


def _day(moment: datetime | date) -> Fraction:
    """A point in time as days (proleptic ordinal, UTC), exactly."""
    if not isinstance(moment, datetime):
        return Fraction(moment.toordinal())
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
    return (Fraction(moment.toordinal()) + Fraction(seconds, 86_400)
            + Fraction(moment.microsecond, 86_400_000_000))


def _clamp(share: Fraction) -> Fraction:
    return min(max(share, Fraction(0)), Fraction(1))


def _percent(share: Fraction) -> int:
    """A share of the way as whole per cent, 0–100, rounded down."""
    return math.floor(_clamp(share) * 100)
