"""Writes of reports, problems and resource requests. Views commit; these never do."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flask_babel import format_date
from flask_babel import gettext as _

from tracker.extensions import db
from tracker.followups import add_followup
from tracker.models import (
    FollowUp,
    Problem,
    ProgressReport,
    ResourceRequest,
    Team,
    User,
    utcnow,
)
from tracker.records import ensure_current
from tracker.teams.reports.workflow import (
    ProblemStatus,
    RequestStatus,
    Urgency,
    check_decision,
    check_fulfil,
    check_problem_move,
)

# A follow-up made from blockers is due in a week unless its owner is given another date.
FOLLOWUP_DAYS = timedelta(days=7)


def _text(value: str | None) -> str:
    return (value or "").strip()


# -- progress reports -------------------------------------------------------------------

def save_report(form: object, *, team: Team | None = None, author: User | None = None,
                start: date | None = None, report: ProgressReport | None = None
                ) -> ProgressReport:
    """A new report of ``author`` for the period from ``start``, or changes to ``report``."""
    if report is None:
        report = ProgressReport(team_id=team.id, author_id=author.id, period_start=start)
        db.session.add(report)
    else:
        ensure_current(report, form.version.data)
    report.done = _text(form.done.data)
    report.next = _text(form.next.data)
    report.blockers = _text(form.blockers.data)
    return report


def comment_report(report: ProgressReport, form: object, lead: User) -> None:
    """The lead's reply with direction (the audit trail keeps earlier replies)."""
    ensure_current(report, form.version.data)
    report.lead_comment = _text(form.lead_comment.data)
    report.commented_by_id = lead.id
    report.commented_at = utcnow()


def _blocker_title(report: ProgressReport) -> str:
    first = next((line.strip() for line in report.blockers.splitlines() if line.strip()), "")
    return first if len(first) <= 200 else first[:199] + "…"


def _from_report(report: ProgressReport) -> str:
    return _("From the progress report of %(author)s for the period from %(date)s.",
             author=report.author.name, date=format_date(report.period_start))


def blocker_to_followup(report: ProgressReport, owner_id: int, due_on: date) -> FollowUp:
    """A follow-up of the report's blockers, filed with the report and its team."""
    followup = add_followup(report, _blocker_title(report), owner_id, due_on,
                            notes=f"{report.blockers}\n\n{_from_report(report)}")
    followup.team_id = report.team_id
    return followup


def blocker_to_problem(report: ProgressReport, raiser: User, owner_id: int | None) -> Problem:
    """A problem raised from the report's blockers, by whoever escalates them."""
    problem = Problem(team_id=report.team_id, reporter_id=raiser.id, owner_id=owner_id,
                      title=_blocker_title(report), urgency=Urgency.MEDIUM.value,
                      status=ProblemStatus.OPEN.value,
                      impact=f"{report.blockers}\n\n{_from_report(report)}")
    db.session.add(problem)
    return problem


# -- problems ---------------------------------------------------------------------------

def save_problem(form: object, *, team: Team | None = None, reporter: User | None = None,
                 problem: Problem | None = None) -> Problem:
    """A problem raised by ``reporter`` in ``team``, or changes to ``problem``."""
    if problem is None:
        problem = Problem(team_id=team.id, reporter_id=reporter.id,
                          status=ProblemStatus.OPEN.value)
        db.session.add(problem)
    else:
        ensure_current(problem, form.version.data)
    problem.title = _text(form.title.data)
    problem.impact = _text(form.impact.data)
    problem.urgency = Urgency(form.urgency.data).value
    problem.owner_id = form.owner_id.data
    if "solution" in form and problem.status == ProblemStatus.SOLVED.value:
        problem.solution = _text(form.solution.data)
    return problem


def move_problem(problem: Problem, target: str, solution: str = "") -> None:
    """Move through the workflow; raises MoveRefused when the move is not allowed."""
    wanted = check_problem_move(problem, target, solution)
    if wanted == ProblemStatus.SOLVED:
        problem.solution = solution.strip()
        problem.solved_at = utcnow()
    elif problem.status == ProblemStatus.SOLVED.value:  # reopened: the history keeps it
        problem.solution = ""
        problem.solved_at = None
    problem.status = wanted.value


# -- resource requests ------------------------------------------------------------------

def save_request(form: object, *, team: Team | None = None, requester: User | None = None,
                 request: ResourceRequest | None = None) -> ResourceRequest:
    """A request by ``requester`` for ``team``, or changes to one still waiting."""
    if request is None:
        request = ResourceRequest(team_id=team.id, requester_id=requester.id,
                                  status=RequestStatus.REQUESTED.value)
        db.session.add(request)
    else:
        ensure_current(request, form.version.data)
    request.kind = form.kind.data
    request.title = _text(form.title.data)
    request.amount = form.amount.data
    request.unit = _text(form.unit.data)
    request.reason = _text(form.reason.data)
    request.approver_id = form.approver_id.data
    return request


def decide_request(request: ResourceRequest, form: object) -> None:
    """The approver's decision; raises StaleRecord or MoveRefused (naming the field)."""
    ensure_current(request, form.version.data)
    note = _text(form.approver_note.data)
    granted: Decimal | None = form.granted_amount.data
    wanted = check_decision(request, form.decision.data or "", granted, note)
    request.status = wanted.value
    request.granted_amount = {RequestStatus.APPROVED: request.amount,
                              RequestStatus.PARTLY_APPROVED: granted}.get(wanted)
    request.approver_note = note
    request.decided_at = utcnow()


def fulfil_request(request: ResourceRequest) -> None:
    """What was granted has been delivered; raises MoveRefused before a grant."""
    check_fulfil(request)
    request.status = RequestStatus.FULFILLED.value
    request.fulfilled_at = utcnow()
