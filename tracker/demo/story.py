"""The demo's clock and its steps: who does what, when, through the services.

The data files give times relative to the moment of loading, so the demo is always
current. Each write is a *step*: one signed-in user (the audit trail's "who"), in that
user's language, calling the same services the forms call. The services stamp the real
clock; the story happened earlier, so ``Story.step`` moves what the step stamped back to
the step's time (the one place the demo writes anything but through a service).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from tracker.audit import set_actor
from tracker.extensions import db
from tracker.i18n import language_of
from tracker.models import AuditEvent, Organization, Team, User, utcnow

# "-12d 10:15": 12 days before today at 10:15 on the demo's clock; "+4d 17:00": 4 days
# after a given day; "-3h20m" / "+45m": exactly that long before now / after a given time.
SPEC = re.compile(r"^([+-])(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?: (\d\d):(\d\d))?$")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
CN_QUARTERS = "一二三四"
PLACEHOLDER = re.compile(r"\{(q|qn|month|month_en|md|m|d|mon|year)\}")


class Clock:
    """Turns the data files' relative times into aware UTC times, never in the future."""

    def __init__(self, now: datetime, zone: str) -> None:
        self.now = now
        self.zone = ZoneInfo(zone)
        self.today = now.astimezone(self.zone).date()

    def day(self, offset: int | None, base: date | None = None) -> date | None:
        """``offset`` days after ``base`` (today by default); None stays None."""
        return None if offset is None else (base or self.today) + timedelta(days=offset)

    def local(self, day: date, clock: str) -> datetime:
        """``clock`` ("HH:MM") on ``day`` on the demo's clock, in UTC."""
        return datetime.combine(day, time.fromisoformat(clock), self.zone).astimezone(UTC)

    def exact(self, spec: str, base: datetime | date | None = None) -> datetime:
        """The time ``spec`` names (see SPEC), from ``base`` or from now and today."""
        found = SPEC.match(spec)
        if found is None:
            raise ValueError(f"not a demo time: {spec!r}")
        sign, days, hours, minutes, hh, mm = found.groups()
        factor = -1 if sign == "-" else 1
        if hh is not None:
            start = base.astimezone(self.zone).date() if isinstance(base, datetime) else base
            return self.local((start or self.today) + timedelta(days=factor * int(days or 0)),
                              f"{hh}:{mm}")
        delta = timedelta(days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0))
        start = base if isinstance(base, datetime) else self.now
        return start + factor * delta

    def at(self, spec: str, base: datetime | date | None = None,
           after: datetime | None = None) -> datetime:
        """A past time: ``spec`` kept between ``after`` (a record's previous step, so its
        steps stay in order whatever the time of day) and now."""
        when = min(self.exact(spec, base), self.now)
        return max(when, after) if after is not None else when

    def fill(self, text: str, when: datetime, lang: str) -> str:
        """The data's date words filled in for ``when``: {md} its day, {month} / {month_en}
        / {q} / {qn} the month and quarter before it, {m} {d} {mon} its own, {year}."""
        local = when.astimezone(self.zone)
        last_month = (local.month - 2) % 12 + 1
        quarter = (local.month - 1) // 3 or 4
        values = {
            "md": (f"{local.month}月{local.day}日" if lang == "zh"
                   else f"{local.day} {EN_MONTHS[local.month - 1]}"),
            "month": str(last_month), "month_en": EN_MONTHS[last_month - 1],
            "q": CN_QUARTERS[quarter - 1], "qn": str(quarter), "m": str(local.month),
            "d": str(local.day), "mon": EN_MONTHS[local.month - 1][:3], "year": str(local.year),
        }
        return PLACEHOLDER.sub(lambda found: values[found.group(1)], text)


class Story:
    """Runs the demo's steps, each as one user at one time, through the services."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.users: dict[str, User] = {}  # by email
        self.teams: dict[str, Team] = {}  # by the data's key
        self.orgs: dict[str, Organization] = {}  # by name
        self._touched: dict[int, Any] = {}
        self._session: Session = db.session()
        event.listen(self._session, "after_flush", self._collect)

    def close(self) -> None:
        """Stop watching the session; later writes are nobody's demo steps."""
        event.remove(self._session, "after_flush", self._collect)
        set_actor(db.session, None)

    def user(self, email: str | None) -> User | None:
        return self.users[email] if email else None

    def uid(self, email: str | None) -> int | None:
        user = self.user(email)
        return user.id if user else None

    def _collect(self, session: Session, _context: object) -> None:
        for obj in (*session.new, *session.dirty):
            self._touched[id(obj)] = obj

    @contextmanager
    def step(self, actor: User | None, when: datetime) -> Iterator[None]:
        """One write by ``actor`` (None: the system) at ``when``, in ``actor``'s language."""
        set_actor(db.session, actor.id if actor else None)
        self._touched.clear()
        started = utcnow()
        with force_locale(language_of(actor)):
            yield
        db.session.flush()
        self._backdate(started, utcnow(), when)

    def _backdate(self, started: datetime, ended: datetime, when: datetime) -> None:
        """THE PLACE THE DEMO BYPASSES THE SERVICES: no service takes a time in the past,
        so every time this step's services stamped from the real clock (created_at,
        updated_at, a timeline entry's at, completed_at, decided_at, a version's
        proposed_at, the audit trail's at …: any value between the step's start and end)
        becomes the step's story time. A plain UPDATE: no new version, no history entry.
        """
        for obj in self._touched.values():
            state = sa.inspect(obj)
            if state.key is None or state.deleted or state.detached:
                continue
            mapper = state.mapper
            moved = [attr for attr in mapper.column_attrs
                     if _stamped(state.dict.get(attr.key), started, ended)]
            if not moved:
                continue
            table = mapper.local_table
            where = [column == key for column, key
                     in zip(mapper.primary_key, state.key[1], strict=True)]
            db.session.execute(sa.update(table).where(*where).values(
                {attr.columns[0].name: when for attr in moved}))
            for attr in moved:
                set_committed_value(obj, attr.key, when)
        # The trail names the same stamps as values ("at: …" of a comment): they move too,
        # or a history page would show the load's time beside the story's.
        for audit in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.at >= started)):
            changes = {field: [_story_time(v, started, ended, when) for v in pair]
                       for field, pair in audit.changes.items()}
            if changes != audit.changes:
                db.session.execute(sa.update(AuditEvent).where(AuditEvent.id == audit.id)
                                   .values(changes=changes))
        db.session.execute(sa.update(AuditEvent).where(AuditEvent.at >= started)
                           .values(at=when))


def _story_time(value: object, started: datetime, ended: datetime, when: datetime) -> object:
    """An audited value that is a stamp of the step (ISO text), as the story's time."""
    if not isinstance(value, str) or len(value) < 19 or value[4:5] != "-":
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None or not started <= moment <= ended:
        return value
    return when.isoformat()


def _stamped(value: object, started: datetime, ended: datetime) -> bool:
    """Was ``value`` taken from the real clock during the step?"""
    return isinstance(value, datetime) and started <= value <= ended
