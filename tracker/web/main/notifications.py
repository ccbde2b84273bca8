"""The signed-in user's notifications: list, open, mark read."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.extensions import db
from tracker.models import Notification, utcnow
from tracker.paging import PAGE_SIZES, SortKey, keyset_page, requested_page_size
from tracker.urls import safe_next
from tracker.web.main import bp


@bp.route("/notifications")
@login_required
def notifications() -> str:
    # Newest first, a page at a time (25, 50 or 100: ``?per=``), not the latest 200 only.
    page = keyset_page(sa.select(Notification).where(Notification.user_id == current_user.id),
                       (SortKey(Notification.id, True),), per_page=requested_page_size(),
                       after=request.args.get("after"), before=request.args.get("before"))
    page.sizes = PAGE_SIZES
    return render_template("main/notifications.html", rows=page.items, page=page)


@bp.route("/notifications/<int:note_id>/open", methods=["POST"])
@login_required
def notification_open(note_id: int) -> Response:
    note = db.session.get(Notification, note_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    note.read_at = note.read_at or utcnow()
    db.session.commit()
    return redirect(safe_next(note.link) or url_for("main.notifications"))


@bp.route("/notifications/read", methods=["POST"])
@login_required
def notifications_read() -> Response:
    db.session.execute(sa.update(Notification).where(
        Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow()))
    db.session.commit()
    return redirect(url_for("main.notifications"))
