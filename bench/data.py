"""The bench's database: built once per scale with ``bench.generate``, then reused.

SQLite lives in ``instance/bench/bench-<scale>.db``; PostgreSQL in the database that
``--database-url`` names. A small JSON record (a file beside the SQLite file; the
PostgreSQL database's comment) keeps the scale, the accounts the bench signs in as and
their password (the generator's ``Generated``), and a fingerprint of the generator and the
migrations, so a later run reuses the data only when the same code would make it again.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import flask_migrate
import sqlalchemy as sa
from flask import Flask

from bench import generate as generator
from config import BenchConfig
from tracker import create_app
from tracker.extensions import db

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "instance" / "bench"
ROLES = ("admin", "manager", "partner_manager", "account_manager", "support_agent",
         "team_member", "auditor")


@dataclass
class Dataset:
    """A database ready to serve, and who may sign in to it."""

    url: str
    scale: float
    accounts: dict[str, str] = field(default_factory=dict)
    password: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    generated_seconds: float | None = None
    index: dict[str, float] = field(default_factory=dict)  # documents, seconds, megabytes
    source: str = ""
    complete: bool = False

    @property
    def dialect(self) -> str:
        return sa.engine.make_url(self.url).get_backend_name()

    @property
    def shown_url(self) -> str:
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)


def scale_name(scale: float) -> str:
    """``1.0`` -> ``"1"``, ``0.02`` -> ``"0.02"``: the scale as a file name part."""
    return f"{scale:g}"


def normalise_url(url: str | None, scale: float) -> str:
    """The database URL to use: the default SQLite file for this scale, or ``url``."""
    if not url:
        return f"sqlite:///{DATA_DIR / f'bench-{scale_name(scale)}.db'}"
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def source_fingerprint() -> str:
    """A hash of what makes the data: the generator and the migrations (the schema).

    Data made by other code (another generator, an older schema) is rebuilt, never reused:
    the app would fail on a missing column, or be measured on data that is not current.
    """
    digest = hashlib.sha256()
    files = [ROOT / "bench" / "generate.py", *(ROOT / "bench" / "gen").rglob("*.py"),
             *(ROOT / "migrations" / "versions").glob("*.py"),
             # what the index holds (not how it is queried)
             *(ROOT / "tracker" / "search" / name for name in (
                 "normalize.py", "sources.py", "index.py", "names.py")),
             ROOT / "tracker" / "access" / "reach.py"]
    for path in sorted(f for f in files if f.is_file()):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# Where the record lives: beside a SQLite file; on PostgreSQL, as the database's comment,
# so that every checkout sharing the server sees how the database was filled.
def _meta_path(url: str) -> Path:
    return Path(str(sa.engine.make_url(url).database)).with_suffix(".json")


def _pg_comment_sql(url: str) -> tuple[str, str]:
    name = str(sa.engine.make_url(url).database)
    return name, f'COMMENT ON DATABASE "{name}" IS '


def _load_meta(url: str) -> Dataset | None:
    raw = None
    if sa.engine.make_url(url).get_backend_name() == "sqlite":
        path = _meta_path(url)
        raw = path.read_text() if path.exists() else None
    else:
        name, _sql = _pg_comment_sql(url)
        engine = sa.create_engine(sa.engine.make_url(url).set(database="postgres"))
        try:
            with engine.connect() as conn:
                raw = conn.scalar(sa.text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = :name"), {"name": name})
        finally:
            engine.dispose()
    try:
        fields = json.loads(raw) if raw else None
        return Dataset(url=url, **{k: v for k, v in fields.items() if k != "url"}) \
            if fields else None
    except (ValueError, TypeError):  # a comment or file of something else
        return None


def _save_meta(data: Dataset) -> None:
    text = json.dumps({k: v for k, v in asdict(data).items() if k != "url"},
                      ensure_ascii=False)
    if data.dialect == "sqlite":
        path = _meta_path(data.url)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n")
    else:
        _name, sql = _pg_comment_sql(data.url)
        quoted = "'" + text.replace("'", "''") + "'"
        generator.postgres_admin(sa.engine.make_url(data.url), sql + quoted)


def bench_app(url: str) -> Flask:
    """The app as gunicorn will run it (``BenchConfig``) on ``url``, for set-up and look-ups."""
    return create_app(BenchConfig, SQLALCHEMY_DATABASE_URI=url)


def _has_users(url: str) -> bool:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("users"):
                return False
            return conn.scalar(sa.text("SELECT count(*) FROM users")) > 0
    except sa.exc.OperationalError:  # PostgreSQL: no such database yet
        return False
    finally:
        engine.dispose()


def prepare(url: str | None, scale: float, regenerate: bool = False) -> Dataset:
    """Reuse the data at ``url`` if this generator and schema made it at ``scale``, else
    build it."""
    url = normalise_url(url, scale)
    shown = Dataset(url, scale).shown_url
    if regenerate or not _has_users(url):
        return _build(url, scale)
    meta = _load_meta(url)
    source = source_fingerprint()
    if meta is not None and meta.complete and meta.scale == scale and meta.source == source:
        print(f"bench: reusing {shown} (scale {scale_name(scale)}; --regenerate to rebuild)")
        return _with_accounts(meta)
    why = ("no record of how it was made" if meta is None
           else "an interrupted build" if not meta.complete
           else f"scale {scale_name(meta.scale)}" if meta.scale != scale
           else "another generator or schema")
    print(f"bench: the data at {shown} is {why}: rebuilding it")
    return _build(url, scale)


def _build(url: str, scale: float) -> Dataset:
    """An empty database at ``url``, migrated and filled by the generator."""
    data = Dataset(url=url, scale=scale, source=source_fingerprint())
    parsed = sa.engine.make_url(url)
    if data.dialect == "sqlite":
        path = Path(str(parsed.database))
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
    else:
        generator.postgres_admin(
            sa.engine.make_url(url), f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)',
            f'CREATE DATABASE "{parsed.database}"')
    _save_meta(data)  # incomplete until the end: an interrupted build is never reused
    print(f"bench: building {data.shown_url} at scale {scale_name(scale)} …", flush=True)
    started = time.perf_counter()
    app = bench_app(url)
    with app.app_context():
        flask_migrate.upgrade()
        made = _generate(scale)
        data.index = _index()
        if data.dialect == "postgresql":
            # Autovacuum would do this within a minute of the load; production has stats
            # and a visibility map (index-only scans that need not visit the table).
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        db.session.remove()
        db.engine.dispose()
    data.generated_seconds = round(time.perf_counter() - started, 1)
    data.counts = dict(getattr(made, "counts", {}))
    data.password = getattr(made, "password", "") or getattr(generator, "PASSWORD", "")
    data.accounts = dict(getattr(made, "accounts", {}) or {})
    for role, attr in (("admin", "admin_email"), ("team_member", "member_email")):
        if role not in data.accounts and getattr(made, attr, None):  # the older generator
            data.accounts[role] = getattr(made, attr)
    data = _with_accounts(data)
    data.complete = True
    _save_meta(data)
    print(f"bench: data ready in {data.generated_seconds:.0f} s: "
          + ", ".join(f"{n:,} {what}" for what, n in data.counts.items()), flush=True)
    return data


def _index() -> dict[str, float]:
    """Build the search index over the generated records (the generator writes rows in
    bulk, past the flush hook that keeps it): what ``flask search reindex`` does."""
    from tracker.search import index

    started = time.perf_counter()
    conn = db.session.connection()
    span = index.id_span(conn)
    done = 0
    step = max(span // 20, 1)

    def progress(count: int) -> None:
        nonlocal done
        before, done = done, done + count
        if before // step != done // step:
            print(f"  search index: {done / span:.0%}", flush=True)

    written = index.reindex(conn, progress)
    db.session.commit()
    seconds = round(time.perf_counter() - started, 1)
    size = index.size_bytes(db.session.connection()) or 0
    print(f"bench: search index: {written:,} documents in {seconds:.0f} s, "
          f"{size / 1024 / 1024:,.0f} MB", flush=True)
    return {"documents": written, "seconds": seconds, "megabytes": round(size / 1024 / 1024, 1)}


def _generate(scale: float) -> Any:
    """Call the generator, whichever of its two interfaces this checkout has."""
    params = inspect.signature(generator.generate).parameters
    if "scale" in params:
        extra = {"progress": print} if "progress" in params else {}
        return generator.generate(scale, **extra)
    # The older generator: organizations, users, teams (full scale 20,000 / 300 / 30).
    teams = max(2, round(30 * scale))
    return generator.generate(max(50, round(20_000 * scale)),
                              max(3 + 2 * teams, round(300 * scale)), teams)


def _with_accounts(data: Dataset) -> Dataset:
    """Fill roles the generator did not name with the first user holding that role."""
    from tracker.models import Role, User, user_roles

    if not data.password:
        data.password = getattr(generator, "PASSWORD", "")
    engine = sa.create_engine(data.url)
    try:
        with engine.connect() as conn:
            for role in ROLES:
                if role in data.accounts:
                    continue
                email = conn.scalar(
                    sa.select(User.email).join(user_roles, user_roles.c.user_id == User.id)
                    .join(Role, Role.id == user_roles.c.role_id)
                    .where(Role.name == role, User.is_enabled.is_(True),
                           User.archived_at.is_(None)).order_by(User.id)
                    .limit(1))
                if email:
                    data.accounts[role] = email
    finally:
        engine.dispose()
    return data
