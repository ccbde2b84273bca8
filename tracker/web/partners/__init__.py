"""Partners: organizations we cooperate with, the negotiation log and the agreements."""

from flask import Blueprint

from tracker.access import Area
from tracker.web.gates import close_blueprint

bp = Blueprint("partners", __name__)
close_blueprint(bp, Area.PARTNERS)

from tracker.web.partners import agreements, dashboard, rounds, routes  # noqa: E402,F401
