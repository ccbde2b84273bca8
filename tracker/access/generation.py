"""Which changes move the access counter (``tracker.generations``).

Every change to a role, its grants or capabilities, a user's roles or team memberships, or
a user being enabled, disabled, archived or signed out everywhere. The sign-in loader keeps
each signed-in user's merged access by (user, session token, access counter) and reads
only the counters with the user's row; so the change reaches every worker on its next
request, and an unchanged access costs no reading.

A database without the counters' row (a test that emptied every table, say) keeps
nothing: every request reads the access in full.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tracker.models import Grant, Role, RoleCapability, TeamMembership, User

_ALWAYS = (Role, Grant, RoleCapability, TeamMembership)
# What of a user's own row decides their access (their name, language … do not).
_USER_FIELDS = ("roles", "memberships", "is_enabled", "archived_at", "session_token")


def changes_access(obj: Any, changed: bool) -> bool:
    """Whether this new or deleted (``changed`` False) or changed object moves the access
    counter."""
    if isinstance(obj, _ALWAYS):
        return True
    if isinstance(obj, User):
        if not changed:
            return True  # a new or deleted user
        state = sa.inspect(obj)
        return any(state.attrs[name].history.has_changes() for name in _USER_FIELDS)
    return False
