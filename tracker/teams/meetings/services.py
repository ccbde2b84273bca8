"""Writes of meetings and retrospectives. Views commit; these never do."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tracker.extensions import db
from tracker.followups import add_followup
from tracker.i18n import local_to_utc
from tracker.models import AgendaItem, FollowUp, Meeting, Retrospective, Team, User, utcnow
from tracker.records import ensure_current
from tracker.teams.meetings.forms import MeetingForm, RetroForm, has_title
from tracker.teams.meetings.queries import clean_series, items_with_actions


def _add_actions(source: Any, team_id: int, rows: Any) -> list[FollowUp]:
    """Each filled-in action row becomes an open follow-up of ``source`` for the team."""
    made = []
    for row in rows.entries:
        action = row.form
        if has_title(row):
            followup = add_followup(source, action.title.data, action.owner_id.data,
                                    action.due_on.data)
            followup.team_id = team_id
            made.append(followup)
    return made


def _sync_items(meeting: Meeting, form: MeetingForm) -> list[tuple[AgendaItem, Any]]:
    """Make the agenda the form's rows, in their order, matching rows to items by id.

    An item that produced action items is never removed (its follow-ups point at it): a
    row left out keeps it, after the posted ones. Returns each item with its form row.
    """
    existing = {item.id: item for item in meeting.items}
    keep = items_with_actions(meeting)
    placed: list[tuple[AgendaItem, Any]] = []
    used: set[int] = set()
    for row in meeting_rows(form):
        item_id = row.form.existing_id
        item = existing.get(item_id) if item_id not in used else None
        if item is None:
            item = AgendaItem()
            meeting.items.append(item)
        else:
            used.add(item.id)
        item.title = row.form.title.data.strip()
        item.discussion = row.form.discussion.data or ""
        item.decisions = row.form.decisions.data or ""
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


def meeting_rows(form: MeetingForm) -> list[Any]:
    """The agenda rows that say something (a blank row is left out)."""
    return [row for row in form.items.entries if has_title(row)]


def save_meeting(team: Team, form: MeetingForm, meeting: Meeting | None = None) -> Meeting:
    """Create or update a meeting with its agenda; new action items become follow-ups
    linked to their agenda item, with the meeting's team."""
    if meeting is None:
        meeting = Meeting(team_id=team.id, team=team)
        db.session.add(meeting)
    else:
        ensure_current(meeting, form.version.data)
        meeting.updated_at = utcnow()  # an agenda edit alone still makes a new version
    with db.session.no_autoflush:
        people = list(db.session.scalars(sa.select(User).where(
            User.id.in_(form.attendees.data or [])).order_by(User.name)))
        meeting.title = form.title.data.strip()
        meeting.series = clean_series(form.series.data)
        meeting.starts_at = local_to_utc(form.starts_at.data)
        meeting.ends_at = local_to_utc(form.ends_at.data) if form.ends_at.data else None
        meeting.place = (form.place.data or "").strip()
        meeting.organizer_id = form.organizer_id.data
        meeting.notes = form.notes.data or ""
        if {p.id for p in meeting.attendees} != {p.id for p in people}:
            meeting.attendees = people
        placed = _sync_items(meeting, form)
    db.session.flush()  # the agenda items get their ids: the follow-ups point at them
    for item, row in placed:
        if row is not None:
            _add_actions(item, meeting.team_id, row.form.actions)
    return meeting


def save_retro(team: Team, form: RetroForm, retro: Retrospective | None = None) -> Retrospective:
    """Create or update a retrospective; its new actions become the team's follow-ups."""
    if retro is None:
        retro = Retrospective(team_id=team.id, team=team)
        db.session.add(retro)
    else:
        ensure_current(retro, form.version.data)
        retro.updated_at = utcnow()  # new actions alone still make a new version
    retro.title = form.title.data.strip()
    retro.held_on = form.held_on.data
    retro.facilitator_id = form.facilitator_id.data
    retro.went_well = form.went_well.data or ""
    retro.fell_short = form.fell_short.data or ""
    retro.lessons = form.lessons.data or ""
    db.session.flush()
    _add_actions(retro, retro.team_id, form.actions)
    return retro
