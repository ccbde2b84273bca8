"""User administration: list, create, edit, deactivate, reset password, history."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from tracker.access import forget_permissions, may_manage_accounts, visible
from tracker.accounts.services import apply_user, create_user, reset_password, set_enabled
from tracker.extensions import db
from tracker.memberships import encode, state_of
from tracker.models import Role, TeamMembership, User, user_roles
from tracker.paging import PAGE_SIZES, requested_page_size
from tracker.text import contains, page_number
from tracker.web.admin import bp
from tracker.web.admin.forms import UserForm
from tracker.web.admin.guards import require_manage
from tracker.web.forms import bound_form
from tracker.web.kit import Reply, Submission, done, load, record_pages


def _user(user_id: int) -> User:
    return load(User, user_id)


def _detail(user: User) -> str:
    return url_for("admin.user_detail", user_id=user.id)


@bp.route("/")
@bp.route("/users")
def users() -> str:
    q = " ".join(request.args.get("q", "").split())[:100]
    role = request.args.get("role", "")
    state = request.args.get("state", "active")
    stmt = (visible(current_user, User, include_archived=True)
            .options(selectinload(User.roles),
                     selectinload(User.memberships).selectinload(TeamMembership.team))
            .order_by(User.sort_name))
    if q:
        stmt = stmt.where(sa.or_(contains(User.name, q), contains(User.email, q)))
    if role:
        stmt = stmt.where(User.id.in_(sa.select(user_roles.c.user_id).join(Role).where(
            Role.name == role)))
    if state == "active":
        stmt = stmt.where(User.is_enabled, User.archived_at.is_(None))
    elif state == "inactive":
        stmt = stmt.where(sa.not_(User.is_enabled))
    page = db.paginate(stmt, page=page_number(request.args.get("page")),
                       per_page=requested_page_size(), error_out=False)
    roles = db.session.scalars(sa.select(Role).order_by(Role.label)).all()
    return render_template("admin/users.html", page=page, q=q, role=role, state=state,
                           roles=roles, may_manage=may_manage_accounts(current_user),
                           sizes=PAGE_SIZES)


@bp.route("/users/new", methods=["GET", "POST"])
def user_create() -> Reply:
    require_manage()
    form = UserForm()

    def create() -> tuple[User, str]:
        data = form.to_input()
        user, password = create_user(data.email, data.name, [])
        apply_user(user, data)
        return user, password

    post = Submission(form)
    if post.saved(create):
        user, password = post.value
        return done(_("%(name)s can now sign in with the temporary password %(password)s — "
                      "they must change it at first sign-in.", name=user.name,
                      password=password), _detail(user))
    return render_template("admin/user_form.html", form=form, user=None), post.status


@bp.route("/users/<int:user_id>")
def user_detail(user_id: int) -> str:
    user = _user(user_id)
    return render_template("admin/user_detail.html", user=user,
                           may_manage=may_manage_accounts(current_user))


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def user_edit(user_id: int) -> Reply:
    require_manage()
    user = _user(user_id)
    form = bound_form(UserForm, user, user=user)
    if request.method == "GET":
        form.roles.data = [r.id for r in user.roles]
        form.teams.data = [m.team_id for m in user.memberships]
        form.lead_of.data = [m.team_id for m in user.memberships if m.is_lead]
        form.teams_loaded.data = encode(state_of(
            (m.team_id, m.is_lead) for m in user.memberships))
        form.locale.data = user.locale or ""
        form.timezone.data = user.timezone or ""
    post = Submission(form)
    if post.saved(lambda: apply_user(user, form.to_input(), version=form.version.data)):
        answer = done(_("%(name)s is saved.", name=user.name), _detail(user))
        forget_permissions(user)  # after the commit: no request re-reads the old grants
        return answer
    return render_template("admin/user_form.html", form=form, user=user,
                           conflict=post.conflict), post.status


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
def user_deactivate(user_id: int) -> Response:
    require_manage()
    user = _user(user_id)
    if user.id == current_user.id:
        flash(_("You cannot deactivate yourself."), "error")
    else:
        set_enabled(user, False)
        return done(_("%(name)s is deactivated and signed out everywhere.", name=user.name),
                    _detail(user), "info")
    return redirect(_detail(user))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
def user_reactivate(user_id: int) -> Response:
    require_manage()
    user = _user(user_id)
    set_enabled(user, True)
    return done(_("%(name)s can sign in again.", name=user.name), _detail(user))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
def user_reset_password(user_id: int) -> Response:
    require_manage()
    user = _user(user_id)
    password = reset_password(user)
    return done(_("Temporary password for %(name)s: %(password)s — they must change it at the "
                  "next sign-in.", name=user.name, password=password), _detail(user))


record_pages(bp, "user", "/users/<int:user_id>", _user, detail="admin.user_detail",
             pages=("history",))
