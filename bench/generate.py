"""A department's worth of records for the benchmark: deterministic, bilingual, fast.

``generate(scale)`` fills an empty, migrated database (inside an app context) with three
years of an operations department: at scale 1.0, 300 users in 30 teams, 20,000 partners and
clients, 60,000 contacts, 1,000,000 conversations, 200,000 complaints with ~1,500,000
events, 500,000 follow-ups, 20,000 agreements with their versions, and the teams' own
records. Rows stream from generators into chunked bulk inserts (COPY on PostgreSQL) with
ids chosen here, so the load is linear in the rows. Bulk rows bypass the session hooks:
they carry ``*_by`` stamps set here but no audit events (benchmark data, never real data).

    python -m bench.generate --database-url sqlite:////tmp/gen/full.db [--scale 1.0]

SQLite is left without planner statistics (no ANALYZE): the app never runs it, so its
indexes must serve without them. PostgreSQL gets VACUUM ANALYZE, as autovacuum would soon do.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import flask_migrate
import sqlalchemy as sa

from bench.gen.agreements import generate_agreements
from bench.gen.base import Ctx, minute
from bench.gen.clock import Policy
from bench.gen.complaints import generate_complaints
from bench.gen.followups import generate_followups
from bench.gen.load import Loader
from bench.gen.orgs import generate_orgs
from bench.gen.people import ACCOUNTS, PASSWORD, generate_people, seed_roles
from bench.gen.talk import generate_conversations, generate_requirements
from bench.gen.teamwork import generate_teamwork
from tracker.clients.complaints.stored import refresh_due_next
from tracker.extensions import db
from tracker.models.agreement import refresh_end_sort
from tracker.orgs.rollups import refresh_org_rollups

# Run after every insert, each timed: refreshes of denormalized columns (a complaint's next
# deadline, an organization's last contact ...) that the app keeps up to date on each write
# but a bulk load does not. Each is called with no arguments inside the app context, e.g.
# ``POST_LOAD.append(functools.partial(refresh_next_due, None))``; a commit follows each.
POST_LOAD: list[Callable[[], None]] = [
    functools.partial(refresh_org_rollups, None),
    functools.partial(refresh_due_next, None),
    functools.partial(refresh_end_sort, None),
]


@dataclass
class Generated:
    """What ``generate`` added, who the benchmark signs in as, and how long it took."""

    counts: dict[str, int] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    password: str = PASSWORD
    seconds: float = 0.0


def generate(scale: float = 1.0, *, seed: int = 7,
             progress: Callable[[str], None] | None = print) -> Generated:
    """Fill the (empty, migrated) database at ``scale``; the same seed gives the same rows.

    Times are relative to now (floored to the minute), so two runs differ only by when
    they ran. Commits as it goes.
    """
    say = progress or (lambda _line: None)
    started = time.perf_counter()
    roles = seed_roles()
    policy = Policy.read()
    loader = Loader(progress)
    ctx = Ctx(scale=scale, seed=seed, loader=loader, now=minute(time.time()))
    steps: list[tuple[str, Callable[[], None]]] = [
        ("people", lambda: generate_people(ctx, roles)),
        ("organizations", lambda: generate_orgs(ctx)),
        ("conversations", lambda: generate_conversations(ctx)),
        ("requirements", lambda: generate_requirements(ctx)),
        ("agreements", lambda: generate_agreements(ctx)),
        ("complaints", lambda: generate_complaints(ctx, policy)),
        ("teamwork", lambda: generate_teamwork(ctx)),
        ("follow-ups", lambda: generate_followups(ctx)),
    ]
    try:
        for name, step in steps:
            _timed(say, name, step, lambda: sum(loader.counts.values()))
        loader.reset_sequences()
    finally:
        loader.close()
    for refresh in POST_LOAD:
        _timed(say, _name(refresh), refresh)
        db.session.commit()
    if loader.is_pg:
        _timed(say, "analyze", _analyze)
    seconds = time.perf_counter() - started
    counts = dict(sorted(loader.counts.items()))
    total = sum(counts.values())
    say(f"generated {total:,} rows in {seconds / 60:.1f} min ({total / seconds:,.0f} rows/s): "
        + ", ".join(f"{table} {n:,}" for table, n in counts.items()))
    return Generated(counts=counts, seconds=seconds,
                     accounts={key: email for key, (email, *_rest) in ACCOUNTS.items()})


def _timed(say: Callable[[str], None], name: str, step: Callable[[], None],
           rows: Callable[[], int] = lambda: 0) -> None:
    """Run one step between two progress lines (the second with its rows per second)."""
    began, before = time.perf_counter(), rows()
    say(f"{name} …")
    step()
    seconds, added = time.perf_counter() - began, rows() - before
    rate = f", {added:,} rows, {added / seconds:,.0f} rows/s" if added and seconds else ""
    say(f"{name}: {seconds:.1f} s{rate}")


def _name(refresh: Callable[[], None]) -> str:
    """A refresh's name for the progress line (``functools.partial`` included)."""
    return getattr(refresh, "__name__", None) or getattr(
        getattr(refresh, "func", None), "__name__", "refresh")


def _analyze() -> None:
    # VACUUM too: it sets the visibility map that index-only scans read, as autovacuum
    # does soon after a load in production (ANALYZE alone left them visiting the heap).
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))


# -- command line --------------------------------------------------------------------------
def postgres_admin(url: sa.URL, *statements: str) -> None:
    """Run statements on the ``postgres`` maintenance database, outside a transaction."""
    engine = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def prepare_database(url: str, force: bool) -> str:
    """The URL to use; with ``force`` the database is dropped first, and on PostgreSQL it
    is created when missing."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
        name = parsed.database
        if force:
            postgres_admin(parsed, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine = sa.create_engine(parsed.set(database="postgres"))
        with engine.connect() as conn:
            exists = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                 {"n": name})
        engine.dispose()
        if not exists:
            postgres_admin(parsed, f'CREATE DATABASE "{name}"')
        return parsed.render_as_string(hide_password=False)
    if force and parsed.database and parsed.database != ":memory:":
        for suffix in ("", "-wal", "-shm"):
            Path(parsed.database + suffix).unlink(missing_ok=True)
    if parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return url


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.generate``: migrate, refuse a non-empty database, generate."""
    from config import TestingConfig
    from tracker import create_app
    from tracker.models import Organization, User

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--force", action="store_true",
                        help="drop the database's contents first")
    args = parser.parse_args(argv)
    url = prepare_database(args.database_url, args.force)
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        flask_migrate.upgrade()
        filled = (db.session.scalar(sa.select(sa.func.count(User.id)))
                  or db.session.scalar(sa.select(sa.func.count(Organization.id))))
        if filled:
            print("the database already holds data; use --force to replace it",
                  file=sys.stderr)
            return 2
        db.session.commit()
        result = generate(args.scale, seed=args.seed)
        print(f"sign in as {', '.join(result.accounts.values())} "
              f"with password {result.password!r}")
        db.session.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
