"""A record's history as people read it: every field by its label, every code by its
label, times in the reader's zone, dates as dates, yes/no, and each referenced record by
its name, to a reader who may read it.

The registries here are complete by test (tests/test_history_i18n.py walks every audited
column): a new column without a label, a code column without its labels, or a foreign key
without its model fails there, not on a page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from tracker.extensions import db
from tracker.models import (
    AgreementVersion,
    AuditEvent,
    ComplaintCategory,
    Contact,
    FollowUp,
    Goal,
    Organization,
    Role,
    Team,
    User,
)

# Foreign keys shown by name in histories and conflict messages.
REFERENCES: dict[str, type] = {
    "owner_id": User, "team_id": Team, "user_id": User, "author_id": User,
    "assignee_id": User, "asked_by_id": Contact, "confirmed_by_id": Contact,
    "organizer_id": User, "facilitator_id": User, "recipient_id": User, "giver_id": User,
    "reporter_id": User, "requester_id": User, "approver_id": User, "commented_by_id": User,
    "organization_id": Organization, "contact_id": Contact, "role_id": Role,
    "category_id": ComplaintCategory, "uploaded_by_id": User,
}

# The same name pointing elsewhere in one table: "table.field" first, then "field".
TABLE_REFERENCES: dict[str, type] = {
    "goals.parent_id": Goal, "followups.previous_id": FollowUp,
    "agreements.signed_version_id": AgreementVersion,
}

# Records anyone may be shown the name of (people, teams, roles, categories); any other
# referenced record is named only to a reader who may read it.
DIRECTORY: tuple[type, ...] = (User, Team, Role, ComplaintCategory)

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
    "ack_minutes": _l("Time to acknowledge"), "resolve_minutes": _l("Time to resolve"),
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
    "rejection_reason": _l("Why it was rejected"), "caller": _l("Caller"),
    "calendar_token": _l("Calendar feed link"), "weekly_report_day": _l("Weekly report day"),
    "users": _l("Users"),
    # attachments and the business calendar (their own trails)
    "record_type": _l("Attached to"), "record_id": _l("Attached to"),
    "content_type": _l("File type"), "size": _l("Size"), "sha256": _l("Checksum"),
    "stored_name": _l("Stored as"), "uploaded_at": _l("Uploaded"),
    "uploaded_by_id": _l("Uploaded by"), "workdays": _l("Working days"),
    "start_time": _l("Working day starts"), "end_time": _l("Working day ends"),
    "holidays": _l("Holidays"), "extra_workdays": _l("Extra working days"),
    "reopen_days": _l("Days a closed complaint may be reopened"),
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
    # an attachment's place and storage: its record's page lists it
    "record_type", "record_id", "stored_name", "sha256",
    # a secret: that it changed is enough ("Sessions" says so for the session token)
    "calendar_token",
})

ACTION_LABELS: dict[str, Any] = {
    "create": _l("created"), "update": _l("changed"), "archive": _l("archived"),
    "restore": _l("restored"), "delete": _l("removed"),
}



@dataclass(frozen=True)
class ShownChange:
    """One field's change, ready for a template."""

    label: str
    old: str
    new: str


def _table(event: AuditEvent) -> str:
    """The table whose row changed (a child row is filed on its parent's trail)."""
    return event.action.split(".", 1)[0] if "." in event.action else event.record_type


def reference_of(table: str, field: str) -> type | None:
    """The model a column's id points at, if it is a reference."""
    return TABLE_REFERENCES.get(f"{table}.{field}") or REFERENCES.get(field)


def shown_changes(events: list[AuditEvent], hidden: set[str] = frozenset(),
                  reader: Any = None) -> dict[int, list]:
    """Each event's changes as people read them: field names in their language, codes as
    their labels, times in their zone, ids as names (one query per referenced table; a
    record ``reader`` — the signed-in user by default — may not read is named neutrally);
    fields the system keeps are left out."""
    wanted: dict[type, set[int]] = {}
    for event in events:
        table = _table(event)
        for field, pair in event.changes.items():
            model = reference_of(table, field)
            if model is not None:
                wanted.setdefault(model, set()).update(v for v in pair if isinstance(v, int))
    names = {model: _names(model, ids, reader) for model, ids in wanted.items()}
    result: dict[int, list[ShownChange]] = {}
    for event in events:
        table = _table(event)
        codes = value_labels().get(table, {})
        parent = PARENT_FIELDS.get(table) if table != event.record_type else None
        rows = []
        for field, (old, new) in event.changes.items():
            if field in hidden or field in INTERNAL_FIELDS or field == parent:
                continue
            model = reference_of(table, field)
            known = names.get(model, {}) if model else None
            label = FIELD_LABELS.get(field)
            rows.append(ShownChange(str(label) if label is not None else _unlabelled(field),
                                    _display(old, known, codes.get(field)),
                                    _display(new, known, codes.get(field))))
        result[event.id] = rows
    return result


def _unlabelled(field: str) -> str:
    """A column nobody labelled (the completeness test fails first): never the raw name."""
    from flask_babel import gettext as _

    return _("Other detail")


def _names(model: type, ids: set[int], reader: Any) -> dict[int, str]:
    """The names of these records, as ``reader`` may be told them."""
    from tracker.access import Action, can
    from tracker.access.defaults import role_label

    if reader is None:
        from flask import has_request_context
        from flask_login import current_user

        reader = current_user if has_request_context() else None
    rows = db.session.scalars(sa.select(model).where(model.id.in_(ids))).all()
    shown: dict[int, str] = {}
    for row in rows:
        if not isinstance(row, DIRECTORY) and reader is not None and not can(
                reader, Action.READ, row):
            shown[row.id] = _unseen()
        elif isinstance(row, Role):
            shown[row.id] = role_label(row)
        elif isinstance(row, AgreementVersion):
            shown[row.id] = _version_name(row.number)
        elif isinstance(row, FollowUp):
            shown[row.id] = row.shown_title
        elif isinstance(row, ComplaintCategory):
            shown[row.id] = row.label
        else:
            shown[row.id] = str(row)
    return shown


def _unseen() -> str:
    from flask_babel import gettext as _

    return _("a record you may not see")


def _version_name(number: int) -> str:
    from flask_babel import gettext as _

    return _("Version %(n)s", n=number)


Coder = Any  # an enum with ``label`` per member, or a function from a stored value to words


@functools.cache
def value_labels() -> dict[str, dict[str, Coder]]:
    """Which stored codes have labels, per table: {"complaints": {"status": ComplaintStatus}}.
    Read on first use: the enums live in modules that themselves use this one."""
    from tracker.access.vocabulary import Area, Capability, Level
    from tracker.clients.complaints.root_causes import ROOT_CAUSES
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
        "complaints": {"status": ComplaintStatus, "severity": Severity, "channel": Channel,
                       "root_cause": _words(ROOT_CAUSES), "ack_minutes": _hours,
                       "resolve_minutes": _hours},
        "organizations": {"status": OrgStatus, "stage": PartnerStage, "kind": _words(ORG_KINDS)},
        "conversations": {"kind": ConversationKind, "visibility": Visibility},
        "conversation_topics": {"status": TopicStatus},
        "agreements": {"status": AgreementStatus},
        "agreement_versions": {"proposed_by": Proposer},
        "requirements": {"status": RequirementStatus},
        "followups": {"status": FollowUpStatus, "repeat_unit": _words(REPEAT_UNITS)},
        "followup_comments": {"kind": _words(COMMENT_KINDS)},
        "problems": {"status": ProblemStatus, "urgency": Urgency},
        "resource_requests": {"status": RequestStatus, "kind": RequestKind},
        "posts": {"kind": PostKind},
        "users": {"roles": _role_names, "locale": _language, "digest_hour": _hour},
        "roles": {"name": _role_name, "label": _builtin_role,
                  "description": _role_description},
        "grants": {"area": Area, "read_level": Level, "write_level": Level},
        "role_capabilities": {"name": Capability},
        "teams": {"report_cadence": ReportCadence, "weekly_report_day": _weekday},
        "sla_policies": {"severity": Severity, "ack_minutes": _hours,
                         "resolve_minutes": _hours},
        "business_calendars": {"workdays": _weekdays},
    }


# Codes whose labels are kept here (no enum of their own): what the forms offer.
ORG_KINDS = {"partner": _l("Partner"), "client": _l("Client")}
REPEAT_UNITS = {"days": _l("days"), "weeks": _l("weeks"), "months": _l("months")}
COMMENT_KINDS = {"comment": _l("Comment"), "snooze": _l("Snoozed"),
                 "reassign": _l("Reassigned")}


def _words(labels: dict[str, Any]) -> Callable[[Any], str]:
    def word(value: Any) -> str:
        label = labels.get(value)
        return str(label) if label is not None else str(value)
    word.codes = frozenset(labels)  # type: ignore[attr-defined]  # for the completeness test
    return word


def _role_name(name: Any) -> str:
    from tracker.access.defaults import DEFAULT_ROLES

    default = DEFAULT_ROLES.get(str(name))
    return str(default[0]) if default else str(name)


def _role_names(value: Any) -> str:
    """A user's roles, kept by their labels then (a built-in one in the reader's words)."""
    names = value if isinstance(value, list) else [value]
    return ", ".join(_builtin_role(str(v)) for v in names) or "—"


def _role_description(text: Any) -> str:
    """A built-in role's description as stored, in the reader's language."""
    from tracker.access.defaults import DEFAULT_ROLES
    from tracker.i18n import wordings

    for default in DEFAULT_ROLES.values():
        if text in wordings(default[1]):
            return str(default[1])
    return str(text)


def _language(code: Any) -> str:
    from tracker.i18n import LANGUAGE_NAMES

    return LANGUAGE_NAMES.get(str(code), str(code))


def _hour(value: Any) -> str:
    return f"{int(value):02d}:00" if isinstance(value, int) else str(value)


def _hours(value: Any) -> str:
    """Stored minutes as the deadlines page enters them: hours (a day is a working day
    under business hours, so hours are the one unit that reads the same either way)."""
    from flask_babel import format_decimal, ngettext

    if not isinstance(value, int):
        return str(value)
    hours = value / 60
    # The plural form is chosen by a whole number: only exactly one hour is singular
    # ("1.5 hours", "0.5 hours").
    return ngettext("%(count)s hour", "%(count)s hours", 1 if value == 60 else 2,
              count=format_decimal(round(hours, 2), format="#,##0.##"))


def _weekday(value: Any) -> str:
    from babel.dates import get_day_names
    from flask_babel import get_locale

    if not isinstance(value, int) or not 0 <= value <= 6:
        return str(value)
    return get_day_names("wide", locale=get_locale())[value]


def _weekdays(value: Any) -> str:
    days = [int(d) for d in str(value).split(",") if d.strip().isdigit()]
    return ", ".join(_weekday(d) for d in days) or "—"


def _display(value: Any, names: dict[int, str] | None, codes: Coder = None) -> str:
    from flask_babel import gettext as _

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if names is not None and isinstance(value, int):
        return names.get(value, _unseen())
    if callable(codes) and not isinstance(codes, type):
        return codes(value)
    if isinstance(codes, type) and value in getattr(codes, "_value2member_map_", {}):
        return codes(value).label
    if isinstance(value, list):
        return ", ".join(_display(v, None) for v in value) or "—"
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


def summary_shown(event: AuditEvent) -> str:
    """The record an event is about, named as the reader reads it: a built-in role by its
    label, a grant or a capability by theirs, a date inside it as a date."""
    table, summary = _table(event), event.summary or ""
    if table == "roles":
        return _builtin_role(summary)
    if table == "role_capabilities":
        from tracker.access.vocabulary import Capability

        return _display(summary, None, Capability)
    if table == "grants":
        return _grant_summary(summary)
    if table == "sla_policies":
        return _severity_named(summary)
    if table == "complaint_categories":
        return _category_named(summary)
    if table == "agreement_versions" and summary[1:].isdigit() and summary[:1] == "v":
        return _version_name(int(summary[1:]))
    return _dates_in(summary)


def _severity_named(summary: str) -> str:
    """An SLA policy is filed by its severity's code (before, by its label in the actor's
    language): its label in the reader's."""
    from tracker.i18n import wordings
    from tracker.models import Severity
    from tracker.models.complaint import SEVERITY_LABELS

    for severity in Severity:
        if summary == severity.value or summary in wordings(SEVERITY_LABELS[severity]):
            return severity.label
    return summary


def _category_named(summary: str) -> str:
    """A category is filed by its English label (before, by the actor's): the label the
    reader reads, while it exists under either name."""
    category = db.session.scalar(sa.select(ComplaintCategory).where(sa.or_(
        ComplaintCategory.name == summary, ComplaintCategory.name_zh == summary)).limit(1))
    return category.label if category is not None else summary


def _builtin_role(label: str) -> str:
    from tracker.access.defaults import builtin_role_label

    return builtin_role_label(label)


def _grant_summary(summary: str) -> str:
    """"partners: 3/0" (a grant's summary) as "Partners: All records / None"."""
    from tracker.access.vocabulary import Area, Level

    area, _, levels = summary.partition(": ")
    read, _, write = levels.partition("/")
    if area not in Area._value2member_map_ or not (read.isdigit() and write.isdigit()):
        return summary
    shown = [Level(int(v)).label if int(v) in Level._value2member_map_ else v
             for v in (read, write)]
    return f"{Area(area).label}: {shown[0]} / {shown[1]}"


def _dates_in(text: str) -> str:
    """ISO dates inside a summary ("Li · 2026-03-02") as the reader writes dates."""
    import re

    return re.sub(r"\b\d{4}-\d\d-\d\d\b", lambda m: _time_shown(m.group(0)), text)


# What a row filed on its parent's trail is, for "Topic: created" (tests/test_history_i18n.py
# checks every table with an ``__audit_parent__`` is here).
CHILD_LABELS: dict[str, Any] = {
    "agreement_versions": _l("Terms version"), "agenda_items": _l("Agenda item"),
    "goal_checkins": _l("Check-in"), "post_comments": _l("Comment"),
    "followup_comments": _l("Comment"), "attachments": _l("File"),
    "grants": _l("Access"), "role_capabilities": _l("Capability"),
    "team_memberships": _l("Member"), "conversation_topics": _l("Topic"),
}


def action_label(action: str) -> str:
    """"created", "archived", "Member: created" … in the user's language."""
    from flask_babel import gettext as _

    table, _dot, base = action.rpartition(".")
    said = str(ACTION_LABELS.get(base, base))
    if table:
        child = CHILD_LABELS.get(table)
        return _("%(what)s: %(action)s", what=child, action=said) if child else said
    return said


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
    if "report" in via and "period" in via:
        from tracker.teams.reports.origin import origin_text

        return origin_text(via)
    return ""
