"""Clients: organizations we serve, their timeline of notes and requirements, complaints."""

from flask import Blueprint

from tracker.access import Area
from tracker.gates import close_blueprint

bp = Blueprint("clients", __name__)
close_blueprint(bp, Area.CLIENTS)

from tracker.web.clients import complaints, metrics, notes, requirements, routes  # noqa: E402,F401
