"""The complaint workflow: which status may follow which, and what each move needs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from tracker.models import Complaint, ComplaintStatus
from tracker.models.complaint import ENDED_COMPLAINT
from tracker.workflow import Guard, Workflow

S = ComplaintStatus

# Moving an ended complaint (resolved, closed or rejected) back to investigating reopens it:
# a move of its own, allowed only within the reopen window (REOPENING below), and counted.
REOPENED = S.INVESTIGATING


def _reason_given(complaint: Complaint, *, reason: str = "", **_context: Any) -> str | None:
    return None if reason.strip() else _("Say why the complaint is rejected as unfounded.")


def _summary_given(complaint: Complaint, *, summary: str = "", **_context: Any) -> str | None:
    if summary.strip():
        return None
    return _("Write the resolution summary to resolve the complaint.")


def _within_reopen_window(complaint: Complaint, *, now: datetime, reopen_days: int,
                          **_context: Any) -> str | None:
    since = complaint.closed_at or complaint.resolved_at or complaint.updated_at
    if since is not None and now - since > timedelta(days=reopen_days):
        return _("Complaints can be reopened within %(n)d days; this one ended earlier. Log "
                 "a new complaint instead.", n=reopen_days)
    return None


REOPENING = Guard(frozenset({REOPENED}), _within_reopen_window, sources=ENDED_COMPLAINT)

COMPLAINTS = Workflow(
    ComplaintStatus,
    {
        S.NEW: {S.ACKNOWLEDGED, S.REJECTED},
        S.ACKNOWLEDGED: {S.INVESTIGATING, S.WAITING, S.RESOLVED, S.REJECTED},
        S.INVESTIGATING: {S.WAITING, S.RESOLVED, S.REJECTED},
        S.WAITING: {S.INVESTIGATING, S.RESOLVED},
        S.RESOLVED: {S.CLOSED, REOPENED},
        S.CLOSED: {REOPENED},
        S.REJECTED: {REOPENED},
    },
    refused=lambda current, wanted, allowed: _(
        "A complaint that is %(current)s cannot become %(wanted)s; it can become: "
        "%(allowed)s.", current=current, wanted=wanted, allowed=allowed),
    guards=(
        Guard(frozenset({S.REJECTED}), _reason_given),
        Guard(frozenset({S.RESOLVED}), _summary_given),
        REOPENING,
    ),
)
TRANSITIONS = COMPLAINTS.moves


def allowed_moves(complaint: Complaint) -> list[ComplaintStatus]:
    """The statuses the complaint may move to next, in workflow order."""
    return COMPLAINTS.moves_from(complaint.status)


def is_reopen(complaint: Complaint, target: ComplaintStatus) -> bool:
    """Whether moving to ``target`` reopens the complaint (it has ended, and goes back to
    work): the earlier outcome is cleared and the reopening counted."""
    return REOPENING.applies(complaint.status, target)


def check_move(complaint: Complaint, target: str, *, reason: str = "", summary: str = "",
               now: datetime, reopen_days: int) -> ComplaintStatus:
    """The target status if allowed; raises MoveRefused with the reason otherwise."""
    return COMPLAINTS.check_move(complaint, target, reason=reason, summary=summary, now=now,
                                 reopen_days=reopen_days)
