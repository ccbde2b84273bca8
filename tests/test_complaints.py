"""Complaints: the workflow, both deadline clocks, the policy, take-it races, escalation,
the queue views per role, bulk assignment, notes and replies, satisfaction and metrics."""

from __future__ import annotations

import html
import re
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask

from tests import factories
from tracker.clients.complaints import services
from tracker.clients.complaints.deadline_rules import DEFAULTS
from tracker.clients.complaints.deadlines import set_deadlines
from tracker.clients.complaints.queries import VIEWS
from tracker.clients.complaints.workflow import TRANSITIONS
from tracker.extensions import db
from tracker.models import (
    Complaint,
    ComplaintEvent,
    ComplaintStatus,
    Notification,
    SlaPolicy,
    Team,
    User,
    utcnow,
)
from tracker.reminders import complaint_escalations

S = ComplaintStatus
SHANGHAI = ZoneInfo("Asia/Shanghai")


# -- helpers -----------------------------------------------------------------------------
def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _minute(moment: datetime | None = None) -> datetime:
    """An aware UTC datetime on a whole minute (the deadline arithmetic floors to minutes)."""
    return (moment or utcnow()).replace(second=0, microsecond=0)


def _shanghai(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC)


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _flashes(page: str, category: str | None = None) -> list[str]:
    found = re.findall(r'<p class="flash flash-(\w+)"[^>]*>(.*?)</p>', page, re.S)
    return [text.strip() for cat, text in found if category in (None, cat)]


def _heading(page: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", page, re.S)
    return match.group(1).strip() if match else ""


def _client_org(name: str | None = None, team: Team | None = None, **fields: object):
    return factories.make_org("client", name, team=team, **fields)


def _events(complaint: Complaint, kind: str | None = None) -> list[ComplaintEvent]:
    stmt = sa.select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id)
    if kind:
        stmt = stmt.where(ComplaintEvent.kind == kind)
    return list(db.session.scalars(stmt.order_by(ComplaintEvent.id)))


def _fresh(complaint_id: int) -> Complaint:
    db.session.expire_all()
    return db.session.get(Complaint, complaint_id)


def _move(client, complaint: Complaint, status: str, **data: str):
    return client.post(f"/clients/complaints/{complaint.id}/move",
                       data={"status": status, **data}, follow_redirects=True)


# The shortest way to each status through the services, as earlier requests would have.
PATHS: dict[ComplaintStatus, list[tuple[ComplaintStatus, dict[str, str]]]] = {
    S.NEW: [],
    S.ACKNOWLEDGED: [(S.ACKNOWLEDGED, {})],
    S.INVESTIGATING: [(S.ACKNOWLEDGED, {}), (S.INVESTIGATING, {})],
    S.WAITING: [(S.ACKNOWLEDGED, {}), (S.WAITING, {})],
    S.RESOLVED: [(S.ACKNOWLEDGED, {}), (S.RESOLVED, {"summary": "Refunded the fee."})],
    S.CLOSED: [(S.ACKNOWLEDGED, {}), (S.RESOLVED, {"summary": "Refunded the fee."}),
               (S.CLOSED, {})],
    S.REJECTED: [(S.REJECTED, {"reason": "Delivered on time, signed for."})],
}


def _bring_to(complaint: Complaint, status: ComplaintStatus, actor: User) -> Complaint:
    for step, extra in PATHS[status]:
        services.move(complaint, step.value, actor, **extra)
    db.session.commit()
    assert complaint.status == status
    return complaint


# -- the workflow ------------------------------------------------------------------------
ALLOWED = [(a, b) for a, targets in TRANSITIONS.items() for b in sorted(targets)]
MOVE_DATA = {S.RESOLVED: {"summary": "Re-sent the parcel; apologised.", "root_cause": "delivery"},
             S.REJECTED: {"reason": "The parcel was signed for on time."}}


@pytest.mark.parametrize(("start", "target"), ALLOWED,
                         ids=[f"{a.value}->{b.value}" for a, b in ALLOWED])
def test_every_allowed_move(login_as, users, start, target):
    agent = users["support_agent"]
    complaint = _bring_to(factories.make_complaint(_client_org(team=_alpha()), "Late parcel"),
                          start, agent)
    before = len(_events(complaint, "status"))

    page = _page(_move(login_as("support_agent"), complaint, target.value,
                       **MOVE_DATA.get(target, {})))

    complaint = _fresh(complaint.id)
    assert complaint.status == target, _flashes(page)
    assert f"The complaint is now {target.label}." in _flashes(page, "success")
    events = _events(complaint, "status")
    assert len(events) == before + 1
    assert (events[-1].from_status, events[-1].to_status) == (start.value, target.value)
    assert events[-1].actor_id == agent.id
    assert complaint.acknowledged_at is not None  # any move out of "new" acknowledges
    if target == S.RESOLVED:
        assert complaint.resolved_at is not None
        assert complaint.resolution_summary == "Re-sent the parcel; apologised."
        assert complaint.root_cause == "delivery"
    if target == S.REJECTED:
        assert complaint.rejection_reason == "The parcel was signed for on time."
    if target == S.CLOSED:
        assert complaint.closed_at is not None
    if target == S.WAITING:
        assert [p.ended_at for p in complaint.pauses] == [None]
    if start == S.WAITING:
        assert all(p.ended_at is not None for p in complaint.pauses)
    if start in (S.RESOLVED, S.CLOSED, S.REJECTED) and target == S.INVESTIGATING:  # reopened
        assert complaint.reopen_count == 1
        assert complaint.resolved_at is None and complaint.closed_at is None


REFUSED = [
    ("new-to-resolved", S.NEW, S.RESOLVED, {"summary": "Done."},
     "A complaint that is New cannot become Resolved; it can become: Acknowledged and "
     "Rejected as unfounded."),
    ("new-to-closed", S.NEW, S.CLOSED, {},
     "A complaint that is New cannot become Closed"),
    ("waiting-to-rejected", S.WAITING, S.REJECTED, {"reason": "No."},
     "A complaint that is Waiting on client cannot become Rejected as unfounded"),
    ("closed-to-resolved", S.CLOSED, S.RESOLVED, {"summary": "Again."},
     "A complaint that is Closed cannot become Resolved; it can become: Investigating."),
    ("reject-without-reason", S.ACKNOWLEDGED, S.REJECTED, {"reason": "   "},
     "Say why the complaint is rejected as unfounded."),
    ("resolve-without-summary", S.INVESTIGATING, S.RESOLVED, {"summary": ""},
     "Write the resolution summary to resolve the complaint."),
    ("no-such-status", S.NEW, "archived", {}, "There is no status “archived”."),
]


@pytest.mark.parametrize(("start", "target", "data", "message"),
                         [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_refused_moves_change_nothing_and_say_why(login_as, users, start, target, data,
                                                  message):
    complaint = _bring_to(factories.make_complaint(_client_org(team=_alpha())), start,
                          users["support_agent"])
    events_before = len(_events(complaint))

    page = _page(_move(login_as("support_agent"), complaint, str(target), **data))

    complaint = _fresh(complaint.id)
    assert complaint.status == start
    assert len(_events(complaint)) == events_before
    errors = _flashes(page, "error")
    assert any(message in e for e in errors), errors
    assert not _flashes(page, "success")


@pytest.mark.parametrize("start", [S.RESOLVED, S.CLOSED, S.REJECTED])
def test_reopening_only_within_the_reopen_window(login_as, users, start):
    agent = users["support_agent"]
    late = _bring_to(factories.make_complaint(_client_org(team=_alpha()), "Old"), start, agent)
    long_ago = utcnow() - timedelta(days=30)  # the default window is 14 days
    late.resolved_at = long_ago
    if start == S.CLOSED:
        late.closed_at = long_ago + timedelta(days=1)
    recent = _bring_to(factories.make_complaint(_client_org(team=_alpha()), "Recent"), start,
                       agent)
    recent.resolved_at = utcnow() - timedelta(days=13)
    if start == S.CLOSED:
        recent.closed_at = utcnow() - timedelta(days=13)
    db.session.commit()
    client = login_as("support_agent")

    page = _page(_move(client, late, "investigating"))
    late = _fresh(late.id)
    assert late.status == start and late.reopen_count == 0
    assert ("Complaints can be reopened within 14 days; this one ended earlier. Log a new "
            "complaint instead.") in _flashes(page, "error")

    page = _page(_move(client, recent, "investigating"))
    recent = _fresh(recent.id)
    assert recent.status == S.INVESTIGATING and recent.reopen_count == 1, _flashes(page)


# -- the clocks ----------------------------------------------------------------------------
def test_waiting_on_client_pauses_the_resolution_clock(login_as, users):
    agent = users["support_agent"]
    received = _minute() - timedelta(hours=1)
    complaint = factories.make_complaint(_client_org(team=_alpha()), "Broken seal",
                                         severity="critical", received_at=received,
                                         assignee=agent)
    assert complaint.ack_due_at == received + timedelta(minutes=30)
    assert complaint.resolve_due_at == received + timedelta(minutes=240)
    ack_due = complaint.ack_due_at

    services.move(complaint, "acknowledged", agent, now=received + timedelta(minutes=10))
    services.move(complaint, "waiting_on_client", agent, now=received + timedelta(minutes=60))
    db.session.commit()
    complaint = _fresh(complaint.id)
    assert complaint.resolve_due_at is None
    assert [(p.started_at, p.ended_at) for p in complaint.pauses] == [
        (received + timedelta(minutes=60), None)]
    assert complaint.ack_due_at == ack_due
    page = _page(login_as("support_agent").get(f"/clients/complaints/{complaint.id}"))
    assert re.search(r'data-testid="resolve-clock">.*?clock paused.*?class="clock paused"',
                     page, re.S)

    # Two hours later the client answers: the deadline moves two counted hours later.
    services.move(complaint, "investigating", agent, now=received + timedelta(minutes=180))
    db.session.commit()
    complaint = _fresh(complaint.id)
    assert complaint.resolve_due_at == received + timedelta(minutes=240 + 120)
    assert complaint.ack_due_at == ack_due
    assert all(p.ended_at == received + timedelta(minutes=180) for p in complaint.pauses)


def test_pause_in_business_hours_counts_only_working_time(users):
    agent = users["support_agent"]
    # Monday 2 March 2026, 10:00 in Shanghai; high: 120 / 540 business minutes.
    received = _shanghai(2026, 3, 2, 10, 0)
    complaint = factories.make_complaint(_client_org(team=_alpha()), "Wrong invoice",
                                         severity="high", received_at=received)
    assert complaint.ack_due_at == _shanghai(2026, 3, 2, 12, 0)
    assert complaint.resolve_due_at == _shanghai(2026, 3, 3, 10, 0)  # 8 h Monday + 1 h Tuesday

    services.move(complaint, "acknowledged", agent, now=_shanghai(2026, 3, 2, 10, 30))
    services.move(complaint, "waiting_on_client", agent, now=_shanghai(2026, 3, 2, 14, 0))
    db.session.commit()
    assert _fresh(complaint.id).resolve_due_at is None
    complaint = _fresh(complaint.id)
    services.move(complaint, "investigating", agent, now=_shanghai(2026, 3, 2, 16, 0))
    db.session.commit()
    complaint = _fresh(complaint.id)
    assert complaint.resolve_due_at == _shanghai(2026, 3, 3, 12, 0)
    assert complaint.ack_due_at == _shanghai(2026, 3, 2, 12, 0)

    # An overnight pause (Tuesday 17:00 to Wednesday 10:00) holds 2 counted hours.
    services.move(complaint, "waiting_on_client", agent, now=_shanghai(2026, 3, 2, 17, 0))
    db.session.commit()
    complaint = _fresh(complaint.id)
    pause = next(p for p in complaint.pauses if p.ended_at is None)
    pause.ended_at = _shanghai(2026, 3, 3, 10, 0)
    complaint.status = S.INVESTIGATING.value
    set_deadlines(complaint)
    db.session.commit()
    assert _fresh(complaint.id).resolve_due_at == _shanghai(2026, 3, 3, 14, 0)


# -- deadlines from the policy ----------------------------------------------------------
def _intake_form(org, **changes: str) -> dict[str, str]:
    data = {"client_id": str(org.id), "contact_id": "", "title": "Parcel lost",
            "description": "Nothing arrived.", "channel": "phone", "category": "delivery",
            "severity": "medium", "received_at": "", "assignee_id": ""}
    data.update(changes)
    return data


def test_deadlines_at_intake_follow_the_policy(login_as, users):
    org = _client_org("Pudong Retail", team=_alpha())
    client = login_as("support_agent")

    # high, received Friday 17:30 in Shanghai: 30 minutes Friday, 90 minutes Monday.
    response = client.post("/clients/complaints/new", data=_intake_form(
        org, severity="high", received_at="2026-03-06T17:30"))
    assert response.status_code == 302, _page(response)
    high = db.session.scalars(sa.select(Complaint).order_by(Complaint.id.desc())).first()
    assert high.received_at == _shanghai(2026, 3, 6, 17, 30)
    assert high.ack_due_at == _shanghai(2026, 3, 9, 10, 30)
    assert high.resolve_due_at == _shanghai(2026, 3, 9, 17, 30)  # 540 business minutes
    assert high.team_id == org.team_id and high.created_by_id == users["support_agent"].id
    assert [(e.kind, e.to_status) for e in high.events] == [("status", "new")]

    # critical: around the clock, a Saturday night included.
    response = client.post("/clients/complaints/new", data=_intake_form(
        org, severity="critical", received_at="2026-03-07T03:10"))
    assert response.status_code == 302
    critical = db.session.scalars(sa.select(Complaint).order_by(Complaint.id.desc())).first()
    assert critical.ack_due_at == critical.received_at + timedelta(minutes=30)
    assert critical.resolve_due_at == critical.received_at + timedelta(minutes=240)

    received = _minute()
    made = factories.make_complaint(org, severity="critical", received_at=received)
    assert made.ack_due_at == received + timedelta(minutes=30)


def _hours(minutes: int) -> str:
    return f"{(Decimal(minutes) / 60).normalize():f}"


def _policy_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {}
    for severity, (ack, resolve, business) in DEFAULTS.items():
        # typed in hours (the form converts to the stored minutes): 30 minutes is 0.5
        data[f"ack_{severity}"] = _hours(ack)
        data[f"resolve_{severity}"] = _hours(resolve)
        data[f"ack_{severity}_unit"] = data[f"resolve_{severity}_unit"] = "hours"
        if business:
            data[f"business_{severity}"] = "y"
    data.update(timezone="Asia/Shanghai", workdays=["0", "1", "2", "3", "4"],
                start_time="09:00", end_time="18:00", holidays="", extra_workdays="",
                reopen_days="14", version=_policy_version())
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _policy_version() -> str:
    """The versions stamp the policy form carries, as its GET would show it now."""
    from tracker.records import versions_stamp
    from tracker.web.admin.sla import _edited, _policies

    db.session.expire_all()
    return versions_stamp(_edited(_policies()))


def test_a_stale_policy_form_is_refused_and_shows_what_changed(login_as, users):
    mine = _policy_data(ack_critical="1")  # loaded before the other admin saves
    other = factories.make_user("admin", name="Other Admin")
    assert login_as(other).post("/admin/complaint-deadlines", data=_policy_data(
        ack_critical="0.75")).status_code == 302
    response = login_as("admin").post("/admin/complaint-deadlines", data=mine)
    assert response.status_code == 409
    page = _page(response)
    assert "Someone else changed this record" in page and "Other Admin" in page
    db.session.expire_all()
    critical = db.session.scalar(sa.select(SlaPolicy).where(SlaPolicy.severity == "critical"))
    assert critical.ack_minutes == 45  # the other admin's save stands
    fresh = re.search(r'name="version" type="hidden" value="([^"]+)"', page).group(1)
    assert login_as("admin").post("/admin/complaint-deadlines", data={
        **mine, "version": fresh}).status_code == 302  # checked, then saved on top
    db.session.expire_all()
    assert db.session.get(SlaPolicy, critical.id).ack_minutes == 60


def test_the_policy_page_writes_nothing_when_read(login_as, users):
    db.session.execute(sa.delete(SlaPolicy))
    db.session.commit()
    assert login_as("admin").get("/admin/complaint-deadlines").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(SlaPolicy.id))) == 0


def _field_error(page: str, name: str) -> str | None:
    for pattern in (rf'<small id="{name}-help" class="field-error">(.*?)</small>',
                    rf'name="{name}"[^>]*>\s*<small class="field-error">(.*?)</small>'):
        match = re.search(pattern, page, re.S)
        if match:
            return match.group(1).strip()
    return None


def test_policy_edit_changes_new_complaints_only(login_as, users):
    org = _client_org(team=_alpha())
    received = _minute() - timedelta(minutes=5)
    before = factories.make_complaint(org, "Before", severity="critical", received_at=received)
    admin = login_as("admin")
    page = _page(admin.get("/admin/complaint-deadlines"))
    assert re.search(r'name="ack_critical"[^>]*value="0.5"', page)  # 30 minutes, in hours

    response = admin.post("/admin/complaint-deadlines", data=_policy_data(
        ack_critical="0.75", resolve_critical="5"), follow_redirects=True)
    assert response.status_code == 200
    assert any("The complaint deadlines are saved." in f for f in _flashes(_page(response)))
    policy = db.session.scalar(sa.select(SlaPolicy).where(SlaPolicy.severity == "critical"))
    assert (policy.ack_minutes, policy.resolve_minutes) == (45, 300)

    after = factories.make_complaint(org, "After", severity="critical", received_at=received)
    assert after.ack_due_at == received + timedelta(minutes=45)
    assert after.resolve_due_at == received + timedelta(minutes=300)
    before = _fresh(before.id)
    assert before.ack_due_at == received + timedelta(minutes=30)
    assert before.resolve_due_at == received + timedelta(minutes=240)


def test_policy_edit_leaves_open_complaints_deadlines_when_they_move(login_as, users):
    """The save message promises "open ones keep the deadlines they were given"."""
    agent = users["support_agent"]
    received = _minute() - timedelta(minutes=5)
    before = factories.make_complaint(_client_org(team=_alpha()), "Before",
                                      severity="critical", received_at=received)
    response = login_as("admin").post("/admin/complaint-deadlines", data=_policy_data(
        ack_critical="0.75", resolve_critical="5"))
    assert response.status_code == 302

    services.move(before, "acknowledged", agent)
    db.session.commit()
    before = _fresh(before.id)
    assert (before.ack_due_at, before.resolve_due_at) == (
        received + timedelta(minutes=30), received + timedelta(minutes=240)), (
        "moving an open complaint recomputed its deadlines from the edited policy")


INVALID_POLICY = [
    ("end-before-start", {"start_time": "18:00", "end_time": "09:00"}, "end_time",
     "The working day must end after it starts."),
    ("bad-holiday", {"holidays": "2026-10-01\n2026-02-30"}, "holidays",
     "“2026-02-30” is not a date like 2026-10-01."),
    ("zero-minutes", {"ack_high": "0"}, "ack_high", None),
    ("negative-minutes", {"resolve_low": "-5"}, "resolve_low", None),
    ("not-a-number", {"resolve_low": "two"}, "resolve_low",
     "Enter a number of hours or days, like 4 or 0.5."),
    ("over-a-year", {"resolve_low": "400", "resolve_low_unit": "days", "business_low": None},
     "resolve_low", "Between a minute and a year"),
    ("bad-time", {"start_time": "9am"}, "start_time", "Use hours and minutes, like 09:00."),
]


@pytest.mark.parametrize(("changes", "field", "message"), [r[1:] for r in INVALID_POLICY],
                         ids=[r[0] for r in INVALID_POLICY])
def test_invalid_policy_is_refused_with_field_errors(login_as, users, changes, field, message):
    response = login_as("admin").post("/admin/complaint-deadlines",
                                      data=_policy_data(**changes))
    assert response.status_code == 422
    page = _page(response)
    error = _field_error(page, field)
    assert error, f"no error shown at {field}"
    if message:
        assert message in error
    assert "Please correct the marked fields." in page
    db.session.expire_all()
    policies = {p.severity: (p.ack_minutes, p.resolve_minutes, p.business_hours)
                for p in db.session.scalars(sa.select(SlaPolicy))}
    assert policies == DEFAULTS


def test_policy_accepts_a_reopen_window_of_zero_days(login_as, users):
    """The field allows 0 to 365 days (0: no reopening); 0 must save."""
    response = login_as("admin").post("/admin/complaint-deadlines",
                                      data=_policy_data(reopen_days="0"))
    page = _page(response)
    assert response.status_code == 302, _field_error(page, "reopen_days")


# -- take it -------------------------------------------------------------------------------
def test_two_simultaneous_takers_exactly_one_wins(app: Flask, users, monkeypatch):
    """Both requests load the unassigned complaint before either writes; one wins."""
    first = users["support_agent"]
    second = factories.make_user("support_agent", name="Second Agent", teams=(_alpha(),))
    complaint = factories.make_complaint(_client_org(team=_alpha()), "Double take",
                                         severity="high")
    complaint_id = complaint.id
    agents = {first.id: first.name, second.id: second.name}
    clients = {}
    for user in (first, second):
        clients[user.id] = app.test_client()
        factories.sign_in(clients[user.id], user)
    db.session.commit()  # nothing of this thread's session holds the database

    barrier = threading.Barrier(2, timeout=15)
    real_assign = services.assign

    def assign_after_both_loaded(*args, **kwargs):
        barrier.wait()  # both requests have read the unassigned complaint
        return real_assign(*args, **kwargs)

    monkeypatch.setattr(services, "assign", assign_after_both_loaded)
    pages: dict[int, str] = {}
    statuses: dict[int, int] = {}
    errors: dict[int, BaseException] = {}

    def take(user_id: int) -> None:
        try:
            with app.app_context():
                response = clients[user_id].post(f"/clients/complaints/{complaint_id}/take",
                                                  follow_redirects=True)
                statuses[user_id], pages[user_id] = response.status_code, _page(response)
        except BaseException as exc:  # reported below, with the other thread's outcome
            errors[user_id] = exc
            barrier.abort()

    threads = [threading.Thread(target=take, args=(uid,)) for uid in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a take request hangs"
    assert not errors, {agents[uid]: repr(exc) for uid, exc in errors.items()}

    outcome = {agents[uid]: (statuses[uid], _flashes(page) or _heading(page))
               for uid, page in pages.items()}
    winners = [uid for uid, page in pages.items()
               if "The complaint is yours." in _flashes(page, "success")]
    assert len(winners) == 1, outcome
    winner = winners[0]
    loser = next(uid for uid in agents if uid != winner)
    assert statuses[loser] == 200, outcome
    assert f"{agents[winner]} took this complaint first." in _flashes(pages[loser], "error"), (
        outcome)
    complaint = _fresh(complaint_id)
    assert complaint.assignee_id == winner
    assignments = _events(complaint, "assignment")
    assert [(e.assignee_id, e.actor_id) for e in assignments] == [(winner, winner)]


def test_taking_an_assigned_complaint_names_the_holder(login_as, users):
    holder = users["account_manager"]
    complaint = factories.make_complaint(_client_org(team=_alpha()), assignee=holder)
    page = _page(login_as("support_agent").post(f"/clients/complaints/{complaint.id}/take",
                                                follow_redirects=True))
    assert f"{holder.name} took this complaint first." in _flashes(page, "error")
    assert _fresh(complaint.id).assignee_id == holder.id
    assert len(_events(complaint, "assignment")) == 1


# -- escalation ----------------------------------------------------------------------------
def _unread_badge(page: str) -> str | None:
    """The unread count on the navigation's bell (None when there is no badge)."""
    link = re.search(r'<a [^>]*data-testid="notifications"[^>]*>(.*?)</a>', page, re.S)
    assert link, "no notifications link in the navigation"
    count = re.search(r'data-testid="nav-unread">(\d+)<', link.group(1))
    return count.group(1) if count else None


def test_escalation_runs_twice_notifies_once(app: Flask, login_as, users):
    team = factories.make_team("Escalations")
    lead = factories.make_user("support_agent", name="Lead Li", teams=(team,), lead_of=(team,))
    agent = factories.make_user("support_agent", name="Agent Zhao", teams=(team,))
    org = _client_org("Nanjing Foods", team=team)
    now = utcnow()
    overdue = factories.make_complaint(org, "Spoiled goods", severity="critical",
                                       received_at=_minute(now) - timedelta(days=1),
                                       assignee=agent)
    waiting = factories.make_complaint(org, "Waiting on photos", severity="critical",
                                       received_at=_minute(now) - timedelta(days=1),
                                       assignee=agent)
    start = waiting.received_at
    services.move(waiting, "acknowledged", agent, now=start + timedelta(minutes=10))
    services.move(waiting, "waiting_on_client", agent, now=start + timedelta(minutes=60))
    db.session.commit()
    assert waiting.resolve_due_at is None

    assert complaint_escalations(now) == 2
    db.session.commit()
    overdue = _fresh(overdue.id)
    assert overdue.ack_escalated_at is not None and overdue.resolve_escalated_at is not None
    bodies = [e.body for e in _events(overdue, "escalation")]
    assert bodies == ["ack", "resolve"]  # codes: each reader reads them in their language
    notes = list(db.session.scalars(sa.select(Notification).order_by(Notification.id)))
    assert sorted((n.user_id, n.body.rsplit("· ", 1)[-1]) for n in notes) == sorted(
        (uid, text) for uid in (agent.id, lead.id)
        for text in ("The deadline to acknowledge passed.", "The deadline to resolve passed."))
    assert {n.link for n in notes} == {f"/clients/complaints/{overdue.id}"}
    assert all(n.subject == "Overdue complaint: Spoiled goods" for n in notes)
    waiting = _fresh(waiting.id)
    assert waiting.ack_escalated_at is None and waiting.resolve_escalated_at is None
    assert _events(waiting, "escalation") == []

    assert complaint_escalations(utcnow()) == 0
    db.session.commit()
    assert len(_events(overdue, "escalation")) == 2
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 4

    # The scheduled job, twice: a newly overdue complaint escalates once.
    later = factories.make_complaint(org, "Missing pallet", severity="critical",
                                     received_at=_minute(now) - timedelta(hours=5),
                                     assignee=agent)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["remind"])
    assert result.exit_code == 0, result.output
    assert "2 complaint deadline(s) escalated." in result.output
    result = runner.invoke(args=["remind"])
    assert result.exit_code == 0, result.output
    assert "0 complaint deadline(s) escalated." in result.output
    assert len(_events(later, "escalation")) == 2
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 8
    assert _events(_fresh(waiting.id), "escalation") == []

    # The assignee sees them, with the unread count in the navigation; opening one reads it.
    client = login_as(agent)
    page = _page(client.get("/notifications"))
    assert page.count("Overdue complaint: Spoiled goods") == 2
    assert page.count("Overdue complaint: Missing pallet") == 2
    assert _unread_badge(page) == "4"
    note = db.session.scalars(sa.select(Notification).where(
        Notification.user_id == agent.id).order_by(Notification.id)).first()
    response = client.post(f"/notifications/{note.id}/open")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/clients/complaints/{overdue.id}"
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is not None
    assert _unread_badge(_page(client.get("/notifications"))) == "3"
    lead_page = _page(login_as(lead).get("/notifications"))
    assert _unread_badge(lead_page) == "4"


# -- the queue views ------------------------------------------------------------------------
def _queue_rows(page: str) -> list[int]:
    body = re.search(r'<table class="striped queue">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert body, "no queue table"
    rows = re.findall(r'<tr class="sev-.*?</tr>', body.group(1), re.S)
    return [int(re.search(r'href="/clients/complaints/(\d+)"', row).group(1)) for row in rows]


def _count(page: str, view: str) -> int:
    match = re.search(rf'data-testid="count-{view}">(\d+)<', page)
    assert match, f"no count for {view}"
    return int(match.group(1))


def _next_due(c: Complaint) -> datetime | None:
    return c.ack_due_at if c.acknowledged_at is None else c.resolve_due_at


def test_queue_counts_equal_rows_per_role_and_view(login_as, users):
    alpha, beta = _alpha(), factories.make_team("Beta")
    agent, am, manager = users["support_agent"], users["account_manager"], users["manager"]
    # "low" counted around the clock here, so every due time below is certain.
    low = db.session.scalar(sa.select(SlaPolicy).where(SlaPolicy.severity == "low"))
    low.ack_minutes, low.resolve_minutes, low.business_hours = 600, 3000, False
    db.session.commit()
    a_client = _client_org("Alpha Mart", team=alpha)
    b_client = _client_org("Beta Foods", team=beta)
    now = _minute()

    def make(key: str, org, severity: str, minutes_ago: int, **fields: object) -> Complaint:
        return factories.make_complaint(org, key, severity=severity,
                                        received_at=now - timedelta(minutes=minutes_ago),
                                        **fields)

    made = {
        "unassigned_a": make("unassigned_a", a_client, "critical", 5),
        "unassigned_b": make("unassigned_b", b_client, "low", 5),
        "mine": make("mine", a_client, "low", 10, assignee=agent),
        "mine_overdue_b": make("mine_overdue_b", b_client, "critical", 360, assignee=agent),
        "due_soon_am": make("due_soon_am", a_client, "critical", 60, assignee=am,
                            status="acknowledged",
                            acknowledged_at=now - timedelta(minutes=55)),
        "overdue_am": make("overdue_am", a_client, "critical", 300, assignee=am,
                           status="investigating",
                           acknowledged_at=now - timedelta(minutes=290)),
        "waiting": make("waiting", a_client, "critical", 20),
        "closed": make("closed", a_client, "low", 600, status="closed",
                       acknowledged_at=now - timedelta(minutes=590),
                       resolved_at=now - timedelta(minutes=100),
                       closed_at=now - timedelta(minutes=50)),
        "rejected_b": make("rejected_b", b_client, "low", 600, status="rejected",
                           acknowledged_at=now - timedelta(minutes=590),
                           resolved_at=now - timedelta(minutes=100),
                           rejection_reason="Not ours."),
        "secret_by_agent": make("secret_by_agent", a_client, "low", 30, is_confidential=True,
                                created_by_id=agent.id),
        "secret_by_manager": make("secret_by_manager", a_client, "low", 30,
                                  is_confidential=True, created_by_id=manager.id),
        "archived": make("archived", a_client, "critical", 5, archived_at=now),
    }
    services.move(made["waiting"], "acknowledged", agent, now=now - timedelta(minutes=15))
    services.move(made["waiting"], "waiting_on_client", agent, now=now - timedelta(minutes=10))
    db.session.commit()
    assert made["waiting"].resolve_due_at is None
    ids = {key: c.id for key, c in made.items()}
    names = {v: k for k, v in ids.items()}

    # What each view holds, by hand: (open, unassigned, due soon, overdue) and the team.
    facts = {
        "unassigned_a": ("open", "unassigned", "due_soon"),
        "unassigned_b": ("open", "unassigned"),
        "mine": ("open",),
        "mine_overdue_b": ("open", "overdue"),
        "due_soon_am": ("open", "due_soon"),
        "overdue_am": ("open", "overdue"),
        "waiting": ("open", "unassigned"),
        "closed": ("closed",),
        "rejected_b": ("closed",),
        "secret_by_agent": ("open", "unassigned"),
        "secret_by_manager": ("open", "unassigned"),
    }
    assignee = {"mine": agent.id, "mine_overdue_b": agent.id, "due_soon_am": am.id,
                "overdue_am": am.id}
    in_beta = {"unassigned_b", "mine_overdue_b", "rejected_b"}
    # "My team": the client is my team's, or someone of my team works it.
    alpha_people = {m.user_id for m in alpha.memberships}
    teamwork = {k for k in facts if k not in in_beta or assignee.get(k) in alpha_people}
    everything = set(facts)
    sees = {
        "support_agent": everything - {"secret_by_manager"},
        "account_manager": everything - in_beta - {"secret_by_agent", "secret_by_manager"},
        "manager": everything,
        "auditor": everything,
    }
    teams = {"support_agent": True, "account_manager": True, "manager": False,
             "auditor": False}

    for role, visible_keys in sees.items():
        client = login_as(role)
        user_id = users[role].id
        for view in VIEWS:
            page = _page(client.get(f"/clients/complaints/?view={view}"))
            rows = _queue_rows(page)
            shown = [names[i] for i in rows]
            assert _count(page, view) == len(rows), (role, view, shown)
            expected = set()
            for key in visible_keys:
                flags = facts[key]
                if view in flags or view == "all" or (view == "mine" and "open" in flags
                                     and assignee.get(key) == user_id):
                    expected.add(key)
                if view == "team" and "open" in flags and teams[role] and key in teamwork:
                    expected.add(key)
            assert set(shown) == expected, (role, view)
            assert len(shown) == len(set(shown)) < 25
            dues = [_next_due(made[k]) for k in shown]
            order = sorted(range(len(shown)),
                           key=lambda i: (dues[i] is None, dues[i] or now, rows[i]))
            assert order == list(range(len(shown))), (role, view, shown, dues)
        # Every view's count agrees with its rows on one page too (the open view).
        page = _page(client.get("/clients/complaints/"))
        assert _count(page, "open") == len(_queue_rows(page))


# -- bulk assignment ------------------------------------------------------------------------
def test_bulk_assign_ticked_complaints(login_as, users):
    alpha, beta = _alpha(), factories.make_team("Beta")
    member = users["team_member"]
    a_client, b_client = _client_org(team=alpha), _client_org(team=beta)
    one = factories.make_complaint(a_client, "One")
    two = factories.make_complaint(a_client, "Two", assignee=users["support_agent"])
    secret = factories.make_complaint(a_client, "Secret", is_confidential=True,
                                      created_by_id=users["manager"].id)
    other_team = factories.make_complaint(b_client, "Other team")

    page = _page(login_as("support_agent").post("/clients/complaints/assign", data={
        "ids": [one.id, two.id, secret.id], "assignee_id": member.id}, follow_redirects=True))
    assert "2 complaints assigned." in _flashes(page, "success")
    assert [_fresh(c.id).assignee_id for c in (one, two)] == [member.id, member.id]
    assert _fresh(secret.id).assignee_id is None  # not visible to the agent
    for complaint in (one, two):
        last = _events(complaint, "assignment")[-1]
        assert (last.assignee_id, last.actor_id) == (member.id, users["support_agent"].id)

    am = login_as("account_manager")
    page = _page(am.post("/clients/complaints/assign", data={
        "ids": [other_team.id, one.id], "assignee_id": users["account_manager"].id},
        follow_redirects=True))
    assert "1 complaints assigned." in _flashes(page, "success")
    assert _fresh(other_team.id).assignee_id is None
    assert _fresh(one.id).assignee_id == users["account_manager"].id

    page = _page(am.post("/clients/complaints/assign", data={"assignee_id": member.id},
                         follow_redirects=True))
    assert "Tick the complaints to assign and choose a person." in _flashes(page, "error")


# -- notes and replies, satisfaction ---------------------------------------------------------
def test_notes_and_replies_look_different_and_a_reply_acknowledges(login_as, users):
    complaint = factories.make_complaint(_client_org(team=_alpha()), "Rude driver")
    client = login_as("support_agent")
    url = f"/clients/complaints/{complaint.id}"

    page = _page(client.post(f"{url}/message", data={"kind": "note", "body": "Driver is new."},
                             follow_redirects=True))
    assert "Note added." in _flashes(page, "success")
    complaint = _fresh(complaint.id)
    assert complaint.status == S.NEW and complaint.acknowledged_at is None

    page = _page(client.post(f"{url}/message", data={
        "kind": "reply", "body": "We are sorry and are looking into it."},
        follow_redirects=True))
    assert "Reply recorded." in _flashes(page, "success")
    complaint = _fresh(complaint.id)
    assert complaint.status == S.ACKNOWLEDGED and complaint.acknowledged_at is not None
    status = _events(complaint, "status")[-1]
    assert (status.from_status, status.to_status) == ("new", "acknowledged")
    assert [e.kind for e in _events(complaint)] == ["status", "note", "reply", "status"]

    notes = re.findall(r'<div class="message internal-note">(.*?)</div></div>', page, re.S)
    replies = re.findall(r'<div class="message client-reply">(.*?)</div></div>', page, re.S)
    assert len(notes) == 1 and "Driver is new." in notes[0] and "Internal note" in notes[0]
    assert len(replies) == 1 and "We are sorry and are looking into it." in replies[0]
    assert "Reply to the client" in replies[0]

    page = _page(client.post(f"{url}/message", data={"kind": "note", "body": "  "},
                             follow_redirects=True))
    assert "Write the message first." in _flashes(page, "error")


def test_satisfaction_only_after_resolved_and_one_to_five(login_as, users):
    agent = users["support_agent"]
    complaint = factories.make_complaint(_client_org(team=_alpha()), "Damaged box")
    client = login_as("support_agent")
    url = f"/clients/complaints/{complaint.id}/rate"

    page = _page(client.post(url, data={"satisfaction": "4"}, follow_redirects=True))
    assert ("Record the client's satisfaction once the complaint is resolved."
            in _flashes(page, "error"))
    assert _fresh(complaint.id).satisfaction is None

    _bring_to(_fresh(complaint.id), S.RESOLVED, agent)
    for bad in ("6", "0", "-1", "four"):
        page = _page(client.post(url, data={"satisfaction": bad}, follow_redirects=True))
        assert "Give a score from 1 to 5." in _flashes(page, "error"), bad
        assert _fresh(complaint.id).satisfaction is None

    page = _page(client.post(url, data={"satisfaction": "5", "comment": " Quick refund. "},
                             follow_redirects=True))
    assert "The client's satisfaction is recorded." in _flashes(page, "success")
    complaint = _fresh(complaint.id)
    assert (complaint.satisfaction, complaint.satisfaction_comment) == (5, "Quick refund.")
    assert "Client satisfaction: 5 / 5 — “Quick refund.”" in page

    rejected = _bring_to(factories.make_complaint(_client_org(team=_alpha())), S.REJECTED, agent)
    page = _page(client.post(f"/clients/complaints/{rejected.id}/rate",
                             data={"satisfaction": "3"}, follow_redirects=True))
    assert _flashes(page, "error") and _fresh(rejected.id).satisfaction is None


# -- metrics ---------------------------------------------------------------------------------
def _big_number(page: str, header: str) -> str:
    match = re.search(rf'<header>{re.escape(header)}</header><p class="big-number"[^>]*>'
                      r"(.*?)(?: <small>|</p>)", page, re.S)
    assert match, header
    return match.group(1).strip()


def test_metrics_for_a_known_set(login_as, users):
    org = _client_org(team=_alpha())
    now = _minute()
    hour = timedelta(hours=1)

    def make(title: str, days_ago: int, **fields: object) -> Complaint:
        received = now - timedelta(days=days_ago)
        for key in ("acknowledged_at", "resolved_at", "closed_at"):
            if key in fields:
                fields[key] = received + fields[key]
        return factories.make_complaint(org, title, severity="critical", received_at=received,
                                        **fields)

    # critical: resolve within 4 hours.
    make("In time", 2, status="resolved", acknowledged_at=hour / 2, resolved_at=hour,
         satisfaction=5)
    make("Late", 3, status="resolved", acknowledged_at=hour, resolved_at=10 * hour,
         satisfaction=4)
    make("Reopened, closed in time", 4, status="closed", acknowledged_at=2 * hour,
         resolved_at=3 * hour, closed_at=4 * hour, reopen_count=1, satisfaction=4)
    make("Still open", 1)
    make("Too old for the period", 45, status="resolved", acknowledged_at=hour,
         resolved_at=2 * hour, satisfaction=1, reopen_count=2)

    page = _page(login_as("manager").get("/clients/complaints/metrics"))
    assert _big_number(page, "Complaints") == "4"
    assert _big_number(page, "Resolved within deadline") == "67%"  # 2 of 3 resolved
    assert _big_number(page, "Reopened") == "25%"  # 1 of 4
    assert _big_number(page, "Satisfaction") == "4.33"  # (5 + 4 + 4) / 3
    assert _big_number(page, "First response, median") == "1.0"  # of 0.5, 1, 2 hours
    assert _big_number(page, "Resolution, median") == "3.0"  # of 1, 10, 3 hours
    assert 'data-testid="metric-count">4<' in page


def _reference(rows: list[Complaint], key) -> dict[str, tuple]:
    """The figures as the metrics page computed them in Python before, per group."""
    from statistics import median

    groups: dict[str, list[Complaint]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    result = {}
    for name, items in groups.items():
        first = [(c.acknowledged_at - c.received_at).total_seconds() / 3600
                 for c in items if c.acknowledged_at]
        done = [c for c in items if c.resolved_at and c.status in ("resolved", "closed")]
        spent = [(c.resolved_at - c.received_at).total_seconds() / 3600 for c in done]
        in_time = [c for c in done if c.resolve_due_at and c.resolved_at <= c.resolve_due_at]
        ratings = [c.satisfaction for c in items if c.satisfaction]
        result[name] = (
            len(items), round(median(first), 1) if first else None,
            round(median(spent), 1) if spent else None,
            round(100 * len(in_time) / len(done)) if done else None,
            round(100 * sum(1 for c in items if c.reopen_count) / len(items)),
            round(sum(ratings) / len(ratings), 2) if ratings else None)
    return result


@pytest.mark.parametrize("seed", [8, 9, 10])
def test_metrics_groups_match_the_python_reference(app, users, seed):
    """Every group's figures, aggregated in SQL, equal the old Python computation
    (whole minutes: many medians fall on a half-tenth of an hour, where rounding bites)."""
    import random

    from tracker.clients.complaints.metrics import grouped
    from tracker.models import Severity

    rng = random.Random(seed)
    alpha, beta = _alpha(), factories.make_team("Beta")
    orgs = [_client_org(team=alpha), _client_org(team=beta), _client_org()]
    people = [None, users["support_agent"], users["account_manager"]]
    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    for i in range(40):
        received = now - timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 900))
        fields: dict[str, object] = {}
        status = rng.choice(["new", "acknowledged", "resolved", "closed", "rejected"])
        if status != "new":
            fields["acknowledged_at"] = received + timedelta(minutes=rng.randint(1, 700))
        if status in ("resolved", "closed", "rejected"):
            fields["resolved_at"] = received + timedelta(minutes=rng.randint(30, 9000))
            fields["satisfaction"] = rng.choice([None, 1, 3, 4, 5])
        factories.make_complaint(
            rng.choice(orgs), f"m{i}", severity=rng.choice(list(Severity)).value,
            assignee=rng.choice(people), received_at=received, status=status,
            category=rng.choice(["", "delivery", "billing", "账单"]),
            reopen_count=rng.choice([0, 0, 1]), **fields)
    rows = list(db.session.scalars(sa.select(Complaint)))
    total, by = grouped(sa.select(Complaint))

    def figures(stats) -> tuple:
        return (stats.count, stats.first_response_median, stats.resolution_median,
                stats.in_time_share, stats.reopened_share, stats.satisfaction)

    assert figures(total) == _reference(rows, lambda c: "")[""]
    keys = {"severity": lambda c: c.severity_label,
            "category": lambda c: c.category.label if c.category else "—",
            "team": lambda c: c.team.name if c.team else "—",
            "agent": lambda c: c.assignee.name if c.assignee else "Unassigned"}
    for dim, key in keys.items():
        assert {k: figures(v) for k, v in by[dim].items()} == _reference(rows, key), dim
        counts = [v.count for v in by[dim].values()]
        assert counts == sorted(counts, reverse=True)


# -- the stored next deadline and overdue instant --------------------------------------------
def _stored(complaint_id: int) -> tuple:
    db.session.expire_all()
    return db.session.execute(sa.select(Complaint.due_next_at, Complaint.overdue_at).where(
        Complaint.id == complaint_id)).one()


def _expected(c: Complaint) -> tuple:
    """What the queue's views meant before the columns were stored, from the deadlines."""
    from tracker.models.complaint import DUE_NEVER, OPEN_COMPLAINT

    running = c.ack_due_at if c.acknowledged_at is None else c.resolve_due_at
    late = [d for d, applies in ((c.ack_due_at, c.acknowledged_at is None),
                                 (c.resolve_due_at, c.status != S.WAITING)) if applies and d]
    return running or DUE_NEVER, (min(late) if late and c.status in OPEN_COMPLAINT else None)


def _assert_stored_right(complaint_id: int) -> None:
    """Right after the write, and the same as the bulk SQL recomputation gives."""
    from tracker.clients.complaints.stored import refresh_due_next

    after_write = _stored(complaint_id)
    assert after_write == _expected(db.session.get(Complaint, complaint_id))
    refresh_due_next(ids=[complaint_id])
    db.session.commit()
    assert _stored(complaint_id) == after_write


def test_every_write_path_keeps_the_stored_deadline_right(login_as, users):
    complaint = factories.make_complaint(_client_org(team=_alpha()), "Paths", severity="high",
                                         received_at=_minute() - timedelta(days=3))
    cid = complaint.id
    _assert_stored_right(cid)  # intake: overdue on acknowledgement
    client = login_as("support_agent")
    steps = [("acknowledged", {}), ("waiting_on_client", {}), ("investigating", {}),
             ("waiting_on_client", {}), ("resolved", {"summary": "Fixed."}), ("closed", {}),
             ("investigating", {})]  # the last one reopens
    for status, data in steps:
        page = _page(_move(client, _fresh(cid), status, **data))
        assert _fresh(cid).status == status, _flashes(page)
        _assert_stored_right(cid)
    assert _fresh(cid).reopen_count == 1

    # A reply acknowledges; an escalation and a recomputation of the deadlines too.
    replied = factories.make_complaint(_client_org(team=_alpha()), "Reply", severity="critical")
    client.post(f"/clients/complaints/{replied.id}/message",
                data={"kind": "reply", "body": "On it."})
    assert _fresh(replied.id).acknowledged_at is not None
    _assert_stored_right(replied.id)
    late = factories.make_complaint(_client_org(team=_alpha()), "Late", severity="critical",
                                    received_at=_minute() - timedelta(hours=6))
    complaint_escalations(utcnow())
    db.session.commit()
    _assert_stored_right(late.id)
    late = _fresh(late.id)
    late.received_at = _minute() - timedelta(minutes=5)
    set_deadlines(late)
    db.session.commit()
    _assert_stored_right(late.id)
    assert _stored(late.id)[1] > utcnow()  # no longer overdue


def test_refresh_due_next_repairs_rows_written_around_the_orm(users):
    from tracker.clients.complaints.stored import refresh_due_next

    made = [factories.make_complaint(_client_org(team=_alpha()), f"Bulk {i}",
                                     severity=severity, category=category)
            for i, (severity, category) in enumerate([("critical", "billing"),
                                                      ("low", "送货"), ("high", "")])]
    _bring_to(made[1], S.WAITING, users["support_agent"])
    right = {c.id: _stored(c.id) for c in made}
    # A bulk load writes rows without the flush hooks: wrong stored values.
    db.session.execute(sa.update(Complaint).values(
        due_next_at=datetime(2000, 1, 1, tzinfo=UTC), overdue_at=None))
    db.session.commit()
    assert refresh_due_next() == len(made)
    db.session.commit()
    assert {c.id: _stored(c.id) for c in made} == right


def _category_options(page: str) -> list[tuple[str, str]]:
    options = re.search(r'<select name="category".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', options)


def test_categories_are_the_managed_list_in_the_readers_language(login_as, users):
    from tracker.clients.complaints.categories import ensure_defaults, find
    from tracker.records import archive

    ensure_defaults()
    billing = find("账单错误")
    db.session.commit()
    factories.make_complaint(_client_org(team=_alpha()), "One", category="Billing error")
    factories.make_complaint(_client_org(team=_alpha()), "Two", category="账单错误")
    # Both words are one category: the queue filters both under it.
    assert {c.category_id for c in db.session.scalars(sa.select(Complaint))} == {billing.id}
    agent = login_as("support_agent")
    english = _category_options(_page(agent.get("/clients/complaints/")))
    assert (str(billing.id), "Billing error") in english
    assert [label for _id, label in english][:2] == ["Delivery delay", "Damaged goods"]
    page = _page(agent.get(f"/clients/complaints/?category={billing.id}"))
    assert "One" in page and "Two" in page
    users["support_agent"].locale = "zh"
    db.session.commit()
    chinese = _category_options(_page(agent.get("/clients/complaints/")))
    assert (str(billing.id), "账单错误") in chinese
    # An archived category is no longer offered, but still shown on its complaints.
    archive(billing)
    db.session.commit()
    assert str(billing.id) not in dict(_category_options(_page(agent.get(
        "/clients/complaints/"))))
    one = db.session.scalar(sa.select(Complaint).where(Complaint.title == "One"))
    assert "账单错误" in _page(agent.get(f"/clients/complaints/{one.id}"))


def test_client_filter_by_id_and_by_typed_name(login_as, users):
    """The page never lists every client: a chosen one by id, or names typed."""
    alpha, beta = _alpha(), factories.make_team("Beta")
    mart = _client_org("Alpha Mart", team=alpha)
    foods = _client_org("Alpha Foods", team=alpha)
    hidden = _client_org("Alpha Hidden", team=beta)
    for org in (mart, foods, hidden):
        factories.make_complaint(org, f"At {org.name}")
    client = login_as("account_manager")  # sees its team's clients only

    page = _page(client.get(f"/clients/complaints/?client={mart.id}"))
    assert re.search(r'data-testid="chosen-client">.*Alpha Mart', page)
    assert "At Alpha Mart" in page and "At Alpha Foods" not in page
    assert "Alpha Foods" not in page  # no list of every client

    page = _page(client.get(f"/clients/complaints/?client={hidden.id}"))
    assert "Alpha Hidden" not in page and 'data-testid="chosen-client"' not in page

    page = _page(client.get("/clients/complaints/?client_q=alpha"))
    matches = re.search(r'data-testid="client-matches">(.*?)</p>', page, re.S).group(1)
    assert "Alpha Foods" in matches and "Alpha Mart" in matches
    assert "Alpha Hidden" not in page
    assert {"At Alpha Mart", "At Alpha Foods"} <= set(re.findall(r">(At Alpha \w+)<", page))
    page = _page(client.get("/clients/complaints/?client_q=nothing-like-it"))
    assert "No client matches “nothing-like-it”." in page


def test_metrics_are_kept_a_few_minutes_per_reader(app, users, login_as):
    """With the cache on, a second read reuses the figures; another reader (or a changed
    grant) computes its own, so no role ever reads figures counted for another."""
    from tracker import figures_cache

    figures_cache.clear()
    app.config["METRICS_CACHE_SECONDS"] = 300
    try:
        org = factories.make_org("client", "Kept", owner=users["manager"])
        factories.make_complaint(org, "First", received_at=_minute() - timedelta(days=1))
        manager = login_as("manager")
        count = 'data-testid="metric-count">%d<'
        assert count % 1 in manager.get("/clients/complaints/metrics").get_data(as_text=True)
        factories.make_complaint(org, "Second", received_at=_minute() - timedelta(days=1))
        kept = manager.get("/clients/complaints/metrics").get_data(as_text=True)
        assert count % 1 in kept  # the kept figures, with their time
        assert "Figures as of" in kept
        admin = login_as("admin").get("/clients/complaints/metrics").get_data(as_text=True)
        assert count % 2 in admin  # another reader: computed now
        key = figures_cache.reader_key(users["manager"])
        assert key != figures_cache.reader_key(users["admin"])
    finally:
        app.config["METRICS_CACHE_SECONDS"] = 0
        figures_cache.clear()


def test_a_number_too_large_for_a_float_is_refused_not_a_500(login_as, users):
    """Found by the form fuzzer: NumberRange turned 10**400 into a float and raised."""
    response = login_as("admin").post("/admin/complaint-deadlines",
                                      data=_policy_data(ack_high=str(10**400)))
    assert response.status_code == 422
    assert _field_error(_page(response), "ack_high")
