"""An import from upload to undo.

1. ``create_import``: the file read and kept as rows, its columns guessed.
2. ``check`` (the dry run, a job: ``imports.check``): every row applied exactly as the
   import will apply it, inside a savepoint that is then rolled back; each row's verdict
   is kept for the page (5,000 rows take about 20 s on SQLite: too long for a request).
3. ``start``: the import as a job (``imports.run``), committing every ``CHUNK`` rows so
   the page can show its progress; a retried job goes on from the first row not done.
4. ``undo`` (``imports.undo``): what the import created is archived, what it updated is
   put back, unless somebody changed the record since (that row is said, and left).

Every change is filed in its record's history with the file and the row it came from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tracker.audit import set_actor, set_via
from tracker.extensions import db
from tracker.imports.fields import cells_of, guess_mapping
from tracker.imports.files import read_table
from tracker.imports.rows import (
    RowContext,
    RowRejected,
    apply_complaint_row,
    apply_organization_row,
    put_back_complaint,
    put_back_contact,
    put_back_org,
    state_of,
)
from tracker.jobs import handler, later
from tracker.models import (
    Complaint,
    Contact,
    ImportBatch,
    ImportKind,
    ImportRow,
    ImportState,
    Organization,
    RowOutcome,
    User,
    utcnow,
)
from tracker.records import StaleRecord, archive
from tracker.search.index import deferred

CHUNK = 100
MODELS: dict[str, Any] = {"organizations": Organization, "contacts": Contact,
                          "complaints": Complaint}


def create_import(user: User, kind: str, filename: str, data: bytes) -> ImportBatch:
    """A new import of the file's rows (ImportFileError when it cannot be read)."""
    headers, rows = read_table(filename, data)
    # Some clients send the whole path ("/home/…/客诉表.xlsx"): the name is enough.
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()[-255:] or "upload"
    batch = ImportBatch(user_id=user.id, kind=kind, filename=name,
                        headers=headers, mapping=guess_mapping(kind, headers), total=len(rows))
    db.session.add(batch)
    db.session.flush()
    db.session.execute(sa.insert(ImportRow), [
        {"import_id": batch.id, "number": n, "cells": cells, "changes": []} for n, cells in rows])
    return batch


def rows_of(batch: ImportBatch) -> sa.Select[tuple[ImportRow]]:
    return sa.select(ImportRow).where(ImportRow.import_id == batch.id).order_by(ImportRow.number)


def _apply(ctx: RowContext, batch: ImportBatch, row: ImportRow
           ) -> tuple[RowOutcome, dict[str, Any] | None, list[dict[str, Any]]]:
    """One row in its own savepoint: its outcome, the reason of a rejection, its changes."""
    values = cells_of(row.cells, batch.checked_mapping or batch.mapping)
    apply = apply_complaint_row if batch.kind == ImportKind.COMPLAINTS else \
        apply_organization_row
    set_via(db.session, {"import": batch.id, "file": batch.filename, "row": row.number})
    savepoint = db.session.begin_nested()
    try:
        changes = apply(ctx, values)
        db.session.flush()
    except RowRejected as refused:
        savepoint.rollback()
        return RowOutcome.REJECT, refused.reason, []
    except (IntegrityError, StaleRecord, ValueError) as exc:
        savepoint.rollback()
        return RowOutcome.REJECT, {"code": "not_saved", "error": type(exc).__name__}, []
    finally:
        set_via(db.session, None)
    savepoint.commit()
    ctx.remember(changes)
    actions = {c["action"] for c in changes}
    if actions & {"create", "restore"}:
        return RowOutcome.CREATE, None, changes
    return (RowOutcome.UPDATE if changes else RowOutcome.UNCHANGED), None, changes


def check(batch: ImportBatch, user: User) -> Counter[str]:
    """The dry run: what each row would do, kept on the rows; nothing else is changed."""
    batch.checked_mapping = list(batch.mapping)
    rows = list(db.session.scalars(rows_of(batch)))
    ctx = RowContext(user, batch.kind)
    verdicts: list[tuple[int, RowOutcome, dict[str, Any] | None, list[dict[str, Any]]]] = []
    outer = db.session.begin_nested()
    try:
        with deferred(db.session, write=False):  # nothing of a dry run is kept
            for row in rows:
                outcome, reason, changes = _apply(ctx, batch, row)
                # What the row would do, for the page (its records are rolled back).
                plan = [{"type": c["type"], "action": c["action"]} for c in changes]
                verdicts.append((row.id, outcome, reason, plan))
    finally:
        outer.rollback()
    db.session.execute(sa.update(ImportRow), [
        {"id": row_id, "checked": outcome.value, "reason": reason, "changes": plan}
        for row_id, outcome, reason, plan in verdicts])
    batch = db.session.get(ImportBatch, batch.id)  # the rollback expired it
    assert batch is not None
    batch.checked_mapping = list(batch.mapping)
    batch.state = ImportState.CHECKED.value
    batch.checked_at = utcnow()
    return Counter(outcome.value for _id, outcome, _reason, _plan in verdicts)


def start_check(batch: ImportBatch, mapping: list[str]) -> None:
    """Queue the dry run of ``mapping`` (the page waits for its verdicts)."""
    batch.mapping = mapping
    batch.state = ImportState.CHECKING.value
    batch.error = ""
    later("imports.check", import_id=batch.id)


@handler("imports.check")
def run_check(import_id: int) -> None:
    # Nothing is changed by a check that stops: the page shows the columns again, with why.
    _as_uploader(import_id, (ImportState.CHECKING,), ImportState.MAPPING, check)


def start(batch: ImportBatch) -> None:
    """Queue the import of a checked file (the page follows its progress)."""
    batch.state = ImportState.QUEUED.value
    batch.processed = 0
    later("imports.run", import_id=batch.id)


def undo(batch: ImportBatch) -> None:
    """Queue the undo of a finished import."""
    batch.state = ImportState.UNDOING.value
    batch.processed = 0
    later("imports.undo", import_id=batch.id)


def _chunks(rows: list[ImportRow]) -> Iterable[list[ImportRow]]:
    for start_at in range(0, len(rows), CHUNK):
        yield rows[start_at:start_at + CHUNK]


def _as_uploader(import_id: int, states: tuple[ImportState, ...],
                 stopped: ImportState | None, work: Callable[[ImportBatch, User], Any]) -> None:
    """Do ``work`` on the import as the person who uploaded it, if it is in one of
    ``states``. An error stops it in ``stopped``, kept for the page (rows committed so far
    stay); with ``stopped`` None the job fails and the queue tries it again."""
    batch = db.session.get(ImportBatch, import_id)
    if batch is None or batch.state not in states:
        return
    user = db.session.get(User, batch.user_id)
    assert user is not None
    set_actor(db.session, user.id)
    try:
        work(batch, user)
    except Exception as exc:
        if stopped is None:
            raise
        db.session.rollback()
        failed = db.session.get(ImportBatch, import_id)
        assert failed is not None
        failed.state = stopped.value
        failed.error = "".join(str(exc).splitlines()[:1])[:2000] or type(exc).__name__
    finally:
        set_actor(db.session, None)


@handler("imports.run")
def run_import(import_id: int) -> None:
    # A stopped import goes on from the first row left ("Go on from where it stopped").
    _as_uploader(import_id, (ImportState.QUEUED, ImportState.RUNNING), ImportState.FAILED,
                 _import_rows)


def _import_rows(batch: ImportBatch, user: User) -> None:
    batch.state = ImportState.RUNNING.value
    batch.started_at = batch.started_at or utcnow()
    ctx = RowContext(user, batch.kind)
    rows = list(db.session.scalars(rows_of(batch).where(ImportRow.outcome.is_(None))))
    batch.processed = batch.total - len(rows)
    db.session.commit()
    for chunk in _chunks(rows):
        with deferred(db.session):  # the chunk's records indexed together
            for row in chunk:
                outcome, reason, changes = _apply(ctx, batch, row)
                row.outcome, row.reason, row.changes = outcome.value, reason, changes
        batch.processed += len(chunk)
        db.session.commit()  # progress shows, and a retry goes on from here
    batch.state = ImportState.DONE.value
    batch.finished_at = utcnow()


@handler("imports.undo")
def run_undo(import_id: int) -> None:
    _as_uploader(import_id, (ImportState.UNDOING,), None, _undo_rows)


def _undo_rows(batch: ImportBatch, user: User) -> None:
    rows = list(db.session.scalars(rows_of(batch).where(
        ImportRow.outcome.in_((RowOutcome.CREATE.value, RowOutcome.UPDATE.value)))
        .order_by(None).order_by(ImportRow.number.desc())))
    for chunk in _chunks(rows):
        with deferred(db.session):
            for row in chunk:
                row.changes = _undo_row(batch, row, user)
        batch.processed += len(chunk)
        db.session.commit()
    batch.state = ImportState.UNDONE.value
    batch.undone_at = utcnow()


def _undo_row(batch: ImportBatch, row: ImportRow, user: User) -> list[dict[str, Any]]:
    """Put back what one row did, newest change first; a record changed since the import
    (its values differ from what the import left) is left as it is, marked "kept"."""
    kept = []
    set_via(db.session, {"undo": batch.id, "file": batch.filename, "row": row.number})
    try:
        for change in reversed(row.changes):
            record = db.session.get(MODELS[change["type"]], change["id"])
            if record is None or state_of(record) != change["after"]:
                kept.append({**change, "kept": True})
                continue
            if change["action"] in ("create", "restore"):
                archive(record)
            elif change["type"] == "organizations":
                put_back_org(record, change["before"])
            elif change["type"] == "contacts":
                put_back_contact(record, change["before"])
            else:
                put_back_complaint(record, change["before"], user)
            db.session.flush()
            kept.append({**change, "undone": True})
    finally:
        set_via(db.session, None)
    return list(reversed(kept))


def counts(batch: ImportBatch, column: str = "outcome") -> Counter[str]:
    """How many rows had each outcome (``column`` "checked": in the dry run)."""
    field = getattr(ImportRow, column)
    return Counter(dict(db.session.execute(sa.select(field, sa.func.count()).where(
        ImportRow.import_id == batch.id, field.is_not(None)).group_by(field)).all()))
