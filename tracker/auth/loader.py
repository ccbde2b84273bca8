"""Flask-Login wiring: sessions are keyed by a token that a reset or deactivation changes."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from tracker.extensions import db, login_manager
from tracker.models import Role, User

# Every request needs the user, their teams and their roles' grants and capabilities:
# one statement for all of them (a handful of joined rows) instead of four. The access
# layer reads the loaded collections (tracker.access.permissions).
ACCESS_LOADS = (
    joinedload(User.memberships),
    joinedload(User.roles).joinedload(Role.grants),
    joinedload(User.roles).joinedload(Role.capabilities),
)


def load_user(token: str) -> User | None:
    """The active user whose current session token this is, else nobody."""
    user = db.session.scalars(sa.select(User).where(User.session_token == token)
                              .options(*ACCESS_LOADS)).unique().first()
    return user if user is not None and user.is_active else None


def init_login(app: Flask) -> None:
    """Bind Flask-Login with the token loader and a translated sign-in prompt."""
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
