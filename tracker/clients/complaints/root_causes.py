"""The root causes a resolved complaint names: the codes stored and their labels (the
resolve form offers them; the history shows them)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ROOT_CAUSES = {
    "product": _l("Product defect"), "process": _l("Process or policy"),
    "communication": _l("Communication"), "delivery": _l("Delivery or logistics"),
    "billing": _l("Billing"), "third_party": _l("Third party"),
    "customer": _l("Customer side"), "other": _l("Other"),
}
