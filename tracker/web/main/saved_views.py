"""Saved views of the lists: save the filters, sort and columns under a name, for yourself
or shared with a team; pick one as the list's default. The URL still bookmarks: a view is
the list's query string, and opening it opens that address."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from tracker.extensions import db
from tracker.models import DefaultView, SavedView, Team, User
from tracker.web.main import bp

# The lists a view can be saved on (endpoint -> what the list is called).
LISTS: dict[str, Any] = {
    "partners.index": _l("Partners"), "clients.index": _l("Clients"),
    "partners.agreements": _l("Agreements"), "clients.complaints": _l("Complaint queue"),
    "partners.rounds": _l("Negotiation rounds"), "clients.requirement_list": _l("Requirements"),
    "followups.overdue": _l("Overdue follow-ups"),
}
# Never kept in a view: where a page of the list began.
PAGING = {"after", "before", "page"}
NAME_MAX, QUERY_MAX = 80, 2000


def clean_query(query: str) -> str:
    """The query string without paging, as saved (at most QUERY_MAX characters)."""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=False) if k not in PAGING]
    return urlencode(pairs)[:QUERY_MAX]


def views_for(user: User, endpoint: str) -> tuple[list[SavedView], int | None]:
    """The views of a list the user may open (their own, then their teams' shared ones, by
    name) and the id of their default."""
    teams = sorted(user.team_ids) or [-1]
    views = list(db.session.scalars(sa.select(SavedView).where(
        SavedView.endpoint == endpoint,
        sa.or_(SavedView.user_id == user.id, SavedView.team_id.in_(teams)))
        .order_by(SavedView.user_id != user.id, SavedView.name, SavedView.id)))
    default = db.session.scalar(sa.select(DefaultView.view_id).where(
        DefaultView.user_id == user.id, DefaultView.endpoint == endpoint))
    return views, default


def _view_or_404(view_id: int, own: bool = False) -> SavedView:
    view = db.session.get(SavedView, view_id)
    if view is None or not (view.user_id == current_user.id or (
            not own and view.team_id is not None and view.team_id in current_user.team_ids)):
        abort(404)
    return view


def _list_url(view: SavedView) -> str:
    base = url_for(view.endpoint)
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
    endpoint = request.form.get("endpoint", "")
    if endpoint not in LISTS:
        abort(404)
    name = " ".join(request.form.get("name", "").split())[:NAME_MAX]
    query = clean_query(request.form.get("query", ""))
    back = f"{url_for(endpoint)}?{query}" if query else url_for(endpoint)
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
    flash(_("%(list)s now opens with the view %(name)s.", list=LISTS[view.endpoint],
            name=view.name), "success")
    return redirect(_list_url(view))


@bp.route("/views/default/clear", methods=["POST"])
@login_required
def view_default_clear() -> Response:
    endpoint = request.form.get("endpoint", "")
    if endpoint not in LISTS:
        abort(404)
    _set_default(endpoint, None)
    db.session.commit()
    flash(_("%(list)s opens without a saved view again.", list=LISTS[endpoint]), "success")
    return redirect(url_for(endpoint))


@bp.route("/views/<int:view_id>/delete", methods=["POST"])
@login_required
def view_delete(view_id: int) -> Response:
    view = _view_or_404(view_id, own=True)  # a shared view is removed by whoever saved it
    endpoint, name = view.endpoint, view.name
    db.session.delete(view)
    db.session.commit()
    flash(_("The view %(name)s is deleted.", name=name), "info")
    return redirect(url_for(endpoint))


def open_default_view() -> Response | None:
    """A list opened without filters opens with the reader's default view, if they chose
    one (a before-request hook; the filters' Clear link shows the list unfiltered)."""
    if (request.method != "GET" or request.endpoint not in LISTS or request.args
            or not current_user.is_authenticated):
        return None
    found = db.session.scalar(sa.select(SavedView).join(
        DefaultView, DefaultView.view_id == SavedView.id).where(
        DefaultView.user_id == current_user.id, DefaultView.endpoint == request.endpoint))
    if found is None or not found.query:
        return None
    return redirect(f"{request.path}?{found.query}")
