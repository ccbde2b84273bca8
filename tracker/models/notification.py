"""In-app notifications: what one user was told, read or not, and whether it was mailed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, utcnow
from tracker.models.user import User


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
    # What happened, as a message code and its values (``tracker.messages``), so each
    # reader sees it in their own language whenever they read it. ``subject`` and
    # ``body`` keep the text as first written, for mail and for rows written before.
    event: Mapped[str] = mapped_column(sa.String(40), default="")
    params: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON, default=None)

    user: Mapped[User] = relationship()
