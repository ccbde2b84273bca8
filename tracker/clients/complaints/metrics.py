"""Complaint metrics for a period: response and resolution times, deadlines met, satisfaction.

Everything is aggregated by the database in one statement (never a complaint loaded into
Python): the period's complaints, read through the received-at index, are unfolded into
one row per grouping (all, severity, category, team, agent) and grouped; the medians are
exact, taken with window functions (``row_number`` / ``count`` over each group), which
SQLite and PostgreSQL both have.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from tracker.extensions import db
from tracker.models import Complaint, ComplaintStatus, Severity, Team, User
from tracker.workflow import state_in

DIMENSIONS = ("total", "severity", "category", "team", "agent")


@dataclass(frozen=True)
class Stats:
    """Figures for one group of complaints (hours for the medians)."""

    count: int = 0
    first_response_median: float | None = None
    resolution_median: float | None = None
    in_time_share: float | None = None
    reopened_share: float | None = None
    satisfaction: float | None = None


def _hours_between(later: sa.ColumnElement, earlier: sa.ColumnElement) -> sa.ColumnElement:
    """Hours between two timestamps, in either database's arithmetic.

    Doubles, as Python's ``total_seconds() / 3600`` was (a median on a half-tenth of an
    hour then rounds the same way); SQLite's julianday() difference carries float noise
    (~1e-5 s), rounded away at the millisecond.
    """
    if db.engine.dialect.name == "postgresql":
        return sa.cast(sa.func.extract("epoch", later - earlier), sa.Double) / 3600.0
    seconds = (sa.func.julianday(later) - sa.func.julianday(earlier)) * 86400.0
    return sa.func.round(seconds, 3) / 3600.0


def _rows(stmt: sa.Select) -> sa.CTE:
    """The period's complaints as the figures need them, one row each."""
    agent = aliased(User)
    resolved = sa.and_(Complaint.resolved_at.is_not(None),
                       state_in(Complaint.status, ComplaintStatus.is_resolved))
    one = sa.literal(1)
    return (stmt.with_only_columns(
        Complaint.severity.label("severity"),
        sa.func.coalesce(sa.cast(Complaint.category_id, sa.String), "").label("category"),
        sa.func.coalesce(Team.name, "").label("team"),
        sa.func.coalesce(agent.name, "").label("agent"),
        sa.case((Complaint.acknowledged_at.is_not(None),
                 _hours_between(Complaint.acknowledged_at, Complaint.received_at))).label("fr"),
        sa.case((resolved, _hours_between(Complaint.resolved_at, Complaint.received_at)))
        .label("res"),
        sa.case((resolved, one), else_=0).label("resolved"),
        sa.case((sa.and_(resolved, Complaint.resolve_due_at.is_not(None),
                         Complaint.resolved_at <= Complaint.resolve_due_at), one),
                else_=0).label("in_time"),
        sa.case((Complaint.reopen_count != 0, one), else_=0).label("reopened"),
        Complaint.satisfaction.label("sat"), maintain_column_froms=True)
        .outerjoin_from(Complaint, Team, Team.id == Complaint.team_id)
        .outerjoin_from(Complaint, agent, agent.id == Complaint.assignee_id)
        .cte("period"))


def _median(long: sa.CTE, column: str) -> sa.Subquery:
    """The exact median of ``column`` per (dimension, group): the middle one or two values."""
    value = long.c[column]
    groups = [long.c.dim, long.c.grp]
    ranked = sa.select(
        long.c.dim, long.c.grp, value.label("v"),
        sa.func.row_number().over(partition_by=groups, order_by=value).label("rn"),
        # The same window (partition and order) as row_number, framed to the whole
        # partition: one sort serves both.
        sa.func.count().over(partition_by=groups, order_by=value, rows=(None, None))
        .label("n")).where(value.is_not(None)).subquery()
    middle = sa.and_(2 * ranked.c.rn >= ranked.c.n, 2 * ranked.c.rn <= ranked.c.n + 2)
    return (sa.select(ranked.c.dim, ranked.c.grp, sa.func.avg(ranked.c.v).label("m"))
            .where(middle).group_by(ranked.c.dim, ranked.c.grp).subquery())


def figures(stmt: sa.Select) -> sa.Select:
    """Per (dimension, group): count, medians, resolved, in time, reopened, satisfaction."""
    period = _rows(stmt)
    keys = {"total": sa.literal(""), "severity": period.c.severity,
            "category": period.c.category, "team": period.c.team, "agent": period.c.agent}
    measures = [period.c[name] for name in ("fr", "res", "resolved", "in_time", "reopened",
                                            "sat")]
    long = sa.union_all(*[
        sa.select(sa.literal(dim).label("dim"), keys[dim].label("grp"), *measures)
        for dim in DIMENSIONS]).cte("unfolded")
    groups = (long.c.dim, long.c.grp)
    first, resolution = _median(long, "fr"), _median(long, "res")
    return (sa.select(
        long.c.dim, long.c.grp, sa.func.count().label("n"), sa.func.sum(long.c.resolved),
        sa.func.sum(long.c.in_time), sa.func.sum(long.c.reopened), sa.func.avg(long.c.sat),
        sa.func.max(first.c.m), sa.func.max(resolution.c.m))
        .outerjoin_from(long, first, sa.and_(first.c.dim == long.c.dim,
                                             first.c.grp == long.c.grp))
        .outerjoin_from(long, resolution, sa.and_(resolution.c.dim == long.c.dim,
                                                  resolution.c.grp == long.c.grp))
        .group_by(*groups))


def _hours(hours: float | None) -> float | None:
    return None if hours is None else round(float(hours), 1)


def _stats(row: sa.Row) -> Stats:
    _dim, _grp, n, resolved, in_time, reopened, sat, first, resolution = row
    resolved, in_time, reopened = int(resolved or 0), int(in_time or 0), int(reopened or 0)
    return Stats(count=n, first_response_median=_hours(first),
                 resolution_median=_hours(resolution),
                 in_time_share=round(100 * in_time / resolved) if resolved else None,
                 reopened_share=round(100 * reopened / n) if n else None,
                 satisfaction=round(float(sat), 2) if sat is not None else None)


def _label(dim: str, grp: str, categories: dict[int, str]) -> str:
    if dim == "category":
        return categories.get(int(grp), grp) if grp.isdigit() else "—"
    if dim == "severity":
        return Severity(grp).label if grp in Severity._value2member_map_ else grp
    if dim == "agent":
        return grp or _("Unassigned")
    return grp or "—"


def grouped(stmt: sa.Select) -> tuple[Stats, dict[str, dict[str, Stats]]]:
    """The whole period's figures and, per dimension, each group's, largest group first."""
    from tracker.clients.complaints.queries import category_labels

    categories = category_labels()
    total = Stats()
    by: dict[str, list[tuple[str, Stats]]] = {dim: [] for dim in DIMENSIONS[1:]}
    for row in db.session.execute(figures(stmt)):
        if row[0] == "total":
            total = _stats(row)
        else:
            by[row[0]].append((_label(row[0], row[1], categories), _stats(row)))
    return total, {dim: dict(sorted(items, key=lambda kv: (-kv[1].count, kv[0])))
                   for dim, items in by.items()}
