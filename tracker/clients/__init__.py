"""Clients: organizations we serve and their contacts."""

from flask import Blueprint

from tracker.access import Area
from tracker.gates import close_blueprint

bp = Blueprint("clients", __name__)
close_blueprint(bp, Area.CLIENTS)

from tracker.clients import routes  # noqa: E402,F401
