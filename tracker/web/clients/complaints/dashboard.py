"""The complaints dashboard page: a date range in, headline numbers and charts out."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale, get_timezone
from flask_login import current_user

from tracker.access import Action, Area
from tracker.dashboards.complaints import complaint_figures
from tracker.dashboards.period import Period, local_today
from tracker.figures_cache import cached, reader_key
from tracker.models import utcnow
from tracker.web.clients import bp
from tracker.web.kit import require_can


@bp.route("/complaints/dashboard")
def complaint_dashboard() -> str:
    require_can(Action.READ, Area.COMPLAINTS)
    now = utcnow()
    today = local_today(now)
    period = Period.from_args(request.args, today)
    # Kept for a few minutes per reader's access, language, zone, day and range.
    key = ("complaint-dashboard", reader_key(current_user), str(get_locale()),
           str(get_timezone()), today, period)
    figures, computed_at = cached(key, lambda: complaint_figures(current_user, period, today,
                                                                 now))
    return render_template("clients/complaints/dashboard.html", period=period,
                           figures=figures, computed_at=computed_at)
