"""Reads for one complaint's page: a fixed number of statements however long its story.

The complaint comes with its client, contact, assignee and pauses (joined); its events
with their people in one more read; files and follow-ups one read each, their people
joined. Nothing is loaded per event; the people the forms offer are kept per worker.
Every statement is built once (``tracker.statements``).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload, selectinload

from tracker import sla
from tracker.access import permissions_of, visible
from tracker.clients.complaints.deadline_rules import calendar_of, first_calendar_id
from tracker.extensions import db
from tracker.models import (
    Attachment,
    BusinessCalendar,
    Complaint,
    ComplaintEvent,
    FollowUp,
    FollowUpStatus,
    User,
)
from tracker.statements import kept, param


def complaint_for_page(user: User, complaint_id: int) -> tuple[Complaint, sla.Calendar | None]:
    """The complaint if the user may read it (archived ones too), 404 otherwise, and the
    working week its clocks count in (joined into the same read: one row, no statement)."""
    stmt = kept(("complaint-page", permissions_of(user).key(user)), lambda: (
        visible(user, Complaint, include_archived=True)
        .where(Complaint.id == param("complaint_id", complaint_id, Complaint.id))
        .add_columns(BusinessCalendar)
        .outerjoin(BusinessCalendar, BusinessCalendar.id == first_calendar_id())
        .options(joinedload(Complaint.organization), joinedload(Complaint.contact),
                 joinedload(Complaint.assignee), joinedload(Complaint.pauses),
                 selectinload(Complaint.events).options(
                     joinedload(ComplaintEvent.actor), joinedload(ComplaintEvent.assignee)))))
    row = db.session.execute(stmt, {"complaint_id": complaint_id}).unique().first()
    if row is None:
        abort(404)
    complaint, calendar = row
    return complaint, calendar_of(calendar) if calendar is not None else None


def files_of(complaint: Complaint) -> list[Attachment]:
    """The complaint's current attachments, newest first, with who uploaded them."""
    stmt = kept(("complaint-files",), lambda: (
        sa.select(Attachment).where(Attachment.record_type == Complaint.__tablename__,
                                    Attachment.record_id == sa.bindparam("complaint_id"),
                                    Attachment.archived_at.is_(None))
        .options(joinedload(Attachment.uploaded_by)).order_by(Attachment.id.desc())))
    return list(db.session.scalars(stmt, {"complaint_id": complaint.id}))


def followups_of(complaint: Complaint) -> list[FollowUp]:
    """The follow-ups the complaint produced (its reader sees them), with their owners."""
    stmt = kept(("complaint-followups",), lambda: (
        sa.select(FollowUp).where(FollowUp.source_type == Complaint.__tablename__,
                                  FollowUp.source_id == sa.bindparam("complaint_id"),
                                  FollowUp.archived_at.is_(None))
        .options(joinedload(FollowUp.owner))
        .order_by(FollowUp.status != FollowUpStatus.OPEN, FollowUp.due_on)))
    return list(db.session.scalars(stmt, {"complaint_id": complaint.id}))

