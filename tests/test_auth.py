"""Sign-in: passwords, throttling, deactivation, temporary passwords, safe redirects."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import User
from tracker.urls import safe_next


def _login(client, email, password=factories.PASSWORD, **extra):
    return client.post("/auth/login", data={"email": email, "password": password, **extra})


def test_sign_in_and_out(client, users):
    response = _login(client, "manager@test.example")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_email_is_case_insensitive(client, users):
    assert _login(client, "Manager@Test.Example").status_code == 302


def test_wrong_password_shows_message_on_the_form(client, users):
    response = _login(client, "manager@test.example", "not-the-password")
    assert response.status_code == 401
    assert b"Wrong email or password." in response.data
    assert b'class="field-error"' in response.data


def test_unknown_email_gets_the_same_answer(client, users):
    response = _login(client, "nobody@test.example")
    assert response.status_code == 401
    assert b"Wrong email or password." in response.data


def test_failed_sign_ins_are_throttled_per_account(app, users):
    first, second = app.test_client(), app.test_client()
    for _ in range(5):
        assert _login(first, "manager@test.example", "wrong-password").status_code == 401
    # The account is locked for everybody, even with the right password from elsewhere.
    blocked = _login(second, "manager@test.example", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert blocked.status_code == 429
    assert b"Too many failed sign-in attempts" in blocked.data
    # Another account from the same address still signs in.
    assert _login(first, "auditor@test.example").status_code == 302


def test_failed_sign_ins_are_throttled_per_address(app, users):
    client = app.test_client()
    for n in range(20):
        _login(client, f"nobody{n}@test.example", "wrong-password")
    response = _login(client, "manager@test.example")
    assert response.status_code == 429


def test_successful_sign_ins_do_not_count(client, users):
    for _ in range(8):
        assert _login(client, "manager@test.example").status_code == 302
        client.post("/auth/logout")


def test_deactivated_user_cannot_sign_in(client, users):
    users["manager"].is_enabled = False
    db.session.commit()
    response = _login(client, "manager@test.example")
    assert response.status_code == 401
    assert b"deactivated" in response.data


def test_deactivation_ends_an_open_session(app, users, login_as):
    client = login_as("manager")
    assert client.get("/").status_code == 200
    admin = login_as("admin")
    assert admin.post(f"/admin/users/{users['manager'].id}/deactivate").status_code == 302
    assert client.get("/").status_code == 302  # back to the sign-in page


def test_password_reset_ends_open_sessions_and_forces_a_change(app, users, login_as):
    client = login_as("manager")
    admin = login_as("admin")
    response = admin.post(f"/admin/users/{users['manager'].id}/reset-password",
                          follow_redirects=True)
    assert b"Temporary password" in response.data
    assert client.get("/").status_code == 302
    db.session.refresh(users["manager"])
    assert users["manager"].must_change_password


def test_temporary_password_must_be_changed_first(client, users):
    factories.make_user("manager", email="new@test.example", password="temporary-pass-1",
                        must_change_password=True)
    assert _login(client, "new@test.example", "temporary-pass-1").status_code == 302
    response = client.get("/partners/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/password")
    weak = client.post("/auth/password", data={"current_password": "temporary-pass-1",
                                               "new_password": "short", "confirm": "short"})
    assert weak.status_code == 422 and b"at least 10 characters" in weak.data
    ok = client.post("/auth/password", data={
        "current_password": "temporary-pass-1", "new_password": "a-much-better-one",
        "confirm": "a-much-better-one"})
    assert ok.status_code == 302
    assert client.get("/partners/").status_code == 200
    client.post("/auth/logout")
    assert _login(client, "new@test.example", "a-much-better-one").status_code == 302


def test_changing_password_keeps_this_session_and_ends_others(app, users, login_as):
    other = login_as("manager")
    client = app.test_client()
    _login(client, "manager@test.example")
    response = client.post("/auth/password", data={
        "current_password": factories.PASSWORD, "new_password": "brand-new-secret",
        "confirm": "brand-new-secret"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302


@pytest.mark.parametrize(("target", "expected"), [
    ("/partners/", "/partners/"),
    ("/clients/?q=a", "/clients/?q=a"),
    ("https://evil.example/", None),
    ("//evil.example/", None),
    ("/\\evil.example", None),
    ("\\\\evil.example", None),
    ("javascript:alert(1)", None),
    ("", None),
])
def test_safe_next(target, expected):
    assert safe_next(target) == expected


def test_next_redirect_after_sign_in(client, users):
    response = client.get("/partners/")
    assert "next=%2Fpartners%2F" in response.headers["Location"]
    response = client.post("/auth/login?next=/partners/", data={
        "email": "manager@test.example", "password": factories.PASSWORD})
    assert response.headers["Location"] == "/partners/"


def test_next_redirect_refuses_other_sites(client, users):
    response = client.post("/auth/login?next=https://evil.example/", data={
        "email": "manager@test.example", "password": factories.PASSWORD})
    assert response.headers["Location"] == "/"


def test_remember_me_sets_a_lasting_cookie(client, users):
    response = _login(client, "manager@test.example", remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember and "HttpOnly" in remember[0] and "Expires" in remember[0]


def test_session_cookie_flags(client, users):
    cookie = next(c for c in _login(client, "manager@test.example").headers.getlist(
        "Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_csrf_is_enforced_when_enabled(app, users):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        response = _login(client, "manager@test.example")
        assert response.status_code == 400
        assert b"The form expired" in response.data
        page = client.get("/auth/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        assert _login(client, "manager@test.example", csrf_token=token).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_settings_change_language_and_zone(login_as, users):
    client = login_as("team_member")
    version = users["team_member"].version
    response = client.post("/auth/settings", data={"name": "Renamed", "locale": "zh",
                                                   "timezone": "Europe/London",
                                                   "digest_hour": "8", "version": version})
    assert response.status_code == 302
    db.session.refresh(users["team_member"])
    assert users["team_member"].locale == "zh"
    assert users["team_member"].timezone == "Europe/London"
    bad = client.post("/auth/settings", data={"name": "X", "timezone": "Mars/Olympus",
                                              "digest_hour": "8",
                                              "version": users["team_member"].version})
    assert bad.status_code == 422


def test_an_administrator_creates_an_account_that_can_sign_in(app, users, login_as):
    """A valid new account: saved with its role and team, its page reached, a temporary
    password given that must be changed at the first sign-in."""
    admin = login_as("admin")
    role = users["support_agent"].roles[0]
    team_id = sorted(users["support_agent"].team_ids)[0]
    response = admin.post("/admin/users/new", data={
        "name": "Zhou Min", "email": "zhou.min@test.example", "roles": [role.id],
        "teams": [team_id], "locale": "zh", "timezone": "Asia/Shanghai"})
    created = db.session.scalar(sa.select(User).where(User.email == "zhou.min@test.example"))
    assert response.status_code == 302, response.data[:2000]
    assert response.headers["Location"].endswith(f"/admin/users/{created.id}")
    assert [r.id for r in created.roles] == [role.id]
    assert created.team_ids == {team_id}
    assert created.must_change_password
    page = admin.get(response.headers["Location"])
    assert "Zhou Min" in page.get_data(as_text=True)
