"""Keeping the index: written from the session's flush, rebuilt by ``flask search reindex``.

Every write path is covered without touching the services that write (as the audit trail
and the organizations' rollups are): a flush hook notes each searchable record a flush
created, changed, archived, restored or deleted (and the parent of a changed child row: a
round's topic, a complaint's reply, an attachment), then rewrites those records'
documents in the same transaction. Archiving or restoring an organization, or giving it
another owner or team, rewrites the documents of everything filed under it.

Who may see a document is not stored: searches join each document to its record through
the access layer, so a changed role, membership or confidential flag needs no rewrite.
What is stored is the record's reach keys (``tracker.access.reach``), which only narrow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from tracker.access.reach import root_of, scope_columns
from tracker.access.scopes import PARENTS, parent_chain
from tracker.access.scopes import SOURCES as FOLLOWUP_SOURCES
from tracker.models import Attachment, FollowUp, Organization, SearchDocument
from tracker.models.search import FTS_TABLE
from tracker.search.normalize import (
    fold,
    gram_element,
    gram_token,
    grams,
    kind_key,
    month_element,
    reach_element,
    reach_token,
)
from tracker.search.sources import CHILD_PARENTS, SOURCES, Document, Ids, load

DOCS = SearchDocument.__table__
GIN_INDEX = "ix_search_documents_grams"
_PENDING = "search_pending"
_ORGS = "search_pending_orgs"
_DEFERRED = "search_deferred"
BATCH = 2000


def _is_sqlite(conn: sa.Connection) -> bool:
    return conn.dialect.name == "sqlite"


def _row(doc: Document, postgres: bool) -> dict[str, Any]:
    folded = [fold(part) for part in doc.parts + doc.extra]
    body = "\n".join(f for f in folded if f)
    # the title and a name's pinyin, each after a line break: "starts with" is a search
    # for the line break and the term (see ``query._rank``)
    head = "".join(f"\n{line}" for line in [fold(doc.title), *doc.extra] if line)[:300]
    row = {
        "source": doc.source, "record_id": doc.record_id, "money": doc.money,
        "kind": doc.kind, "title": doc.title[:300], "head": head,
        "text": "\n".join(doc.parts), "body": body,
        "organization_id": doc.organization_id, "owner_id": doc.owner_id,
        "team_id": doc.team_id, "status": doc.status, "at": doc.at,
        "reach": " ".join(doc.reach),
    }
    row["grams"] = _elements(row) if postgres else None
    return row


def _postings(row: Any, gram: Callable[[str, str], str],
              reach: Callable[[str, str], str]) -> list[str]:
    """A document's postings (see ``normalize.kind_key``): its text's grams and its reach
    keys, each filed under its kind key."""
    key = kind_key(row["kind"], row["money"])
    return sorted({gram(key, g) for g in grams(row["body"])}
                  | {reach(key, k) for k in row["reach"].split()})


def _elements(row: Any) -> list[str]:
    return [*_postings(row, gram_element, reach_element),
            month_element(kind_key(row["kind"], row["money"]), row["at"])]


def _tokens(row: Any) -> str:
    return " ".join(_postings(row, gram_token, reach_token))


def _drop(conn: sa.Connection, table: str, ids: Ids) -> None:
    """Remove the documents of ``ids`` (and, on SQLite, their grams)."""
    where = sa.and_(DOCS.c.source == table, DOCS.c.record_id.between(*ids)
                    if isinstance(ids, tuple) else DOCS.c.record_id.in_(ids))
    if _is_sqlite(conn):
        old = conn.execute(sa.select(DOCS.c.id, DOCS.c.kind, DOCS.c.money, DOCS.c.body,
                                     DOCS.c.reach).where(where)).mappings().all()
        if old:
            # A contentless FTS5 table forgets a row when told the exact tokens it had.
            conn.execute(sa.text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, grams) "
                                 "VALUES ('delete', :id, :grams)"),
                         [{"id": row["id"], "grams": _tokens(row)} for row in old])
    conn.execute(sa.delete(DOCS).where(where))


def _insert(conn: sa.Connection, documents: list[Document]) -> int:
    if not documents:
        return 0
    postgres = not _is_sqlite(conn)
    rows = [_row(doc, postgres) for doc in documents]
    if postgres:
        conn.execute(sa.insert(DOCS), rows)
        return len(rows)
    ids = conn.execute(sa.insert(DOCS).returning(DOCS.c.id, sort_by_parameter_order=True),
                       rows).scalars().all()
    conn.execute(sa.text(f"INSERT INTO {FTS_TABLE}(rowid, grams) VALUES (:id, :grams)"),
                 [{"id": i, "grams": _tokens(row)} for i, row in zip(ids, rows, strict=True)])
    return len(rows)


def rewrite(conn: sa.Connection, table: str, ids: Ids) -> int:
    """Make the documents of these records of ``table`` match the records now."""
    _drop(conn, table, ids)
    return _insert(conn, load(conn, table, ids))


def _under_organizations(conn: sa.Connection, org_ids: list[int]
                         ) -> Iterable[tuple[str, list[int]]]:
    for table, source in SOURCES.items():
        if source.organization and source.model is not Organization:
            column = getattr(source.model, source.organization)
            ids = conn.execute(sa.select(source.model.id).where(column.in_(org_ids))
                               ).scalars().all()
            if ids:
                yield table, list(ids)


def _followups_from(conn: sa.Connection, pending: dict[str, set[int]]) -> set[int]:
    """Follow-ups that come from records being rewritten (or from their children: a
    meeting's agenda items): their reach keys include their source's."""
    found: set[int] = set()
    for source_type, model in FOLLOWUP_SOURCES.items():
        chain = parent_chain(model)
        for depth, above in enumerate(chain):
            if depth and above is Organization:
                continue  # a moved organization already put its records in ``pending``
            ids = sorted(pending.get(above.__tablename__, ()))
            for start in range(0, len(ids), BATCH):
                sources: Any = ids[start:start + BATCH]
                for below in reversed(chain[:depth]):  # down to the source's own rows
                    sources = sa.select(below.id).where(PARENTS[below][2]().in_(sources))
                found.update(conn.execute(sa.select(FollowUp.id).where(
                    FollowUp.source_type == source_type, FollowUp.source_id.in_(sources),
                    FollowUp.archived_at.is_(None))).scalars())
    return found


# --- the flush hook -------------------------------------------------------------------

def _targets(obj: Any) -> list[tuple[str, int | None]]:
    table = getattr(obj, "__tablename__", None)
    if table in SOURCES:
        return [(table, obj.id)]
    if table in CHILD_PARENTS:
        parent, fk = CHILD_PARENTS[table]
        return [(parent, getattr(obj, fk))]
    if isinstance(obj, Attachment) and obj.record_type in SOURCES:
        return [(obj.record_type, obj.record_id)]
    return []


def _watched(table: str) -> frozenset[str]:
    """The attributes of ``table``'s rows a document is made of (a change elsewhere, a
    complaint's clock say, leaves its document as it is)."""
    if table in SOURCES:
        source = SOURCES[table]
        root = root_of(source.model)
        owners, team = scope_columns(root) if root is source.model else ([], None)
        names = {*source.fields, source.at, source.owner, source.team, source.status,
                 source.organization, "kind", "archived_at", "tags", "category_id",
                 *owners, team}
        if source.model is FollowUp:
            names.update(("source_type", "source_id", "dedupe_key"))
    elif table in CHILD_PARENTS:
        child = next(c for s in SOURCES.values() for c in s.children
                     if c.model.__tablename__ == table)
        names = {*child.fields, *child.money_fields, *child.also, child.fk}
    else:
        names = {"filename", "archived_at", "record_type", "record_id"}
    return frozenset(n for n in names if n)


_WATCHED: dict[str, frozenset[str]] = {}


def _changed(obj: Any) -> bool:
    table = obj.__tablename__
    names = _WATCHED.get(table) or _WATCHED.setdefault(table, _watched(table))
    attrs = sa.inspect(obj).attrs
    return any(name in attrs and attrs[name].history.has_changes() for name in names)


@cache
def _org_moves() -> tuple[str, ...]:
    owners, team = scope_columns(Organization)
    return ("archived_at", "kind", *owners, *([team] if team else []))


def _org_moved(obj: Any) -> bool:
    """An organization archived, restored, re-kinded or given another owner or team:
    everything under it follows (its documents' reach keys are the organization's)."""
    if not isinstance(obj, Organization):
        return False
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in _org_moves())


@event.listens_for(Session, "after_flush")
def _note(session: Session, _context: Any) -> None:
    pending: dict[str, set[int]] = session.info.setdefault(_PENDING, defaultdict(set))
    for obj in list(session.new) + list(session.deleted):
        for table, record_id in _targets(obj):
            if record_id is not None:
                pending[table].add(record_id)
    for obj in session.dirty:
        targets = _targets(obj)
        if targets and _changed(obj):
            for table, record_id in targets:
                if record_id is not None:
                    pending[table].add(record_id)
            if _org_moved(obj):
                session.info.setdefault(_ORGS, set()).add(obj.id)


@event.listens_for(Session, "after_flush_postexec")
def _write(session: Session, _context: Any) -> None:
    if not session.info.get(_DEFERRED):
        write_pending(session)


def write_pending(session: Session) -> None:
    """Rewrite the documents of the records flushed since the last write."""
    pending: dict[str, set[int]] = session.info.pop(_PENDING, {})
    orgs = session.info.pop(_ORGS, set())
    if not pending and not orgs:
        return
    conn = session.connection()
    if orgs:
        for table, ids in _under_organizations(conn, sorted(orgs)):
            pending.setdefault(table, set()).update(ids)
    followups = _followups_from(conn, pending)
    if followups:
        pending.setdefault(FollowUp.__tablename__, set()).update(followups)
    for table, ids in pending.items():
        wanted = sorted(ids)
        for start in range(0, len(wanted), BATCH):
            rewrite(conn, table, wanted[start:start + BATCH])


@contextmanager
def deferred(session: Session, *, write: bool = True) -> Iterator[None]:
    """The index writes of the flushes inside done once, at the end: an import's rows are
    indexed a hundred at a time, not one by one (``write=False`` drops them, for a dry run
    that is rolled back anyway). A savepoint rolled back inside keeps what came before it:
    rewriting a record that is gone removes its document."""
    session.info[_DEFERRED] = True
    try:
        yield
    except BaseException:
        session.info.pop(_DEFERRED, None)
        raise
    session.info.pop(_DEFERRED, None)
    if write:
        write_pending(session)
    else:
        session.info.pop(_PENDING, None)
        session.info.pop(_ORGS, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous: Any) -> None:
    if session.info.get(_DEFERRED) and previous.parent is not None:
        return  # one row's savepoint: the rows before it are still to be written
    session.info.pop(_PENDING, None)
    session.info.pop(_ORGS, None)


# --- rebuilding ------------------------------------------------------------------------

def clear_grams(conn: sa.Connection) -> None:
    """Empty SQLite's FTS5 table (on PostgreSQL the grams are in the documents' rows)."""
    if _is_sqlite(conn):
        conn.execute(sa.text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')"))


def clear(conn: sa.Connection) -> None:
    """Empty the index."""
    if _is_sqlite(conn):
        clear_grams(conn)
        conn.execute(sa.delete(DOCS))
    else:
        conn.execute(sa.text(f"TRUNCATE {DOCS.name}"))


def id_span(conn: sa.Connection) -> int:
    """How many records ``reindex`` will read (its progress bar's length)."""
    return sum(conn.execute(sa.select(sa.func.count()).select_from(source.model)).scalar_one()
               for source in SOURCES.values())


def reindex(conn: sa.Connection, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index; returns the number of documents written. ``progress`` is
    told how many records each batch covered."""
    clear(conn)
    if not _is_sqlite(conn):
        # Built once over all rows, a GIN index takes minutes; kept up row by row through
        # 1.75 million inserts, it took twenty.
        conn.execute(sa.text(f"DROP INDEX IF EXISTS {GIN_INDEX}"))
    written = 0
    for source in SOURCES.values():
        model = source.model
        # Written oldest first, so that within a kind a later document is a later record:
        # a search past the cap takes each kind's newest postings (``query.candidates``).
        ids = conn.execute(sa.select(model.id).order_by(getattr(model, source.at), model.id)
                           ).scalars().all()
        for start in range(0, len(ids), BATCH):
            batch = ids[start:start + BATCH]
            written += _insert(conn, sorted(load(conn, source.table, batch),
                                            key=lambda doc: (doc.at, doc.record_id)))
            if progress:
                progress(len(batch))
    if _is_sqlite(conn):
        conn.execute(sa.text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"))
    else:
        conn.execute(sa.text("SET LOCAL maintenance_work_mem = '512MB'"))
        conn.execute(sa.text(f"CREATE INDEX {GIN_INDEX} ON {DOCS.name} USING gin (grams)"))
    return written


def size_bytes(conn: sa.Connection) -> int | None:
    """What the index takes on disk (documents, their indexes and the grams), if known."""
    if _is_sqlite(conn):
        try:
            return int(conn.execute(sa.text(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search%' "
                "OR name LIKE 'ix_search%'")).scalar() or 0)
        except sa.exc.OperationalError:  # SQLite built without the dbstat table
            return None
    return int(conn.execute(sa.text(
        f"SELECT pg_total_relation_size('{DOCS.name}')")).scalar_one())


def size_text(conn: sa.Connection) -> str:
    size = size_bytes(conn)
    return "size unknown" if size is None else f"{size / 1024 / 1024:.1f} MB"
