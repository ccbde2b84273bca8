"""The teams dashboard: overdue follow-ups by team and person, this period's progress
reports, goals at risk, unsolved problems and requests awaiting a decision.

Counts come from the database through the access layer, grouped by team in one statement
each; a goal's state is the one its page shows (``tracker.teams.goals.progress``, from its
check-ins), so goals at risk are counted from the goals the reader may see.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.access import (
    Area,
    may_enter,
    may_read_reports,
    may_see_every_team_board,
    visible,
    visible_followups,
)
from tracker.dashboards.complaints import Figures
from tracker.extensions import db
from tracker.models import (
    FollowUp,
    FollowUpStatus,
    Goal,
    Problem,
    ProblemStatus,
    RequestStatus,
    ResourceRequest,
    Team,
    TeamMembership,
    User,
)
from tracker.urls import url_for
from tracker.workflow import state_in, state_not_in

TOP = 10
# The goal states counted as slipping (their badges on the team's goals page).
SLIPPING = ("at_risk", "off_track", "overdue")


def dashboard_teams(user: User) -> list[Team]:
    """The teams the dashboard shows: the user's own, or every team for those who see
    every team's board (as the follow-ups' team view)."""
    stmt = visible(user, Team).order_by(Team.sort_name, Team.id)
    if not may_see_every_team_board(user):
        stmt = stmt.where(Team.id.in_(sorted(user.team_ids) or [-1]))
    return list(db.session.scalars(stmt))


def overdue_followups(user: User, today: date) -> sa.Select:
    """Open follow-ups the user may see, due before ``today``."""
    return visible_followups(user).where(FollowUp.status == FollowUpStatus.OPEN.value,
                                         FollowUp.due_on < today)


def team_overdue(user: User, today: date, team: int | None = None,
                 owner: int | None = None) -> sa.Select:
    """The overdue follow-ups of the dashboard: owned by members of the reader's teams (or
    of one of them), or by one person of them."""
    ids = [t.id for t in dashboard_teams(user)]
    stmt = overdue_followups(user, today).where(FollowUp.owner_id.in_(
        _members([team] if team in ids else ids if team is None else [-1])))
    return stmt.where(FollowUp.owner_id == owner) if owner is not None else stmt


def _members(team_ids: list[int]) -> sa.Select:
    return sa.select(TeamMembership.user_id).where(TeamMembership.team_id.in_(team_ids))


def _overdue(user: User, teams: list[Team], today: date) -> tuple[dict, dict]:
    """Overdue follow-ups by team (of their owners' teams) and by owner (top ten)."""
    late = overdue_followups(user, today).subquery()
    by_team = {team_id: n for team_id, n in db.session.execute(
        sa.select(TeamMembership.team_id, sa.func.count())
        .join(late, late.c.owner_id == TeamMembership.user_id)
        .where(TeamMembership.team_id.in_([t.id for t in teams]))
        .group_by(TeamMembership.team_id))}
    owners = db.session.execute(
        sa.select(late.c.owner_id, User.name, sa.func.count())
        .join(User, User.id == late.c.owner_id)
        .where(late.c.owner_id.in_(_members([t.id for t in teams])))
        .group_by(late.c.owner_id, User.name)
        .order_by(sa.func.count().desc(), User.name).limit(TOP)).all()
    return by_team, {(owner_id, name): n for owner_id, name, n in owners}


def _grouped(stmt: sa.Select, team_column: Any) -> dict[int, int]:
    return {team_id: n for team_id, n in db.session.execute(
        stmt.with_only_columns(team_column, sa.func.count()).group_by(team_column))}


def team_figures(user: User, today: date) -> Figures:
    """Everything the teams dashboard shows to ``user`` (as of ``today``, their day)."""
    from tracker.teams.goals.queries import assessment
    from tracker.teams.reports.queries import reporting_status

    figures = Figures()
    teams = dashboard_teams(user)
    ids = [t.id for t in teams]
    names = [t.name for t in teams]
    if may_enter(user, Area.FOLLOWUPS):
        by_team, by_owner = _overdue(user, teams, today)
        figures.charts["overdue_team"] = {"type": "hbar", "categories": names, "series": [
            {"name": _("Overdue follow-ups"), "data": [by_team.get(i, 0) for i in ids],
             "links": [url_for("followups.overdue", team=i) for i in ids]}]}
        figures.charts["overdue_person"] = {
            "type": "hbar", "categories": [name for _id, name in by_owner],
            "series": [{"name": _("Overdue follow-ups"), "data": list(by_owner.values()),
                        "links": [url_for("followups.overdue", owner=owner_id)
                                  for owner_id, _name in by_owner]}]}
        figures.numbers.append({
            "label": _("Overdue follow-ups"),
            "value": db.session.scalar(overdue_followups(user, today).where(
                FollowUp.owner_id.in_(_members(ids))).with_only_columns(sa.func.count())),
            "link": url_for("followups.overdue"), "id": "overdue"})
    if may_read_reports(user):
        reported, missing = [], []
        for team in teams:
            _start, done, not_yet = reporting_status(team, today)
            reported.append(len(done))
            missing.append(len(not_yet))
        links = [url_for("teams.reports", team_id=i) for i in ids]
        figures.charts["reports"] = {"type": "stacked", "categories": names, "series": [
            {"name": _("Reported"), "data": reported, "links": links},
            {"name": _("Not yet"), "data": missing, "links": links}]}
        expected = sum(reported) + sum(missing)
        figures.numbers.append({"label": _("Reports in this period"),
                                "value": round(100 * sum(reported) / expected)
                                if expected else None, "unit": "%", "id": "reports"})
    at_risk: Counter[int] = Counter()
    goals = db.session.scalars(visible(user, Goal).where(Goal.team_id.in_(ids))
                               .options(sa.orm.selectinload(Goal.checkins)))
    for goal in goals:
        if assessment(goal, today).state in SLIPPING:
            at_risk[goal.team_id] += 1
    figures.charts["goals"] = {"type": "hbar", "categories": names, "series": [
        {"name": _("Goals at risk, off track or overdue"), "data": [at_risk[i] for i in ids],
         "links": [url_for("teams.goals", team_id=i) for i in ids]}]}
    unsolved = _grouped(visible(user, Problem).where(
        Problem.team_id.in_(ids), state_not_in(Problem.status, ProblemStatus.is_solved)),
        Problem.team_id)
    pending = _grouped(visible(user, ResourceRequest).where(
        ResourceRequest.team_id.in_(ids),
        state_in(ResourceRequest.status, RequestStatus.awaits_decision)),
        ResourceRequest.team_id)
    figures.charts["open"] = {"type": "hbar", "categories": names, "series": [
        {"name": _("Unsolved problems"), "data": [unsolved.get(i, 0) for i in ids],
         "links": [url_for("teams.problems", team_id=i, status="unsolved") for i in ids]},
        {"name": _("Requests awaiting a decision"), "data": [pending.get(i, 0) for i in ids],
         "links": [url_for("teams.requests", team_id=i, status=RequestStatus.REQUESTED.value)
                   for i in ids]}]}
    return figures
