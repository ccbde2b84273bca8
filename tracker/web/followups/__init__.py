"""Follow-ups everywhere: creating them from any record, and the hub ("My day")."""

from flask import Blueprint

bp = Blueprint("followups", __name__)

from tracker.web.followups import routes  # noqa: E402,F401

