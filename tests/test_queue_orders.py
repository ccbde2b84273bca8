"""The complaint queue's sortable headers (issue 14): by deadline (the default), by date
received and by severity, each way round, paged by keyset, kept in the URL and in saved
views. Their plans (an index walk, no sort) are in tests/perf/test_complaint_speed.py."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from tests import factories
from tracker.clients.complaints import queries
from tracker.extensions import db
from tracker.models import Complaint, SavedView, Team, utcnow

SEVERITIES = ("low", "critical", "medium", "high")


def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


@pytest.fixture
def complaints(users) -> list[Complaint]:
    org = factories.make_org("client", "Harbor", owner=users["account_manager"], team=_alpha())
    now = utcnow()
    made = [factories.make_complaint(org, f"Complaint {i:02d}", severity=SEVERITIES[i % 4],
                                     received_at=now - timedelta(hours=3 * i + (i % 5)))
            for i in range(14)]
    return made


def _titles(page: str) -> list[str]:
    return re.findall(r">(Complaint \d\d)</a>", page)


def _expected(complaints: list[Complaint], sort: str) -> list[str]:
    name = sort.lstrip("-")
    for c in complaints:
        db.session.refresh(c)
    key = {"deadline": lambda c: (c.due_next_at, c.id),
           "received": lambda c: (c.received_at, c.id),
           "severity": lambda c: (queries.SEVERITY_RANK_OF.get(c.severity, 3), c.due_next_at,
                                  c.id)}[name]
    return [c.title for c in sorted(complaints, key=key, reverse=sort.startswith("-"))]


def _walk(http, url: str) -> list[str]:
    """Every title, page after page by the next links (5 a page)."""
    seen: list[str] = []
    pages = 0
    while url:
        pages += 1
        response = http.get(url)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        seen += _titles(page)
        found = re.search(r'<a href="([^"]*)" rel="next"', page)
        url = unescape(found.group(1)) if found else ""
        assert len(seen) <= 14
    assert pages == 3  # 5 + 5 + 4: each next page starts right after the last row shown
    return seen


@pytest.mark.parametrize("sort", ["deadline", "-deadline", "received", "-received",
                                  "severity", "-severity"])
def test_each_order_pages_through_every_complaint_in_order(complaints, login_as, sort,
                                                           monkeypatch):
    http = login_as("manager")
    # 25 is the smallest size ?per= offers: short pages through the default size instead
    monkeypatch.setitem(http.application.config, "PAGE_SIZE", 5)
    assert _walk(http, f"/clients/complaints/?view=all&sort={sort}") == _expected(
        complaints, sort)
    assert _walk(http, f"/clients/complaints/?sort={sort}") == _expected(complaints, sort)


def test_headers_say_how_the_queue_is_sorted_and_toggle(complaints, login_as):
    http = login_as("manager")
    page = http.get("/clients/complaints/").get_data(as_text=True)
    head = re.search(r"<thead>.*?</thead>", page, re.S).group(0)
    # nearest deadline first by default; the others offer their natural first order
    assert re.search(r'aria-sort="ascending"><a href="[^"]*sort=-deadline[^"]*"[^>]*'
                     r'data-testid="sort-deadline"', head)
    assert re.search(r'aria-sort="none"><a href="[^"]*sort=-received[^"]*"', head)
    assert re.search(r'aria-sort="none"><a href="[^"]*sort=severity[^"]*"', head)
    newest = http.get("/clients/complaints/?sort=-received").get_data(as_text=True)
    assert re.search(r'aria-sort="descending"><a href="[^"]*sort=received[^"]*"[^>]*'
                     r'data-testid="sort-received"', newest)
    assert re.search(r'aria-sort="none"><a href="[^"]*sort=deadline[^"]*"', newest)
    # most severe first reads as severity descending
    severe = http.get("/clients/complaints/?sort=severity").get_data(as_text=True)
    assert re.search(r'aria-sort="descending"><a href="[^"]*sort=-severity[^"]*"[^>]*'
                     r'data-testid="sort-severity"', severe)
    assert _titles(severe)[0] in {c.title for c in complaints if c.severity == "critical"}
    # the filter form and the view tabs keep the order
    form = re.search(r'<form method="get" class="filters".*?</form>', severe, re.S).group(0)
    assert '<option value="severity" selected>' in form
    assert re.search(r'href="[^"]*view=closed[^"]*sort=severity|href="[^"]*sort=severity'
                     r'[^"]*view=closed', severe)


def test_a_forged_order_reads_as_the_deadline(complaints, login_as):
    http = login_as("manager")
    page = http.get("/clients/complaints/?sort=title;drop").get_data(as_text=True)
    assert _titles(page) == _expected(complaints, "deadline")
    assert queries.sort_of("-nothing") == "deadline" and queries.sort_of("-") == "deadline"


def test_a_saved_view_keeps_the_order(complaints, login_as):
    http = login_as("manager")
    assert http.post("/views", data={"endpoint": "clients.complaints", "name": "Newest",
                                     "query": "view=all&sort=-received&after=abc"}
                     ).status_code == 302
    assert db.session.scalar(sa.select(SavedView.query)) == "view=all&sort=-received"


def test_the_export_follows_the_order(complaints, login_as):
    http = login_as("manager")
    body = http.get("/clients/complaints/export?view=all&sort=received&format=csv"
                    ).get_data(as_text=True)
    assert re.findall(r"Complaint \d\d", body) == _expected(complaints, "received")
