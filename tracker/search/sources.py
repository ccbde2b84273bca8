"""What each searchable record contributes to the index, read with plain SQL in batches.

One ``Source`` per table with words in it: its text columns, the child rows whose text is
filed with it (a round's topics, an agreement's every version, a complaint's notes and
replies, a meeting's agenda …), the columns the results page filters and ranks on, and
the kind it is grouped under. A value stored as a code (a root cause, an escalation
event's "ack", an agreement reminder's title, which is shown by its key) is filed as its
wording in every shipped language: the reader searches for what the page showed them,
in whichever language they read it. ``load`` reads a batch of records of one source in a few
statements, for the flush hook (a handful of ids) and for ``flask search reindex``
(ranges of thousands) alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from tracker.access.reach import (
    org_kind_key,
    record_keys,
    root_of,
    scope_columns,
    source_keys,
)
from tracker.clients.complaints.events import every_wording
from tracker.clients.complaints.root_causes import ROOT_CAUSES
from tracker.i18n import wordings
from tracker.messages import ESCALATION_TEXT, REMINDER_TITLES, reminder_kind
from tracker.models import (
    MONEY_FIELDS,
    ORG_KINDS,
    AgendaItem,
    Agreement,
    AgreementVersion,
    Attachment,
    AuditEvent,
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    Contact,
    Conversation,
    ConversationTopic,
    FollowUp,
    FollowUpComment,
    Goal,
    GoalCheckIn,
    Meeting,
    MoneyPart,
    Organization,
    Post,
    PostComment,
    Problem,
    ProgressReport,
    Recognition,
    Requirement,
    ResourceRequest,
    Retrospective,
    Tag,
)
from tracker.models.complaint import EventKind
from tracker.models.organization import organization_tags
from tracker.search.names import name_keys

Ids = list[int] | tuple[int, int]  # a list of ids, or an inclusive range (reindex)


def _where(column: Any, ids: Ids) -> Any:
    return column.between(*ids) if isinstance(ids, tuple) else column.in_(ids)


@dataclass(frozen=True)
class Child:
    """Rows filed with their parent's document (``fk`` points at the parent)."""

    model: Any
    fk: str
    fields: tuple[str, ...]
    money_fields: tuple[str, ...] = ()
    # a row's words where it may hold a code (``words(row, names)``), reading ``also`` too
    words: Callable[[Any, tuple[str, ...]], list[str]] | None = None
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    model: Any
    fields: tuple[str, ...]
    at: str
    kinds: tuple[str, ...]
    title: str | None = None
    owner: str | None = None
    team: str | None = None
    status: str | None = None
    organization: str | None = "organization_id"
    children: tuple[Child, ...] = ()
    names: bool = False  # its title is a name: pinyin and initials match too
    kind_of: Callable[[dict[str, Any]], str] | None = None
    coded: tuple[tuple[str, Callable[[str], list[str]]], ...] = ()  # (field, its words)

    @property
    def table(self) -> str:
        return self.model.__tablename__


@dataclass
class Document:
    """One record's entry in the index, before folding."""

    source: str
    record_id: int
    kind: str
    title: str
    parts: list[str]
    at: datetime
    organization_id: int | None = None
    owner_id: int | None = None
    team_id: int | None = None
    status: str | None = None
    money: int = MoneyPart.EVERYONE
    # matched and ranked as the title, never shown: a name's pinyin, a reminder's title
    # in the other languages
    extra: list[str] = field(default_factory=list)
    reach: list[str] = field(default_factory=list)  # its scope's owners and team (u12, t5)


def _round_or_note(row: dict[str, Any]) -> str:
    return "round" if row["_org_kind"] == "partner" else "note"


def _every_wording(label: Any) -> list[str]:
    """A lazy label in every shipped language, in a fixed order (a reindex writes the same
    text)."""
    return sorted(wordings(label))


def _root_cause_words(code: str) -> list[str]:
    # a cause stored before the codes, or by an import, is its own words
    return _every_wording(ROOT_CAUSES[code]) if code in ROOT_CAUSES else [code]


def _event_words(row: Any, names: tuple[str, ...]) -> list[str]:
    """An escalation is stored as its code ("ack", "resolve"; before the codes, as the
    sentence in the job's language): filed as what the complaint's page says, in every
    language, so neither the bare code nor only one language is what matches."""
    if row.kind == EventKind.ESCALATION.value:
        for code, label in ESCALATION_TEXT.items():
            if row.body == code or row.body in wordings(label):
                return _every_wording(label)
    if row.kind in (EventKind.NOTE.value, EventKind.STATUS.value) and row.body:
        # a line the system wrote (a severity change, a rating) is a code: its words in
        # every language; a person's note is their words
        return every_wording(row.body)
    return _texts(row, names)


def _reminder_titles(title: str, dedupe_key: str | None) -> list[str]:
    """An agreement reminder's title (stored in English, shown in the reader's language by
    its key, as ``FollowUp.shown_title`` does) in the other languages; none for any other
    follow-up, nor for a reminder someone retitled."""
    kind = reminder_kind(dedupe_key)
    if kind is None or title not in wordings(REMINDER_TITLES[kind]):
        return []
    return [wording for wording in _every_wording(REMINDER_TITLES[kind]) if wording != title]


SOURCES: dict[str, Source] = {s.table: s for s in (
    Source(Organization, ("name", "industry", "website", "notes", "stage_reason"),
           "updated_at", ("partner", "client", "organization"), title="name", owner="owner_id",
           team="team_id", status="stage", organization="id", names=True,
           kind_of=lambda row: row["kind"] if row["kind"] in ORG_KINDS else "organization"),
    Source(Contact, ("name", "title", "email", "phone", "notes"), "updated_at",
           ("contact",), title="name", names=True),
    Source(Conversation, ("title", "body", "outcome"), "occurred_at", ("round", "note"),
           title="title", owner="author_id", kind_of=_round_or_note,
           children=(Child(ConversationTopic, "conversation_id",
                           ("subject", "our_position", "their_position", "resolution")),)),
    Source(Agreement, ("title", "status_reason", "signatories"), "updated_at",
           ("agreement",), title="title", owner="owner_id", team="team_id",
           status="status",
           children=(Child(AgreementVersion, "agreement_id",
                           ("scope", "cooperation", "notes"),
                           money_fields=tuple(sorted(MONEY_FIELDS))),)),
    Source(Requirement, ("title", "wording", "status_reason"), "updated_at",
           ("requirement",), title="title", owner="owner_id", status="status"),
    Source(Complaint, ("title", "external_ref", "caller", "description", "resolution_summary",
                       "root_cause", "rejection_reason", "satisfaction_comment"),
           "received_at", ("complaint",), title="title", owner="assignee_id",
           team="team_id", status="status", coded=(("root_cause", _root_cause_words),),
           children=(Child(ComplaintEvent, "complaint_id", ("body",), words=_event_words,
                           also=("kind",)),)),
    Source(FollowUp, ("title", "notes"), "updated_at", ("followup",), title="title",
           owner="owner_id", team="team_id", status="status",
           children=(Child(FollowUpComment, "followup_id", ("body",)),)),
    Source(Meeting, ("title", "series", "place", "notes"), "starts_at", ("meeting",),
           title="title", owner="organizer_id", team="team_id", organization=None,
           children=(Child(AgendaItem, "meeting_id", ("title", "discussion", "decisions")),)),
    Source(ProgressReport, ("done", "next", "blockers", "lead_comment"), "period_start",
           ("report",), owner="author_id", team="team_id", organization=None),
    Source(Problem, ("title", "impact", "solution"), "created_at", ("problem",),
           title="title", owner="owner_id", team="team_id", status="status",
           organization=None),
    Source(ResourceRequest, ("title", "reason", "approver_note"), "created_at",
           ("request",), title="title", owner="requester_id", team="team_id",
           status="status", organization=None),
    Source(Goal, ("title", "metric", "why"), "created_at", ("goal",), title="title",
           owner="owner_id", team="team_id", organization=None,
           children=(Child(GoalCheckIn, "goal_id", ("note",)),)),
    Source(Retrospective, ("title", "went_well", "fell_short", "lessons"), "held_on",
           ("retro",), title="title", owner="facilitator_id", team="team_id",
           organization=None),
    Source(Recognition, ("message",), "created_at", ("recognition",), owner="recipient_id",
           team="team_id", organization=None),
    Source(Post, ("title", "body", "link"), "created_at", ("post",), title="title",
           owner="author_id", team="team_id", organization=None,
           children=(Child(PostComment, "post_id", ("body",)),)),
)}

# Child table -> (parent table, the child's column naming the parent).
CHILD_PARENTS: dict[str, tuple[str, str]] = {
    child.model.__tablename__: (source.table, child.fk)
    for source in SOURCES.values() for child in source.children}

# kind -> its label for a group of results, for one result, and its source table
KIND_LABELS: dict[str, Any] = {
    "partner": _l("Partners"), "client": _l("Clients"),
    "organization": _l("Other organizations"), "contact": _l("Contacts"),
    "round": _l("Negotiation rounds"), "note": _l("Client notes"),
    "agreement": _l("Agreements"), "requirement": _l("Requirements"),
    "complaint": _l("Complaints"), "followup": _l("Follow-ups"), "meeting": _l("Meetings"),
    "report": _l("Progress reports"), "problem": _l("Problems"),
    "request": _l("Resource requests"), "goal": _l("Goals"),
    "retro": _l("Retrospectives"), "recognition": _l("Recognition"), "post": _l("Posts"),
}
KIND_NAMES: dict[str, Any] = {
    "partner": _l("Partner"), "client": _l("Client"), "organization": _l("Organization"),
    "contact": _l("Contact"),
    "round": _l("Negotiation round"), "note": _l("Client note"),
    "agreement": _l("Agreement"), "requirement": _l("Requirement"),
    "complaint": _l("Complaint"), "followup": _l("Follow-up"), "meeting": _l("Meeting"),
    "report": _l("Progress report"), "problem": _l("Problem"),
    "request": _l("Resource request"), "goal": _l("Goal"),
    "retro": _l("Retrospective"), "recognition": _l("Recognition"), "post": _l("Post"),
}
KIND_SOURCE: dict[str, str] = {kind: s.table for s in SOURCES.values() for kind in s.kinds}
# Kinds whose records have two documents, with their money fields and without
MONEY_KINDS: frozenset[str] = frozenset(
    kind for s in SOURCES.values() if any(c.money_fields for c in s.children)
    for kind in s.kinds)


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), UTC)
    return datetime(1970, 1, 1, tzinfo=UTC)


def _texts(row: Any, names: Iterable[str]) -> list[str]:
    return [str(value) for name in names if (value := getattr(row, name, None)) not in
            (None, "")]


def _grouped(rows: Iterable[Any]) -> dict[int, list[str]]:
    """(record id, text) rows as each record's texts, in order."""
    found: dict[int, list[str]] = defaultdict(list)
    for record_id, text in rows:
        found[record_id].append(text)
    return found


def _child_texts(conn: sa.Connection, child: Child, ids: Ids,
                 money: bool) -> dict[int, list[str]]:
    model = child.model
    names = child.fields + (child.money_fields if money else ())
    fk = getattr(model, child.fk)
    rows = conn.execute(sa.select(fk.label("parent"), *(getattr(model, n) for n in names),
                                  *(getattr(model, n) for n in child.also if n not in names))
                        .where(_where(fk, ids)).order_by(fk, model.id))
    words = child.words or _texts
    found: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        found[row.parent].extend(words(row, names))
    return found


def _attachment_names(conn: sa.Connection, table: str, ids: Ids) -> dict[int, list[str]]:
    return _grouped(conn.execute(sa.select(Attachment.record_id, Attachment.filename).where(
        Attachment.record_type == table, _where(Attachment.record_id, ids),
        Attachment.archived_at.is_(None))))


def _tag_names(conn: sa.Connection, ids: Ids) -> dict[int, list[str]]:
    link = organization_tags.c
    return _grouped(conn.execute(sa.select(link.organization_id, Tag.name).join(
        Tag, Tag.id == link.tag_id).where(_where(link.organization_id, ids))))


def _category_labels(conn: sa.Connection, ids: Ids) -> dict[int, list[str]]:
    """A complaint's category in both languages (a relabelled category refiles them)."""
    return _grouped(conn.execute(
        sa.select(Complaint.id, sa.func.trim(
            ComplaintCategory.name + " " + ComplaintCategory.name_zh))
        .join(ComplaintCategory, ComplaintCategory.id == Complaint.category_id)
        .where(_where(Complaint.id, ids))))


def _earlier_wordings(conn: sa.Connection, ids: Ids) -> dict[int, list[str]]:
    """Every wording a requirement was given (its history keeps them), oldest first."""
    rows = conn.execute(sa.select(AuditEvent.record_id, AuditEvent.changes).where(
        AuditEvent.record_type == Requirement.__tablename__,
        _where(AuditEvent.record_id, ids), AuditEvent.action.in_(("create", "update")))
        .order_by(AuditEvent.id))
    found: dict[int, list[str]] = defaultdict(list)
    for record_id, changes in rows:
        wording = (changes or {}).get("wording")
        if wording and wording[1] and wording[1] not in found[record_id]:
            found[record_id].append(str(wording[1]))
    return found


def _org_kind_keys(row: Any, model: Any, root: Any) -> list[str]:
    """A record under an organization holds its kind's key (``reach.org_kind_key``)."""
    if root is not Organization:
        return []
    kind = row["kind"] if model is Organization else row.get("_org_kind")
    return [org_kind_key(kind)] if kind else []


def load(conn: sa.Connection, table: str, ids: Ids) -> list[Document]:
    """The documents of the live records of ``table`` among ``ids`` (an archived record,
    or one of an archived organization, has none)."""
    source = SOURCES[table]
    model = source.model
    columns = [model.id, *(getattr(model, n) for n in source.fields)]
    for name in (source.at, source.owner, source.team, source.status, source.organization,
                 "kind"):
        if name and hasattr(model, name) and getattr(model, name) not in columns:
            columns.append(getattr(model, name))
    root = root_of(model)
    owners, team = scope_columns(root) if root is not None else ([], None)
    if root is model:
        columns.extend(getattr(model, n) for n in [*owners, team]
                       if n and getattr(model, n) not in columns)
    if model is FollowUp:
        columns.extend((FollowUp.source_type, FollowUp.source_id, FollowUp.dedupe_key))
    stmt = sa.select(*columns).where(_where(model.id, ids), model.archived_at.is_(None))
    org_column = getattr(model, source.organization) if source.organization else None
    if org_column is not None and model is not Organization:
        stmt = stmt.add_columns(Organization.kind.label("_org_kind"),
                                Organization.team_id.label("_org_team"),
                                *(getattr(Organization, n).label(f"_root_{n}")
                                  for n in [*owners, team] if n and root is Organization)
                                ).outerjoin(Organization, Organization.id == org_column).where(
            # a follow-up of a meeting belongs to no organization; the rest to a live one
            sa.or_(org_column.is_(None), Organization.archived_at.is_(None)))
    prefix = "_root_" if root is Organization and model is not Organization else ""
    rows = conn.execute(stmt.order_by(model.id)).mappings().all()
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    sources = (source_keys(conn, [(row["source_type"], row["source_id"]) for row in rows])
               if model is FollowUp else {})
    money = any(child.money_fields for child in source.children)
    coded = dict(source.coded)
    extras = [_attachment_names(conn, table, ids)]
    if model is Organization:
        extras.append(_tag_names(conn, ids))
    if model is Requirement:
        extras.append(_earlier_wordings(conn, ids))
    if model is Complaint:
        extras.append(_category_labels(conn, ids))
    children = [_child_texts(conn, child, ids, False) for child in source.children]
    with_money = ([_child_texts(conn, child, ids, True) for child in source.children]
                  if money else [])
    documents: list[Document] = []
    for row in rows:
        record_id = row["id"]
        mine = [word for n in source.fields if row[n] not in (None, "")
                for word in (coded[n](row[n]) if n in coded else [str(row[n])])]
        added = [text for extra in extras for text in extra.get(record_id, ())]
        title = str(row[source.title] or "") if source.title else ""
        base = Document(
            source=table, record_id=record_id,
            kind=source.kind_of(row) if source.kind_of else source.kinds[0],
            title=title, parts=[], at=_as_datetime(row[source.at]),
            organization_id=row[source.organization] if source.organization else None,
            owner_id=row[source.owner] if source.owner else None,
            team_id=(row[source.team] if source.team else None) or row.get("_org_team"),
            status=str(row[source.status]) if source.status and row[source.status] else None,
            extra=(name_keys(title) if source.names
                   else _reminder_titles(title, row["dedupe_key"]) if model is FollowUp
                   else []),
            reach=record_keys((row[prefix + n] for n in owners),
                              row[prefix + team] if team else None,
                              sources.get((row.get("source_type"), row.get("source_id")), []),
                              _org_kind_keys(row, model, root)))
        variants = ([(MoneyPart.WITHOUT_MONEY, children), (MoneyPart.WITH_MONEY, with_money)]
                    if money else [(MoneyPart.EVERYONE, children)])
        for part, texts in variants:
            doc = Document(**{**base.__dict__, "money": part, "extra": list(base.extra)})
            doc.parts = mine + [t for found in texts for t in found.get(record_id, ())] + added
            documents.append(doc)
    return documents
