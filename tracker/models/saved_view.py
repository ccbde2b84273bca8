"""Saved views of the lists: a list's filters, sort and columns under a name."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, utcnow


class SavedView(Base):
    """A list's query string under a name: the owner's own, or shared with a team.

    A preference, not a record of the work: it keeps no history. Opening it opens the
    list's URL with the query, so what it shows is always what the reader may see now.
    """

    __tablename__ = "saved_views"
    __table_args__ = (sa.Index("ix_saved_views_endpoint_user", "endpoint", "user_id"),
                      sa.Index("ix_saved_views_endpoint_team", "endpoint", "team_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("teams.id"), default=None)
    endpoint: Mapped[str] = mapped_column(sa.String(80))
    name: Mapped[str] = mapped_column(sa.String(80))
    query: Mapped[str] = mapped_column(sa.String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DefaultView(Base):
    """The view a person's list opens with when they open it without filters."""

    __tablename__ = "default_views"
    __table_args__ = (sa.UniqueConstraint("user_id", "endpoint",
                                          name="uq_default_views_user_endpoint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    endpoint: Mapped[str] = mapped_column(sa.String(80))
    view_id: Mapped[int] = mapped_column(sa.ForeignKey("saved_views.id", ondelete="CASCADE"))
