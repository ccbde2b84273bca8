"""A complaint produces follow-ups; a team's reporting cadence is set on the team form."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import FollowUp, Team


def test_a_complaint_produces_a_linked_followup(login_as, users):
    client = factories.make_org("client", owner=users["manager"])
    complaint = factories.make_complaint(client, "Late delivery", assignee=users["support_agent"])
    agent = login_as("support_agent")
    due = date.today() + timedelta(days=2)
    response = agent.post(f"/clients/complaints/{complaint.id}/followup", data={
        "title": "Call the client back", "owner_id": users["support_agent"].id,
        "due_on": due.isoformat()})
    assert response.status_code == 302
    followup = db.session.scalar(sa.select(FollowUp).where(FollowUp.source_type == "complaints"))
    assert followup.source_id == complaint.id and followup.due_on == due
    assert followup.organization_id == client.id
    page = agent.get(f"/clients/complaints/{complaint.id}").get_data(as_text=True)
    assert "Call the client back" in page
    assert "Call the client back" in agent.get("/followups/").get_data(as_text=True)


def test_a_followup_without_a_due_date_is_refused(login_as, users):
    client = factories.make_org("client", owner=users["manager"])
    complaint = factories.make_complaint(client, assignee=users["support_agent"])
    response = login_as("support_agent").post(
        f"/clients/complaints/{complaint.id}/followup",
        data={"title": "x", "owner_id": users["support_agent"].id}, follow_redirects=True)
    assert "Due" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(FollowUp.id))) == 0


def test_the_team_form_sets_the_reporting_cadence(login_as, users):
    team = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    response = login_as("manager").post(f"/teams/{team.id}/edit", data={
        "version": team.version, "name": team.name, "description": "",
        "members": [m.user_id for m in team.memberships], "report_cadence": "daily"})
    assert response.status_code == 302
    db.session.refresh(team)
    assert team.report_cadence == "daily"
