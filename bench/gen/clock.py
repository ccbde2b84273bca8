"""Complaint deadlines exactly as intake and every move compute them (``tracker.sla``).

Complaints received before the policy change count around the clock, where a deadline
is plain arithmetic (done here in integers, the same rule as ``sla.deadline``); later
ones hold the database's current policy, business hours included, through tracker.sla.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from tracker import sla
from tracker.clients.complaints.deadline_rules import current_calendar
from tracker.extensions import db
from tracker.models import SlaPolicy

# The around-the-clock policy the department had before the change (minutes).
OLD_POLICY = {"critical": (30, 240), "high": (120, 1440), "medium": (240, 2880),
              "low": (480, 4320)}
POLICY_CHANGE_DAYS = 120  # days before "now" the current policy took over

Pauses = list[tuple[int, int | None]]


@dataclass
class Policy:
    """Minutes per severity (ack, resolve, business hours?) and the working week."""

    current: dict[str, tuple[int, int, bool]]
    calendar: sla.Calendar

    @classmethod
    def read(cls) -> Policy:
        """The policy and calendar in the database (the migration seeds them)."""
        rows = db.session.scalars(sa.select(SlaPolicy)).all()
        current = {p.severity: (p.ack_minutes, p.resolve_minutes, p.business_hours)
                   for p in rows}
        for severity, (ack, resolve) in OLD_POLICY.items():
            current.setdefault(severity, (ack, resolve, False))
        calendar = current_calendar()
        db.session.commit()
        return cls(current, calendar)

    def of(self, severity: str, old: bool) -> tuple[int, int, bool]:
        """The policy a complaint of ``severity`` was given at intake."""
        if old:
            ack, resolve = OLD_POLICY[severity]
            return ack, resolve, False
        return self.current[severity]


def _dt(t: int) -> datetime:
    return datetime.fromtimestamp(t, UTC)


def _t(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def ack_due(received: int, minutes: int, business: bool, policy: Policy) -> int:
    """When acknowledging is due (never paused)."""
    if not business:
        return received + minutes * 60
    return _t(sla.add_working_minutes(_dt(received), minutes, policy.calendar))


def resolve_due(received: int, minutes: int, business: bool, pauses: Pauses,
                policy: Policy) -> int | None:
    """When resolving is due given the pauses (None while an unfinished pause holds it)."""
    if business:
        return _t(sla.deadline(_dt(received), minutes, policy.calendar,
                               [(_dt(a), None if b is None else _dt(b)) for a, b in pauses]))
    t, left = received, minutes * 60
    for start, end in pauses:  # sorted and apart, as the generator makes them
        if end is not None and end <= t:
            continue
        if start - t >= left:
            return t + left
        if start > t:
            left -= start - t
        if end is None:
            return None
        t = max(t, end)
    return t + left
