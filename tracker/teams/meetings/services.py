"""Writes of meetings and retrospectives, from plain values (a form, an import, a job or
the CLI turns its input into them). Callers own the transaction: these never commit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa

from tracker.extensions import db
from tracker.followups import give_followup
from tracker.followups.services import UNITS
from tracker.models import AgendaItem, FollowUp, Meeting, Retrospective, Team, User, utcnow
from tracker.records import ensure_current
from tracker.teams.meetings.queries import clean_series, items_with_actions


@dataclass(frozen=True, kw_only=True)
class ActionRow:
    """One action item: it becomes an open follow-up with its owner and due date. A row
    without a title says nothing and is left out."""

    title: str
    owner_id: int | None = None
    due_on: date | None = None  # needed when the row has a title
    # A standing action (every N days, weeks or months: completing one makes the next).
    repeat_every: int | None = None
    repeat_unit: str | None = None


@dataclass(frozen=True, kw_only=True)
class AgendaRow:
    """One agenda item in the order it is to stand. ``item_id`` names the stored item it
    edits (None: a new one); ``actions`` become follow-ups linked to the item."""

    title: str
    discussion: str = ""
    decisions: str = ""
    item_id: int | None = None
    actions: tuple[ActionRow, ...] = ()


@dataclass(frozen=True, kw_only=True)
class MeetingInput:
    """A meeting as a form, an import or an API gives it; times are aware (UTC or any
    zone), attendees are user ids, the agenda is the whole agenda in its order."""

    title: str
    series: str = ""
    starts_at: datetime
    ends_at: datetime | None = None
    place: str = ""
    organizer_id: int | None = None
    attendee_ids: tuple[int, ...] = ()
    notes: str = ""
    items: tuple[AgendaRow, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RetroInput:
    """A retrospective as a form, an import or an API gives it; ``actions`` are the new
    action items (earlier ones are follow-ups already)."""

    title: str
    held_on: date
    facilitator_id: int | None = None
    went_well: str = ""
    fell_short: str = ""
    lessons: str = ""
    actions: tuple[ActionRow, ...] = ()


def _utc(value: datetime) -> datetime:
    """An aware time as UTC; a naive one is refused (whose clock would it be?)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a meeting's times must be aware datetimes")
    return value.astimezone(UTC)


def _has_title(row: AgendaRow | ActionRow) -> bool:
    return bool((row.title or "").strip())


def _check_actions(rows: Iterable[ActionRow]) -> None:
    """Refuse, before anything changes, an action item that could not be a follow-up."""
    rows = [row for row in rows if _has_title(row)]
    if any(row.due_on is None for row in rows):
        raise ValueError("an action item needs a due date")
    if any(row.repeat_unit not in (None, *UNITS) for row in rows):
        raise ValueError("an action item repeats every so many days, weeks or months")


def _add_actions(source: object, team_id: int, rows: Iterable[ActionRow]) -> list[FollowUp]:
    """Each action row with a title becomes an open follow-up of ``source`` for the team."""
    made = []
    for action in rows:
        if not _has_title(action):
            continue
        followup = give_followup(source, action.title, action.owner_id, action.due_on,
                                 repeat_every=action.repeat_every,
                                 repeat_unit=action.repeat_unit)
        followup.team_id = team_id
        made.append(followup)
    return made


def _sync_items(meeting: Meeting,
                rows: Iterable[AgendaRow]) -> list[tuple[AgendaItem, AgendaRow | None]]:
    """Make the agenda the given rows, in their order, matching rows to items by id.

    An item that produced action items is never removed (its follow-ups point at it): a
    row left out keeps it, after the given ones. Returns each item with its row.
    """
    existing = {item.id: item for item in meeting.items}
    keep = items_with_actions(meeting)
    placed: list[tuple[AgendaItem, AgendaRow | None]] = []
    used: set[int] = set()
    for row in meeting_rows(rows):
        item = existing.get(row.item_id) if row.item_id not in used else None
        if item is None:
            item = AgendaItem()
            meeting.items.append(item)
        else:
            used.add(item.id)
        item.title = row.title.strip()
        item.discussion = row.discussion or ""
        item.decisions = row.decisions or ""
        placed.append((item, row))
    for item_id, item in existing.items():
        if item_id in used:
            continue
        if item_id in keep:
            placed.append((item, None))
        else:
            meeting.items.remove(item)
            db.session.delete(item)  # explicitly, so the meeting's history records it
    for position, (item, _row) in enumerate(placed):
        item.position = position
    return placed


def meeting_rows(rows: Iterable[AgendaRow]) -> list[AgendaRow]:
    """The agenda rows that say something (a blank row is left out)."""
    return [row for row in rows if _has_title(row)]


def save_meeting(team: Team, data: MeetingInput, meeting: Meeting | None = None, *,
                 version: int | str | None = None) -> Meeting:
    """Create a meeting of ``team`` or update ``meeting``, with its agenda; new action items
    become follow-ups linked to their agenda item, with the meeting's team.

    ``version`` is the one the caller's view of ``meeting`` had: an update against an older
    one is refused with StaleRecord; a naive time or an action item without a due date
    with ValueError, before anything changes.
    """
    starts_at = _utc(data.starts_at)
    ends_at = _utc(data.ends_at) if data.ends_at else None
    _check_actions(action for row in meeting_rows(data.items) for action in row.actions)
    if meeting is None:
        meeting = Meeting(team_id=team.id, team=team)
        db.session.add(meeting)
    else:
        ensure_current(meeting, version)
        meeting.updated_at = utcnow()  # an agenda edit alone still makes a new version
    with db.session.no_autoflush:
        people = list(db.session.scalars(sa.select(User).where(
            User.id.in_(data.attendee_ids or [])).order_by(User.sort_name)))
        meeting.title = data.title.strip()
        meeting.series = clean_series(data.series)
        meeting.starts_at = starts_at
        meeting.ends_at = ends_at
        meeting.place = (data.place or "").strip()
        meeting.organizer_id = data.organizer_id
        meeting.notes = data.notes or ""
        if {p.id for p in meeting.attendees} != {p.id for p in people}:
            meeting.attendees = people
        placed = _sync_items(meeting, data.items)
    db.session.flush()  # the agenda items get their ids: the follow-ups point at them
    for item, row in placed:
        if row is not None:
            _add_actions(item, meeting.team_id, row.actions)
    return meeting


def save_retro(team: Team, data: RetroInput, retro: Retrospective | None = None, *,
               version: int | str | None = None) -> Retrospective:
    """Create a retrospective of ``team`` or update ``retro``; its new actions become the
    team's follow-ups.

    ``version`` is the one the caller's view of ``retro`` had: an update against an older
    one is refused with StaleRecord; an action item without a due date with ValueError,
    before anything changes.
    """
    _check_actions(data.actions)
    if retro is None:
        retro = Retrospective(team_id=team.id, team=team)
        db.session.add(retro)
    else:
        ensure_current(retro, version)
        retro.updated_at = utcnow()  # new actions alone still make a new version
    retro.title = data.title.strip()
    retro.held_on = data.held_on
    retro.facilitator_id = data.facilitator_id
    retro.went_well = data.went_well or ""
    retro.fell_short = data.fell_short or ""
    retro.lessons = data.lessons or ""
    db.session.flush()
    _add_actions(retro, retro.team_id, data.actions)
    return retro
