"""Problems and resource requests: their workflows (which status may follow which, and
why not), urgencies and kinds, and their labels for templates.

A refused move raises ``MoveRefused`` naming the form field the reason belongs on, so a
view can show it on that field. The statuses and their properties are declared beside the
models (``tracker.models.teamwork``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _

from tracker.models import (
    Problem,
    ProblemStatus,
    RequestKind,
    RequestStatus,
    ResourceRequest,
    Urgency,
)
from tracker.workflow import Guard, MoveRefused, Workflow, ordered


def label_of(enum: type[StrEnum], value: str | None) -> str:
    """A stored value's label, or the value itself when it is not (or no longer) known."""
    if value in enum._value2member_map_:
        return enum(value).label
    return value or "—"


# -- problems ---------------------------------------------------------------------------

P = ProblemStatus


def _solution_given(problem: Problem, *, solution: str = "", **_context: Any) -> str | None:
    return None if solution.strip() else _("Describe the solution to mark the problem solved.")


# Work starts (or not) on an open problem; a solved one may be reopened.
PROBLEMS = Workflow(
    ProblemStatus,
    {
        P.OPEN: {P.IN_PROGRESS, P.SOLVED},
        P.IN_PROGRESS: {P.OPEN, P.SOLVED},
        P.SOLVED: {P.OPEN},
    },
    refused=lambda current, wanted, allowed: _(
        "A problem that is %(current)s cannot become %(wanted)s; it can become: "
        "%(allowed)s.", current=current, wanted=wanted, allowed=allowed),
    already=lambda current: _("The problem is already %(status)s.", status=current),
    guards=(Guard(ProblemStatus.is_solved, _solution_given, field="solution"),),
)
PROBLEM_TRANSITIONS = PROBLEMS.moves


def problem_moves(problem: Problem) -> list[ProblemStatus]:
    """The statuses the problem may move to next, in workflow order."""
    return PROBLEMS.moves_from(problem.status)


def check_problem_move(problem: Problem, target: str, solution: str = "") -> ProblemStatus:
    """The target status if the move is allowed; raises MoveRefused with the reason."""
    return PROBLEMS.check_move(problem, target, solution=solution)


# -- resource requests -----------------------------------------------------------------

R = RequestStatus
DECISIONS = tuple(ordered(RequestStatus.is_decision))


def _part_granted(request: ResourceRequest, *, granted: Decimal | None = None,
                  **_context: Any) -> str | None:
    if granted is None:
        return _("Enter the amount granted.")
    if granted <= 0:
        return _("A part granted is more than nothing; reject the request instead.")
    if request.amount is not None and granted >= request.amount:
        return _("A part is less than the %(amount)s asked for; approve the request in full "
                 "instead.", amount=format_decimal(request.amount))
    return None


def _rejection_noted(request: ResourceRequest, *, note: str = "", **_context: Any
                     ) -> str | None:
    return None if note.strip() else _("Say why the request is rejected.")


# The approver decides once; what was granted (all or part) is then fulfilled. A refused
# move belongs on the decision field.
REQUESTS = Workflow(
    RequestStatus,
    {
        R.REQUESTED: RequestStatus.is_decision,
        R.APPROVED: {R.FULFILLED},
        R.PARTLY_APPROVED: {R.FULFILLED},
        R.REJECTED: set(),
        R.FULFILLED: set(),
    },
    refused=lambda current, wanted, allowed: _(
        "A request that is %(current)s cannot become %(wanted)s; it can become: "
        "%(allowed)s.", current=current, wanted=wanted, allowed=allowed),
    guards=(
        Guard(frozenset({R.PARTLY_APPROVED}), _part_granted, field="granted_amount"),
        Guard(frozenset({R.REJECTED}), _rejection_noted, field="approver_note"),
    ),
    field="decision",
)
REQUEST_TRANSITIONS = REQUESTS.moves


def check_decision(request: ResourceRequest, decision: str, granted: Decimal | None,
                   note: str) -> RequestStatus:
    """The decision if it is complete and allowed; raises MoveRefused on the field at fault."""
    if decision not in RequestStatus.is_decision:
        raise MoveRefused(_("Choose approve, approve in part or reject."), "decision")
    return REQUESTS.check_move(request, decision, granted=granted, note=note)


def check_fulfil(request: ResourceRequest) -> None:
    """Raises MoveRefused unless what was granted can now be marked as delivered."""
    REQUESTS.check_move(request, R.FULFILLED)


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
