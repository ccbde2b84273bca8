"""Problems and resource requests: their statuses, which may follow which, and why not.

A refused move raises ``MoveRefused`` naming the form field the reason belongs on, so a
view can show it on that field.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from babel.lists import format_list
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.models import Problem, ResourceRequest


class Urgency(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        return str(URGENCY_LABELS[self])

    @property
    def badge(self) -> str:
        return f"sev-badge-{self.value}"


URGENCY_LABELS = {Urgency.HIGH: _l("High"), Urgency.MEDIUM: _l("Medium"), Urgency.LOW: _l("Low")}


class ProblemStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    SOLVED = "solved"

    @property
    def label(self) -> str:
        return str(PROBLEM_STATUS_LABELS[self])

    @property
    def badge(self) -> str:
        return PROBLEM_BADGES[self]


PROBLEM_STATUS_LABELS = {
    ProblemStatus.OPEN: _l("Open"),
    ProblemStatus.IN_PROGRESS: _l("In progress"),
    ProblemStatus.SOLVED: _l("Solved"),
}
PROBLEM_BADGES = {
    ProblemStatus.OPEN: "status-prospect",
    ProblemStatus.IN_PROGRESS: "status-on_hold",
    ProblemStatus.SOLVED: "status-active",
}


class RequestKind(StrEnum):
    PEOPLE = "people"
    BUDGET = "budget"
    EQUIPMENT = "equipment"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {
    RequestKind.PEOPLE: _l("People"),
    RequestKind.BUDGET: _l("Budget"),
    RequestKind.EQUIPMENT: _l("Equipment"),
}


class RequestStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    PARTLY_APPROVED = "partly_approved"
    REJECTED = "rejected"
    FULFILLED = "fulfilled"

    @property
    def label(self) -> str:
        return str(REQUEST_STATUS_LABELS[self])

    @property
    def badge(self) -> str:
        return REQUEST_BADGES[self]


REQUEST_STATUS_LABELS = {
    RequestStatus.REQUESTED: _l("Requested"),
    RequestStatus.APPROVED: _l("Approved"),
    RequestStatus.PARTLY_APPROVED: _l("Partly approved"),
    RequestStatus.REJECTED: _l("Rejected"),
    RequestStatus.FULFILLED: _l("Fulfilled"),
}
REQUEST_BADGES = {
    RequestStatus.REQUESTED: "status-prospect",
    RequestStatus.APPROVED: "status-active",
    RequestStatus.PARTLY_APPROVED: "status-on_hold",
    RequestStatus.REJECTED: "stage-ended",
    RequestStatus.FULFILLED: "status-inactive",
}
DECISIONS = (RequestStatus.APPROVED, RequestStatus.PARTLY_APPROVED, RequestStatus.REJECTED)


def label_of(enum: type[StrEnum], value: str | None) -> str:
    """A stored value's label, or the value itself when it is not (or no longer) known."""
    if value in enum._value2member_map_:
        return enum(value).label
    return value or "—"


class MoveRefused(ValueError):
    """A status change the workflow does not allow; ``field`` is where the reason belongs."""

    def __init__(self, message: str, field: str = "status") -> None:
        super().__init__(message)
        self.field = field


# -- problems ---------------------------------------------------------------------------

P = ProblemStatus

# Work starts (or not) on an open problem; a solved one may be reopened.
PROBLEM_TRANSITIONS: dict[ProblemStatus, frozenset[ProblemStatus]] = {
    P.OPEN: frozenset({P.IN_PROGRESS, P.SOLVED}),
    P.IN_PROGRESS: frozenset({P.OPEN, P.SOLVED}),
    P.SOLVED: frozenset({P.OPEN}),
}


def problem_moves(problem: Problem) -> list[ProblemStatus]:
    """The statuses the problem may move to next, in workflow order."""
    nexts = PROBLEM_TRANSITIONS[ProblemStatus(problem.status)]
    return [s for s in ProblemStatus if s in nexts]


def _allowed(labels: list[str]) -> str:
    return format_list(labels, locale=get_locale()) if labels else _("nothing")


def check_problem_move(problem: Problem, target: str, solution: str = "") -> ProblemStatus:
    """The target status if the move is allowed; raises MoveRefused with the reason."""
    if target not in ProblemStatus._value2member_map_:
        raise MoveRefused(_("There is no status “%(status)s”.", status=target))
    current, wanted = ProblemStatus(problem.status), ProblemStatus(target)
    if wanted == current:
        raise MoveRefused(_("The problem is already %(status)s.", status=current.label))
    if wanted not in PROBLEM_TRANSITIONS[current]:
        raise MoveRefused(_("A problem that is %(current)s cannot become %(wanted)s; it can "
                            "become: %(allowed)s.", current=current.label, wanted=wanted.label,
                            allowed=_allowed([s.label for s in problem_moves(problem)])))
    if wanted == P.SOLVED and not solution.strip():
        raise MoveRefused(_("Describe the solution to mark the problem solved."), "solution")
    return wanted


# -- resource requests -----------------------------------------------------------------

R = RequestStatus

# The approver decides once; what was granted (all or part) is then fulfilled.
REQUEST_TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    R.REQUESTED: frozenset(DECISIONS),
    R.APPROVED: frozenset({R.FULFILLED}),
    R.PARTLY_APPROVED: frozenset({R.FULFILLED}),
    R.REJECTED: frozenset(),
    R.FULFILLED: frozenset(),
}


def _check_request_move(request: ResourceRequest, wanted: RequestStatus) -> None:
    current = RequestStatus(request.status)
    if wanted not in REQUEST_TRANSITIONS[current]:
        nexts = [s.label for s in RequestStatus if s in REQUEST_TRANSITIONS[current]]
        raise MoveRefused(_("A request that is %(current)s cannot become %(wanted)s; it can "
                            "become: %(allowed)s.", current=current.label, wanted=wanted.label,
                            allowed=_allowed(nexts)), "decision")


def check_decision(request: ResourceRequest, decision: str, granted: Decimal | None,
                   note: str) -> RequestStatus:
    """The decision if it is complete and allowed; raises MoveRefused on the field at fault."""
    if decision not in {d.value for d in DECISIONS}:
        raise MoveRefused(_("Choose approve, approve in part or reject."), "decision")
    wanted = RequestStatus(decision)
    _check_request_move(request, wanted)
    if wanted == R.PARTLY_APPROVED:
        if granted is None:
            raise MoveRefused(_("Enter the amount granted."), "granted_amount")
        if granted <= 0:
            raise MoveRefused(_("A part granted is more than nothing; reject the request "
                                "instead."), "granted_amount")
        if request.amount is not None and granted >= request.amount:
            raise MoveRefused(_("A part is less than the %(amount)s asked for; approve the "
                                "request in full instead.", amount=format_decimal(request.amount)),
                              "granted_amount")
    if wanted == R.REJECTED and not note.strip():
        raise MoveRefused(_("Say why the request is rejected."), "approver_note")
    return wanted


def check_fulfil(request: ResourceRequest) -> None:
    """Raises MoveRefused unless what was granted can now be marked as delivered."""
    _check_request_move(request, R.FULFILLED)


# -- for templates ----------------------------------------------------------------------

@dataclass(frozen=True)
class Shown:
    """A stored value the workflow does not know (any more): shown as it is."""

    label: str
    badge: str = ""


def _shown(enum: type[StrEnum], value: str | None) -> Any:
    return enum(value) if value in enum._value2member_map_ else Shown(value or "—")


def problem_status(problem: Problem) -> Any:
    return _shown(ProblemStatus, problem.status)


def problem_urgency(problem: Problem) -> Any:
    return _shown(Urgency, problem.urgency)


def request_status(request: ResourceRequest) -> Any:
    return _shown(RequestStatus, request.status)


def request_kind(kind: str | None) -> str:
    return label_of(RequestKind, kind)


def request_amount(amount: Decimal | None, unit: str = "") -> str:
    """12000.5 CNY -> '12,000.50 CNY', 3 persons -> '3 persons', in the user's number format."""
    if amount is None:
        return "—"
    pattern = "#,##0" if amount == amount.to_integral_value() else "#,##0.00"
    return f"{format_decimal(amount, format=pattern)} {unit}".strip()


TEMPLATE_HELPERS = {
    "problem_status": problem_status, "problem_urgency": problem_urgency,
    "request_status": request_status, "request_kind": request_kind,
    "request_amount": request_amount,
}
