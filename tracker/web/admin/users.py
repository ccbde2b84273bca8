"""User administration: list, create, edit, deactivate, reset password, history."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from tracker.access import (
    Capability,
    forget_permissions,
    get_visible_or_404,
    has,
    may_manage_accounts,
    visible,
)
from tracker.admin.services import apply_user, create_user, reset_password, set_enabled
from tracker.extensions import db
from tracker.forms import bound_form
from tracker.memberships import encode, state_of
from tracker.models import Role, TeamMembership, User, user_roles
from tracker.records import StaleRecord, history, shown_changes
from tracker.text import page_number
from tracker.web.admin import bp
from tracker.web.admin.forms import UserForm
from tracker.web.admin.guards import require_manage

Reply = Response | str | tuple[str, int]


@bp.route("/")
@bp.route("/users")
def users() -> str:
    q = " ".join(request.args.get("q", "").split())[:100]
    role = request.args.get("role", "")
    state = request.args.get("state", "active")
    stmt = (visible(current_user, User, include_archived=True)
            .options(selectinload(User.roles),
                     selectinload(User.memberships).selectinload(TeamMembership.team))
            .order_by(User.name))
    if q:
        stmt = stmt.where(sa.or_(User.name.ilike(f"%{q}%"), User.email.ilike(f"%{q}%")))
    if role:
        stmt = stmt.where(User.id.in_(sa.select(user_roles.c.user_id).join(Role).where(
            Role.name == role)))
    if state == "active":
        stmt = stmt.where(User.is_enabled, User.archived_at.is_(None))
    elif state == "inactive":
        stmt = stmt.where(sa.not_(User.is_enabled))
    page = db.paginate(stmt, page=page_number(request.args.get("page")),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    roles = db.session.scalars(sa.select(Role).order_by(Role.label)).all()
    return render_template("admin/users.html", page=page, q=q, role=role, state=state,
                           roles=roles, may_manage=may_manage_accounts(current_user))


@bp.route("/users/new", methods=["GET", "POST"])
def user_create() -> Reply:
    require_manage()
    form = UserForm()
    if form.validate_on_submit():
        data = form.to_input()
        user, password = create_user(data.email, data.name, [])
        apply_user(user, data)
        db.session.commit()
        flash(_("%(name)s can now sign in with the temporary password %(password)s — "
                "they must change it at first sign-in.", name=user.name, password=password),
              "success")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=None), (
        422 if form.is_submitted() else 200)


@bp.route("/users/<int:user_id>")
def user_detail(user_id: int) -> str:
    user = get_visible_or_404(current_user, User, user_id)
    return render_template("admin/user_detail.html", user=user,
                           may_manage=may_manage_accounts(current_user))


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def user_edit(user_id: int) -> Reply:
    require_manage()
    user = get_visible_or_404(current_user, User, user_id)
    form = bound_form(UserForm, user, user=user)
    if request.method == "GET":
        form.roles.data = [r.id for r in user.roles]
        form.teams.data = [m.team_id for m in user.memberships]
        form.lead_of.data = [m.team_id for m in user.memberships if m.is_lead]
        form.teams_loaded.data = encode(state_of(
            (m.team_id, m.is_lead) for m in user.memberships))
        form.locale.data = user.locale or ""
        form.timezone.data = user.timezone or ""
    conflict = None
    if form.validate_on_submit():
        try:
            apply_user(user, form.to_input(), version=form.version.data)
        except StaleRecord as stale:
            conflict = stale
            form.version.data = user.version
        else:
            db.session.commit()
            forget_permissions(user)
            flash(_("%(name)s is saved.", name=user.name), "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    status = 409 if conflict else (422 if form.is_submitted() else 200)
    return render_template("admin/user_form.html", form=form, user=user, conflict=conflict,
                           conflict_changes=shown_changes(conflict.events) if conflict else {}
                           ), status


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
def user_deactivate(user_id: int) -> Response:
    require_manage()
    user = get_visible_or_404(current_user, User, user_id)
    if user.id == current_user.id:
        flash(_("You cannot deactivate yourself."), "error")
    else:
        set_enabled(user, False)
        db.session.commit()
        flash(_("%(name)s is deactivated and signed out everywhere.", name=user.name), "info")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
def user_reactivate(user_id: int) -> Response:
    require_manage()
    user = get_visible_or_404(current_user, User, user_id)
    set_enabled(user, True)
    db.session.commit()
    flash(_("%(name)s can sign in again.", name=user.name), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
def user_reset_password(user_id: int) -> Response:
    require_manage()
    user = get_visible_or_404(current_user, User, user_id)
    password = reset_password(user)
    db.session.commit()
    flash(_("Temporary password for %(name)s: %(password)s — they must change it at the "
            "next sign-in.", name=user.name, password=password), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/history")
def user_history(user_id: int) -> Reply:
    user = get_visible_or_404(current_user, User, user_id)
    if not has(current_user, Capability.READ_AUDIT):
        return render_template("errors/403.html"), 403
    events = history("users", user.id)
    return render_template("admin/history.html", subject=user, events=events,
                           changes=shown_changes(events),
                           back=url_for("admin.user_detail", user_id=user.id))
