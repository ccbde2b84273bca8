"""Follow-ups: the next steps every conversation, agreement or complaint produces."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.i18n import translate
from tracker.models.base import Base, Tracked
from tracker.models.organization import Organization
from tracker.models.user import User


class FollowUpStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return translate({"open": _l("Open"), "done": _l("Done"),
                          "cancelled": _l("Cancelled")}[self.value])


class FollowUp(Tracked, Base):
    """A next step with an owner and a due date, linked to the record that produced it.

    ``source_type``/``source_id`` name that record (a conversation, an agreement, …);
    ``dedupe_key`` lets a job create a reminder exactly once however often it runs.
    """

    __tablename__ = "followups"
    __table_args__ = (
        # My day's buckets and the navigation counts; "id" lets PostgreSQL read a bucket in
        # its (due_on, id) order straight off the index (SQLite has the rowid there anyway).
        sa.Index("ix_followups_owner_status_due", "owner_id", "status", "due_on", "id"),
        sa.Index("ix_followups_source", "source_type", "source_id"),
        sa.Index("ix_followups_org_status_due", "organization_id", "status", "due_on"),
        # An organization's timeline: its follow-ups newest first, a page at a time.
        sa.Index("ix_followups_org_created", "organization_id", "created_at", "id"),
        # My day's "waiting on others": what the user asked of somebody, by due date.
        sa.Index("ix_followups_created_by_status_due", "created_by_id", "status", "due_on",
                 "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    due_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(12), default=FollowUpStatus.OPEN)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    source_type: Mapped[str] = mapped_column(sa.String(40))
    source_id: Mapped[int]
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"))
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("teams.id"))
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    # Recurring: every N days, weeks or months; completing one creates the next.
    repeat_every: Mapped[int | None] = mapped_column(default=None)
    repeat_unit: Mapped[str | None] = mapped_column(sa.String(6), default=None)
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("followups.id"))

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    organization: Mapped[Organization | None] = relationship()

    def __str__(self) -> str:
        return self.title

    @property
    def status_label(self) -> str:
        return FollowUpStatus(self.status).label

    @property
    def shown_title(self) -> str:
        """The title as the reader reads it: a job's reminder in their language (its key
        says what it is); anyone else's as they wrote it."""
        from tracker.messages import followup_title

        return followup_title(self.title, self.dedupe_key)

    def is_overdue(self, today: date) -> bool:
        return self.status == FollowUpStatus.OPEN and self.due_on < today
