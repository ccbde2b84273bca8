"""What workers keep between requests is read again as soon as it may have changed.

The change counters (``tracker.generations``) move in the transaction of each change they
cover and no other; the pages that keep values (queue counts and filter lists, the
organization lists' filters, the expiring agreements) show a change on the next request;
time alone ends kept view counts when a complaint falls overdue or comes due soon.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa
from flask import g

from tests import factories
from tests.perf.helpers import count_get
from tracker.clients.complaints.deadline_rules import calendar_for_edit
from tracker.extensions import db
from tracker.generations import COUNTERS, current, kept_while
from tracker.kept import Kept
from tracker.models import Generations, utcnow


def _counters() -> dict[str, int]:
    db.session.expire_all()
    row = db.session.get(Generations, 1)
    return {name: getattr(row, name) for name in COUNTERS}


def _moved(before: dict[str, int]) -> set[str]:
    after = _counters()
    return {name for name in COUNTERS if after[name] != before[name]}


def test_each_change_moves_the_counters_it_covers_and_no_other(users):
    team = factories.make_team("Beta")
    client = factories.make_org("client", "Counter Co", team=team)

    before = _counters()
    complaint = factories.make_complaint(client, "Late", category="billing")
    assert _moved(before) == {"complaints", "vocabulary"}  # a new category word too

    before = _counters()
    complaint.title = "Very late"
    db.session.commit()
    assert _moved(before) == {"complaints"}

    before = _counters()
    client.last_contact_at = utcnow()  # a rollup: nothing kept depends on it
    client.notes = "Called twice."
    db.session.commit()
    assert _moved(before) == set()

    before = _counters()
    client.owner = users["account_manager"]  # who sees its complaints and agreements
    db.session.commit()
    assert _moved(before) == {"complaints", "agreements"}

    before = _counters()
    users["team_member"].last_login_at = utcnow()
    db.session.commit()
    assert _moved(before) == set()

    before = _counters()
    users["team_member"].name = "Renamed"
    db.session.commit()
    assert _moved(before) == {"vocabulary"}

    before = _counters()
    users["team_member"].is_enabled = False
    db.session.commit()
    assert _moved(before) == {"vocabulary", "access"}

    partner = factories.make_org("partner", "Deal Co")
    before = _counters()
    factories.make_agreement(partner, "Supply")
    assert _moved(before) == {"agreements"}

    before = _counters()
    calendar_for_edit().start_time = "08:30"  # the working week the clocks count in
    db.session.commit()
    assert _moved(before) == {"complaints"}


def _reads_calendar(client, url: str) -> bool:
    _n, sent = count_get(client, url)
    return any("FROM business_calendars" in statement for statement in sent)


def test_the_working_week_is_kept_until_it_is_saved(users, login_as):
    org = factories.make_org("client", "Week Co", team=factories.make_team("Desk"))
    factories.make_complaint(org, "Waiting", severity="medium")  # counts business hours
    agent = login_as("admin")
    assert _reads_calendar(agent, "/clients/complaints/")
    assert not _reads_calendar(agent, "/clients/complaints/")  # kept by the worker

    calendar_for_edit().end_time = "17:30"
    db.session.commit()
    assert _reads_calendar(agent, "/clients/complaints/")  # read again at once


def _count(page: str, view: str) -> int:
    match = re.search(rf'data-testid="count-{view}">(\d+)<', page)
    assert match, f"no count for {view}"
    return int(match.group(1))


def test_queue_counts_and_filters_follow_a_change_on_the_next_request(users, login_as):
    org = factories.make_org("client", "Queue Co", team=factories.make_team("Desk"))
    factories.make_complaint(org, "First", category="delivery")
    agent = login_as("admin")
    page = agent.get("/clients/complaints/").get_data(as_text=True)
    assert _count(page, "open") == 1 and _count(page, "unassigned") == 1
    assert agent.get("/clients/complaints/").get_data(as_text=True) == page  # kept, same

    complaint = factories.make_complaint(org, "Second", category="packaging")
    page = agent.get("/clients/complaints/").get_data(as_text=True)
    assert _count(page, "open") == 2 and _count(page, "unassigned") == 2
    assert f'<option value="{complaint.category_id}">packaging</option>' in page  # at once

    complaint.assignee = users["support_agent"]
    db.session.commit()
    page = agent.get("/clients/complaints/").get_data(as_text=True)
    assert _count(page, "unassigned") == 1

    users["support_agent"].name = "Sam Agent"
    db.session.commit()
    page = agent.get("/clients/complaints/").get_data(as_text=True)
    assert ">Sam Agent</option>" in page


def test_kept_counts_end_when_time_alone_makes_a_complaint_overdue(users, login_as,
                                                                 monkeypatch):
    from tracker.web.clients.complaints import routes

    org = factories.make_org("client", "Clock Co")
    complaint = factories.make_complaint(org, "Urgent", severity="critical")
    due = complaint.overdue_at
    assert due is not None
    agent = login_as("admin")
    monkeypatch.setattr(routes, "utcnow", lambda: due - timedelta(minutes=5))
    page = agent.get("/clients/complaints/").get_data(as_text=True)
    assert _count(page, "overdue") == 0 and _count(page, "due_soon") == 1
    monkeypatch.setattr(routes, "utcnow", lambda: due + timedelta(minutes=1))
    page = agent.get("/clients/complaints/").get_data(as_text=True)
    assert _count(page, "overdue") == 1  # no write in between: the kept counts ran out


def test_kept_counts_end_when_a_deadline_comes_within_due_soon(users, login_as, monkeypatch):
    from tracker.web.clients.complaints import routes

    org = factories.make_org("client", "Soon Co")
    complaint = factories.make_complaint(org, "Later", severity="low")
    due = complaint.due_next_at
    agent = login_as("admin")
    monkeypatch.setattr(routes, "utcnow", lambda: due - timedelta(hours=5))
    assert _count(agent.get("/clients/complaints/").get_data(as_text=True), "due_soon") == 0
    monkeypatch.setattr(routes, "utcnow", lambda: due - timedelta(hours=3))
    assert _count(agent.get("/clients/complaints/").get_data(as_text=True), "due_soon") == 1


def test_the_expiring_panel_follows_agreement_changes(users, login_as):
    partner = factories.make_org("partner", "Renewal Co")
    agreement = factories.make_agreement(partner, "Old terms", status="active")
    agreement.end_on = date.today() + timedelta(days=10)
    db.session.commit()
    manager = login_as("admin")
    assert "Old terms" in manager.get("/partners/").get_data(as_text=True)
    agreement.title = "New terms"
    db.session.commit()
    page = manager.get("/partners/").get_data(as_text=True)
    assert "New terms" in page and "Old terms" not in page
    partner.name = "Renamed Co"
    db.session.commit()
    assert "Renamed Co" in manager.get("/partners/").get_data(as_text=True)


def test_a_request_that_writes_keeps_nothing_and_an_emptied_database_starts_afresh(
        app, users):
    store: Kept[int] = Kept(4)
    calls = []

    def build() -> int:
        calls.append(1)
        return len(calls)

    with app.test_request_context("/"):
        user = db.session.get(type(users["admin"]), users["admin"].id)
        row = db.session.get(Generations, 1)
        from tracker.generations import Seen

        user.__dict__["generations"] = Seen(row.epoch, *(getattr(row, n) for n in COUNTERS))
        g._login_user = user
        assert kept_while(store, "k", ("complaints",), build) == 1
        assert kept_while(store, "k", ("complaints",), build) == 1  # kept
        factories.make_org("client", "Writer Co")  # this request writes …
        assert current() is None
        assert kept_while(store, "k", ("complaints",), build) == 2  # … and reads afresh
    epoch = db.session.scalar(sa.select(Generations.epoch))
    factories.reset_database()
    assert db.session.scalar(sa.select(Generations.epoch)) != epoch
