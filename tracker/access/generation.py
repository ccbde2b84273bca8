"""The access generation: one counter that moves whenever who may see what changes.

Raised by a flush hook in the same transaction as the change, for every change to a role,
its grants or capabilities, a user's roles or team memberships, or a user being enabled,
disabled or archived. The sign-in loader keeps each signed-in user's merged access by
(user, session token, generation) and reads only the counter with the user's row; so the
change reaches every worker on its next request, and an unchanged access costs no reading.

A database without the counter's row (a test that emptied every table, say) reads as -1:
nothing is kept and every request reads the access in full, as before.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from tracker.models import AccessGeneration, Grant, Role, RoleCapability, TeamMembership, User

_ALWAYS = (Role, Grant, RoleCapability, TeamMembership)
# What of a user's own row decides their access (their name, language … do not).
_USER_FIELDS = ("roles", "memberships", "is_enabled", "archived_at", "session_token")

CURRENT = sa.func.coalesce(
    sa.select(AccessGeneration.generation).where(AccessGeneration.id == 1).scalar_subquery(),
    -1)


def _changes_access(session: Session, obj: Any, changed: bool) -> bool:
    if isinstance(obj, _ALWAYS):
        return True
    if isinstance(obj, User):
        if not changed:
            return True  # a new or deleted user
        state = sa.inspect(obj)
        return any(state.attrs[name].history.has_changes() for name in _USER_FIELDS)
    return False


@event.listens_for(Session, "after_flush")
def _raise_generation(session: Session, flush_context: Any) -> None:
    touched = (any(_changes_access(session, o, False) for o in (*session.new, *session.deleted))
               or any(_changes_access(session, o, True) for o in session.dirty))
    if touched:
        session.connection().execute(
            sa.update(AccessGeneration).where(AccessGeneration.id == 1)
            .values(generation=AccessGeneration.generation + 1))


def ensure_generation(session: Session) -> None:
    """Create the counter's row if it is missing (a freshly emptied database)."""
    if session.get(AccessGeneration, 1) is None:
        session.add(AccessGeneration(id=1, generation=0))
