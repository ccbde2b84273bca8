"""``python -m bench.run``: time the list, search, dashboard and export pages on real volume.

Builds a fresh database (SQLite in a temporary directory unless ``--database-url`` names
another, e.g. PostgreSQL), applies the migrations, generates data with
``bench.generate``, then requests each page through the Flask test client as an
administrator (sees everything) and as a team member (sees one team's rows). Every
measurement is printed next to its target; the exit code is 1 when any target is missed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import flask_migrate
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from bench.generate import Generated, generate
from config import TestingConfig
from tracker import create_app
from tracker.extensions import db


# -- targets -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """What one kind of request must achieve: p95 latency and SQL statements per request."""

    p95_ms: float
    max_statements: int
    why: str


# Declared for the default volume (20,000 organizations) on a 2-core machine; they hold for
# SQLite and PostgreSQL alike. A statement budget that does not grow with the data is what
# catches an N+1 (a page that runs one query per row), whatever the timings say.
TARGETS: dict[str, Target] = {
    "page": Target(p95_ms=150, max_statements=15,
                   why="list, search and dashboard pages feel instant"),
    "export": Target(p95_ms=3000, max_statements=200,
                     why="every visible row as CSV; eager loads batch 500 rows per query"),
}

LIST_QUERY = "科技"  # in ~1/16 of names and industries: a typical list filter
SEARCH_QUERY = "wang"  # pinyin brands in English names, and many contact emails
TAG = "VIP"
PAGE_SIZE = 25


@dataclass(frozen=True)
class Case:
    """One request to time."""

    label: str
    url: str
    target: str
    roles: tuple[str, ...] = ("admin", "team_member")


CASES = (
    Case("partners list", "/partners/", "page"),
    Case("partners ?q", f"/partners/?q={LIST_QUERY}", "page"),
    Case("partners -updated page 50", "/partners/?sort=-updated&page=50", "page"),
    Case("clients ?tag", f"/clients/?tag={TAG}", "page"),
    Case("search", f"/search?q={SEARCH_QUERY}", "page"),
    Case("dashboard", "/", "page"),
    Case("partners export.csv", "/partners/export.csv", "export", roles=("admin",)),
)

# The team member's list selects whose plans are shown: (label, kind, filter args, page).
PLANS = (
    ("partners", "partner", {}, 1),
    ("partners ?q", "partner", {"q": LIST_QUERY}, 1),
    ("partners -updated page 50", "partner", {"sort": "-updated"}, 50),
    ("clients ?tag", "client", {"tag": TAG}, 1),
)


@dataclass
class Result:
    """Timings (ms) and statement counts of one case for one role."""

    case: Case
    role: str
    times: list[float]
    statements: list[int]
    size: int
    log: list[tuple[float, str]]
    error: str = ""

    @property
    def p50(self) -> float:
        """Median time, ms."""
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        """95th percentile time, ms."""
        return percentile(self.times, 95)

    @property
    def failures(self) -> list[str]:
        """What misses the target (empty when it is met)."""
        if self.error:
            return [self.error]
        target = TARGETS[self.case.target]
        failed = []
        if self.p95 > target.p95_ms:
            failed.append(f"p95 {self.p95:.0f} ms > {target.p95_ms:.0f} ms")
        if max(self.statements) > target.max_statements:
            failed.append(f"{max(self.statements)} SQL > {target.max_statements}")
        return failed


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


# -- database set-up -----------------------------------------------------------------------
@contextmanager
def bench_database(url: str | None, keep: bool) -> Iterator[tuple[str, str]]:
    """A fresh, empty database: yields its URL and a scratch directory for the instance."""
    tmp = tempfile.mkdtemp(prefix="tracker-bench-")
    url = url or f"sqlite:///{tmp}/bench.db"
    parsed = sa.engine.make_url(url)
    is_postgres = parsed.get_backend_name() == "postgresql"
    if is_postgres:
        parsed = parsed.set(drivername="postgresql+psycopg")
        url = parsed.render_as_string(hide_password=False)
        _postgres_admin(parsed, f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)',
                        f'CREATE DATABASE "{parsed.database}"')
    try:
        yield url, tmp
    finally:
        if keep:
            print(f"kept: {url} (instance in {tmp})")
        else:
            if is_postgres:
                _postgres_admin(parsed,
                                f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
            shutil.rmtree(tmp, ignore_errors=True)


def _postgres_admin(url: sa.URL, *statements: str) -> None:
    """Run statements on the ``postgres`` maintenance database, outside a transaction."""
    engine = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def build(url: str, tmp: str, n_orgs: int, n_users: int, n_teams: int) -> tuple[Flask,
                                                                                  Generated]:
    """The app on a migrated database filled with generated data."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, INSTANCE_PATH=tmp)
    with app.app_context():
        started = time.perf_counter()
        flask_migrate.upgrade()
        migrated = time.perf_counter()
        data = generate(n_orgs, n_users, n_teams)
        generated = time.perf_counter()
        if db.engine.dialect.name == "postgresql":
            # Autovacuum would do this within a minute of the load; production has stats.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("ANALYZE"))
        print(f"migrations {migrated - started:.1f} s, data {generated - migrated:.1f} s: "
              + ", ".join(f"{n} {what}" for what, n in data.counts.items()))
        db.session.remove()
    return app, data


# -- measuring -----------------------------------------------------------------------------
class StatementCounter:
    """Counts the SQL statements the engine sends (``before_cursor_execute``), and logs them.

    The log keeps each statement and the time its ``execute`` took (ms), for ``--sql``; rows
    fetched afterwards are not in that time (SQLite, for one, computes rows as they are read).
    """

    def __init__(self, engine: sa.Engine) -> None:
        """Listen on ``engine`` from now on."""
        self.count = 0
        self.log: list[tuple[float, str]] = []
        self._started = 0.0
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def reset(self) -> None:
        """Start counting the next request."""
        self.count = 0
        self.log = []

    def _before(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        self.count += 1
        self._started = time.perf_counter()

    def _after(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        elapsed = (time.perf_counter() - self._started) * 1000
        self.log.append((elapsed, " ".join(statement.split())))


def signed_in_client(app: Flask, email: str) -> FlaskClient:
    """A test client signed in as the user with ``email`` (as tests.factories.sign_in)."""
    from tracker.models import User

    with app.app_context():
        token = db.session.scalar(sa.select(User.session_token).where(User.email == email))
        db.session.remove()
    if token is None:
        raise LookupError(email)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client


def measure(client: FlaskClient, counter: StatementCounter, case: Case, role: str, warmup: int,
            repeat: int) -> Result:
    """Warm up, then time ``repeat`` requests; one that fails or is not a 200 ends the case."""
    times: list[float] = []
    statements: list[int] = []
    size = 0
    for i in range(warmup + repeat):
        counter.reset()
        started = time.perf_counter()
        try:
            response = client.get(case.url)
        except Exception as exc:  # TESTING propagates view errors: report, go on
            return Result(case, role, [0.0], [0], 0, [], f"error: {type(exc).__name__}: {exc}")
        body = response.get_data()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            return Result(case, role, [0.0], [0], 0, [], f"HTTP {response.status_code}")
        if i >= warmup:
            times.append(elapsed)
            statements.append(counter.count)
            size = len(body)
    return Result(case, role, times, statements, size, list(counter.log))


# -- query plans ---------------------------------------------------------------------------
def _full_scan(dialect: str, line: str) -> str | None:
    """The table a plan line scans in full, if it does (indexes are fine)."""
    if dialect == "sqlite":
        match = re.search(r"\bSCAN (\w+)", line)
        scanned = match.group(1) if match else None
        return scanned if scanned != "CONSTANT" and "INDEX" not in line else None
    match = re.search(r"Seq Scan on (\w+)", line)
    return match.group(1) if match else None


def _explain(conn: sa.Connection, stmt: sa.Select) -> list[str]:
    dialect = conn.dialect
    sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    if dialect.name == "sqlite":
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql).all()
        depth = {0: 0}
        lines = []
        for node, parent, _unused, detail in rows:
            depth[node] = depth.get(parent, 0) + 1
            lines.append("  " * (depth[node] - 1) + detail)
        return lines
    return [row[0] for row in conn.exec_driver_sql("EXPLAIN " + sql)]


def query_plans(app: Flask, email: str) -> tuple[list[str], list[str]]:
    """The plans of the team member's list selects (page and count); and the warnings."""
    from sqlalchemy.orm import lazyload

    from tracker.models import User
    from tracker.orgs.queries import OrgFilters, organization_list

    out: list[str] = []
    warnings: list[str] = []
    with app.app_context(), app.test_request_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        conn = db.session.connection()
        dialect = conn.dialect.name
        for label, kind, args, page in PLANS:
            stmt = organization_list(user, kind, OrgFilters.from_args(MultiDict(args), user))
            # What db.paginate runs: the page itself, and the count for the page links.
            count = sa.select(sa.func.count()).select_from(
                stmt.options(lazyload("*")).order_by(None).subquery())
            selects = (("page", stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)),
                       ("count", count))
            for part, select in selects:
                lines = _explain(conn, select)
                out.append(f"-- {label} ({part})")
                out.extend(f"   {line}" for line in lines)
                for line in lines:
                    table = _full_scan(dialect, line)
                    if table == "organizations":
                        warnings.append(f"FULL SCAN of organizations: {label} ({part}): "
                                        f"{line.strip()}")
                    elif table:
                        out.append(f"   (note: full scan of {table})")
        db.session.remove()
    return out, warnings


def visible_counts(app: Flask, email: str) -> str:
    """How many partners and clients the user sees, against the totals."""
    from tracker.access import visible
    from tracker.models import Organization, User

    parts = []
    with app.app_context(), app.test_request_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        for kind in ("partner", "client"):
            seen = visible(user, Organization).where(Organization.kind == kind)
            every = sa.select(Organization).where(Organization.kind == kind,
                                                  Organization.archived_at.is_(None))
            n_seen, n_all = (db.session.scalar(sa.select(sa.func.count()).select_from(
                s.subquery())) for s in (seen, every))
            parts.append(f"{n_seen} of {n_all} {kind}s")
        db.session.remove()
    return ", ".join(parts)


# -- report --------------------------------------------------------------------------------
def _target_text(target: Target) -> str:
    return f"p95≤{target.p95_ms:.0f} SQL≤{target.max_statements}"


def _pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns (Chinese characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 0)


def report(results: list[Result], show: Callable[[str], None] = print) -> None:
    """The table: one line per role and request."""
    show(f"{'role':<12} {'request':<36} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
         f"{'SQL':>4} {'KiB':>6}  {'target':<16} result")
    for r in results:
        target = _target_text(TARGETS[r.case.target])
        request = _pad("GET " + r.case.url, 36)
        if r.error:
            show(f"{r.role:<12} {request} {'-':>8} {'-':>8} {'-':>8} {'-':>4} {'-':>6}  "
                 f"{target:<16} FAIL: {r.error}")
            continue
        show(f"{r.role:<12} {request} {r.p50:8.1f} {r.p95:8.1f} {max(r.times):8.1f} "
             f"{max(r.statements):4d} {r.size / 1024:6.0f}  {target:<16} "
             + ("PASS" if not r.failures else "FAIL: " + "; ".join(r.failures)))


def show_sql(results: list[Result], width: int = 150) -> None:
    """Each request's statements (its last timed run), with the time each took in the driver."""
    for r in results:
        print(f"\n{r.role} GET {r.case.url}: {len(r.log)} statements, "
              f"{sum(ms for ms, _sql in r.log):.1f} ms in SQL of {r.times[-1]:.1f} ms")
        for ms, sql in r.log:
            print(f"  {ms:7.1f} ms  {sql[:width]}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when every target is met, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split(
        "\n")[0])
    parser.add_argument("--orgs", type=int, default=20_000, help="organizations (20000)")
    parser.add_argument("--users", type=int, default=60, help="users (60)")
    parser.add_argument("--teams", type=int, default=8, help="teams (8)")
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp dir; "
                        "a PostgreSQL database of this name is dropped and created")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per page (30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (3)")
    parser.add_argument("--export-repeat", type=int,
                        help="timed runs of the export (default: as --repeat)")
    parser.add_argument("--sql", action="store_true",
                        help="print each request's SQL statements with their execute times")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)

    with bench_database(args.database_url, args.keep) as (url, tmp):
        backend = sa.engine.make_url(url).get_backend_name()
        print(f"Tracker bench: {backend}, {args.orgs} organizations, {args.users} users, "
              f"{args.teams} teams; {args.warmup} warm-up + {args.repeat} timed runs "
              f"({args.export_repeat or args.repeat} for the export)")
        app, data = build(url, tmp, args.orgs, args.users, args.teams)
        with app.app_context():
            counter = StatementCounter(db.engine)
        emails = {"admin": data.admin_email, "team_member": data.member_email}
        print(f"team_member sees {visible_counts(app, data.member_email)}\n")
        results = []
        for role, email in emails.items():
            client = signed_in_client(app, email)
            for case in CASES:
                if role in case.roles:
                    repeat = ((args.export_repeat or args.repeat) if case.target == "export"
                              else args.repeat)
                    results.append(measure(client, counter, case, role, args.warmup, repeat))
        report([r for r in results if r.case.target != "export"])
        print("\nexport (every visible row):")
        report([r for r in results if r.case.target == "export"])
        if args.sql:
            show_sql(results)

        try:
            plans, warnings = query_plans(app, data.member_email)
        except Exception as exc:  # the plans explain; they must not hide the timings
            plans, warnings = [f"unavailable: {type(exc).__name__}: {exc}"], []
        print(f"\nquery plans of the team member's list selects ({backend}):")
        print("\n".join(plans))
        with app.app_context():
            db.engine.dispose()

    print("\ntargets:")
    for name, target in TARGETS.items():
        print(f"  {name:<7} {_target_text(target):<16} {target.why}")
    for warning in warnings:
        print(f"WARNING: {warning}")
    failed = [r for r in results if r.failures]
    verdict = "PASS" if not failed else "FAIL"
    print(f"\nbench {verdict}: {len(results) - len(failed)}/{len(results)} requests within target "
          f"on {backend} with {args.orgs} organizations"
          + (f"; {len(warnings)} full scan(s) of organizations" if warnings else "")
          + ("" if not failed else "; failed: " + ", ".join(
              f"{r.role} {r.case.label}" for r in failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
