"""Goal writes, from plain values (a form, an import, a job or the CLI turns its input into
them). Callers own the transaction: these never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tracker.extensions import db
from tracker.models import Goal, GoalCheckIn, Team, User, utcnow
from tracker.records import ensure_current


@dataclass(frozen=True, kw_only=True)
class GoalInput:
    """A goal as a form, an import or an API gives it: what, measured how, from where to
    where by when, and who owns it."""

    title: str
    metric: str
    unit: str = ""
    baseline: Decimal
    target: Decimal
    why: str
    parent_id: int | None = None
    starts_on: date | None = None  # None: the day the goal is set
    due_on: date
    owner_id: int | None = None


def save_goal(data: GoalInput, team: Team, goal: Goal | None = None, *,
              version: int | str | None = None) -> Goal:
    """Create a goal of ``team`` or update ``goal``.

    ``version`` is the one the caller's view of ``goal`` had: an update against an older
    one is refused with StaleRecord, so nobody overwrites a change they never saw.
    """
    if goal is None:
        goal = Goal(team_id=team.id)
        db.session.add(goal)
    else:
        ensure_current(goal, version)
    goal.title = data.title.strip()
    goal.metric = data.metric.strip()
    goal.unit = (data.unit or "").strip()
    goal.baseline = data.baseline
    goal.target = data.target
    goal.why = data.why.strip()
    goal.parent_id = data.parent_id
    goal.starts_on = data.starts_on
    goal.due_on = data.due_on
    goal.owner_id = data.owner_id
    return goal


def add_checkin(goal: Goal, value: Decimal, note: str, author: User) -> GoalCheckIn:
    """A new check-in: where the metric stands now, and why. Added by id, not through
    ``goal.checkins``: the goal itself does not change, so an edit form open on it does
    not go stale."""
    checkin = GoalCheckIn(goal_id=goal.id, at=utcnow(), value=value,
                          note=(note or "").strip(), author_id=author.id)
    db.session.add(checkin)
    return checkin
