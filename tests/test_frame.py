"""The page frame: security headers, offline assets, health, navigation, error pages, CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import Organization, User

ROOT = Path(__file__).resolve().parent.parent


def test_strict_content_security_policy(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_scripts_styles_or_remote_assets():
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"inline script in {path}"
        assert "<style" not in text and " style=" not in text, f"inline style in {path}"
        assert " on" not in re.sub(r"\s(on|one|only)\b", "", text) or not re.search(
            r"\son[a-z]+=", text), f"inline handler in {path}"
        assert not re.search(r"(src|href)=\"(https?:)?//", text), f"remote asset in {path}"


def test_vendored_assets_are_pinned_and_served(client):
    vendor = ROOT / "tracker/static/vendor"
    pinned = [p for p in vendor.iterdir() if p.is_dir()]
    assert pinned and all(re.search(r"-\d+\.\d+\.\d+$", p.name) for p in pinned)
    assert client.get("/static/vendor/pico-2.1.1/pico.min.css").status_code == 200
    css = (vendor / "pico-2.1.1/pico.min.css").read_text()
    assert "@import" not in css
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", css), "the CSS loads something remote"


def test_healthz_reports_a_dead_database(app, monkeypatch):
    from sqlalchemy.orm import Session

    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("down"))

    monkeypatch.setattr(Session, "execute", broken)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"


@pytest.mark.parametrize(("role", "shown", "hidden"), [
    ("support_agent", ["/clients/", "/teams/"], ["/partners/", "/admin/"]),
    ("partner_manager", ["/partners/", "/teams/"], ["/clients/", "/admin/"]),
    ("auditor", ["/partners/", "/clients/", "/teams/", "/admin/"], []),
])
def test_navigation_shows_only_what_the_role_opens(login_as, role, shown, hidden):
    nav = login_as(role).get("/").get_data(as_text=True).split("</header>")[0]
    for href in shown:
        assert f'href="{href}' in nav
    for href in hidden:
        assert f'href="{href}' not in nav


def test_friendly_404_and_403(login_as):
    client = login_as("support_agent")
    not_found = client.get("/clients/987654")
    assert not_found.status_code == 404 and b"not shared with you" in not_found.data
    forbidden = client.get("/partners/")
    assert forbidden.status_code == 403 and b"ask an administrator" in forbidden.data


def test_500_page_is_friendly(app, login_as, monkeypatch):
    from tracker.orgs import queries

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(queries, "organization_list", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = login_as("manager").get("/clients/")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert b"Something went wrong" in response.data


def test_pagination_and_bookmarkable_filters(login_as, users):
    for n in range(30):
        factories.make_org("partner", f"Paged {n:02d}", owner=users["manager"], status="active")
    client = login_as("manager")
    first = client.get("/partners/?q=Paged&sort=-name").get_data(as_text=True)
    assert "Paged 29" in first and "Paged 00" not in first
    # Pages are cursors (keyset pagination): the "Next" link keeps the filters.
    import html
    import re

    link = html.unescape(re.search(r'href="([^"]*after=[^"]*)" rel="next"', first).group(1))
    assert "q=Paged" in link and "sort=-name" in link
    second = client.get(link).get_data(as_text=True)
    assert "Paged 00" in second and "Paged 29" not in second
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert client.get("/partners/?page=999").status_code == 200


def test_export_is_a_safe_csv(login_as, users):
    factories.make_org("partner", "=HYPERLINK(\"x\")", owner=users["manager"])
    factories.make_org("partner", "上海云途", owner=users["manager"])
    response = login_as("manager").get("/partners/export.csv")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and text.startswith("\ufeff")
    assert "'=HYPERLINK" in text and "上海云途" in text


def test_cli_users_create_and_demo_load(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "ops@test.example",
                                 "--role", "manager", "--role", "auditor"])
    assert result.exit_code == 0, result.output
    assert "Temporary password" in result.output
    user = db.session.scalar(sa.select(User).where(User.email == "ops@test.example"))
    assert {r.name for r in user.roles} == {"manager", "auditor"} and user.must_change_password
    bad = runner.invoke(args=["users", "create", "--email", "x@test.example", "--role", "boss"])
    assert bad.exit_code != 0 and "unknown role" in bad.output
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert "already has users" in result.output
    db.session.execute(sa.delete(User).where(User.email == "ops@test.example"))
    db.session.commit()


def test_demo_data_loads_with_every_role(app):
    from tracker.demo import load_demo

    summary = load_demo()
    db.session.commit()
    assert summary["partners"] >= 20 and summary["clients"] >= 50 and summary["teams"] >= 5
    emails = set(db.session.scalars(sa.select(User.email)))
    for name in ("admin", "manager", "partners", "accounts", "support", "member", "auditor"):
        assert f"{name}@example.com" in emails
    demo_admin = db.session.scalar(sa.select(User).where(User.email == "admin@example.com"))
    assert demo_admin.check_password("tracker-demo")
    assert db.session.scalar(sa.select(sa.func.count(Organization.id)).where(
        Organization.name.like("%公司%"))) > 0


def test_production_refuses_a_missing_or_weak_secret_key():
    from config import ProductionConfig
    from tracker import create_app

    for key in (None, "", "change-me", "short"):
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app(ProductionConfig, SECRET_KEY=key, SQLALCHEMY_DATABASE_URI="sqlite://")
    app = create_app(ProductionConfig, SECRET_KEY="x" * 40, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_postgresql_connections_run_without_jit(app):
    """JIT compiles a timeline's union for over a second on PostgreSQL: it is off."""
    from tracker.extensions import db

    with db.engine.connect() as conn:
        if db.engine.dialect.name == "postgresql":
            assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
        else:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
