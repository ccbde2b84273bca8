"""Client complaints, their events, and the deadline policy by severity."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, Tracked, utcnow
from tracker.models.organization import Contact, Organization
from tracker.models.user import Team, User


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        return str(SEVERITY_LABELS[self])


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
        return str(CHANNEL_LABELS[self])


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

    @property
    def label(self) -> str:
        return str(COMPLAINT_STATUS_LABELS[self])


COMPLAINT_STATUS_LABELS = {
    ComplaintStatus.NEW: _l("New"),
    ComplaintStatus.ACKNOWLEDGED: _l("Acknowledged"),
    ComplaintStatus.INVESTIGATING: _l("Investigating"),
    ComplaintStatus.WAITING: _l("Waiting on client"),
    ComplaintStatus.RESOLVED: _l("Resolved"),
    ComplaintStatus.CLOSED: _l("Closed"),
    ComplaintStatus.REJECTED: _l("Rejected as unfounded"),
}

OPEN_COMPLAINT = frozenset({ComplaintStatus.NEW, ComplaintStatus.ACKNOWLEDGED,
                            ComplaintStatus.INVESTIGATING, ComplaintStatus.WAITING})


class Complaint(Tracked, Base):
    """A client's complaint, worked from intake to resolution against two deadlines."""

    __tablename__ = "complaints"
    __table_args__ = (
        sa.Index("ix_complaints_status_resolve_due", "status", "resolve_due_at"),
        sa.Index("ix_complaints_assignee_status", "assignee_id", "status"),
        sa.Index("ix_complaints_org", "organization_id"),
        sa.CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5",
                           name="satisfaction_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    channel: Mapped[str] = mapped_column(sa.String(20), default=Channel.PHONE)
    category: Mapped[str] = mapped_column(sa.String(60), default="")
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

    organization: Mapped[Organization] = relationship()
    contact: Mapped[Contact | None] = relationship()
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
        return self.status in OPEN_COMPLAINT


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


class Requirement(Tracked, Base):
    """What a client asked for, and who confirmed it on their side and when."""

    __tablename__ = "requirements"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    wording: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="proposed")
    asked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id"))
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    status_reason: Mapped[str] = mapped_column(sa.Text, default="")

    organization: Mapped[Organization] = relationship()
    asked_by: Mapped[Contact | None] = relationship(foreign_keys=[asked_by_id])
    confirmed_by: Mapped[Contact | None] = relationship(foreign_keys=[confirmed_by_id])
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])

    def __str__(self) -> str:
        return self.title


class Notification(Base):
    """An in-app message to one user (escalations, digests), read or not."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
    kind: Mapped[str] = mapped_column(sa.String(30))
    subject: Mapped[str] = mapped_column(sa.String(255))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str] = mapped_column(sa.String(255), default="")
    source_type: Mapped[str] = mapped_column(sa.String(40), default="")
    source_id: Mapped[int | None] = mapped_column(default=None)
    emailed_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship()
