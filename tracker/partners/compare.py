"""Side-by-side comparison of two versions of an agreement's terms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from tracker.models import AgreementVersion

# Every term of a version, in the order a reader expects them.
FIELDS: tuple[tuple[str, Any], ...] = (
    ("proposed_by", _l("Proposed by")),
    ("scope", _l("Scope and content")),
    ("cooperation", _l("How the parties cooperate")),
    ("fee_amount", _l("Fees")),
    ("currency", _l("Currency")),
    ("payment_terms", _l("Payment terms")),
    ("start_on", _l("Start")),
    ("end_on", _l("End")),
    ("notice_on", _l("Notice / renewal date")),
    ("auto_renew", _l("Renews automatically")),
    ("notes", _l("Notes on this version")),
)


@dataclass(frozen=True)
class Row:
    """One term in both versions, and whether it changed."""

    name: str
    label: str
    left: Any
    right: Any
    changed: bool


def shown(version: AgreementVersion, name: str) -> Any:
    """A term as a reader sees it (the proposer by label)."""
    value = getattr(version, name)
    return version.proposed_by_label if name == "proposed_by" else value


def compare(left: AgreementVersion, right: AgreementVersion,
            hidden: frozenset[str]) -> list[Row]:
    """Every visible term with both values; ``changed`` marks exactly the differing ones."""
    return [Row(name, str(label), shown(left, name), shown(right, name),
                getattr(left, name) != getattr(right, name))
            for name, label in FIELDS if name not in hidden]
