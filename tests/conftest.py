"""Fixtures: one app per test session, a clean database per test, one user per role.

The suite runs on SQLite by default and on PostgreSQL with TRACKER_TEST_DB=postgresql
and TEST_DATABASE_URL (each xdist worker gets a database of its own). The schema is
built by the Alembic migrations, never by ``create_all``, so the migrations are tested.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import flask_babel
import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask, g
from flask.testing import FlaskClient

from config import TestingConfig
from tests import factories
from tracker import create_app
from tracker.extensions import db, limiter
from tracker.models import User

ROLES = ("admin", "manager", "partner_manager", "account_manager", "support_agent",
         "team_member", "auditor")


def _postgres_url(worker: str) -> str:
    """A fresh database for this worker, next to the one TEST_DATABASE_URL names."""
    base = sa.engine.make_url(os.environ["TEST_DATABASE_URL"]).set(drivername="postgresql+psycopg")
    name = f"{base.database}_{worker}"
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def database_url(worker: str, tmp_dir: str) -> str:
    """Where this worker's tests keep their data."""
    if os.environ.get("TRACKER_TEST_DB") == "postgresql":
        return _postgres_url(worker)
    return f"sqlite:///{tmp_dir}/tracker-{worker}.db"


@pytest.fixture(scope="session")
def worker_id_safe(request: pytest.FixtureRequest) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


@pytest.fixture(scope="session")
def app(worker_id_safe: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("db")
    url = database_url(worker_id_safe, str(tmp))
    engine_options: dict = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        # Test data need not survive a crash: skip the fsync wait on every commit.
        engine_options["connect_args"] = {"options": "-c synchronous_commit=off"}
    application = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url,
                             SQLALCHEMY_ENGINE_OPTIONS=engine_options,
                             INSTANCE_PATH=str(tmp / "instance"),
                             UPLOAD_FOLDER=str(tmp / "uploads"))
    application.test_client_class = Client
    with application.app_context():
        flask_migrate.upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


class Client(FlaskClient):
    """A test client whose every request starts as a new request would.

    Tests hold an app context (to build records), and Flask reuses it for requests, so
    the per-request caches on ``g`` and the session's loaded objects are reset here.
    """

    def open(self, *args: object, **kwargs: object):  # type: ignore[override]
        for key in ("_login_user", "_permissions", "_topbar_counts"):
            g.pop(key, None)
        flask_babel.refresh()  # the locale and zone are cached on the app context too
        db.session.expire_all()
        return super().open(*args, **kwargs)


@pytest.fixture(autouse=True)
def _db(app: Flask) -> Iterator[None]:
    with app.app_context():
        factories.seed_roles()
        yield
        db.session.rollback()
        factories.empty_tables()
        db.session.remove()
    limiter.reset()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def users() -> dict[str, User]:
    """One user per default role, in two teams, as tests across the suite expect."""
    return factories.role_users()


@pytest.fixture
def login_as(app: Flask, users: dict[str, User]):
    """``login_as("support_agent")`` -> a client signed in as that role's user."""

    def _login(role_or_user: str | User) -> FlaskClient:
        user = users[role_or_user] if isinstance(role_or_user, str) else role_or_user
        client = app.test_client()
        factories.sign_in(client, user)
        return client

    return _login


@pytest.fixture
def mailbox(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """A configured mail server whose deliveries are collected (to, subject, body)."""
    from tracker import notify

    sent: list[tuple[str, str, str]] = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.test.example")
    monkeypatch.setattr(notify, "deliver_mail", lambda *mail: sent.append(mail))
    return sent
