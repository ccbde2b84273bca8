"""Reads of meetings and retrospectives: lists, series, action items and carry-over."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import get_timezone
from sqlalchemy.orm import joinedload, selectinload

from tracker.access import visible, visible_followups_of
from tracker.extensions import db
from tracker.models import (
    AgendaItem,
    FollowUp,
    FollowUpStatus,
    Meeting,
    Retrospective,
    Team,
    User,
    utcnow,
)
from tracker.paging import SortKey
from tracker.text import squash

ITEM_SOURCE = AgendaItem.__tablename__  # "agenda_items"


def local_today() -> date:
    """Today in the user's zone (a follow-up is overdue from the day after its due date)."""
    return utcnow().astimezone(get_timezone()).date()


def clean_series(value: str | None) -> str:
    """A series key as stored and compared: white space collapsed, at most 120 characters."""
    return squash(value, limit=120)


MEETING_KEYS = (SortKey(Meeting.starts_at, descending=True), SortKey(Meeting.id, descending=True))
RETRO_KEYS = (SortKey(Retrospective.held_on, descending=True),
              SortKey(Retrospective.id, descending=True))


def meeting_list(user: User, team: Team, series: str = "",
                 archived: bool = False) -> sa.Select:
    """The team's meetings the user may see (with their organizer and number of agenda
    items), not ordered: keyset pages go by ``MEETING_KEYS``, newest first."""
    items = (sa.select(sa.func.count()).where(AgendaItem.meeting_id == Meeting.id)
             .correlate(Meeting).scalar_subquery())
    stmt = (visible(user, Meeting, include_archived=archived)
            .where(Meeting.team_id == team.id).add_columns(items.label("item_count"))
            .options(joinedload(Meeting.organizer)))
    if archived:
        stmt = stmt.where(Meeting.archived_at.is_not(None))
    if series:
        stmt = stmt.where(Meeting.series == series)
    return stmt


def series_of(user: User, team: Team) -> list[str]:
    """The series names of the team's meetings the user may see, by name."""
    stmt = (visible(user, Meeting).where(Meeting.team_id == team.id, Meeting.series != "")
            .with_only_columns(Meeting.series).distinct().order_by(Meeting.series))
    return list(db.session.scalars(stmt))


def latest_of_series(user: User, team: Team, series: str) -> Meeting | None:
    """The most recent meeting of a series (the next one starts from its title and people)."""
    if not series:
        return None
    return db.session.scalar(
        visible(user, Meeting).where(Meeting.team_id == team.id, Meeting.series == series)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(1))


def retro_list(user: User, team: Team, archived: bool = False) -> sa.Select[tuple[Retrospective]]:
    """The team's retrospectives, not ordered: keyset pages go by ``RETRO_KEYS``."""
    stmt = (visible(user, Retrospective, include_archived=archived)
            .where(Retrospective.team_id == team.id)
            .options(joinedload(Retrospective.facilitator)))
    if archived:
        stmt = stmt.where(Retrospective.archived_at.is_not(None))
    return stmt


def actions_by_item(meeting: Meeting) -> dict[int, list[FollowUp]]:
    """Each agenda item's action items (open first, then by due date)."""
    ids = [item.id for item in meeting.items if item.id is not None]
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(FollowUp).where(FollowUp.source_type == ITEM_SOURCE,
                                  FollowUp.source_id.in_(ids), FollowUp.archived_at.is_(None))
        .options(selectinload(FollowUp.owner))
        .order_by(FollowUp.status != FollowUpStatus.OPEN, FollowUp.due_on, FollowUp.id))
    grouped: dict[int, list[FollowUp]] = defaultdict(list)
    for followup in rows:
        grouped[followup.source_id].append(followup)
    return dict(grouped)


def items_with_actions(meeting: Meeting) -> frozenset[int]:
    """Agenda items that produced action items: they stay (their follow-ups point at them)."""
    if meeting.id is None:
        return frozenset()
    return frozenset(db.session.scalars(
        sa.select(FollowUp.source_id).where(
            FollowUp.source_type == ITEM_SOURCE,
            FollowUp.source_id.in_(sa.select(AgendaItem.id)
                                   .where(AgendaItem.meeting_id == meeting.id)))))


@dataclass(frozen=True)
class CarriedItem:
    """An action item from an earlier meeting of the series, as it stands now."""

    followup: FollowUp
    item: AgendaItem
    meeting: Meeting


def carried_over(user: User, team_id: int, series: str, starts_at: datetime,
                 exclude_meeting_id: int | None = None) -> list[CarriedItem]:
    """Action items of earlier meetings of the same team and series still open when a
    meeting starting at ``starts_at`` begins: open now, or done since that moment (shown
    as done, so a meeting's page keeps what it carried). Not copies: the follow-ups
    themselves, those of archived meetings left out, and only those the user may see.
    """
    series = clean_series(series)
    if not series:
        return []
    earlier = (sa.select(Meeting.id)
               .where(Meeting.team_id == team_id, Meeting.series == series,
                      Meeting.starts_at < starts_at, Meeting.archived_at.is_(None)))
    if exclude_meeting_id is not None:
        earlier = earlier.where(Meeting.id != exclude_meeting_id)
    stmt = (visible_followups_of(user)
            .join(AgendaItem, sa.and_(FollowUp.source_type == ITEM_SOURCE,
                                      AgendaItem.id == FollowUp.source_id))
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .add_columns(AgendaItem, Meeting)
            .where(AgendaItem.meeting_id.in_(earlier), FollowUp.archived_at.is_(None),
                   sa.or_(FollowUp.status == FollowUpStatus.OPEN,
                          sa.and_(FollowUp.status == FollowUpStatus.DONE,
                                  FollowUp.completed_at >= starts_at)))
            .options(selectinload(FollowUp.owner))
            .order_by(FollowUp.status != FollowUpStatus.OPEN, FollowUp.due_on,
                      Meeting.starts_at, AgendaItem.position, FollowUp.id))
    return [CarriedItem(f, item, meeting) for f, item, meeting in db.session.execute(stmt)]
