"""The weekly report page (周报): a team's or the department's week, printable and as a
workbook."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import Response, abort, render_template, request
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from tracker.dashboards.teams import dashboard_teams
from tracker.dashboards.weekly import report_rows, week_of, weekly_report
from tracker.models import utcnow
from tracker.text import day_of, whole_number
from tracker.web.exports import Column, chosen_format, export_response
from tracker.web.teams import bp


def _monday(today: date) -> date:
    """The week asked for, else the last whole week."""
    asked = day_of(request.args.get("week"))
    return week_of(asked) if asked else week_of(today) - timedelta(days=7)


@bp.route("/weekly")
def weekly() -> Response | str:
    zone = ZoneInfo(str(get_timezone()))
    now = utcnow()
    today = now.astimezone(zone).date()
    monday = _monday(today)
    teams = dashboard_teams(current_user)
    team_id = whole_number(request.args.get("team"))
    team = None
    if team_id is not None:
        team = next((t for t in teams if t.id == team_id), None)
        if team is None:
            abort(404)  # not one of the reader's teams: as if it did not exist
    report = weekly_report(current_user, team, monday, zone, now)
    if chosen_format() == "xlsx" or request.args.get("format") == "csv":
        title = team.name if team else _("Department")
        columns = [Column(_("Section"), lambda r: r[0], 12), Column(_("Measure"),
                                                                    lambda r: r[1], 36),
                   Column(_("Value"), lambda r: r[2], 10)]
        return export_response(f"weekly-{monday.isoformat()}", f"{title} {monday}", columns,
                               report_rows(report))
    return render_template("teams/weekly.html", report=report, teams=teams, team=team,
                           previous=monday - timedelta(days=7),
                           following=monday + timedelta(days=7) if monday + timedelta(
                               days=7) <= today else None)
