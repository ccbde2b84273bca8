"""The frame: dashboard, search, language switch, health check, error pages."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from tracker.web.main import attachments, notifications, routes, search  # noqa: E402,F401
