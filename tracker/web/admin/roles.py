"""Roles and their grant matrix."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from tracker.access import Area, Capability, Level, may_manage_accounts
from tracker.accounts.services import save_role
from tracker.extensions import db
from tracker.models import Role
from tracker.records import archive
from tracker.web.admin import bp
from tracker.web.admin.forms import grant_form_class
from tracker.web.admin.guards import require_manage
from tracker.web.forms import bound_form
from tracker.web.kit import Reply, Submission, done, history_page


def _role_or_404(role_id: int) -> Role:
    role = db.session.get(Role, role_id)
    if role is None:
        abort(404)
    return role


def _matrix(role: Role) -> dict[str, tuple[Level, Level]]:
    levels = {g.area: (Level(g.read_level), Level(g.write_level)) for g in role.grants}
    return {a.value: levels.get(a.value, (Level.NONE, Level.NONE)) for a in Area}


@bp.route("/roles")
def roles() -> str:
    stmt = (sa.select(Role).options(selectinload(Role.grants), selectinload(Role.capabilities),
                                    selectinload(Role.users))
            .where(Role.archived_at.is_(None)).order_by(Role.label))
    roles = db.session.scalars(stmt).all()
    return render_template("admin/roles.html", roles=roles, matrices={
        r.id: _matrix(r) for r in roles}, areas=list(Area),
        may_manage=may_manage_accounts(current_user))


def _fill(form: object, role: Role) -> None:
    for area, (read, write) in _matrix(role).items():
        getattr(form, f"read_{area}").data = int(read)
        getattr(form, f"write_{area}").data = int(write)
    for cap in Capability:
        getattr(form, f"cap_{cap.value}").data = cap.value in role.capability_names


@bp.route("/roles/new", methods=["GET", "POST"])
@bp.route("/roles/<int:role_id>/edit", methods=["GET", "POST"], endpoint="role_edit")
def role_create(role_id: int | None = None) -> Reply:
    require_manage()
    role = _role_or_404(role_id) if role_id else None
    form = bound_form(grant_form_class(), role, role=role)
    if request.method == "GET" and role is not None:
        _fill(form, role)
    post = Submission(form)
    if post.saved(lambda: save_role(role, form.to_input(), version=form.version.data)):
        return done(_("The role %(name)s is saved.", name=post.value.label),
                    url_for("admin.roles"))
    return render_template("admin/role_form.html", form=form, role=role, areas=list(Area),
                           capabilities=list(Capability), conflict=post.conflict), post.status


@bp.route("/roles/<int:role_id>/archive", methods=["POST"])
def role_archive(role_id: int) -> Response:
    require_manage()
    role = _role_or_404(role_id)
    if role.is_builtin:
        flash(_("Built-in roles cannot be archived; change their grants instead."), "error")
        return redirect(url_for("admin.roles"))
    archive(role)
    return done(_("The role %(name)s is archived.", name=role.label), url_for("admin.roles"),
                "info")


@bp.route("/roles/<int:role_id>/history")
def role_history(role_id: int) -> Reply:
    return history_page(_role_or_404(role_id), back=url_for("admin.roles"))
