"""The team page's reads: the team, its members, this period's reporting and the counts of
what it looks after, in one statement whatever the size of the team or its records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import abort

from tracker.access import may_read_reports, visible
from tracker.extensions import db
from tracker.models import (
    Organization,
    OrgKind,
    Problem,
    ProblemStatus,
    ProgressReport,
    RequestStatus,
    ResourceRequest,
    Team,
    TeamMembership,
    User,
)
from tracker.teams.reports.queries import DAILY, TeamSummary, period_start
from tracker.workflow import state_in, state_not_in


@dataclass
class TeamPage:
    team: Team
    members: list[TeamMembership]
    counts: dict[str, int]
    summary: TeamSummary


def _count(stmt: sa.Select) -> sa.ScalarSelect:
    return stmt.with_only_columns(sa.func.count()).scalar_subquery()


def _counts(user: User, team_id: int) -> list[sa.Label]:
    """Uncorrelated scalar subqueries: the database works each out once, not per row."""
    orgs = visible(user, Organization).where(Organization.team_id == team_id)
    return [
        _count(orgs.where(Organization.kind == OrgKind.PARTNER.value)).label("partners"),
        _count(orgs.where(Organization.kind == OrgKind.CLIENT.value)).label("clients"),
        _count(visible(user, Problem).where(
            Problem.team_id == team_id, state_not_in(Problem.status, ProblemStatus.is_solved))
        ).label("problems"),
        _count(visible(user, ResourceRequest).where(
            ResourceRequest.team_id == team_id,
            state_in(ResourceRequest.status, RequestStatus.awaits_decision))).label("requests"),
    ]


def team_page(user: User, team_id: int, today: date) -> TeamPage:
    """The team (404 unless visible), each member with whether they reported this period
    (daily teams: today; others: since Monday), and the counts: one statement."""
    monday = today - timedelta(days=today.weekday())
    start = sa.case((Team.report_cadence == DAILY, today), else_=monday)
    reported = sa.exists(sa.select(ProgressReport.id).where(
        ProgressReport.team_id == Team.id, ProgressReport.author_id == TeamMembership.user_id,
        ProgressReport.period_start == start, ProgressReport.archived_at.is_(None)))
    rows = db.session.execute(
        visible(user, Team, include_archived=True).where(Team.id == team_id)
        .outerjoin(TeamMembership, TeamMembership.team_id == Team.id)
        .outerjoin(User, User.id == TeamMembership.user_id)
        .add_columns(TeamMembership, User, reported.label("reported"),
                     *_counts(user, team_id))).all()
    if not rows:
        abort(404)
    team = rows[0][0]
    members = [r[1] for r in rows if r[1] is not None]
    members.sort(key=lambda m: (not m.is_lead, m.user.sort_name))
    active = sorted((r for r in rows if r[2] is not None and r[2].archived_at is None
                     and r[2].is_enabled), key=lambda r: (r[2].sort_name, r[2].id))
    first = rows[0]._mapping
    summary = TeamSummary(
        period_start(team.report_cadence, today) if may_read_reports(user) else None,
        [r[2] for r in active if r.reported] if may_read_reports(user) else [],
        [r[2] for r in active if not r.reported] if may_read_reports(user) else [],
        first["problems"] or 0, first["requests"] or 0)
    return TeamPage(team, members, {OrgKind.PARTNER.value: first["partners"] or 0,
                                    OrgKind.CLIENT.value: first["clients"] or 0}, summary)
