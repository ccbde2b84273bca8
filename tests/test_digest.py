"""The daily digest: once per person, follow-up and local day, and the log says what went out."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests import factories
from tracker import digest
from tracker.extensions import db
from tracker.models import FollowUp, Notification, ReminderLog, User

# 01:00 UTC on March 10 is 09:00 in Shanghai (the default zone): past the default hour 8.
MORNING = datetime(2026, 3, 10, 1, tzinfo=UTC)
NEXT_MORNING = datetime(2026, 3, 11, 1, tzinfo=UTC)


def _manual(title: str, owner: User, due: date, **fields: object) -> FollowUp:
    followup = FollowUp(title=title, owner_id=owner.id, due_on=due, source_type="manual",
                        source_id=0, **fields)
    db.session.add(followup)
    db.session.commit()
    return followup


def _notes(user: User | None = None) -> list[Notification]:
    stmt = sa.select(Notification).order_by(Notification.id)
    if user is not None:
        stmt = stmt.where(Notification.user_id == user.id)
    return list(db.session.scalars(stmt))


def _log() -> list[tuple[int, int, date, str, bool]]:
    return [(r.user_id, r.followup_id, r.day, r.channel, r.overdue) for r in db.session.scalars(
        sa.select(ReminderLog).order_by(ReminderLog.day, ReminderLog.followup_id))]


@pytest.fixture
def member(users) -> User:
    return users["team_member"]


@pytest.fixture
def mail(mailbox):
    """Mail configured; what the mail jobs deliver (they run at each commit in tests)."""
    return mailbox


def test_the_digest_is_sent_once_per_item_and_day(member):
    late = _manual("Late one", member, date(2026, 3, 9))
    today = _manual("Due-today one", member, date(2026, 3, 10))
    _manual("Tomorrow one", member, date(2026, 3, 11))
    _manual("Done one", member, date(2026, 3, 1), status="done")

    assert digest.send_digests(MORNING) == 1
    assert digest.send_digests(MORNING) == 0  # the same run again: nothing new
    (note,) = _notes()
    assert note.user_id == member.id and note.kind == "digest"
    assert note.subject == "Follow-ups: 1 due today, 1 overdue"
    assert "Late one (overdue since Mar 9, 2026)" in note.body
    assert "Due-today one (due today)" in note.body
    assert "Tomorrow one" not in note.body and "Done one" not in note.body
    assert note.link == "/followups/" and note.emailed_at is None
    assert _log() == [(member.id, late.id, date(2026, 3, 10), "app", True),
                      (member.id, today.id, date(2026, 3, 10), "app", False)]

    # The next day both are overdue and the one due then joins: a new digest, logged anew.
    assert digest.send_digests(NEXT_MORNING) == 1
    assert digest.send_digests(NEXT_MORNING) == 0
    _first, second = _notes()
    assert second.subject == "Follow-ups: 1 due today, 2 overdue"
    day_two = [row for row in _log() if row[2] == date(2026, 3, 11)]
    assert [(row[1], row[4]) for row in day_two] == [
        (late.id, True), (today.id, True), (day_two[2][1], False)]
    assert len(_log()) == 5


def test_only_new_items_are_sent_later_the_same_day(member):
    _manual("Morning one", member, date(2026, 3, 10))
    assert digest.send_digests(MORNING) == 1
    added = _manual("Added at noon", member, date(2026, 3, 10))
    assert digest.send_digests(MORNING.replace(hour=4)) == 1
    _first, second = _notes()
    assert "Added at noon" in second.body and "Morning one" not in second.body
    assert second.subject == "Follow-ups: 1 due today"
    assert [row[1] for row in _log()][-1] == added.id


def test_the_log_is_unique_even_if_two_runs_race(member, monkeypatch):
    followup = _manual("Raced", member, date(2026, 3, 10))
    # The other run logged it between our look-up and our insert: the savepoint absorbs it.
    db.session.add(ReminderLog(user_id=member.id, followup_id=followup.id,
                               day=date(2026, 3, 10)))
    db.session.commit()
    with monkeypatch.context() as patch:
        patch.setattr(db.session, "scalars", _hide_reminder_log(db.session.scalars))
        assert digest.send_digests(MORNING) == 0
    assert _notes() == [] and len(_log()) == 1


def _hide_reminder_log(scalars):
    """``session.scalars`` that pretends the reminder log is empty."""

    def wrapped(stmt, *args, **kwargs):
        if "reminder_log" in str(stmt):
            return iter(())
        return scalars(stmt, *args, **kwargs)

    return wrapped


@pytest.mark.parametrize(("zone", "hour", "now", "sent"), [
    (None, 8, datetime(2026, 3, 9, 23, 59, tzinfo=UTC), False),  # 07:59 in Shanghai
    (None, 8, datetime(2026, 3, 10, 0, 0, tzinfo=UTC), True),  # 08:00 in Shanghai
    ("America/New_York", 8, datetime(2026, 3, 10, 11, 59, tzinfo=UTC), False),  # 07:59 EDT
    ("America/New_York", 8, datetime(2026, 3, 10, 12, 0, tzinfo=UTC), True),  # 08:00 EDT
    ("Europe/London", 17, datetime(2026, 3, 10, 17, 0, tzinfo=UTC), True),
    ("Europe/London", 17, datetime(2026, 3, 10, 16, 30, tzinfo=UTC), False),
])
def test_the_digest_waits_for_the_users_hour_in_their_zone(member, zone, hour, now, sent):
    member.timezone, member.digest_hour = zone, hour
    db.session.commit()
    local_day = now.astimezone(digest.user_zone(member)).date()
    _manual("Due", member, local_day)
    assert digest.send_digests(now) == int(sent)
    if sent:
        assert _log()[0][2] == local_day


def test_the_day_is_the_users_local_day(member):
    """At 00:30 UTC on the 11th it is 20:30 on the 10th in New York, 08:30 on the 11th in
    Shanghai."""
    now = datetime(2026, 3, 11, 0, 30, tzinfo=UTC)
    member.timezone, member.digest_hour = "America/New_York", 8
    db.session.commit()
    _manual("Due on the 11th", member, date(2026, 3, 11))
    assert digest.send_digests(now) == 0  # not due yet where they are
    member.timezone = None
    db.session.commit()
    assert digest.send_digests(now) == 1
    assert _log()[0][2] == date(2026, 3, 11)


def test_email_goes_out_when_wanted_and_the_log_says_so(users, mail):
    wants, declines = users["team_member"], users["support_agent"]
    declines.email_digest = False
    db.session.commit()
    _manual("For the member", wants, date(2026, 3, 10))
    _manual("For the agent", declines, date(2026, 3, 9))
    assert digest.send_digests(MORNING) == 2
    assert digest.send_digests(MORNING) == 0
    (sent,) = mail
    assert sent[0] == wants.email and sent[1] == "Follow-ups: 1 due today"
    assert "For the member" in sent[2] and "/followups/" in sent[2]
    assert _notes(wants)[0].emailed_at is not None
    assert _notes(declines)[0].emailed_at is None
    channels = {row[0]: row[3] for row in _log()}
    assert channels == {wants.id: "email", declines.id: "app"}


def test_a_failed_email_leaves_the_log_at_in_app(member, app, monkeypatch):
    from tracker import notify
    from tracker.models import Job

    def refused(*mail: str) -> None:
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.test.example")
    monkeypatch.setattr(notify, "deliver_mail", refused)
    _manual("Due", member, date(2026, 3, 10))
    assert digest.send_digests(MORNING) == 1
    assert _log()[0][3] == "app" and _notes()[0].emailed_at is None
    (job,) = db.session.scalars(sa.select(Job))
    assert (job.kind, job.state, job.attempts) == ("mail.digest", "retrying", 1)
    assert "the mail server is down" in job.last_error


def test_no_digest_for_others_items_the_inactive_or_nothing_due(users):
    member, agent = users["team_member"], users["support_agent"]
    gone = factories.make_user("team_member", is_enabled=False)
    _manual("The agent's", agent, date(2026, 3, 10), status="cancelled")
    _manual("Gone user's", gone, date(2026, 3, 10))
    _manual("Member's later", member, date(2026, 3, 20))
    assert digest.send_digests(MORNING) == 0
    assert _notes() == [] and _log() == []


def test_the_digest_speaks_the_users_language(member):
    member.locale = "zh"
    db.session.commit()
    _manual("Due", member, date(2026, 3, 10))
    digest.send_digests(MORNING)
    (note,) = _notes()
    assert note.subject  # translated once the catalog has the strings; never empty
    assert "Due" in note.body


def test_the_log_page_matches_what_was_sent(member, login_as):
    _manual("Shown in the log", member, date(2026, 3, 10))
    digest.send_digests(MORNING)
    page = login_as("team_member").get("/followups/reminders").get_data(as_text=True)
    assert page.count('data-testid="reminder-') == len(_log()) == 1
    assert "Shown in the log" in page and "In the app" in page
