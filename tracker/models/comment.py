"""Comments on a record's page, with the people they @mention."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, utcnow
from tracker.models.user import User


class Comment(Base):
    """One comment on one record (a round, note, requirement, complaint, agreement or
    meeting), named by its table and id. Deleting archives; the text is never rewritten
    in place, so there is no version to keep."""

    __tablename__ = "comments"
    __table_args__ = (sa.Index("ix_comments_record", "record_type", "record_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(sa.String(50))
    record_id: Mapped[int]
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    # The ids of the people the comment @mentioned and who were told (they may see it).
    mentions: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(default=None)
    archived_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
