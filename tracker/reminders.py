"""Scheduled jobs (``flask remind``): follow-ups for agreement dates nobody may miss."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from tracker.extensions import db
from tracker.followups import add_followup
from tracker.models import Agreement, AgreementStatus, FollowUp

WATCHED = (AgreementStatus.SIGNED.value, AgreementStatus.ACTIVE.value)


def agreement_date_reminders(today: date, days: int | None = None) -> int:
    """Create one follow-up per agreement date coming within ``days``; returns how many.

    Each reminder has a key naming the agreement, the kind of date and the date itself,
    and the key is unique: a second run, or two runs at once, create nothing more.
    """
    days = current_app.config["AGREEMENT_REMINDER_DAYS"] if days is None else days
    horizon = today + timedelta(days=days)
    agreements = db.session.scalars(
        sa.select(Agreement).where(
            Agreement.status.in_(WATCHED), Agreement.archived_at.is_(None),
            sa.or_(Agreement.notice_on.between(today, horizon),
                   Agreement.end_on.between(today, horizon)))
        .options(sa.orm.selectinload(Agreement.organization)))
    created = 0
    for agreement in agreements:
        for kind, when in (("notice", agreement.notice_on), ("end", agreement.end_on)):
            if when is None or not today <= when <= horizon:
                continue
            key = f"agreement:{agreement.id}:{kind}:{when.isoformat()}"
            if db.session.scalar(sa.select(FollowUp.id).where(FollowUp.dedupe_key == key)):
                continue
            title = (_("Notice date of “%(title)s” is %(date)s: renew or give notice",
                       title=agreement.title, date=when.isoformat()) if kind == "notice"
                     else _("“%(title)s” ends %(date)s: renew or close it",
                            title=agreement.title, date=when.isoformat()))
            try:
                with db.session.begin_nested():
                    add_followup(agreement, title[:200], agreement.owner_id,
                                 min(when, today + timedelta(days=7)),
                                 organization=agreement.organization, dedupe_key=key)
            except sa.exc.IntegrityError:
                continue  # another run created it a moment ago
            created += 1
    return created
