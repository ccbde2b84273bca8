"""Administration → Jobs: what the job queue did, what failed and why, and a retry."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.access import may_manage_accounts
from tracker.extensions import db
from tracker.models import Job, JobState, utcnow
from tracker.paging import PAGE_SIZES, SortKey, keyset_page, requested_page_size
from tracker.web.admin import bp
from tracker.web.admin.guards import require_manage

STATE_LABELS = {
    JobState.PENDING: _l("Waiting"), JobState.RUNNING: _l("Running"),
    JobState.RETRYING: _l("Will retry"), JobState.FAILED: _l("Failed"),
    JobState.DONE: _l("Done"),
}
KIND_LABELS = {
    "mail.notification": _l("Email a notification"),
    "mail.digest": _l("Email the daily reminder"),
    "sweep.escalations": _l("Escalate passed complaint deadlines"),
    "sweep.digests": _l("Daily reminders"),
    "sweep.agreement_reminders": _l("Agreement date follow-ups"),
    "jobs.prune": _l("Remove old finished jobs"),
}
# Newest change first: a failure shows at the top the moment it happens.
KEYS = (SortKey(Job.updated_at, descending=True), SortKey(Job.id, descending=True))


@bp.route("/jobs")
def jobs() -> str:
    state = request.args.get("state", "")
    if state not in {s.value for s in JobState}:
        state = ""
    counts = dict(db.session.execute(
        sa.select(Job.state, sa.func.count()).group_by(Job.state)).all())
    stmt = sa.select(Job)
    # "Needs attention" by default: what failed or is about to be tried again.
    shown = [state] if state else [JobState.FAILED.value, JobState.RETRYING.value]
    stmt = stmt.where(Job.state.in_(shown))
    page = keyset_page(stmt, KEYS, per_page=requested_page_size(),
                       after=request.args.get("after"), before=request.args.get("before"))
    page.sizes = PAGE_SIZES
    return render_template("admin/jobs.html", page=page, state=state, counts=counts,
                           states=list(JobState), state_labels=STATE_LABELS,
                           kind_labels=KIND_LABELS, may_manage=may_manage_accounts(current_user))


@bp.route("/jobs/<int:job_id>/retry", methods=["POST"])
def job_retry(job_id: int) -> Response:
    """Try a failed job again now (its attempts so far are kept)."""
    require_manage()
    changed = db.session.execute(
        sa.update(Job).where(Job.id == job_id, Job.state == JobState.FAILED.value)
        .values(state=JobState.PENDING.value, updated_at=utcnow(), finished_at=None)).rowcount
    db.session.commit()
    if changed:
        current_app.extensions["tracker_jobs"].push([job_id])
        flash(_("The job is queued again."), "success")
    else:
        flash(_("Only a failed job can be retried; this one is not failed any more."),
              "warning")
    return redirect(url_for("admin.jobs", state=request.args.get("state") or None))
