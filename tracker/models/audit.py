"""The audit trail: one row per insert, update, archive or restore of a tracked record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, utcnow
from tracker.models.user import User


class AuditEvent(Base):
    """Who changed which record when, with each changed field's old and new value."""

    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_record", "record_type", "record_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(sa.String(60))
    record_type: Mapped[str] = mapped_column(sa.String(50))
    record_id: Mapped[int]
    record_version: Mapped[int | None]
    summary: Mapped[str] = mapped_column(sa.String(255), default="")
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # How the change came in when not by hand, e.g. {"import": 7, "file": "客诉表.xlsx",
    # "row": 12} or {"undo": 7, "file": …}: pages say it in the reader's language.
    via: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON, default=None)

    actor: Mapped[User | None] = relationship()
