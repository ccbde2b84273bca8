"""Which dashboards the signed-in user may open, in the order the tabs show them."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import Area, may_enter


def dashboard_tabs() -> list[tuple[str, str]]:
    """(endpoint, label) of each dashboard the current user's areas open."""
    user = current_user
    tabs = []
    if may_enter(user, Area.COMPLAINTS) and may_enter(user, Area.CLIENTS):
        tabs.append(("clients.complaint_dashboard", _("Complaints")))
    if may_enter(user, Area.CLIENTS):
        tabs.append(("clients.dashboard", _("Clients")))
    if may_enter(user, Area.PARTNERS):
        tabs.append(("partners.dashboard", _("Partners")))
    if may_enter(user, Area.TEAMS):
        tabs.append(("teams.dashboard", _("Teams")))
    return tabs
