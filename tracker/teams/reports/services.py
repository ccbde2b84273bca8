"""Writes of reports, problems and resource requests, from plain values (a form, an import,
a job or the CLI turns its input into them). Callers own the transaction: these never
commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tracker.audit import set_via
from tracker.extensions import db
from tracker.followups import give_followup
from tracker.models import (
    FollowUp,
    Problem,
    ProblemStatus,
    ProgressReport,
    RequestStatus,
    ResourceRequest,
    Team,
    Urgency,
    User,
    utcnow,
)
from tracker.records import ensure_current
from tracker.teams.reports.origin import report_origin
from tracker.teams.reports.workflow import check_decision, check_fulfil, check_problem_move

# A follow-up made from blockers is due in a week unless its owner is given another date.
FOLLOWUP_DAYS = timedelta(days=7)


def _text(value: str | None) -> str:
    return (value or "").strip()


# -- progress reports -------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class ReportInput:
    """A progress report as a form, an import or an API gives it."""

    done: str = ""
    next: str = ""
    blockers: str = ""


def save_report(data: ReportInput, *, team: Team | None = None, author: User | None = None,
                start: date | None = None, report: ProgressReport | None = None,
                version: int | str | None = None) -> ProgressReport:
    """A new report of ``author`` in ``team`` for the period from ``start``, or changes to
    ``report``; ``version`` is the one the caller's view of ``report`` had (StaleRecord if
    older)."""
    if report is None:
        report = ProgressReport(team_id=team.id, author_id=author.id, period_start=start)
        db.session.add(report)
    else:
        ensure_current(report, version)
    report.done = _text(data.done)
    report.next = _text(data.next)
    report.blockers = _text(data.blockers)
    return report


def comment_report(report: ProgressReport, comment: str, lead: User, *,
                   version: int | str | None) -> None:
    """The lead's reply with direction (the audit trail keeps earlier replies);
    ``version`` is the one the caller's view of ``report`` had (StaleRecord if older)."""
    ensure_current(report, version)
    lead_id = lead.id  # read before any change: loading it must not flush half a reply
    report.lead_comment = _text(comment)
    report.commented_by_id = lead_id
    report.commented_at = utcnow()


def _blocker_title(report: ProgressReport) -> str:
    first = next((line.strip() for line in report.blockers.splitlines() if line.strip()), "")
    return first if len(first) <= 200 else first[:199] + "…"


def blocker_to_followup(report: ProgressReport, owner_id: int, due_on: date) -> FollowUp:
    """A follow-up of the report's blockers, filed with the report and its team, for an
    owner who may read the report (OwnerMayNotSee otherwise). Its page names the report it
    came from (its source), in the reader's language: the notes are the blockers only."""
    followup = give_followup(report, _blocker_title(report), owner_id, due_on,
                             notes=report.blockers)
    followup.team_id = report.team_id
    return followup


def blocker_to_problem(report: ProgressReport, raiser: User, owner_id: int | None) -> Problem:
    """A problem raised from the report's blockers, by whoever escalates them. Which report
    it came from is kept as values in its creation's history entry (``origin``), said in
    each reader's language; its impact is the blockers only."""
    problem = Problem(team_id=report.team_id, reporter_id=raiser.id, owner_id=owner_id,
                      title=_blocker_title(report), urgency=Urgency.MEDIUM.value,
                      status=ProblemStatus.OPEN.value, impact=report.blockers)
    db.session.add(problem)
    before = db.session.info.get("audit_via")
    set_via(db.session, report_origin(report))
    try:
        db.session.flush()
    finally:
        set_via(db.session, before)
    return problem


# -- problems ---------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class ProblemInput:
    """A problem as a form, an import or an API gives it (``urgency`` an ``Urgency``
    value). ``solution`` is changed only on a solved problem; None leaves it as it is."""

    title: str
    impact: str = ""
    urgency: str = Urgency.MEDIUM.value
    owner_id: int | None = None
    solution: str | None = None


def save_problem(data: ProblemInput, *, team: Team | None = None,
                 reporter: User | None = None, problem: Problem | None = None,
                 version: int | str | None = None) -> Problem:
    """A problem raised by ``reporter`` in ``team``, or changes to ``problem``; ``version``
    is the one the caller's view of ``problem`` had (StaleRecord if older)."""
    urgency = Urgency(data.urgency).value  # an unknown urgency: ValueError, nothing changed
    if problem is None:
        problem = Problem(team_id=team.id, reporter_id=reporter.id,
                          status=ProblemStatus.OPEN.value)
        db.session.add(problem)
    else:
        ensure_current(problem, version)
    problem.title = _text(data.title)
    problem.impact = _text(data.impact)
    problem.urgency = urgency
    problem.owner_id = data.owner_id
    if data.solution is not None and problem.is_solved:
        problem.solution = _text(data.solution)
    return problem


def move_problem(problem: Problem, target: str, solution: str = "") -> None:
    """Move through the workflow; raises MoveRefused when the move is not allowed."""
    wanted = check_problem_move(problem, target, solution)
    if wanted == ProblemStatus.SOLVED:
        problem.solution = solution.strip()
        problem.solved_at = utcnow()
    elif problem.is_solved:  # reopened: the history keeps it
        problem.solution = ""
        problem.solved_at = None
    problem.status = wanted.value


# -- resource requests ------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class RequestInput:
    """A resource request as a form, an import or an API gives it (``kind`` a
    ``RequestKind`` value; ``amount`` in ``unit``, e.g. CNY or persons)."""

    kind: str
    title: str
    amount: Decimal
    unit: str
    reason: str
    approver_id: int | None = None


def save_request(data: RequestInput, *, team: Team | None = None,
                 requester: User | None = None, request: ResourceRequest | None = None,
                 version: int | str | None = None) -> ResourceRequest:
    """A request by ``requester`` for ``team``, or changes to one still waiting;
    ``version`` is the one the caller's view of ``request`` had (StaleRecord if older)."""
    if request is None:
        request = ResourceRequest(team_id=team.id, requester_id=requester.id,
                                  status=RequestStatus.REQUESTED.value)
        db.session.add(request)
    else:
        ensure_current(request, version)
    request.kind = data.kind
    request.title = _text(data.title)
    request.amount = data.amount
    request.unit = _text(data.unit)
    request.reason = _text(data.reason)
    request.approver_id = data.approver_id
    return request


def decide_request(request: ResourceRequest, decision: str, granted_amount: Decimal | None,
                   note: str, *, version: int | str | None) -> None:
    """The approver's decision (a ``DECISIONS`` value; ``granted_amount`` for a partial
    approval, ``note`` to reject); raises StaleRecord when ``version`` is older than the
    request, MoveRefused (naming the field) when the decision does not fit."""
    ensure_current(request, version)
    note = _text(note)
    wanted = check_decision(request, decision or "", granted_amount, note)
    request.status = wanted.value
    request.granted_amount = {RequestStatus.APPROVED: request.amount,
                              RequestStatus.PARTLY_APPROVED: granted_amount}.get(wanted)
    request.approver_note = note
    request.decided_at = utcnow()


def fulfil_request(request: ResourceRequest) -> None:
    """What was granted has been delivered; raises MoveRefused before a grant."""
    check_fulfil(request)
    request.status = RequestStatus.FULFILLED.value
    request.fulfilled_at = utcnow()
