"""One spreadsheet row applied through the services, as the person importing.

A row finds its record again by a natural key (an organization by name and kind among
those the importer may see, a contact by e-mail, a complaint by its client and external
number): the same file imported twice changes nothing the second time. Empty cells leave
the record's value as it is. A row that cannot go in raises ``RowRejected`` with a reason
the page shows in the reader's language; the caller rolls that row back alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.access import Action, Area, can
from tracker.clients.complaints import categories
from tracker.clients.complaints.deadlines import set_deadlines
from tracker.clients.complaints.services import NewComplaint, assign, intake
from tracker.extensions import db
from tracker.i18n import zone_of
from tracker.imports import fields as f
from tracker.models import (
    Channel,
    Complaint,
    ComplaintEvent,
    ComplaintStatus,
    Contact,
    EventKind,
    ImportKind,
    Organization,
    OrgKind,
    OrgStatus,
    PartnerStage,
    Severity,
    Team,
    User,
    utcnow,
)
from tracker.orgs.services import (
    ContactInput,
    OrganizationInput,
    create_organization,
    save_contact,
    update_organization,
)
from tracker.text import tag_names

REASONS: dict[str, Any] = {
    "missing": _l("%(field)s is empty."),
    "too_long": _l("%(field)s is longer than %(n)s characters."),
    "unknown_person": _l("No active person is called, or has the e-mail, “%(value)s”."),
    "unknown_team": _l("There is no team called “%(value)s”."),
    "unknown_choice": _l("“%(value)s” is not a %(field)s Tracker knows."),
    "ended_stage": _l("A partnership is ended on its page, with the reason; import another "
                      "stage."),
    "bad_email": _l("“%(value)s” is not an e-mail address."),
    "email_elsewhere": _l("The e-mail %(value)s belongs to a contact of %(org)s."),
    "unknown_client": _l("No client you may see is called “%(value)s”."),
    "unknown_category": _l("There is no complaint category called “%(value)s”."),
    "bad_time": _l("“%(value)s” is not a date (2026-11-03 or 2026-11-03 14:20)."),
    "future_time": _l("%(field)s is in the future."),
    "resolved_before": _l("A complaint cannot be resolved before it was received."),
    "status_not_imported": _l("Only new, resolved or closed complaints are imported; move "
                              "them on from the queue."),
    "may_not_edit": _l("%(name)s exists, and you may not change it."),
    "out_of_reach": _l("You could not see or change it afterwards: give it an owner or "
                       "team of yours."),
    "not_saved": _l("It could not be saved: %(error)s"),
}


RECORD_WORDS: dict[str, Any] = {
    "partner": _l("Partner"), "client": _l("Client"), "contacts": _l("Contact"),
    "complaints": _l("Complaint"),
}
ACTION_WORDS: dict[str, Any] = {
    "create": _l("new"), "restore": _l("restored"), "update": _l("updated"),
}


def what_text(kind: str, changes: list[dict[str, Any]]) -> str:
    """What a row did (or would do), record by record: "Client: new · Contact: updated"."""
    org_word = "partner" if kind == ImportKind.PARTNERS else "client"
    parts = []
    for change in changes:
        record = org_word if change["type"] == "organizations" else change["type"]
        parts.append(_("%(record)s: %(action)s", record=RECORD_WORDS.get(record, record),
                       action=ACTION_WORDS.get(change["action"], change["action"])))
    return " · ".join(parts)


# A field's label by its key (the same key means the same thing in every kind).
FIELD_LABELS: dict[str, Any] = {fd.key: fd.label for kind in ImportKind
                                for fd in f.fields_of(kind)}


class RowRejected(Exception):
    """The row cannot go in: ``code`` names a reason in REASONS, ``values`` fill it."""

    def __init__(self, code: str, **values: Any) -> None:
        super().__init__(code)
        self.code = code
        self.values = values

    @property
    def reason(self) -> dict[str, Any]:
        return {"code": self.code, **self.values}


def reason_text(reason: dict[str, Any] | None) -> str:
    """A stored reason in the reader's language (field keys shown as their labels)."""
    if not reason:
        return ""
    values = dict(reason)
    template = REASONS.get(values.pop("code", ""), REASONS["not_saved"])
    if "field" in values:
        values["field"] = str(FIELD_LABELS.get(values["field"], values["field"]))
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(template)


@dataclass
class RowContext:
    """What every row of one import shares: who imports, the kind, their time zone, and
    the people and teams already looked up."""

    user: User
    kind: str
    zone: ZoneInfo = field(init=False)
    _people: dict[str, int] = field(default_factory=dict)
    _teams: dict[str, int] = field(default_factory=dict)
    # Read once per import (a ledger of thousands of rows asks for each row): the names of
    # the organizations of a kind the importer may see, and every live contact's e-mail.
    _orgs: dict[str, dict[str, int]] = field(default_factory=dict)
    _emails: dict[str, tuple[int, int]] | None = None
    _limits: dict[str, int | None] = field(init=False)

    def __post_init__(self) -> None:
        self.zone = zone_of(self.user)
        self._limits = {fd.key: fd.limit for fd in f.fields_of(self.kind)}

    # -- cells to values -----------------------------------------------------------------
    def text(self, values: dict[str, str], name: str, *, required: bool = False) -> str:
        value = values.get(name, "")
        if required and not value:
            raise RowRejected("missing", field=name)
        limit = self._limits.get(name)
        if limit and len(value) > limit:
            raise RowRejected("too_long", field=name, n=limit)
        return value

    def person(self, text: str) -> int:
        """An active person by e-mail or by name."""
        word = f.key(text)
        if word not in self._people:
            lowered = text.strip().lower()
            found = db.session.scalars(sa.select(User.id).where(
                User.is_enabled, User.archived_at.is_(None),
                sa.or_(sa.func.lower(User.email) == lowered, User.name == text.strip()))
                .order_by(User.id).limit(1)).first()
            if found is None:
                raise RowRejected("unknown_person", value=text)
            self._people[word] = found
        return self._people[word]

    def team(self, text: str) -> int:
        word = f.key(text)
        if word not in self._teams:
            found = db.session.scalars(sa.select(Team.id).where(
                sa.func.lower(Team.name) == text.strip().lower(), Team.archived_at.is_(None))
                .limit(1)).first()
            if found is None:
                raise RowRejected("unknown_team", value=text)
            self._teams[word] = found
        return self._teams[word]

    def choice(self, enum: Any, values: dict[str, str], name: str) -> str | None:
        text = values.get(name, "")
        if not text:
            return None
        code = f.choice(enum, text)
        if code is None:
            raise RowRejected("unknown_choice", value=text, field=name)
        return code

    def moment(self, values: dict[str, str], name: str) -> datetime | None:
        text = values.get(name, "")
        if not text:
            return None
        found = f.moment(text, self.zone)
        if found is None:
            raise RowRejected("bad_time", value=text)
        if found > utcnow():
            raise RowRejected("future_time", field=name)
        return found

    def organization(self, name: str, kind: str) -> Organization | None:
        """The live organization of ``kind`` called ``name`` (any case) that the importer
        may see; a hidden one with the same name is not found (nor revealed)."""
        from tracker.access import visible

        names = self._orgs.get(kind)
        if names is None:
            names = {}
            for org_id, org_name in db.session.execute(
                    visible(self.user, Organization, kind=kind)
                    .with_only_columns(Organization.id, Organization.name)
                    .order_by(Organization.id)):
                names.setdefault(org_name.strip().lower(), org_id)
            self._orgs[kind] = names
        found = names.get(name.strip().lower())
        return db.session.get(Organization, found) if found is not None else None

    def contact_by_email(self, email: str) -> tuple[int, int] | None:
        """The live contact with this e-mail (any case): its id and its organization's."""
        if self._emails is None:
            self._emails = {}
            for contact_id, org_id, address in db.session.execute(sa.select(
                    Contact.id, Contact.organization_id, Contact.email).where(
                    Contact.archived_at.is_(None), Contact.email != "")
                    .order_by(Contact.id.desc())):
                self._emails[address.strip().lower()] = (contact_id, org_id)
        return self._emails.get(email)

    def remember(self, changes: list[dict[str, Any]]) -> None:
        """After a row went in: what it created is found by the rows after it."""
        for change in changes:
            if change["type"] == "organizations" and change["action"] == "create":
                org = db.session.get(Organization, change["id"])
                if org is not None and org.kind in self._orgs:
                    self._orgs[org.kind].setdefault(org.name.strip().lower(), org.id)
            elif change["type"] == "contacts" and self._emails is not None:
                contact = db.session.get(Contact, change["id"])
                if contact is not None and contact.email:
                    self._emails[contact.email.strip().lower()] = (
                        contact.id, contact.organization_id)


def _change(record: Any, action: str, before: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a row did to one record: enough to put it back, and to tell on undo whether
    somebody changed it since (its state then differs from ``after``)."""
    return {"type": record.__tablename__, "id": record.id, "action": action,
            "before": before, "after": state_of(record)}


def state_of(record: Any) -> dict[str, Any]:
    """The values an undo compares: what the import set, and for a complaint its status
    and timeline too (a complaint worked since its import is somebody's work)."""
    if isinstance(record, Organization):
        return org_snapshot(record)
    if isinstance(record, Contact):
        return contact_snapshot(record)
    return {**complaint_snapshot(record), "status": record.status,
            "severity": record.severity, "events": len(record.events),
            "archived": record.archived_at is not None}


# -- organizations and their contacts ----------------------------------------------------
def org_snapshot(org: Organization) -> dict[str, Any]:
    """What an import may change on an organization, to put back on undo."""
    return {"name": org.name, "status": org.status, "stage": org.stage,
            "industry": org.industry, "website": org.website, "owner_id": org.owner_id,
            "team_id": org.team_id, "notes": org.notes, "tags": [t.name for t in org.tags]}


def put_back_org(org: Organization, before: dict[str, Any]) -> None:
    update_organization(org, OrganizationInput(
        name=before["name"], status=before["status"], industry=before["industry"],
        website=before["website"], owner_id=before["owner_id"], team_id=before["team_id"],
        tags=tuple(before["tags"]), notes=before["notes"]), version=org.version)
    org.stage = before["stage"]


def contact_snapshot(contact: Contact) -> dict[str, Any]:
    return {"name": contact.name, "title": contact.title, "email": contact.email,
            "phone": contact.phone, "notes": contact.notes}


def put_back_contact(contact: Contact, before: dict[str, Any]) -> None:
    save_contact(contact.organization, ContactInput(**before), contact, version=contact.version)


def apply_organization_row(ctx: RowContext, values: dict[str, str]) -> list[dict[str, Any]]:
    """A partner or client (by name), and the contact on its row (by e-mail or name)."""
    kind = OrgKind.PARTNER.value if ctx.kind == ImportKind.PARTNERS else OrgKind.CLIENT.value
    name = ctx.text(values, "name", required=True)
    status = ctx.choice(OrgStatus, values, "status") if kind == OrgKind.CLIENT else None
    stage = ctx.choice(PartnerStage, values, "stage") if kind == OrgKind.PARTNER else None
    if stage and PartnerStage(stage).is_ended:
        raise RowRejected("ended_stage")
    owner_id = ctx.person(values["owner"]) if values.get("owner") else None
    team_id = ctx.team(values["team"]) if values.get("team") else None
    given_tags = tuple(tag_names(values.get("tags")))
    industry = ctx.text(values, "industry")
    website = ctx.text(values, "website")
    contact = _contact_values(ctx, values)

    changes: list[dict[str, Any]] = []
    org = ctx.organization(name, kind)
    if org is None:
        teams = sorted(ctx.user.team_ids)
        org = create_organization(kind, OrganizationInput(
            name=name, status=status or OrgStatus.ACTIVE.value, industry=industry,
            website=website, owner_id=owner_id or ctx.user.id,
            team_id=team_id or (teams[0] if teams else None), tags=given_tags,
            notes=values.get("notes", "")))
        if stage:
            org.stage = stage
        db.session.flush()
        if not can(ctx.user, Action.EDIT, org):
            raise RowRejected("out_of_reach")
        changes.append(_change(org, "create"))
    else:
        if not can(ctx.user, Action.EDIT, org):
            raise RowRejected("may_not_edit", name=org.name)
        before, version = org_snapshot(org), org.version
        update_organization(org, OrganizationInput(
            name=org.name, status=status, industry=industry or org.industry,
            website=website or org.website, owner_id=owner_id or org.owner_id,
            team_id=team_id or org.team_id, tags=given_tags or tuple(before["tags"]),
            notes=values.get("notes") or org.notes), version=version)
        if stage and stage != org.stage:
            org.stage = stage
        db.session.flush()
        if org.version != version:
            if not can(ctx.user, Action.EDIT, org):
                raise RowRejected("out_of_reach")
            changes.append(_change(org, "update", before))
    if contact is not None:
        changes += _apply_contact(ctx, org, contact)
    return changes


def _contact_values(ctx: RowContext, values: dict[str, str]) -> dict[str, str] | None:
    given = {name: ctx.text(values, f"contact_{name}")
             for name in ("name", "title", "email", "phone")}
    if not any(given.values()):
        return None
    given["email"] = given["email"].lower()
    if given["email"] and not f.EMAIL.match(given["email"]):
        raise RowRejected("bad_email", value=given["email"])
    return given


def _apply_contact(ctx: RowContext, org: Organization, given: dict[str, str]
                   ) -> list[dict[str, Any]]:
    contact = None
    if given["email"]:
        same = ctx.contact_by_email(given["email"])
        if same is not None and same[1] != org.id:
            owner = db.session.get(Organization, same[1])
            shown = owner.name if owner is not None and can(ctx.user, Action.READ, owner) \
                else "—"
            raise RowRejected("email_elsewhere", value=given["email"], org=shown)
        contact = db.session.get(Contact, same[0]) if same is not None else None
    elif given["name"]:
        contact = db.session.scalars(sa.select(Contact).where(
            Contact.organization_id == org.id, Contact.name == given["name"],
            Contact.archived_at.is_(None)).order_by(Contact.id)).first()
    if contact is None:
        if not given["name"]:
            raise RowRejected("missing", field="contact_name")
        contact = save_contact(org, ContactInput(**given))
        db.session.flush()
        return [_change(contact, "create")]
    before, version = contact_snapshot(contact), contact.version
    save_contact(org, ContactInput(
        name=given["name"] or contact.name, title=given["title"] or contact.title,
        email=given["email"] or contact.email, phone=given["phone"] or contact.phone,
        notes=contact.notes), contact, version=version)
    db.session.flush()
    return [_change(contact, "update", before)] if contact.version != version else []


# -- complaints --------------------------------------------------------------------------
IMPORTED_STATES = (ComplaintStatus.NEW, ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED)


def complaint_snapshot(complaint: Complaint) -> dict[str, Any]:
    return {"title": complaint.title, "description": complaint.description,
            "category_id": complaint.category_id, "contact_id": complaint.contact_id,
            "assignee_id": complaint.assignee_id}


def put_back_complaint(complaint: Complaint, before: dict[str, Any], actor: User) -> None:
    complaint.title = before["title"]
    complaint.description = before["description"]
    complaint.category_id = before["category_id"]
    complaint.contact_id = before["contact_id"]
    if complaint.assignee_id != before["assignee_id"]:
        assign(complaint, db.session.get(User, before["assignee_id"])
               if before["assignee_id"] else None, actor)


def apply_complaint_row(ctx: RowContext, values: dict[str, str]) -> list[dict[str, Any]]:
    """A complaint of a client the importer may see, found again by its number."""
    number = ctx.text(values, "number", required=True)
    client_name = ctx.text(values, "client", required=True)
    org = ctx.organization(client_name, OrgKind.CLIENT.value)
    if org is None:
        raise RowRejected("unknown_client", value=client_name)
    description = ctx.text(values, "description")
    title = ctx.text(values, "title") or " ".join(description.split())[:80]
    if not title:
        raise RowRejected("missing", field="title")
    category_id = None
    if values.get("category"):
        category = categories.find(values["category"])
        if category is None or category.archived_at is not None:
            raise RowRejected("unknown_category", value=values["category"])
        category_id = category.id
    severity = ctx.choice(Severity, values, "severity")
    channel = ctx.choice(Channel, values, "channel")
    status = ctx.choice(ComplaintStatus, values, "status")
    if status and ComplaintStatus(status) not in IMPORTED_STATES:
        raise RowRejected("status_not_imported")
    received = ctx.moment(values, "received")
    resolved = ctx.moment(values, "resolved")
    assignee_id = ctx.person(values["assignee"]) if values.get("assignee") else None
    contact_id = _contact_of(org, values.get("contact", ""))

    existing = db.session.scalars(sa.select(Complaint).where(
        Complaint.organization_id == org.id, Complaint.external_ref == number)).first()
    if existing is not None:
        return _update_complaint(ctx, existing, title=title, description=description,
                                 category_id=category_id, contact_id=contact_id,
                                 assignee_id=assignee_id)
    if not can(ctx.user, Action.CREATE, Area.COMPLAINTS):
        raise RowRejected("out_of_reach")
    complaint = intake(org, NewComplaint(
        title=title, channel=channel or Channel.PHONE.value,
        severity=severity or Severity.MEDIUM.value, description=description,
        category_id=category_id, contact_id=contact_id, assignee_id=assignee_id,
        received_at=received), ctx.user)
    complaint.external_ref = number
    if status and ComplaintStatus(status) != ComplaintStatus.NEW:
        _imported_as_ended(complaint, ComplaintStatus(status), resolved,
                           values.get("resolution", ""), ctx.user)
    db.session.flush()
    if not can(ctx.user, Action.EDIT, complaint):
        raise RowRejected("out_of_reach")
    return [_change(complaint, "create")]


def _contact_of(org: Organization, text: str) -> int | None:
    """The client's contact a cell names (by e-mail or name); an unknown one is left out
    rather than invented."""
    if not text:
        return None
    return db.session.scalars(sa.select(Contact.id).where(
        Contact.organization_id == org.id, Contact.archived_at.is_(None),
        sa.or_(sa.func.lower(Contact.email) == text.strip().lower(),
               Contact.name == text.strip())).order_by(Contact.id).limit(1)).first()


def _imported_as_ended(complaint: Complaint, status: ComplaintStatus, resolved: Any,
                       summary: str, actor: User) -> None:
    """A complaint handled before Tracker: resolved (or closed) when the ledger says."""
    when = resolved or complaint.received_at
    if when < complaint.received_at:
        raise RowRejected("resolved_before")
    complaint.acknowledged_at = complaint.resolved_at = when
    if status == ComplaintStatus.CLOSED:
        complaint.closed_at = when
    complaint.resolution_summary = summary.strip()
    complaint.status = status.value
    set_deadlines(complaint)
    complaint.events.append(ComplaintEvent(
        kind=EventKind.STATUS.value, actor_id=actor.id, from_status=ComplaintStatus.NEW.value,
        to_status=status.value, at=when, body=summary.strip()))


def _update_complaint(ctx: RowContext, complaint: Complaint, *, title: str, description: str,
                      category_id: int | None, contact_id: int | None,
                      assignee_id: int | None) -> list[dict[str, Any]]:
    """An imported complaint again: its words, category, contact and assignee follow the
    file; its status, severity and clocks are worked in the queue, not by a file."""
    if not can(ctx.user, Action.EDIT, complaint):
        raise RowRejected("may_not_edit", name=complaint.external_ref)
    before, version = complaint_snapshot(complaint), complaint.version
    restored = complaint.archived_at is not None  # an undone import, imported again
    complaint.archived_at = None
    complaint.title = title
    complaint.description = description or complaint.description
    complaint.category_id = category_id or complaint.category_id
    complaint.contact_id = contact_id or complaint.contact_id
    if assignee_id and assignee_id != complaint.assignee_id:
        assign(complaint, db.session.get(User, assignee_id), ctx.user)
    db.session.flush()
    if complaint.version == version:
        return []
    return [_change(complaint, "restore" if restored else "update", before)]
