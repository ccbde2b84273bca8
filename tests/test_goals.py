"""SMART goals: the progress and state function, the form's checks, check-ins moving the
bar, the tree, scopes and the stale-form check."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import AuditEvent, Goal, GoalCheckIn, Team
from tracker.teams.goals.progress import GoalState, assess, goal_state

FIELD_ERROR = 'class="field-error"'
START = date(2026, 1, 1)
DUE = date(2026, 4, 10)  # the end of the due date is 100 days after the start


def _on(day: int, hour: int = 0) -> datetime:
    """``day`` days after the start, in UTC."""
    return datetime(2026, 1, 1, hour, tzinfo=UTC) + timedelta(days=day)


def _d(day: int) -> date:
    return START + timedelta(days=day)


def _series(*pairs: tuple[int, str]) -> list[tuple[datetime, Decimal]]:
    return [(_on(day), Decimal(value)) for day, value in pairs]


# -- goal_state ------------------------------------------------------------------------

def test_increasing_goal_on_track_when_the_trend_reaches_the_target_exactly():
    checkins = _series((10, "10"), (20, "20"), (30, "30"))
    assert goal_state(Decimal(0), Decimal(100), checkins, START, DUE, _d(30)) == (
        30, GoalState.ON_TRACK)


def test_increasing_goal_at_risk_at_eighty_percent_of_the_way():
    checkins = _series((10, "8"), (20, "16"), (30, "24"))
    result = assess(Decimal(0), Decimal(100), checkins, START, DUE, _d(30))
    assert (result.progress, result.state, result.projected) == (24, GoalState.AT_RISK, 80)


def test_increasing_goal_off_track_below_eighty_percent():
    checkins = _series((10, "7"), (20, "14"), (30, "21"))
    assert goal_state(Decimal(0), Decimal(100), checkins, START, DUE, _d(30)) == (
        21, GoalState.OFF_TRACK)


def test_decreasing_goal_complaint_rate_five_to_two_percent_on_track():
    checkins = _series((10, "4.7"), (20, "4.4"), (30, "4.1"))
    assert goal_state(Decimal("5.00"), Decimal("2.00"), checkins, START, DUE, _d(30)) == (
        30, GoalState.ON_TRACK)


def test_decreasing_goal_off_track_and_at_risk():
    slow = _series((10, "4.9"), (20, "4.8"), (30, "4.7"))
    assert goal_state(Decimal(5), Decimal(2), slow, START, DUE, _d(30)) == (
        10, GoalState.OFF_TRACK)
    nearly = _series((10, "4.76"), (20, "4.52"), (30, "4.28"))  # 2.6 by the due date: 80 %
    assert goal_state(Decimal(5), Decimal(2), nearly, START, DUE, _d(30)) == (
        24, GoalState.AT_RISK)


def test_decreasing_goal_moving_the_wrong_way_shows_no_progress():
    checkins = _series((10, "5.5"), (20, "6"))
    assert goal_state(Decimal(5), Decimal(2), checkins, START, DUE, _d(20)) == (
        0, GoalState.OFF_TRACK)


def test_no_checkins_on_track_until_progress_is_expected_then_off_track():
    assert goal_state(Decimal(0), Decimal(10), [], START, DUE, START) == (0, GoalState.ON_TRACK)
    assert goal_state(Decimal(0), Decimal(10), [], START, DUE, _d(-5)) == (
        0, GoalState.ON_TRACK)
    result = assess(Decimal(0), Decimal(10), [], START, DUE, _d(10))
    assert (result.progress, result.state, result.expected) == (0, GoalState.OFF_TRACK, 10)


def test_no_checkins_and_no_dates():
    assert goal_state(Decimal(0), Decimal(10), [], None, None, START) == (
        0, GoalState.ON_TRACK)


def test_achieved_when_the_target_is_met_even_after_the_due_date():
    up = _series((10, "50"), (40, "100.5"))
    assert goal_state(Decimal(0), Decimal(100), up, START, DUE, _d(200)) == (
        100, GoalState.ACHIEVED)
    down = _series((30, "1.90"))
    assert goal_state(Decimal(5), Decimal(2), down, START, DUE, _d(30)) == (
        100, GoalState.ACHIEVED)


def test_overdue_when_past_due_and_not_met():
    checkins = _series((10, "40"), (90, "90"))
    assert goal_state(Decimal(0), Decimal(100), checkins, START, DUE, DUE + timedelta(days=1)
                      ) == (90, GoalState.OVERDUE)
    # on the due date itself it is not overdue yet
    assert goal_state(Decimal(0), Decimal(100), checkins, START, DUE, DUE)[1] != (
        GoalState.OVERDUE)


def test_one_checkin_draws_the_line_from_the_baseline_at_the_start():
    assert goal_state(Decimal(0), Decimal(100), _series((50, "50")), START, DUE, _d(50)) == (
        50, GoalState.ON_TRACK)
    assert goal_state(Decimal(0), Decimal(100), _series((50, "30")), START, DUE, _d(50)) == (
        30, GoalState.OFF_TRACK)


def test_the_trend_is_the_last_three_checkins():
    flat_then_fast = _series((10, "0"), (20, "0"), (30, "30"), (40, "40"), (50, "50"))
    assert goal_state(Decimal(0), Decimal(100), flat_then_fast, START, DUE, _d(50)) == (
        50, GoalState.ON_TRACK)
    fast_then_flat = _series((10, "20"), (20, "40"), (30, "45"), (40, "45"), (50, "45"))
    assert goal_state(Decimal(0), Decimal(100), fast_then_flat, START, DUE, _d(50)) == (
        45, GoalState.OFF_TRACK)


def test_checkins_in_any_order_and_at_one_moment():
    shuffled = _series((30, "30"), (10, "10"), (20, "20"))
    assert goal_state(Decimal(0), Decimal(100), shuffled, START, DUE, _d(30)) == (
        30, GoalState.ON_TRACK)
    same_moment = [(_on(25), Decimal(10)), (_on(25), Decimal(25))]
    # no line through one moment: the pace so far (25 % done, 25 % of the time gone)
    assert goal_state(Decimal(0), Decimal(100), same_moment, START, DUE, _d(25)) == (
        25, GoalState.ON_TRACK)


def test_progress_is_rounded_down_and_clamped():
    assert goal_state(Decimal(0), Decimal(3), _series((1, "2")), START, DUE, _d(1))[0] == 66
    assert goal_state(Decimal(0), Decimal(100), _series((1, "99.99")), START, DUE, _d(1))[0] == 99
    assert goal_state(Decimal(0), Decimal(100), _series((1, "-20")), START, DUE, _d(1))[0] == 0


def test_target_equal_to_baseline_does_not_divide_by_zero():
    assert goal_state(Decimal(5), Decimal(5), [], START, DUE, START) == (
        100, GoalState.ACHIEVED)


# -- pages -----------------------------------------------------------------------------

def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _page(response) -> str:
    return response.get_data(as_text=True)


def _field_error(html: str, field: str) -> str:
    match = re.search(rf'<small id="{field}-help" class="field-error">(.*?)</small>', html, re.S)
    return match.group(1).strip() if match else ""


def make_goal(team: Team, owner=None, title: str = "More repeat orders", **fields) -> Goal:
    values = {"metric": "repeat orders per month", "unit": "orders", "baseline": Decimal(0),
              "target": Decimal(100), "why": "Repeat orders pay the bills.",
              "starts_on": date.today() - timedelta(days=10),
              "due_on": date.today() + timedelta(days=90), **fields}
    goal = Goal(team_id=team.id, owner_id=owner.id if owner else None, title=title, **values)
    db.session.add(goal)
    db.session.commit()
    return goal


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Fewer complaints from key accounts", "metric": "complaint rate",
        "unit": "%", "baseline": "5", "target": "2", "why": "Key accounts renew.",
        "starts_on": "2026-01-01", "due_on": "2026-06-30", "owner_id": "", "parent_id": "",
    }
    data.update(changes)
    return data


def test_team_member_sets_a_goal_for_their_team(login_as, users):
    alpha = _alpha()
    client = login_as("team_member")
    page = _page(client.get(f"/teams/{alpha.id}/goals/new"))
    assert 'name="baseline"' in page and 'name="why"' in page
    response = client.post(f"/teams/{alpha.id}/goals/new",
                           data=_form(owner_id=users["team_member"].id))
    assert response.status_code == 302, _page(response)
    goal = db.session.scalar(sa.select(Goal))
    assert (goal.team_id, goal.owner_id, goal.baseline, goal.target) == (
        alpha.id, users["team_member"].id, Decimal("5.00"), Decimal("2.00"))
    assert goal.created_by_id == users["team_member"].id
    listing = _page(client.get(f"/teams/{alpha.id}/goals"))
    assert "Fewer complaints from key accounts" in listing and "<progress" in listing


def test_goal_form_refuses_a_target_equal_to_the_baseline(login_as, users):
    alpha = _alpha()
    response = login_as("manager").post(
        f"/teams/{alpha.id}/goals/new",
        data=_form(baseline="5.00", target="5", owner_id=users["team_member"].id))
    assert response.status_code == 422
    assert "The target must differ from the baseline." in _field_error(_page(response), "target")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Goal)) == 0


@pytest.mark.parametrize(("field", "value", "message"), [
    ("baseline", "1.234", "Use at most two decimal places."),
    ("target", "NaN", "Enter a number, like 12.5."),
    ("target", "1e13", "Enter a number between"),
    ("baseline", "", "Enter a number."),
    ("due_on", "2025-12-31", "The due date comes before the start."),
    ("title", "   ", "This field is required."),
    ("owner_id", "", "Choose who owns this goal."),
])
def test_goal_form_marks_the_field(login_as, users, field, value, message):
    alpha = _alpha()
    data = _form(owner_id=users["team_member"].id)
    data[field] = value
    response = login_as("manager").post(f"/teams/{alpha.id}/goals/new", data=data)
    assert response.status_code == 422
    assert message in _field_error(_page(response), field)


def test_parent_from_another_team_is_refused(login_as, users):
    alpha, beta = _alpha(), factories.make_team("Beta")
    elsewhere = make_goal(beta, title="Beta's goal")
    mine = make_goal(alpha, owner=users["team_member"], title="Alpha's goal")
    client = login_as("manager")
    form_page = _page(client.get(f"/teams/{alpha.id}/goals/new"))
    assert "Alpha&#39;s goal" in form_page and "Beta&#39;s goal" not in form_page
    response = client.post(f"/teams/{alpha.id}/goals/new", data=_form(
        owner_id=users["team_member"].id, parent_id=elsewhere.id))
    assert response.status_code == 422
    assert "Choose a goal of this team." in _field_error(_page(response), "parent_id")
    ok = client.post(f"/teams/{alpha.id}/goals/new", data=_form(
        owner_id=users["team_member"].id, parent_id=mine.id, title="Sub-goal"))
    assert ok.status_code == 302
    child = db.session.scalar(sa.select(Goal).where(Goal.title == "Sub-goal"))
    assert child.parent_id == mine.id


def test_a_goal_cannot_move_under_its_own_subgoal(login_as, users):
    alpha = _alpha()
    top = make_goal(alpha, owner=users["team_member"], title="Top")
    sub = make_goal(alpha, owner=users["team_member"], title="Sub", parent_id=top.id)
    client = login_as("manager")
    edit = _page(client.get(f"/teams/goals/{top.id}/edit"))
    parents = re.search(r'<select[^>]*name="parent_id".*?</select>', edit, re.S).group(0)
    assert f'value="{sub.id}"' not in parents and f'value="{top.id}"' not in parents
    response = client.post(f"/teams/goals/{top.id}/edit", data=_form(
        title="Top", owner_id=users["team_member"].id, parent_id=sub.id, version=top.version))
    assert response.status_code == 422
    assert "cannot be part of itself" in _field_error(_page(response), "parent_id")


def test_owner_must_be_a_member_of_the_team(login_as, users):
    alpha = _alpha()
    stranger = factories.make_user("team_member", teams=(factories.make_team("Beta"),))
    response = login_as("manager").post(f"/teams/{alpha.id}/goals/new",
                                        data=_form(owner_id=stranger.id))
    assert response.status_code == 422
    assert "Choose the owner from the list." in _field_error(_page(response), "owner_id")


def test_checkins_move_the_bar(login_as, users):
    goal = make_goal(_alpha(), owner=users["team_member"])
    client = login_as("team_member")
    assert '<progress value="0" max="100"' in _page(client.get(f"/teams/goals/{goal.id}"))
    response = client.post(f"/teams/goals/{goal.id}/checkins",
                           data={"value": "40", "note": "Loyalty mailing went out."})
    assert response.status_code == 302
    page = _page(client.get(f"/teams/goals/{goal.id}"))
    assert '<progress value="40" max="100"' in page
    assert "Loyalty mailing went out." in page
    client.post(f"/teams/goals/{goal.id}/checkins", data={"value": "100"})
    page = _page(client.get(f"/teams/goals/{goal.id}"))
    assert '<progress value="100" max="100"' in page and 'data-state="achieved"' in page
    checkin = db.session.scalars(sa.select(GoalCheckIn).order_by(GoalCheckIn.id)).first()
    assert (checkin.value, checkin.author_id) == (Decimal("40.00"), users["team_member"].id)
    # check-ins are on the goal's history, and do not make an open edit form stale
    db.session.refresh(goal)
    assert goal.version == 1
    actions = db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.record_type == "goals", AuditEvent.record_id == goal.id)).all()
    assert actions.count("goal_checkins.create") == 2


def test_a_decreasing_goal_fills_its_bar_as_the_rate_falls(login_as, users):
    goal = make_goal(_alpha(), owner=users["team_member"], baseline=Decimal(5),
                     target=Decimal(2), unit="%")
    client = login_as("team_member")
    client.post(f"/teams/goals/{goal.id}/checkins", data={"value": "3.5"})
    assert '<progress value="50" max="100"' in _page(client.get(f"/teams/goals/{goal.id}"))


def test_checkin_errors_are_shown_on_the_field(login_as, users):
    goal = make_goal(_alpha(), owner=users["team_member"])
    response = login_as("team_member").post(f"/teams/goals/{goal.id}/checkins",
                                            data={"value": "lots"})
    assert response.status_code == 422
    assert _field_error(_page(response), "value")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GoalCheckIn)) == 0


def test_only_the_owner_or_creator_checks_in(login_as, users):
    goal = make_goal(_alpha(), owner=users["support_agent"])
    client = login_as("team_member")
    assert client.get(f"/teams/goals/{goal.id}").status_code == 200  # same team: reads
    page = _page(client.get(f"/teams/goals/{goal.id}"))
    assert 'name="value"' not in page
    assert client.post(f"/teams/goals/{goal.id}/checkins",
                       data={"value": "10"}).status_code == 403
    assert login_as("support_agent").post(f"/teams/goals/{goal.id}/checkins",
                                          data={"value": "10"}).status_code == 302


def test_the_tree_nests_subgoals(login_as, users):
    alpha = _alpha()
    top = make_goal(alpha, owner=users["team_member"], title="Grow repeat business")
    make_goal(alpha, owner=users["team_member"], title="Win back lapsed accounts",
              parent_id=top.id)
    page = _page(login_as("team_member").get(f"/teams/{alpha.id}/goals"))
    nested = re.search(rf'<li data-goal="{top.id}">.*?<ul class="goal-tree">.*?Win back lapsed',
                       page, re.S)
    assert nested, page
    detail = _page(login_as("team_member").get(f"/teams/goals/{top.id}"))
    assert "Win back lapsed accounts" in detail


def test_another_teams_member_gets_404(login_as, users):
    alpha = _alpha()
    goal = make_goal(alpha, owner=users["team_member"])
    outsider = factories.make_user("team_member", teams=(factories.make_team("Beta"),))
    client = login_as(outsider)
    assert client.get(f"/teams/goals/{goal.id}").status_code == 404
    assert client.get(f"/teams/{alpha.id}/goals").status_code == 404
    assert client.get(f"/teams/{alpha.id}/goals/new").status_code == 404
    assert client.post(f"/teams/goals/{goal.id}/checkins",
                       data={"value": "1"}).status_code == 404
    assert client.get(f"/teams/goals/{goal.id}/edit").status_code == 404


def test_auditor_reads_but_does_not_write(login_as, users):
    alpha = _alpha()
    goal = make_goal(alpha, owner=users["team_member"])
    client = login_as("auditor")
    assert client.get(f"/teams/goals/{goal.id}").status_code == 200
    assert client.get(f"/teams/goals/{goal.id}/history").status_code == 200
    assert client.get(f"/teams/{alpha.id}/goals/new").status_code == 403
    assert client.post(f"/teams/goals/{goal.id}/checkins", data={"value": "1"}).status_code == 403


def test_stale_edit_is_refused_with_409(login_as, users):
    goal = make_goal(_alpha(), owner=users["team_member"], title="Old title")
    client = login_as("team_member")
    page = _page(client.get(f"/teams/goals/{goal.id}/edit"))
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    data = _form(title="Mine", owner_id=users["team_member"].id, version=version)
    goal.title = "Theirs"
    db.session.commit()
    response = client.post(f"/teams/goals/{goal.id}/edit", data=data)
    assert response.status_code == 409
    assert "Someone else changed this record" in _page(response)
    db.session.refresh(goal)
    assert goal.title == "Theirs"
    data["version"] = str(goal.version)
    assert client.post(f"/teams/goals/{goal.id}/edit", data=data).status_code == 302
    db.session.refresh(goal)
    assert goal.title == "Mine"


def test_owner_who_hands_the_goal_away_keeps_it(login_as, users):
    """A member may not edit a goal out of their own reach."""
    goal = make_goal(_alpha(), owner=users["team_member"])
    response = login_as("team_member").post(f"/teams/goals/{goal.id}/edit", data=_form(
        owner_id=users["support_agent"].id, version=goal.version))
    assert response.status_code == 422
    assert "no longer edit" in _field_error(_page(response), "owner_id")
    db.session.refresh(goal)
    assert goal.owner_id == users["team_member"].id


def test_archive_and_restore(login_as, users):
    alpha = _alpha()
    goal = make_goal(alpha, owner=users["team_member"], title="Archivable")
    client = login_as("team_member")
    assert client.post(f"/teams/goals/{goal.id}/archive").status_code == 302
    assert "Archivable" not in _page(client.get(f"/teams/{alpha.id}/goals"))
    assert client.post(f"/teams/goals/{goal.id}/restore").status_code == 403  # needs "all"
    assert login_as("manager").post(f"/teams/goals/{goal.id}/restore").status_code == 302
    assert "Archivable" in _page(client.get(f"/teams/{alpha.id}/goals"))


def test_goal_pages_in_chinese(login_as, users):
    goal = make_goal(_alpha(), owner=users["team_member"])
    users["team_member"].locale = "zh"
    db.session.commit()
    client = login_as("team_member")
    assert client.get(f"/teams/goals/{goal.id}").status_code == 200
    response = client.post(f"/teams/{_alpha().id}/goals/new", data=_form(title=""))
    assert response.status_code == 422
    assert FIELD_ERROR in _page(response)


def test_team_page_partial_counts_goals_by_state(app, users):
    """``teams/goals/_summary.html`` is what the team page includes."""
    from flask import render_template_string
    from flask_login import login_user

    from tracker.teams.goals import queries

    alpha = _alpha()
    top = make_goal(alpha, owner=users["team_member"], title="Top goal")
    make_goal(alpha, owner=users["team_member"], title="Sub goal", parent_id=top.id)
    make_goal(alpha, owner=users["team_member"], title="Done goal",
              checkins=[GoalCheckIn(value=Decimal(100), at=datetime.now(UTC))])
    with app.test_request_context():
        login_user(users["team_member"])
        summary = queries.summary(users["team_member"], alpha)
        html = render_template_string('{% include "teams/goals/_summary.html" %}', team=alpha,
                                      goal_summary=summary)
    assert summary.total == 3
    assert summary.counts[GoalState.ACHIEVED] == 1
    assert [n.goal.title for n in summary.roots] == ["Done goal", "Top goal"]
    assert "Achieved: 1" in html and "Sub goal" not in html and "<progress" in html
