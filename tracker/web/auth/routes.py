"""Sign-in and account routes."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker.auth.loader import remember_access
from tracker.extensions import db, limiter
from tracker.models import User, utcnow
from tracker.records import ensure_current
from tracker.urls import safe_next
from tracker.web.auth import bp
from tracker.web.auth.forms import ChangePasswordForm, SettingsForm
from tracker.web.forms import bound_form
from tracker.web.kit import Reply, Submission, done, status_of
from tracker.web.shared_forms import LoginForm


def _account_key() -> str:
    return "login-account:" + (request.form.get("email") or "").strip().lower()[:254]


def _failed(response: Response) -> bool:
    return response.status_code == 401


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"],
               deduct_when=_failed, scope="login-address")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"],
               key_func=_account_key, deduct_when=_failed, scope="login-account")
def login() -> Reply:
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email))
        if user is None or not user.check_password(form.password.data):
            form.password.errors.append(_("Wrong email or password."))
            return render_template("auth/login.html", form=form), 401
        if not user.is_active:
            form.email.errors.append(_("This account is deactivated. Ask an administrator."))
            return render_template("auth/login.html", form=form), 401
        login_user(user, remember=form.remember.data)
        user.last_login_at = utcnow()
        db.session.commit()
        remember_access(user)
        return redirect(safe_next(request.args.get("next")) or url_for("main.dashboard"))
    status = status_of(form)
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> Reply:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("That is not your current password."))
        elif form.new_password.data == form.current_password.data:
            form.new_password.errors.append(_("Choose a password you have not used here."))
        else:
            user = current_user._get_current_object()  # the proxy itself must not be stored
            user.set_password(form.new_password.data, current_app.config["PASSWORD_HASH_METHOD"])
            user.must_change_password = False
            db.session.commit()
            login_user(user)  # the token changed: keep this session, end the others
            flash(_("Your password is changed."), "success")
            return redirect(url_for("main.dashboard"))
    status = status_of(form)
    return render_template("auth/password.html", form=form), status


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> Reply:
    user = current_user._get_current_object()
    form = bound_form(SettingsForm, user)

    def save() -> None:
        # An administrator may have changed this account meanwhile (its name, say): a form
        # loaded before that is refused rather than written over it.
        ensure_current(user, form.version.data)
        user.name = form.name.data.strip()
        user.locale = form.locale.data or None
        user.timezone = form.timezone.data or None
        user.digest_hour = form.digest_hour.data
        user.email_digest = bool(form.email_digest.data)

    post = Submission(form)
    if post.saved(save):
        return done(_("Your settings are saved."), url_for("auth.settings"))
    if not form.is_submitted():
        form.locale.data = user.locale or ""
        form.timezone.data = user.timezone or ""
    return render_template("auth/settings.html", form=form, conflict=post.conflict
                           ), post.status
