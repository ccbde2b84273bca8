"""The job queue: huey, embedded (a SQLite file) by default, on Redis in production.

Why huey: one small dependency-free library that runs on a file next to the app (so
``make run`` needs no server), on Redis across many hosts, eagerly in tests, and schedules
periodic work itself (no outside cron). The queue carries only outbox ids
(``tracker.jobs.outbox``): what to do, how often it was tried and why it failed live in
the database, where an administrator sees them (Administration → Jobs).

``JOBS_QUEUE_URL`` picks the storage: ``immediate`` (run at once, in-process: the test
suite), ``sqlite:///path/jobs.db`` (the default: instance/jobs.db), ``redis://host:6379/0``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer

from tracker.extensions import db
from tracker.jobs import outbox
from tracker.models import Job, JobState, utcnow

log = logging.getLogger(__name__)

# A job not picked up this long after its commit was never handed over (the process
# stopped, the queue was down): the relay hands it over again. A job "running" much
# longer than any job takes lost its worker.
UNCLAIMED_AFTER = timedelta(minutes=2)
LOST_AFTER = timedelta(minutes=30)
# Retries wait 30 s, 1, 2, 4, 8 min: a mail server back within a quarter hour loses nothing.
RETRY_BACKOFF = 2

# Periodic work: (job kind, when). Each tick makes one outbox job, deduplicated by the
# tick's minute, so several consumers running the scheduler still do it once.
SCHEDULE: tuple[tuple[str, crontab], ...] = (
    ("sweep.escalations", crontab(minute="*/5")),
    ("sweep.digests", crontab(minute="*/15")),
    ("sweep.agreement_reminders", crontab(minute="0", hour="*/6")),
    ("sweep.weekly_reports", crontab(minute="10", hour="*")),
    ("jobs.prune", crontab(minute="30", hour="3")),
)


def make_huey(url: str, name: str) -> Huey:
    """The huey instance ``url`` names (see the module's docstring)."""
    if url == "immediate":
        return MemoryHuey(name, immediate=True, results=False)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path), results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url, results=False)
    raise ValueError(f"JOBS_QUEUE_URL: immediate, sqlite:///… or redis://…, not {url!r}")


class JobQueue:
    """One app's queue: hands outbox ids to huey, and runs them in the worker."""

    def __init__(self, app: Flask, huey: Huey) -> None:
        self.app, self.huey = app, huey
        config = app.config
        self.task = huey.task(retries=config["JOBS_RETRIES"],
                              retry_delay=config["JOBS_RETRY_DELAY"],
                              retry_backoff=RETRY_BACKOFF, context=True,
                              name="tracker.run_job")(self._run)
        for kind, when in SCHEDULE:
            huey.periodic_task(when, name=f"tracker.tick.{kind}")(self._ticker(kind))
        huey.periodic_task(crontab(minute="*"), name="tracker.relay")(self.relay)

    def push(self, ids: Iterable[int]) -> None:
        """Hand committed jobs to the queue (a failure here is left to the relay)."""
        for job_id in ids:
            try:
                self.task(job_id)
            except Exception:  # the queue is down: the row is committed, the relay retries
                log.exception("job %s not handed to the queue; the relay will", job_id)

    def _run(self, job_id: int, task: object = None) -> str:
        final = getattr(task, "retries", 0) == 0
        with self.app.app_context():
            try:
                return outbox.run(job_id, final=final)
            finally:
                db.session.remove()

    def _ticker(self, kind: str) -> Callable[[], None]:
        def tick() -> None:
            with self.app.app_context():
                try:
                    stamp = utcnow().strftime("%Y-%m-%dT%H:%M")
                    outbox.later(kind, dedupe_key=f"{kind}@{stamp}")
                    db.session.commit()
                finally:
                    db.session.remove()

        tick.__name__ = f"tick_{kind.replace('.', '_')}"
        return tick

    def relay(self) -> int:
        """Hand over again what was committed but never picked up, or lost its worker."""
        with self.app.app_context():
            try:
                return relay_stale(self)
            finally:
                db.session.remove()

    def consumer(self, workers: int = 2, periodic: bool = True) -> Consumer:
        """A huey consumer running this app's jobs in ``workers`` threads."""
        return self.huey.create_consumer(workers=workers, worker_type="thread",
                                         periodic=periodic, check_worker_health=True)


def relay_stale(queue: JobQueue) -> int:
    """Pending jobs older than UNCLAIMED_AFTER, running ones older than LOST_AFTER."""
    now = utcnow()
    lost = db.session.execute(
        sa.update(Job).where(Job.state == JobState.RUNNING.value,
                             Job.updated_at < now - LOST_AFTER)
        .values(state=JobState.PENDING.value, updated_at=now - UNCLAIMED_AFTER))
    ids = list(db.session.scalars(sa.select(Job.id).where(
        Job.state == JobState.PENDING.value, Job.updated_at <= now - UNCLAIMED_AFTER)
        .order_by(Job.id).limit(500)))
    if ids:
        db.session.execute(sa.update(Job).where(Job.id.in_(ids)).values(updated_at=now))
    db.session.commit()
    if lost.rowcount:
        log.warning("%d job(s) lost their worker and are handed over again", lost.rowcount)
    queue.push(ids)
    return len(ids)


def init_jobs(app: Flask) -> JobQueue:
    """Make the app's queue (``app.extensions["tracker_jobs"]``) and load the job kinds."""
    from tracker.jobs import handlers  # noqa: F401  (registers the job kinds)

    app.config.setdefault("JOBS_RETRIES", 5)
    app.config.setdefault("JOBS_RETRY_DELAY", 30)
    url = app.config.get("JOBS_QUEUE_URL") or "sqlite:///" + str(
        Path(app.instance_path) / "jobs.db")
    queue = JobQueue(app, make_huey(url, app.config.get("JOBS_QUEUE_NAME", "tracker")))
    app.extensions["tracker_jobs"] = queue
    return queue
