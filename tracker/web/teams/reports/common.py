"""What the report, problem and request views share: lookups that answer 403 or 404."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask import Response, abort
from flask_login import current_user

from tracker.access import Action, can, get_visible_or_404, may_read_reports
from tracker.models import Team
from tracker.paging import KeysetPage, SortKey
from tracker.web.teams.listing import keyset_listing

Reply = Response | str | tuple[str, int]


def require(allowed: bool) -> None:
    if not allowed:
        abort(403)


def require_can(action: Action, record: object) -> None:
    require(can(current_user, action, record))


def require_reports() -> None:
    """Progress reports need their own area; a user without it gets 403 on every page."""
    require(may_read_reports(current_user))


def team_or_404(team_id: int) -> Team:
    return get_visible_or_404(current_user, Team, team_id)


def paginate(stmt: sa.Select, keys: Sequence[SortKey]) -> KeysetPage:
    """A keyset page of a team list (``?after=``/``?before=`` cursors), capped total included."""
    return keyset_listing(stmt, keys)


def status_of(form: object, conflict: object = None) -> int:
    """409 for a stale form, 422 for a refused one, 200 for a fresh page."""
    return 409 if conflict else (422 if form.is_submitted() else 200)
