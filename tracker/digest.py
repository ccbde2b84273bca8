"""The daily digest (a periodic job): each person's due and overdue follow-ups, once a day.

"Once" is kept by the reminder log: one row per (person, follow-up, local day), unique in
the database. Each row is claimed in a savepoint before anything is sent, so a second run
on the same day, or two runs at once, find nothing new and send nothing. A person's claims,
in-app notification and mail job commit together; the mail job (``tracker.jobs``) then
marks the rows it carried (channel "email"), so the log says what was sent and how.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from tracker.access import visible
from tracker.extensions import db
from tracker.i18n import language_of
from tracker.i18n import zone_of as user_zone
from tracker.jobs import handler, later
from tracker.messages import written
from tracker.models import FollowUp, FollowUpStatus, Notification, ReminderLog, User, utcnow
from tracker.notify import mail_configured, mail_notification
from tracker.urls import site_path


@dataclass(frozen=True)
class Due:
    followup: FollowUp
    overdue: bool


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


def _items(items: list[Due]) -> list[dict[str, object]]:
    """The digest's follow-ups as stored values (``tracker.messages`` words them)."""
    return [{"id": i.followup.id, "title": i.followup.title, "key": i.followup.dedupe_key,
             "due": i.followup.due_on.isoformat(), "overdue": i.overdue} for i in items]


def _send_one(user: User, now: datetime) -> bool:
    day = _digest_due(user, now)
    if day is None:
        return False
    items = _claim(user, _due_items(user, day), day, now)
    if not items:
        return False
    ids = [i.followup.id for i in items]
    # What is due, not sentences in the job's language: read in the reader's, whenever
    # (and in the mail, in theirs at sending).
    params = {"items": _items(items)}
    text = written("followup.digest", params, language_of(user))
    note = Notification(user_id=user.id, kind="digest", subject=text.subject[:255],
                        body=text.body, link=site_path("followups.my_day"), created_at=now,
                        event="followup.digest", params=params)
    db.session.add(note)
    if mail_configured() and user.email_digest and user.email:
        db.session.flush()
        later("mail.digest", dedupe_key=f"mail:notification:{note.id}",
              notification_id=note.id, day=day.isoformat(), followup_ids=ids)
    db.session.commit()  # claimed, in the app and its mail queued, or none of these
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



@handler("mail.digest")
def _mail_digest(notification_id: int, day: str, followup_ids: list[int]) -> None:
    note = mail_notification(notification_id)
    if note is not None:
        db.session.execute(sa.update(ReminderLog).where(
            ReminderLog.user_id == note.user_id, ReminderLog.day == date.fromisoformat(day),
            ReminderLog.followup_id.in_(followup_ids)).values(channel="email"))


@handler("sweep.digests")
def _sweep_digests() -> None:
    send_digests(utcnow())
