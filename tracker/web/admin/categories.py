"""Complaint categories: the list administrators keep, in English and Chinese."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import may_manage_accounts, visible
from tracker.clients.complaints.categories import (
    CategoryInput,
    DuplicateLabel,
    merge_category,
    ordered,
    save_category,
)
from tracker.extensions import db
from tracker.models import Complaint, ComplaintCategory
from tracker.text import whole_number
from tracker.web.admin import bp
from tracker.web.admin.forms import CategoryForm
from tracker.web.admin.guards import require_manage
from tracker.web.forms import bound_form
from tracker.web.kit import Reply, Submission, done, record_pages


def _category_or_404(category_id: int) -> ComplaintCategory:
    category = db.session.get(ComplaintCategory, category_id)
    if category is None:
        abort(404)
    return category


@bp.route("/categories")
def categories() -> str:
    # How many complaints each holds that the reader may see (archived ones too).
    used = {key: n for key, n in db.session.execute(
        visible(current_user, Complaint, include_archived=True)
        .where(Complaint.category_id.is_not(None))
        .with_only_columns(Complaint.category_id, sa.func.count())
        .group_by(Complaint.category_id))}
    return render_template("admin/categories.html", categories=ordered(include_archived=True),
                           used=used, may_manage=may_manage_accounts(current_user))


@bp.route("/categories/new", methods=["GET", "POST"])
@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"],
          endpoint="category_edit")
def category_create(category_id: int | None = None) -> Reply:
    require_manage()
    category = _category_or_404(category_id) if category_id else None
    form = bound_form(CategoryForm, category)
    post = Submission(form)

    def save() -> ComplaintCategory:
        return save_category(category, CategoryInput(
            name=form.name.data, name_zh=form.name_zh.data, position=form.position.data or 0),
            version=form.version.data)

    try:
        if post.saved(save):
            return done(_("The category %(name)s is saved.", name=post.value.label),
                        url_for("admin.categories"))
    except DuplicateLabel as clash:
        field = form.name_zh if clash.field == "name_zh" else form.name
        field.errors = [*field.errors, _("Another category already has this name.")]
    others = [c for c in ordered() if category is None or c.id != category.id]
    return render_template("admin/category_form.html", form=form, category=category,
                           conflict=post.conflict, others=others), post.status


@bp.route("/categories/<int:category_id>/merge", methods=["POST"])
def category_merge(category_id: int) -> Response:
    """Move every complaint of this category to another and archive this one (a word the
    migration kept that means what a default says, for instance)."""
    require_manage()
    source = _category_or_404(category_id)
    target = db.session.get(ComplaintCategory, whole_number(request.form.get("into")) or -1)
    if target is None or target.id == source.id or target.archived_at is not None:
        flash(_("Choose the category to merge it into."), "error")
        return redirect(url_for("admin.category_edit", category_id=source.id))
    merge_category(source, target, current_user.id)
    return done(_("The complaints of %(source)s are moving to %(target)s; %(source)s is "
                  "archived.", source=source.label, target=target.label),
                url_for("admin.categories"))


record_pages(
    bp, "category", "/categories/<int:category_id>", _category_or_404,
    detail="admin.category_edit",
    archived=lambda c: _("The category %(name)s is archived: no longer offered for new "
                         "complaints.", name=c.label),
    restored=lambda c: _("The category %(name)s is offered again.", name=c.label),
    after_archive=lambda c: url_for("admin.categories"),
    after_restore=lambda c: url_for("admin.categories"))
