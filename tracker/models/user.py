"""Users, roles with their grants, and internal teams with their members."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.i18n import translate
from tracker.models.base import Base, PinyinSorted, Tracked, utcnow

user_roles = sa.Table(
    "user_roles",
    Base.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("role_id", sa.ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, PinyinSorted, Tracked, Base):
    """A person who signs in. ``session_token`` changes to end every open session."""

    __tablename__ = "users"
    __audit_hidden__ = frozenset({"password_hash", "session_token", "calendar_token"})
    __audit_ignore__ = frozenset({"last_login_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255), default="")
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token,
                                               unique=True)
    is_enabled: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(sa.String(10), default=None)
    timezone: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)
    # Reminders: the local hour of the daily digest, whether to email it, the calendar feed.
    digest_hour: Mapped[int] = mapped_column(default=8)
    email_digest: Mapped[bool] = mapped_column(default=True)
    calendar_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True, default=None)

    roles: Mapped[list[Role]] = relationship(secondary=user_roles, back_populates="users",
                                             order_by="Role.name")
    memberships: Mapped[list[TeamMembership]] = relationship(
        back_populates="user", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.name

    # Flask-Login: the cookie holds the token, not the id, so a reset ends old sessions.
    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.is_enabled and self.archived_at is None

    def set_password(self, password: str, method: str = "scrypt") -> None:
        """A new password ends every other session and revokes the calendar feed address
        (whoever learnt the old password may have copied it)."""
        self.password_hash = generate_password_hash(password, method=method)
        self.session_token = new_session_token()
        self.calendar_token = None

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def team_ids(self) -> set[int]:
        kept = self._kept_access()
        if kept is not None:
            return set(kept.team_ids)
        return {m.team_id for m in self.memberships}

    @property
    def led_team_ids(self) -> set[int]:
        kept = self._kept_access()
        if kept is not None:
            return set(kept.led_team_ids)
        return {m.team_id for m in self.memberships if m.is_lead}

    def _kept_access(self) -> Any:
        """The access the sign-in loader kept for this user (``tracker.auth.loader``), unless
        the memberships were loaded since (being changed, say): then they are the truth."""
        if "memberships" in self.__dict__:
            return None
        return self.__dict__.get("kept_access")


def _epoch() -> str:
    return secrets.token_hex(8)


class Generations(Base):
    """Change counters, one row: each is raised in the same transaction as any change to
    what it covers (``tracker.generations``), so what a worker keeps between requests is
    read again as soon as it may have changed.

    ``epoch`` is drawn when the row is made: a database emptied and filled again (a
    restored backup, a test) starts its counters afresh without meeting what was kept
    under the old ones.
    """

    __tablename__ = "generations"

    id: Mapped[int] = mapped_column(primary_key=True)
    epoch: Mapped[str] = mapped_column(sa.String(16), default=_epoch)
    access: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    vocabulary: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    complaints: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    agreements: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")


class Role(Tracked, Base):
    """A named bundle of grants; users hold one or more."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50), unique=True)
    label: Mapped[str] = mapped_column(sa.String(100))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    is_builtin: Mapped[bool] = mapped_column(default=False)

    users: Mapped[list[User]] = relationship(secondary=user_roles, back_populates="roles")
    grants: Mapped[list[Grant]] = relationship(back_populates="role",
                                               cascade="all, delete-orphan")
    capabilities: Mapped[list[RoleCapability]] = relationship(
        back_populates="role", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.label

    @property
    def capability_names(self) -> set[str]:
        return {c.name for c in self.capabilities}


class Grant(Base):
    """What one role may read and write in one area (levels none/own/team/all as 0..3)."""

    __tablename__ = "grants"
    __audited__ = True
    __audit_parent__ = ("roles", "role_id")
    __table_args__ = (
        sa.UniqueConstraint("role_id", "area", name="uq_grants_role_area"),
        sa.CheckConstraint("read_level BETWEEN 0 AND 3", name="read_level_range"),
        sa.CheckConstraint("write_level BETWEEN 0 AND 3", name="write_level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("roles.id", ondelete="CASCADE"))
    area: Mapped[str] = mapped_column(sa.String(30))
    read_level: Mapped[int] = mapped_column(default=0)
    write_level: Mapped[int] = mapped_column(default=0)

    role: Mapped[Role] = relationship(back_populates="grants")

    def __str__(self) -> str:
        return f"{self.area}: {self.read_level}/{self.write_level}"


class RoleCapability(Base):
    """One cross-area ability held by a role."""

    __tablename__ = "role_capabilities"
    __audited__ = True
    __audit_parent__ = ("roles", "role_id")
    __table_args__ = (sa.UniqueConstraint("role_id", "name", name="uq_role_capability"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("roles.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(30))

    role: Mapped[Role] = relationship(back_populates="capabilities")

    def __str__(self) -> str:
        return self.name


class ReportCadence(StrEnum):
    """How often a team's members write a progress report."""

    WEEKLY = "weekly"
    DAILY = "daily"

    @property
    def label(self) -> str:
        return translate(CADENCE_LABELS[self])


CADENCE_LABELS = {ReportCadence.WEEKLY: _l("Weekly reports"),
                  ReportCadence.DAILY: _l("Daily reports")}


class Team(PinyinSorted, Tracked, Base):
    """An internal team of the operations department."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    report_cadence: Mapped[str] = mapped_column(sa.String(10), default="weekly")
    # The weekday (0 Monday … 6 Sunday) the last week's report is sent to the leads; None:
    # not sent.
    weekly_report_day: Mapped[int | None] = mapped_column(default=None)

    memberships: Mapped[list[TeamMembership]] = relationship(
        back_populates="team", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.name

    @property
    def leads(self) -> list[User]:
        return [m.user for m in self.memberships if m.is_lead]


class TeamMembership(Base):
    """A user's place in a team, as member or lead."""

    __tablename__ = "team_memberships"
    __audited__ = True
    __audit_parent__ = ("teams", "team_id")
    __table_args__ = (sa.UniqueConstraint("team_id", "user_id", name="uq_membership"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    is_lead: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[Team] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.team}"
