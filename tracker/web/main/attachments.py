"""Attachment upload, download and archive for any record type that takes files."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.access import Action
from tracker.attachments import UploadRefused, save_upload, send_attachment
from tracker.extensions import db
from tracker.models import Agreement, Attachment, Complaint, Conversation
from tracker.records import archive
from tracker.urls import safe_next
from tracker.web.kit import done, load, require_can
from tracker.web.main import bp
from tracker.web.shared_forms import UploadForm

# record_type (table name) -> model; a file is seen by whoever may see its record.
ATTACHABLE = {"agreements": Agreement, "conversations": Conversation,
              "complaints": Complaint}


def _record(record_type: str, record_id: int) -> object:
    model = ATTACHABLE.get(record_type)
    if model is None:
        abort(404)
    return load(model, record_id)


def _back_url() -> str:
    return safe_next(request.form.get("next")) or "/"


def _back() -> Response:
    return redirect(_back_url())


@bp.route("/attachments/<record_type>/<int:record_id>", methods=["POST"])
@login_required
def attachment_upload(record_type: str, record_id: int) -> Response:
    record = _record(record_type, record_id)
    require_can(Action.EDIT, record)
    form = UploadForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.file.errors) or _("Choose a file."), "error")
        return _back()
    try:
        attachment = save_upload(form.file.data, record, current_user)
    except UploadRefused as refused:
        flash(str(refused), "error")
        return _back()
    return done(_("%(name)s is attached.", name=attachment.filename), _back_url())


def _attachment(attachment_id: int) -> tuple[Attachment, object]:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.archived_at is not None:
        abort(404)
    return attachment, _record(attachment.record_type, attachment.record_id)


@bp.route("/attachments/<int:attachment_id>")
@login_required
def attachment_download(attachment_id: int) -> Response:
    return send_attachment(_attachment(attachment_id)[0])


@bp.route("/attachments/<int:attachment_id>/archive", methods=["POST"])
@login_required
def attachment_archive(attachment_id: int) -> Response:
    attachment, record = _attachment(attachment_id)
    require_can(Action.EDIT, record)
    archive(attachment)
    return done(_("%(name)s is removed from the record.", name=attachment.filename),
                _back_url(), "info")
