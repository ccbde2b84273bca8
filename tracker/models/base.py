"""The declarative base, UTC timestamps and the columns every tracked record carries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    declared_attr,
    mapped_column,
    registry,
    validates,
)

from tracker.search.names import SORT_KEY_LENGTH, sort_key

if TYPE_CHECKING:
    from tracker.models.user import User

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Stores aware datetimes as UTC; SQLite hands back naive ones, which we mark UTC again."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware UTC datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with constraint names Alembic can rely on."""

    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class Tracked:
    """Mixin for records whose every change is kept: who and when, version, archive.

    ``version`` is SQLAlchemy's version counter, so two writers racing past the form
    check still cannot overwrite each other (the UPDATE matches no row).
    The audit hook in ``tracker.audit`` fills the ``*_by`` columns and writes history.
    """

    __audited__ = True

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(default=None)
    version: Mapped[int] = mapped_column(default=1)

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("users.id"), default=None)

    @declared_attr
    def updated_by_id(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("users.id"), default=None)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}

    @declared_attr
    def created_by(cls) -> Mapped[User | None]:
        from sqlalchemy.orm import relationship

        return relationship("User", foreign_keys=[cls.created_by_id], lazy="select")

    @declared_attr
    def updated_by(cls) -> Mapped[User | None]:
        from sqlalchemy.orm import relationship

        return relationship("User", foreign_keys=[cls.updated_by_id], lazy="select")

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


# Byte order on both databases: PostgreSQL's default collation (en_US.UTF-8 and the
# like) ignores spaces and digits at first, which would undo the key's order.
SORT_NAME = sa.String(SORT_KEY_LENGTH).with_variant(
    postgresql.VARCHAR(SORT_KEY_LENGTH, collation="C"), "postgresql")


class PinyinSorted:
    """Mixin for records listed by ``name``: ``sort_name`` holds the name's dictionary
    order (``tracker.search.names.sort_key``: Chinese by pinyin and tone, Latin among
    it), set whenever the name is. Lists order by it, never by ``name``, whose byte
    order puts 刘 before 陈 (45 % of pairs of the demo's names were out of order)."""

    sort_name: Mapped[str] = mapped_column(SORT_NAME)

    @validates("name")
    def _keep_sort_name(self, key: str, name: str) -> str:
        self.sort_name = sort_key(name)
        return name
