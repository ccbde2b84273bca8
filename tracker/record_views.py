"""The archive, restore and history views that every kind of record shares.

The route functions stay in their blueprints (same endpoints, URLs and flash texts); they
load the visible record and hand it here for the common part of the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from flask import Response, abort, flash, redirect, render_template
from flask_login import current_user

from tracker.access import Action, Capability, can, has
from tracker.extensions import db
from tracker.models import AuditEvent
from tracker.models.base import Tracked
from tracker.records import archive, history, restore, shown_changes

ShowChanges = Callable[[list[AuditEvent]], dict[int, list]]


def require_audit() -> None:
    """Answer 403 unless the current user may read the audit trail."""
    if not has(current_user, Capability.READ_AUDIT):
        abort(403)


def archive_record(record: Tracked, *, done: str, next_url: str) -> Response:
    """Archive ``record`` if the current user may (else 403), flash ``done`` and redirect."""
    if not can(current_user, Action.ARCHIVE, record):
        abort(403)
    archive(record)
    db.session.commit()
    flash(done, "info")
    return redirect(next_url)


def restore_record(record: Tracked, *, done: str, next_url: str) -> Response:
    """Restore ``record`` if the current user may (else 403), flash ``done`` and redirect."""
    if not can(current_user, Action.RESTORE, record):
        abort(403)
    restore(record)
    db.session.commit()
    flash(done, "success")
    return redirect(next_url)


def history_page(record: Tracked, *, back: str, hidden: Collection[str] = frozenset(),
                 show_changes: ShowChanges | None = None) -> str:
    """The audit trail of ``record`` (403 without READ_AUDIT), with a link ``back``.

    ``hidden`` names fields whose values are not shown; ``show_changes`` replaces the
    default rendering of the changes (``records.shown_changes``).
    """
    require_audit()
    events = history(record.__tablename__, record.id)
    changes = show_changes(events) if show_changes else shown_changes(events, hidden=hidden)
    return render_template("admin/history.html", subject=record, events=events,
                           changes=changes, back=back)
