"""Jobs written with the change that causes them, handed to the queue once it commits.

``later("mail.notification", notification_id=7)`` adds a ``Job`` row to the current
session. Nothing leaves the process then: when (and only when) that session commits, the
``after_commit`` hook below hands the new jobs' ids to the queue. A rolled-back request
leaves no row and sends nothing; a crash between the commit and the hand-over leaves a
``pending`` row, which the relay (``tracker.jobs.queue``) hands over a minute later.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from tracker.audit import set_actor
from tracker.extensions import db
from tracker.models import Job, JobState, utcnow

log = logging.getLogger(__name__)
Handler = Callable[..., None]
HANDLERS: dict[str, Handler] = {}
_NEW = "tracker_new_jobs"


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that does jobs of ``kind`` (called with the job's payload)."""

    def register(func: Handler) -> Handler:
        if HANDLERS.get(kind, func) is not func:
            raise ValueError(f"two handlers for job kind {kind!r}")
        HANDLERS[kind] = func
        return func

    return register


def later(kind: str, *, dedupe_key: str | None = None, **payload: Any) -> Job | None:
    """Do ``kind`` with ``payload`` after the current transaction commits.

    The payload must be plain JSON (ids, strings, numbers). With a ``dedupe_key`` the job
    is made once however often it is asked for; None when it exists already.
    """
    if kind not in HANDLERS:
        raise KeyError(f"no handler for job kind {kind!r}")
    job = Job(kind=kind, payload=payload, dedupe_key=dedupe_key)
    if dedupe_key is None:
        db.session.add(job)
    else:
        if db.session.scalar(sa.select(Job.id).where(Job.dedupe_key == dedupe_key)):
            return None
        try:
            with db.session.begin_nested():
                db.session.add(job)
        except sa.exc.IntegrityError:
            return None  # asked for at the same moment elsewhere: that one runs
    db.session.info.setdefault(_NEW, []).append(job)
    return job


@sa.event.listens_for(Session, "after_commit")
def _hand_over(session: Session) -> None:
    jobs = session.info.pop(_NEW, None)
    if not jobs or not has_app_context():
        return
    # After a commit the rows may not be read (no SQL here): their ids are in the identity.
    ids = [key[1][0] for key in (sa.inspect(job).identity_key for job in jobs) if key]
    queue = current_app.extensions.get("tracker_jobs")
    if ids and queue is not None:
        queue.push(ids)


@sa.event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_NEW, None)


def run(job_id: int, *, final: bool) -> str:
    """Claim the job, do it, and record how it went: "done", "skipped" (already done or
    being done by another worker) or, raising the handler's error, failed.

    The claim is one conditional UPDATE, so of two workers handed the same id only one
    runs it. The handler's changes and the "done" mark commit together.
    """
    set_actor(db.session, None)
    claimed = db.session.execute(
        sa.update(Job).where(Job.id == job_id,
                             Job.state.in_((JobState.PENDING.value, JobState.RETRYING.value)))
        .values(state=JobState.RUNNING.value, attempts=Job.attempts + 1, updated_at=utcnow())
    ).rowcount
    db.session.commit()
    if not claimed:
        return "skipped"
    job = db.session.get(Job, job_id)
    assert job is not None
    try:
        HANDLERS[job.kind](**job.payload)
        db.session.flush()
    except Exception as exc:
        db.session.rollback()
        now = utcnow()
        error = "".join(traceback.format_exception_only(exc)).strip()
        db.session.execute(sa.update(Job).where(Job.id == job_id).values(
            state=(JobState.FAILED if final else JobState.RETRYING).value,
            last_error=error[:4000], updated_at=now, finished_at=now if final else None))
        db.session.commit()
        log.warning("job %s failed (%s): %s", job_id, "final" if final else "will retry", error)
        raise
    job.state = JobState.DONE.value
    job.updated_at = job.finished_at = utcnow()
    db.session.commit()
    log.info("job %s (%s) done, try %s", job_id, job.kind, job.attempts)
    return "done"
