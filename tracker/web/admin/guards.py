"""Refuse a change of accounts and roles to whoever may not make it (the rule itself is
``tracker.access.may_manage_accounts``)."""

from __future__ import annotations

from flask_login import current_user

from tracker.access import may_manage_accounts
from tracker.web.kit import require


def require_manage() -> None:
    """403 unless the current user may manage accounts and roles: administration write
    level *all* and the *manage users* capability (``may_manage_accounts``)."""
    require(may_manage_accounts(current_user))
