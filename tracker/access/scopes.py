"""How each access-controlled model maps onto areas, owners and teams.

A scope answers two questions about one model: which rows a level reaches (a SQL
clause, for lists) and which level one record needs (for a single lookup). Both come
from the same description, so a list and a detail page cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from tracker.access.vocabulary import Area, Level
from tracker.models import Contact, Organization, OrgKind, Team, User
from tracker.models.base import Base

KIND_AREAS = {OrgKind.PARTNER.value: Area.PARTNERS, OrgKind.CLIENT.value: Area.CLIENTS}


@dataclass(frozen=True)
class Scope:
    """Describes one model: its area, its "own" column and its "team" column."""

    area_of: Callable[[Any], Area]
    owner_col: Callable[[], ColumnElement] | None = None
    team_col: Callable[[], ColumnElement] | None = None
    owner_of: Callable[[Any], int | None] = lambda r: None
    team_of: Callable[[Any], int | None] = lambda r: None

    def clause(self, user: User, level: Level) -> ColumnElement[bool]:
        """Rows of this model that ``level`` reaches for ``user``."""
        if level >= Level.ALL:
            return sa.true()
        parts: list[ColumnElement[bool]] = []
        if level >= Level.OWN and self.owner_col is not None:
            parts.append(self.owner_col() == user.id)
        if level >= Level.TEAM and self.team_col is not None and user.team_ids:
            parts.append(self.team_col().in_(sorted(user.team_ids)))
        return sa.or_(*parts) if parts else sa.false()

    def needed(self, user: User, record: Any) -> Level:
        """The lowest level that reaches ``record`` for ``user``."""
        if user.id is not None and self.owner_of(record) == user.id:
            return Level.OWN
        team_id = self.team_of(record)
        if team_id is not None and team_id in user.team_ids:
            return Level.TEAM
        return Level.ALL


ORGANIZATION = Scope(
    area_of=lambda r: KIND_AREAS[r.kind],
    owner_col=lambda: Organization.owner_id,
    team_col=lambda: Organization.team_id,
    owner_of=lambda r: r.owner_id,
    team_of=lambda r: r.team_id,
)

TEAM = Scope(
    area_of=lambda r: Area.TEAMS,
    team_col=lambda: Team.id,
    team_of=lambda r: r.id,
)

USER = Scope(area_of=lambda r: Area.ADMIN)

SCOPES: dict[type[Base], Scope] = {Organization: ORGANIZATION, Team: TEAM, User: USER}

# Records that live inside another one are seen exactly when their parent is.
# model -> (parent model, relationship name, foreign-key column)
PARENTS: dict[type[Base], tuple[type[Base], str, Callable[[], ColumnElement]]] = {
    Contact: (Organization, "organization", lambda: Contact.organization_id),
}
