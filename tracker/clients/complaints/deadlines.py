"""Both clocks of a complaint: when each deadline falls and how much time is left."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from tracker import sla
from tracker.clients.complaints.deadline_rules import all_policies, current_calendar, policy_for
from tracker.extensions import db
from tracker.models import Complaint, ComplaintPause, ComplaintStatus


def _calendar(business: bool) -> sla.Calendar | None:
    return current_calendar() if business else None


def _pauses(complaint: Complaint) -> list[tuple[datetime, datetime | None]]:
    return [(p.started_at, p.ended_at) for p in complaint.pauses]


def _policy(complaint: Complaint,
            policies: dict[str, tuple[int, int, bool]] | None = None) -> tuple[int, int, bool]:
    """The minutes this complaint was given at intake (older rows: the current policy)."""
    if complaint.ack_minutes and complaint.resolve_minutes:
        return complaint.ack_minutes, complaint.resolve_minutes, bool(complaint.business_hours)
    if policies:
        return policies.get(complaint.severity) or policy_for(complaint.severity)
    return policy_for(complaint.severity)


def set_deadlines(complaint: Complaint) -> None:
    """(Re)compute both due times from the policy, the working week and the pauses.

    Acknowledging is never paused; the resolution clock stops while waiting on the client,
    so its due time is unknown (None) during a pause and moves later after one.
    """
    ack, resolve, business = _policy(complaint)
    calendar = _calendar(business)
    complaint.ack_due_at = sla.add_working_minutes(complaint.received_at, ack, calendar)
    complaint.resolve_due_at = sla.deadline(complaint.received_at, resolve, calendar,
                                            _pauses(complaint))


@dataclass(frozen=True)
class Clock:
    """One deadline as the page shows it."""

    due: datetime | None
    remaining: int | None  # minutes of counted time left; negative = overdue
    done_at: datetime | None  # when it was met (acknowledged / resolved)
    paused: bool = False

    @property
    def overdue(self) -> bool:
        """Running and past its deadline. A paused clock is never overdue (nothing escalates
        while waiting on the client), as the queue's overdue view counts it."""
        return (self.done_at is None and not self.paused and self.remaining is not None
                and self.remaining < 0)

    @property
    def overdue_at_pause(self) -> bool:
        """Paused after its deadline had already passed: the minutes overdue are frozen."""
        return (self.done_at is None and self.paused and self.remaining is not None
                and self.remaining < 0)

    @property
    def met_in_time(self) -> bool | None:
        if self.done_at is None or self.due is None:
            return None
        return self.done_at <= self.due


Pauses = list[tuple[datetime, datetime | None]]
_UNSET: Any = object()


def _left(received: datetime, due: datetime | None, minutes: int,
          calendar: sla.Calendar | None, pauses: Pauses, now: datetime) -> int:
    """Minutes left on one clock: from the stored due time when there is one, so the walk
    spans only now..due (not the complaint's age); from receipt only while paused."""
    if due is not None:
        return sla.remaining_until(received, due, calendar, pauses, now)
    return sla.remaining_minutes(received, minutes, calendar, pauses, now)


def clocks(complaint: Complaint, now: datetime, *, calendar: Any = _UNSET,
           pauses: Pauses | None = None,
           policy: tuple[int, int, bool] | None = None) -> tuple[Clock, Clock]:
    """The acknowledgement clock and the resolution clock, as of ``now``.

    ``calendar``, ``pauses`` and ``policy`` may be given already loaded (a page of rows);
    otherwise they are read for this complaint.
    """
    ack, resolve, business = policy or _policy(complaint)
    if calendar is _UNSET:
        calendar = _calendar(business)
    elif not business:
        calendar = None
    if pauses is None:
        pauses = _pauses(complaint)
    ack_done = complaint.acknowledged_at
    ack_left = None if ack_done else _left(complaint.received_at, complaint.ack_due_at, ack,
                                           calendar, [], now)
    closed = complaint.status not in ComplaintStatus.is_open
    resolve_done = complaint.resolved_at if closed else None
    resolve_left = None if closed else _left(complaint.received_at, complaint.resolve_due_at,
                                             resolve, calendar, pauses, now)
    return (Clock(complaint.ack_due_at, ack_left, ack_done),
            Clock(complaint.resolve_due_at, resolve_left, resolve_done,
                  paused=complaint.is_paused))


def page_clocks(complaints: list[Complaint], now: datetime) -> dict[int, tuple[Clock, Clock]]:
    """Both clocks of every row of a page: one statement for all their pauses, the working
    week read once, the current policy only for old rows that lack their own minutes."""
    if not complaints:
        return {}
    pauses: dict[int, Pauses] = defaultdict(list)
    for complaint_id, started, ended in db.session.execute(
            sa.select(ComplaintPause.complaint_id, ComplaintPause.started_at,
                      ComplaintPause.ended_at)
            .where(ComplaintPause.complaint_id.in_([c.id for c in complaints]))
            .order_by(ComplaintPause.id)):
        pauses[complaint_id].append((started, ended))
    policies: dict[str, tuple[int, int, bool]] = {}
    if any(not (c.ack_minutes and c.resolve_minutes) for c in complaints):
        policies = all_policies()
    own = {c.id: _policy(c, policies) for c in complaints}
    calendar = current_calendar() if any(p[2] for p in own.values()) else None
    return {c.id: clocks(c, now, calendar=calendar, pauses=pauses[c.id], policy=own[c.id])
            for c in complaints}
