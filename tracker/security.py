"""Response headers for a strict Content-Security-Policy, and the forced password change."""

from __future__ import annotations

from flask import Flask, Response, current_app, redirect, request, url_for
from flask_login import current_user

OPEN_WHILE_PASSWORD_EXPIRED = {"auth.change_password", "auth.logout", "static",
                               "main.healthz", "main.set_language"}


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy",
                                current_app.config["CONTENT_SECURITY_POLICY"])
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _force_password_change() -> Response | None:
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in OPEN_WHILE_PASSWORD_EXPIRED):
        return redirect(url_for("auth.change_password"))
    return None


def init_security(app: Flask) -> None:
    """Register the header hook and the password-change gate."""
    app.after_request(_security_headers)
    app.before_request(_force_password_change)
