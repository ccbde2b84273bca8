"""Dashboards: each number and chart segment equals the count of the list it links to, for
every role, confidential and other people's records included; the date range is kept."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import Team, utcnow

COMPLAINT_ROLES = ("admin", "manager", "account_manager", "support_agent", "auditor")


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _specs(page: str) -> dict[str, dict]:
    found = re.findall(r'data-chart-id="([^"]+)" data-chart-spec=\'([^\']*)\'', page)
    return {chart_id: json.loads(html.unescape(spec)) for chart_id, spec in found}


def _numbers(page: str) -> dict[str, tuple[int, str]]:
    found = re.findall(r'<a href="([^"]+)" data-testid="number-link-([a-z]+)">([\d,]+)', page)
    return {key: (int(value.replace(",", "")), html.unescape(link))
            for link, key, value in found}


def _list_count(client, link: str) -> int:
    view = parse_qs(urlsplit(link).query).get("view", ["open"])[0]
    page = _page(client.get(link))
    match = re.search(rf'data-testid="count-{view}">(\d+)<', page)
    assert match, (link, "no count")
    return int(match.group(1))


def _complaints(users) -> None:
    """Complaints over the past weeks: two teams' clients, in time and late, confidential,
    in three categories, some open, some resolved."""
    from tracker.clients.complaints import services

    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    beta = factories.make_team("Beta")
    a_client = factories.make_org("client", "Alpha Mart", team=alpha)
    b_client = factories.make_org("client", "Beta Foods", team=beta)
    agent, am, manager = users["support_agent"], users["account_manager"], users["manager"]
    now = utcnow().replace(second=0, microsecond=0)
    plan = [
        # org, days ago, severity, category, assignee, how it ended, confidential by
        (a_client, 0, "critical", "billing", agent, None, None),
        (a_client, 1, "high", "delivery", None, None, None),
        (a_client, 4, "medium", "delivery", am, "in_time", None),
        (a_client, 9, "low", "outage", agent, "late", None),
        (a_client, 15, "high", "billing", am, "late", None),
        (a_client, 20, "medium", "delivery", agent, None, agent),
        (a_client, 25, "low", "billing", None, None, manager),
        (b_client, 2, "critical", "outage", agent, "in_time", None),
        (b_client, 12, "medium", "delivery", am, None, None),
        (b_client, 40, "high", "billing", agent, "late", None),
    ]
    for i, (org, days, severity, category, assignee, ended, secret_by) in enumerate(plan):
        received = now - timedelta(days=days, hours=3)
        complaint = factories.make_complaint(
            org, f"Complaint {i}", severity=severity, category=category, assignee=assignee,
            received_at=received, is_confidential=secret_by is not None,
            **({"created_by_id": secret_by.id} if secret_by else {}))
        if ended:
            services.move(complaint, "acknowledged", agent, now=received + timedelta(minutes=5))
            hours = 1 if ended == "in_time" else 24 * 6
            services.move(complaint, "resolved", agent, summary="Done.",
                          now=received + timedelta(hours=hours))
    db.session.commit()


def test_complaint_dashboard_numbers_equal_their_lists_per_role(login_as, users):
    _complaints(users)
    totals = {}
    for role in COMPLAINT_ROLES:
        client = login_as(role)
        page = _page(client.get("/clients/complaints/dashboard"))
        specs = _specs(page)
        assert {"backlog", "flow", "deadlines", "category", "team", "agent"} <= set(specs)
        checked = 0
        for chart_id, spec in specs.items():
            if chart_id == "times":  # hours, not counts: their links open the week's list
                continue
            for series in spec["series"]:
                zero_seen = False
                for value, link in zip(series["data"], series["links"], strict=True):
                    if not value and zero_seen:
                        continue
                    zero_seen = zero_seen or not value
                    assert _list_count(client, link) == value, (role, chart_id,
                                                                 series["name"], link)
                    checked += 1
        for key, (value, link) in _numbers(page).items():
            assert _list_count(client, link) == value, (role, key, link)
        totals[role] = _numbers(page)["received"][0]
        assert checked > 15, (role, checked)
    # Who sees what: the account manager sees Alpha's clients only, the support agent all
    # but the manager's confidential complaint; what they may not see is never counted.
    assert totals["admin"] == totals["manager"] == 10
    assert totals["support_agent"] == 9
    assert totals["account_manager"] < totals["support_agent"]


def test_the_date_range_moves_every_figure(login_as, users):
    _complaints(users)
    client = login_as("manager")
    today = utcnow().date()
    wide = _numbers(_page(client.get(
        f"/clients/complaints/dashboard?from={today - timedelta(days=60)}&to={today}")))
    narrow = _numbers(_page(client.get(
        f"/clients/complaints/dashboard?from={today - timedelta(days=7)}&to={today}")))
    assert wide["received"][0] == 10
    assert narrow["received"][0] < wide["received"][0]
    assert f"received_from={today - timedelta(days=7)}" in narrow["received"][1]
    # the other dashboards' tabs keep the range
    page = _page(client.get(f"/clients/complaints/dashboard?from={today}&to={today}"))
    assert f'from={today}' in page


def test_the_complaint_dashboard_is_in_the_readers_language(login_as, users):
    from tracker.clients.complaints.categories import ensure_defaults

    ensure_defaults()
    _complaints(users)
    users["manager"].locale = "zh"
    db.session.commit()
    page = _page(login_as("manager").get("/clients/complaints/dashboard"))
    specs = _specs(page)
    assert "账单错误" in specs["category"]["categories"] or "billing" in specs[
        "category"]["categories"]
    assert "投诉" in page
    assert specs["flow"]["series"][0]["name"] != "Complaints received"


PARTNER_ROLES = ("admin", "manager", "partner_manager", "team_member", "auditor")


def _list_total(client, link: str) -> int:
    page = _page(client.get(link))
    match = re.search(r"([\d,]+) in all", page)
    return int(match.group(1).replace(",", "")) if match else 0


def _partners(users) -> None:
    from datetime import date

    from tracker.models import Agreement, AgreementVersion, Conversation

    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    beta = factories.make_team("Beta")
    now = utcnow()
    for i, (team, stage) in enumerate([(alpha, "prospect"), (alpha, "negotiating"),
                                       (beta, "negotiating"), (beta, "active"),
                                       (alpha, "active")]):
        org = factories.make_org("partner", f"Partner {i}", team=team, stage=stage,
                                 owner=users["partner_manager"] if i % 2 else None)
        for days in (1, 8, 20)[: i % 3 + 1]:
            db.session.add(Conversation(organization_id=org.id, title=f"Round {i}-{days}",
                                        kind="meeting", occurred_at=now - timedelta(days=days),
                                        is_confidential=(i == 3 and days == 1),
                                        created_by_id=users["manager"].id))
        status = ("active", "proposed", "active", "draft", "expired")[i]
        agreement = Agreement(organization_id=org.id, title=f"Agreement {i}", status=status,
                              team_id=team.id, end_on=date.today() + timedelta(days=30 * i),
                              notice_on=date.today() + timedelta(days=40 * i - 20))
        db.session.add(agreement)
        db.session.flush()
        db.session.add(AgreementVersion(agreement_id=agreement.id, number=1,
                                        fee_amount=1000 * (i + 1), currency="CNY"))
    db.session.commit()


def test_partner_dashboard_numbers_equal_their_lists_per_role(login_as, users):
    _partners(users)
    seen = {}
    for role in PARTNER_ROLES:
        client = login_as(role)
        page = _page(client.get("/partners/dashboard"))
        specs = _specs(page)
        assert {"funnel", "rounds"} <= set(specs), role
        for chart_id, spec in specs.items():
            for series in spec["series"]:
                for value, link in zip(series["data"], series["links"], strict=True):
                    if chart_id == "value":  # money, not a count: the list of active ones
                        assert "status=active" in link
                        continue
                    assert _list_total(client, link) == value, (role, chart_id, link)
        for key, (value, link) in _numbers(page).items():
            assert _list_total(client, link) == value, (role, key, link)
        seen[role] = (specs, _numbers(page))
    # money only for roles that see it; agreements only for their readers
    assert "value" in seen["admin"][0] and "value" not in seen["team_member"][0]
    assert sum(seen["admin"][0]["funnel"]["series"][0]["data"]) == 5
    # notice dates 20, 60, 100, 140 days ahead (and one past): two due within 90 days
    assert seen["admin"][1]["notice"][0] == 2
    assert seen["admin"][1]["rounds"][0] >= seen["team_member"][1]["rounds"][0]


CLIENT_ROLES = ("admin", "manager", "account_manager", "support_agent", "team_member",
                "auditor")


def _clients(users) -> None:
    from tracker.models import Conversation, Requirement

    _complaints(users)  # Alpha Mart and Beta Foods, with complaints
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    now = utcnow()
    for i, days in enumerate((2, 20, 60, 200, None)):
        org = factories.make_org("client", f"Client {i}", team=alpha if i % 2 else None,
                                 owner=users["account_manager"] if i < 3 else None)
        if days is not None:
            db.session.add(Conversation(organization_id=org.id, title=f"Note {i}",
                                        kind="call", occurred_at=now - timedelta(days=days),
                                        created_by_id=users["manager"].id))
        for status in ("proposed", "confirmed", "changed", "withdrawn")[: i + 1]:
            db.session.add(Requirement(organization_id=org.id, title=f"Req {i} {status}",
                                       wording="Wording", status=status))
    db.session.commit()
    from tracker.orgs.rollups import refresh_org_rollups

    refresh_org_rollups(None)
    db.session.commit()


def test_client_dashboard_numbers_equal_their_lists_per_role(login_as, users):
    from tracker.models import Complaint

    _clients(users)
    for complaint in db.session.scalars(sa.select(Complaint).where(
            Complaint.resolved_at.is_not(None))):
        complaint.satisfaction = 2 + complaint.id % 4
    db.session.commit()
    seen = {}
    for role in CLIENT_ROLES:
        client = login_as(role)
        page = _page(client.get("/clients/dashboard"))
        specs = _specs(page)
        assert {"quiet", "requirements"} <= set(specs), role
        for chart_id, spec in specs.items():
            for series in spec["series"]:
                for value, link in zip(series["data"], series["links"], strict=True):
                    count = (_list_count(client, link) if chart_id == "satisfaction"
                             else _list_total(client, link))
                    assert count == value, (role, chart_id, link)
        for key, (value, link) in _numbers(page).items():
            assert _list_total(client, link) == value, (role, key, link)
        seen[role] = specs
    quiet = seen["admin"]["quiet"]["series"][0]["data"]
    assert quiet[0] >= 1 and quiet[1] == 1 and quiet[2] == 1 and quiet[3] == 1
    assert sum(seen["admin"]["satisfaction"]["series"][0]["data"]) == 5
    assert "satisfaction" not in seen["team_member"]


TEAM_ROLES = ("admin", "manager", "partner_manager", "account_manager", "support_agent",
              "team_member", "auditor")


def _teamwork(users) -> None:
    from datetime import date

    from tracker.followups import add_followup
    from tracker.models import Goal, Problem, ResourceRequest

    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    org = factories.make_org("client", "Followed Co", team=alpha)
    talk = factories.make_round(org, "Weekly call")
    today = date.today()
    for i, role in enumerate(("support_agent", "account_manager", "team_member", "manager")):
        for days in (3, 10)[: 1 + i % 2]:
            add_followup(talk, f"Late {role} {days}", users[role].id,
                         today - timedelta(days=days), organization=org)
        add_followup(talk, f"Fine {role}", users[role].id, today + timedelta(days=2),
                     organization=org)
    db.session.add_all([
        Problem(team_id=alpha.id, reporter_id=users["team_member"].id, owner_id=None,
                title="Scanner broken", impact="Slow", status="open"),
        Problem(team_id=alpha.id, reporter_id=users["team_member"].id, title="Old one",
                impact="None", status="solved", solution="Fixed"),
        ResourceRequest(team_id=alpha.id, requester_id=users["team_member"].id,
                        approver_id=users["manager"].id, title="Laptop", amount=1,
                        unit="CNY", reason="New hire"),
        Goal(team_id=alpha.id, owner_id=users["team_member"].id, title="Ship it", metric="m",
             baseline=0, target=10, due_on=today - timedelta(days=1)),
    ])
    db.session.commit()


def test_team_dashboard_numbers_equal_their_lists_per_role(login_as, users):
    _teamwork(users)
    seen = {}
    for role in TEAM_ROLES:
        client = login_as(role)
        page = _page(client.get("/teams/dashboard"))
        specs = _specs(page)
        for chart_id in ("overdue_team", "overdue_person", "open"):
            for series in specs.get(chart_id, {"series": []})["series"]:
                for value, link in zip(series["data"], series["links"], strict=True):
                    assert _list_total(client, link) == value, (role, chart_id, link)
        for key, (value, link) in _numbers(page).items():
            assert _list_total(client, link) == value, (role, key, link)
        for value, link in zip(specs["goals"]["series"][0]["data"],
                               specs["goals"]["series"][0]["links"], strict=True):
            goals = _page(client.get(link))
            slipping = len(re.findall(r"goal-(?:at_risk|off_track|overdue)\b", goals))
            assert slipping == value, (role, link)
        seen[role] = (specs, _numbers(page))
    # the manager's two are in no team (the manager is in none): four of six
    assert seen["admin"][1]["overdue"][0] == 4
    assert sum(seen["admin"][0]["goals"]["series"][0]["data"]) == 1
    assert seen["team_member"][1]["overdue"][0] <= seen["admin"][1]["overdue"][0]
