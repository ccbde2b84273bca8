"""Every list that shows nothing says what to do next, with the button to do it; the
paged lists take their page size from ``?per=`` (issue 14)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import ImportBatch, Job, Notification, Requirement, Team


def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _action(page: str, href: str) -> bool:
    return bool(re.search(rf'href="{re.escape(href)}"[^>]*data-testid="empty-action"', page))


def _clear(page: str, href: str) -> bool:
    return bool(re.search(rf'href="{re.escape(href)}"[^>]*data-testid="empty-clear"', page))


def test_agreements_requirements_and_rounds_point_to_where_one_is_added(users, login_as):
    http = login_as("manager")
    page = _page(http.get("/partners/agreements/"))
    assert "No agreements yet" in page and _action(page, "/partners/")
    page = _page(http.get("/partners/agreements/?q=nothing-like-this"))
    assert "No agreement matches these filters." in page
    assert _clear(page, "/partners/agreements/")
    page = _page(http.get("/clients/requirements/"))
    assert "No requirements yet" in page and _action(page, "/clients/")
    assert _clear(_page(http.get("/clients/requirements/?status=rejected")),
                  "/clients/requirements/")
    page = _page(http.get("/partners/rounds/?from=2020-01-01&to=2020-01-31"))
    assert "No rounds in this period" in page and _action(page, "/partners/")
    assert _clear(page, "/partners/rounds/")


def test_followup_lists_say_what_next(users, login_as):
    http = login_as("manager")
    page = _page(http.get("/followups/"))
    assert page.count('data-testid="empty-state"') >= 3
    assert _action(page, "/followups/new")
    page = _page(http.get("/followups/overdue"))
    assert "Nothing overdue" in page and _action(page, "/teams/dashboard")
    # someone in no team: the boards say so and where the teams are
    loner = factories.make_user("team_member", email="loner@test.example", name="Loner")
    page = _page(login_as(loner).get("/followups/team"))
    assert "You are not in a team" in page and _action(page, "/teams/")


def test_overdue_followups_sort_by_due_either_way(users, login_as):
    page = _page(login_as("manager").get("/followups/overdue?sort=-due"))
    assert re.search(r'<th aria-sort="descending"><a href="[^"]*sort=due[^"]*"', page)
    page = _page(login_as("manager").get("/followups/overdue"))
    assert re.search(r'<th aria-sort="ascending"><a href="[^"]*sort=-due[^"]*"', page)


def test_team_lists_offer_the_first_one(users, login_as):
    team = _alpha()
    http = login_as("admin")
    for path, words, href in (
            ("meetings", "No meetings yet", f"/teams/{team.id}/meetings/new"),
            ("retros", "No retrospectives yet", f"/teams/{team.id}/retros/new"),
            ("problems", "No problems raised", f"/teams/{team.id}/problems/new"),
            ("requests", "No resource requests", f"/teams/{team.id}/requests/new"),
            ("goals", "No goals yet", f"/teams/{team.id}/goals/new")):
        page = _page(http.get(f"/teams/{team.id}/{path}"))
        assert words in page, path
        assert _action(page, href), (path, re.findall(r'<a href="([^"]*)"[^>]*empty-action',
                                                      page))
    page = _page(http.get(f"/teams/{team.id}/problems?urgency=high"))
    assert "No problem matches these filters." in page
    assert _clear(page, f"/teams/{team.id}/problems?all=1")
    page = _page(login_as("team_member").get(f"/teams/{team.id}/reports"))
    assert 'data-testid="empty-state"' in page


def test_search_without_hits_offers_to_drop_the_filters(users, login_as):
    http = login_as("manager")
    page = _page(http.get("/search?q=zzzqqq"))
    assert 'data-testid="empty-state"' in page and 'data-testid="empty-clear"' not in page
    page = _page(http.get("/search?q=zzzqqq&status=open"))
    if "Try without the filters." in page:
        assert _clear(page, "/search?q=zzzqqq")


def test_admin_lists_notifications_imports_and_saved_views(users, login_as):
    http = login_as("admin")
    page = _page(http.get("/admin/users?q=nobody-like-this"))
    assert "Nobody matches these filters." in page
    assert _clear(page, "/admin/users") and _action(page, "/admin/users/new")
    page = _page(http.get("/admin/jobs"))
    assert _action(page, "/admin/jobs?state=done")
    page = _page(http.get("/notifications"))
    assert "No notifications." in page and _action(page, "/auth/settings")
    page = _page(http.get("/imports"))
    assert _action(page, "#import-kind") and 'id="import-kind"' in page
    assert 'data-testid="no-views"' in _page(http.get("/clients/"))


@pytest.mark.parametrize("url", ["/clients/requirements/", "/partners/rounds/",
                                 "/admin/jobs?state=done", "/notifications", "/imports",
                                 "/admin/users?state=all"])
def test_per_is_read_by_every_paged_list(users, login_as, url, monkeypatch):
    http = login_as("admin")
    # 30 rows where the list reads them
    org = factories.make_org("client", "Harbor", owner=users["account_manager"], team=_alpha())
    partner = factories.make_org("partner", "Yuntu", owner=users["partner_manager"],
                                 team=_alpha())
    admin = users["admin"]
    for i in range(30):
        if "requirements" in url:
            db.session.add(Requirement(organization_id=org.id, title=f"Need {i:02d}"))
        elif "rounds" in url:
            factories.make_round(partner, f"Round {i:02d}")
        elif "jobs" in url:
            db.session.add(Job(kind="email", payload={}, state="done"))
        elif "notifications" in url:
            db.session.add(Notification(user_id=admin.id, kind="mention", link="/",
                                        subject=f"Note {i:02d}"))
        elif "users" in url:
            factories.make_user("team_member", email=f"u{i:02d}@test.example",
                                name=f"User {i:02d}")
    db.session.commit()
    if "imports" in url:  # an import row needs a file: 30 batches by hand
        db.session.add_all([ImportBatch(user_id=admin.id, kind="clients", filename=f"f{i}.xlsx")
                            for i in range(30)])
        db.session.commit()
    glue = "&" if "?" in url else "?"
    small = _page(http.get(url))
    wide = _page(http.get(f"{url}{glue}per=50"))
    assert 'data-testid="page-size"' in small, url
    assert 'aria-current="true" data-testid="per-25"' in small
    assert 'aria-current="true" data-testid="per-50"' in wide
    assert 'rel="next"' in small and 'rel="next"' not in wide
