"""The team services (goals, meetings, the feed, reports, the team itself), called as a
job, an import or the CLI would: no request, plain values in, nothing committed by them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import has_request_context

from tracker.extensions import db
from tracker.models import AuditEvent, Goal, GoalCheckIn, Team, TeamMembership
from tracker.records import StaleRecord


@pytest.fixture(autouse=True)
def _no_request():
    assert not has_request_context()


def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _history(record: object) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type == record.__tablename__, AuditEvent.record_id == record.id)
        .order_by(AuditEvent.id)))


# -- goals ------------------------------------------------------------------------------

def _goal_input(**changes: object):
    from tracker.teams.goals.services import GoalInput

    values = dict(title=" Fewer complaints ", metric="complaints per 100 orders", unit="%",
                  baseline=Decimal("4.50"), target=Decimal("2.00"), why="Key accounts leave",
                  due_on=date(2027, 6, 30))
    return GoalInput(**{**values, **changes})


def test_save_goal_and_add_checkin_from_plain_values(users):
    from tracker.teams.goals import services

    member, alpha = users["team_member"], _alpha()
    goal = services.save_goal(_goal_input(owner_id=member.id), alpha)
    db.session.flush()
    assert (goal.title, goal.team_id, goal.owner_id, goal.target) == (
        "Fewer complaints", alpha.id, member.id, Decimal("2.00"))
    db.session.rollback()
    assert _count(Goal) == 0  # the caller's transaction, not the service's

    goal = services.save_goal(_goal_input(owner_id=member.id), alpha)
    db.session.commit()
    services.save_goal(_goal_input(owner_id=member.id, target=Decimal("1.50")), alpha, goal,
                       version=goal.version)
    db.session.commit()
    assert goal.target == Decimal("1.50") and goal.version == 2
    assert [e.action for e in _history(goal)] == ["create", "update"]

    checkin = services.add_checkin(goal, Decimal("3.10"), " Two accounts back ", member)
    db.session.rollback()
    assert _count(GoalCheckIn) == 0
    checkin = services.add_checkin(goal, Decimal("3.10"), " Two accounts back ", member)
    db.session.commit()
    assert (checkin.goal_id, checkin.value, checkin.note, checkin.author_id) == (
        goal.id, Decimal("3.10"), "Two accounts back", member.id)
    assert goal.version == 2  # a check-in leaves an open edit form current


def test_save_goal_refuses_a_stale_version(users):
    from tracker.teams.goals import services

    goal = services.save_goal(_goal_input(owner_id=users["team_member"].id), _alpha())
    db.session.commit()
    services.save_goal(_goal_input(title="Other"), _alpha(), goal, version=goal.version)
    db.session.commit()
    with pytest.raises(StaleRecord) as refused:
        services.save_goal(_goal_input(title="Late"), _alpha(), goal, version=1)
    assert [e.record_version for e in refused.value.events] == [2]
    with pytest.raises(StaleRecord):
        services.save_goal(_goal_input(), _alpha(), goal)  # an update needs its version
    db.session.rollback()
    assert db.session.get(Goal, goal.id).title == "Other"


# -- the team ---------------------------------------------------------------------------

def _members(team: Team) -> dict[int, bool]:
    db.session.expire(team, ["memberships"])
    return {m.user_id: m.is_lead for m in team.memberships}


def test_save_team_merges_the_membership_it_was_loaded_with(users):
    from tracker.teams.services import TeamInput, save_team

    lead, member, agent = users["manager"], users["team_member"], users["support_agent"]
    team = save_team(TeamInput(name=" Gamma ", members=(member.id,), leads=(lead.id,)))
    db.session.flush()
    assert team.name == "Gamma" and team.report_cadence == "weekly"
    db.session.rollback()
    assert db.session.scalar(sa.select(Team).where(Team.name == "Gamma")) is None

    team = save_team(TeamInput(name="Gamma", members=(member.id,), leads=(lead.id,)))
    db.session.commit()
    assert _members(team) == {member.id: False, lead.id: True}
    loaded = _members(team)
    # Meanwhile somebody adds the agent from the user's side ...
    db.session.add(TeamMembership(team_id=team.id, user_id=agent.id))
    db.session.commit()
    # ... and a view loaded before that makes the member a lead and renames the team.
    save_team(TeamInput(name="Gamma Ops", description="Operations", report_cadence="daily",
                        members=(member.id, lead.id), leads=(member.id, lead.id),
                        members_loaded=loaded), team, version=team.version)
    db.session.commit()
    assert _members(team) == {member.id: True, lead.id: True, agent.id: False}
    assert (team.name, team.report_cadence, team.version) == ("Gamma Ops", "daily", 2)
    updates = [e for e in _history(team) if e.action == "update"]
    assert [e.record_version for e in updates] == [2]  # one save, one version

    with pytest.raises(StaleRecord):
        save_team(TeamInput(name="Late"), team, version=1)
    db.session.rollback()
    # Without a loaded state, the posted membership is taken as it is.
    save_team(TeamInput(name="Gamma Ops", members=(agent.id,)), team, version=team.version)
    db.session.commit()
    assert _members(team) == {agent.id: False}
