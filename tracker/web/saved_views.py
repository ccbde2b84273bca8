"""Saved views of the lists (shared by every list page): which lists have them, the views
a reader may open with their default and their teams (one statement per request, kept on
the request), and the hook that opens a list with the reader's default view."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

import sqlalchemy as sa
from flask import Response, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.extensions import db
from tracker.models import DefaultView, SavedView, Team, User

# The lists a view can be saved on (endpoint -> what the list is called).
LISTS: dict[str, Any] = {
    "partners.index": _l("Partners"), "clients.index": _l("Clients"),
    "partners.agreements": _l("Agreements"), "clients.complaints": _l("Complaint queue"),
    "partners.rounds": _l("Negotiation rounds"), "clients.requirement_list": _l("Requirements"),
    "followups.overdue": _l("Overdue follow-ups"), "admin.users": _l("Users"),
    "teams.index": _l("Teams"), "teams.problems": _l("Problems"),
    "teams.requests": _l("Resource requests"), "teams.meetings": _l("Meetings"),
    "teams.retros": _l("Retrospectives"),
}
# Never kept in a view: where a page of the list began.
PAGING = {"after", "before", "page"}
NAME_MAX, QUERY_MAX = 80, 2000


def list_key(endpoint: str, args: Mapping[str, Any] | None = None) -> str:
    """Which list a view belongs to: its endpoint, and for a list inside a record (a
    team's problems) that record too: "teams.problems@team_id=3"."""
    if not args:
        return endpoint
    return endpoint + "@" + "&".join(f"{name}={args[name]}" for name in sorted(args))


def parse_key(key: str) -> tuple[str, dict[str, int]] | None:
    """``list_key`` read back (None for anything that is not a list with views)."""
    endpoint, _, rest = (key or "").partition("@")
    if endpoint not in LISTS:
        return None
    args: dict[str, int] = {}
    for part in rest.split("&") if rest else ():
        name, _, value = part.partition("=")
        if not name.isidentifier() or not value.isdigit() or len(value) > 12:
            return None
        args[name] = int(value)
    return endpoint, args


def list_url(key: str) -> str:
    """The address of the list a key names (ValueError when there is none)."""
    from flask import current_app
    from werkzeug.routing import BuildError

    parsed = parse_key(key)
    if parsed is None or not any(rule.arguments == set(parsed[1]) for rule in
                                 current_app.url_map.iter_rules(parsed[0])):
        raise ValueError(key)
    try:
        return url_for(parsed[0], **parsed[1])
    except BuildError as exc:
        raise ValueError(key) from exc


def list_name(key: str) -> Any:
    """What the list a key names is called."""
    return LISTS[key.partition("@")[0]]


def clean_query(query: str) -> str:
    """The query string without paging, as saved (at most QUERY_MAX characters)."""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=False) if k not in PAGING]
    return urlencode(pairs)[:QUERY_MAX]


@dataclass(frozen=True)
class ViewChoice:
    id: int
    name: str
    query: str
    team_id: int | None
    user_id: int


@dataclass(frozen=True)
class Views:
    """What a list's Views panel shows: the views, the default's id, the teams to share
    with."""

    views: list[ViewChoice]
    default_id: int | None
    teams: list[tuple[int, str]]

    @property
    def default(self) -> ViewChoice | None:
        return next((v for v in self.views if v.id == self.default_id), None)


def views_for(user: User, endpoint: str) -> Views:
    """The views of a list the user may open (their own, then their teams' shared ones, by
    name), their default, and their teams: one statement, kept for the request."""
    # Kept on the request itself (the default-view hook and the panel ask alike).
    kept = request.environ.get("tracker.views")
    if kept is not None and kept[0] == (user.id, endpoint):
        return kept[1]
    teams = sorted(user.team_ids) or [-1]
    default = (sa.select(DefaultView.view_id).where(DefaultView.user_id == user.id,
                                                    DefaultView.endpoint == endpoint)
               .scalar_subquery())
    rows = db.session.execute(sa.union_all(
        sa.select(sa.literal("view").label("kind"), SavedView.id, SavedView.name,
                  SavedView.query, SavedView.team_id, SavedView.user_id,
                  (SavedView.id == default).label("is_default"),
                  sa.literal("").label("sort_key")).where(
            SavedView.endpoint == endpoint,
            sa.or_(SavedView.user_id == user.id, SavedView.team_id.in_(teams))),
        sa.select(sa.literal("team"), Team.id, Team.name, sa.literal(""), sa.null(),
                  sa.null(), sa.false(), Team.sort_name).where(
            Team.id.in_(teams), Team.archived_at.is_(None)))).all()
    views = sorted((r for r in rows if r.kind == "view"),
                   key=lambda r: (r.user_id != user.id, r.name, r.id))
    found = Views(
        [ViewChoice(r.id, r.name, r.query, r.team_id, r.user_id) for r in views],
        next((r.id for r in views if r.is_default), None),
        [(r.id, r.name) for r in sorted((r for r in rows if r.kind == "team"),
                                        key=lambda r: (r.sort_key, r.id))])
    request.environ["tracker.views"] = ((user.id, endpoint), found)
    return found


def open_default_view() -> Response | None:
    """A list opened without filters opens with the reader's default view, if they chose
    one (a before-request hook; "Show with no filters" asks for ``?all=1``)."""
    if (request.method != "GET" or request.endpoint not in LISTS or request.args
            or not current_user.is_authenticated):
        return None
    default = views_for(current_user, list_key(request.endpoint, request.view_args)).default
    if default is None or not default.query:
        return None
    return redirect(f"{request.path}?{default.query}")
