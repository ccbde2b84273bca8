"""Reads of progress reports, problems and resource requests; lists start from ``visible``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import get_timezone
from sqlalchemy.orm import contains_eager, joinedload
from werkzeug.datastructures import MultiDict

from tracker.access import may_read_reports, visible
from tracker.extensions import db
from tracker.models import (
    Problem,
    ProblemStatus,
    ProgressReport,
    RequestKind,
    RequestStatus,
    ResourceRequest,
    Team,
    TeamMembership,
    Urgency,
    User,
    utcnow,
)
from tracker.paging import SortKey
from tracker.workflow import state_in, state_not_in

DAILY = "daily"


# -- periods -----------------------------------------------------------------------------

def local_today() -> date:
    """Today's date in the signed-in user's time zone (the deployment's outside a request)."""
    return utcnow().astimezone(ZoneInfo(str(get_timezone()))).date()


def period_start(cadence: str, today: date) -> date:
    """The first day of the reporting period ``today`` falls in: the day itself (daily)
    or the week's Monday (weekly, and any cadence not known)."""
    if cadence == DAILY:
        return today
    return today - timedelta(days=today.weekday())


def reporting_status(team: Team, today: date) -> tuple[date, list[User], list[User]]:
    """(period start, members who reported, members who have not), each list by name.

    ``today`` is the viewer's local date (``local_today()``). Every active member of the
    team is in one list or the other; reports of people who left the team do not count.
    """
    start = period_start(team.report_cadence, today)
    # One statement: each active member, and whether a report of theirs exists for the period.
    reported = sa.exists(sa.select(ProgressReport.id).where(
        ProgressReport.team_id == team.id, ProgressReport.author_id == User.id,
        ProgressReport.period_start == start, ProgressReport.archived_at.is_(None)))
    rows = db.session.execute(
        sa.select(User, reported).join(TeamMembership, TeamMembership.user_id == User.id)
        .where(TeamMembership.team_id == team.id, User.archived_at.is_(None), User.is_enabled)
        .order_by(User.sort_name, User.id)).all()
    return start, [u for u, done in rows if done], [u for u, done in rows if not done]


def own_report(team: Team, author: User, start: date) -> ProgressReport | None:
    """The author's report of one period in one team, if written (archived ones count)."""
    return db.session.scalar(sa.select(ProgressReport).where(
        ProgressReport.team_id == team.id, ProgressReport.author_id == author.id,
        ProgressReport.period_start == start))


REPORT_KEYS = (SortKey(ProgressReport.period_start, descending=True), SortKey(User.sort_name),
               SortKey(ProgressReport.id))


def team_reports(user: User, team: Team) -> sa.Select:
    """The team's reports the user may read with author and replier, not ordered: keyset
    pages go by ``REPORT_KEYS`` (newest period first, then by author)."""
    return (visible(user, ProgressReport).where(ProgressReport.team_id == team.id)
            .join(User, User.id == ProgressReport.author_id)
            .options(contains_eager(ProgressReport.author),
                     joinedload(ProgressReport.commented_by)))


# -- list filters ------------------------------------------------------------------------

def _choice(args: MultiDict, name: str, allowed: set[str]) -> str:
    value = (args.get(name) or "").strip()
    return value if value in allowed else ""


@dataclass(frozen=True)
class ProblemFilters:
    status: str = ""
    urgency: str = ""
    archived: bool = False

    @classmethod
    def from_args(cls, args: MultiDict) -> ProblemFilters:
        return cls(status=_choice(args, "status", {*ProblemStatus, "unsolved"}),
                   urgency=_choice(args, "urgency", set(Urgency)),
                   archived=bool(args.get("archived")))


def _urgency_order() -> sa.Case:
    return sa.case({Urgency.HIGH.value: 0, Urgency.MEDIUM.value: 1}, value=Problem.urgency,
                   else_=2)


def problem_list(user: User, team: Team, f: ProblemFilters) -> sa.Select:
    """The team's problems, not ordered: keyset pages go by ``problem_keys()``."""
    stmt = (visible(user, Problem, include_archived=f.archived)
            .where(Problem.team_id == team.id)
            .options(joinedload(Problem.owner), joinedload(Problem.reporter)))
    if f.archived:
        stmt = stmt.where(Problem.archived_at.is_not(None))
    if f.status == "unsolved":
        stmt = stmt.where(state_not_in(Problem.status, ProblemStatus.is_solved))
    elif f.status:
        stmt = stmt.where(Problem.status == f.status)
    if f.urgency:
        stmt = stmt.where(Problem.urgency == f.urgency)
    return stmt


def problem_keys() -> tuple[SortKey, ...]:
    """Unsolved first, the most urgent first, then the newest."""
    solved_last = sa.case((state_in(Problem.status, ProblemStatus.is_solved), 1), else_=0)
    return (SortKey(solved_last), SortKey(_urgency_order()),
            SortKey(Problem.created_at, descending=True), SortKey(Problem.id))


@dataclass(frozen=True)
class RequestFilters:
    status: str = ""
    kind: str = ""
    archived: bool = False

    @classmethod
    def from_args(cls, args: MultiDict) -> RequestFilters:
        return cls(status=_choice(args, "status", set(RequestStatus)),
                   kind=_choice(args, "kind", set(RequestKind)),
                   archived=bool(args.get("archived")))


def request_list(user: User, team: Team, f: RequestFilters) -> sa.Select:
    """The team's resource requests, not ordered: pages go by ``request_keys()``."""
    stmt = (visible(user, ResourceRequest, include_archived=f.archived)
            .where(ResourceRequest.team_id == team.id)
            .options(joinedload(ResourceRequest.requester),
                     joinedload(ResourceRequest.approver)))
    if f.archived:
        stmt = stmt.where(ResourceRequest.archived_at.is_not(None))
    if f.status:
        stmt = stmt.where(ResourceRequest.status == f.status)
    if f.kind:
        stmt = stmt.where(ResourceRequest.kind == f.kind)
    return stmt


def request_keys() -> tuple[SortKey, ...]:
    """Those awaiting a decision first, then the newest."""
    waiting_first = sa.case(
        (state_in(ResourceRequest.status, RequestStatus.awaits_decision), 0), else_=1)
    return (SortKey(waiting_first), SortKey(ResourceRequest.created_at, descending=True),
            SortKey(ResourceRequest.id))


def open_problem_count(user: User, team: Team) -> int:
    """Unsolved problems of the team the user may see (for the team page)."""
    return db.session.scalar(
        visible(user, Problem).where(Problem.team_id == team.id,
                                     state_not_in(Problem.status, ProblemStatus.is_solved))
        .with_only_columns(sa.func.count())) or 0


def pending_request_count(user: User, team: Team) -> int:
    """Requests of the team awaiting a decision that the user may see (for the team page)."""
    return db.session.scalar(
        visible(user, ResourceRequest).where(
            ResourceRequest.team_id == team.id,
            state_in(ResourceRequest.status, RequestStatus.awaits_decision))
        .with_only_columns(sa.func.count())) or 0


# -- history -----------------------------------------------------------------------------

# -- the team page ---------------------------------------------------------------------------

@dataclass(frozen=True)
class TeamSummary:
    """What the team page shows of reports, problems and requests."""

    start: date | None  # None: the user has no access to progress reports
    reported: list[User]
    missing: list[User]
    open_problems: int
    pending_requests: int


def team_summary(user: User, team: Team, today: date) -> TeamSummary:
    """This period's reporting (for users who read reports) and what is open."""
    start, reported, missing = (reporting_status(team, today) if may_read_reports(user)
                                else (None, [], []))
    return TeamSummary(start, reported, missing, open_problem_count(user, team),
                       pending_request_count(user, team))
