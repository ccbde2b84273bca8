"""The team services (goals, meetings, the feed, reports, the team itself), called as a
job, an import or the CLI would: no request, plain values in, nothing committed by them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import has_request_context

from tracker.extensions import db
from tracker.models import AuditEvent, Goal, GoalCheckIn, Team
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
