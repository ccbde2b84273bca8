"""Internal teams: members, and what each team records (meetings, reports, goals …)."""

from flask import Blueprint

from tracker.access import Area
from tracker.web.gates import close_blueprint

bp = Blueprint("teams", __name__)
close_blueprint(bp, Area.TEAMS)

from tracker.web.teams import dashboard, routes, weekly  # noqa: E402,F401
from tracker.web.teams.feed import routes as feed_routes  # noqa: E402,F401
from tracker.web.teams.goals import routes as goal_routes  # noqa: E402,F401
from tracker.web.teams.meetings import routes as meeting_routes  # noqa: E402,F401
from tracker.web.teams.reports import routes as report_routes  # noqa: E402,F401
