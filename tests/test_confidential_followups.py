"""Confidential rounds and complaints keep their follow-ups and escalations to themselves."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.followups import add_followup
from tracker.models import Notification, Team, TeamMembership, utcnow
from tracker.reminders import complaint_escalations


def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def test_a_confidential_rounds_followup_stays_hidden_from_the_team(login_as, users):
    partner = factories.make_org("partner", owner=users["manager"], team=_alpha())
    secret = factories.make_round(partner, "Secret round", author=users["manager"],
                                  confidential=True)
    followup = add_followup(secret, "CONF-FU-TITLE", users["partner_manager"].id,
                            date.today() + timedelta(days=1), organization=partner)
    db.session.commit()
    member = login_as("team_member")
    assert member.get(f"/followups/{followup.id}").status_code == 404
    assert "CONF-FU-TITLE" not in member.get("/followups/team").get_data(as_text=True)
    owner = login_as("partner_manager")
    assert owner.get(f"/followups/{followup.id}").status_code == 200
    assert "CONF-FU-TITLE" in owner.get("/followups/").get_data(as_text=True)
    assert login_as("manager").get(f"/followups/{followup.id}").status_code == 200


def test_escalation_tells_only_people_who_may_read_the_complaint(users):
    alpha = _alpha()
    lead = users["account_manager"]
    db.session.scalar(sa.select(TeamMembership).where(
        TeamMembership.team_id == alpha.id, TeamMembership.user_id == lead.id)).is_lead = True
    db.session.commit()
    client = factories.make_org("client", owner=users["manager"], team=alpha)
    factories.make_complaint(client, "SECRET-TITLE", severity="critical",
                             assignee=users["support_agent"], is_confidential=True,
                             received_at=utcnow() - timedelta(days=5))
    assert complaint_escalations(utcnow()) == 2
    told = db.session.scalars(sa.select(Notification)).all()
    assert told == [], "nobody without the capability may hear of a confidential complaint"
    open_one = factories.make_complaint(client, "OPEN-TITLE", severity="critical",
                                        assignee=users["support_agent"],
                                        received_at=utcnow() - timedelta(days=5))
    assert complaint_escalations(utcnow()) == 2
    told = {n.user_id for n in db.session.scalars(sa.select(Notification))}
    assert told == {users["support_agent"].id, lead.id}
    assert open_one.ack_escalated_at is not None
