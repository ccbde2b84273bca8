"""The frame: dashboard, search, language switch, health check, error pages, saved views."""

from flask import Blueprint

from tracker.web.saved_views import open_default_view

bp = Blueprint("main", __name__)

from tracker.web.main import (  # noqa: E402,F401
    attachments,
    comments,
    imports,
    notifications,
    pickers,
    routes,
    saved_views,
    search,
)

bp.before_app_request(open_default_view)
