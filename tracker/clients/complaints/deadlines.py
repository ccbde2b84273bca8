"""Both clocks of a complaint: when each deadline falls and how much time is left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tracker import sla
from tracker.clients.complaints.policy import current_calendar, policy_for
from tracker.models import Complaint, ComplaintStatus


def _calendar(business: bool) -> sla.Calendar | None:
    return current_calendar() if business else None


def _pauses(complaint: Complaint) -> list[tuple[datetime, datetime | None]]:
    return [(p.started_at, p.ended_at) for p in complaint.pauses]


def _policy(complaint: Complaint) -> tuple[int, int, bool]:
    """The minutes this complaint was given at intake (older rows: the current policy)."""
    if complaint.ack_minutes and complaint.resolve_minutes:
        return complaint.ack_minutes, complaint.resolve_minutes, bool(complaint.business_hours)
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
        return self.done_at is None and self.remaining is not None and self.remaining < 0

    @property
    def met_in_time(self) -> bool | None:
        if self.done_at is None or self.due is None:
            return None
        return self.done_at <= self.due


def clocks(complaint: Complaint, now: datetime) -> tuple[Clock, Clock]:
    """The acknowledgement clock and the resolution clock, as of ``now``."""
    ack, resolve, business = _policy(complaint)
    calendar = _calendar(business)
    ack_done = complaint.acknowledged_at
    ack_left = None if ack_done else sla.remaining_minutes(
        complaint.received_at, ack, calendar, (), now)
    closed = complaint.status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED,
                                  ComplaintStatus.REJECTED)
    resolve_done = complaint.resolved_at if closed else None
    resolve_left = None if closed else sla.remaining_minutes(
        complaint.received_at, resolve, calendar, _pauses(complaint), now)
    return (Clock(complaint.ack_due_at, ack_left, ack_done),
            Clock(complaint.resolve_due_at, resolve_left, resolve_done,
                  paused=complaint.status == ComplaintStatus.WAITING))
