"""Writes for organizations and contacts. Views commit; these never do."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import (
    OPEN_COMPLAINT,
    Complaint,
    Contact,
    FollowUp,
    FollowUpStatus,
    Organization,
    OrgKind,
    PartnerStage,
    Tag,
)
from tracker.orgs.forms import ContactForm, OrganizationForm, parse_tags
from tracker.records import ensure_current


def _tags(names: list[str]) -> list[Tag]:
    """Tag rows for ``names``, created as needed."""
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


def _apply(org: Organization, form: OrganizationForm) -> None:
    # Look the tags up before touching the record, so no query autoflushes a half-applied
    # change as a version of its own: one save, one version, one history entry.
    new_tags = _tags(parse_tags(form.tags.data))
    old_tags = [t.name for t in org.tags]
    org.name = form.name.data.strip()
    if "status" in form:
        org.status = form.status.data
    org.industry = (form.industry.data or "").strip()
    org.website = (form.website.data or "").strip()
    org.owner_id = form.owner_id.data
    org.team_id = form.team_id.data
    org.notes = form.notes.data or ""
    if [t.name for t in new_tags] != old_tags:
        org.tags = new_tags


def create_organization(kind: str, form: OrganizationForm) -> Organization:
    """A new partner or client from a validated form."""
    org = Organization(kind=kind)
    if kind == OrgKind.PARTNER:
        org.stage = PartnerStage.PROSPECT.value
    _apply(org, form)
    db.session.add(org)
    return org


def open_records(org: Organization) -> tuple[list[Complaint], list[FollowUp]]:
    """The open complaints and follow-ups that belong to ``org``'s team of today."""
    complaints = list(db.session.scalars(sa.select(Complaint).where(
        Complaint.organization_id == org.id, Complaint.archived_at.is_(None),
        Complaint.status.in_([s.value for s in OPEN_COMPLAINT])).order_by(Complaint.id)))
    followups = list(db.session.scalars(sa.select(FollowUp).where(
        FollowUp.organization_id == org.id, FollowUp.archived_at.is_(None),
        FollowUp.status == FollowUpStatus.OPEN.value).order_by(FollowUp.id)))
    return complaints, followups


def update_organization(org: Organization, form: OrganizationForm) -> None:
    """Apply a validated form; raises StaleRecord if the form is out of date.

    Scope follows the owner of today: moving the organization to another team moves its
    open complaints and follow-ups with it (each change in its record's history), so the
    old team stops reading them and the new one sees them. Closed ones keep the team
    that handled them.
    """
    ensure_current(org, form.version.data)
    moving: tuple[list[Complaint], list[FollowUp]] = ([], [])
    if form.team_id.data != org.team_id:
        moving = open_records(org)  # read before any change: one flush, one version each
    _apply(org, form)
    for record in (*moving[0], *moving[1]):
        record.team_id = org.team_id


def save_contact(org: Organization, form: ContactForm, contact: Contact | None = None) -> Contact:
    """Create or update a contact of ``org`` from a validated form."""
    if contact is None:
        contact = Contact(organization=org)
        db.session.add(contact)
    else:
        ensure_current(contact, form.version.data)
    contact.name = form.name.data.strip()
    contact.title = (form.title.data or "").strip()
    contact.email = (form.email.data or "").strip()
    contact.phone = (form.phone.data or "").strip()
    contact.notes = form.notes.data or ""
    return contact
