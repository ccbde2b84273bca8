"""The daily digest (``flask remind``): each person's due and overdue follow-ups, once a day.

"Once" is kept by the reminder log: one row per (person, follow-up, local day), unique in
the database. Each row is claimed in a savepoint before anything is sent, so a second run
on the same day, or two runs at once, find nothing new and send nothing. A person's claims
and in-app notification are committed before the email goes out; the email then marks
the rows it carried (channel "email"), so the log says what was sent and how.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from tracker.access import visible
from tracker.extensions import db
from tracker.followups.queries import language_of, user_zone
from tracker.models import FollowUp, FollowUpStatus, Notification, ReminderLog, User
from tracker.notify import send_mail


@dataclass(frozen=True)
class Due:
    followup: FollowUp
    overdue: bool


def _path(endpoint: str, **values: object) -> str:
    """A site-relative URL, also from the command line (no request there)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def _absolute(endpoint: str, **values: object) -> str:
    """A link for an email: under BASE_URL (e.g. https://tracker.example.com) when that is
    configured, else as the request (or SERVER_NAME) says."""
    base = (current_app.config.get("BASE_URL") or "").rstrip("/")
    if base:
        return base + _path(endpoint, **values)
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context():
        return url_for(endpoint, _external=True, **values)


def _digest_due(user: User, now: datetime) -> date | None:
    """The user's local day if their digest hour has come today, else None."""
    local = now.astimezone(user_zone(user))
    if local.hour < (user.digest_hour or 0):
        return None
    return local.date()


def _due_items(user: User, day: date) -> list[FollowUp]:
    return list(db.session.scalars(
        visible(user, FollowUp).where(
            FollowUp.owner_id == user.id, FollowUp.status == FollowUpStatus.OPEN.value,
            FollowUp.due_on <= day)
        .order_by(FollowUp.due_on, FollowUp.id)))


def _claim(user: User, items: list[FollowUp], day: date, now: datetime) -> list[Due]:
    """Log each item for the day unless it is logged already; the ones newly logged."""
    logged = set(db.session.scalars(sa.select(ReminderLog.followup_id).where(
        ReminderLog.user_id == user.id, ReminderLog.day == day)))
    claimed = []
    for followup in items:
        if followup.id in logged:
            continue
        overdue = followup.due_on < day
        try:
            with db.session.begin_nested():
                db.session.add(ReminderLog(user_id=user.id, followup_id=followup.id, day=day,
                                           sent_at=now, channel="app", overdue=overdue))
        except sa.exc.IntegrityError:
            continue  # another run logged it a moment ago
        claimed.append(Due(followup, overdue))
    return claimed


def _compose(user: User, items: list[Due]) -> tuple[str, str]:
    overdue = sum(1 for i in items if i.overdue)
    subject = (_("Follow-ups: %(n)d due today, %(late)d overdue",
                 n=len(items) - overdue, late=overdue) if overdue
               else _("Follow-ups: %(n)d due today", n=len(items)))
    lines = []
    for item in items:
        when = format_date(item.followup.due_on, "medium")
        mark = _("overdue since %(date)s", date=when) if item.overdue else _("due today")
        lines.append(f"• {item.followup.title} ({mark})")
    return subject, "\n".join(lines)


def _send_one(user: User, now: datetime) -> bool:
    day = _digest_due(user, now)
    if day is None:
        return False
    items = _claim(user, _due_items(user, day), day, now)
    if not items:
        return False
    ids = [i.followup.id for i in items]
    with force_locale(language_of(user)):
        subject, body = _compose(user, items)
        link = _path("followups.my_day")
        note = Notification(user_id=user.id, kind="digest", subject=subject[:255], body=body,
                            link=link, created_at=now)
        db.session.add(note)
        db.session.commit()  # claimed and in the app: a crash from here on sends nothing twice
        mail = current_app.config.get("MAIL_SERVER") and user.email_digest
        if mail and send_mail(user.email, subject, f"{body}\n\n{_absolute('followups.my_day')}"):
            note.emailed_at = now
            db.session.execute(sa.update(ReminderLog).where(
                ReminderLog.user_id == user.id, ReminderLog.day == day,
                ReminderLog.followup_id.in_(ids))
                .values(channel="email"))
            db.session.commit()
    return True


def send_digests(now: datetime) -> int:
    """Send every digest whose hour has come; returns how many people got one.

    Commits per person (see the module's docstring): a digest is never sent twice.
    """
    users = list(db.session.scalars(sa.select(User).where(
        User.is_enabled, User.archived_at.is_(None)).order_by(User.id)))
    sent = 0
    for user in users:
        sent += _send_one(user, now)
    return sent

