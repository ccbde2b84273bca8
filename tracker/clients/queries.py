"""Reads of the clients blueprint, every one starting from the access layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from tracker.access import Action, Area, can, visible
from tracker.clients.services import OPEN_REQUIREMENTS
from tracker.extensions import db
from tracker.followups import open_followups_of_org
from tracker.models import (
    OPEN_COMPLAINT,
    AuditEvent,
    Complaint,
    Conversation,
    FollowUp,
    Organization,
    Requirement,
    User,
)
from tracker.partners import queries as partner_queries
from tracker.partners.queries import TimelineItem
from tracker.records import history
from tracker.text import escape_like

TIMELINE_KINDS = {
    "note": _l("Progress notes"),
    "requirement": _l("Requirements"),
    "complaint": _l("Complaints"),
    "followup": _l("Follow-ups"),
    "contact": _l("Contacts"),
}


def timeline_kinds(user: User) -> dict[str, object]:
    """The filter chips the user gets (complaints only with the complaints area)."""
    return {k: v for k, v in TIMELINE_KINDS.items()
            if k != "complaint" or can(user, Action.READ, Area.COMPLAINTS)}


@dataclass(frozen=True)
class ClientFacts:
    """The header of a client page, counting only what the user may see."""

    last_contact: datetime | None
    next_followup: date | None
    open_complaints: int | None  # None: the user has no access to complaints
    open_requirements: int


def _count(stmt: sa.Select) -> int:
    return db.session.scalar(stmt.with_only_columns(sa.func.count()).order_by(None)) or 0


def client_facts(user: User, org: Organization) -> ClientFacts:
    last = db.session.scalar(visible(user, Conversation).where(
        Conversation.organization_id == org.id).with_only_columns(
        sa.func.max(Conversation.occurred_at)))
    nxt = db.session.scalar(open_followups_of_org(user, org).with_only_columns(
        sa.func.min(FollowUp.due_on)))
    complaints = None
    if can(user, Action.READ, Area.COMPLAINTS):
        complaints = _count(visible(user, Complaint).where(
            Complaint.organization_id == org.id, Complaint.status.in_(OPEN_COMPLAINT)))
    requirements = _count(visible(user, Requirement).where(
        Requirement.organization_id == org.id, Requirement.status.in_(OPEN_REQUIREMENTS)))
    return ClientFacts(last, nxt, complaints, requirements)


def timeline(user: User, org: Organization, kind: str = "", limit: int = 100
             ) -> list[TimelineItem]:
    """Notes, requirements and their confirmations, complaints, follow-ups and contacts,
    newest first."""
    items: list[TimelineItem] = []
    if kind in ("", "note"):
        notes = db.session.scalars(visible(user, Conversation).where(
            Conversation.organization_id == org.id)
            .options(selectinload(Conversation.our_people),
                     selectinload(Conversation.their_people))
            .order_by(Conversation.occurred_at.desc()).limit(limit))
        items += [TimelineItem("note", n.occurred_at, n) for n in notes]
    if kind in ("", "requirement"):
        requirements = list(db.session.scalars(visible(user, Requirement).where(
            Requirement.organization_id == org.id)
            .options(selectinload(Requirement.asked_by), selectinload(Requirement.confirmed_by))
            .order_by(Requirement.created_at.desc()).limit(limit)))
        items += [TimelineItem("requirement", r.created_at, r) for r in requirements]
        items += [TimelineItem("confirmed", r.confirmed_at, r) for r in requirements
                  if r.confirmed_at is not None]
    if kind in ("", "complaint") and can(user, Action.READ, Area.COMPLAINTS):
        complaints = db.session.scalars(visible(user, Complaint).where(
            Complaint.organization_id == org.id)
            .order_by(Complaint.received_at.desc()).limit(limit))
        items += [TimelineItem("complaint", c.received_at, c) for c in complaints]
    # Follow-ups and contacts are the same for any organization: the partner timeline's.
    for shared in ("followup", "contact"):
        if kind in ("", shared):
            items += partner_queries.timeline(user, org, shared, limit)
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:limit]


@dataclass(frozen=True)
class EarlierWording:
    """A wording a requirement had before someone changed it."""

    until: datetime
    changed_by: User | None
    wording: str


def earlier_wordings(requirement: Requirement) -> list[EarlierWording]:
    """Every earlier wording, newest first, from the audit trail."""
    events: list[AuditEvent] = history("requirements", requirement.id)
    return [EarlierWording(e.at, e.actor, e.changes["wording"][0]) for e in events
            if e.action == "update" and "wording" in e.changes and e.changes["wording"][0]]


def notes_mentioning(user: User, requirement: Requirement, limit: int = 20
                     ) -> list[Conversation]:
    """The client's notes the user may see that name the requirement by its title."""
    needle = f"%{escape_like(requirement.title.strip())}%"
    return list(db.session.scalars(visible(user, Conversation).where(
        Conversation.organization_id == requirement.organization_id,
        sa.or_(Conversation.title.ilike(needle, escape="\\"),
               Conversation.body.ilike(needle, escape="\\")))
        .order_by(Conversation.occurred_at.desc()).limit(limit)))
