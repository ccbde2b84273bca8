"""Agreement date reminders tell the owner, and reveal nothing of the agreement to people
who may not see it (the follow-up is read by its team too)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import FollowUp, Team
from tracker.reminders import agreement_date_reminders

TODAY = date(2026, 5, 1)


def test_a_reminder_names_no_term_and_belongs_to_the_agreements_team(users, login_as):
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    beta = factories.make_team("Beta")
    owner = factories.make_user("partner_manager", teams=(beta,))
    org = factories.make_org("partner", owner=owner, team=alpha)  # the partner's team: Alpha
    notice = TODAY + timedelta(days=10)
    agreement = factories.make_agreement(org, "机密的独家协议", owner=owner, team=beta,
                                         status="signed")
    agreement.notice_on = notice
    db.session.commit()

    assert agreement_date_reminders(TODAY) == 1
    db.session.commit()
    (followup,) = db.session.scalars(sa.select(FollowUp))
    assert followup.owner_id == owner.id and followup.team_id == beta.id
    assert "机密" not in followup.title and notice.isoformat() not in followup.title

    member = users["team_member"]  # in Alpha, the partner's team
    assert login_as(member).get(
        f"/partners/agreements/{agreement.id}").status_code == 404
    page = login_as(member).get(f"/followups/{followup.id}")
    assert page.status_code == 404 or "机密" not in page.get_data(as_text=True)
    mine = login_as(owner).get(f"/followups/{followup.id}").get_data(as_text=True)
    assert "机密的独家协议" in mine  # the owner is shown which agreement
