"""Streams generated rows into the database: executemany on SQLite, COPY on PostgreSQL.

Rows are plain tuples in the order of the column names given; times arrive already as
text in the dialect's own format (``Loader.ts``), so no per-value type processing runs
in the hot loop. Ids are chosen by the generator, so nothing is read back (no RETURNING)
and the load stays linear; PostgreSQL's id sequences are moved past them at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import Any

import sqlalchemy as sa

from tracker.extensions import db

CHUNK = 20_000
SQLITE_COMMIT_EVERY = 100_000  # rows per transaction on SQLite (WAL, synchronous off)
PROGRESS_EVERY = 5.0  # seconds between progress lines of one table


def _sqlite_ts(t: int) -> str:
    # SQLAlchemy's SQLite DATETIME text format, microseconds included, so text
    # comparisons with bound parameters order correctly.
    return time.strftime("%Y-%m-%d %H:%M:%S.000000", time.gmtime(t))


def _pg_ts(t: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(t))


class Loader:
    """One raw connection for the whole load; counts rows per table and reports progress."""

    def __init__(self, progress: Callable[[str], None] | None) -> None:
        self.progress = progress or (lambda _line: None)
        self.dialect = db.engine.dialect.name
        self.is_pg = self.dialect == "postgresql"
        self.ts: Callable[[int], str] = _pg_ts if self.is_pg else _sqlite_ts
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self._pending = 0
        self._last_report: dict[str, float] = {}
        self._conn = db.engine.connect()
        self.raw: Any = self._conn.connection.dbapi_connection
        if not self.is_pg:
            cur = self.raw.cursor()
            # This connection only (it is discarded at the end): no fsync, no FK checks
            # (the generator writes parents first and consistent ids), a large page cache.
            for pragma in ("synchronous=OFF", "foreign_keys=OFF", "cache_size=-200000",
                           "temp_store=MEMORY"):
                cur.execute(f"PRAGMA {pragma}")
            cur.close()

    # -- values --------------------------------------------------------------------------
    def day(self, d: date) -> Any:
        """A date column's value."""
        return d if self.is_pg else d.isoformat()

    def money(self, amount: Decimal | None) -> Any:
        """A Numeric column's value (SQLite stores floats, as SQLAlchemy binds them)."""
        if amount is None or self.is_pg:
            return amount
        return float(amount)

    # -- ids -----------------------------------------------------------------------------
    def next_id(self, table: str) -> int:
        """The first free id of ``table`` (1 on an empty table)."""
        cur = self.raw.cursor()
        cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
        value = cur.fetchone()[0]
        cur.close()
        return int(value) + 1

    # -- loading -------------------------------------------------------------------------
    def load(self, table: str, columns: Sequence[str], rows: Iterable[tuple],
             total: int | None = None) -> int:
        """Insert every row of ``rows`` (tuples in ``columns`` order); returns how many."""
        started = time.perf_counter()
        iterator = iter(rows)
        n = 0
        while True:
            chunk = list(islice(iterator, CHUNK))
            if not chunk:
                break
            self._write(table, columns, chunk)
            n += len(chunk)
            self._account(table, len(chunk), time.perf_counter() - started, total)
            started = time.perf_counter()
        return n

    def _write(self, table: str, columns: Sequence[str], chunk: list[tuple]) -> None:
        cols = ", ".join(columns)
        cur = self.raw.cursor()
        if self.is_pg:
            with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in chunk:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", chunk)
            self._pending += len(chunk)
            if self._pending >= SQLITE_COMMIT_EVERY:
                self.raw.commit()
                self._pending = 0
        cur.close()

    def _account(self, table: str, n: int, seconds: float, total: int | None) -> None:
        self.counts[table] = self.counts.get(table, 0) + n
        self.seconds[table] = self.seconds.get(table, 0.0) + seconds
        now = time.perf_counter()
        if now - self._last_report.get(table, 0.0) >= PROGRESS_EVERY or (
                total is not None and self.counts[table] >= total):
            self._last_report[table] = now
            self.report(table, total)

    def report(self, table: str, total: int | None = None) -> None:
        """One progress line: rows so far and the rate (generation included)."""
        done, spent = self.counts.get(table, 0), self.seconds.get(table, 0.0)
        of = f" / {total:,}" if total else ""
        rate = done / spent if spent > 0 else 0.0
        self.progress(f"  {table}: {done:,}{of} rows, {rate:,.0f} rows/s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """One statement on the load connection (bulk UPDATEs after the inserts)."""
        cur = self.raw.cursor()
        if self.is_pg:
            cur.execute(sql.replace("?", "%s"), params)
        else:
            cur.execute(sql, params)
        cur.close()

    def commit(self) -> None:
        """Make everything so far durable (one commit per section on PostgreSQL)."""
        self.raw.commit()
        self._pending = 0

    # -- finishing -----------------------------------------------------------------------
    def reset_sequences(self) -> None:
        """PostgreSQL: move every id sequence past the ids the generator chose."""
        if not self.is_pg:
            return
        for table in db.metadata.sorted_tables:
            if "id" not in table.c or not isinstance(table.c.id.type, sa.Integer):
                continue
            self.execute(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)")
        self.commit()

    def close(self) -> None:
        """Commit and discard the connection (its pragmas must not reach the pool)."""
        self.raw.commit()
        self._conn.invalidate()
        self._conn.close()

