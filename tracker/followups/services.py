"""Writes of the follow-up hub, from plain values (a form, an import, a job or the CLI
turns its input into them). Callers own the transaction: these never commit."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from tracker.access import may_own_followup_of
from tracker.extensions import db
from tracker.followups.sources import MANUAL, OwnerMayNotSee, check_owner, source_of
from tracker.models import FollowUp, FollowUpComment, FollowUpStatus, User, utcnow
from tracker.notify import notify
from tracker.records import archive, ensure_current, restore
from tracker.urls import site_path

UNITS = ("days", "weeks", "months")
# How long "Undo" is offered after completing a follow-up, to the one who completed it.
UNDO_MINUTES = 10


class Refused(Exception):
    """The action does not fit the follow-up's state (completing a done one, say)."""


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(due_on: date, every: int, unit: str) -> date:
    """The due date of the occurrence after one due on ``due_on``."""
    if unit == "days":
        return due_on + timedelta(days=every)
    if unit == "weeks":
        return due_on + timedelta(weeks=every)
    if unit == "months":
        return add_months(due_on, every)
    raise ValueError(f"unknown repeat unit {unit!r}")


def _team_for(owner: User | None, creator: User) -> int | None:
    """A hand-written follow-up belongs to a team the owner and the writer share, else to
    the owner's team, else to the writer's (so team leads see it with the rest)."""
    owner_teams = owner.team_ids if owner else set()
    for candidates in (owner_teams & creator.team_ids, owner_teams, creator.team_ids):
        if candidates:
            return min(candidates)
    return None


@dataclass(frozen=True, kw_only=True)
class NewFollowUp:
    """A follow-up produced by no record, as a form, an import or an API gives it."""

    title: str
    due_on: date
    owner_id: int | None = None
    notes: str = ""
    repeat_every: int | None = None  # with repeat_unit: every N days, weeks or months
    repeat_unit: str | None = None


def create(data: NewFollowUp, creator: User) -> FollowUp:
    """A follow-up produced by no record; its owner is told (unless they wrote it)."""
    owner = db.session.get(User, data.owner_id) if data.owner_id else None
    unit = data.repeat_unit if data.repeat_unit in UNITS else None
    followup = FollowUp(
        title=data.title.strip(), notes=(data.notes or "").strip(),
        owner_id=owner.id if owner else None, due_on=data.due_on,
        status=FollowUpStatus.OPEN.value, source_type=MANUAL, source_id=0,
        team_id=_team_for(owner, creator),
        repeat_unit=unit, repeat_every=(data.repeat_every or 1) if unit else None)
    db.session.add(followup)
    db.session.flush()
    tell_owner(followup, creator)
    return followup


def tell_owner(followup: FollowUp, giver: User) -> None:
    """The owner hears that ``giver`` gave them the follow-up: in the app, in their own
    language, and by email (a job, after the commit) where mail is set up."""
    owner = db.session.get(User, followup.owner_id) if followup.owner_id else None
    if owner is None or owner.id == giver.id:
        return
    # What happened, not a sentence in the giver's language: the owner reads it in theirs.
    notify(owner, "followup", link=site_path("followups.detail", followup_id=followup.id),
           source=followup, event="followup.given",
           params={"name": giver.name, "title": followup.title, "key": followup.dedupe_key,
                   "due": followup.due_on.isoformat()})


def next_occurrence_key(followup: FollowUp) -> str:
    """The unique key of the occurrence completing ``followup`` makes (made once only)."""
    return f"followup:{followup.id}:next"


def next_occurrence(followup: FollowUp) -> FollowUp | None:
    """The occurrence a recurring follow-up already produced, if any."""
    return db.session.scalar(sa.select(FollowUp).where(sa.or_(
        FollowUp.previous_id == followup.id, FollowUp.dedupe_key == next_occurrence_key(followup))))


def _next_owner(followup: FollowUp, by: User | None) -> int | None:
    """Who the next occurrence of ``followup`` goes to: its owner while they may still
    read its record; else (moved team, changed role, deactivated) whoever completed this
    one, if they may, rather than a day entry saying "a record you cannot see"; else
    nobody, as the follow-up lists show an unowned one to be given to someone."""
    source = source_of(followup)
    return next((person.id for person in (followup.owner, by)
                 if person is not None and may_own_followup_of(person, source)), None)


def complete(followup: FollowUp, version: object, by: User | None = None) -> FollowUp | None:
    """Mark it done; a recurring one produces its next occurrence, exactly once.

    The version check refuses a second post of the same page (a double click); the
    status check refuses completing a done one; the next occurrence's unique key and the
    look-up by ``previous_id`` keep a reopened-and-completed-again one from producing a
    second. ``by``, who completes it, owns the next occurrence if the owner may no longer
    read the record (``_next_owner``). Returns the next occurrence when one was created.
    """
    ensure_current(followup, version)
    if followup.status != FollowUpStatus.OPEN.value:
        raise Refused(_l("This follow-up is not open."))
    followup.status = FollowUpStatus.DONE.value
    followup.completed_at = utcnow()
    if not (followup.repeat_unit in UNITS and followup.repeat_every):
        return None
    existing = next_occurrence(followup)
    if existing is not None:
        if existing.archived_at is not None and existing.status == FollowUpStatus.OPEN.value:
            restore(existing)  # taken back by an undone completion: completing again returns it
            return existing
        return None
    following = FollowUp(
        title=followup.title, notes=followup.notes, owner_id=_next_owner(followup, by),
        due_on=next_due(followup.due_on, followup.repeat_every, followup.repeat_unit),
        status=FollowUpStatus.OPEN.value, source_type=followup.source_type,
        source_id=followup.source_id, organization_id=followup.organization_id,
        team_id=followup.team_id, repeat_every=followup.repeat_every,
        repeat_unit=followup.repeat_unit, previous_id=followup.id,
        dedupe_key=next_occurrence_key(followup),
        # the person who asked for it keeps waiting on every occurrence
        created_by_id=followup.created_by_id)
    db.session.add(following)
    return following


def undoable(followup: FollowUp, user: User, now: datetime | None = None) -> bool:
    """Whether ``user`` may still take back completing ``followup``: they completed it (the
    last change is theirs) less than ``UNDO_MINUTES`` ago."""
    if followup.status != FollowUpStatus.DONE.value or followup.completed_at is None:
        return False
    elapsed = (now or utcnow()) - followup.completed_at
    return followup.updated_by_id == user.id and elapsed <= timedelta(minutes=UNDO_MINUTES)


def undo_complete(followup: FollowUp, actor: User, *, version: object,
                  now: datetime | None = None) -> None:
    """Take back a completion made by mistake, moments after: open again, the next
    occurrence a recurring one produced archived while nobody touched it, and a line on the
    follow-up's record. Later, or by anyone else, it is a plain reopen."""
    if followup.status == FollowUpStatus.OPEN.value:  # the button pressed twice
        raise Refused(_l("This follow-up is already open."))
    ensure_current(followup, version)
    if not undoable(followup, actor, now):
        raise Refused(_l("Completing this follow-up can no longer be undone; reopen it "
                         "instead."))
    following = next_occurrence(followup)
    if (following is not None and following.archived_at is None
            and following.status == FollowUpStatus.OPEN.value and following.version == 1):
        archive(following)
    followup.status = FollowUpStatus.OPEN.value
    followup.completed_at = None
    _note(followup, "undo", "", actor)


def reopen(followup: FollowUp, version: object) -> None:
    ensure_current(followup, version)
    if followup.status == FollowUpStatus.OPEN.value:
        raise Refused(_l("This follow-up is already open."))
    followup.status = FollowUpStatus.OPEN.value
    followup.completed_at = None


def _note(followup: FollowUp, kind: str, body: str, author: User) -> FollowUpComment:
    comment = FollowUpComment(followup_id=followup.id, author_id=author.id, kind=kind,
                              body=body.strip())
    db.session.add(comment)
    return comment


def snooze(followup: FollowUp, due_on: date, reason: str, author: User, *,
           version: int | str | None) -> None:
    """A new due date, and the reason on the follow-up's record.

    ``version`` is the one the caller's view of the follow-up had (StaleRecord if older).
    """
    ensure_current(followup, version)
    if followup.status != FollowUpStatus.OPEN.value:
        raise Refused(_l("Only an open follow-up can be snoozed."))
    before = followup.due_on
    followup.due_on = due_on
    _note(followup, "snooze", f"{before.isoformat()} → {due_on.isoformat()}\n{reason.strip()}",
          author)


def reassign(followup: FollowUp, owner_id: int | None, note: str, author: User, *,
             version: int | str | None) -> User:
    """Hand it to somebody else, with a note on the record, and tell them. Returns the
    new owner. Refused for someone who may not read the record it came from."""
    ensure_current(followup, version)
    if followup.status != FollowUpStatus.OPEN.value:
        raise Refused(_l("Only an open follow-up can be reassigned."))
    owner = db.session.get(User, owner_id) if owner_id else None
    if owner is None or not owner.is_active:
        raise Refused(_l("Choose a person."))
    if owner.id == followup.owner_id:
        raise Refused(_l("It is already theirs."))
    source = source_of(followup)
    if source is not None:  # one of no record (or whose record is gone): any active person
        try:
            check_owner(source, owner.id)
        except OwnerMayNotSee as refused:
            raise Refused(str(refused)) from refused
    before = followup.owner.name if followup.owner else "—"
    followup.owner_id = owner.id
    body = f"{before} → {owner.name}"
    if (note or "").strip():
        body += "\n" + note.strip()
    _note(followup, "reassign", body, author)
    db.session.flush()
    tell_owner(followup, author)
    return owner


def comment(followup: FollowUp, body: str, author: User) -> FollowUpComment:
    """A comment on the follow-up's record."""
    return _note(followup, "comment", body, author)


def comments_of(followup: FollowUp) -> list[FollowUpComment]:
    return list(db.session.scalars(
        sa.select(FollowUpComment).where(FollowUpComment.followup_id == followup.id)
        .options(sa.orm.joinedload(FollowUpComment.author))
        .order_by(FollowUpComment.at, FollowUpComment.id)))
