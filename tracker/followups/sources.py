"""Creating follow-ups from any source record, and the ones a source page lists."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from tracker.access import visible_followups_of
from tracker.extensions import db
from tracker.models import FollowUp, FollowUpStatus, Organization, User


def add_followup(source: object, title: str, owner_id: int | None, due_on: date,
                 organization: Organization | None = None, notes: str = "",
                 dedupe_key: str | None = None) -> FollowUp:
    """A new open follow-up linked to ``source`` (any record with a table and an id)."""
    followup = FollowUp(
        title=title.strip(), owner_id=owner_id, due_on=due_on, notes=notes,
        source_type=source.__tablename__, source_id=source.id,
        organization_id=organization.id if organization else None,
        team_id=organization.team_id if organization else None, dedupe_key=dedupe_key)
    db.session.add(followup)
    return followup


def followups_for(user: User, source: object) -> list[FollowUp]:
    """The follow-ups a source record produced, for its page (the user already sees it)."""
    return list(db.session.scalars(
        sa.select(FollowUp).where(FollowUp.source_type == source.__tablename__,
                                  FollowUp.source_id == source.id,
                                  FollowUp.archived_at.is_(None))
        .options(sa.orm.selectinload(FollowUp.owner))
        .order_by(FollowUp.status != FollowUpStatus.OPEN, FollowUp.due_on)))


def open_followups_of_org(user: User, org: Organization) -> sa.Select:
    """Open follow-ups of an organization whose source the user may see."""
    return (visible_followups_of(user).where(
        FollowUp.organization_id == org.id, FollowUp.status == FollowUpStatus.OPEN,
        FollowUp.archived_at.is_(None)))
