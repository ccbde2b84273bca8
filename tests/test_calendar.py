"""The calendar feed: a secret address, valid iCalendar with the user's open follow-ups and
meetings, nothing of anybody else's, and 404 once the address is revoked or replaced."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from icalendar import Calendar

from config import TestingConfig
from tests import factories
from tracker.extensions import db
from tracker.models import FollowUp, Meeting, Team, User, utcnow
from tracker.web.calendar_feed import bp as calendar_bp


@pytest.fixture(scope="module")
def feed_app(app: Flask) -> Flask:
    """The app with the calendar blueprint mounted at /calendar.

    Until ``create_app`` registers it, a second app on the same database mounts it (a
    blueprint cannot be added to an app that has answered requests).
    """
    if "calendar" in app.blueprints:
        return app
    from tracker import create_app

    other = create_app(TestingConfig, **{key: app.config[key] for key in (
        "SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS", "UPLOAD_FOLDER")},
        INSTANCE_PATH=app.instance_path)
    other.register_blueprint(calendar_bp, url_prefix="/calendar")
    other.test_client_class = app.test_client_class
    return other


def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _manual(title: str, owner: User, due: date, **fields: object) -> FollowUp:
    followup = FollowUp(title=title, owner_id=owner.id, due_on=due, source_type="manual",
                        source_id=0, **fields)
    db.session.add(followup)
    db.session.commit()
    return followup


@pytest.fixture
def member(users) -> User:
    member = users["team_member"]
    member.calendar_token = "member-secret-token-0123456789abcdef0123456789"
    db.session.commit()
    return member


@pytest.fixture
def http(feed_app):
    return feed_app.test_client()


def _parse(response) -> Calendar:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def _events(cal: Calendar) -> dict[str, object]:
    return {str(e.get("summary")): e for e in cal.walk("VEVENT")}


def test_the_feed_has_my_followups_and_meetings(http, users, member):
    start = (utcnow() + timedelta(days=2)).replace(microsecond=0)
    meeting = Meeting(team_id=_alpha().id, title="Weekly sync", starts_at=start,
                      ends_at=start + timedelta(minutes=45), place="Room 3",
                      attendees=[member])
    other_meeting = Meeting(team_id=_alpha().id, title="Leads only", starts_at=start,
                            attendees=[users["partner_manager"]])
    db.session.add_all([meeting, other_meeting])
    db.session.commit()
    _manual("Send the offer", member, date(2026, 3, 10))
    _manual("Finished", member, date(2026, 3, 10), status="done")
    _manual("Somebody else's", users["support_agent"], date(2026, 3, 10))

    cal = _parse(http.get(f"/calendar/{member.calendar_token}.ics"))
    events = _events(cal)
    assert set(events) == {"Follow-up: Send the offer", "Weekly sync"}
    todo = events["Follow-up: Send the offer"]
    assert todo.decoded("dtstart") == date(2026, 3, 10)
    assert todo.decoded("dtend") == date(2026, 3, 11)
    assert "/followups/" in str(todo.get("url"))
    sync = events["Weekly sync"]
    assert sync.decoded("dtstart") == start.astimezone(UTC)
    assert sync.decoded("dtend") == (start + timedelta(minutes=45)).astimezone(UTC)
    assert str(sync.get("location")) == "Room 3"
    assert len({str(e.get("uid")) for e in cal.walk("VEVENT")}) == 2


def test_the_feed_needs_no_sign_in_and_stores_nothing(http, member):
    response = http.get(f"/calendar/{member.calendar_token}.ics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("token", ["nope", "x" * 65, "", "member-secret-token"])
def test_an_unknown_address_is_404(http, member, token):
    assert http.get(f"/calendar/{token}.ics").status_code == 404


def test_a_revoked_address_stops_working(feed_app, http, member):
    old = member.calendar_token
    assert http.get(f"/calendar/{old}.ics").status_code == 200
    owner = feed_app.test_client()
    factories.sign_in(owner, member)
    assert owner.post("/followups/calendar", data={"action": "create"}).status_code == 302
    db.session.refresh(member)
    new = member.calendar_token
    assert new != old
    assert http.get(f"/calendar/{old}.ics").status_code == 404
    assert http.get(f"/calendar/{new}.ics").status_code == 200
    page = owner.get("/followups/calendar").get_data(as_text=True)
    assert f"/calendar/{new}.ics" in page and "http://" in page  # the full address
    assert owner.post("/followups/calendar", data={"action": "revoke"}).status_code == 302
    assert http.get(f"/calendar/{new}.ics").status_code == 404


def test_a_password_change_or_reset_revokes_the_address(feed_app, http, member, login_as):
    old = member.calendar_token
    owner = feed_app.test_client()
    factories.sign_in(owner, member)
    assert owner.post("/auth/password", data={
        "current_password": factories.PASSWORD, "new_password": "a-new-password-42",
        "confirm": "a-new-password-42"}).status_code == 302
    assert http.get(f"/calendar/{old}.ics").status_code == 404

    member.calendar_token = again = "member-second-token-0123456789abcdef0123456789"
    db.session.commit()
    assert http.get(f"/calendar/{again}.ics").status_code == 200
    admin = login_as("admin")
    assert admin.post(f"/admin/users/{member.id}/reset-password").status_code == 302
    assert http.get(f"/calendar/{again}.ics").status_code == 404


def test_a_disabled_user_has_no_feed(http, member):
    member.is_enabled = False
    db.session.commit()
    assert http.get(f"/calendar/{member.calendar_token}.ics").status_code == 404


def test_the_feed_speaks_the_users_language(http, member):
    member.locale = "zh"
    db.session.commit()
    _manual("报价", member, date(2026, 3, 10))
    cal = _parse(http.get(f"/calendar/{member.calendar_token}.ics"))
    (event,) = cal.walk("VEVENT")
    assert "报价" in str(event.get("summary"))


def test_the_feed_is_cut_to_a_window_of_meetings(http, member):
    long_ago = utcnow() - timedelta(days=400)
    db.session.add(Meeting(team_id=_alpha().id, title="Ancient", starts_at=long_ago,
                           attendees=[member]))
    db.session.commit()
    cal = _parse(http.get(f"/calendar/{member.calendar_token}.ics"))
    assert "Ancient" not in _events(cal)


def test_created_meeting_times_survive_the_round_trip(http, member):
    start = datetime(2030, 5, 6, 7, 30, tzinfo=UTC)
    db.session.add(Meeting(team_id=_alpha().id, title="Planning", starts_at=start,
                           attendees=[member]))
    db.session.commit()
    event = _events(_parse(http.get(f"/calendar/{member.calendar_token}.ics")))["Planning"]
    assert event.decoded("dtstart") == start
    assert event.decoded("dtend") == start + timedelta(hours=1)
