"""Complaint metrics for a period: response and resolution times, deadlines met, satisfaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median
from zoneinfo import ZoneInfo

from flask import Response, render_template, request
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from tracker.access import Action, Area, can, visible
from tracker.clients import bp
from tracker.extensions import db
from tracker.models import Complaint, ComplaintStatus, Severity


@dataclass
class Stats:
    """Figures for one group of complaints."""

    count: int = 0
    first_response: list[float] = field(default_factory=list)  # hours
    resolution: list[float] = field(default_factory=list)  # hours
    in_time: int = 0
    resolved: int = 0
    reopened: int = 0
    ratings: list[int] = field(default_factory=list)

    def add(self, c: Complaint) -> None:
        self.count += 1
        if c.acknowledged_at:
            self.first_response.append((c.acknowledged_at - c.received_at).total_seconds() / 3600)
        if c.resolved_at and c.status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED):
            self.resolved += 1
            self.resolution.append((c.resolved_at - c.received_at).total_seconds() / 3600)
            if c.resolve_due_at and c.resolved_at <= c.resolve_due_at:
                self.in_time += 1
        if c.reopen_count:
            self.reopened += 1
        if c.satisfaction:
            self.ratings.append(c.satisfaction)

    @staticmethod
    def _mid(values: list[float]) -> float | None:
        return round(median(values), 1) if values else None

    @property
    def first_response_median(self) -> float | None:
        return self._mid(self.first_response)

    @property
    def resolution_median(self) -> float | None:
        return self._mid(self.resolution)

    @property
    def in_time_share(self) -> float | None:
        return round(100 * self.in_time / self.resolved) if self.resolved else None

    @property
    def reopened_share(self) -> float | None:
        return round(100 * self.reopened / self.count) if self.count else None

    @property
    def satisfaction(self) -> float | None:
        return round(sum(self.ratings) / len(self.ratings), 2) if self.ratings else None


def group(rows: Iterable[Complaint], key: Callable[[Complaint], str]) -> dict[str, Stats]:
    """Stats per group label, largest group first."""
    groups: dict[str, Stats] = defaultdict(Stats)
    for row in rows:
        groups[key(row)].add(row)
    return dict(sorted(groups.items(), key=lambda kv: -kv[1].count))


def _period() -> tuple[date, date]:
    today = date.today()
    try:
        start = date.fromisoformat(request.args.get("from", ""))
    except ValueError:
        start = today - timedelta(days=30)
    try:
        end = date.fromisoformat(request.args.get("to", ""))
    except ValueError:
        end = today
    return (start, end) if start <= end else (end, start)


@bp.route("/complaints/metrics")
def complaint_metrics() -> Response | str:
    if not can(current_user, Action.READ, Area.COMPLAINTS):
        from flask import abort

        abort(403)
    start, end = _period()
    zone = ZoneInfo(str(get_timezone()))
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    stmt = (visible(current_user, Complaint)
            .where(Complaint.received_at >= since, Complaint.received_at < until)
            .options(selectinload(Complaint.assignee), selectinload(Complaint.team)))
    severity = request.args.get("severity", "")
    if severity in Severity._value2member_map_:
        stmt = stmt.where(Complaint.severity == severity)
    rows = list(db.session.scalars(stmt))
    total = Stats()
    for row in rows:
        total.add(row)
    nobody = _("Unassigned")
    return render_template(
        "clients/complaints/metrics.html", start=start, end=end, total=total,
        severity=severity if severity in Severity._value2member_map_ else "",
        by_severity=group(rows, lambda c: c.severity_label),
        by_category=group(rows, lambda c: c.category or "—"),
        by_team=group(rows, lambda c: c.team.name if c.team else "—"),
        by_agent=group(rows, lambda c: c.assignee.name if c.assignee else nobody))
