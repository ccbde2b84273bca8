"""Saved views of the lists: save the filters, sort and columns under a name, for yourself
or shared with a team; pick one as the list's default. The URL still bookmarks: a view is
the list's query string, and opening it opens that address."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.extensions import db
from tracker.models import DefaultView, SavedView, Team
from tracker.web.main import bp
from tracker.web.saved_views import NAME_MAX, clean_query, list_name, list_url


def _view_or_404(view_id: int, own: bool = False) -> SavedView:
    view = db.session.get(SavedView, view_id)
    if view is None or not (view.user_id == current_user.id or (
            not own and view.team_id is not None and view.team_id in current_user.team_ids)):
        abort(404)
    return view


def _base(key: str) -> str:
    """The list's address, or 404 for a key that names none."""
    try:
        return list_url(key)
    except ValueError:
        abort(404)


def _list_url(view: SavedView) -> str:
    base = _base(view.endpoint)
    return f"{base}?{view.query}" if view.query else f"{base}?view=all" if (
        view.endpoint == "clients.complaints") else base


def _set_default(endpoint: str, view_id: int | None) -> None:
    db.session.execute(sa.delete(DefaultView).where(DefaultView.user_id == current_user.id,
                                                    DefaultView.endpoint == endpoint))
    if view_id is not None:
        db.session.add(DefaultView(user_id=current_user.id, endpoint=endpoint,
                                   view_id=view_id))


@bp.route("/views", methods=["POST"])
@login_required
def view_save() -> Response:
    endpoint = request.form.get("endpoint", "")  # the list's key (saved_views.list_key)
    base = _base(endpoint)
    name = " ".join(request.form.get("name", "").split())[:NAME_MAX]
    query = clean_query(request.form.get("query", ""))
    back = f"{base}?{query}" if query else base
    if not name:
        flash(_("Give the view a name to save it."), "error")
        return redirect(back)
    team_id = request.form.get("team", "")
    team = int(team_id) if team_id.isdigit() and int(team_id) in current_user.team_ids else None
    view = SavedView(user_id=current_user.id, team_id=team, endpoint=endpoint, name=name,
                     query=query)
    db.session.add(view)
    db.session.flush()
    if request.form.get("default"):
        _set_default(endpoint, view.id)
    db.session.commit()
    shared = db.session.get(Team, team) if team else None
    flash(_("The view %(name)s is saved, shared with %(team)s.", name=name, team=shared.name)
          if shared else _("The view %(name)s is saved.", name=name), "success")
    return redirect(back)


@bp.route("/views/<int:view_id>/default", methods=["POST"])
@login_required
def view_default(view_id: int) -> Response:
    view = _view_or_404(view_id)
    _set_default(view.endpoint, view.id)
    db.session.commit()
    flash(_("%(list)s now opens with the view %(name)s.", list=list_name(view.endpoint),
            name=view.name), "success")
    return redirect(_list_url(view))


@bp.route("/views/default/clear", methods=["POST"])
@login_required
def view_default_clear() -> Response:
    endpoint = request.form.get("endpoint", "")
    base = _base(endpoint)
    _set_default(endpoint, None)
    db.session.commit()
    flash(_("%(list)s opens without a saved view again.", list=list_name(endpoint)), "success")
    return redirect(base)


@bp.route("/views/<int:view_id>/delete", methods=["POST"])
@login_required
def view_delete(view_id: int) -> Response:
    view = _view_or_404(view_id, own=True)  # a shared view is removed by whoever saved it
    back, name = _base(view.endpoint), view.name
    db.session.delete(view)
    db.session.commit()
    flash(_("The view %(name)s is deleted.", name=name), "info")
    return redirect(back)
