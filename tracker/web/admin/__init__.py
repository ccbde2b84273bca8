"""Administration: user accounts and roles with their grant matrix."""

from flask import Blueprint

from tracker.access import Area
from tracker.web.gates import close_blueprint

bp = Blueprint("admin", __name__)
close_blueprint(bp, Area.ADMIN)

from tracker.web.admin import categories, jobs, roles, sla, users  # noqa: E402,F401
