"""Who may read one record: the people a comment may @mention, the owners a follow-up
may be given to and the pickers may offer.

The answer is ``can(person, "read", record)`` for each person, the same check a page
makes, so nobody is offered (or told about) a record they could not open. Everyone's
roles, grants, capabilities and teams are read once per change of access
(``tracker.generations``: the access and vocabulary counters) and kept; each call then
reads the active people's rows in one statement and checks them with what was kept, so
a record page with an owner field costs one statement more, not five. The check reads
nothing more, confidential rounds aside (their participants are read once, with the
record).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.access.permissions import from_objects
from tracker.access.policy import can
from tracker.access.vocabulary import Action
from tracker.extensions import db
from tracker.kept import Kept
from tracker.models import Role, User

# What ``permissions_of`` and ``User.team_ids`` read, loaded with the people.
_ACCESS = (
    selectinload(User.memberships),
    selectinload(User.roles).selectinload(Role.grants),
    selectinload(User.roles).selectinload(Role.capabilities),
)
_ACTIVE = (User.archived_at.is_(None), User.is_enabled.is_(True))
_EVERYONE: Kept[dict[int, tuple[str, Any]]] = Kept(4)


def _everyones_access() -> dict[int, tuple[str, Any]]:
    """Each active person's name, teams and merged permissions, by id in name order (the
    access in the shape the sign-in loader keeps for one user, so ``can`` reads it
    without a statement)."""
    from tracker.auth.loader import KeptAccess  # the loader sits above access

    people = db.session.scalars(sa.select(User).where(*_ACTIVE).options(*_ACCESS)
                                .order_by(User.sort_name, User.id))
    return {p.id: (p.name, KeptAccess(frozenset(m.team_id for m in p.memberships),
                                      frozenset(m.team_id for m in p.memberships if m.is_lead),
                                      from_objects(p)))
            for p in people}


def _everyone() -> dict[int, tuple[str, Any]]:
    from tracker.generations import kept_while  # generations imports access

    return kept_while(_EVERYONE, "readers", ("access", "vocabulary"), _everyones_access)


def reader_choices(record: object) -> list[tuple[int, str]]:
    """``readers_of(record)`` as (id, name) choices for an owner field, with no statement
    once everyone's access is kept: each person is checked as a stand-in holding their
    kept access (``can`` reads ids and permissions, never the row)."""
    found = []
    for person_id, (name, kept) in _everyone().items():
        stand_in = User(id=person_id, name=name, is_enabled=True)
        stand_in.__dict__["kept_access"] = kept
        if can(stand_in, Action.READ, record):
            found.append((person_id, name))
    return found


def readers_of(record: object, ids: Iterable[int] | None = None) -> list[User]:
    """The active people who may read ``record``, by name; only among ``ids`` when given
    (an empty ``ids`` asks nothing)."""
    stmt = sa.select(User).where(*_ACTIVE)
    if ids is not None:
        wanted = sorted({i for i in ids if isinstance(i, int)})
        if not wanted:
            return []
        stmt = stmt.where(User.id.in_(wanted))
    access = _everyone()
    people = list(db.session.scalars(stmt.order_by(User.sort_name, User.id)))
    for person in people:
        kept = access.get(person.id)
        # A person loaded with their roles in this session already (the signed-in user,
        # or one being changed) is read from those; the others from what was kept.
        if kept is not None and not _loaded_here(person):
            person.__dict__["kept_access"] = kept[1]
    if any(p.id not in access for p in people):  # activated since the keep: read afresh
        db.session.execute(sa.select(User).where(User.id.in_(
            [p.id for p in people if p.id not in access])).options(*_ACCESS)).all()
    return [person for person in people if can(person, Action.READ, record)]


def _loaded_here(person: User) -> bool:
    state = sa.inspect(person)
    return "roles" not in state.unloaded or "memberships" not in state.unloaded
