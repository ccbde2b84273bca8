"""The partners blueprint's URL map."""

from flask_babel import lazy_gettext as _l

from tracker.access import Area
from tracker.models import OrgKind
from tracker.orgs.views import OrgViews
from tracker.partners import bp

LABELS = {
    "one": _l("Partner"),
    "many": _l("Partners"),
    "new": _l("New partner"),
}

views = OrgViews(bp, OrgKind.PARTNER.value, Area.PARTNERS, LABELS)
