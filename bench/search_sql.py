"""The database time of a search (issue 10, point 7): the statement the results page runs,
timed on the database connection itself, as each reader.

A page's requests/s and p99 say what the reader waits for; this says what the database
costs. The statement is the kept one the page runs (``query._kept_statement``), compiled
as the page compiles it (``CompiledStatement``), then executed and fetched whole on the
raw DBAPI cursor:
no ORM, no SQLAlchemy cache lookup, nothing but the database and its driver. The median
of ``RUNS`` after ``WARM`` unmeasured runs: the first fill the page cache, and psycopg
prepares a statement on its fifth run on a connection, after which PostgreSQL runs its
kept plan (as the app's kept statements are run by a worker's pooled connections).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask

from tracker.compiled import CompiledStatement
from tracker.extensions import db
from tracker.models import User
from tracker.search.normalize import query_terms
from tracker.search.query import Filters, _kept_statement

RUNS = 11
WARM = 6
# The target: a two-character Chinese query costs at most this much database time.
MAX_SQL_MS = 10.0
# (words, role): two-character words from a name-like one (few documents) to the most
# common one (in a third of all documents), for each reader whose scope differs, and a
# longer phrase and an English word for comparison (reported, not judged).
QUERIES: tuple[tuple[str, str], ...] = (
    *((words, role) for words in ("科技", "发票", "对账", "客户")
      for role in ("admin", "team_member", "account_manager", "support_agent")),
    ("青禾", "admin"), ("logistics", "admin"), ("supply chain", "admin"),
)


@dataclass
class SearchTime:
    words: str
    role: str
    median_ms: float
    max_ms: float
    judged: bool  # a two-character Chinese word: held to ``MAX_SQL_MS``

    @property
    def missed(self) -> bool:
        return self.judged and self.median_ms > MAX_SQL_MS

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "missed": self.missed}


def two_chinese_characters(words: str) -> bool:
    return len(words) == 2 and all("\u4e00" <= ch <= "\u9fff" for ch in words)


def time_search(user: User, words: str) -> list[float]:
    """Milliseconds per run of the results page's statement for ``words`` as ``user``."""
    terms = query_terms(words)
    dialect = db.engine.dialect.name
    statement, values = _kept_statement(user, terms, Filters(), dialect, 1, 20, 3)
    compiled = CompiledStatement(statement, db.engine.dialect, values)
    sql, params = compiled.sql, compiled.parameters(values)
    raw = db.session.connection().connection.dbapi_connection
    times = []
    for run in range(WARM + RUNS):
        cursor = raw.cursor()
        started = time.perf_counter()
        cursor.execute(sql, params)
        cursor.fetchall()
        if run >= WARM:
            times.append((time.perf_counter() - started) * 1000)
        cursor.close()
    return times


def measure(app: Flask, accounts: dict[str, str]) -> list[SearchTime]:
    """Each of ``QUERIES`` whose reader the data has an account for."""
    found = []
    with app.app_context():
        for words, role in QUERIES:
            email = accounts.get(role)
            user = db.session.scalar(sa.select(User).where(User.email == email)) if email else None
            if user is None:
                continue
            times = time_search(user, words)
            found.append(SearchTime(words, role, round(statistics.median(times), 2),
                                    round(max(times), 2), two_chinese_characters(words)))
        db.session.remove()
    return found


def table(times: list[SearchTime]) -> str:
    lines = [f"search SQL (median of {RUNS}, ms; target <= {MAX_SQL_MS:.0f} ms for two "
             "Chinese characters)",
             f"{'words':<14} {'reader':<16} {'median':>8} {'max':>8}"]
    for t in times:
        mark = "  MISSED" if t.missed else ""
        lines.append(f"{t.words:<14} {t.role:<16} {t.median_ms:8.2f} {t.max_ms:8.2f}{mark}")
    return "\n".join(lines)
