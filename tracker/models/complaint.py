"""Client complaints, their events, and the deadline policy by severity."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.i18n import translate
from tracker.models.base import Base, Tracked, utcnow
from tracker.models.organization import Contact, Organization
from tracker.models.user import Team, User
from tracker.workflow import state_in_sql, trait


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        return translate(SEVERITY_LABELS[self])


SEVERITY_LABELS = {
    Severity.CRITICAL: _l("Critical"), Severity.HIGH: _l("High"),
    Severity.MEDIUM: _l("Medium"), Severity.LOW: _l("Low"),
}


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    CHAT = "chat"
    IN_PERSON = "in_person"
    WEB = "web"

    @property
    def label(self) -> str:
        return translate(CHANNEL_LABELS[self])


CHANNEL_LABELS = {
    Channel.PHONE: _l("Phone"), Channel.EMAIL: lazy_pgettext("conversation kind", "Email"),
    Channel.CHAT: _l("Chat"),
    Channel.IN_PERSON: _l("In person"), Channel.WEB: _l("Web form"),
}


class ComplaintStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    INVESTIGATING = "investigating"
    WAITING = "waiting_on_client"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"

    # Still being worked on (the queue, the deadlines, the client's open count); the others
    # have ended, and moving one of those back to work is a reopening.
    is_open = trait(NEW, ACKNOWLEDGED, INVESTIGATING, WAITING)
    # Waiting on the client: the resolution clock stops and nothing escalates.
    is_paused = trait(WAITING)
    # Resolved (and perhaps closed since), not rejected: counted as resolved in the figures,
    # and the client's satisfaction can be recorded.
    is_resolved = trait(RESOLVED, CLOSED)

    @property
    def label(self) -> str:
        return translate(COMPLAINT_STATUS_LABELS[self])


COMPLAINT_STATUS_LABELS = {
    ComplaintStatus.NEW: _l("New"),
    ComplaintStatus.ACKNOWLEDGED: _l("Acknowledged"),
    ComplaintStatus.INVESTIGATING: _l("Investigating"),
    ComplaintStatus.WAITING: _l("Waiting on client"),
    ComplaintStatus.RESOLVED: _l("Resolved"),
    ComplaintStatus.CLOSED: _l("Closed"),
    ComplaintStatus.REJECTED: _l("Rejected as unfounded"),
}

OPEN_COMPLAINT: frozenset[ComplaintStatus] = ComplaintStatus.is_open
ENDED_COMPLAINT = frozenset(ComplaintStatus) - OPEN_COMPLAINT

# The partial indexes' conditions, as literal SQL: SQLite uses a partial index only when
# the query repeats its WHERE terms word for word (bound parameters never match), so the
# queue's queries use these very texts (tracker.clients.complaints.queries). Written from
# the states, values sorted: "status IN ('acknowledged', 'investigating', 'new', …)"; a
# change of the open states changes them, and the migrations test asks for a migration.
OPEN_SQL = state_in_sql("status", OPEN_COMPLAINT)
ENDED_SQL = state_in_sql("status", ENDED_COMPLAINT)
LIVE_SQL = "archived_at IS NULL"
# The queue's severity order (most severe first) as literal SQL: an index on it serves the
# queue sorted by severity only when the query writes the same expression, literals and all.
# Laid out as PostgreSQL prints it back, so the migrations test reads both as the same.
SEVERITY_RANK_SQL = ("(\nCASE severity\n    WHEN 'critical' THEN 0\n    WHEN 'high' THEN 1\n"
                     "    WHEN 'medium' THEN 2\n    ELSE 3\nEND)")
SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2}  # anything else: 3
# The sort key of a complaint without a running deadline (paused): after every real one.
DUE_NEVER = datetime(9999, 12, 31, tzinfo=UTC)


class Complaint(Tracked, Base):
    """A client's complaint, worked from intake to resolution against two deadlines."""

    __tablename__ = "complaints"
    __table_args__ = (
        sa.Index("ix_complaints_status_resolve_due", "status", "resolve_due_at"),
        sa.Index("ix_complaints_assignee_status", "assignee_id", "status"),
        sa.Index("ix_complaints_org", "organization_id"),
        # The queue: open complaints in deadline order (rows, keyset pages and the counts
        # of the open views read only this small index); closed ones in their own.
        sa.Index("ix_complaints_open_due_next", "due_next_at", "id", "assignee_id", "team_id",
                 "created_by_id", "is_confidential", "severity", "organization_id",
                 "overdue_at", "status", "archived_at",
                 sqlite_where=sa.text(f"{OPEN_SQL} AND {LIVE_SQL}"),
                 postgresql_where=sa.text(f"{OPEN_SQL} AND {LIVE_SQL}")),
        sa.Index("ix_complaints_ended_due_next", "due_next_at", "id",
                 sqlite_where=sa.text(f"{ENDED_SQL} AND {LIVE_SQL}"),
                 postgresql_where=sa.text(f"{ENDED_SQL} AND {LIVE_SQL}")),
        # The "all" view: every complaint in deadline order.
        sa.Index("ix_complaints_due_next", "due_next_at", "id"),
        # The queue by date received, and by severity then deadline (issue 14): open
        # complaints in their own small indexes, every complaint (closed, all) in the others.
        sa.Index("ix_complaints_received_at", "received_at", "id"),
        sa.Index("ix_complaints_open_received", "received_at", "id",
                 sqlite_where=sa.text(f"{OPEN_SQL} AND {LIVE_SQL}"),
                 postgresql_where=sa.text(f"{OPEN_SQL} AND {LIVE_SQL}")),
        sa.Index("ix_complaints_severity_due", sa.text(SEVERITY_RANK_SQL), "due_next_at", "id"),
        sa.Index("ix_complaints_open_severity_due", sa.text(SEVERITY_RANK_SQL), "due_next_at",
                 "id", sqlite_where=sa.text(f"{OPEN_SQL} AND {LIVE_SQL}"),
                 postgresql_where=sa.text(f"{OPEN_SQL} AND {LIVE_SQL}")),
        # Dashboards: the complaints resolved in a week.
        sa.Index("ix_complaints_resolved_at", "resolved_at"),
        sa.Index("ix_complaints_team_status", "team_id", "status"),
        sa.Index("ix_complaints_created_by_status", "created_by_id", "status"),
        sa.CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5",
                           name="satisfaction_range"),
        # The number a complaint has in the client's or an older ledger: an import finds
        # the complaint again by it (one per client; complaints without one are many).
        sa.Index("uq_complaints_org_external_ref", "organization_id", "external_ref",
                 unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id"))
    # Who called or wrote, as said at intake, when it is not (yet) a known contact.
    caller: Mapped[str] = mapped_column(sa.String(120), default="")
    title: Mapped[str] = mapped_column(sa.String(200))
    external_ref: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    channel: Mapped[str] = mapped_column(sa.String(20), default=Channel.PHONE)
    # One of the admin-kept categories (``ComplaintCategory``), or none.
    category_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("complaint_categories.id"), default=None, index=True)
    severity: Mapped[str] = mapped_column(sa.String(10), default=Severity.MEDIUM)
    status: Mapped[str] = mapped_column(sa.String(20), default=ComplaintStatus.NEW)
    is_confidential: Mapped[bool] = mapped_column(default=False)
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("teams.id"))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The deadline policy this complaint was given at intake.
    ack_minutes: Mapped[int | None] = mapped_column(default=None)
    resolve_minutes: Mapped[int | None] = mapped_column(default=None)
    business_hours: Mapped[bool | None] = mapped_column(default=None)
    ack_due_at: Mapped[datetime | None] = mapped_column(default=None)
    resolve_due_at: Mapped[datetime | None] = mapped_column(default=None)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    ack_escalated_at: Mapped[datetime | None] = mapped_column(default=None)
    resolve_escalated_at: Mapped[datetime | None] = mapped_column(default=None)
    resolution_summary: Mapped[str] = mapped_column(sa.Text, default="")
    root_cause: Mapped[str] = mapped_column(sa.String(60), default="")
    rejection_reason: Mapped[str] = mapped_column(sa.Text, default="")
    satisfaction: Mapped[int | None] = mapped_column(default=None)
    satisfaction_comment: Mapped[str] = mapped_column(sa.Text, default="")
    reopen_count: Mapped[int] = mapped_column(default=0)
    # Stored, indexed copies of the queue's deadline arithmetic, set on every flush from
    # this row's own columns (``_stamp_due`` below); ``refresh_due_next`` redoes them in SQL.
    # The nearest running deadline (acknowledge until acknowledged, then resolve), or
    # DUE_NEVER when there is none (paused): the queue's sort key.
    due_next_at: Mapped[datetime] = mapped_column(
        default=DUE_NEVER, server_default=sa.text("'9999-12-31 00:00:00'"))
    # When an open complaint becomes overdue (the earlier of the unacknowledged
    # acknowledgement deadline and, unless waiting on the client, the resolution deadline);
    # None when closed or when no deadline runs.
    overdue_at: Mapped[datetime | None] = mapped_column(default=None)

    __audit_ignore__ = frozenset({"due_next_at", "overdue_at"})

    organization: Mapped[Organization] = relationship()
    contact: Mapped[Contact | None] = relationship()
    category: Mapped[ComplaintCategory | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    team: Mapped[Team | None] = relationship()
    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id", cascade="all, delete-orphan")
    pauses: Mapped[list[ComplaintPause]] = relationship(
        back_populates="complaint", order_by="ComplaintPause.id", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.title

    @property
    def status_label(self) -> str:
        return ComplaintStatus(self.status).label

    @property
    def severity_label(self) -> str:
        return Severity(self.severity).label

    @property
    def channel_label(self) -> str:
        return Channel(self.channel).label

    @property
    def is_open(self) -> bool:
        return self.status in ComplaintStatus.is_open

    @property
    def is_paused(self) -> bool:
        """Waiting on the client: the resolution clock stands still."""
        return self.status in ComplaintStatus.is_paused

    @property
    def is_resolved(self) -> bool:
        return self.status in ComplaintStatus.is_resolved

    def stamp_due(self) -> None:
        """Set ``due_next_at`` and ``overdue_at`` from the deadlines and the status."""
        running = self.ack_due_at if self.acknowledged_at is None else self.resolve_due_at
        self.due_next_at = running or DUE_NEVER
        candidates = []
        status = self.status or ComplaintStatus.NEW.value  # the default, before the INSERT
        if status in ComplaintStatus.is_open:
            if self.acknowledged_at is None and self.ack_due_at is not None:
                candidates.append(self.ack_due_at)
            if status not in ComplaintStatus.is_paused and self.resolve_due_at is not None:
                candidates.append(self.resolve_due_at)
        self.overdue_at = min(candidates) if candidates else None


class ComplaintCategory(Tracked, Base):
    """A complaint category, kept by administrators with an English and a Chinese label.

    Managed data, not free text: the queue filter, the metrics and the dashboards group by
    its id, so 账单错误 and "Billing error" are one category shown in the reader's language.
    Archived categories are no longer offered for new complaints; the complaints filed under
    them keep them.
    """

    __tablename__ = "complaint_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60), unique=True)  # the English label
    name_zh: Mapped[str] = mapped_column(sa.String(60), default="")
    position: Mapped[int] = mapped_column(default=0)

    def __str__(self) -> str:
        return self.label

    @property
    def audit_name(self) -> str:
        """Its history entries name it by its English label, its key (``tracker.audit``)."""
        return self.name

    @property
    def label(self) -> str:
        """The label in the reader's language (English when no Chinese one is given)."""
        from tracker.i18n import wants_chinese

        return self.name_zh if self.name_zh and wants_chinese() else self.name


@sa.event.listens_for(Complaint, "before_insert")
@sa.event.listens_for(Complaint, "before_update")
def _stamp_due(mapper: object, connection: object, target: Complaint) -> None:
    # Every ORM write path (services, workflow moves, escalations, edits, fixtures) ends in
    # a flush, so the stored copies can never lag behind the columns they come from.
    target.stamp_due()


class EventKind(StrEnum):
    STATUS = "status"
    ASSIGNMENT = "assignment"
    NOTE = "note"
    REPLY = "reply"
    ESCALATION = "escalation"


class ComplaintEvent(Base):
    """Something that happened to a complaint: a move, an assignment, a note, a reply."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        sa.ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    from_status: Mapped[str] = mapped_column(sa.String(20), default="")
    to_status: Mapped[str] = mapped_column(sa.String(20), default="")
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(sa.Text, default="")

    complaint: Mapped[Complaint] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])


class ComplaintPause(Base):
    """A stretch of "waiting on client": the resolution clock does not run inside it."""

    __tablename__ = "complaint_pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        sa.ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)

    complaint: Mapped[Complaint] = relationship(back_populates="pauses")


class SlaPolicy(Tracked, Base):
    """Deadlines for one severity: minutes to acknowledge and to resolve, and how counted."""

    __tablename__ = "sla_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    severity: Mapped[str] = mapped_column(sa.String(10), unique=True)
    ack_minutes: Mapped[int]
    resolve_minutes: Mapped[int]
    business_hours: Mapped[bool] = mapped_column(default=False)

    def __str__(self) -> str:
        return Severity(self.severity).label

    @property
    def audit_name(self) -> str:
        """Its history entries name it by its severity's code (``tracker.audit``)."""
        return self.severity


class BusinessCalendar(Tracked, Base):
    """The working week the business-hours deadlines count in (one row)."""

    __tablename__ = "business_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Shanghai")
    workdays: Mapped[str] = mapped_column(sa.String(20), default="0,1,2,3,4")
    start_time: Mapped[str] = mapped_column(sa.String(5), default="09:00")
    end_time: Mapped[str] = mapped_column(sa.String(5), default="18:00")
    holidays: Mapped[str] = mapped_column(sa.Text, default="")
    extra_workdays: Mapped[str] = mapped_column(sa.Text, default="")
    reopen_days: Mapped[int] = mapped_column(default=14)

    def __str__(self) -> str:
        return self.timezone
