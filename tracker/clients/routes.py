"""The clients blueprint's URL map."""

from flask_babel import lazy_gettext as _l

from tracker.access import Area
from tracker.clients import bp
from tracker.models import OrgKind
from tracker.orgs.views import OrgViews

LABELS = {
    "one": _l("Client"),
    "many": _l("Clients"),
    "new": _l("New client"),
}

views = OrgViews(bp, OrgKind.CLIENT.value, Area.CLIENTS, LABELS)
