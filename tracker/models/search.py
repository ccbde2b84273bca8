"""The search index: one document per searchable record (see ``tracker.search``).

A document is derived data, rewritten from the record by the write path's flush hook and
by ``flask search reindex``; nothing else writes it. Its grams (every character and pair
of neighbouring characters of the folded text) live in an FTS5 table on SQLite
(``search_grams``, created by the migration) and in the ``grams`` array with a GIN index
on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base

# Tables and indexes the models do not describe: SQLite's FTS5 table and its shadow
# tables. Alembic's comparison leaves them out (migrations/env.py, the migrations test).
FTS_TABLE = "search_grams"


class MoneyPart:
    """Which readers a document is for: records without money fields have one document
    for everybody; an agreement has one with its money fields and one without."""

    EVERYONE = 0
    WITH_MONEY = 1
    WITHOUT_MONEY = 2


class SearchDocument(Base):
    """The searchable text of one record, folded, with what filters and ranking need."""

    __tablename__ = "search_documents"
    __table_args__ = (
        sa.Index("ix_search_documents_record", "source", "record_id"),
        sa.Index("ix_search_documents_grams", "grams", postgresql_using="gin").ddl_if(
            dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(40))  # the record's table
    record_id: Mapped[int]
    money: Mapped[int] = mapped_column(sa.SmallInteger, default=MoneyPart.EVERYONE)
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(300), default="")
    head: Mapped[str] = mapped_column(sa.String(300), default="")  # the title, folded
    text: Mapped[str] = mapped_column(sa.Text, default="")  # as written, for snippets
    body: Mapped[str] = mapped_column(sa.Text, default="")  # folded, to check a match
    organization_id: Mapped[int | None]
    owner_id: Mapped[int | None]
    team_id: Mapped[int | None]
    status: Mapped[str | None] = mapped_column(sa.String(40))
    at: Mapped[datetime]
    # the owners and team its record's scope names ("u12 t5"), also filed as postings
    # under its kind key: a search narrows by the reader's keys before it asks the access
    # layer (access.reach)
    reach: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    grams: Mapped[list[str] | None] = mapped_column(
        sa.JSON().with_variant(postgresql.ARRAY(sa.Text), "postgresql"))


def include_in_comparison(dialect: str) -> Callable[..., bool]:
    """Alembic's ``include_object``: what the models describe on ``dialect``."""

    def include(obj: object, name: str | None, type_: str, reflected: bool,
                compare_to: object) -> bool:
        if type_ == "table" and name and name.startswith(FTS_TABLE):
            return False
        if type_ == "index" and name == "ix_search_documents_grams":
            return dialect == "postgresql"
        return True

    return include
