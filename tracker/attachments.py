"""Uploaded files: checked on the way in, stored outside the web root, sent as downloads."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import Response, current_app, send_file
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from tracker.extensions import db
from tracker.models import Attachment, User
from tracker.text import filesize

CHUNK = 64 * 1024


class UploadRefused(ValueError):
    """The file cannot be kept; the message says why, in the user's language."""


def _folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _display_name(upload: FileStorage) -> str:
    """The name to show: the original one, minus any path, control characters kept out."""
    raw = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in raw if ch.isprintable()).strip()[:200]
    return name or "file"


def _extension(name: str) -> str:
    # From the display name itself: secure_filename drops non-ASCII names ("合作协议.pdf")
    # down to "pdf" and would lose the extension.
    return name.rsplit(".", 1)[-1].strip().lower() if "." in name else ""


def save_upload(upload: FileStorage, record: object, user: User) -> Attachment:
    """Check size and type, store the bytes under a random name, record the attachment."""
    name = _display_name(upload)
    allowed = current_app.config["UPLOAD_EXTENSIONS"]
    if _extension(name) not in allowed:
        raise UploadRefused(_("Files of this type cannot be attached. Allowed: %(types)s.",
                              types=", ".join(sorted(allowed))))
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    stored_name = secrets.token_hex(16)
    target = _folder() / stored_name
    digest, size = hashlib.sha256(), 0
    with target.open("wb") as out:
        while chunk := upload.stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                out.close()
                target.unlink(missing_ok=True)
                raise UploadRefused(_("The file is larger than %(size)s.",
                                      size=filesize(limit)))
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        target.unlink(missing_ok=True)
        raise UploadRefused(_("The file is empty."))
    attachment = Attachment(
        record_type=record.__tablename__, record_id=record.id, filename=name,
        content_type=(upload.mimetype or "application/octet-stream")[:100], size=size,
        sha256=digest.hexdigest(), stored_name=stored_name, uploaded_by_id=user.id)
    db.session.add(attachment)
    return attachment


def attachments_of(record: object) -> list[Attachment]:
    """A record's current attachments, newest first."""
    return list(db.session.scalars(
        sa.select(Attachment).where(Attachment.record_type == record.__tablename__,
                                    Attachment.record_id == record.id,
                                    Attachment.archived_at.is_(None))
        .options(sa.orm.selectinload(Attachment.uploaded_by))
        .order_by(Attachment.id.desc())))


def send_attachment(attachment: Attachment) -> Response:
    """Always a download, never rendered: a generic type, nosniff, and a sandbox CSP."""
    path = Path(current_app.config["UPLOAD_FOLDER"]) / attachment.stored_name
    response = send_file(path, mimetype="application/octet-stream", as_attachment=True,
                         download_name=attachment.filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
