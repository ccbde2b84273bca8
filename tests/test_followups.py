"""The follow-up hub: recurrence, My day in the user's zone, the actions with their stale
protection, who sees which follow-up (and never a source they may not read), the team view,
the reminder log and the calendar address."""

from __future__ import annotations

import re
import threading
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.followups import add_followup
from tracker.followups import queries as fq
from tracker.followups.services import add_months, next_due
from tracker.models import (
    FollowUp,
    FollowUpComment,
    Grant,
    Notification,
    Problem,
    ReminderLog,
    Role,
    RoleCapability,
    Team,
    User,
)

FIELD_ERROR = 'class="field-error"'


def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _page(response) -> str:
    return response.get_data(as_text=True)


def _manual(title: str, owner: User | None, due: date, *, creator: User | None = None,
            team: Team | None = None, **fields: object) -> FollowUp:
    """A hand-written follow-up, as followups.create makes it (committed)."""
    followup = FollowUp(title=title, owner_id=owner.id if owner else None, due_on=due,
                        source_type="manual", source_id=0, team_id=team.id if team else None,
                        created_by_id=(creator or owner).id if (creator or owner) else None,
                        **fields)
    db.session.add(followup)
    db.session.commit()
    return followup


@pytest.fixture
def clock(monkeypatch):
    """Freeze "now" for the hub's idea of today: ``clock(datetime(...))``."""

    def _set(now: datetime) -> None:
        monkeypatch.setattr(fq, "utcnow", lambda: now)

    return _set


def _count(page: str, key: str) -> int:
    match = re.search(rf'data-testid="count-{key}">(\d+)<', page)
    assert match, f"no count for {key}"
    return int(match.group(1))


def _section(page: str, key: str) -> str:
    return page.split(f'data-testid="section-{key}"', 1)[1].split("</article>", 1)[0]


# -- recurrence ---------------------------------------------------------------------------

@pytest.mark.parametrize(("due", "every", "unit", "expected"), [
    (date(2026, 3, 10), 1, "days", date(2026, 3, 11)),
    (date(2026, 12, 30), 3, "days", date(2027, 1, 2)),
    (date(2026, 3, 10), 2, "weeks", date(2026, 3, 24)),
    (date(2026, 1, 31), 1, "months", date(2026, 2, 28)),
    (date(2028, 1, 31), 1, "months", date(2028, 2, 29)),
    (date(2026, 3, 31), 1, "months", date(2026, 4, 30)),
    (date(2026, 11, 15), 3, "months", date(2027, 2, 15)),
    (date(2026, 12, 31), 12, "months", date(2027, 12, 31)),
])
def test_next_due_date(due, every, unit, expected):
    assert next_due(due, every, unit) == expected


def test_add_months_clamps_to_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 29), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 5, 31), -1) == date(2026, 4, 30)


def _complete(http, followup: FollowUp, version: int | None = None, **extra: str):
    data = {"version": str(version if version is not None else followup.version), **extra}
    return http.post(f"/followups/{followup.id}/complete", data=data)


@pytest.mark.parametrize(("every", "unit", "due", "expected"), [
    (3, "days", date(2026, 3, 10), date(2026, 3, 13)),
    (1, "weeks", date(2026, 3, 10), date(2026, 3, 17)),
    (1, "months", date(2026, 1, 31), date(2026, 2, 28)),
    (1, "months", date(2028, 1, 31), date(2028, 2, 29)),
])
def test_completing_a_recurring_one_creates_exactly_the_next(users, login_as, every, unit, due,
                                                             expected):
    member, manager = users["team_member"], users["manager"]
    org = factories.make_org("partner", team=_alpha())
    talk = factories.make_round(org, author=member)
    first = add_followup(talk, "Weekly check-in", member.id, due, organization=org,
                         notes="Ask about volumes", repeat_every=every, repeat_unit=unit)
    first.created_by_id = manager.id
    db.session.commit()
    version = first.version
    http = login_as("team_member")

    response = _complete(http, first, version, next="/followups/")
    assert response.status_code == 302 and response.headers["Location"] == "/followups/"
    again = _complete(http, first, version)  # the same page posted twice (a double click)
    assert again.status_code == 302

    rows = db.session.scalars(sa.select(FollowUp).order_by(FollowUp.id)).all()
    assert len(rows) == 2
    done, following = rows
    assert done.status == "done" and done.completed_at is not None
    assert following.status == "open" and following.due_on == expected
    assert following.previous_id == done.id
    assert (following.title, following.notes, following.owner_id) == (
        "Weekly check-in", "Ask about volumes", member.id)
    assert (following.source_type, following.source_id) == ("conversations", talk.id)
    assert (following.organization_id, following.team_id) == (org.id, _alpha().id)
    assert (following.repeat_every, following.repeat_unit) == (every, unit)
    assert following.created_by_id == manager.id  # still waited on by who asked

    # Reopened and completed again: the next occurrence exists already, none is added.
    assert http.post(f"/followups/{done.id}/reopen",
                     data={"version": str(done.version)}).status_code == 302
    db.session.refresh(done)
    assert done.status == "open" and done.completed_at is None
    assert _complete(http, done).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(FollowUp.id))) == 2


def test_two_simultaneous_completes_make_one_next_occurrence(app, users, monkeypatch):
    """Both requests pass the version check before either writes; one next occurrence."""
    from tracker.followups import services

    member = users["team_member"]
    followup = _manual("Weekly report", member, date(2026, 3, 10), repeat_every=1,
                       repeat_unit="weeks")
    followup_id, version = followup.id, followup.version
    clients = []
    for _i in range(2):
        http = app.test_client()
        factories.sign_in(http, member)
        clients.append(http)
    db.session.commit()  # nothing of this thread's session holds the database

    barrier = threading.Barrier(2, timeout=15)
    real_check = services.ensure_current

    def check_then_wait(record, posted):
        real_check(record, posted)
        barrier.wait()  # both requests passed the version check; neither has written

    monkeypatch.setattr(services, "ensure_current", check_then_wait)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def click(http) -> None:
        try:
            with app.app_context():
                response = http.post(f"/followups/{followup_id}/complete",
                                     data={"version": str(version)})
                statuses.append(response.status_code)
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=click, args=(http,)) for http in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a request hangs"
    assert not errors, errors
    assert statuses == [302, 302]  # the loser hears "done already"
    db.session.expire_all()
    rows = db.session.scalars(sa.select(FollowUp).order_by(FollowUp.id)).all()
    assert [(f.status, f.previous_id) for f in rows] == [("done", None), ("open", followup_id)]


def test_a_one_off_creates_nothing_more(users, login_as):
    member = users["team_member"]
    followup = _manual("Send the deck", member, date(2026, 3, 10))
    assert _complete(login_as("team_member"), followup).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(FollowUp.id))) == 1


# -- stale protection and the actions -----------------------------------------------------

def test_a_stale_complete_is_refused(users, login_as, clock):
    clock(datetime(2026, 3, 10, 4, tzinfo=UTC))
    member = users["team_member"]
    followup = _manual("Call back", member, date(2026, 3, 10))
    seen = followup.version
    http = login_as("team_member")
    snoozed = http.post(f"/followups/{followup.id}/snooze", data={
        "version": str(seen), "due_on": "2026-03-20", "reason": "They are on holiday"})
    assert snoozed.status_code == 302
    response = _complete(http, followup, seen)  # a page opened before the snooze
    assert response.status_code == 409
    assert "Someone else changed this record" in _page(response)
    db.session.refresh(followup)
    assert followup.status == "open" and followup.due_on == date(2026, 3, 20)


def test_an_action_without_its_version_is_refused(users, login_as):
    followup = _manual("Call back", users["team_member"], date(2026, 3, 10))
    response = login_as("team_member").post(f"/followups/{followup.id}/complete", data={})
    assert response.status_code == 422 and FIELD_ERROR in _page(response)
    db.session.refresh(followup)
    assert followup.status == "open"


@pytest.mark.parametrize("reason", ["", "   "])
def test_snooze_requires_a_reason(users, login_as, clock, reason):
    clock(datetime(2026, 3, 10, 4, tzinfo=UTC))
    followup = _manual("Call back", users["team_member"], date(2026, 3, 10))
    response = login_as("team_member").post(f"/followups/{followup.id}/snooze", data={
        "version": str(followup.version), "due_on": "2026-03-20", "reason": reason})
    assert response.status_code == 422
    page = _page(response)
    assert re.search(r'id="snooze-reason-help" class="field-error">\s*Say why it waits', page)
    db.session.refresh(followup)
    assert followup.due_on == date(2026, 3, 10)
    assert db.session.scalars(sa.select(FollowUpComment)).all() == []


def test_snooze_moves_the_date_and_records_the_reason(users, login_as, clock):
    clock(datetime(2026, 3, 10, 4, tzinfo=UTC))
    member = users["team_member"]
    followup = _manual("Call back", member, date(2026, 3, 9))
    http = login_as("team_member")
    past = http.post(f"/followups/{followup.id}/snooze", data={
        "version": str(followup.version), "due_on": "2026-03-01", "reason": "Later"})
    assert past.status_code == 422 and "Choose today or a later date." in _page(past)
    response = http.post(f"/followups/{followup.id}/snooze", data={
        "version": str(followup.version), "due_on": "2026-03-20",
        "reason": "Waiting for their budget"})
    assert response.status_code == 302
    db.session.refresh(followup)
    assert followup.due_on == date(2026, 3, 20)
    (note,) = db.session.scalars(sa.select(FollowUpComment)).all()
    assert note.kind == "snooze" and note.author_id == member.id
    assert "Waiting for their budget" in note.body and "2026-03-09 → 2026-03-20" in note.body
    page = _page(http.get(f"/followups/{followup.id}"))
    assert "Snoozed" in page and "Waiting for their budget" in page


def test_reassign_records_who_and_tells_the_new_owner(users, login_as):
    member, agent = users["team_member"], users["support_agent"]
    followup = _manual("Call back", member, date(2026, 3, 10))
    http = login_as("team_member")
    refused = http.post(f"/followups/{followup.id}/reassign",
                        data={"version": str(followup.version), "owner_id": ""})
    assert refused.status_code == 422 and FIELD_ERROR in _page(refused)
    response = http.post(f"/followups/{followup.id}/reassign", data={
        "version": str(followup.version), "owner_id": str(agent.id), "note": "You know them"})
    assert response.status_code == 302
    db.session.refresh(followup)
    assert followup.owner_id == agent.id
    (note,) = db.session.scalars(sa.select(FollowUpComment)).all()
    assert note.kind == "reassign" and "Team_Member → Support_Agent" in note.body
    assert "You know them" in note.body
    (told,) = db.session.scalars(sa.select(Notification)).all()
    assert told.user_id == agent.id and "Call back" in told.subject
    assert told.link == f"/followups/{followup.id}"


def test_comment_is_added_and_an_empty_one_refused(users, login_as):
    followup = _manual("Call back", users["team_member"], date(2026, 3, 10))
    http = login_as("team_member")
    assert http.post(f"/followups/{followup.id}/comment", data={"body": ""}).status_code == 422
    assert http.post(f"/followups/{followup.id}/comment",
                     data={"body": "Left a voicemail"}).status_code == 302
    (note,) = db.session.scalars(sa.select(FollowUpComment)).all()
    assert (note.kind, note.body) == ("comment", "Left a voicemail")
    assert "Left a voicemail" in _page(http.get(f"/followups/{followup.id}"))


def test_reopen_only_what_is_closed(users, login_as):
    followup = _manual("Call back", users["team_member"], date(2026, 3, 10))
    http = login_as("team_member")
    response = http.post(f"/followups/{followup.id}/reopen",
                         data={"version": str(followup.version)})
    assert response.status_code == 302
    assert "already open" in _page(http.get(f"/followups/{followup.id}"))


# -- creating one by hand -----------------------------------------------------------------

def test_create_a_standalone_recurring_followup(users, login_as):
    member, agent = users["team_member"], users["support_agent"]
    http = login_as("team_member")
    form = _page(http.get("/followups/new"))
    assert 'name="title"' in form and 'name="repeat_unit"' in form
    response = http.post("/followups/new", data={
        "title": "Monthly stock check", "owner_id": str(agent.id), "due_on": "2026-01-31",
        "notes": "Count the pallets", "repeat_unit": "months", "repeat_every": "1"})
    assert response.status_code == 302
    (followup,) = db.session.scalars(sa.select(FollowUp)).all()
    assert (followup.source_type, followup.source_id) == ("manual", 0)
    assert (followup.owner_id, followup.created_by_id) == (agent.id, member.id)
    assert (followup.repeat_every, followup.repeat_unit) == (1, "months")
    assert followup.team_id == _alpha().id  # the team the two share
    page = _page(http.get(response.headers["Location"]))
    assert "Written by hand" in page and "Every month" in page
    assert db.session.scalar(sa.select(Notification.user_id)) == agent.id


@pytest.mark.parametrize(("data", "field"), [
    ({"title": "", "owner_id": "1", "due_on": "2026-01-31"}, "title"),
    ({"title": "X", "owner_id": "", "due_on": "2026-01-31"}, "owner_id"),
    ({"title": "X", "owner_id": "1", "due_on": "2026-02-30"}, "due_on"),
    ({"title": "X", "owner_id": "1", "due_on": "2026-01-31", "repeat_unit": "days",
      "repeat_every": "0"}, "repeat_every"),
    ({"title": "X", "owner_id": "1", "due_on": "2026-01-31", "repeat_unit": "years"},
     "repeat_unit"),
])
def test_create_refuses_on_the_field(users, login_as, data, field):
    data = {**data, "owner_id": str(users["team_member"].id) if data["owner_id"] else ""}
    response = login_as("team_member").post("/followups/new", data=data)
    assert response.status_code == 422
    assert f'id="{field}-help" class="field-error"' in _page(response)
    assert db.session.scalars(sa.select(FollowUp)).all() == []


def test_auditor_cannot_create(login_as):
    assert login_as("auditor").get("/followups/new").status_code == 403


# -- My day -------------------------------------------------------------------------------

def test_my_day_sections_and_counts_in_the_users_zone(users, login_as, clock):
    member, agent = users["team_member"], users["support_agent"]
    member.timezone = "America/New_York"
    db.session.commit()
    # 23:00 UTC on March 10 is 19:00 in New York (still the 10th), 07:00 on the 11th in
    # Shanghai (the deployment's default zone).
    clock(datetime(2026, 3, 10, 23, tzinfo=UTC))
    _manual("Late one", member, date(2026, 3, 9))
    _manual("Due-today one", member, date(2026, 3, 10))
    _manual("Tomorrow one", member, date(2026, 3, 11))
    _manual("In a week", member, date(2026, 3, 17))
    _manual("Far away", member, date(2026, 3, 18))
    _manual("Asked of the agent", agent, date(2026, 3, 12), creator=member)
    _manual("Done already", member, date(2026, 3, 1), status="done")
    _manual("Owned by the agent", agent, date(2026, 3, 1))

    page = _page(login_as("team_member").get("/followups/"))
    assert [_count(page, k) for k in ("overdue", "today", "soon", "waiting")] == [1, 1, 2, 1]
    assert "Late one" in _section(page, "overdue")
    assert "Due-today one" in _section(page, "today")
    soon = _section(page, "soon")
    assert "Tomorrow one" in soon and "In a week" in soon and "Far away" not in soon
    waiting = _section(page, "waiting")
    assert "Asked of the agent" in waiting and "Support_Agent" in waiting
    assert "Done already" not in page and "Owned by the agent" not in page
    assert fq.nav_counts(member, date(2026, 3, 10)) == {"overdue": 1, "today": 1}

    # The same moment for a user in the default zone is already the 11th.
    users["support_agent"].timezone = None
    db.session.commit()
    agent_page = _page(login_as("support_agent").get("/followups/"))
    assert [_count(agent_page, k) for k in ("overdue", "today")] == [1, 0]
    assert "Asked of the agent" in _section(agent_page, "soon")


def test_completing_from_my_day_returns_there(users, login_as, clock):
    clock(datetime(2026, 3, 10, 4, tzinfo=UTC))
    member = users["team_member"]
    followup = _manual("Late one", member, date(2026, 3, 9), repeat_every=1, repeat_unit="weeks")
    http = login_as("team_member")
    page = _page(http.get("/followups/"))
    assert f'data-testid="done-{followup.id}"' in page
    response = _complete(http, followup, next="/followups/")
    assert response.headers["Location"] == "/followups/"
    page = _page(http.get("/followups/"))
    assert _count(page, "overdue") == 0 and "Late one" in _section(page, "soon")


def test_next_must_stay_on_the_site(users, login_as):
    followup = _manual("Late one", users["team_member"], date(2026, 3, 9))
    response = _complete(login_as("team_member"), followup, next="https://evil.example/")
    assert response.headers["Location"] == f"/followups/{followup.id}"


# -- who sees what --------------------------------------------------------------------------

@pytest.fixture
def beta_world(users):
    """A partner of team Beta with a confidential round and an open one, each with a
    follow-up: the confidential one's for a team member of Alpha (not a participant)."""
    beta = factories.make_team("Beta")
    outsider = factories.make_user("team_member", name="Outsider", teams=(beta,))
    org = factories.make_org("partner", "Beta Partner", owner=outsider, team=beta)
    secret = factories.make_round(org, "Secret pricing XQZ", author=outsider,
                                  confidential=True, our_people=(outsider,))
    public = factories.make_round(org, "Open kickoff ABC", author=outsider)
    mine = add_followup(secret, "Send the figures", users["team_member"].id, date(2026, 3, 9),
                        organization=org)
    theirs = add_followup(public, "Their next step", outsider.id, date(2026, 3, 9),
                          organization=org)
    db.session.commit()
    return {"secret": secret, "public": public, "mine": mine, "theirs": theirs,
            "outsider": outsider}


def test_own_followup_of_a_confidential_round_hides_the_round(login_as, beta_world):
    mine = beta_world["mine"]
    http = login_as("team_member")
    response = http.get(f"/followups/{mine.id}")
    assert response.status_code == 200
    page = _page(response)
    assert "Send the figures" in page and "A record you cannot see" in page
    assert "XQZ" not in page and "Beta Partner" not in page
    assert f"/partners/rounds/{beta_world['secret'].id}" not in page
    day = _page(http.get("/followups/"))
    assert "Send the figures" in day and "XQZ" not in day and "Beta Partner" not in day
    # It is theirs: they may complete it, though they cannot see the round.
    assert _complete(http, mine).status_code == 302


@pytest.mark.parametrize(("role", "code", "shows_round"), [
    ("manager", 200, True), ("auditor", 200, True), ("admin", 200, True),
    ("partner_manager", 404, False), ("account_manager", 404, False),
    ("support_agent", 404, False),
])
def test_followup_of_a_confidential_round_per_role(login_as, beta_world, role, code,
                                                   shows_round):
    response = login_as(role).get(f"/followups/{beta_world['mine'].id}")
    assert response.status_code == code
    if code == 200:
        page = _page(response)
        assert ("Secret pricing XQZ" in page) is shows_round
        assert f'href="/partners/rounds/{beta_world["secret"].id}"' in page


@pytest.mark.parametrize(("role", "code"), [
    ("manager", 200), ("auditor", 200), ("partner_manager", 200),  # through the round
    ("team_member", 404), ("account_manager", 404), ("support_agent", 404),
])
def test_followup_is_seen_through_its_source(login_as, beta_world, role, code):
    theirs = beta_world["theirs"]
    response = login_as(role).get(f"/followups/{theirs.id}")
    assert response.status_code == code
    if code == 200:
        page = _page(response)
        assert "Open kickoff ABC" in page
        assert f'href="/partners/rounds/{beta_world["public"].id}"' in page


def test_seeing_is_not_editing(login_as, beta_world):
    theirs = beta_world["theirs"]
    http = login_as("partner_manager")  # reads the round, writes only own follow-ups
    page = _page(http.get(f"/followups/{theirs.id}"))
    assert "/complete" not in page and "Snooze" not in page
    for action, data in (("complete", {"version": "1"}), ("comment", {"body": "Hi"}),
                         ("snooze", {"version": "1", "due_on": "2030-01-01", "reason": "x"})):
        assert http.post(f"/followups/{theirs.id}/{action}", data=data).status_code == 403
    db.session.refresh(theirs)
    assert theirs.status == "open"


def test_a_missing_followup_is_404(login_as):
    assert login_as("admin").get("/followups/999999").status_code == 404


def test_sources_of_every_kind_link_when_seen(users, login_as):
    manager = users["manager"]
    client = factories.make_org("client", "Client Co", team=_alpha())
    complaint = factories.make_complaint(client, "Late parcel")
    agreement = factories.make_agreement(factories.make_org("partner", team=_alpha()),
                                         "Frame deal")
    note = factories.make_round(client, "Client call")
    made = [add_followup(src, f"Step {i}", manager.id, date(2026, 3, 9))
            for i, src in enumerate((complaint, agreement, note))]
    db.session.commit()
    http = login_as("manager")
    expected = (f"/clients/complaints/{complaint.id}", f"/partners/agreements/{agreement.id}",
                f"/clients/notes/{note.id}")
    for followup, href in zip(made, expected, strict=True):
        assert f'href="{href}"' in _page(http.get(f"/followups/{followup.id}"))


def test_a_team_problem_is_named_and_linked_where_its_page_exists(app, users, login_as):
    problem = Problem(team_id=_alpha().id, title="Printer jam")
    db.session.add(problem)
    db.session.commit()
    followup = add_followup(problem, "Fix the printer", users["manager"].id, date(2026, 3, 9))
    db.session.commit()
    page = _page(login_as("manager").get(f"/followups/{followup.id}"))
    assert "Printer jam" in page
    linked = f'href="/teams/problems/{problem.id}"' in page
    assert linked is ("teams.problem_detail" in app.view_functions)


# -- the team view --------------------------------------------------------------------------

def test_team_lead_sees_each_member_with_counts(users, login_as, clock, beta_world):
    clock(datetime(2026, 3, 10, 4, tzinfo=UTC))
    alpha, member = _alpha(), users["team_member"]
    lead = factories.make_user("team_member", name="Lead", teams=(alpha,), lead_of=(alpha,))
    _manual("Overdue thing", member, date(2026, 3, 1), team=alpha)
    _manual("Later thing", member, date(2026, 4, 1), team=alpha)
    _manual("Closed thing", member, date(2026, 3, 1), team=alpha, status="done")
    response = login_as(lead).get("/followups/team")
    assert response.status_code == 200
    page = _page(response)
    row = page.split(f'data-testid="person-{alpha.id}-{member.id}"', 1)[1].split("</tr>", 1)[0]
    # The member's follow-up of Beta's confidential round is not the lead's to see.
    assert re.search(r'data-testid="open">2<', row) and 'class="overdue">1<' in row
    assert "Overdue thing" in row and "Send the figures" not in page
    assert "You lead this team" in page


def test_team_view_for_managers_lists_every_team(users, login_as, beta_world):
    page = _page(login_as("manager").get("/followups/team"))
    assert "Alpha" in page and "Beta" in page and "Outsider" in page


def test_team_view_without_a_team(login_as):
    loner = factories.make_user("team_member", name="Loner")
    response = login_as(loner).get("/followups/team")
    assert response.status_code == 200 and "You are not in a team." in _page(response)


# -- the reminder log -----------------------------------------------------------------------

def test_reminder_log_shows_own_rows_and_all_to_auditors(users, login_as):
    member, agent = users["team_member"], users["support_agent"]
    mine = _manual("Mine to do", member, date(2026, 3, 9))
    theirs = _manual("Agent to do", agent, date(2026, 3, 9))
    for user, followup in ((member, mine), (agent, theirs)):
        db.session.add(ReminderLog(user_id=user.id, followup_id=followup.id,
                                   day=date(2026, 3, 10), channel="email", overdue=True))
    db.session.commit()
    own = _page(login_as("team_member").get("/followups/reminders"))
    assert "Mine to do" in own and "Agent to do" not in own
    assert "Email and in the app" in own
    everyone = _page(login_as("auditor").get("/followups/reminders"))
    assert "Mine to do" in everyone and "Agent to do" in everyone
    assert "Team_Member" in everyone and "Support_Agent" in everyone


def test_reminder_log_hides_titles_the_viewer_may_not_see(users, login_as, beta_world):
    outsider = beta_world["outsider"]
    db.session.add(ReminderLog(user_id=outsider.id, followup_id=beta_world["theirs"].id,
                               day=date(2026, 3, 10)))
    # A custom role that reads the audit trail but no follow-up beyond its own.
    role = Role(name="log_reader", label="Log reader")
    role.grants.append(Grant(area="followups", read_level=1, write_level=0))
    role.capabilities.append(RoleCapability(name="read_audit"))
    db.session.add(role)
    reader = factories.make_user(None, name="Reader")
    reader.roles = [role]
    db.session.commit()
    page = _page(login_as(reader).get("/followups/reminders"))
    assert "Outsider" in page and "A follow-up you cannot see" in page
    assert "Their next step" not in page


# -- the calendar address -------------------------------------------------------------------

def test_calendar_address_is_created_replaced_and_revoked(users, login_as):
    member = users["team_member"]
    http = login_as("team_member")
    assert "You have no calendar address." in _page(http.get("/followups/calendar"))
    assert http.post("/followups/calendar", data={"action": "create"}).status_code == 302
    db.session.refresh(member)
    first = member.calendar_token
    assert first and len(first) >= 40
    assert http.post("/followups/calendar", data={"action": "create"}).status_code == 302
    db.session.refresh(member)
    assert member.calendar_token not in (None, first)
    assert http.post("/followups/calendar", data={"action": "revoke"}).status_code == 302
    db.session.refresh(member)
    assert member.calendar_token is None
    bad = http.post("/followups/calendar", data={"action": "steal"})
    assert bad.status_code == 422 and FIELD_ERROR in _page(bad)


def test_every_role_may_open_the_hub(login_as):
    for role in ("admin", "manager", "partner_manager", "account_manager", "support_agent",
                 "team_member", "auditor"):
        http = login_as(role)
        for url in ("/followups/", "/followups/team", "/followups/reminders",
                    "/followups/calendar"):
            assert http.get(url).status_code == 200, (role, url)


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get("/followups/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


# -- the counts in the navigation -----------------------------------------------------------

NAV_SNIPPET = (
    "{% if may_enter(current_user, Area.FOLLOWUPS) %}{% set fu = followup_counts(current_user) %}"
    "<li><a href=\"{{ url_for('followups.my_day') }}\" class=\"bell\" data-testid=\"nav-my-day\""
    " {% if request.blueprint == 'followups' %}aria-current=\"page\"{% endif %}>"
    "{{ _('My day') }}"
    "{% if fu.overdue %} <span class=\"count\" data-testid=\"nav-overdue\">{{ fu.overdue }}"
    "<span class=\"visually-hidden\"> {{ _('Overdue') }}</span></span>{% endif %}"
    "{% if fu.today %} <span class=\"badge\" data-testid=\"nav-today\">{{ fu.today }}"
    "<span class=\"visually-hidden\"> {{ _('Due today') }}</span></span>{% endif %}"
    "</a></li>{% endif %}")


def test_the_navigation_snippet_shows_the_counts(app, users, clock):
    from flask import render_template_string
    from flask_login import login_user

    clock(datetime(2026, 3, 10, 4, tzinfo=UTC))  # noon in Shanghai
    member = users["team_member"]
    _manual("Late", member, date(2026, 3, 1))
    _manual("Later", member, date(2026, 3, 2))
    _manual("Now", member, date(2026, 3, 10))
    _manual("Somebody else's", users["manager"], date(2026, 3, 1))
    with app.test_request_context("/followups/"):
        login_user(member)
        html = render_template_string(NAV_SNIPPET)
    assert 'data-testid="nav-overdue">2<' in html and 'data-testid="nav-today">1<' in html
    assert 'href="/followups/"' in html and 'aria-current="page"' in html
    assert fq.nav_counts(member) == {"overdue": 2, "today": 1}


def test_the_hub_renders_in_chinese(users, login_as):
    member = users["team_member"]
    member.locale = "zh"
    db.session.commit()
    followup = _manual("Call back", member, date(2026, 3, 9), repeat_every=2,
                       repeat_unit="weeks")
    http = login_as("team_member")
    for url in ("/followups/", f"/followups/{followup.id}", "/followups/team",
                "/followups/reminders", "/followups/calendar", "/followups/new"):
        response = http.get(url)
        assert response.status_code == 200, url
        assert 'lang="zh-Hans"' in _page(response), url
    refused = http.post(f"/followups/{followup.id}/snooze",
                        data={"version": str(followup.version), "due_on": "2030-01-01"})
    assert refused.status_code == 422 and FIELD_ERROR in _page(refused)


# -- undo a completion (issue 12) -------------------------------------------------------------

def _undo_form(page: str) -> str:
    match = re.search(r'<form method="post" action="([^"]+)" class="flash-undo"[^>]*>', page)
    assert match, "no Undo in the flash"
    return match.group(1).replace("&amp;", "&")


def test_completing_offers_undo_in_the_flash_which_reopens_it(users, login_as):
    from tracker.models import AuditEvent, FollowUpComment

    member = users["team_member"]
    followup = _manual("Send the quote", member, date(2026, 3, 10), team=_alpha())
    http = login_as("team_member")
    response = _complete(http, followup, next="/followups/")
    page = _page(http.get(response.headers["Location"]))
    assert "Done." in page and 'data-testid="undo"' in page
    action = _undo_form(page)
    assert f"/followups/{followup.id}/undo-complete" in action
    # Plain HTML: a form with the token and the way back, no script involved.
    form = page.split('class="flash-undo" data-in-place>', 1)[1].split("</form>", 1)[0]
    assert 'name="csrf_token"' in form and 'name="next"' in form and "<button" in form

    response = http.post(action, data={"next": "/followups/"})
    assert response.status_code == 302 and response.headers["Location"] == "/followups/"
    db.session.expire_all()
    followup = db.session.get(FollowUp, followup.id)
    assert followup.status == "open" and followup.completed_at is None
    kinds = db.session.scalars(sa.select(FollowUpComment.kind).where(
        FollowUpComment.followup_id == followup.id)).all()
    assert kinds == ["undo"]
    statuses = [e.changes.get("status") for e in db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.record_type == "followups",
                                    AuditEvent.record_id == followup.id)
        .order_by(AuditEvent.id)) if e.changes and "status" in e.changes]
    assert statuses[-2:] == [["open", "done"], ["done", "open"]]  # both in the history
    detail = _page(http.get(f"/followups/{followup.id}"))
    assert "Completion undone" in detail
    # The same button a second time: nothing to undo any more.
    again = http.post(action, data={"next": "/followups/"})
    assert again.status_code in (302, 409)
    assert db.session.get(FollowUp, followup.id).status == "open"


def test_undo_only_by_who_completed_it_and_only_for_a_moment(users, login_as, monkeypatch):
    from datetime import timedelta

    from tracker.followups import services
    from tracker.models import utcnow

    member, manager = users["team_member"], users["manager"]
    followup = _manual("Call back", member, date(2026, 3, 10), team=_alpha())
    http = login_as("team_member")
    _complete(http, followup)
    db.session.expire_all()
    followup = db.session.get(FollowUp, followup.id)
    version = followup.version
    url = f"/followups/{followup.id}/undo-complete?version={version}"
    # Somebody else (who may edit it) cannot take back another's completion.
    response = login_as("manager").post(url, data={})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(FollowUp, followup.id).status == "done"
    # Eleven minutes later the completer cannot either: reopening is the way then.
    later = utcnow() + timedelta(minutes=services.UNDO_MINUTES + 1)
    monkeypatch.setattr(services, "utcnow", lambda: later)
    response = http.post(url, data={}, follow_redirects=True)
    assert "can no longer be undone" in _page(response)
    db.session.expire_all()
    assert db.session.get(FollowUp, followup.id).status == "done"
    assert manager.id != member.id


def test_undoing_a_recurring_completion_takes_back_the_next_one(users, login_as):
    member = users["team_member"]
    org = factories.make_org("partner", team=_alpha())
    talk = factories.make_round(org, author=member)
    first = add_followup(talk, "Weekly check-in", member.id, date(2026, 3, 10),
                         organization=org, repeat_every=1, repeat_unit="weeks")
    db.session.commit()
    http = login_as("team_member")
    _complete(http, first)
    db.session.expire_all()
    first = db.session.get(FollowUp, first.id)
    response = http.post(f"/followups/{first.id}/undo-complete?version={first.version}",
                         data={})
    assert response.status_code == 302
    db.session.expire_all()
    rows = db.session.scalars(sa.select(FollowUp).order_by(FollowUp.id)).all()
    assert [(r.status, r.archived_at is None) for r in rows] == [("open", True), ("open", False)]
    # Completing it again brings the same next occurrence back: still exactly one.
    _complete(http, rows[0])
    db.session.expire_all()
    rows = db.session.scalars(sa.select(FollowUp).order_by(FollowUp.id)).all()
    assert [(r.status, r.archived_at is None) for r in rows] == [("done", True), ("open", True)]


def test_the_next_occurrence_goes_to_who_completes_it_when_the_owner_may_no_longer_see(
        users, login_as):
    """An owner deactivated (or moved where the record is out of sight) would find the
    next occurrence in their day as "a record you cannot see": it goes to whoever
    completed this one instead, and the page says so."""
    member, manager = users["team_member"], users["manager"]
    org = factories.make_org("partner", team=_alpha())
    talk = factories.make_round(org, author=member)
    first = add_followup(talk, "Weekly check-in", member.id, date(2026, 3, 10),
                         organization=org, repeat_every=1, repeat_unit="weeks")
    db.session.commit()
    member.is_enabled = False
    db.session.commit()

    http = login_as("manager")
    response = _complete(http, first)
    assert response.status_code == 302
    page = _page(http.get(response.headers["Location"]))
    assert "may no longer see its record, so the next one is yours" in page
    following = db.session.scalar(sa.select(FollowUp).where(FollowUp.previous_id == first.id))
    assert following.owner_id == manager.id
    assert db.session.get(FollowUp, first.id).owner_id == member.id  # the done one stays
