"""Imports of spreadsheets: the uploaded file's rows, how its columns map onto fields,
what a dry run said of each row, and what the import did (so it can be undone)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.i18n import translate
from tracker.models.base import Base, utcnow
from tracker.models.user import User


class ImportKind(StrEnum):
    """What a file brings in."""

    PARTNERS = "partners"
    CLIENTS = "clients"
    COMPLAINTS = "complaints"

    @property
    def label(self) -> str:
        return translate(IMPORT_KIND_LABELS[self])


IMPORT_KIND_LABELS = {
    ImportKind.PARTNERS: _l("Partners with their contacts"),
    ImportKind.CLIENTS: _l("Clients with their contacts"),
    ImportKind.COMPLAINTS: _l("Complaints"),
}


class ImportState(StrEnum):
    """Where an import stands: mapped → checking → checked (the dry run, a job) → queued →
    running → done;
    an import that is done can be undone (undoing → undone)."""

    MAPPING = "mapping"
    CHECKING = "checking"
    CHECKED = "checked"
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    UNDOING = "undoing"
    UNDONE = "undone"

    @property
    def label(self) -> str:
        return translate(IMPORT_STATE_LABELS[self])

    @property
    def is_working(self) -> bool:
        return self in (ImportState.CHECKING, ImportState.QUEUED, ImportState.RUNNING,
                        ImportState.UNDOING)


IMPORT_STATE_LABELS = {
    ImportState.MAPPING: _l("Columns to check"),
    ImportState.CHECKING: _l("Checking every row"),
    ImportState.CHECKED: _l("Checked, not imported"),
    ImportState.QUEUED: _l("Waiting to start"),
    ImportState.RUNNING: _l("Importing"),
    ImportState.DONE: _l("Imported"),
    ImportState.FAILED: _l("Stopped by an error"),
    ImportState.UNDOING: _l("Being undone"),
    ImportState.UNDONE: _l("Undone"),
}


class RowOutcome(StrEnum):
    """What happened (or, in a dry run, would happen) to one row."""

    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REJECT = "reject"

    @property
    def label(self) -> str:
        return translate(ROW_OUTCOME_LABELS[self])


ROW_OUTCOME_LABELS = {
    RowOutcome.CREATE: _l("New"),
    RowOutcome.UPDATE: _l("Update"),
    RowOutcome.UNCHANGED: _l("No change"),
    RowOutcome.REJECT: _l("Rejected"),
}


class ImportBatch(Base):
    """One uploaded file and its import. A working record of its owner's, not a record of
    the work: the records it creates or updates carry the history ("imported from …")."""

    __tablename__ = "imports"
    __table_args__ = (sa.Index("ix_imports_user_id", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    filename: Mapped[str] = mapped_column(sa.String(255))
    headers: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # One field key per column of the file ("" for a column left out).
    mapping: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # The mapping the dry run was made with: the import runs only with that one.
    checked_mapping: Mapped[list[str] | None] = mapped_column(sa.JSON, default=None)
    state: Mapped[str] = mapped_column(sa.String(12), default=ImportState.MAPPING)
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_at: Mapped[datetime | None] = mapped_column(default=None)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    undone_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship()
    rows: Mapped[list[ImportRow]] = relationship(order_by="ImportRow.number",
                                                 cascade="all, delete-orphan",
                                                 passive_deletes=True)

    @property
    def state_enum(self) -> ImportState:
        return ImportState(self.state)

    @property
    def kind_enum(self) -> ImportKind:
        return ImportKind(self.kind)

    @property
    def percent(self) -> int:
        return round(100 * self.processed / self.total) if self.total else 100


class ImportRow(Base):
    """One data row of the file: its cells, the dry run's verdict and the import's."""

    __tablename__ = "import_rows"
    __table_args__ = (sa.UniqueConstraint("import_id", "number",
                                          name="uq_import_rows_import_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(sa.ForeignKey("imports.id", ondelete="CASCADE"))
    number: Mapped[int]  # the row as the spreadsheet numbers it (the header is row 1)
    cells: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    checked: Mapped[str | None] = mapped_column(sa.String(12), default=None)
    outcome: Mapped[str | None] = mapped_column(sa.String(12), default=None)
    # Why a row is rejected, as a code and its values: shown in the reader's language.
    reason: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON, default=None)
    # What the import did, for the undo: [{"type", "id", "action", "version", "before"}].
    changes: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
