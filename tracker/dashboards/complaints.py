"""The complaints dashboard: the backlog by severity and age, the weekly flow, deadlines
kept, response and resolution times, and where complaints come from.

Every count is the count of the queue view its link opens: the same visible complaints
(``visible``), the same view conditions and day filters (``queries``), so a number on the
dashboard and the number on the list cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.access import visible
from tracker.clients.complaints import queries
from tracker.clients.complaints.metrics import _hours_between, _median
from tracker.dashboards.period import Bucket, Period, bucket_of, day_start, within
from tracker.extensions import db
from tracker.models import Complaint, Severity, Team, User
from tracker.urls import url_for

TOP = 10  # agents shown by name; the rest are in the queue


def queue_link(view: str, **filters: Any) -> str:
    """The queue with these filters (days as YYYY-MM-DD; None and "" left out)."""
    args = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in filters.items()
            if v not in (None, "")}
    return url_for("clients.complaints", view=view, **args)


@dataclass
class Figures:
    """What the page shows: headline numbers with their links, and chart specs."""

    numbers: list[dict[str, Any]] = field(default_factory=list)
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)


def _age_buckets(today: date) -> list[tuple[date | None, date, str]]:
    """Open complaints by the local day they came in: (first day or None, last day, label)."""
    return [(today, today, _("Today")),
            (today - timedelta(days=2), today - timedelta(days=1), _("1–2 days")),
            (today - timedelta(days=6), today - timedelta(days=3), _("3–6 days")),
            (today - timedelta(days=29), today - timedelta(days=7), _("7–29 days")),
            (None, today - timedelta(days=30), _("30 days or more"))]


def backlog(user: User, today: date, now: datetime) -> dict[str, Any]:
    """Open complaints now, by severity (series) and age (bars)."""
    ages = _age_buckets(today)
    age = sa.case(*[(Complaint.received_at >= day_start(first), i)
                    for i, (first, _last, _label) in enumerate(ages) if first is not None],
                  else_=len(ages) - 1)
    rows = db.session.execute(
        visible(user, Complaint).where(queries.view_clause("open", user, now, 0))
        .with_only_columns(Complaint.severity, age.label("age"), sa.func.count())
        .group_by(Complaint.severity, age)).all()
    counts = {(severity, int(i)): n for severity, i, n in rows}
    series = []
    for severity in Severity:
        series.append({
            "name": severity.label,
            "data": [counts.get((severity.value, i), 0) for i in range(len(ages))],
            "links": [queue_link("open", severity=severity.value, received_from=first,
                                 received_to=last) for first, last, _label in ages]})
    return {"type": "stacked", "categories": [label for _f, _l, label in ages],
            "series": series}


def _flow(user: User, buckets: list[Bucket], now: datetime
          ) -> tuple[list[int], list[int], list[int], list[int]]:
    """Per bucket: received, resolved (the closed view by resolution day), and of those
    resolved with a deadline, met and missed."""
    received = [0] * len(buckets)
    at = bucket_of(Complaint.received_at, buckets)
    for i, n in db.session.execute(
            visible(user, Complaint).where(within(Complaint.received_at, buckets))
            .with_only_columns(at.label("b"), sa.func.count()).group_by(at)):
        if i is not None:
            received[int(i)] = n
    resolved, met, missed = ([0] * len(buckets) for _ in range(3))
    at = bucket_of(Complaint.resolved_at, buckets)
    one = sa.literal(1)
    for i, n, in_time, late in db.session.execute(
            visible(user, Complaint).where(queries.view_clause("closed", user, now, 0),
                                           within(Complaint.resolved_at, buckets))
            .with_only_columns(
                at.label("b"), sa.func.count(),
                sa.func.sum(sa.case((queries.deadline_clause("met"), one), else_=0)),
                sa.func.sum(sa.case((queries.deadline_clause("missed"), one), else_=0)))
            .group_by(at)):
        if i is not None:
            resolved[int(i)], met[int(i)], missed[int(i)] = n, int(in_time or 0), int(late or 0)
    return received, resolved, met, missed


def _times(user: User, buckets: list[Bucket]) -> tuple[list[float | None], list[float | None]]:
    """Median hours to first response and to resolution, by the week complaints came in:
    one read of the period's complaints, one window sort for both measures."""
    resolved = queries.resolved_clause()
    rows = (visible(user, Complaint).where(within(Complaint.received_at, buckets))
            .with_only_columns(
                bucket_of(Complaint.received_at, buckets).label("grp"),
                sa.case((Complaint.acknowledged_at.is_not(None),
                         _hours_between(Complaint.acknowledged_at, Complaint.received_at)))
                .label("fr"),
                sa.case((resolved, _hours_between(Complaint.resolved_at,
                                                  Complaint.received_at))).label("res"))
            .cte("received"))
    long = sa.union_all(*[sa.select(sa.literal(name).label("dim"), rows.c.grp,
                                    rows.c[name].label("v")) for name in ("fr", "res")]
                        ).cte("measures")
    found = {"fr": [None] * len(buckets), "res": [None] * len(buckets)}
    for dim, grp, value in db.session.execute(sa.select(_median(long, "v"))):
        if grp is not None and value is not None:
            found[dim][int(grp)] = round(float(value), 1)
    return found["fr"], found["res"]


def _by(user: User, buckets: list[Bucket], column: sa.ColumnElement) -> list[tuple[int, int]]:
    """(id, complaints received in the period), largest first, for a grouping column."""
    return [(key, n) for key, n in db.session.execute(
        visible(user, Complaint).where(within(Complaint.received_at, buckets),
                                       column.is_not(None))
        .with_only_columns(column, sa.func.count()).group_by(column)
        .order_by(sa.func.count().desc(), column))]


def _names(model: Any, ids: list[int]) -> dict[int, str]:
    """People's names by id (a complaint's assignee is shown on the complaint too)."""
    if not ids:
        return {}
    return {row.id: row.name for row in db.session.execute(
        sa.select(model.id, model.name).where(model.id.in_(ids)))}


def team_names(user: User, ids: list[int]) -> dict[int, str]:
    """The names of the teams among ``ids`` the user may see; the others are "Another
    team" (a complaint of a client of theirs may be worked by a team they cannot see)."""
    seen = {row.id: row.name for row in db.session.execute(
        visible(user, Team, include_archived=True).where(Team.id.in_(ids or [-1]))
        .with_only_columns(Team.id, Team.name))}
    return {i: seen.get(i, _("Another team")) for i in ids}


def _hbar(title: str, pairs: list[tuple[int, int]], names: dict[int, str], link: Any
          ) -> dict[str, Any]:
    return {"type": "hbar", "categories": [names.get(key, "—") for key, _n in pairs],
            "series": [{"name": title, "data": [n for _k, n in pairs],
                        "links": [link(key) for key, _n in pairs]}]}


def complaint_figures(user: User, period: Period, today: date, now: datetime) -> Figures:
    """Everything the complaints dashboard shows to ``user`` for ``period`` (``today``:
    the reader's day, for the backlog's ages)."""
    buckets = period.buckets()
    days = {"received_from": period.start, "received_to": period.end}
    figures = Figures()
    labels = [b.label for b in buckets]
    received, resolved, met, missed = _flow(user, buckets, now)
    counts = queries.view_counts(user, queries.QueueFilters(), now)
    kept, late = sum(met), sum(missed)
    figures.numbers = [
        {"label": _("Open now"), "value": counts["open"], "link": queue_link("open"),
         "id": "open"},
        {"label": _("Overdue now"), "value": counts["overdue"],
         "link": queue_link("overdue"), "id": "overdue"},
        {"label": _("Received in the period"), "value": sum(received),
         "link": queue_link("all", **days), "id": "received"},
        {"label": _("Resolved in the period"), "value": sum(resolved),
         "link": queue_link("closed", resolved_from=period.start, resolved_to=period.end),
         "id": "resolved"},
        {"label": _("Resolved late"), "value": late,
         "link": queue_link("closed", resolved_from=period.start, resolved_to=period.end,
                            deadline="missed"), "id": "late"},
        {"label": _("Deadlines kept"), "value": round(100 * kept / (kept + late))
         if kept + late else None, "unit": "%", "id": "kept"},
    ]
    figures.charts["backlog"] = backlog(user, today, now)
    figures.charts["flow"] = {"type": "bar", "categories": labels, "series": [
        {"name": _("Complaints received"), "data": received,
         "links": [queue_link("all", received_from=b.first, received_to=b.last)
                   for b in buckets]},
        {"name": _("Complaints resolved"), "data": resolved,
         "links": [queue_link("closed", resolved_from=b.first, resolved_to=b.last)
                   for b in buckets]}]}
    figures.charts["deadlines"] = {"type": "stacked", "categories": labels, "series": [
        {"name": _("Resolved in time"), "data": met,
         "links": [queue_link("closed", resolved_from=b.first, resolved_to=b.last,
                              deadline="met") for b in buckets]},
        {"name": _("Resolved late"), "data": missed,
         "links": [queue_link("closed", resolved_from=b.first, resolved_to=b.last,
                              deadline="missed") for b in buckets]}]}
    first, resolution = _times(user, buckets)
    figures.charts["times"] = {"type": "line", "unit": "h", "categories": labels, "series": [
        {"name": _("First response, median"), "data": first,
         "links": [queue_link("all", received_from=b.first, received_to=b.last)
                   for b in buckets]},
        {"name": _("Resolution, median"), "data": resolution,
         "links": [queue_link("all", received_from=b.first, received_to=b.last)
                   for b in buckets]}]}
    categories = _by(user, buckets, Complaint.category_id)
    figures.charts["category"] = _hbar(
        _("Complaints received"), categories, queries.category_labels(),
        lambda key: queue_link("all", category=key, **days))
    teams = _by(user, buckets, Complaint.team_id)
    figures.charts["team"] = _hbar(
        _("Complaints received"), teams, team_names(user, [k for k, _n in teams]),
        lambda key: queue_link("all", team=key, **days))
    agents = _by(user, buckets, Complaint.assignee_id)[:TOP]
    figures.charts["agent"] = _hbar(
        _("Complaints received"), agents, _names(User, [k for k, _n in agents]),
        lambda key: queue_link("all", assignee=key, **days))
    return figures
