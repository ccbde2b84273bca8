"""Reads for the complaint queue and metrics, always from the access layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from tracker.access import visible
from tracker.models import (
    OPEN_COMPLAINT,
    Complaint,
    ComplaintStatus,
    Severity,
    TeamMembership,
    User,
)
from tracker.text import squash, whole_number

OPEN = [s.value for s in OPEN_COMPLAINT]

VIEWS: dict[str, Any] = {
    "open": _l("All open"),
    "unassigned": _l("Unassigned"),
    "mine": _l("Mine"),
    "team": _l("My team"),
    "due_soon": _l("Due soon"),
    "overdue": _l("Overdue"),
    "closed": _l("Resolved and closed"),
}


def next_due() -> sa.ColumnElement:
    """The nearest deadline still running: acknowledgement first, then resolution."""
    return sa.case((Complaint.acknowledged_at.is_(None), Complaint.ack_due_at),
                   else_=Complaint.resolve_due_at)


def _overdue(now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(Complaint.status.in_(OPEN), sa.or_(
        sa.and_(Complaint.acknowledged_at.is_(None), Complaint.ack_due_at < now),
        sa.and_(Complaint.status != ComplaintStatus.WAITING.value,
                Complaint.resolve_due_at < now)))


def view_clause(view: str, user: User, now: datetime, hours: int) -> sa.ColumnElement[bool]:
    """Which complaints a queue view holds."""
    is_open = Complaint.status.in_(OPEN)
    if view == "unassigned":
        return sa.and_(is_open, Complaint.assignee_id.is_(None))
    if view == "mine":
        return sa.and_(is_open, Complaint.assignee_id == user.id)
    if view == "team":
        # The client's team, or anyone of my teams working it (a complaint desk's view).
        teams = sorted(user.team_ids) or [-1]
        teammates = sa.select(TeamMembership.user_id).where(TeamMembership.team_id.in_(teams))
        return sa.and_(is_open, sa.or_(Complaint.team_id.in_(teams),
                                       Complaint.assignee_id.in_(teammates)))
    if view == "due_soon":
        return sa.and_(is_open, next_due().between(now, now + timedelta(hours=hours)))
    if view == "overdue":
        return _overdue(now)
    if view == "closed":
        return sa.not_(is_open)
    return is_open


@dataclass(frozen=True)
class QueueFilters:
    """The queue's view and filters, from and back to the query string."""

    view: str = "open"
    hours: int = 4
    severity: str = ""
    category: str = ""
    client: int | None = None
    assignee: int | None = None
    q: str = ""

    @classmethod
    def from_args(cls, args: MultiDict) -> QueueFilters:
        view = args.get("view", "open")
        severity = args.get("severity", "")
        return cls(view=view if view in VIEWS else "open",
                   hours=whole_number(args.get("hours"), maximum=24 * 14) or 4,
                   severity=severity if severity in Severity._value2member_map_ else "",
                   category=squash(args.get("category"), 60),
                   client=whole_number(args.get("client")),
                   assignee=whole_number(args.get("assignee")), q=squash(args.get("q")))


def _filtered(user: User, f: QueueFilters) -> sa.Select:
    stmt = visible(user, Complaint)
    if f.severity:
        stmt = stmt.where(Complaint.severity == f.severity)
    if f.category:
        stmt = stmt.where(Complaint.category == f.category)
    if f.client is not None:
        stmt = stmt.where(Complaint.organization_id == f.client)
    if f.assignee is not None:
        stmt = stmt.where(Complaint.assignee_id == f.assignee)
    if f.q:
        from tracker.text import escape_like

        stmt = stmt.where(Complaint.title.ilike(f"%{escape_like(f.q)}%", escape="\\"))
    return stmt


def queue(user: User, f: QueueFilters, now: datetime) -> sa.Select:
    """The rows of the chosen view, nearest deadline first (paused ones last)."""
    return (_filtered(user, f).where(view_clause(f.view, user, now, f.hours))
            .options(selectinload(Complaint.organization), selectinload(Complaint.assignee))
            .order_by(next_due().asc().nulls_last(), Complaint.id))


def view_counts(user: User, f: QueueFilters, now: datetime) -> dict[str, int]:
    """How many complaints each view holds under the same filters: one query."""
    from tracker.extensions import db

    columns = [sa.func.coalesce(sa.func.sum(sa.case((view_clause(v, user, now, f.hours), 1),
                                                     else_=0)), 0).label(v) for v in VIEWS]
    row = db.session.execute(_filtered(user, f).with_only_columns(*columns)).one()
    return dict(zip(VIEWS, row, strict=True))


def categories(user: User) -> list[str]:
    """Categories in use, for the filter."""
    from tracker.extensions import db

    return list(db.session.scalars(visible(user, Complaint).with_only_columns(
        Complaint.category).where(Complaint.category != "").distinct().order_by(
        Complaint.category)))
