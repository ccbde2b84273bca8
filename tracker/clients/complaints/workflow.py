"""The complaint workflow: which status may follow which, and what each move needs."""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _

from tracker.models import Complaint, ComplaintStatus

S = ComplaintStatus

# Reopening (from resolved, closed or rejected back to investigating) is a move of its
# own: allowed only within the reopen window, and counted.
TRANSITIONS: dict[ComplaintStatus, frozenset[ComplaintStatus]] = {
    S.NEW: frozenset({S.ACKNOWLEDGED, S.REJECTED}),
    S.ACKNOWLEDGED: frozenset({S.INVESTIGATING, S.WAITING, S.RESOLVED, S.REJECTED}),
    S.INVESTIGATING: frozenset({S.WAITING, S.RESOLVED, S.REJECTED}),
    S.WAITING: frozenset({S.INVESTIGATING, S.RESOLVED}),
    S.RESOLVED: frozenset({S.CLOSED, S.INVESTIGATING}),
    S.CLOSED: frozenset({S.INVESTIGATING}),
    S.REJECTED: frozenset({S.INVESTIGATING}),
}
REOPEN_FROM = frozenset({S.RESOLVED, S.CLOSED, S.REJECTED})


class MoveRefused(ValueError):
    """A move the workflow does not allow; the message says why."""


def allowed_moves(complaint: Complaint) -> list[ComplaintStatus]:
    """The statuses the complaint may move to next, in workflow order."""
    nexts = TRANSITIONS[ComplaintStatus(complaint.status)]
    return [s for s in ComplaintStatus if s in nexts]


def is_reopen(complaint: Complaint, target: ComplaintStatus) -> bool:
    return ComplaintStatus(complaint.status) in REOPEN_FROM and target == S.INVESTIGATING


def check_move(complaint: Complaint, target: str, *, reason: str = "", summary: str = "",
               now: datetime, reopen_days: int) -> ComplaintStatus:
    """The target status if allowed; raises MoveRefused with the reason otherwise."""
    if target not in ComplaintStatus._value2member_map_:
        raise MoveRefused(_("There is no status “%(status)s”.", status=target))
    current, wanted = ComplaintStatus(complaint.status), ComplaintStatus(target)
    if wanted not in TRANSITIONS[current]:
        labels = [s.label for s in allowed_moves(complaint)]
        raise MoveRefused(_("A complaint that is %(current)s cannot become %(wanted)s; it can "
                            "become: %(allowed)s.", current=current.label, wanted=wanted.label,
                            allowed=format_list(labels, locale=get_locale())))
    if wanted == S.REJECTED and not reason.strip():
        raise MoveRefused(_("Say why the complaint is rejected as unfounded."))
    if wanted == S.RESOLVED and not summary.strip():
        raise MoveRefused(_("Write the resolution summary to resolve the complaint."))
    if is_reopen(complaint, wanted):
        since = complaint.closed_at or complaint.resolved_at or complaint.updated_at
        if since is not None and now - since > timedelta(days=reopen_days):
            raise MoveRefused(_("Complaints can be reopened within %(n)d days; this one ended "
                                "earlier. Log a new complaint instead.", n=reopen_days))
    return wanted
