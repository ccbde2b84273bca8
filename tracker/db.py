"""Database set-up that depends on the engine: SQLite pragmas, PostgreSQL session settings,
and how a request that only read ends its transaction."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, Session

from tracker.extensions import db


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _postgres_settings(dbapi_connection: Any, connection_record: Any) -> None:
    # No JIT: it compiles a page's larger statements (a timeline's union, My day) for
    # 1-1.5 s, to save milliseconds of execution. Every statement here is a short
    # index-range read, which is what JIT is not for.
    # Generic plans: a statement psycopg has prepared (see below) is planned once per
    # connection, not on every run. PostgreSQL otherwise re-plans with each run's values
    # when it guesses a custom plan is better, and planning a record header or a timeline
    # cost 1-2 ms against 0.3-1 ms of running it. Every statement here is written for an
    # index whatever its values (ranges on indexed columns, keyset cursors, LIMITs written
    # as numbers: ``_literal_limits``), so the generic plan is the one a custom plan picks.
    cursor = dbapi_connection.cursor()
    cursor.execute("SET jit = off")
    cursor.execute("SET plan_cache_mode = force_generic_plan")
    cursor.close()
    dbapi_connection.commit()


def _literal_limits() -> None:
    """Write LIMIT and OFFSET as numbers on PostgreSQL, not as parameters.

    A generic plan does not know a parameter's value and assumes a LIMIT takes a tenth of
    the rows, which makes a sort of the whole range look cheaper than walking an index in
    order and stopping after five rows (the dashboard: 0.4 → 14 ms). The numbers are the
    same on every run of a kept statement (a page size, a count's cap), so the SQL text,
    and the statement psycopg keeps prepared, stay the same.
    """
    from sqlalchemy.dialects.postgresql.base import PGCompiler

    original = PGCompiler.limit_clause
    if getattr(original, "writes_numbers", False):
        return

    def limit_clause(self: PGCompiler, select: Any, **kw: Any) -> str:
        kw["literal_execute"] = True
        return original(self, select, **kw)

    limit_clause.writes_numbers = True  # type: ignore[attr-defined]
    PGCompiler.limit_clause = limit_clause  # type: ignore[method-assign]


_literal_limits()


# -- a request that only read commits --------------------------------------------------------
# psycopg keeps a statement prepared (parsed and planned once) after its fifth run on a
# connection, but forgets every prepared statement on ROLLBACK. A request's transaction
# ended by rolling back, even when it only read, so no statement stayed prepared and
# PostgreSQL planned every statement of every page again (1-2 ms for a timeline's). A
# transaction that wrote nothing commits instead: the same end for a reader, and the plans
# stay. Anything written (a flush, an UPDATE or DELETE run directly) keeps the old rule:
# what the view did not commit is rolled back.
_WROTE = "tracker_wrote"


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)


def end_read_only(exc: BaseException | None = None) -> None:
    """Commit the request's transaction if it wrote nothing and nothing is pending."""
    if not db.session.registry.has():
        return
    session = db.session()
    if (exc is None and session.in_transaction() and not session.info.get(_WROTE)
            and not (session.new or session.dirty or session.deleted)):
        session.commit()


def init_database(app: Flask) -> None:
    """Per-connection settings: foreign keys and WAL on SQLite, no JIT on PostgreSQL; a
    request that only read ends with a commit."""
    app.teardown_request(end_read_only)
    with app.app_context():
        engine: Engine = db.engine
        hook = {"sqlite": _sqlite_pragmas, "postgresql": _postgres_settings}.get(
            engine.dialect.name)
        if hook is not None and not event.contains(engine, "connect", hook):
            event.listen(engine, "connect", hook)
