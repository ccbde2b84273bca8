"""Every kind of job the queue runs, registered by importing the modules that define them.

The periodic sweeps are defined here; mail jobs next to what they mail (``tracker.digest``).
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from tracker import (  # noqa: F401  (the mail jobs, sweep.digests)
    digest,
    notify,
    weekly_mail,
)
from tracker.clients.complaints import categories  # noqa: F401  (search.refile_category)
from tracker.extensions import db
from tracker.imports import runner  # noqa: F401  (imports.run, imports.undo)
from tracker.jobs.outbox import handler
from tracker.models import Job, JobState, utcnow


@handler("sweep.escalations")
def sweep_escalations() -> None:
    """Flag every complaint deadline that passed (each once)."""
    from tracker.reminders import complaint_escalations

    complaint_escalations(utcnow())


@handler("sweep.agreement_reminders")
def sweep_agreement_reminders() -> None:
    """Follow-ups for agreement notice and end dates coming up (each once)."""
    from tracker.reminders import agreement_date_reminders

    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    agreement_date_reminders(utcnow().astimezone(zone).date())


@handler("jobs.prune")
def prune_jobs() -> None:
    """Forget jobs done more than JOBS_KEEP_DAYS ago (failed ones stay for an admin)."""
    keep = timedelta(days=current_app.config.get("JOBS_KEEP_DAYS", 30))
    db.session.execute(sa.delete(Job).where(Job.state == JobState.DONE.value,
                                            Job.updated_at < utcnow() - keep))
