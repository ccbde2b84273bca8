"""Files attached to records (signed copies, minutes), stored outside the web root."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, utcnow
from tracker.models.user import User


class Attachment(Base):
    """One uploaded file; the bytes live under the upload folder as ``stored_name``."""

    __tablename__ = "attachments"
    __audited__ = True
    __table_args__ = (sa.Index("ix_attachments_record", "record_type", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(sa.String(40))
    record_id: Mapped[int]
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    archived_at: Mapped[datetime | None] = mapped_column(default=None)

    uploaded_by: Mapped[User | None] = relationship()

    @property
    def __audit_parent__(self) -> tuple[str, str]:
        return (self.record_type, "record_id")

    def __str__(self) -> str:
        return self.filename
