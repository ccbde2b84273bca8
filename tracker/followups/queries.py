"""Reads of the follow-up hub: who sees which follow-up, My day, the team view, counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import abort

from tracker.access import (
    Area,
    may_enter,
    permissions_of,
    visible_followups,
    visible_own_followups,
)
from tracker.extensions import db
from tracker.followups.services import next_occurrence_key
from tracker.i18n import zone_of
from tracker.messages import followup_title
from tracker.models import (
    FollowUp,
    FollowUpStatus,
    ReminderLog,
    User,
    utcnow,
)
from tracker.paging import (
    KeysetPage,
    SortKey,
    capped_count,
    capped_count_column,
    keyset_page,
)
from tracker.statements import kept, param

SOON_DAYS = 7
SECTION_LIMIT = 25  # rows per bucket on My day; "show all" pages through the rest
# My day's bucket counts stop at "99+", as a badge does: past that, the number tells no one
# anything more, and someone with thousands overdue would pay for up to 1,001 index entries
# per bucket on every visit. A bucket's own page ("show all") still counts to ``COUNT_CAP``.
DAY_COUNT_CAP = 99


# The zone "today" is counted in (``tracker.i18n.zone_of``, shared with every area).
user_zone = zone_of


def local_today(user: User | None = None, now: datetime | None = None) -> date:
    """Today's date where the user is."""
    return (now or utcnow()).astimezone(user_zone(user)).date()


def get_followup_or_404(user: User, followup_id: int) -> FollowUp:
    """One follow-up the user may read (``tracker.access.visible_followups``), with the
    people and organization its page names; 404 otherwise, like a record that does not
    exist."""
    record = db.session.scalar(visible_followups(user, include_archived=True)
                               .where(FollowUp.id == followup_id)
                               .options(sa.orm.joinedload(FollowUp.owner),
                                        sa.orm.joinedload(FollowUp.created_by),
                                        sa.orm.joinedload(FollowUp.organization)))
    if record is None:
        abort(404)
    return record


def _open(stmt: sa.Select) -> sa.Select:
    return stmt.where(FollowUp.status == FollowUpStatus.OPEN.value)


@dataclass
class Section:
    """One bucket of My day: its first rows and how many it holds (capped, never wrong)."""

    key: str
    items: list[FollowUp]
    count: int = 0
    capped: bool = False
    page: KeysetPage | None = None

    @property
    def more(self) -> bool:
        return self.capped or self.count > len(self.items)


@dataclass
class MyDay:
    today: date
    overdue: Section
    due_today: Section
    soon: Section
    waiting: Section

    @property
    def sections(self) -> list[Section]:
        return [self.overdue, self.due_today, self.soon, self.waiting]


SECTION_KEYS = ("overdue", "today", "soon", "waiting")
DUE_KEYS = (SortKey(FollowUp.due_on), SortKey(FollowUp.id))


def day_buckets(user: User, today: date) -> dict[str, sa.Select]:
    """The open follow-ups of each bucket, each one index range: (owner, status, due) for
    the user's own, (creator, status, due) for those asked of others.

    Every bucket holds follow-ups the user owns or asked for: ``visible_own_followups`` is
    ``visible(FollowUp)`` narrowed to them, and "seen through the source" would add nothing
    but its cost. The day is a parameter (``day_params``)."""
    mine = _open(visible_own_followups(user, FollowUp.owner_id))
    day = param("today", today, FollowUp.due_on)
    horizon = param("horizon", today + timedelta(days=SOON_DAYS), FollowUp.due_on)
    return {
        "overdue": mine.where(FollowUp.due_on < day),
        "today": mine.where(FollowUp.due_on == day),
        "soon": mine.where(FollowUp.due_on > day, FollowUp.due_on <= horizon),
        "waiting": _open(visible_own_followups(user, FollowUp.created_by_id)).where(
            sa.or_(FollowUp.owner_id.is_(None), FollowUp.owner_id != user.id)),
    }


def day_params(today: date) -> dict[str, date]:
    """The values ``day_buckets`` takes as parameters."""
    return {"today": today, "horizon": today + timedelta(days=SOON_DAYS)}


def my_day(user: User, today: date, limit: int = SECTION_LIMIT) -> MyDay:
    """The first ``limit`` of each bucket and every bucket's capped count, in one statement:
    the union of the four bounded id lists, joined back to the rows and their owners."""

    def build() -> sa.Select:
        buckets = day_buckets(user, today)
        firsts = []
        for key, stmt in buckets.items():
            first = (stmt.with_only_columns(FollowUp.id)
                     .order_by(FollowUp.due_on, FollowUp.id).limit(limit).subquery())
            firsts.append(sa.select(sa.literal(key, sa.String).label("bucket"),
                                    first.c.id.label("id")))
        shown = sa.union_all(*firsts).subquery("shown")
        counts = [capped_count_column(stmt, cap).label(f"n_{key}")
                  for key, stmt in buckets.items()]
        # Rows without their notes, owners by name only: all My day shows of them.
        return (sa.select(FollowUp, shown.c.bucket, *counts)
                .join(shown, shown.c.id == FollowUp.id)
                .options(sa.orm.defer(FollowUp.notes),
                         sa.orm.joinedload(FollowUp.owner).load_only(User.name))
                .order_by(FollowUp.due_on, FollowUp.id))

    cap = DAY_COUNT_CAP
    stmt = kept(("my-day", permissions_of(user).key(user), limit, cap), build)
    rows = db.session.execute(stmt, day_params(today)).all()
    items: dict[str, list[FollowUp]] = {key: [] for key in SECTION_KEYS}
    for row in rows:
        items[row.bucket].append(row[0])
    numbers = rows[0]._mapping if rows else {}
    sections = []
    for key in SECTION_KEYS:
        n = numbers.get(f"n_{key}", 0) or 0
        sections.append(Section(key, items[key], min(n, cap), n > cap))
    return MyDay(today, *sections)


def day_section(user: User, today: date, key: str, after: str | None,
                before: str | None) -> Section:
    """One bucket in full, a keyset page at a time (the "more" of My day)."""
    stmt = day_buckets(user, today)[key].options(sa.orm.joinedload(FollowUp.owner))
    page = keyset_page(stmt, DUE_KEYS, per_page=SECTION_LIMIT, after=after, before=before)
    page.total, page.total_capped = capped_count(day_buckets(user, today)[key])
    return Section(key, page.items, page.total, page.total_capped, page)


def nav_count_columns(user_id: int | sa.BindParameter,
                      today: date | sa.BindParameter) -> list[sa.ScalarSelect]:
    """The user's own open follow-ups overdue and due today, as two scalar subqueries (the
    top bar folds them into its one statement). Whoever may enter the area reads their
    own follow-ups: no visibility clause, one range of ``followups(owner_id, status,
    due_on)``."""
    mine = sa.select(sa.func.count()).select_from(FollowUp).where(
        FollowUp.owner_id == user_id, FollowUp.status == FollowUpStatus.OPEN.value,
        FollowUp.archived_at.is_(None))
    return [mine.where(FollowUp.due_on < today).scalar_subquery(),
            mine.where(FollowUp.due_on == today).scalar_subquery()]


def nav_counts(user: User, today: date | None = None) -> dict[str, int]:
    """The user's own open follow-ups that are overdue and due today, for the navigation."""
    if user is None or not getattr(user, "is_authenticated", False) or not may_enter(
            user, Area.FOLLOWUPS):
        return {"overdue": 0, "today": 0}
    overdue, due_today = db.session.execute(
        sa.select(*nav_count_columns(user.id, today or local_today()))).one()
    return {"overdue": overdue or 0, "today": due_today or 0}


# -- the reminder log ---------------------------------------------------------------------

LOG_KEYS = (SortKey(ReminderLog.sent_at, descending=True),
            SortKey(ReminderLog.id, descending=True))


def reminder_log(user: User, sees_all: bool) -> sa.Select:
    """Reminders sent, with whom they went to, not ordered: keyset pages go by ``LOG_KEYS``
    (newest first; an index on (user_id, sent_at) or (sent_at) answers either). Every
    user's with ``sees_all`` (``tracker.access.may_see_every_reminder``), else the user's."""
    stmt = sa.select(ReminderLog).options(sa.orm.joinedload(ReminderLog.user))
    if not sees_all:
        stmt = stmt.where(ReminderLog.user_id == user.id)
    return stmt


def visible_titles(user: User, ids: set[int]) -> dict[int, str]:
    """The titles of those of these follow-ups the user may read (as they read them)."""
    if not ids:
        return {}
    rows = db.session.execute(
        visible_followups(user, include_archived=True).where(FollowUp.id.in_(sorted(ids)))
        .with_only_columns(FollowUp.id, FollowUp.title, FollowUp.dedupe_key)).all()
    return {row.id: followup_title(row.title, row.dedupe_key) for row in rows}


def neighbours(user: User, followup: FollowUp) -> tuple[int | None, FollowUp | None]:
    """The previous occurrence's id and the next occurrence, each only if the user may
    read it: one statement for both, the visibility read as a column."""
    seen = visible_followups(user, include_archived=True).whereclause
    nearby = [FollowUp.previous_id == followup.id,
              FollowUp.dedupe_key == next_occurrence_key(followup)]
    if followup.previous_id:
        nearby.append(FollowUp.id == followup.previous_id)
    previous_id, following = None, None
    for record, visible_ in db.session.execute(
            sa.select(FollowUp, sa.case((seen, 1), else_=0)).where(sa.or_(*nearby))
            .order_by(FollowUp.id)):
        if record.id == followup.previous_id:
            previous_id = record.id if visible_ else None
        elif record.id != followup.id and following is None:
            following = record if visible_ else None
    return previous_id, following


def visible_ids(user: User, ids: set[int]) -> set[int]:
    """Which of these follow-ups the user may read."""
    if not ids:
        return set()
    return set(db.session.scalars(visible_followups(user, include_archived=True)
                                  .where(FollowUp.id.in_(sorted(ids)))
                                  .with_only_columns(FollowUp.id)))
