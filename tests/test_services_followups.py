"""The follow-up services, called as a job, an import or the CLI would: no request, plain
values in, nothing committed by them."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask import has_request_context

from tracker.extensions import db
from tracker.followups import services
from tracker.models import FollowUp, FollowUpComment, Notification


@pytest.fixture(autouse=True)
def _no_request():
    assert not has_request_context()


def test_create_snooze_reassign_comment_from_plain_values(users, mailbox):
    manager, member, agent = users["manager"], users["team_member"], users["support_agent"]
    followup = services.create(services.NewFollowUp(
        title=" Send the price list ", due_on=date(2026, 12, 10), owner_id=member.id,
        repeat_every=2, repeat_unit="weeks"), manager)
    assert followup in db.session and followup.id is not None  # flushed, not committed
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(FollowUp.id))) == 0  # caller's call
    assert mailbox == []

    followup = services.create(services.NewFollowUp(
        title="Send the price list", due_on=date(2026, 12, 10), owner_id=member.id), manager)
    db.session.commit()
    assert (followup.title, followup.owner_id, followup.source_type) == (
        "Send the price list", member.id, "manual")
    (note,) = db.session.scalars(sa.select(Notification))
    assert note.user_id == member.id and manager.name in note.subject
    assert note.link == f"/followups/{followup.id}"
    assert [m[0] for m in mailbox] == [member.email]

    services.snooze(followup, date(2026, 12, 17), "Waiting for the catalogue", member,
                    version=followup.version)
    db.session.commit()
    owner = services.reassign(followup, agent.id, "You know them", member,
                              version=followup.version)
    services.comment(followup, "Done by Friday", agent)
    db.session.commit()
    assert owner.id == agent.id and followup.due_on == date(2026, 12, 17)
    kinds = [c.kind for c in db.session.scalars(sa.select(FollowUpComment)
                                                .order_by(FollowUpComment.id))]
    assert kinds == ["snooze", "reassign", "comment"]
    assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == agent.id)) == 1


def test_a_stale_version_and_a_wrong_state_are_refused(users):
    from tracker.records import StaleRecord

    member = users["team_member"]
    followup = services.create(services.NewFollowUp(title="Call", due_on=date(2026, 12, 10),
                                                    owner_id=member.id), member)
    db.session.commit()
    with pytest.raises(StaleRecord):
        services.snooze(followup, date(2026, 12, 11), "later", member, version=0)
    services.complete(followup, followup.version)
    db.session.commit()
    with pytest.raises(services.Refused):
        services.reassign(followup, users["manager"].id, "", member, version=followup.version)
