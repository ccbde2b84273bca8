"""In-app notifications, and their email sent by the job queue after the commit."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Any

from flask import current_app, url_for
from flask_babel import force_locale

from tracker.extensions import db
from tracker.i18n import language_of
from tracker.jobs import handler, later
from tracker.messages import shown, written
from tracker.models import Notification, User, utcnow


def notify(user: User, kind: str, subject: str = "", body: str = "", link: str = "",
           source: object | None = None, *, event: str = "",
           params: dict[str, Any] | None = None) -> Notification:
    """An unread notification for ``user``; emailed by a job once the change commits,
    where a mail server is configured (a rolled-back change sends nothing).

    Give what happened as ``event`` (a code of ``tracker.messages``) and its ``params``:
    each reader then reads it in their own language, whatever language the writer (or a
    job, which has none) was in; ``subject``/``body`` default to its text in theirs."""
    if event:
        text = written(event, params or {}, language_of(user))
        subject, body = subject or text.subject, body or text.body
    note = Notification(user_id=user.id, kind=kind, subject=subject[:255], body=body,
                        link=link[:255], source_type=getattr(source, "__tablename__", ""),
                        source_id=getattr(source, "id", None), event=event,
                        params=params if event else None)
    db.session.add(note)
    if mail_configured() and user.email:
        db.session.flush()
        later("mail.notification", dedupe_key=f"mail:notification:{note.id}",
              notification_id=note.id)
    return note


def mail_configured() -> bool:
    """Is there a mail server to send through?"""
    return bool(current_app.config.get("MAIL_SERVER"))


def deliver_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text email now; raises when the server refuses or cannot be reached
    (the job queue then tries again later)."""
    config = current_app.config
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = config["MAIL_FROM"], to, subject
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


def absolute_link(link: str) -> str:
    """A site-relative link as an email needs it (under BASE_URL where configured)."""
    base = (current_app.config.get("BASE_URL") or "").rstrip("/")
    if base:
        return base + link
    with current_app.test_request_context():
        return url_for("main.dashboard", _external=True).rstrip("/") + link


def mail_notification(notification_id: int) -> Notification | None:
    """Email one notification to its reader; None when there is nothing to send."""
    note = db.session.get(Notification, notification_id)
    if note is None or not mail_configured() or not note.user.email:
        return None
    with force_locale(language_of(note.user)):  # the reader's language, not the job's
        said = shown(note)
    body = f"{said.body}\n\n{absolute_link(note.link)}" if note.link else said.body
    deliver_mail(note.user.email, said.subject, body.strip())
    note.emailed_at = utcnow()
    return note


@handler("mail.notification")
def _mail_notification(notification_id: int) -> None:
    mail_notification(notification_id)
