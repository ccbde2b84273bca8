"""Follow-ups everywhere: creating them from any record, and the hub ("My day")."""

from flask import Blueprint

from tracker.followups.sources import add_followup, followups_for, open_followups_of_org

bp = Blueprint("followups", __name__)

from tracker.followups import routes  # noqa: E402,F401

__all__ = ["add_followup", "bp", "followups_for", "open_followups_of_org"]
