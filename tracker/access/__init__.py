"""Who sees what: the vocabulary, merged grants, scopes and the one policy module."""

from tracker.access.permissions import forget_permissions, permissions_of
from tracker.access.policy import (
    area_of,
    can,
    explain,
    get_visible_or_404,
    has,
    may_create_teams,
    may_enter,
    reader_clause,
    seen_through_source,
    visible,
    visible_followups_of,
    visible_own_followups,
    visible_owned_organizations,
)
from tracker.access.vocabulary import Action, Area, Capability, Level

__all__ = [
    "Action", "Area", "Capability", "Level", "area_of", "can", "explain", "forget_permissions",
    "get_visible_or_404", "has", "may_create_teams", "may_enter", "permissions_of",
    "reader_clause", "seen_through_source", "visible", "visible_followups_of",
    "visible_own_followups", "visible_owned_organizations",
]
