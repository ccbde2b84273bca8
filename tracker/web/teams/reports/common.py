"""What the report, problem and request views share: the team, and the reports gate."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask_login import current_user

from tracker.access import may_read_reports
from tracker.models import Team
from tracker.paging import KeysetPage, SortKey
from tracker.web.kit import load, require
from tracker.web.teams.listing import keyset_listing


def require_reports() -> None:
    """Progress reports need their own area; a user without it gets 403 on every page."""
    require(may_read_reports(current_user))


def team_or_404(team_id: int) -> Team:
    return load(Team, team_id)


def paginate(stmt: sa.Select, keys: Sequence[SortKey]) -> KeysetPage:
    """A keyset page of a team list (``?after=``/``?before=`` cursors), capped total included."""
    return keyset_listing(stmt, keys)
