"""Service-level clocks: deadlines counted around the clock or in business hours, with pauses."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Conventions used throughout:
# * Every public function accepts timezone-aware datetimes only (ValueError for naive ones),
#   converts them to UTC and floors them to the whole minute (seconds and microseconds dropped).
#   Every datetime returned is in UTC and falls on a whole minute.
# * "Counted time" is a union of half-open UTC intervals [a, b). A business calendar counts an
#   instant when its local wall-clock time, in the calendar's zone, lies in [start, end) on a
#   working local date. Around a DST switch this is exactly the wall-clock rule: an hour skipped
#   in spring is not worked, an hour repeated in autumn is worked twice if it is in [start, end).
# * Minutes are whole minutes; every interval boundary falls on a whole minute for all zones
#   whose UTC offsets are whole minutes (every zone since the 1970s).
# * A zone changes its UTC offset at most once in any 24 hours (true of every zone in the tz
#   database in modern times): offset changes are found by sampling a day apart and bisecting.
#
# Two ways to read the calendar: ``_working_intervals`` walks it a day at a time and yields
# the counted intervals (what spending a budget needs: ``_spend``); ``_counted_minutes``
# measures counted time between two instants in closed form, per stretch of constant UTC
# offset, without walking the days in between (what reading a clock needs). ``_measure_walk``
# measures by the walk and is kept as the reference the closed form is tested against.

MINUTE = timedelta(minutes=1)
_DAY = timedelta(days=1)
_AROUND_THE_CLOCK_CHUNK = timedelta(days=3650)

Interval = tuple[datetime, datetime]
Pause = tuple[datetime, datetime | None]


@dataclass(frozen=True)
class Calendar:
    """Working time: working weekdays and hours in a zone, minus holidays, plus make-up days.

    A date is worked when it is in ``extra_workdays``, or when its weekday is in ``workdays``
    and it is not in ``holidays``; a date may not be both a holiday and an extra workday.
    ``start`` and ``end`` are whole-minute local times with ``start < end`` (no overnight
    shifts; the latest possible closing time is 23:59).
    """

    timezone: str = "Asia/Shanghai"
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    start: time = time(9, 0)
    end: time = time(18, 0)
    holidays: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        """Validate the fields and freeze set-valued ones given as plain sets."""
        for name in ("workdays", "holidays", "extra_workdays"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.timezone!r}") from exc
        if not self.workdays <= set(range(7)):
            raise ValueError("workdays must be weekday numbers 0 (Monday) to 6 (Sunday)")
        for moment in (self.start, self.end):
            if moment.tzinfo is not None or moment.second or moment.microsecond:
                raise ValueError("start and end must be naive local times on whole minutes")
        if not self.start < self.end:
            raise ValueError("start must be earlier than end on the same day")
        if self.holidays & self.extra_workdays:
            raise ValueError("a date cannot be both a holiday and an extra workday")

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone."""
        return ZoneInfo(self.timezone)

    def is_working_day(self, day: date) -> bool:
        """Whether the local date ``day`` has working hours."""
        if day in self.extra_workdays:
            return True
        return day.weekday() in self.workdays and day not in self.holidays

    def _last_working_day(self) -> date | None:
        """The last working date if there is one (no weekly workdays), else None (unbounded)."""
        if self.workdays:
            return None
        return max(self.extra_workdays, default=date.min)


def _utc_minute(moment: datetime, name: str = "datetime") -> datetime:
    """Convert an aware datetime to UTC, floored to the minute; ValueError if it is naive."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {moment!r}")
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def _check_budget(minutes: int) -> None:
    if minutes < 0:
        raise ValueError(f"minutes must not be negative, got {minutes}")


def _offset(moment: datetime, zone: ZoneInfo) -> timedelta:
    """The zone's UTC offset at a UTC instant."""
    offset = moment.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


def _segment_end(start: datetime, zone: ZoneInfo, offset: timedelta) -> tuple[datetime, timedelta]:
    """End of the constant-offset stretch from ``start`` (at most a day) and the offset there.

    Finds an offset change within the day by bisection to the minute. Assumes at most one
    change per day, which holds for every zone in the tz database in modern times.
    """
    high = start + _DAY
    high_offset = _offset(high, zone)
    if high_offset == offset:
        return high, high_offset
    low = start
    while high - low > MINUTE:
        middle = low + MINUTE * ((high - low) // MINUTE // 2)
        middle_offset = _offset(middle, zone)
        if middle_offset == offset:
            low = middle
        else:
            high, high_offset = middle, middle_offset
    return high, high_offset


def _segment_intervals(
    low: datetime, high: datetime, offset: timedelta, calendar: Calendar
) -> Iterator[Interval]:
    """Working intervals within [low, high), a UTC stretch in which the zone's offset is fixed."""
    wall_low = low.replace(tzinfo=None) + offset
    wall_high = high.replace(tzinfo=None) + offset
    day = wall_low.date()
    while datetime.combine(day, time()) < wall_high:
        if calendar.is_working_day(day):
            opens = max(datetime.combine(day, calendar.start), wall_low)
            closes = min(datetime.combine(day, calendar.end), wall_high)
            if opens < closes:
                yield (opens - offset).replace(tzinfo=UTC), (closes - offset).replace(tzinfo=UTC)
        day += _DAY


def _working_intervals(
    start: datetime, calendar: Calendar | None, until: datetime | None = None
) -> Iterator[Interval]:
    """Counted UTC intervals from ``start`` on, in order, walking a day at a time.

    Stops once ``until`` is reached (when given) or when the calendar has no working time left.
    Intervals may be adjacent (a working stretch can be split at a day boundary).
    """
    if calendar is None:
        low = start
        while until is None or low < until:
            high = low + _AROUND_THE_CLOCK_CHUNK
            yield low, high if until is None else min(high, until)
            low = high
        return
    zone = calendar.zone
    last_day = calendar._last_working_day()
    low, offset = start, _offset(start, zone)
    while until is None or low < until:
        if last_day is not None and (low.replace(tzinfo=None) + offset).date() > last_day:
            return
        high, next_offset = _segment_end(low, zone, offset)
        yield from _segment_intervals(low, high, offset, calendar)
        low, offset = high, next_offset


def _merge_pauses(pauses: Sequence[Pause]) -> list[Pause]:
    """Pauses in UTC, floored to the minute, sorted, overlaps merged; an open one ends the list."""
    items: list[Pause] = []
    for begin, finish in pauses:
        low = _utc_minute(begin, "pause start")
        high = None if finish is None else _utc_minute(finish, "pause end")
        if high is not None and high < low:
            raise ValueError(f"pause ends before it starts: {begin!r} to {finish!r}")
        if high is None or low < high:
            items.append((low, high))
    items.sort(key=lambda item: item[0])
    merged: list[Pause] = []
    for low, high in items:
        if merged and (merged[-1][1] is None or low <= merged[-1][1]):
            previous_low, previous_high = merged[-1]
            joined = None if previous_high is None or high is None else max(previous_high, high)
            merged[-1] = (previous_low, joined)
        else:
            merged.append((low, high))
    return merged


def _ends_by(pause: Pause, moment: datetime) -> bool:
    """Whether a pause is over by ``moment`` (an open pause never is)."""
    return pause[1] is not None and pause[1] <= moment


def _without_pauses(intervals: Iterator[Interval], pauses: list[Pause]) -> Iterator[Interval]:
    """The intervals with the (merged, sorted) pauses cut out; stops at an open pause."""
    index = 0
    for low, high in intervals:
        while low < high:
            while index < len(pauses) and _ends_by(pauses[index], low):
                index += 1
            if index == len(pauses) or pauses[index][0] >= high:
                yield low, high
                break
            pause_start, pause_end = pauses[index]
            if pause_start > low:
                yield low, pause_start
            if pause_end is None:
                return
            low = pause_end


def _counted(
    start: datetime, calendar: Calendar | None, pauses: list[Pause], until: datetime | None
) -> Iterator[Interval]:
    """Counted, unpaused intervals from ``start``; ends at ``until`` or at an open pause."""
    if pauses and pauses[-1][1] is None:
        open_start = pauses[-1][0]
        until = open_start if until is None else min(until, open_start)
    return _without_pauses(_working_intervals(start, calendar, until), pauses)


def _measure(intervals: Iterator[Interval], end: datetime) -> int:
    """Whole minutes of the intervals that lie before ``end``."""
    total = timedelta()
    for low, high in intervals:
        if low >= end:
            break
        total += min(high, end) - low
    return total // MINUTE


def _spend(intervals: Iterator[Interval], start: datetime, minutes: int) -> datetime | None:
    """The instant a budget of ``minutes`` is used up along the intervals; None if they run out."""
    if minutes == 0:
        return start
    left = timedelta(minutes=minutes)
    for low, high in intervals:
        if high - low >= left:
            return low + left
        left -= high - low
    return None


def _measure_walk(
    low: datetime, high: datetime, calendar: Calendar | None, pauses: list[Pause]
) -> int:
    """Counted, unpaused minutes in [low, high) by walking the calendar: the reference."""
    if high <= low:
        return 0
    return _measure(_counted(low, calendar, pauses, high), high)


@lru_cache(maxsize=512)
def _year_changes(timezone: str, year: int) -> tuple[tuple[datetime, timedelta], ...]:
    """The zone's offset changes in (1 January ``year``, 1 January ``year + 1``] UTC.

    Each is (the first minute with the new offset, that offset). Found by sampling the
    offset a day apart and bisecting (``_segment_end``) where two samples differ.
    """
    zone = ZoneInfo(timezone)
    low = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC) if year < 9999 else datetime.max.replace(
        tzinfo=UTC, second=0, microsecond=0)
    changes = []
    offset = _offset(low, zone)
    while low < end:
        high = low + _DAY if end - low > _DAY else end
        high_offset = _offset(high, zone)
        if high_offset != offset:
            changes.append(_segment_end(low, zone, offset))
        low, offset = high, high_offset
    return tuple(changes)


def _stretches(
    low: datetime, high: datetime, timezone: str
) -> Iterator[tuple[datetime, datetime, timedelta]]:
    """[low, high) cut into stretches of constant UTC offset: (start, end, offset)."""
    offset = _offset(low, ZoneInfo(timezone))
    for year in range(low.year, high.year + 1):
        for moment, next_offset in _year_changes(timezone, year):
            if low < moment < high:
                yield low, moment, offset
                low, offset = moment, next_offset
    yield low, high, offset


@lru_cache(maxsize=256)
def _day_tables(calendar: Calendar) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """What counting working dates needs: workdays among the first n days from each weekday
    (a running count over two weeks), and the ordinals of holidays falling on working
    weekdays and of extra workdays falling on other weekdays, sorted."""
    running = [0]
    for day in range(14):
        running.append(running[-1] + (day % 7 in calendar.workdays))
    holidays = sorted(d.toordinal() for d in calendar.holidays
                      if d.weekday() in calendar.workdays)
    extras = sorted(d.toordinal() for d in calendar.extra_workdays
                    if d.weekday() not in calendar.workdays)
    return tuple(running), tuple(holidays), tuple(extras)


def _working_dates(first: date, stop: date, calendar: Calendar) -> int:
    """How many dates in [first, stop) are working dates."""
    days = (stop - first).days
    if days <= 0:
        return 0
    running, holidays, extras = _day_tables(calendar)
    weeks, rest = divmod(days, 7)
    weekday = first.weekday()
    count = weeks * running[7] + running[weekday + rest] - running[weekday]
    low, high = first.toordinal(), stop.toordinal()
    count -= bisect_left(holidays, high) - bisect_left(holidays, low)
    return count + bisect_left(extras, high) - bisect_left(extras, low)


def _day_overlap(day: date, low: datetime, high: datetime, calendar: Calendar) -> timedelta:
    """Working wall-clock time of the date ``day`` within the wall-clock range [low, high)."""
    if not calendar.is_working_day(day):
        return timedelta()
    opens = max(datetime.combine(day, calendar.start), low)
    closes = min(datetime.combine(day, calendar.end), high)
    return max(closes - opens, timedelta())


def _wall_working(low: datetime, high: datetime, calendar: Calendar) -> timedelta:
    """Working wall-clock time in the naive wall-clock range [low, high), in closed form:
    the partial first and last dates plus the working dates strictly between, each a full
    working day."""
    first, last = low.date(), high.date()
    if first == last:
        return _day_overlap(first, low, high, calendar)
    after_first = first + _DAY
    total = _day_overlap(first, low, datetime.combine(after_first, time()), calendar)
    total += _day_overlap(last, datetime.combine(last, time()), high, calendar)
    full_day = datetime.combine(first, calendar.end) - datetime.combine(first, calendar.start)
    return total + _working_dates(after_first, last, calendar) * full_day


def _span_time(low: datetime, high: datetime, calendar: Calendar | None) -> timedelta:
    """Counted time in [low, high) (no pauses), per stretch of constant UTC offset."""
    if high <= low:
        return timedelta()
    if calendar is None:
        return high - low
    last_day = calendar._last_working_day()
    if last_day is not None:
        # No working time after last_day in any zone: offsets stay within a day of UTC.
        if last_day == date.min:
            return timedelta()
        if last_day < date.max - 2 * _DAY:
            high = min(high, datetime.combine(last_day + 2 * _DAY, time(), UTC))
    total = timedelta()
    for begin, finish, offset in _stretches(low, high, calendar.timezone):
        wall_begin = begin.replace(tzinfo=None) + offset
        total += _wall_working(wall_begin, finish.replace(tzinfo=None) + offset, calendar)
    return total


def _counted_minutes(
    low: datetime, high: datetime, calendar: Calendar | None, pauses: list[Pause]
) -> int:
    """Counted, unpaused minutes in [low, high), equal to ``_measure_walk`` without the walk.

    The (merged, sorted) pauses are cut out by measuring the gaps between them; an open
    pause ends counting where it starts.
    """
    if pauses and pauses[-1][1] is None:
        high = min(high, pauses[-1][0])
    total, cursor = timedelta(), low
    for pause_start, pause_end in pauses:
        if pause_end is None or cursor >= high:
            break
        if pause_end <= cursor:
            continue
        total += _span_time(cursor, min(pause_start, high), calendar)
        cursor = pause_end  # > cursor: pauses ending by the cursor were skipped
    total += _span_time(cursor, high, calendar)
    return total // MINUTE


def working_minutes_between(start: datetime, end: datetime, calendar: Calendar | None) -> int:
    """Whole minutes of counted time in [start, end); 0 when end <= start.

    Both ends are floored to the minute first. ``calendar=None`` counts around the clock.
    """
    low, high = _utc_minute(start, "start"), _utc_minute(end, "end")
    if high <= low:
        return 0
    return _counted_minutes(low, high, calendar, [])


def add_working_minutes(start: datetime, minutes: int, calendar: Calendar | None) -> datetime:
    """The earliest instant t >= start with exactly ``minutes`` of counted time in [start, t).

    ``start`` is floored to the minute and the result is in UTC; for ``minutes == 0`` that
    floored start is returned even outside working hours. Raises ValueError for a negative
    budget or a calendar that runs out of working time before the budget is spent.
    """
    low = _utc_minute(start, "start")
    _check_budget(minutes)
    result = _spend(_working_intervals(low, calendar), low, minutes)
    if result is None:
        raise ValueError("the calendar has no working time left to spend the budget")
    return result


def deadline(
    start: datetime,
    minutes: int,
    calendar: Calendar | None,
    pauses: Sequence[Pause] = (),
) -> datetime | None:
    """The instant a budget of ``minutes`` counted, unpaused time from ``start`` is used up.

    Time inside a pause [p_start, p_end) is not counted; pauses may overlap and are merged.
    An open pause (p_end None) stops the clock for good: the result is None unless the budget
    is used up no later than the moment that pause starts. ``minutes == 0`` gives ``start``.
    Inputs are floored to the minute; the result is in UTC.
    """
    low = _utc_minute(start, "start")
    _check_budget(minutes)
    merged = _merge_pauses(pauses)
    result = _spend(_counted(low, calendar, merged, None), low, minutes)
    if result is None and not (merged and merged[-1][1] is None):
        raise ValueError("the calendar has no working time left to spend the budget")
    return result


def remaining_minutes(
    start: datetime,
    minutes: int,
    calendar: Calendar | None,
    pauses: Sequence[Pause],
    now: datetime,
) -> int:
    """The budget minus counted, unpaused minutes in [start, now); negative when overdue.

    Inputs are floored to the minute. Before ``start`` the whole budget remains.
    """
    low, high = _utc_minute(start, "start"), _utc_minute(now, "now")
    _check_budget(minutes)
    merged = _merge_pauses(pauses)
    if high <= low:
        return minutes
    return minutes - _counted_minutes(low, high, calendar, merged)


def remaining_until(
    start: datetime,
    due: datetime,
    calendar: Calendar | None,
    pauses: Sequence[Pause],
    now: datetime,
) -> int:
    """``remaining_minutes`` read from the deadline instead of from the start.

    For ``due == deadline(start, minutes, calendar, pauses)`` this equals
    ``remaining_minutes(start, minutes, calendar, pauses, now)``, but measures only between
    ``now`` and ``due`` (the time left, or the time overdue), never from ``start``; in closed
    form, so a clock two years overdue costs what one a day overdue does. Counted, unpaused
    minutes from max(now, start) to ``due``; negative (minutes past due) once ``due`` has
    passed.
    """
    low = max(_utc_minute(now, "now"), _utc_minute(start, "start"))
    high = _utc_minute(due, "due")
    merged = _merge_pauses(pauses)
    if low <= high:
        return _counted_minutes(low, high, calendar, merged)
    return -_counted_minutes(high, low, calendar, merged)
