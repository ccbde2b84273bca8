"""The teams dashboard page."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale, get_timezone
from flask_login import current_user

from tracker.dashboards.period import Period, local_today
from tracker.dashboards.teams import team_figures
from tracker.figures_cache import cached, reader_key
from tracker.models import utcnow
from tracker.web.teams import bp


@bp.route("/dashboard")
def dashboard() -> str:
    today = local_today(utcnow())
    period = Period.from_args(request.args, today)  # kept for the other dashboards' tabs
    key = ("team-dashboard", reader_key(current_user), tuple(sorted(current_user.team_ids)),
           str(get_locale()), str(get_timezone()), today)
    figures, computed_at = cached(key, lambda: team_figures(current_user, today))
    return render_template("teams/dashboard.html", period=period, figures=figures,
                           computed_at=computed_at, today=today)
