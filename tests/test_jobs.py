"""The job queue: jobs leave with the commit, run once, retry, and fail where an admin sees.

Most of the suite runs jobs eagerly (``JOBS_QUEUE_URL=immediate``: at the commit, in the
process). The tests marked "real worker" hand them to Redis on 127.0.0.1:6379 and run
them with huey's own worker threads, as ``flask jobs worker`` does.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from huey.consumer import Worker

from config import TestingConfig
from tests import factories
from tracker import create_app
from tracker.extensions import db
from tracker.jobs import later
from tracker.jobs.queue import SCHEDULE, relay_stale
from tracker.models import BusinessCalendar, FollowUp, Job, Notification, User, utcnow
from tracker.notify import notify

REDIS_URL = os.environ.get("TEST_JOBS_REDIS_URL", "redis://127.0.0.1:6379/14")


def _jobs() -> list[tuple[str, str, int]]:
    db.session.expire_all()
    return [(j.kind, j.state, j.attempts)
            for j in db.session.scalars(sa.select(Job).order_by(Job.id))]


# -- eager: what the rest of the suite relies on ------------------------------------------
def test_a_rolled_back_change_sends_nothing_and_a_committed_one_sends_once(users, mailbox):
    member = users["team_member"]
    notify(member, "test", "Rolled back")
    db.session.rollback()
    assert mailbox == [] and _jobs() == []

    notify(member, "test", "Committed", "The body", "/followups/")
    assert mailbox == []  # nothing leaves before the commit
    db.session.commit()
    ((to, subject, body),) = mailbox
    assert (to, subject) == (member.email, "Committed")
    assert body.startswith("The body\n\nhttp://") and body.endswith("/followups/")
    assert _jobs() == [("mail.notification", "done", 1)]
    note = db.session.scalar(sa.select(Notification))
    assert note.emailed_at is not None


def test_no_mail_job_without_a_mail_server(users):
    notify(users["team_member"], "test", "In the app only")
    db.session.commit()
    assert _jobs() == [] and db.session.scalar(sa.select(sa.func.count(Notification.id))) == 1


def test_giving_a_follow_up_mails_the_owner_in_their_language(users, login_as, mailbox):
    owner = users["team_member"]
    owner.locale = "zh"
    db.session.commit()
    client = login_as("manager")
    response = client.post("/followups/new", data={
        "title": "Call back", "owner_id": str(owner.id), "due_on": "2026-12-10",
        "repeat_unit": "months", "repeat_every": "1"})
    assert response.status_code == 302
    ((to, subject, _body),) = mailbox
    assert to == owner.email
    assert subject == f"{users['manager'].name} 给您分配了跟进事项：Call back"
    followup = db.session.scalar(sa.select(FollowUp))
    assert followup.owner_id == owner.id


def test_a_failing_job_is_kept_with_its_error(users, app, monkeypatch):
    from tracker import notify as notify_module

    def down(*mail: str) -> None:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.test.example")
    monkeypatch.setattr(notify_module, "deliver_mail", down)
    notify(users["team_member"], "test", "Will fail")
    db.session.commit()  # the job runs at the commit and fails: the change stays
    (job,) = db.session.scalars(sa.select(Job))
    assert (job.state, job.attempts) == ("retrying", 1)
    assert "ConnectionRefusedError: mail server down" in job.last_error
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 1


def test_the_same_job_asked_for_twice_exists_once(users):
    assert later("sweep.escalations", dedupe_key="sweep@12:00") is not None
    assert later("sweep.escalations", dedupe_key="sweep@12:00") is None
    db.session.commit()
    assert _jobs() == [("sweep.escalations", "done", 1)]
    assert later("sweep.escalations", dedupe_key="sweep@12:00") is None


def test_an_unknown_kind_is_refused_at_once():
    with pytest.raises(KeyError):
        later("no.such.job")


def test_the_relay_hands_over_what_was_never_picked_up(app, users, mailbox):
    """A crash between the commit and the hand-over, or a worker lost mid-job."""
    member = users["team_member"]
    note = Notification(user_id=member.id, kind="test", subject="Stuck")
    db.session.add(note)
    db.session.flush()
    long_ago = utcnow() - timedelta(hours=1)
    stuck = Job(kind="mail.notification", payload={"notification_id": note.id},
                updated_at=long_ago)
    lost = Job(kind="sweep.escalations", state="running", attempts=1, updated_at=long_ago)
    fresh = Job(kind="sweep.digests", updated_at=utcnow())  # just committed: left alone
    db.session.add_all([stuck, lost, fresh])
    db.session.commit()  # added directly: no hand-over, as after a crash
    assert relay_stale(app.extensions["tracker_jobs"]) == 2
    assert _jobs() == [("mail.notification", "done", 1), ("sweep.escalations", "done", 2),
                       ("sweep.digests", "pending", 0)]
    assert [m[1] for m in mailbox] == ["Stuck"]


def test_the_periodic_sweeps_are_scheduled_by_the_queue(app):
    huey = app.extensions["tracker_jobs"].huey
    names = {task.__name__ for task in huey._registry._periodic_tasks}
    assert {f"tracker.tick.{kind}" for kind, _ in SCHEDULE} | {"tracker.relay"} <= names
    assert {kind for kind, _ in SCHEDULE} == {
        "sweep.escalations", "sweep.digests", "sweep.agreement_reminders", "jobs.prune",
        "sweep.weekly_reports"}


def test_a_tick_makes_one_job_per_minute_however_many_schedulers(app):
    queue = app.extensions["tracker_jobs"]
    tick = queue._ticker("sweep.escalations")
    tick()
    tick()  # a second consumer's scheduler in the same minute
    assert [k for k, *_ in _jobs()] == ["sweep.escalations"]


def test_old_finished_jobs_are_pruned(users):
    old = utcnow() - timedelta(days=40)
    db.session.add_all([Job(kind="sweep.digests", state="done", updated_at=old),
                        Job(kind="sweep.digests", state="failed", updated_at=old),
                        Job(kind="sweep.digests", state="done", updated_at=utcnow())])
    db.session.commit()
    later("jobs.prune")
    db.session.commit()
    assert sorted(s for _, s, _ in _jobs()) == ["done", "done", "failed"]  # + the prune job


def test_reading_complaint_clocks_writes_nothing(users, login_as):
    db.session.execute(sa.delete(BusinessCalendar))
    client_org = factories.make_org("client", owner=users["support_agent"])
    complaint = factories.make_complaint(client_org)
    db.session.commit()
    page = login_as("support_agent").get(f"/clients/complaints/{complaint.id}")
    assert page.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(BusinessCalendar.id))) == 0


def test_the_admin_page_shows_failures_and_retries_them(users, login_as, mailbox):
    note = Notification(user_id=users["team_member"].id, kind="test", subject="Again")
    db.session.add(note)
    db.session.flush()
    job = Job(kind="mail.notification", payload={"notification_id": note.id},
              state="failed", attempts=6, last_error="SMTPServerDisconnected: gone")
    db.session.add(job)
    db.session.commit()
    admin = login_as("admin")
    page = admin.get("/admin/jobs")
    assert page.status_code == 200
    assert "SMTPServerDisconnected: gone" in page.text and "Email a notification" in page.text
    assert login_as("auditor").get("/admin/jobs").status_code == 200
    assert "Try again" not in login_as("auditor").get("/admin/jobs").text
    assert admin.post(f"/admin/jobs/{job.id}/retry").status_code == 302
    assert _jobs() == [("mail.notification", "done", 7)]
    assert [m[1] for m in mailbox] == ["Again"]
    assert "Only a failed job" in admin.post(f"/admin/jobs/{job.id}/retry",
                                             follow_redirects=True).text


def test_the_admin_page_speaks_chinese(users, login_as):
    db.session.add(Job(kind="sweep.escalations", state="failed", attempts=6, last_error="x"))
    users["admin"].locale = "zh"
    db.session.commit()
    page = login_as("admin").get("/admin/jobs")
    assert "需要处理" in page.text and "逾期投诉升级" in page.text and "重试" in page.text


# -- a real worker on Redis ------------------------------------------------------------------
@pytest.fixture
def redis_app(app: Flask) -> Iterator[Flask]:
    """A second app on the same database, its queue on Redis under a name of its own."""
    other = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                       INSTANCE_PATH=app.config["INSTANCE_PATH"], MAIL_SERVER="smtp.test.example",
                       JOBS_QUEUE_URL=REDIS_URL, JOBS_QUEUE_NAME=f"test-{uuid.uuid4().hex}",
                       JOBS_RETRIES=1, JOBS_RETRY_DELAY=0)
    huey = other.extensions["tracker_jobs"].huey
    yield other
    huey.flush()
    with other.app_context():
        db.engine.dispose()


def _work(app: Flask, threads: int) -> None:
    """Run huey workers in ``threads`` threads until the queue is empty."""
    huey = app.extensions["tracker_jobs"].huey
    stop = threading.Event()

    def loop() -> None:
        worker = Worker(huey, stop, default_delay=0.01, max_delay=0.05, backoff=1.1)
        while huey.pending_count():
            worker.loop()

    runners = [threading.Thread(target=loop) for _ in range(threads)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join(timeout=60)
    assert not any(r.is_alive() for r in runners)


def test_real_worker_runs_a_committed_job_once_with_two_workers(users, redis_app, mailbox):
    member_id = users["team_member"].id
    with redis_app.app_context():
        notify(db.session.get(User, member_id), "test", "Exactly once")
        db.session.rollback()  # this one is rolled back: it never reaches Redis
        notify(db.session.get(User, member_id), "test", "Exactly once")
        db.session.commit()
        queue = redis_app.extensions["tracker_jobs"]
        (job_id,) = db.session.scalars(sa.select(Job.id))
        queue.push([job_id])  # handed over twice (as the relay may): still run once
        assert queue.huey.pending_count() == 2
        db.session.remove()
    _work(redis_app, threads=2)
    assert [m[1] for m in mailbox] == ["Exactly once"]
    assert _jobs() == [("mail.notification", "done", 1)]


def test_real_worker_retries_then_fails_where_an_admin_sees(users, redis_app, monkeypatch,
                                                           login_as):
    from tracker import notify as notify_module

    tries: list[str] = []

    def down(*mail: str) -> None:
        tries.append(mail[1])
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notify_module, "deliver_mail", down)
    member_id = users["team_member"].id
    with redis_app.app_context():
        notify(db.session.get(User, member_id), "test", "Never arrives")
        db.session.commit()
        db.session.remove()
    _work(redis_app, threads=1)
    assert tries == ["Never arrives", "Never arrives"]  # the first try and one retry
    assert _jobs() == [("mail.notification", "failed", 2)]
    page = login_as("admin").get("/admin/jobs")
    assert "ConnectionRefusedError: mail server down" in page.text
