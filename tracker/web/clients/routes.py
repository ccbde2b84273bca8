"""The clients blueprint's URL map: the organization pages, with the client timeline."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.access import Area
from tracker.clients import queries
from tracker.models import OrgKind, RequirementStatus, Visibility
from tracker.orgs import queries as org_queries
from tracker.orgs.timeline import timeline_labels
from tracker.web.clients import bp
from tracker.web.orgs.views import OrgViews, Reply

LABELS = {
    "one": _l("Client"),
    "many": _l("Clients"),
    "new": _l("New client"),
}


def has_endpoint(endpoint: str) -> bool:
    """Is a route registered (pages link to complaint pages only once they exist)?"""
    return endpoint in current_app.view_functions


def _label(enum: type[RequirementStatus | Visibility], value: str) -> str:
    return enum(value).label if value in enum._value2member_map_ else value


@bp.context_processor
def _labels() -> dict[str, object]:
    """Labels of the client-only values, for the badges of this blueprint's pages."""
    return {"requirement_status_label": lambda value: _label(RequirementStatus, value),
            "visibility_label": lambda value: _label(Visibility, value)}


class ClientViews(OrgViews):
    """Organization pages, with the client's timeline as its page."""

    def detail(self, org_id: int) -> Reply:
        found = queries.client_header(current_user, org_id)
        if found is None:
            abort(404)
        org, facts = found
        kinds = queries.timeline_kinds(current_user)
        show = request.args.get("show", "")
        show = show if show in kinds else ""
        return render_template(
            "clients/detail.html", org=org, facts=facts, tags=facts["tags"],
            timeline=queries.timeline(current_user, org, show, request.args.get("older")),
            show=show, kinds=kinds, contacts=org_queries.contacts_of(current_user, org),
            complaint_pages=has_endpoint("clients.complaint_detail"),
            complaint_intake=has_endpoint("clients.complaint_create"), **self._ctx())


bp.context_processor(timeline_labels)
views = ClientViews(bp, OrgKind.CLIENT.value, Area.CLIENTS, LABELS)

