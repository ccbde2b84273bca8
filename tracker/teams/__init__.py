"""Internal teams: who is in which team, and (in later work) what each team records."""

from flask import Blueprint

from tracker.access import Area
from tracker.gates import close_blueprint

bp = Blueprint("teams", __name__)
close_blueprint(bp, Area.TEAMS)

from tracker.teams import routes  # noqa: E402,F401
