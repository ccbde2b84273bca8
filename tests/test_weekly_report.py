"""The weekly report (周报): made from the week's records, per team and for the department,
as the reader may see them; printable, as a workbook, and sent to leads once a week in
their language."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import openpyxl
import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import Notification, Team, utcnow


def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _week(users) -> tuple[str, Team, Team]:
    """Last week's records: Alpha's and Beta's complaints, rounds and follow-ups."""
    from tracker.clients.complaints import services
    from tracker.dashboards.weekly import week_of
    from tracker.followups import add_followup

    alpha, beta = _alpha(), factories.make_team("Beta")
    monday = week_of(utcnow().astimezone().date()) - timedelta(days=7)
    wednesday = datetime.combine(monday + timedelta(days=2), datetime.min.time(),
                                 tzinfo=UTC) + timedelta(hours=4)
    a_client = factories.make_org("client", "Alpha Mart", team=alpha)
    b_client = factories.make_org("client", "Beta Foods", team=beta)
    partner = factories.make_org("partner", "Alpha Partner", team=alpha)
    round_ = factories.make_round(partner, "Price talk")
    round_.occurred_at = wednesday
    for org, n in ((a_client, 2), (b_client, 1)):
        for i in range(n):
            c = factories.make_complaint(org, f"{org.name} {i}", received_at=wednesday)
            if i == 0:
                services.move(c, "acknowledged", users["support_agent"],
                              now=wednesday + timedelta(minutes=5))
                services.move(c, "resolved", users["support_agent"], summary="Done.",
                              now=wednesday + timedelta(hours=1))
    late = add_followup(round_, "Send the price list", users["team_member"].id,
                        monday + timedelta(days=1), organization=partner)
    done = add_followup(round_, "Call back", users["support_agent"].id,
                        monday + timedelta(days=2), organization=partner)
    done.status, done.completed_at = "done", wednesday
    late.created_at = done.created_at = wednesday - timedelta(days=2)
    db.session.commit()
    assert late.id
    return monday.isoformat(), alpha, beta


def _numbers(page: str) -> dict[str, str]:
    return dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td class="num">([^<]+)</td>',
                           page))


def test_team_and_department_reports_count_the_week(login_as, users):
    monday, alpha, beta = _week(users)
    manager = login_as("manager")
    department = _numbers(manager.get(f"/teams/weekly?week={monday}").get_data(as_text=True))
    assert department["Complaints received"] == "3" and department["Complaints resolved"] == "2"
    assert department["Negotiation rounds held"] == "1"
    assert department["Resolution deadlines kept"] == "100%"
    team = manager.get(f"/teams/weekly?week={monday}&team={alpha.id}").get_data(as_text=True)
    numbers = _numbers(team)
    assert numbers["Complaints received"] == "2" and numbers["Complaints resolved"] == "1"
    people = re.search(r'data-testid="weekly-people">.*?</table>', team, re.S).group(0)
    assert "Team Member" in people or users["team_member"].name in people
    # another week holds none of it
    earlier = _numbers(manager.get("/teams/weekly?week=2020-01-06").get_data(as_text=True))
    assert earlier["Complaints received"] == "0"
    # the account manager sees Alpha's clients only: Beta's complaint is not counted
    scoped = _numbers(login_as("account_manager").get(f"/teams/weekly?week={monday}")
                      .get_data(as_text=True))
    assert scoped["Complaints received"] == "2"
    # a team that is not the reader's answers 404
    assert login_as("team_member").get(f"/teams/weekly?team={beta.id}").status_code == 404


def test_the_report_as_a_workbook(login_as, users):
    monday, _alpha_team, _beta = _week(users)
    response = login_as("manager").get(f"/teams/weekly?week={monday}&format=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Section", "Measure", "Value"]
    assert ["Complaints", "Complaints received", 3] in rows


def test_leads_get_last_weeks_report_once_in_their_language(login_as, users, app):
    from tracker.weekly_mail import queue_weekly_reports

    monday, alpha, _beta = _week(users)
    lead = users["account_manager"]
    for membership in alpha.memberships:
        membership.is_lead = membership.user_id == lead.id
    lead.locale = "zh"
    now = utcnow()
    local = now.astimezone(__import__("zoneinfo").ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"]))
    alpha.weekly_report_day = local.weekday()
    db.session.commit()
    assert queue_weekly_reports(now) == 1
    assert queue_weekly_reports(now) == 0  # once per lead, team and week
    note = db.session.scalar(sa.select(Notification).where(Notification.user_id == lead.id,
                                                           Notification.kind == "weekly"))
    assert note is not None and "周报" in note.subject and alpha.name in note.subject
    assert "投诉" in note.body
    assert f"week={monday}" in note.link
    alpha.weekly_report_day = (local.weekday() + 1) % 7
    db.session.commit()
    assert queue_weekly_reports(now + timedelta(days=7)) == 0  # not its day
