"""What every tracked record shares: the stale-form check, archive/restore, its history."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    ComplaintCategory,
    Contact,
    Organization,
    Role,
    Team,
    User,
    utcnow,
)
from tracker.models.base import Tracked
from tracker.text import whole_number

# Foreign keys shown by name in histories and conflict messages.
REFERENCES: dict[str, type] = {
    "owner_id": User, "team_id": Team, "user_id": User, "author_id": User,
    "assignee_id": User, "asked_by_id": Contact, "confirmed_by_id": Contact,
    "organizer_id": User, "facilitator_id": User, "recipient_id": User, "giver_id": User,
    "reporter_id": User, "requester_id": User, "approver_id": User, "commented_by_id": User,
    "organization_id": Organization, "contact_id": Contact, "role_id": Role,
    "category_id": ComplaintCategory,
}

FIELD_LABELS: dict[str, Any] = {
    "name": _l("Name"), "status": _l("Status"), "industry": _l("Industry"),
    "website": _l("Website"), "notes": _l("Notes"), "owner_id": _l("Owner"),
    "team_id": _l("Team"), "tags": _l("Tags"), "archived_at": _l("Archived"),
    "kind": _l("Kind"), "title": _l("Title"), "email": _l("Email"), "phone": _l("Phone"),
    "organization_id": _l("Organization"), "description": _l("Description"),
    "label": _l("Label"), "roles": _l("Roles"), "is_enabled": _l("Active"),
    "must_change_password": _l("Must change password"), "locale": _l("Language"),
    "timezone": _l("Time zone"), "password_hash": _l("Password"), "is_lead": _l("Lead"),
    "area": _l("Area"), "read_level": _l("Read"), "write_level": _l("Write"),
    "session_token": _l("Sessions"), "is_builtin": _l("Built in"),
    "wording": _l("Wording"), "asked_by_id": _l("Asked by"),
    "confirmed_by_id": _l("Confirmed by"), "confirmed_at": _l("Confirmed on"),
    "status_reason": _l("Reason"), "visibility": _l("Visibility"), "occurred_at": _l("When"),
    "body": _l("Notes"), "is_confidential": _l("Confidential"), "author_id": _l("Author"),
    "our_people": _l("Our participants"), "their_people": _l("Their participants"),
    "stage": _l("Stage"), "stage_reason": _l("Why it ended"), "outcome": _l("Overall outcome"),
    "assignee_id": _l("Assignee"), "severity": _l("Severity"), "category": _l("Category"),
    "category_id": _l("Category"), "name_zh": _l("Chinese name"),
    "channel": _l("Channel"), "resolution_summary": _l("Resolution summary"),
    "root_cause": _l("Root cause"), "satisfaction": _l("Client satisfaction"),
    "signed_on": _l("Signing date"), "signatories": _l("Signatories"),
    "end_on": _l("End"), "notice_on": _l("Notice / renewal date"), "start_on": _l("Start"),
    "scope": _l("Scope and content"), "cooperation": _l("How the parties cooperate"),
    "fee_amount": _l("Fees"), "currency": _l("Currency"), "payment_terms": _l("Payment terms"),
    "proposed_by": _l("Proposed by"), "auto_renew": _l("Renews automatically"),
    "subject": _l("Topic"), "our_position": _l("Our position"),
    "their_position": _l("Their position"), "resolution": _l("What was agreed / what is open"),
    "due_on": _l("Due"), "filename": _l("File"), "number": _l("Version"),
    "series": _l("Series"), "starts_at": _l("Starts"), "ends_at": _l("Ends"),
    "place": _l("Place or link"), "organizer_id": _l("Organizer"), "attendees": _l("Attendees"),
    "discussion": _l("Discussion"), "decisions": _l("Decisions"), "position": _l("Order"),
    "held_on": _l("Held on"), "went_well": _l("Went well"), "fell_short": _l("Fell short"),
    "lessons": _l("Lessons"), "facilitator_id": _l("Facilitator"), "metric": _l("Metric"),
    "unit": _l("Unit"), "baseline": _l("Baseline"), "target": _l("Target"),
    "why": _l("Why it matters"), "parent_id": _l("Parent goal"), "starts_on": _l("Start"),
    "value": _l("Value"), "note": _l("Note"), "link": _l("Link"), "message": _l("Message"),
    "recipient_id": _l("Recognised"), "giver_id": _l("From"), "reporter_id": _l("Raised by"),
    "requester_id": _l("Requested by"), "approver_id": _l("Approver"),
    "impact": _l("Impact"), "urgency": _l("Urgency"), "solution": _l("Solution"),
    "amount": _l("Amount"), "granted_amount": _l("Granted"), "approver_note": _l("Approver's note"),
    "done": _l("Done"), "next": _l("Next up"), "blockers": _l("Blockers"),
    "lead_comment": _l("Lead's reply"), "commented_by_id": _l("Replied by"),
    "period_start": _l("Period"), "commented_at": _l("Commented at"),
    "solved_at": _l("Solved at"), "reason": _l("Reason"), "decided_at": _l("Decided at"),
    "fulfilled_at": _l("Fulfilled at"),
    # complaints, their clocks and the records that point at others
    "received_at": _l("Received"), "ack_due_at": _l("Acknowledge by"),
    "resolve_due_at": _l("Resolve by"), "acknowledged_at": _l("Acknowledged"),
    "resolved_at": _l("Resolved"), "closed_at": _l("Closed"), "reopened_at": _l("Reopened"),
    "ack_minutes": _l("Minutes to acknowledge"), "resolve_minutes": _l("Minutes to resolve"),
    "business_hours": _l("Business hours only"), "contact_id": _l("Contact"),
    "conversation_id": _l("Conversation"), "complaint_id": _l("Complaint"),
    "agreement_id": _l("Agreement"), "meeting_id": _l("Meeting"), "goal_id": _l("Goal"),
    "post_id": _l("Post"), "role_id": _l("Role"), "followup_id": _l("Follow-up"),
    "previous_id": _l("Previous occurrence"), "signed_version_id": _l("Signed version"),
    "repeat_every": _l("Every"), "repeat_unit": _l("Repeat"), "completed_at": _l("Completed"),
    "digest_hour": _l("Daily reminder at"), "email_digest": _l("Also email me the daily reminder"),
    "ack_escalated_at": _l("Acknowledgement escalated"),
    "resolve_escalated_at": _l("Resolution escalated"),
    "at": _l("Time"), "proposed_at": _l("Proposed on"), "reopen_count": _l("Times reopened"),
    "joined_at": _l("Joined"), "report_cadence": _l("Reports"), "user_id": _l("Person"),
    "satisfaction_comment": _l("Client's comment"), "external_ref": _l("Complaint number"),
    "rejection_reason": _l("Why it was rejected"),
}

# A child row's link to the record whose history it is filed on: said by the page itself.
PARENT_FIELDS = {
    "conversation_topics": "conversation_id", "grants": "role_id",
    "agreement_versions": "agreement_id", "complaint_events": "complaint_id",
    "complaint_pauses": "complaint_id", "agenda_items": "meeting_id",
    "goal_checkins": "goal_id", "post_comments": "post_id",
    "followup_comments": "followup_id", "role_capabilities": "role_id",
}

# Kept by the system (sort keys, counters): never shown as somebody's change.
INTERNAL_FIELDS = frozenset({
    "due_next_at", "overdue_at", "last_contact_at", "last_contact_all_at",
    "next_followup_on", "next_followup_all_on", "end_sort_on", "dedupe_key",
    # a follow-up's source: its page names it, to those who may see it (never a raw id)
    "source_type", "source_id",
})

ACTION_LABELS: dict[str, Any] = {
    "create": _l("created"), "update": _l("changed"), "archive": _l("archived"),
    "restore": _l("restored"), "delete": _l("removed"),
}


class StaleRecord(Exception):
    """The form was filled in against an older version of the record."""

    def __init__(self, record: Tracked, events: list[AuditEvent]) -> None:
        super().__init__(f"{type(record).__name__} {record.id} changed since the form")
        self.record = record
        self.events = events

    @property
    def shown(self) -> dict[int, list]:
        """What changed since the form, as people read it (``shown_changes``)."""
        return shown_changes(self.events)


def ensure_current(record: Tracked, posted_version: int | str | None) -> None:
    """Refuse a form posted against an older version, naming what changed since."""
    posted = whole_number(posted_version)
    if posted == record.version:
        return
    if posted is None:
        raise StaleRecord(record, [])  # no usable version: treat the form as out of date
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.record_type == record.__tablename__,
               AuditEvent.record_id == record.id,
               AuditEvent.record_version > posted)
        .order_by(AuditEvent.id)
    ).all()
    raise StaleRecord(record, list(events))


def versions_stamp(records: dict[str, Tracked]) -> str:
    """The versions of several records one form edits together, as one hidden value:
    ``{"low": policy, …}`` -> "low:3;…" (a record not stored yet counts as version 0)."""
    return ";".join(f"{key}:{records[key].version or 0}" for key in sorted(records))


def ensure_all_current(records: dict[str, Tracked], stamp: str | None) -> None:
    """Refuse a form spanning several records when any of them changed since ``stamp``
    (``versions_stamp`` of the form's GET): a StaleRecord naming every change since."""
    if stamp == versions_stamp(records):
        return
    posted: dict[str, int | None] = {}
    for part in (stamp or "").split(";"):
        key, _, version = part.partition(":")
        posted[key] = whole_number(version)
    events: list[AuditEvent] = []
    first: Tracked | None = None
    for key in sorted(records):
        record = records[key]
        if (record.version or 0) == posted.get(key):
            continue
        first = first or record
        if record.id is not None and posted.get(key) is not None:
            events += db.session.scalars(sa.select(AuditEvent).where(
                AuditEvent.record_type == record.__tablename__,
                AuditEvent.record_id == record.id,
                AuditEvent.record_version > posted[key]).order_by(AuditEvent.id))
    events.sort(key=lambda e: e.id)
    raise StaleRecord(first or next(iter(records.values())), events)


def archive(record: Tracked) -> None:
    """Delete means archive: the record leaves every list but keeps its history."""
    if record.archived_at is None:
        record.archived_at = utcnow()


def restore(record: Tracked) -> None:
    """Bring an archived record back into the lists."""
    record.archived_at = None


def history(record_type: str, record_ids: list[int] | int, limit: int = 200) -> list[AuditEvent]:
    """Audit events of one record (or of several of one type), newest first."""
    ids = [record_ids] if isinstance(record_ids, int) else list(record_ids)
    if not ids:
        return []
    return list(db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.record_type == record_type, AuditEvent.record_id.in_(ids))
        .options(sa.orm.selectinload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc()).limit(limit)
    ))


@dataclass(frozen=True)
class ShownChange:
    """One field's change, ready for a template."""

    label: str
    old: str
    new: str


def shown_changes(events: list[AuditEvent], hidden: set[str] = frozenset()) -> dict[int, list]:
    """Each event's changes as people read them: field names in their language, codes as
    their labels, times in their zone, ids as names (one query per referenced table);
    fields the system keeps are left out."""
    wanted: dict[type, set[int]] = {}
    for event in events:
        for field, pair in event.changes.items():
            if field in REFERENCES:
                wanted.setdefault(REFERENCES[field], set()).update(
                    v for v in pair if isinstance(v, int))
    names: dict[type, dict[int, str]] = {
        model: {row.id: str(row) for row in db.session.scalars(
            sa.select(model).where(model.id.in_(ids)))}
        for model, ids in wanted.items()
    }
    result: dict[int, list[ShownChange]] = {}
    for event in events:
        table = event.action.split(".", 1)[0] if "." in event.action else event.record_type
        codes = value_labels().get(table, {})
        parent = PARENT_FIELDS.get(table) if table != event.record_type else None
        rows = []
        for field, (old, new) in event.changes.items():
            if field in hidden or field in INTERNAL_FIELDS or field == parent:
                continue
            model = REFERENCES.get(field)
            known = names.get(model, {}) if model else None
            rows.append(ShownChange(str(FIELD_LABELS.get(field, field)),
                                    _display(old, known, codes.get(field), field),
                                    _display(new, known, codes.get(field), field)))
        result[event.id] = rows
    return result


@functools.cache
def value_labels() -> dict[str, dict[str, Any]]:
    """Which stored codes have labels, per table: {"complaints": {"status": ComplaintStatus}}.
    Read on first use: the enums live in modules that themselves use this one."""
    from tracker.models import (
        AgreementStatus,
        Channel,
        ComplaintStatus,
        ConversationKind,
        FollowUpStatus,
        OrgStatus,
        PartnerStage,
        PostKind,
        ProblemStatus,
        Proposer,
        ReportCadence,
        RequestKind,
        RequestStatus,
        RequirementStatus,
        Severity,
        TopicStatus,
        Urgency,
        Visibility,
    )

    return {
        "complaints": {"status": ComplaintStatus, "severity": Severity, "channel": Channel},
        "organizations": {"status": OrgStatus, "stage": PartnerStage},
        "conversations": {"kind": ConversationKind, "visibility": Visibility},
        "conversation_topics": {"status": TopicStatus},
        "agreements": {"status": AgreementStatus},
        "agreement_versions": {"proposed_by": Proposer},
        "requirements": {"status": RequirementStatus},
        "followups": {"status": FollowUpStatus},
        "problems": {"status": ProblemStatus, "urgency": Urgency},
        "resource_requests": {"status": RequestStatus, "kind": RequestKind},
        "posts": {"kind": PostKind},
        "users": {"roles": "roles"},
        "teams": {"report_cadence": ReportCadence},
    }


def _display(value: Any, names: dict[int, str] | None, codes: Any = None,
             field: str = "") -> str:
    if value is None or value == "":
        return "—"
    if names is not None and isinstance(value, int):
        return names.get(value, f"#{value}")
    if codes == "roles" and isinstance(value, list):
        return ", ".join(_role_name(v) for v in value) or "—"
    if codes is not None and isinstance(value, str) and value in getattr(
            codes, "_value2member_map_", {}):
        return codes(value).label
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, str) and _looks_like_time(value):
        return _time_shown(value)
    return str(value)


def _looks_like_time(value: str) -> bool:
    return len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-" and value[:4].isdigit()


def _time_shown(value: str) -> str:
    """An ISO date as a date, an ISO time in the reader's zone (the audit keeps UTC)."""
    from flask_babel import format_date, format_datetime

    try:
        if len(value) == 10:
            return format_date(date.fromisoformat(value), "medium")
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_datetime(moment, "medium")


def _role_name(name: Any) -> str:
    from tracker.access.defaults import DEFAULT_ROLES

    default = DEFAULT_ROLES.get(str(name))
    return str(default[0]) if default else str(name)


def action_label(action: str) -> str:
    """"created", "archived", "member added" … in the user's language."""
    base = action.rsplit(".", 1)[-1]
    return str(ACTION_LABELS.get(base, base))


def via_label(via: dict[str, Any] | None) -> str:
    """How a change came in, in the reader's language: "Imported from x.xlsx, row 12"."""
    from flask_babel import gettext as _

    if not via:
        return ""
    if "undo" in via:
        return _("Put back by undoing the import of %(file)s (row %(row)s)",
                 file=via.get("file", ""), row=via.get("row", ""))
    if "import" in via:
        return _("Imported from %(file)s, row %(row)s", file=via.get("file", ""),
                 row=via.get("row", ""))
    return ""
