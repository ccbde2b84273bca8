"""Progress reports (who has reported this period, one per period, the lead's reply,
blockers escalated), problems raised and resource requests, with their workflows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    FollowUp,
    Problem,
    ProblemStatus,
    ProgressReport,
    ResourceRequest,
    Team,
)
from tracker.teams.reports import queries
from tracker.teams.reports.workflow import PROBLEM_TRANSITIONS

# Sunday 1 March 2026, 20:00 UTC: already Monday 2 March, 04:00, in Shanghai.
SUNDAY_EVENING_UTC = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)


# -- fixtures and helpers ------------------------------------------------------------------

@pytest.fixture
def ops(users):
    """A weekly team: a lead and two members (team members), plus Beta with an outsider."""
    team = factories.make_team("Ops")
    lead = factories.make_user("team_member", name="Lena Lead", teams=(team,), lead_of=(team,))
    ann = factories.make_user("team_member", name="Ann Member", teams=(team,))
    bob = factories.make_user("team_member", name="Bob Member", teams=(team,))
    beta = factories.make_team("Beta")
    outsider = factories.make_user("team_member", name="Otto Outsider", teams=(beta,))
    return {"team": team, "lead": lead, "ann": ann, "bob": bob, "beta": beta,
            "outsider": outsider}


@pytest.fixture
def frozen(monkeypatch):
    """Freeze "now" for the reporting period at SUNDAY_EVENING_UTC."""
    monkeypatch.setattr(queries, "utcnow", lambda: SUNDAY_EVENING_UTC)
    return SUNDAY_EVENING_UTC


def _page(response) -> str:
    return response.get_data(as_text=True)


def _error_on(html: str, field: str) -> bool:
    return f'id="{field}-help" class="field-error"' in html


def make_report(team: Team, author, start: date, **fields: object) -> ProgressReport:
    report = ProgressReport(team_id=team.id, author_id=author.id, period_start=start,
                            done=fields.pop("done", "Shipped the thing"), **fields)
    db.session.add(report)
    db.session.commit()
    return report


def make_problem(team: Team, reporter, **fields: object) -> Problem:
    problem = Problem(team_id=team.id, reporter_id=reporter.id,
                      title=fields.pop("title", "The build is slow"), **fields)
    db.session.add(problem)
    db.session.commit()
    return problem


def make_request(team: Team, requester, approver, **fields: object) -> ResourceRequest:
    req = ResourceRequest(team_id=team.id, requester_id=requester.id, approver_id=approver.id,
                          kind=fields.pop("kind", "budget"), title=fields.pop("title", "Laptops"),
                          amount=fields.pop("amount", Decimal("12000.00")),
                          unit=fields.pop("unit", "CNY"), reason="Two new hires", **fields)
    db.session.add(req)
    db.session.commit()
    return req


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# -- who has reported this period ----------------------------------------------------------

def test_weekly_period_starts_on_monday_and_daily_on_the_day():
    wednesday = date(2026, 3, 4)
    assert queries.period_start("weekly", wednesday) == date(2026, 3, 2)
    assert queries.period_start("weekly", date(2026, 3, 2)) == date(2026, 3, 2)
    assert queries.period_start("weekly", date(2026, 3, 8)) == date(2026, 3, 2)  # Sunday
    assert queries.period_start("daily", wednesday) == wednesday


def test_reporting_status_weekly_lists_every_member_once(ops):
    team, lead, ann, bob = ops["team"], ops["lead"], ops["ann"], ops["bob"]
    make_report(team, ann, date(2026, 3, 2))
    make_report(team, bob, date(2026, 2, 23))  # last week's does not count
    make_report(ops["beta"], lead, date(2026, 3, 2))  # nor another team's
    start, reported, missing = queries.reporting_status(team, date(2026, 3, 5))
    assert start == date(2026, 3, 2)
    assert reported == [ann]
    assert missing == [bob, lead]  # by name


def test_a_deactivated_member_is_not_waited_for(ops):
    ops["bob"].is_enabled = False
    db.session.commit()
    _start, reported, missing = queries.reporting_status(ops["team"], date(2026, 3, 5))
    assert reported == [] and missing == [ops["ann"], ops["lead"]]


def test_reporting_status_daily_counts_only_today(ops):
    team, ann, bob = ops["team"], ops["ann"], ops["bob"]
    team.report_cadence = "daily"
    db.session.commit()
    make_report(team, ann, date(2026, 3, 4))
    make_report(team, bob, date(2026, 3, 3))
    start, reported, missing = queries.reporting_status(team, date(2026, 3, 4))
    assert start == date(2026, 3, 4)
    assert [u.name for u in reported] == ["Ann Member"]
    assert [u.name for u in missing] == ["Bob Member", "Lena Lead"]


@pytest.mark.parametrize(("cadence", "zone", "expected"), [
    ("weekly", "Asia/Shanghai", date(2026, 3, 2)),  # Monday there already
    ("weekly", "UTC", date(2026, 2, 23)),  # still last week's Sunday
    ("daily", "Asia/Shanghai", date(2026, 3, 2)),
    ("daily", "UTC", date(2026, 3, 1)),
])
def test_the_period_follows_the_users_time_zone(ops, login_as, frozen, cadence, zone,
                                                 expected):
    team, ann = ops["team"], ops["ann"]
    team.report_cadence = cadence
    ann.timezone = zone
    db.session.commit()
    client = login_as(ann)
    response = client.post(f"/teams/{team.id}/reports/new", data={"done": "Wrote tests"})
    assert response.status_code == 302
    report = db.session.scalar(sa.select(ProgressReport))
    assert report.period_start == expected and report.author_id == ann.id
    page = _page(client.get(f"/teams/{team.id}/reports"))
    reported = page.split('data-testid="reported"')[1].split("</dd>")[0]
    missing = page.split('data-testid="missing"')[1].split("</dd>")[0]
    assert "Ann Member" in reported and "Ann Member" not in missing
    assert "Bob Member" in missing and "Lena Lead" in missing


def test_a_report_in_another_zones_period_is_not_this_period(ops, login_as, frozen):
    """Ann (Shanghai) reported for the week of 2 March; for Bob (UTC) it is still the week
    of 23 February, where Ann has not reported."""
    team, ann, bob = ops["team"], ops["ann"], ops["bob"]
    ann.timezone, bob.timezone = "Asia/Shanghai", "UTC"
    db.session.commit()
    assert login_as(ann).post(f"/teams/{team.id}/reports/new",
                              data={"done": "Done"}).status_code == 302
    page = _page(login_as(bob).get(f"/teams/{team.id}/reports"))
    missing = page.split('data-testid="missing"')[1].split("</dd>")[0]
    assert "Ann Member" in missing


# -- one report per person and period ---------------------------------------------------------

def test_one_report_per_person_and_period(ops, login_as, frozen):
    team, ann = ops["team"], ops["ann"]
    client = login_as(ann)
    first = client.post(f"/teams/{team.id}/reports/new",
                        data={"done": "Monday work", "blockers": ""})
    assert first.status_code == 302
    report = db.session.scalar(sa.select(ProgressReport))
    again = client.get(f"/teams/{team.id}/reports/new")
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/teams/reports/{report.id}/edit")
    posted = client.post(f"/teams/{team.id}/reports/new", data={"done": "Second one"})
    assert posted.status_code == 302 and posted.headers["Location"].endswith("/edit")
    assert _count(ProgressReport) == 1
    db.session.refresh(report)
    assert report.done == "Monday work"
    # Bob reports for the same period on his own.
    assert login_as(ops["bob"]).post(f"/teams/{team.id}/reports/new",
                                     data={"done": "Bob's work"}).status_code == 302
    assert _count(ProgressReport) == 2


def test_a_report_posted_twice_at_once_still_makes_one(ops, login_as, frozen, monkeypatch):
    """The database's unique key catches the tab that checked before the other saved."""
    team, ann = ops["team"], ops["ann"]
    client = login_as(ann)
    assert client.post(f"/teams/{team.id}/reports/new", data={"done": "A"}).status_code == 302
    real = queries.own_report
    calls = []

    def blind_once(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(queries, "own_report", blind_once)
    response = client.post(f"/teams/{team.id}/reports/new", data={"done": "B"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/edit")
    assert _count(ProgressReport) == 1


def test_an_empty_report_is_refused_on_its_field(ops, login_as):
    response = login_as(ops["ann"]).post(f"/teams/{ops['team'].id}/reports/new",
                                         data={"done": " ", "next": "", "blockers": ""})
    assert response.status_code == 422
    assert _error_on(_page(response), "done")
    assert _count(ProgressReport) == 0


def test_only_members_write_reports(ops, users, login_as):
    team = ops["team"]
    assert login_as("admin").get(f"/teams/{team.id}/reports/new").status_code == 403
    assert login_as(ops["outsider"]).get(f"/teams/{team.id}/reports/new").status_code == 404
    assert login_as(ops["ann"]).get(f"/teams/{team.id}/reports/new").status_code == 200


# -- the lead's reply ------------------------------------------------------------------------

def test_the_lead_replies_and_the_reply_is_audited(ops, login_as):
    team, lead, ann = ops["team"], ops["lead"], ops["ann"]
    report = make_report(team, ann, date(2026, 3, 2))
    client = login_as(lead)
    assert f"/teams/reports/{report.id}/comment" not in _page(login_as(ann).get(
        f"/teams/reports/{report.id}"))
    assert f"/teams/reports/{report.id}/comment" in _page(client.get(
        f"/teams/reports/{report.id}"))
    response = client.post(f"/teams/reports/{report.id}/comment", data={
        "lead_comment": "Focus on the migration first.", "version": report.version})
    assert response.status_code == 302
    db.session.refresh(report)
    assert report.lead_comment == "Focus on the migration first."
    assert report.commented_by_id == lead.id and report.commented_at is not None
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.record_type == "progress_reports", AuditEvent.record_id == report.id,
        AuditEvent.action == "update"))
    assert event.actor_id == lead.id
    assert event.changes["lead_comment"] == ["", "Focus on the migration first."]
    assert "Focus on the migration first." in _page(login_as(ann).get(
        f"/teams/reports/{report.id}"))


def test_history_names_the_reply_and_its_author(ops, login_as):
    report = make_report(ops["team"], ops["ann"], date(2026, 3, 2))
    login_as(ops["lead"]).post(f"/teams/reports/{report.id}/comment", data={
        "lead_comment": "Good week.", "version": report.version})
    page = _page(login_as("manager").get(f"/teams/reports/{report.id}/history"))
    assert "Lead&#39;s reply" in page or "Lead's reply" in page  # as the report page names it
    assert "Lena Lead" in page


@pytest.mark.parametrize("who", ["ann", "bob", "auditor"])
def test_only_a_lead_replies(ops, users, login_as, who):
    report = make_report(ops["team"], ops["ann"], date(2026, 3, 2))
    user = users[who] if who in users else ops[who]
    response = login_as(user).post(f"/teams/reports/{report.id}/comment", data={
        "lead_comment": "Do it my way.", "version": report.version})
    assert response.status_code == 403
    db.session.refresh(report)
    assert report.lead_comment == ""


def test_writing_every_report_lets_a_non_member_reply(ops, login_as):
    report = make_report(ops["team"], ops["ann"], date(2026, 3, 2))
    response = login_as("manager").post(f"/teams/reports/{report.id}/comment", data={
        "lead_comment": "Noted.", "version": report.version})
    assert response.status_code == 302


def test_a_reply_to_a_report_changed_meanwhile_is_refused(ops, login_as):
    report = make_report(ops["team"], ops["ann"], date(2026, 3, 2))
    seen = report.version
    assert login_as(ops["ann"]).post(f"/teams/reports/{report.id}/edit", data={
        "done": "Changed my mind", "version": seen}).status_code == 302
    response = login_as(ops["lead"]).post(f"/teams/reports/{report.id}/comment", data={
        "lead_comment": "Reply to the old text", "version": seen})
    assert response.status_code == 409
    assert "Someone else changed this record" in _page(response)
    assert "Reply to the old text" in _page(response)
    db.session.refresh(report)
    assert report.lead_comment == ""


def test_an_empty_reply_is_refused_on_its_field(ops, login_as):
    report = make_report(ops["team"], ops["ann"], date(2026, 3, 2))
    response = login_as(ops["lead"]).post(f"/teams/reports/{report.id}/comment",
                                          data={"lead_comment": "  "})
    assert response.status_code == 422 and _error_on(_page(response), "lead_comment")


# -- blockers ------------------------------------------------------------------------------

def test_blockers_become_a_follow_up(ops, login_as):
    team, ann, lead = ops["team"], ops["ann"], ops["lead"]
    report = make_report(team, ann, date(2026, 3, 2),
                         blockers="Waiting for the test server\nand for VPN access")
    response = login_as(lead).post(f"/teams/reports/{report.id}/blocker", data={
        "action": "followup", "owner_id": str(lead.id), "due_on": "2026-03-06"})
    assert response.status_code == 302
    followup = db.session.scalar(sa.select(FollowUp))
    assert followup.source_type == "progress_reports" and followup.source_id == report.id
    assert followup.team_id == team.id
    assert followup.owner_id == lead.id and followup.due_on == date(2026, 3, 6)
    assert followup.title == "Waiting for the test server"
    assert "VPN access" in followup.notes
    assert "Waiting for the test server" in _page(login_as(ann).get(
        f"/teams/reports/{report.id}"))


def test_a_follow_up_needs_owner_and_due_date(ops, login_as):
    report = make_report(ops["team"], ops["ann"], date(2026, 3, 2), blockers="No access")
    response = login_as(ops["ann"]).post(f"/teams/reports/{report.id}/blocker",
                                         data={"action": "followup", "owner_id": ""})
    assert response.status_code == 422
    page = _page(response)
    assert _error_on(page, "due_on") and _error_on(page, "owner_id")
    assert _count(FollowUp) == 0


def test_blockers_become_a_problem_in_one_click(ops, login_as):
    team, ann, lead = ops["team"], ops["ann"], ops["lead"]
    report = make_report(team, ann, date(2026, 3, 2), blockers="The CI runner is down")
    response = login_as(ann).post(f"/teams/reports/{report.id}/blocker",
                                  data={"action": "problem"})
    assert response.status_code == 302
    problem = db.session.scalar(sa.select(Problem))
    assert response.headers["Location"].endswith(f"/teams/problems/{problem.id}")
    assert problem.team_id == team.id and problem.title == "The CI runner is down"
    assert problem.status == "open" and problem.reporter_id == ann.id
    assert "The CI runner is down" in problem.impact
    assert login_as(lead).get(f"/teams/problems/{problem.id}").status_code == 200


def test_no_blockers_nothing_to_escalate(ops, login_as):
    report = make_report(ops["team"], ops["ann"], date(2026, 3, 2), blockers="")
    response = login_as(ops["ann"]).post(f"/teams/reports/{report.id}/blocker",
                                         data={"action": "problem"})
    assert response.status_code == 302
    assert _count(Problem) == 0


def test_another_member_cannot_escalate_someone_elses_blockers(ops, login_as):
    report = make_report(ops["team"], ops["ann"], date(2026, 3, 2), blockers="Stuck")
    response = login_as(ops["bob"]).post(f"/teams/reports/{report.id}/blocker",
                                         data={"action": "problem"})
    assert response.status_code == 403
    assert _count(Problem) == 0


# -- problems ------------------------------------------------------------------------------

def test_anyone_in_the_team_raises_a_problem(ops, login_as):
    team, bob = ops["team"], ops["bob"]
    response = login_as(bob).post(f"/teams/{team.id}/problems/new", data={
        "title": "Invoices arrive late", "impact": "Month-end close slips by 3 days",
        "urgency": "high", "owner_id": ""})
    assert response.status_code == 302
    problem = db.session.scalar(sa.select(Problem))
    assert (problem.status, problem.urgency, problem.reporter_id) == ("open", "high", bob.id)
    page = _page(login_as(ops["lead"]).get(f"/teams/{team.id}/problems"))
    assert "Invoices arrive late" in page
    assert login_as("auditor").get(f"/teams/{team.id}/problems/new").status_code == 403


def test_problem_list_filters_by_status_and_urgency(ops, login_as):
    team, ann = ops["team"], ops["ann"]
    make_problem(team, ann, title="Hot and open", urgency="high")
    make_problem(team, ann, title="Cold and solved", urgency="low", status="solved",
                 solution="Fixed")
    client = login_as(ann)
    hot = _page(client.get(f"/teams/{team.id}/problems?urgency=high"))
    assert "Hot and open" in hot and "Cold and solved" not in hot
    unsolved = _page(client.get(f"/teams/{team.id}/problems?status=unsolved"))
    assert "Hot and open" in unsolved and "Cold and solved" not in unsolved
    solved = _page(client.get(f"/teams/{team.id}/problems?status=solved&urgency=bogus"))
    assert "Cold and solved" in solved and "Hot and open" not in solved


def test_a_problem_goes_open_in_progress_solved_and_reopens(ops, login_as):
    problem = make_problem(ops["team"], ops["ann"])
    client = login_as(ops["ann"])
    url = f"/teams/problems/{problem.id}/move"
    assert client.post(url, data={"status": "in_progress"}).status_code == 302
    refused = client.post(url, data={"status": "solved", "solution": " "})
    assert refused.status_code == 422 and _error_on(_page(refused), "solution")
    db.session.refresh(problem)
    assert problem.status == "in_progress"
    assert client.post(url, data={"status": "solved",
                                  "solution": "Moved to the faster runner"}).status_code == 302
    db.session.refresh(problem)
    assert problem.status == "solved" and problem.solved_at is not None
    assert problem.solution == "Moved to the faster runner"
    assert client.post(url, data={"status": "open"}).status_code == 302
    db.session.refresh(problem)
    assert problem.status == "open" and problem.solved_at is None and problem.solution == ""
    statuses = [e.changes["status"] for e in db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.record_type == "problems",
                                    AuditEvent.action == "update").order_by(AuditEvent.id))]
    assert statuses == [["open", "in_progress"], ["in_progress", "solved"], ["solved", "open"]]


REFUSED = [(old.value, new.value) for old in ProblemStatus for new in ProblemStatus
           if new not in PROBLEM_TRANSITIONS[old]]


@pytest.mark.parametrize(("old", "new"), [*REFUSED, ("open", "closed"), ("open", "")])
def test_a_refused_problem_move_keeps_the_status_and_says_why(ops, login_as, old, new):
    problem = make_problem(ops["team"], ops["ann"], status=old,
                           solution="Done" if old == "solved" else "")
    response = login_as(ops["ann"]).post(f"/teams/problems/{problem.id}/move",
                                         data={"status": new, "solution": "Anything"})
    assert response.status_code == 422
    assert _error_on(_page(response), "status")
    db.session.refresh(problem)
    assert problem.status == old


def test_a_member_who_neither_raised_nor_owns_a_problem_cannot_move_it(ops, login_as):
    problem = make_problem(ops["team"], ops["ann"])
    client = login_as(ops["bob"])
    assert client.get(f"/teams/problems/{problem.id}").status_code == 200  # the team reads
    assert client.post(f"/teams/problems/{problem.id}/move",
                       data={"status": "in_progress"}).status_code == 403
    problem.owner_id = ops["bob"].id
    db.session.commit()
    assert client.post(f"/teams/problems/{problem.id}/move",
                       data={"status": "in_progress"}).status_code == 302


def test_a_problem_is_archived_and_restored(ops, login_as):
    problem = make_problem(ops["team"], ops["ann"])
    assert login_as(ops["ann"]).post(
        f"/teams/problems/{problem.id}/restore").status_code == 403
    manager = login_as("manager")
    assert manager.post(f"/teams/problems/{problem.id}/archive").status_code == 302
    assert "The build is slow" not in _page(manager.get(f"/teams/{ops['team'].id}/problems"))
    assert "The build is slow" in _page(manager.get(
        f"/teams/{ops['team'].id}/problems?archived=1"))
    assert manager.post(f"/teams/problems/{problem.id}/restore").status_code == 302
    db.session.refresh(problem)
    assert problem.archived_at is None


# -- resource requests -----------------------------------------------------------------------

def _request_form(approver, **changes: object) -> dict:
    data = {"kind": "budget", "title": "Conference tickets", "amount": "12000.50",
            "unit": "CNY", "reason": "Two talks accepted", "approver_id": str(approver.id)}
    data.update(changes)
    return data


def test_a_request_keeps_its_exact_amount(ops, login_as):
    team, ann, lead = ops["team"], ops["ann"], ops["lead"]
    response = login_as(ann).post(f"/teams/{team.id}/requests/new", data=_request_form(lead))
    assert response.status_code == 302
    req = db.session.scalar(sa.select(ResourceRequest))
    assert req.amount == Decimal("12000.50") and req.unit == "CNY"
    assert (req.status, req.requester_id, req.approver_id) == ("requested", ann.id, lead.id)
    assert "12,000.50 CNY" in _page(login_as(lead).get(f"/teams/requests/{req.id}"))


@pytest.mark.parametrize(("field", "value"), [
    ("amount", ""), ("amount", "0"), ("amount", "-5"), ("amount", "12.345"),
    ("amount", "NaN"), ("amount", "1e20"), ("amount", "a lot"), ("approver_id", ""),
    ("unit", ""), ("reason", ""), ("kind", "money"),
])
def test_a_bad_request_is_refused_on_its_field(ops, login_as, field, value):
    response = login_as(ops["ann"]).post(f"/teams/{ops['team'].id}/requests/new",
                                         data=_request_form(ops["lead"], **{field: value}))
    assert response.status_code == 422
    assert _error_on(_page(response), field)
    assert _count(ResourceRequest) == 0


def test_nobody_approves_their_own_request(ops, login_as):
    ann = ops["ann"]
    response = login_as(ann).post(f"/teams/{ops['team'].id}/requests/new",
                                  data=_request_form(ann))
    assert response.status_code == 422 and _error_on(_page(response), "approver_id")


@pytest.mark.parametrize(("granted", "message"), [
    ("", "Enter the amount granted."),
    ("100", "approve the request in full instead"),
    ("150", "approve the request in full instead"),
    ("50.005", "two decimal places"),
    ("-1", "between 0.01"),
])
def test_a_partial_approval_grants_less_than_asked(ops, login_as, granted, message):
    req = make_request(ops["team"], ops["ann"], ops["lead"], amount=Decimal("100.00"))
    response = login_as(ops["lead"]).post(f"/teams/requests/{req.id}/decide", data={
        "decision": "partly_approved", "granted_amount": granted, "version": req.version})
    assert response.status_code == 422
    page = _page(response)
    assert _error_on(page, "granted_amount") and message in page
    db.session.refresh(req)
    assert req.status == "requested" and req.granted_amount is None


def test_a_partial_approval_is_stored_and_then_fulfilled(ops, login_as):
    req = make_request(ops["team"], ops["ann"], ops["lead"], amount=Decimal("100.00"))
    lead = login_as(ops["lead"])
    assert lead.post(f"/teams/requests/{req.id}/fulfil").status_code == 302
    db.session.refresh(req)
    assert req.status == "requested"  # nothing granted yet: refused
    response = lead.post(f"/teams/requests/{req.id}/decide", data={
        "decision": "partly_approved", "granted_amount": "60.50",
        "approver_note": "Half now, the rest next quarter", "version": req.version})
    assert response.status_code == 302
    db.session.refresh(req)
    assert req.status == "partly_approved" and req.granted_amount == Decimal("60.50")
    assert req.decided_at is not None and req.approver_note.startswith("Half now")
    # decided once: no second decision, and the request no longer changes
    again = lead.post(f"/teams/requests/{req.id}/decide", data={
        "decision": "approved", "version": req.version})
    assert again.status_code == 302
    db.session.refresh(req)
    assert req.status == "partly_approved"
    assert login_as(ops["ann"]).get(f"/teams/requests/{req.id}/edit").status_code == 302
    assert login_as(ops["ann"]).post(f"/teams/requests/{req.id}/fulfil").status_code == 302
    db.session.refresh(req)
    assert req.status == "fulfilled" and req.fulfilled_at is not None


def test_the_approver_decides_but_does_not_rewrite_the_request(ops, login_as):
    req = make_request(ops["team"], ops["ann"], ops["lead"])
    lead = login_as(ops["lead"])
    assert lead.get(f"/teams/requests/{req.id}/edit").status_code == 403
    assert login_as(ops["ann"]).get(f"/teams/requests/{req.id}/edit").status_code == 200
    page = _page(lead.get(f"/teams/requests/{req.id}"))
    assert f"/teams/requests/{req.id}/decide" in page
    assert f"/teams/requests/{req.id}/decide" not in _page(login_as(ops["ann"]).get(
        f"/teams/requests/{req.id}"))


def test_full_approval_grants_the_amount_asked(ops, login_as):
    req = make_request(ops["team"], ops["ann"], ops["lead"], amount=Decimal("3"),
                       kind="people", unit="persons")
    response = login_as(ops["lead"]).post(f"/teams/requests/{req.id}/decide", data={
        "decision": "approved", "version": req.version})
    assert response.status_code == 302
    db.session.refresh(req)
    assert req.status == "approved" and req.granted_amount == Decimal("3")


def test_a_rejection_needs_the_approvers_note(ops, login_as):
    req = make_request(ops["team"], ops["ann"], ops["lead"])
    client = login_as(ops["lead"])
    response = client.post(f"/teams/requests/{req.id}/decide", data={
        "decision": "rejected", "approver_note": "", "version": req.version})
    assert response.status_code == 422 and _error_on(_page(response), "approver_note")
    assert client.post(f"/teams/requests/{req.id}/decide", data={
        "decision": "rejected", "approver_note": "No budget left this year",
        "version": req.version}).status_code == 302
    db.session.refresh(req)
    assert req.status == "rejected" and req.granted_amount is None
    assert client.post(f"/teams/requests/{req.id}/fulfil").status_code == 302
    db.session.refresh(req)
    assert req.status == "rejected"


@pytest.mark.parametrize("who", ["ann", "bob"])
def test_only_the_named_approver_decides(ops, login_as, who):
    req = make_request(ops["team"], ops["ann"], ops["lead"])
    response = login_as(ops[who]).post(f"/teams/requests/{req.id}/decide", data={
        "decision": "approved", "version": req.version})
    assert response.status_code == 403
    db.session.refresh(req)
    assert req.status == "requested"


def test_writing_every_teams_records_decides_too(ops, login_as):
    req = make_request(ops["team"], ops["ann"], ops["lead"])
    assert login_as("manager").post(f"/teams/requests/{req.id}/decide", data={
        "decision": "approved", "version": req.version}).status_code == 302
    assert login_as("auditor").post(f"/teams/requests/{req.id}/decide", data={
        "decision": "approved", "version": req.version}).status_code == 403


def test_an_approver_outside_the_team_sees_and_decides(ops, login_as):
    req = make_request(ops["team"], ops["ann"], ops["outsider"])
    client = login_as(ops["outsider"])
    assert client.get(f"/teams/requests/{req.id}").status_code == 200
    assert client.post(f"/teams/requests/{req.id}/decide", data={
        "decision": "approved", "version": req.version}).status_code == 302


def test_a_decision_on_a_request_changed_meanwhile_is_refused(ops, login_as):
    req = make_request(ops["team"], ops["ann"], ops["lead"], amount=Decimal("100.00"))
    seen = req.version
    assert login_as(ops["ann"]).post(f"/teams/requests/{req.id}/edit", data=_request_form(
        ops["lead"], amount="900.00", version=seen)).status_code == 302
    response = login_as(ops["lead"]).post(f"/teams/requests/{req.id}/decide", data={
        "decision": "approved", "version": seen})
    assert response.status_code == 409
    assert "Someone else changed this record" in _page(response)
    db.session.refresh(req)
    assert req.status == "requested"


# -- scope ---------------------------------------------------------------------------------

def test_another_teams_member_gets_404_everywhere(ops, login_as):
    team, ann, lead = ops["team"], ops["ann"], ops["lead"]
    report = make_report(team, ann, date(2026, 3, 2), blockers="Stuck")
    problem = make_problem(team, ann)
    req = make_request(team, ann, lead)
    client = login_as(ops["outsider"])
    for url in (f"/teams/{team.id}/reports", f"/teams/{team.id}/reports/new",
                f"/teams/reports/{report.id}", f"/teams/reports/{report.id}/edit",
                f"/teams/{team.id}/problems", f"/teams/{team.id}/problems/new",
                f"/teams/problems/{problem.id}", f"/teams/problems/{problem.id}/edit",
                f"/teams/{team.id}/requests", f"/teams/{team.id}/requests/new",
                f"/teams/requests/{req.id}", f"/teams/requests/{req.id}/edit"):
        assert client.get(url).status_code == 404, url
    for url in (f"/teams/reports/{report.id}/comment", f"/teams/reports/{report.id}/blocker",
                f"/teams/problems/{problem.id}/move", f"/teams/problems/{problem.id}/archive",
                f"/teams/requests/{req.id}/decide", f"/teams/requests/{req.id}/fulfil",
                f"/teams/requests/{req.id}/archive"):
        assert client.post(url).status_code == 404, url
    assert "The build is slow" not in _page(client.get(f"/teams/{ops['beta'].id}/problems"))


def test_reports_need_their_own_area(ops, users, login_as):
    """The support agent works in team Alpha but has no access to progress reports."""
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    report = make_report(alpha, users["team_member"], date(2026, 3, 2))
    client = login_as("support_agent")
    assert client.get(f"/teams/{alpha.id}/reports").status_code == 403
    assert client.get(f"/teams/reports/{report.id}").status_code == 403
    assert client.get(f"/teams/{alpha.id}/problems").status_code == 200
    assert login_as("team_member").get(f"/teams/reports/{report.id}").status_code == 200


# -- stale edits -------------------------------------------------------------------------------

def test_stale_report_edit_is_refused(ops, login_as):
    report = make_report(ops["team"], ops["ann"], date(2026, 3, 2))
    client = login_as(ops["ann"])
    seen = report.version
    assert client.post(f"/teams/reports/{report.id}/edit", data={
        "done": "First tab", "version": seen}).status_code == 302
    response = client.post(f"/teams/reports/{report.id}/edit", data={
        "done": "Second tab", "version": seen})
    assert response.status_code == 409
    page = _page(response)
    assert "Someone else changed this record" in page and "Second tab" in page
    db.session.refresh(report)
    assert report.done == "First tab"


def test_stale_problem_edit_is_refused(ops, login_as):
    problem = make_problem(ops["team"], ops["ann"])
    seen = problem.version
    form = {"title": "Theirs", "impact": "", "urgency": "high", "owner_id": "",
            "version": seen}
    assert login_as("manager").post(f"/teams/problems/{problem.id}/edit",
                                    data=form).status_code == 302
    response = login_as(ops["ann"]).post(f"/teams/problems/{problem.id}/edit",
                                         data={**form, "title": "Mine"})
    assert response.status_code == 409 and "Theirs" in _page(response)
    db.session.refresh(problem)
    assert problem.title == "Theirs"


def test_stale_request_edit_is_refused(ops, login_as):
    req = make_request(ops["team"], ops["ann"], ops["lead"])
    seen = req.version
    assert login_as("manager").post(f"/teams/requests/{req.id}/edit", data=_request_form(
        ops["lead"], title="Theirs", version=seen)).status_code == 302
    response = login_as(ops["ann"]).post(f"/teams/requests/{req.id}/edit", data=_request_form(
        ops["lead"], title="Mine", version=seen))
    assert response.status_code == 409
    db.session.refresh(req)
    assert req.title == "Theirs"


# -- the team page's summary -----------------------------------------------------------------

def test_team_summary_counts_what_is_open(ops, users):
    team, ann, lead = ops["team"], ops["ann"], ops["lead"]
    make_report(team, ann, date(2026, 3, 2))
    make_problem(team, ann)
    make_problem(team, ann, status="solved", solution="Done")
    make_request(team, ann, lead)
    summary = queries.team_summary(lead, team, date(2026, 3, 4))
    assert summary.start == date(2026, 3, 2)
    assert summary.reported == [ann] and lead in summary.missing
    assert (summary.open_problems, summary.pending_requests) == (1, 1)
    assert queries.team_summary(users["support_agent"], team, date(2026, 3, 4)).start is None


def test_the_team_page_panel_renders(app, ops, login_as):
    from flask import render_template

    team, ann = ops["team"], ops["ann"]
    make_report(team, ann, date(2026, 3, 2))
    make_problem(team, ann)
    with app.test_request_context():
        html = render_template("teams/reports/_team_panel.html", team=team,
                               summary=queries.team_summary(ops["lead"], team, date(2026, 3, 4)))
    assert "1 of 3 reported" in html and "Bob Member, Lena Lead" in html
    assert "1 problem not solved yet" in html
    assert f"/teams/{team.id}/requests?status=requested" in html


def test_write_my_report_is_offered_only_to_who_may_write_one(login_as, users, ops):
    """Issue 11: a manager who is not a member saw "Write my report" and got a 403."""
    team = ops["team"]
    for who, offered in ((users["manager"], False), (users["admin"], False),
                         (ops["ann"], True), (ops["outsider"], False)):
        client = login_as(who)
        for url in (f"/teams/{team.id}", f"/teams/{team.id}/reports"):
            response = client.get(url)
            if response.status_code == 404:
                assert not offered
                continue
            page = _page(response)
            assert (f"/teams/{team.id}/reports/new" in page) is offered, (who.name, url)
        expected = 200 if offered else (403, 404)
        status = client.get(f"/teams/{team.id}/reports/new").status_code
        assert status == expected if offered else status in expected
