"""Writes for organizations and contacts, from plain values (a form, an import, a job or
the CLI turns its input into them). Callers own the transaction: these never commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import (
    Complaint,
    ComplaintStatus,
    Contact,
    FollowUp,
    FollowUpStatus,
    Organization,
    OrgKind,
    OrgStatus,
    PartnerStage,
    Tag,
)
from tracker.records import ensure_current
from tracker.workflow import state_in


@dataclass(frozen=True, kw_only=True)
class OrganizationInput:
    """A partner or client as a form, an import or an API gives it."""

    name: str
    status: str | None = None  # None leaves it as it is (a partner has a stage instead)
    industry: str = ""
    website: str = ""
    owner_id: int | None = None
    team_id: int | None = None
    tags: tuple[str, ...] = ()  # tag names, in order
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class ContactInput:
    """A contact person of an organization."""

    name: str
    title: str = ""
    email: str = ""
    phone: str = ""
    notes: str = ""


def _tags(names: Sequence[str]) -> list[Tag]:
    """Tag rows for ``names`` (trimmed, each once, order kept), created as needed."""
    names = list(dict.fromkeys(" ".join(n.split()) for n in names if n and n.strip()))
    if not names:
        return []
    existing = {t.name: t for t in db.session.scalars(sa.select(Tag).where(Tag.name.in_(names)))}
    tags = []
    for name in names:
        tag = existing.get(name)
        if tag is None:
            tag = Tag(name=name)
            db.session.add(tag)
            existing[name] = tag
        tags.append(tag)
    return tags


def _apply(org: Organization, data: OrganizationInput) -> None:
    # Look the tags up before touching the record, so no query autoflushes a half-applied
    # change as a version of its own: one save, one version, one history entry.
    status = OrgStatus(data.status).value if data.status is not None else None  # or refuse
    new_tags = _tags(data.tags)
    old_tags = [t.name for t in org.tags]
    org.name = data.name.strip()
    if status is not None:
        org.status = status
    org.industry = (data.industry or "").strip()
    org.website = (data.website or "").strip()
    org.owner_id = data.owner_id
    org.team_id = data.team_id
    org.notes = data.notes or ""
    if [t.name for t in new_tags] != old_tags:
        org.tags = new_tags


def create_organization(kind: str, data: OrganizationInput) -> Organization:
    """A new partner (it starts as a prospect) or client."""
    org = Organization(kind=kind)
    if kind == OrgKind.PARTNER:
        org.stage = PartnerStage.PROSPECT.value
    _apply(org, data)
    db.session.add(org)
    return org


def open_records(org: Organization) -> tuple[list[Complaint], list[FollowUp]]:
    """The open complaints and follow-ups that belong to ``org``'s team of today."""
    complaints = list(db.session.scalars(sa.select(Complaint).where(
        Complaint.organization_id == org.id, Complaint.archived_at.is_(None),
        state_in(Complaint.status, ComplaintStatus.is_open)).order_by(Complaint.id)))
    followups = list(db.session.scalars(sa.select(FollowUp).where(
        FollowUp.organization_id == org.id, FollowUp.archived_at.is_(None),
        FollowUp.status == FollowUpStatus.OPEN.value).order_by(FollowUp.id)))
    return complaints, followups


def update_organization(org: Organization, data: OrganizationInput, *,
                        version: int | str | None) -> None:
    """Apply ``data``; ``version`` is the one the caller's view of ``org`` had (StaleRecord
    if older).

    Scope follows the owner of today: moving the organization to another team moves its
    open complaints and follow-ups with it (each change in its record's history), so the
    old team stops reading them and the new one sees them. Closed ones keep the team
    that handled them.
    """
    ensure_current(org, version)
    moving: tuple[list[Complaint], list[FollowUp]] = ([], [])
    if data.team_id != org.team_id:
        moving = open_records(org)  # read before any change: one flush, one version each
    _apply(org, data)
    for record in (*moving[0], *moving[1]):
        record.team_id = org.team_id


def save_contact(org: Organization, data: ContactInput, contact: Contact | None = None, *,
                 version: int | str | None = None) -> Contact:
    """Create a contact of ``org`` (``contact`` None) or update one; updating needs
    ``version``, the one the caller's view of the contact had (StaleRecord if older)."""
    if contact is None:
        contact = Contact(organization=org)
        db.session.add(contact)
    else:
        ensure_current(contact, version)
    contact.name = data.name.strip()
    contact.title = (data.title or "").strip()
    contact.email = (data.email or "").strip()
    contact.phone = (data.phone or "").strip()
    contact.notes = data.notes or ""
    return contact
