"""Mainland China's public holidays and make-up working days (调休), from the maintained
``chinese-calendar`` package, for filling the complaint deadlines' working calendar.

The package ships the State Council's yearly notices as data (nothing is fetched); it
covers the years it was released with, so a year past its last one is said to be missing,
never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chinese_calendar import constants

from tracker.models import BusinessCalendar


def covered_years() -> range:
    """The years the installed package has notices for (2004–2026 for 1.11)."""
    years = {d.year for d in constants.holidays}
    return range(min(years), max(years) + 1)


def year_days(year: int) -> tuple[list[date], list[date]]:
    """The year's days off (holidays, their weekend days included) and its make-up working
    days, each sorted; ValueError for a year the package does not cover."""
    if year not in covered_years():
        raise ValueError(year)
    holidays = sorted(d for d in constants.holidays if d.year == year)
    workdays = sorted(d for d in constants.workdays if d.year == year)
    return holidays, workdays


def _dates(text: str) -> set[date]:
    days = set()
    for part in (text or "").replace(",", " ").split():
        try:
            days.add(date.fromisoformat(part))
        except ValueError:
            continue  # the admin form refuses bad dates; an old stray one is dropped
    return days


def _text(days: set[date]) -> str:
    return "\n".join(d.isoformat() for d in sorted(days))


@dataclass(frozen=True)
class Filled:
    """What filling a year changed: dates added to each list."""

    year: int
    holidays: int
    workdays: int


def fill_year(row: BusinessCalendar, year: int) -> Filled:
    """Add the year's public holidays and make-up working days to the working calendar.

    Dates already listed stay (a company's own days off are kept); where the official
    notice says otherwise about a date (a listed holiday that is a make-up working day, or
    the reverse), the notice wins, since a date cannot be both. No flush, no commit.
    """
    official_off, official_on = (set(days) for days in year_days(year))
    holidays, extra = _dates(row.holidays), _dates(row.extra_workdays)
    added_off, added_on = official_off - holidays, official_on - extra
    row.holidays = _text((holidays - official_on) | official_off)
    row.extra_workdays = _text((extra - official_off) | official_on)
    return Filled(year, len(added_off), len(added_on))
