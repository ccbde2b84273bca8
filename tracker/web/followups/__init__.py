"""Follow-ups everywhere: creating them from any record, and the hub ("My day")."""

from flask import Blueprint

bp = Blueprint("followups", __name__)

from tracker.web.followups import routes  # noqa: E402,F401
from tracker.web.followups.markup import due_tag, source_line, status_button  # noqa: E402

for _helper in (due_tag, source_line, status_button):
    bp.add_app_template_global(_helper)

