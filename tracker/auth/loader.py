"""Flask-Login wiring: sessions are keyed by a token that a reset or deactivation changes."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask_babel import lazy_gettext as _l

from tracker.extensions import db, login_manager
from tracker.models import User


def load_user(token: str) -> User | None:
    """The active user whose current session token this is, else nobody."""
    user = db.session.scalar(sa.select(User).where(User.session_token == token))
    return user if user is not None and user.is_active else None


def init_login(app: Flask) -> None:
    """Bind Flask-Login with the token loader and a translated sign-in prompt."""
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
