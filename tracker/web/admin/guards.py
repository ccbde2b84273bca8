"""Who may change accounts and roles: administration write access plus the capability."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from tracker.access import Action, Area, Capability, can, has


def may_manage() -> bool:
    """Administration write level and the Manage users capability, both."""
    return can(current_user, Action.CREATE, Area.ADMIN) and has(current_user,
                                                                Capability.MANAGE_USERS)


def require_manage() -> None:
    """403 unless the current user may manage accounts and roles."""
    if not may_manage():
        abort(403)
