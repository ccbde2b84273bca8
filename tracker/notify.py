"""In-app notifications, and email when a mail server is configured."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from tracker.extensions import db
from tracker.models import Notification, User, utcnow


def notify(user: User, kind: str, subject: str, body: str = "", link: str = "",
           source: object | None = None) -> Notification:
    """An unread notification for ``user``; emailed too where mail is configured."""
    note = Notification(user_id=user.id, kind=kind, subject=subject[:255], body=body,
                        link=link[:255], source_type=getattr(source, "__tablename__", ""),
                        source_id=getattr(source, "id", None))
    db.session.add(note)
    if send_mail(user.email, subject, f"{body}\n\n{link}".strip()):
        note.emailed_at = utcnow()
    return note


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text email; False (and nothing sent) when no server is configured."""
    config = current_app.config
    if not config.get("MAIL_SERVER") or not to:
        return False
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = config["MAIL_FROM"], to, subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        current_app.logger.warning("mail to %s failed: %s", to, exc)
        return False
    return True
