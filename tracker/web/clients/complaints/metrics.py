"""The complaint metrics page: a period and a severity in, figures grouped four ways out."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Response, render_template, request
from flask_babel import get_locale, get_timezone
from flask_login import current_user

from tracker.access import Action, Area, visible
from tracker.clients.complaints.metrics import grouped
from tracker.figures_cache import cached, reader_key
from tracker.models import Complaint, Severity
from tracker.web.clients import bp
from tracker.web.kit import require_can


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
    require_can(Action.READ, Area.COMPLAINTS)
    start, end = _period()
    zone = ZoneInfo(str(get_timezone()))
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    stmt = visible(current_user, Complaint).where(Complaint.received_at >= since,
                                                  Complaint.received_at < until)
    severity = request.args.get("severity", "")
    if severity in Severity._value2member_map_:
        stmt = stmt.where(Complaint.severity == severity)
    # the labels are in the reader's language: part of what is kept
    key = ("complaint-metrics", reader_key(current_user), str(get_locale()), since, until,
           severity)
    (total, by), computed_at = cached(key, lambda: grouped(stmt))
    return render_template(
        "clients/complaints/metrics.html", start=start, end=end, total=total,
        computed_at=computed_at,
        severity=severity if severity in Severity._value2member_map_ else "",
        by_severity=by["severity"], by_category=by["category"], by_team=by["team"],
        by_agent=by["agent"])
