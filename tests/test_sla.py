"""SLA clocks: property tests against a minute-by-minute reference, and worked examples."""

from __future__ import annotations

import math
import random
import time as timer
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import sla
from tracker.sla import (
    Calendar,
    add_working_minutes,
    deadline,
    remaining_minutes,
    remaining_until,
    working_minutes_between,
)

MINUTE = timedelta(minutes=1)
SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
ZONES = ("Asia/Shanghai", "UTC", "America/New_York", "Europe/London", "Asia/Kolkata")
# Local dates of the DST switches in 2025-2027 (all Sundays), by zone.
DST_SWITCHES = {
    "America/New_York": (date(2025, 3, 9), date(2025, 11, 2), date(2026, 3, 8),
                         date(2026, 11, 1), date(2027, 3, 14), date(2027, 11, 7)),
    "Europe/London": (date(2025, 3, 30), date(2025, 10, 26), date(2026, 3, 29),
                      date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31)),
}
# The reference walks at most this many minutes (two weeks) per question.
SCAN_LIMIT = 14 * 24 * 60
PROPERTY = settings(deadline=None, database=None, max_examples=200)

Pause = tuple[datetime, datetime | None]


# --- the reference: one minute at a time --------------------------------------------------


def ref_is_counted(minute: datetime, calendar: Calendar | None, pauses: Sequence[Pause]) -> bool:
    """Whether the minute starting at ``minute`` (UTC) is counted: working and not paused."""
    for pause_start, pause_end in pauses:
        if pause_start <= minute and (pause_end is None or minute < pause_end):
            return False
    if calendar is None:
        return True
    local = minute.astimezone(ZoneInfo(calendar.timezone))
    day = local.date()
    if day in calendar.extra_workdays:
        working_day = True
    else:
        working_day = day.weekday() in calendar.workdays and day not in calendar.holidays
    return working_day and calendar.start <= local.time() < calendar.end


def ref_between(
    start: datetime, end: datetime, calendar: Calendar | None, pauses: Sequence[Pause] = ()
) -> int:
    """Counted minutes in [start, end), one minute at a time."""
    total, minute = 0, start
    while minute < end:
        total += ref_is_counted(minute, calendar, pauses)
        minute += MINUTE
    return total


class Beyond:
    """The reference gave up: the budget is not used up within SCAN_LIMIT minutes."""


BEYOND = Beyond()


def ref_spend(
    start: datetime, minutes: int, calendar: Calendar | None, pauses: Sequence[Pause] = ()
) -> datetime | Beyond | None:
    """Earliest t with ``minutes`` counted minutes in [start, t); None if an open pause stops it."""
    if minutes == 0:
        return start
    open_starts = [pause_start for pause_start, pause_end in pauses if pause_end is None]
    stop = min(open_starts, default=None)
    used, minute = 0, start
    while minute < start + SCAN_LIMIT * MINUTE:
        if stop is not None and minute >= stop:
            return None  # everything from here on is paused
        if ref_is_counted(minute, calendar, pauses):
            used += 1
            if used == minutes:
                return minute + MINUTE
        minute += MINUTE
    return BEYOND


def assert_matches_reference(result: datetime | None, expected: datetime | Beyond | None,
                             start: datetime) -> None:
    """The implementation's answer agrees with the (possibly inconclusive) reference."""
    if isinstance(expected, Beyond):
        assert result is None or result > start + SCAN_LIMIT * MINUTE
    else:
        assert result == expected


# --- strategies ---------------------------------------------------------------------------


@st.composite
def half_hours(draw: st.DrawFn, low: int = 0, high: int = 47) -> tuple[time, time]:
    """Opening and closing times on half hours, low <= opening slot < closing slot <= high."""
    start_slot = draw(st.integers(low, high - 1))
    end_slot = draw(st.integers(start_slot + 1, high))
    return time(start_slot // 2, 30 * (start_slot % 2)), time(end_slot // 2, 30 * (end_slot % 2))


@st.composite
def calendars(draw: st.DrawFn, near: datetime) -> Calendar | None:
    """None (around the clock) a quarter of the time, else a random business calendar."""
    if draw(st.integers(0, 3)) == 0:
        return None
    opens, closes = draw(half_hours())
    nearby = st.integers(-3, 25).map(lambda days: near.date() + timedelta(days=days))
    holidays = draw(st.frozensets(nearby, max_size=5))
    return Calendar(
        timezone=draw(st.sampled_from(ZONES)),
        workdays=draw(st.frozensets(st.integers(0, 6), min_size=1)),
        start=opens,
        end=closes,
        holidays=holidays,
        extra_workdays=draw(st.frozensets(nearby, max_size=3)) - holidays,
    )


@st.composite
def dst_calendars(draw: st.DrawFn, zone: str) -> Calendar:
    """A calendar whose hours often straddle the small hours, where the clocks change."""
    opens, closes = draw(st.one_of(half_hours(0, 8), half_hours()))
    return Calendar(
        timezone=zone,
        workdays=draw(st.frozensets(st.integers(0, 6), min_size=1)) | {6},  # switches: Sundays
        start=opens,
        end=closes,
    )


@st.composite
def pause_lists(draw: st.DrawFn, near: datetime) -> list[Pause]:
    """0-3 pauses around ``near``, possibly overlapping, some open-ended."""
    pauses: list[Pause] = []
    for _ in range(draw(st.integers(0, 3))):
        pause_start = near + draw(st.integers(-600, 8000)) * MINUTE
        if draw(st.integers(0, 3)) == 0:
            pauses.append((pause_start, None))
        else:
            pauses.append((pause_start, pause_start + draw(st.integers(1, 3000)) * MINUTE))
    return pauses


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[datetime, Calendar | None, list[Pause]]:
    """A whole-minute start in 2025-2027 with a calendar and pauses near it.

    A third of the scenarios start within three days of a DST switch in New York or London,
    with a calendar in that zone.
    """
    calendar: Calendar | None
    if draw(st.integers(0, 2)) == 0:
        zone = draw(st.sampled_from(sorted(DST_SWITCHES)))
        switch = datetime.combine(draw(st.sampled_from(DST_SWITCHES[zone])), time(), UTC)
        start = switch + draw(st.integers(-3 * 1440, 2 * 1440)) * MINUTE
        calendar = draw(dst_calendars(zone))
    else:
        start = datetime(2025, 1, 1, tzinfo=UTC) + draw(st.integers(0, 3 * 365 * 1440)) * MINUTE
        calendar = draw(calendars(start))
    return start, calendar, draw(pause_lists(start))


budgets = st.integers(0, 5000)
spans = st.integers(-60, 6 * 1440)


# --- property tests -----------------------------------------------------------------------


@PROPERTY
@given(scenario=scenarios(), span=spans)
def test_working_minutes_between_matches_reference(
    scenario: tuple[datetime, Calendar | None, list[Pause]], span: int
) -> None:
    start, calendar, _ = scenario
    end = start + span * MINUTE
    assert working_minutes_between(start, end, calendar) == ref_between(start, end, calendar)


@PROPERTY
@given(scenario=scenarios(), minutes=budgets)
def test_add_working_minutes_matches_reference(
    scenario: tuple[datetime, Calendar | None, list[Pause]], minutes: int
) -> None:
    start, calendar, _ = scenario
    result = add_working_minutes(start, minutes, calendar)
    assert_matches_reference(result, ref_spend(start, minutes, calendar), start)
    assert deadline(start, minutes, calendar) == result


@PROPERTY
@given(scenario=scenarios(), minutes=budgets)
def test_deadline_matches_reference(
    scenario: tuple[datetime, Calendar | None, list[Pause]], minutes: int
) -> None:
    start, calendar, pauses = scenario
    result = deadline(start, minutes, calendar, pauses)
    assert_matches_reference(result, ref_spend(start, minutes, calendar, pauses), start)
    if result is not None:
        assert remaining_minutes(start, minutes, calendar, pauses, result) == 0


@PROPERTY
@given(scenario=scenarios(), minutes=budgets, span=spans)
def test_remaining_minutes_matches_reference(
    scenario: tuple[datetime, Calendar | None, list[Pause]], minutes: int, span: int
) -> None:
    start, calendar, pauses = scenario
    now = start + span * MINUTE
    expected = minutes - ref_between(start, now, calendar, pauses)
    assert remaining_minutes(start, minutes, calendar, pauses, now) == expected


@PROPERTY
@given(scenario=scenarios(), minutes=budgets, span=spans)
def test_remaining_until_the_deadline_matches_reference(
    scenario: tuple[datetime, Calendar | None, list[Pause]], minutes: int, span: int
) -> None:
    """Read back from the deadline (as the queue does), the time left is the same."""
    start, calendar, pauses = scenario
    due = deadline(start, minutes, calendar, pauses)
    if due is None:
        return  # paused for good before the budget was spent: nothing to read back from
    now = start + span * MINUTE
    expected = minutes - ref_between(start, now, calendar, pauses)
    assert remaining_until(start, due, calendar, pauses, now) == expected


# --- the closed form against the day walk -------------------------------------------------

WALK_ZONES = ("Europe/London", "America/New_York", "Australia/Sydney", "Asia/Shanghai", "UTC",
              "Asia/Kolkata", "Australia/Lord_Howe")
WALK_FROM, WALK_DAYS = datetime(2024, 1, 1, tzinfo=UTC), 3 * 366
THREE_YEARS = 3 * 365 * 1440  # minutes
DAY = timedelta(days=1)


def offset_changes(zone: str) -> list[datetime]:
    """The zone's offset changes in 2024-2026, found six hours then a minute at a time."""
    tz, changes = ZoneInfo(zone), []
    moment, offset = WALK_FROM, WALK_FROM.astimezone(tz).utcoffset()
    while moment.year < 2027:
        later = moment + timedelta(hours=6)
        if later.astimezone(tz).utcoffset() != offset:
            while moment.astimezone(tz).utcoffset() == offset:
                moment += MINUTE
            changes.append(moment)
            offset = moment.astimezone(tz).utcoffset()
        moment = later
    return changes


def random_instant(rng: random.Random, changes: list[datetime]) -> datetime:
    """A UTC instant in 2024-2026, a third of the time within a day of an offset change."""
    if changes and rng.random() < 0.35:
        return rng.choice(changes) + rng.randint(-1500, 1500) * MINUTE
    moment = WALK_FROM + rng.randint(0, WALK_DAYS * 1440) * MINUTE
    return moment + timedelta(seconds=rng.randint(0, 59)) if rng.random() < 0.1 else moment


def random_span(rng: random.Random) -> int:
    """Minutes from 0 to 3 years, signed: often short, sometimes very long."""
    roll = rng.random()
    if roll < 0.1:
        minutes = 0
    elif roll < 0.5:
        minutes = rng.randint(1, 10 * 1440)
    elif roll < 0.93:
        minutes = int(math.exp(rng.uniform(0, math.log(THREE_YEARS))))
    else:
        minutes = rng.randint(0, THREE_YEARS)
    return minutes if rng.random() < 0.5 else -minutes


def random_calendar(rng: random.Random, zone: str, low: datetime, high: datetime) -> Calendar:
    """Random weekdays (sometimes none), hours (often in the small hours, where clocks change),
    and holidays and make-up days around both ends of [low, high)."""
    workdays = frozenset() if rng.random() < 0.1 else frozenset(
        day for day in range(7) if rng.random() < 0.6)
    if rng.random() < 0.4:
        opens = rng.randint(0, 239)
        closes = rng.randint(opens + 1, min(opens + 300, 1439))
    else:
        opens, closes = sorted(rng.sample(range(1440), 2))

    def nearby() -> date:
        return (rng.choice((low, high)) + rng.randint(-4, 4) * DAY).date()

    holidays = frozenset(nearby() for _ in range(rng.randint(0, 6)))
    extra = frozenset(nearby() for _ in range(rng.randint(0, 4))) - holidays
    return Calendar(timezone=zone, workdays=workdays, start=time(opens // 60, opens % 60),
                    end=time(closes // 60, closes % 60), holidays=holidays,
                    extra_workdays=extra)


def random_pauses(rng: random.Random, low: datetime, high: datetime) -> list[Pause]:
    """0-4 pauses in or around [low, high), possibly overlapping, some open."""
    pauses: list[Pause] = []
    minutes = (high - low) // MINUTE
    for _ in range(rng.choice((0, 0, 1, 2, 3, 4))):
        begin = low + rng.randint(-3000, minutes + 1500) * MINUTE
        if rng.random() < 0.2:
            pauses.append((begin, None))
        else:
            length = int(math.exp(rng.uniform(0, math.log(max(minutes, 2) + 3000))))
            pauses.append((begin, begin + length * MINUTE))
    return pauses


def walk_cases(count: int) -> list[tuple[str, Callable[[], int]]]:
    """Random clock questions: (description, the call) for the three measuring functions."""
    rng = random.Random(20250601)
    changes = {zone: offset_changes(zone) for zone in WALK_ZONES}
    cases: list[tuple[str, Callable[[], int]]] = []
    for _ in range(count):
        zone = rng.choice(WALK_ZONES)
        first = random_instant(rng, changes[zone])
        second = first + random_span(rng) * MINUTE
        low, high = min(first, second), max(first, second)
        calendar = None if rng.random() < 0.15 else random_calendar(rng, zone, low, high)
        pauses = random_pauses(rng, low, high)
        start = low - rng.randint(0, 2000) * MINUTE if rng.random() < 0.8 else high + MINUTE
        minutes = rng.randint(0, 100_000)
        text = f"{first=} {second=} {calendar=} {pauses=} {start=} {minutes=}"

        def between(first=first, second=second, calendar=calendar) -> int:
            return working_minutes_between(first, second, calendar)

        def left(start=start, minutes=minutes, calendar=calendar, pauses=pauses,
                 now=second) -> int:
            return remaining_minutes(start, minutes, calendar, pauses, now)

        def until(start=start, due=first, calendar=calendar, pauses=pauses,
                  now=second) -> int:
            return remaining_until(start, due, calendar, pauses, now)

        cases += [(f"between {text}", between), (f"remaining {text}", left),
                  (f"until {text}", until)]
    return cases


def test_closed_form_equals_the_day_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """remaining_until, remaining_minutes and working_minutes_between measure in closed form;
    on random calendars, zones (DST and half-hour ones), pauses and spans up to three years in
    both directions, they answer exactly what the day-by-day walk answers."""
    cases = walk_cases(2500)
    fast = [call() for _, call in cases]
    monkeypatch.setattr(sla, "_counted_minutes", sla._measure_walk)
    for (text, call), answer in zip(cases, fast, strict=True):
        assert answer == call(), text


# --- worked examples ----------------------------------------------------------------------


def shanghai(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A Shanghai wall-clock time as a UTC instant (Shanghai is UTC+8 all year)."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


OFFICE = Calendar()  # Asia/Shanghai, Monday-Friday 09:00-18:00
# China's 2025 National Day holiday: 1-8 October off; Sunday 28 Sept and Saturday 11 Oct worked.
NATIONAL_DAY = Calendar(
    holidays=frozenset(date(2025, 10, day) for day in range(1, 9)),
    extra_workdays=frozenset({date(2025, 9, 28), date(2025, 10, 11)}),
)


def test_friday_evening_complaint_is_due_monday_morning() -> None:
    # Friday 17:30-18:00 uses 30 minutes, Monday 09:00-09:30 the other 30.
    start = shanghai(2025, 6, 13, 17, 30)
    assert add_working_minutes(start, 60, OFFICE) == shanghai(2025, 6, 16, 9, 30)
    assert working_minutes_between(start, shanghai(2025, 6, 16, 9, 30), OFFICE) == 60


def test_national_day_week_pushes_the_deadline_past_it() -> None:
    # Tuesday 30 Sept 17:00-18:00 is one hour; the next working hour is Thursday 9 October.
    start = shanghai(2025, 9, 30, 17)
    assert add_working_minutes(start, 120, OFFICE) == shanghai(2025, 10, 1, 10)
    assert add_working_minutes(start, 120, NATIONAL_DAY) == shanghai(2025, 10, 9, 10)


def test_make_up_saturday_counts() -> None:
    # Friday 10 October 17:00-18:00, then Saturday 11 October (a make-up day) 09:00-10:00.
    start = shanghai(2025, 10, 10, 17)
    assert add_working_minutes(start, 120, OFFICE) == shanghai(2025, 10, 13, 10)
    assert add_working_minutes(start, 120, NATIONAL_DAY) == shanghai(2025, 10, 11, 10)
    saturday = (shanghai(2025, 10, 11, 0), shanghai(2025, 10, 12, 0))
    assert working_minutes_between(*saturday, NATIONAL_DAY) == 9 * 60


def test_around_the_clock_runs_through_the_night() -> None:
    start = shanghai(2025, 6, 13, 22)
    assert add_working_minutes(start, 4 * 60, None) == shanghai(2025, 6, 14, 2)
    assert deadline(start, 4 * 60, None) == shanghai(2025, 6, 14, 2)
    assert working_minutes_between(start, shanghai(2025, 6, 14, 2), None) == 240


def test_a_two_hour_pause_moves_the_deadline_two_hours() -> None:
    start = shanghai(2025, 6, 16, 9)  # Monday
    assert deadline(start, 240, OFFICE) == shanghai(2025, 6, 16, 13)
    pause = (shanghai(2025, 6, 16, 10), shanghai(2025, 6, 16, 12))
    assert deadline(start, 240, OFFICE, [pause]) == shanghai(2025, 6, 16, 15)
    # The same pause given twice, or overlapping pieces of it, still counts once.
    halves = [(pause[0], shanghai(2025, 6, 16, 11, 30)), (shanghai(2025, 6, 16, 11), pause[1])]
    assert deadline(start, 240, OFFICE, [pause, pause]) == shanghai(2025, 6, 16, 15)
    assert deadline(start, 240, OFFICE, halves) == shanghai(2025, 6, 16, 15)


def test_a_pause_outside_working_hours_changes_nothing_there() -> None:
    # Paused from Friday 17:00 to Monday 10:00: only Friday 17-18 and Monday 9-10 are lost.
    start = shanghai(2025, 6, 13, 9)
    pause = (shanghai(2025, 6, 13, 17), shanghai(2025, 6, 16, 10))
    assert deadline(start, 9 * 60, OFFICE) == shanghai(2025, 6, 13, 18)
    assert deadline(start, 9 * 60, OFFICE, [pause]) == shanghai(2025, 6, 16, 11)


def test_an_open_pause_stops_the_clock() -> None:
    start = shanghai(2025, 6, 16, 9)
    waiting = [(shanghai(2025, 6, 16, 10), None)]
    assert deadline(start, 240, OFFICE, waiting) is None
    for now in (shanghai(2025, 6, 16, 10), shanghai(2025, 6, 16, 17), shanghai(2025, 7, 1, 12)):
        assert remaining_minutes(start, 240, OFFICE, waiting, now) == 180
    # A budget used up before the client was asked still has its deadline.
    assert deadline(start, 60, OFFICE, waiting) == shanghai(2025, 6, 16, 10)
    assert deadline(start, 30, OFFICE, waiting) == shanghai(2025, 6, 16, 9, 30)


def test_overdue_gives_negative_remaining() -> None:
    start = shanghai(2025, 6, 16, 9)
    assert remaining_minutes(start, 60, OFFICE, [], shanghai(2025, 6, 16, 9, 45)) == 15
    assert remaining_minutes(start, 60, OFFICE, [], shanghai(2025, 6, 16, 11)) == -60
    assert remaining_minutes(start, 60, None, [], shanghai(2025, 6, 17, 9)) == 60 - 24 * 60
    assert remaining_minutes(start, 60, OFFICE, [], shanghai(2025, 6, 15, 9)) == 60  # not begun


def test_new_york_deadline_across_the_march_2026_switch() -> None:
    # Friday 6 March 17:00 EST (22:00 UTC) + 2 business hours: 17:00-18:00 Friday, then
    # Monday 9 March 09:00-10:00 EDT, which is 14:00 UTC (it would be 15:00 UTC in winter).
    office = Calendar(timezone="America/New_York")
    start = datetime(2026, 3, 6, 22, tzinfo=UTC)
    due = add_working_minutes(start, 120, office)
    assert due == datetime(2026, 3, 9, 14, tzinfo=UTC)
    assert due == datetime(2026, 3, 9, 10, tzinfo=NEW_YORK)


def test_switch_days_have_an_hour_less_and_an_hour_more() -> None:
    every_day = Calendar(timezone="America/New_York", workdays=frozenset(range(7)),
                         start=time(0, 0), end=time(23, 30))
    spring = (datetime(2026, 3, 8, tzinfo=NEW_YORK), datetime(2026, 3, 9, tzinfo=NEW_YORK))
    autumn = (datetime(2026, 11, 1, tzinfo=NEW_YORK), datetime(2026, 11, 2, tzinfo=NEW_YORK))
    assert working_minutes_between(*spring, every_day) == 22 * 60 + 30
    assert working_minutes_between(*autumn, every_day) == 24 * 60 + 30
    # A 01:00-03:00 wall-clock shift: 02:00-03:00 does not exist in spring, and 01:00-02:00
    # happens twice in autumn.
    night = Calendar(timezone="America/New_York", workdays=frozenset(range(7)),
                     start=time(1, 0), end=time(3, 0))
    assert working_minutes_between(*spring, night) == 60
    assert working_minutes_between(*autumn, night) == 180
    assert add_working_minutes(autumn[0], 90, night) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def test_inputs_are_floored_to_the_minute() -> None:
    start = shanghai(2025, 6, 16, 9) + timedelta(seconds=59, microseconds=1)
    assert add_working_minutes(start, 0, OFFICE) == shanghai(2025, 6, 16, 9)
    assert add_working_minutes(start, 1, OFFICE) == shanghai(2025, 6, 16, 9, 1)
    assert working_minutes_between(start, start + timedelta(seconds=30), OFFICE) == 1


def test_zero_budget_is_due_at_once_even_outside_working_hours() -> None:
    sunday = shanghai(2025, 6, 15, 3)
    assert add_working_minutes(sunday, 0, OFFICE) == sunday
    assert deadline(sunday, 0, OFFICE) == sunday
    assert add_working_minutes(sunday, 1, OFFICE) == shanghai(2025, 6, 16, 9, 1)


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2025, 6, 16, 9)
    aware = shanghai(2025, 6, 16, 9)
    with pytest.raises(ValueError, match="timezone-aware"):
        working_minutes_between(naive, aware, OFFICE)
    with pytest.raises(ValueError, match="timezone-aware"):
        working_minutes_between(aware, naive, None)
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_minutes(naive, 10, OFFICE)
    with pytest.raises(ValueError, match="timezone-aware"):
        deadline(naive, 10, None)
    with pytest.raises(ValueError, match="timezone-aware"):
        deadline(aware, 10, OFFICE, [(naive, None)])
    with pytest.raises(ValueError, match="timezone-aware"):
        remaining_minutes(aware, 10, OFFICE, [], naive)


def test_bad_arguments_are_rejected() -> None:
    aware = shanghai(2025, 6, 16, 9)
    with pytest.raises(ValueError, match="negative"):
        add_working_minutes(aware, -1, OFFICE)
    with pytest.raises(ValueError, match="ends before it starts"):
        deadline(aware, 10, OFFICE, [(aware, aware - MINUTE)])
    with pytest.raises(ValueError, match="no working time"):
        add_working_minutes(aware, 10, Calendar(workdays=frozenset()))
    with pytest.raises(ValueError, match="time zone"):
        Calendar(timezone="Mars/Olympus_Mons")
    with pytest.raises(ValueError, match="earlier"):
        Calendar(start=time(18), end=time(9))
    with pytest.raises(ValueError, match="both"):
        Calendar(holidays=frozenset({date(2025, 1, 1)}),
                 extra_workdays=frozenset({date(2025, 1, 1)}))


def test_only_make_up_days_when_no_weekly_workdays() -> None:
    make_up_only = Calendar(workdays=frozenset(), extra_workdays=frozenset({date(2025, 10, 11)}))
    start = shanghai(2025, 10, 1, 0)
    assert add_working_minutes(start, 60, make_up_only) == shanghai(2025, 10, 11, 10)
    with pytest.raises(ValueError, match="no working time"):
        add_working_minutes(start, 10 * 60, make_up_only)


def test_a_100000_minute_business_deadline_is_fast() -> None:
    start = shanghai(2025, 1, 6, 9)  # a Monday
    pauses = [(shanghai(2025, 2, 1, 0), shanghai(2025, 2, 8, 0))]  # a week: 5 working days
    timings = []
    for _ in range(3):
        began = timer.perf_counter()
        due = deadline(start, 100_000, NATIONAL_DAY, pauses)
        timings.append(timer.perf_counter() - began)
    assert min(timings) < 0.05
    assert due is not None
    assert working_minutes_between(start, due, NATIONAL_DAY) == 100_000 + 5 * 9 * 60
