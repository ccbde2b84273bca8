"""The deadline rules: minutes per severity and the working week, as the admin set them
(the ``SlaPolicy`` rows and the business calendar)."""

from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from tracker import sla
from tracker.extensions import db
from tracker.generations import kept_while
from tracker.kept import Kept
from tracker.models import BusinessCalendar, Severity, SlaPolicy

# Used when the table is empty (a fresh test database); the migration seeds the same.
DEFAULTS: dict[str, tuple[int, int, bool]] = {
    Severity.CRITICAL.value: (30, 240, False),
    Severity.HIGH.value: (120, 540, True),
    Severity.MEDIUM.value: (240, 1620, True),
    Severity.LOW.value: (540, 2700, True),
}


def ensure_defaults() -> None:
    """Create the default policies and working week where missing (never overwrites)."""
    have = set(db.session.scalars(sa.select(SlaPolicy.severity)))
    for severity, (ack, resolve, business) in DEFAULTS.items():
        if severity not in have:
            db.session.add(SlaPolicy(severity=severity, ack_minutes=ack,
                                     resolve_minutes=resolve, business_hours=business))
    if db.session.scalar(sa.select(sa.func.count(BusinessCalendar.id))) == 0:
        db.session.add(BusinessCalendar())


def policy_for(severity: str) -> tuple[int, int, bool]:
    """(minutes to acknowledge, minutes to resolve, counted in business hours?)."""
    row = db.session.scalar(sa.select(SlaPolicy).where(SlaPolicy.severity == severity))
    if row is None:
        return DEFAULTS.get(severity, DEFAULTS[Severity.MEDIUM.value])
    return row.ack_minutes, row.resolve_minutes, row.business_hours


def all_policies() -> dict[str, tuple[int, int, bool]]:
    """Every severity's policy in one read (missing ones: the defaults)."""
    found = {row.severity: (row.ack_minutes, row.resolve_minutes, row.business_hours)
             for row in db.session.scalars(sa.select(SlaPolicy))}
    return {**DEFAULTS, **found}


def _dates(text: str) -> frozenset[date]:
    days = set()
    for part in text.replace(",", " ").split():
        try:
            days.add(date.fromisoformat(part))
        except ValueError:
            continue  # the admin form validates; a bad value here is skipped, not fatal
    return frozenset(days)


def calendar_row() -> BusinessCalendar:
    """The working week record, for reading: the stored one, else the defaults (not stored:
    a page that only reads never writes; migration 0011 stores the row)."""
    row = db.session.scalar(sa.select(BusinessCalendar).order_by(BusinessCalendar.id).limit(1))
    return row if row is not None else default_calendar()


def default_calendar() -> BusinessCalendar:
    """The working week a new installation starts with (Monday to Friday, 9 to 6)."""
    return BusinessCalendar(timezone="Asia/Shanghai", workdays="0,1,2,3,4", start_time="09:00",
                            end_time="18:00", holidays="", extra_workdays="", reopen_days=14)


def calendar_for_edit() -> BusinessCalendar:
    """The working week record an administrator edits (stored now if it was missing)."""
    row = db.session.scalar(sa.select(BusinessCalendar).order_by(BusinessCalendar.id).limit(1))
    if row is None:
        row = default_calendar()
        db.session.add(row)
        db.session.flush()
    return row


_CALENDAR: Kept[sla.Calendar] = Kept(2)


def current_calendar() -> sla.Calendar:
    """The working week as the deadline arithmetic wants it: kept while no complaint
    setting changes (saving the calendar moves the complaints counter), since every queue
    page with a business-hours row reads it and the arithmetic's tables are keyed by it."""
    return kept_while(_CALENDAR, "calendar", ("complaints",),
                      lambda: calendar_of(calendar_row()))


def first_calendar_id() -> sa.ScalarSelect:
    """The working week's id, as a subquery (to join the one row into another read)."""
    other = aliased(BusinessCalendar)
    return sa.select(sa.func.min(other.id)).scalar_subquery()


def calendar_of(row: BusinessCalendar) -> sla.Calendar:
    """A working week record as the deadline arithmetic wants it."""
    return sla.Calendar(
        timezone=row.timezone,
        workdays=frozenset(int(d) for d in row.workdays.split(",") if d.strip().isdigit()),
        start=time.fromisoformat(row.start_time), end=time.fromisoformat(row.end_time),
        holidays=_dates(row.holidays), extra_workdays=_dates(row.extra_workdays))


def reopen_days() -> int:
    """How many days after resolution a complaint may still be reopened."""
    return calendar_row().reopen_days


