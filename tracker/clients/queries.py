"""Reads of the clients blueprint, every one starting from the access layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from tracker.access import Action, Area, can, permissions_of, visible
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Complaint,
    ComplaintStatus,
    Contact,
    Conversation,
    Organization,
    OrgKind,
    Requirement,
    RequirementStatus,
    User,
)
from tracker.orgs.facts import (
    conversation_clause,
    last_contact_col,
    load_with_facts,
    next_followup_col,
)
from tracker.orgs.timeline import (
    Branch,
    Timeline,
    add_people,
    contact_branch,
    followup_branch,
    org_param,
    read_timeline,
)
from tracker.records import history
from tracker.text import escape_like
from tracker.workflow import state_in

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


def _count_col(stmt: sa.Select) -> sa.ScalarSelect:
    return (stmt.with_only_columns(sa.func.count()).order_by(None)
            .correlate(Organization).scalar_subquery())


def client_header(user: User, org_id: int) -> tuple[Organization, dict[str, Any]] | None:
    """The client and its header facts, counting only what the user may see, in one
    statement. ``open_complaints`` is None for a user without the complaints area."""
    complaints = can(user, Action.READ, Area.COMPLAINTS)

    def cols() -> dict[str, Any]:
        made: dict[str, Any] = {
            "last_contact": last_contact_col(user), "next_followup": next_followup_col(user),
            "open_requirements": _count_col(sa.select(Requirement).where(
                Requirement.organization_id == Organization.id,
                Requirement.archived_at.is_(None),
                state_in(Requirement.status, RequirementStatus.is_open)))}
        if complaints:  # the reader's access decides: part of the kept statement's key
            made["open_complaints"] = _count_col(visible(user, Complaint).where(
                Complaint.organization_id == Organization.id,
                state_in(Complaint.status, ComplaintStatus.is_open)))
        return made

    found = load_with_facts(user, OrgKind.CLIENT.value, org_id, cols)
    if found is not None and not complaints:
        found[1]["open_complaints"] = None
    return found


def _person(model: Any, fk: Any) -> sa.ScalarSelect:
    return sa.select(model.name).where(model.id == fk).correlate(Requirement).scalar_subquery()


def timeline(user: User, org: Organization, kind: str = "", older: str | None = None,
             per_page: int = 30) -> Timeline:
    """Notes, requirements and their confirmations, complaints, follow-ups and contacts,
    newest first: two statements whatever the number of entries."""
    result = read_timeline(lambda: _branches(user, org, kind), older, per_page,
                           ("client-timeline", permissions_of(user).key(user), kind), org)
    add_people(result.entries, ("note",))
    return result


def _branches(user: User, org: Organization, kind: str) -> list[Branch]:
    branches: list[Branch] = []
    if kind in ("", "note"):
        notes = sa.select(Conversation).where(Conversation.organization_id
                                              == org_param(org, Conversation.id),
                                              conversation_clause(user))
        branches.append(Branch("note", Conversation.occurred_at, Conversation.id, notes, {
            "title": Conversation.title, "label": Conversation.kind,
            "flag": Conversation.is_confidential, "extra": Conversation.visibility,
            "body": sa.func.substr(Conversation.body, 1, 210)}))
    if kind in ("", "requirement"):
        reqs = sa.select(Requirement).where(Requirement.organization_id
                                            == org_param(org, Requirement.id),
                                            Requirement.archived_at.is_(None))
        branches.append(Branch("requirement", Requirement.created_at, Requirement.id, reqs, {
            "title": Requirement.title, "label": Requirement.status,
            "extra": _person(Contact, Requirement.asked_by_id)}))
        branches.append(Branch(
            "confirmed", Requirement.confirmed_at, Requirement.id,
            reqs.where(Requirement.confirmed_at.is_not(None)), {
                "title": Requirement.title,
                "extra": _person(Contact, Requirement.confirmed_by_id)}))
    if kind in ("", "complaint") and can(user, Action.READ, Area.COMPLAINTS):
        complaints = visible(user, Complaint).where(
            Complaint.organization_id == org_param(org, Complaint.id))
        branches.append(Branch("complaint", Complaint.received_at, Complaint.id, complaints, {
            "title": Complaint.title, "label": Complaint.status,
            "extra": Complaint.severity}))
    if kind in ("", "followup"):
        branches.append(followup_branch(user, org))
    if kind in ("", "contact"):
        branches.append(contact_branch(org))
    return branches


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
