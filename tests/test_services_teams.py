"""The team services (goals, meetings, the feed, reports, the team itself), called as a
job, an import or the CLI would: no request, plain values in, nothing committed by them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import has_request_context

from tracker.extensions import db
from tracker.models import (
    AgendaItem,
    AuditEvent,
    FollowUp,
    Goal,
    GoalCheckIn,
    Meeting,
    Post,
    PostComment,
    Problem,
    ProgressReport,
    Recognition,
    ResourceRequest,
    Retrospective,
    Team,
    TeamMembership,
)
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


# -- meetings and retrospectives --------------------------------------------------------

def test_save_meeting_makes_the_agenda_and_follow_ups_from_plain_values(users):
    from tracker.teams.meetings.services import ActionRow, AgendaRow, MeetingInput, save_meeting

    lead, member = users["manager"], users["team_member"]
    starts = datetime(2026, 12, 7, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    data = MeetingInput(
        title=" Weekly ops ", series="  周例会   Weekly ", starts_at=starts,
        organizer_id=lead.id, attendee_ids=(member.id, lead.id), notes="Short one",
        items=(AgendaRow(title="Late deliveries", decisions="Call the carrier", actions=(
                   ActionRow(title=" Call the carrier ", owner_id=member.id,
                             due_on=date(2026, 12, 9)),
                   ActionRow(title=" "))),  # a blank row says nothing
               AgendaRow(title=""),
               AgendaRow(title="Holiday rota")))
    meeting = save_meeting(_alpha(), data)
    assert meeting.id is not None and meeting.starts_at == datetime(2026, 12, 7, 1, 30,
                                                                    tzinfo=UTC)
    db.session.rollback()
    assert (_count(Meeting), _count(AgendaItem), _count(FollowUp)) == (0, 0, 0)

    meeting = save_meeting(_alpha(), data)
    db.session.commit()
    assert (meeting.title, meeting.series) == ("Weekly ops", "周例会 Weekly")
    assert {p.id for p in meeting.attendees} == {member.id, lead.id}
    first = meeting.items[0]
    assert [(i.title, i.position) for i in meeting.items] == [("Late deliveries", 0),
                                                                ("Holiday rota", 1)]
    (followup,) = db.session.scalars(sa.select(FollowUp))
    assert (followup.title, followup.owner_id, followup.source_type, followup.source_id,
            followup.team_id) == ("Call the carrier", member.id, "agenda_items", first.id,
                                  _alpha().id)

    # The item with an action item stays when left out; the other one goes.
    save_meeting(_alpha(), MeetingInput(title="Weekly ops", starts_at=starts, items=(
        AgendaRow(title="New topic"),)), meeting, version=meeting.version)
    db.session.commit()
    assert [(i.title, i.position) for i in meeting.items] == [("New topic", 0),
                                                                ("Late deliveries", 1)]
    assert meeting.version == 2 and meeting.attendees == []
    assert [e.record_version for e in _history(meeting) if e.action == "update"] == [2]

    with pytest.raises(StaleRecord):
        save_meeting(_alpha(), data, meeting, version=1)
    with pytest.raises(ValueError):  # whose 9:30?
        save_meeting(_alpha(), MeetingInput(title="x", starts_at=datetime(2026, 12, 7, 9)))
    with pytest.raises(ValueError):
        save_meeting(_alpha(), MeetingInput(title="x", starts_at=starts, items=(
            AgendaRow(title="y", actions=(ActionRow(title="no date", owner_id=lead.id),)),)))
    db.session.rollback()
    assert _count(Meeting) == 1 and meeting.title == "Weekly ops"


def test_a_standing_action_item_repeats_and_completing_it_makes_the_next(users):
    from tracker.followups.services import complete
    from tracker.teams.meetings.services import ActionRow, AgendaRow, MeetingInput, save_meeting

    lead, member = users["manager"], users["team_member"]
    starts = datetime(2026, 12, 7, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    weekly = ActionRow(title="Send the weekly report", owner_id=member.id,
                       due_on=date(2026, 12, 14), repeat_every=1, repeat_unit="weeks")
    save_meeting(_alpha(), MeetingInput(title="Weekly ops", starts_at=starts, items=(
        AgendaRow(title="Reporting", actions=(weekly,)),)))
    db.session.commit()
    (followup,) = db.session.scalars(sa.select(FollowUp))
    assert (followup.repeat_every, followup.repeat_unit) == (1, "weeks")
    following = complete(followup, followup.version)
    assert (following.due_on, following.source_type) == (date(2026, 12, 21), "agenda_items")
    db.session.rollback()
    with pytest.raises(ValueError):  # every 1 fortnight?
        save_meeting(_alpha(), MeetingInput(title="x", starts_at=starts, items=(AgendaRow(
            title="y", actions=(ActionRow(title="z", owner_id=lead.id, due_on=date(2026, 12, 9),
                                          repeat_every=1, repeat_unit="fortnights"),)),)))


def test_save_retro_makes_follow_ups_from_plain_values(users):
    from tracker.teams.meetings.services import ActionRow, RetroInput, save_retro

    lead, member = users["manager"], users["team_member"]
    data = RetroInput(title=" Q4 retro ", held_on=date(2026, 12, 4), facilitator_id=lead.id,
                      went_well="Fast replies", actions=(
                          ActionRow(title="Write the checklist", owner_id=member.id,
                                    due_on=date(2026, 12, 18)),))
    retro = save_retro(_alpha(), data)
    assert retro.id is not None
    db.session.rollback()
    assert (_count(Retrospective), _count(FollowUp)) == (0, 0)

    retro = save_retro(_alpha(), data)
    db.session.commit()
    (followup,) = db.session.scalars(sa.select(FollowUp))
    assert (retro.title, followup.source_type, followup.source_id, followup.team_id) == (
        "Q4 retro", "retrospectives", retro.id, _alpha().id)

    save_retro(_alpha(), RetroInput(title="Q4 retro", held_on=date(2026, 12, 4),
                                    lessons="Ask early"), retro, version=retro.version)
    db.session.commit()
    assert (retro.lessons, retro.went_well, retro.version, _count(FollowUp)) == (
        "Ask early", "", 2, 1)
    with pytest.raises(StaleRecord):
        save_retro(_alpha(), data, retro, version=1)


# -- the feed ---------------------------------------------------------------------------

def test_recognize_save_post_and_add_comment_from_plain_values(users):
    from tracker.teams.feed import services

    member, agent = users["team_member"], users["support_agent"]
    praise = services.recognize(_alpha(), agent.id, " Sorted the carrier out in a day ", member)
    db.session.rollback()
    assert _count(Recognition) == 0
    praise = services.recognize(_alpha(), agent.id, " Sorted the carrier out in a day ", member)
    db.session.commit()
    assert (praise.giver_id, praise.recipient_id, praise.message) == (
        member.id, agent.id, "Sorted the carrier out in a day")

    data = services.PostInput(kind="finding", title=" Carriers answer faster by phone ",
                              link="https://example.com/notes")
    post = services.save_post(data, _alpha(), member)
    db.session.rollback()
    assert _count(Post) == 0
    post = services.save_post(data, _alpha(), member)
    db.session.commit()
    assert (post.kind, post.title, post.body, post.author_id) == (
        "finding", "Carriers answer faster by phone", "", member.id)

    reply = services.add_comment(post, " Same with customs ", agent)
    db.session.rollback()
    assert _count(PostComment) == 0
    reply = services.add_comment(post, " Same with customs ", agent)
    db.session.commit()
    assert (reply.post_id, reply.body, reply.author_id, post.version) == (
        post.id, "Same with customs", agent.id, 1)  # a reply leaves the post's version

    services.save_post(services.PostInput(kind="announcement", title="Phone first"),
                       _alpha(), member, post, version=post.version)
    db.session.commit()
    assert (post.kind, post.title, post.link, post.version) == (
        "announcement", "Phone first", "", 2)
    with pytest.raises(StaleRecord):
        services.save_post(data, _alpha(), member, post, version=1)


# -- progress reports, problems, resource requests --------------------------------------

def test_save_and_comment_a_report_from_plain_values(users):
    from tracker.teams.reports import services

    lead, member = users["manager"], users["team_member"]
    data = services.ReportInput(done=" Shipped the rota ", blockers=" Waiting for IT ")
    report = services.save_report(data, team=_alpha(), author=member, start=date(2026, 11, 30))
    db.session.rollback()
    assert _count(ProgressReport) == 0
    report = services.save_report(data, team=_alpha(), author=member, start=date(2026, 11, 30))
    db.session.commit()
    assert (report.done, report.next, report.blockers, report.period_start) == (
        "Shipped the rota", "", "Waiting for IT", date(2026, 11, 30))

    services.save_report(services.ReportInput(next="Plan Q1"), report=report,
                         version=report.version)
    services.comment_report(report, " Ask IT today ", lead, version=report.version)
    db.session.rollback()
    assert db.session.get(ProgressReport, report.id).lead_comment == ""
    services.comment_report(report, " Ask IT today ", lead, version=report.version)
    db.session.commit()
    assert (report.lead_comment, report.commented_by_id, report.version) == (
        "Ask IT today", lead.id, 2)
    # the lead came in expired (as in a job): reading them split nothing
    assert [e.record_version for e in _history(report) if e.action == "update"] == [2]
    with pytest.raises(StaleRecord):
        services.save_report(data, report=report, version=1)
    with pytest.raises(StaleRecord):
        services.comment_report(report, "Late", lead, version=1)


def test_save_problem_from_plain_values(users):
    from tracker.models import ProblemStatus
    from tracker.teams.reports import services

    member, agent = users["team_member"], users["support_agent"]
    data = services.ProblemInput(title=" Printer down ", impact="No labels", urgency="high",
                                 owner_id=agent.id, solution="ignored while open")
    problem = services.save_problem(data, team=_alpha(), reporter=member)
    db.session.rollback()
    assert _count(Problem) == 0
    problem = services.save_problem(data, team=_alpha(), reporter=member)
    db.session.commit()
    assert (problem.title, problem.urgency, problem.status, problem.owner_id,
            problem.solution) == ("Printer down", "high", "open", agent.id, "")

    services.move_problem(problem, ProblemStatus.SOLVED.value, "New toner")
    db.session.commit()
    services.save_problem(services.ProblemInput(title="Printer down", solution=" Toner "),
                          problem=problem, version=problem.version)
    db.session.commit()
    assert (problem.solution, problem.urgency, problem.owner_id) == ("Toner", "medium", None)
    services.save_problem(services.ProblemInput(title="Printer"), problem=problem,
                          version=problem.version)  # no solution given: it stays
    db.session.commit()
    assert problem.solution == "Toner"
    with pytest.raises(StaleRecord):
        services.save_problem(data, problem=problem, version=1)


def test_save_and_decide_a_request_from_plain_values(users):
    from tracker.teams.reports import services
    from tracker.teams.reports.workflow import MoveRefused

    lead, member = users["manager"], users["team_member"]
    data = services.RequestInput(kind="budget", title=" Label printer ",
                                 amount=Decimal("1200.00"), unit="CNY", reason="Ours broke",
                                 approver_id=lead.id)
    request = services.save_request(data, team=_alpha(), requester=member)
    db.session.rollback()
    assert _count(ResourceRequest) == 0
    request = services.save_request(data, team=_alpha(), requester=member)
    db.session.commit()
    assert (request.title, request.amount, request.status, request.approver_id) == (
        "Label printer", Decimal("1200.00"), "requested", lead.id)
    services.save_request(services.RequestInput(
        kind="equipment", title="Label printer", amount=Decimal("900.00"), unit="CNY",
        reason="Ours broke", approver_id=lead.id), request=request, version=request.version)
    db.session.commit()
    assert (request.kind, request.amount, request.version) == (
        "equipment", Decimal("900.00"), 2)
    with pytest.raises(StaleRecord):
        services.save_request(data, request=request, version=1)
    with pytest.raises(StaleRecord):
        services.decide_request(request, "approved", None, "", version=1)
    with pytest.raises(MoveRefused) as refused:
        services.decide_request(request, "partly_approved", Decimal("900.00"), "",
                                version=request.version)
    assert refused.value.field == "granted_amount"

    services.decide_request(request, "partly_approved", Decimal("600.00"), " Half now ",
                            version=request.version)
    db.session.rollback()
    assert db.session.get(ResourceRequest, request.id).status == "requested"
    services.decide_request(request, "partly_approved", Decimal("600.00"), " Half now ",
                            version=request.version)
    db.session.commit()
    assert (request.status, request.granted_amount, request.approver_note) == (
        "partly_approved", Decimal("600.00"), "Half now")
