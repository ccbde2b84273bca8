"""An organization's timeline: the newest entries of every kind, in one statement.

A partner with thousands of rounds, versions and follow-ups used to cost one query per
kind plus one per relation, each loading up to 100 records. Here each kind is a *branch*:
a select of the few columns its line shows, limited to the page on its own index, and the
branches are merged by one ``UNION ALL`` ordered by (time, kind, id). The "older" link is a
keyset cursor over that order, so page 50 of a timeline costs what page 1 costs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import get_timezone
from sqlalchemy.sql.elements import ColumnElement

from tracker.access import seen_through_source
from tracker.extensions import db
from tracker.models import (
    Contact,
    FollowUp,
    Organization,
    User,
    conversation_contacts,
    conversation_users,
)
from tracker.models.base import UTCDateTime
from tracker.paging import decode_cursor, encode_cursor
from tracker.statements import kept, param

# Every branch yields these columns (missing ones are NULL), typed alike for PostgreSQL.
COLUMNS: dict[str, Any] = {
    "at": UTCDateTime(), "id": sa.Integer(), "ref": sa.Integer(), "title": sa.String(),
    "label": sa.String(), "extra": sa.String(), "flag": sa.Boolean(), "n1": sa.Integer(),
    "n2": sa.Integer(), "day": sa.Date(), "body": sa.String(),
}


@dataclass
class Branch:
    """One kind of entry: its time and id expressions, its select and its columns."""

    kind: str
    at: ColumnElement[Any]
    id: ColumnElement[int]
    stmt: sa.Select
    cols: dict[str, Any] = field(default_factory=dict)


@dataclass
class Entry:
    """One line of a timeline (a plain row, never an ORM object: nothing loads lazily)."""

    kind: str
    at: datetime
    id: int
    ref: int | None = None
    title: str = ""
    label: str | None = None
    extra: str | None = None
    flag: bool | None = None
    n1: int | None = None
    n2: int | None = None
    day: Any = None
    body: str | None = None
    ours: list[str] = field(default_factory=list)
    theirs: list[str] = field(default_factory=list)


@dataclass
class Timeline:
    entries: list[Entry]
    older: str | None
    is_first: bool


def day_end(column: ColumnElement[Any]) -> ColumnElement[datetime]:
    """A date column as the last moment of that day in the reader's zone, as UTC: where a
    timeline sorts a date-only event (a signing), after everything of that day (the
    versions it signed). The zone's offset comes as parameters (``zone_params``): the
    statement is kept for every reader alike. The page shows the date alone."""
    if db.engine.dialect.name == "postgresql":
        return sa.type_coerce(sa.literal_column(
            f"(({column.table.name}.{column.name} + TIME '23:59:59.999999') AT TIME ZONE 'UTC')")
            - sa.bindparam("zone_offset", type_=sa.Interval()), UTCDateTime())
    text = sa.func.strftime("%Y-%m-%d %H:%M:%S", column, "+86399 seconds",
                            sa.bindparam("zone_shift", type_=sa.String()),
                            type_=sa.String()) + ".999999"
    return sa.type_coerce(text, UTCDateTime())


def zone_params(now: datetime | None = None) -> dict[str, Any]:
    """The parameters of ``day_end``: the reader's offset from UTC now (a zone that
    changes its clocks is off by that hour for dates across the change)."""
    offset = (now or datetime.now(UTC)).astimezone(ZoneInfo(str(get_timezone()))).utcoffset()
    seconds = int(offset.total_seconds()) if offset else 0
    return {"zone_offset": timedelta(seconds=seconds), "zone_shift": f"{-seconds} seconds"}


def _before(branch: Branch, cursor: list[Any]) -> ColumnElement[bool]:
    """Rows of ``branch`` after the cursor in the order (at desc, kind desc, id desc).

    The cursor's time and id are parameters; its kind decides the shape (kept apart)."""
    _at, kind, _id = cursor
    at = sa.bindparam("cursor_at", type_=COLUMNS["at"])
    id_ = sa.bindparam("cursor_id", type_=sa.Integer())
    if branch.kind > kind:  # shown before the cursor's kind at the same time
        return branch.at < at
    if branch.kind < kind:
        return branch.at <= at
    return sa.or_(branch.at < at, sa.and_(branch.at == at, branch.id < id_))


def _select(branch: Branch, cursor: list[Any] | None, limit: int) -> sa.Select:
    cols = [sa.literal(branch.kind).label("kind"),
            sa.type_coerce(branch.at, COLUMNS["at"]).label("at"),
            sa.type_coerce(branch.id, COLUMNS["id"]).label("id")]
    for name, type_ in list(COLUMNS.items())[2:]:
        value = branch.cols.get(name)
        cols.append((sa.cast(sa.null(), type_) if value is None
                     else sa.type_coerce(value, type_)).label(name))
    stmt = branch.stmt.with_only_columns(*cols, maintain_column_froms=True)
    if cursor is not None:
        stmt = stmt.where(_before(branch, cursor))
    # Each branch is limited on its own index before the merge.
    inner = stmt.order_by(branch.at.desc(), branch.id.desc()).limit(limit).subquery()
    return sa.select(inner)


def _merged(branches: list[Branch], cursor: list[Any] | None, per_page: int) -> sa.Select:
    union = sa.union_all(*(_select(b, cursor, per_page + 1) for b in branches)).subquery()
    return sa.select(union).order_by(
        union.c.at.desc(), union.c.kind.desc(), union.c.id.desc()).limit(per_page + 1)


def org_param(org: Organization, column: Any) -> sa.BindParameter:
    """The timeline's organization, as the parameter ``org_id`` (see ``read_timeline``)."""
    return param("org_id", org.id, column)


def read_timeline(build: Callable[[], list[Branch]], older: str | None, per_page: int,
                  key: tuple, org: Organization, params: dict[str, Any] | None = None
                  ) -> Timeline:
    """The newest ``per_page`` entries of the branches before the cursor ``older``.

    ``build()`` makes the branches, their organization written as ``org_param``; the
    merged statement is kept under ``key`` (which names whatever else the branches depend
    on: the reader's access, the kinds shown) and the cursor's kind, and built only the
    first time (``tracker.statements``); ``params`` are more values its branches take
    (``zone_params``)."""
    cursor = decode_cursor(older, 3)

    def merged() -> sa.Select | None:
        branches = build()
        return _merged(branches, cursor, per_page) if branches else None

    stmt = kept((*key, cursor[1] if cursor else None, per_page), merged)
    if stmt is None:
        return Timeline([], None, True)
    params = {**(params or {}), "org_id": org.id}
    if cursor is not None:
        params.update(cursor_at=cursor[0], cursor_id=cursor[2])
    rows = db.session.execute(stmt, params).all()
    entries = [Entry(**row._mapping) for row in rows[:per_page]]
    last = entries[-1] if entries else None
    more = len(rows) > per_page and last is not None
    return Timeline(entries, encode_cursor([last.at, last.kind, last.id]) if more else None,
                    cursor is None)


def _people() -> sa.Select:
    ids = sa.bindparam("ids", expanding=True)
    ours = (sa.select(conversation_users.c.conversation_id, sa.literal("us").label("side"),
                      User.name, User.sort_name)
            .join(User, User.id == conversation_users.c.user_id)
            .where(conversation_users.c.conversation_id.in_(ids)))
    theirs = (sa.select(conversation_contacts.c.conversation_id, sa.literal("them"),
                        Contact.name, Contact.sort_name)
              .join(Contact, Contact.id == conversation_contacts.c.contact_id)
              .where(conversation_contacts.c.conversation_id.in_(ids)))
    union = sa.union_all(ours, theirs).subquery()
    return sa.select(union).order_by(union.c.sort_name)


def add_people(entries: list[Entry], kinds: tuple[str, ...]) -> None:
    """Fill in each conversation entry's people on both sides, in one statement."""
    ids = sorted({e.id for e in entries if e.kind in kinds})
    if not ids:
        return
    people: dict[tuple[int, str], list[str]] = {}
    for conv_id, side, name, _key in db.session.execute(kept(("timeline-people",), _people),
                                                  {"ids": ids}):
        people.setdefault((conv_id, side), []).append(name)
    for e in entries:
        if e.kind in kinds:
            e.ours, e.theirs = people.get((e.id, "us"), []), people.get((e.id, "them"), [])


def followup_branch(user: User, org: Organization) -> Branch:
    """Follow-ups of the organization whose source the user may read (shared by clients)."""
    stmt = (sa.select(FollowUp).outerjoin(User, User.id == FollowUp.owner_id)
            .where(FollowUp.organization_id == org_param(org, FollowUp.organization_id),
                   FollowUp.archived_at.is_(None),
                   seen_through_source(user)))
    return Branch("followup", FollowUp.created_at, FollowUp.id, stmt, {
        "title": FollowUp.title, "label": FollowUp.status, "extra": User.name,
        "day": FollowUp.due_on, "body": FollowUp.dedupe_key})  # the key: a reminder's words


def contact_branch(org: Organization) -> Branch:
    """Contacts added (seen with their organization, which the caller checked)."""
    stmt = sa.select(Contact).where(Contact.organization_id == org_param(org, Contact.id),
                                    Contact.archived_at.is_(None))
    return Branch("contact", Contact.created_at, Contact.id, stmt,
                  {"title": Contact.name, "extra": Contact.title})


def _label(enum: Any, value: str | None) -> str:
    return enum(value).label if value in enum._value2member_map_ else (value or "")


def timeline_labels() -> dict[str, Any]:
    """Label helpers for timeline lines, which carry raw values (a blueprint context
    processor of the partners and clients blueprints)."""
    from tracker.models import ConversationKind, FollowUpStatus, Proposer

    return {
        "conversation_kind_label": lambda v: _label(ConversationKind, v),
        "followup_status_label": lambda v: _label(FollowUpStatus, v),
        "proposer_label": lambda v: _label(Proposer, v),
    }
