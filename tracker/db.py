"""Database set-up that depends on the engine: SQLite pragmas, PostgreSQL session settings."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

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
    cursor = dbapi_connection.cursor()
    cursor.execute("SET jit = off")
    cursor.close()
    dbapi_connection.commit()


def init_database(app: Flask) -> None:
    """Per-connection settings: foreign keys and WAL on SQLite, no JIT on PostgreSQL."""
    with app.app_context():
        engine: Engine = db.engine
        hook = {"sqlite": _sqlite_pragmas, "postgresql": _postgres_settings}.get(
            engine.dialect.name)
        if hook is not None and not event.contains(engine, "connect", hook):
            event.listen(engine, "connect", hook)
