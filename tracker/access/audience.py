"""Who may read one record: the people a comment may @mention and the picker may offer.

The answer is ``can(person, "read", record)`` for each person, the same check a page
makes, so nobody is offered (or told about) a record they could not open. Each person's
roles, grants, capabilities and teams are loaded with them (four more statements for any
number of people), so the check itself reads nothing more, confidential rounds aside
(their participants are read once, with the record).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.access.policy import can
from tracker.access.vocabulary import Action
from tracker.extensions import db
from tracker.models import Role, User

# What ``permissions_of`` and ``User.team_ids`` read, loaded with the people.
_ACCESS = (
    selectinload(User.memberships),
    selectinload(User.roles).selectinload(Role.grants),
    selectinload(User.roles).selectinload(Role.capabilities),
)


def readers_of(record: object, ids: Iterable[int] | None = None) -> list[User]:
    """The active people who may read ``record``, by name; only among ``ids`` when given
    (an empty ``ids`` asks nothing)."""
    stmt = sa.select(User).where(User.archived_at.is_(None), User.is_enabled.is_(True))
    if ids is not None:
        wanted = sorted({i for i in ids if isinstance(i, int)})
        if not wanted:
            return []
        stmt = stmt.where(User.id.in_(wanted))
    people = db.session.scalars(stmt.options(*_ACCESS).order_by(User.sort_name, User.id))
    return [person for person in people if can(person, Action.READ, record)]
