"""Saved views: a list's filters under a name, for oneself or a team, one of them the
list's default; the URL still bookmarks; another person's views stay theirs."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import DefaultView, SavedView, Team


def test_save_open_share_and_default(login_as, users):
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    factories.make_org("client", "Quiet Mart", team=alpha)
    am = login_as("account_manager")
    # saved from the list's own query string, without where a page began
    response = am.post("/views", data={"endpoint": "clients.index", "name": " Quiet ones ",
                                       "query": "contact=never&after=abc&sort=name",
                                       "team": str(alpha.id)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/clients/?contact=never&sort=name")
    view = db.session.scalar(sa.select(SavedView))
    assert (view.name, view.query, view.team_id) == ("Quiet ones", "contact=never&sort=name",
                                                     alpha.id)
    page = am.get("/clients/?contact=never").get_data(as_text=True)
    assert re.search(rf'data-testid="view-{view.id}">Quiet ones</a>', page)

    # a teammate sees the shared view and may make it their default; the list then opens
    # with it, and the Clear link's plain address does so too
    member = login_as("team_member")
    assert f'data-testid="view-{view.id}"' in member.get("/clients/?all=1").get_data(
        as_text=True)
    assert member.post(f"/views/{view.id}/default").status_code == 302
    opened = member.get("/clients/")
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith("/clients/?contact=never&sort=name")
    assert member.get("/clients/?status=active").status_code == 200  # a filter: as asked
    # a teammate cannot delete it (it is the saver's), nor see it once it is not shared
    assert member.post(f"/views/{view.id}/delete").status_code == 404
    assert login_as("admin").post(f"/views/{view.id}/default").status_code == 404  # not theirs
    assert member.post("/views/default/clear", data={"endpoint": "clients.index"}
                       ).status_code == 302
    assert member.get("/clients/").status_code == 200
    # the saver deletes it: gone for everyone, defaults with it
    assert am.post(f"/views/{view.id}/delete").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(SavedView.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(DefaultView.id))) == 0


def test_a_view_needs_a_name_and_a_real_list(login_as, users):
    am = login_as("account_manager")
    response = am.post("/views", data={"endpoint": "clients.index", "name": "  ",
                                       "query": "status=active"}, follow_redirects=True)
    assert "Give the view a name to save it." in response.get_data(as_text=True)
    assert am.post("/views", data={"endpoint": "main.search", "name": "x"}).status_code == 404
    # a team the user is not in is not shared with
    beta = factories.make_team("Beta")
    am.post("/views", data={"endpoint": "clients.index", "name": "Mine",
                            "team": str(beta.id)})
    assert db.session.scalar(sa.select(SavedView.team_id)) is None


def test_column_headers_sort_the_list(login_as, users):
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    for name in ("Beta Mart", "Alpha Mart", "Gamma Mart"):
        factories.make_org("client", name, team=alpha)
    client = login_as("manager")
    page = client.get("/clients/").get_data(as_text=True)
    header = re.search(r'<th aria-sort="ascending"><a href="([^"]+)"[^>]*>Name', page)
    assert header, "the name column is the sorted one"
    assert "sort=-name" in header.group(1)
    names = re.findall(r'href="/clients/\d+">([^<]+)</a>', client.get(
        header.group(1).replace("&amp;", "&")).get_data(as_text=True))
    assert names == ["Gamma Mart", "Beta Mart", "Alpha Mart"]
    page = client.get("/clients/?sort=-last_contact").get_data(as_text=True)
    assert re.search(r'<th aria-sort="descending"><a[^>]*>Last contact', page)


def test_the_columns_shown_are_chosen_kept_in_a_view_and_exported(login_as, users):
    import csv
    import io

    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    factories.make_org("client", "Column Mart", team=alpha, industry="Retail")
    client = login_as("manager")
    everything = client.get("/clients/").get_data(as_text=True)
    assert "<th>Industry</th>" in everything and "Retail" in everything
    chosen = client.get("/clients/?cols=status&cols=last_contact").get_data(as_text=True)
    assert "<th>Industry</th>" not in chosen and "Retail" not in chosen
    assert re.search(r'name="cols" value="status" checked', chosen)
    assert re.search(r'name="cols" value="industry" >', chosen)
    rows = list(csv.reader(io.StringIO(client.get(
        "/clients/export?cols=status&cols=last_contact").get_data(as_text=True)[1:])))
    assert rows[0] == ["Name", "Status", "Last contact", "Website", "Contacts"]
    client.post("/views", data={"endpoint": "clients.index", "name": "Lean",
                                "query": "cols=status&cols=last_contact"})
    assert db.session.scalar(sa.select(SavedView.query)) == "cols=status&cols=last_contact"


def test_views_on_a_teams_lists_belong_to_that_team(login_as, users):
    """A list inside a team (its problems, requests, meetings, retrospectives) keeps its
    views per team: a view of Alpha's problems opens Alpha's problems."""
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    beta = factories.make_team("Beta")
    member = login_as("team_member")
    key = f"teams.problems@team_id={alpha.id}"
    response = member.post("/views", data={"endpoint": key, "name": "Urgent",
                                           "query": "urgency=high&status=unsolved",
                                           "default": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/teams/{alpha.id}/problems?urgency=high&status=unsolved")
    view = db.session.scalar(sa.select(SavedView))
    page = member.get(f"/teams/{alpha.id}/problems?all=1").get_data(as_text=True)
    assert f'data-testid="view-{view.id}"' in page
    assert f'href="/teams/{alpha.id}/problems?urgency=high' in page
    opened = member.get(f"/teams/{alpha.id}/problems")
    assert opened.status_code == 302  # the default view of this team's list
    assert opened.headers["Location"].endswith("?urgency=high&status=unsolved")
    # another team's list has its own views (none), and opens as it is
    assert f'data-testid="view-{view.id}"' not in admin_page(login_as, beta)
    for key in (f"teams.problems@team_id={alpha.id}&x=1", "teams.problems@team_id=abc",
                "teams.problems"):
        assert member.post("/views", data={"endpoint": key, "name": "x"}).status_code == 404
    for path in (f"/teams/{alpha.id}/requests", f"/teams/{alpha.id}/meetings",
                 f"/teams/{alpha.id}/retros", "/teams/"):
        assert 'data-testid="saved-views"' in member.get(path).get_data(as_text=True), path


def admin_page(login_as, team: Team) -> str:
    return login_as("admin").get(f"/teams/{team.id}/problems").get_data(as_text=True)
