"""Friendly error pages in the user's language, and the race-condition conflict."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from tracker.extensions import db

PAGES = {403, 404, 405, 409, 429, 500}


def _page(code: int, message: str | None = None) -> tuple[str, int]:
    return render_template("errors/error.html", code=code, message=message), code


def _http_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    if code == 429 and request.endpoint == "auth.login":
        from tracker.web.shared_forms import LoginForm

        form = LoginForm()
        form.email.errors = [_("Too many failed sign-in attempts. Wait a few minutes and "
                               "try again, or ask an administrator to reset your password.")]
        return render_template("auth/login.html", form=form), 429
    return _page(code if code in PAGES else 500 if code >= 500 else code)


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    return _page(400, _("The form expired or was sent from elsewhere. Go back, reload the "
                        "page and send it again."))


def _stale(error: StaleDataError) -> tuple[str, int]:
    db.session.rollback()
    return _page(409, _("Someone else saved this record at the same moment. Reload it to see "
                        "their change, then make yours again."))


def _server_error(error: Exception) -> tuple[str, int]:
    db.session.rollback()
    return _page(500)


def init_errors(app: Flask) -> None:
    """Register every error handler."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(StaleDataError, _stale)
    app.register_error_handler(500, _server_error)
