"""Clients: organizations we serve, their timeline of notes and requirements, complaints."""

from flask import Blueprint

from tracker.access import Area
from tracker.web.gates import close_blueprint

bp = Blueprint("clients", __name__)
close_blueprint(bp, Area.CLIENTS)

from tracker.web.clients import dashboard, notes, requirements, routes  # noqa: E402,F401
from tracker.web.clients.complaints import dashboard as complaint_dashboard  # noqa: E402,F401
from tracker.web.clients.complaints import metrics as complaint_metrics  # noqa: E402,F401
from tracker.web.clients.complaints import routes as complaint_routes  # noqa: E402,F401
