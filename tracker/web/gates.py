"""Blueprints start closed: one ``before_request`` demands sign-in and the area."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from tracker.access import Area, may_enter
from tracker.extensions import login_manager


def close_blueprint(bp: Blueprint, area: Area) -> None:
    """Every route of ``bp`` needs a signed-in user who may read at least own ``area`` records."""

    @bp.before_request
    def _gate() -> object:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not may_enter(current_user, area):
            abort(403)
        return None
