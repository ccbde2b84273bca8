"""Flask-Login wiring: sessions are keyed by a token that a reset or deactivation changes.

Every request needs the user and their merged access (roles' grants and capabilities, the
teams they are in). The access changes a few times a week, so each worker keeps it by
(user, session token, access counter) and a request reads only the user's row and the
change counters (``tracker.generations``), in one statement built once; the roles, grants
and teams are read (one more statement) only when the access counter moved or the user is
new to this worker.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from tracker.access.permissions import Permissions, from_objects
from tracker.extensions import db, login_manager
from tracker.generations import COLUMNS, JOIN_ON, seen_from
from tracker.kept import Kept
from tracker.models import Generations, Role, User

# One statement for the user, their teams and their roles' grants and capabilities (a
# handful of joined rows) instead of four. The access layer reads the loaded collections.
ACCESS_LOADS = (
    joinedload(User.memberships),
    joinedload(User.roles).joinedload(Role.grants),
    joinedload(User.roles).joinedload(Role.capabilities),
)
_USER_AND_COUNTERS = (sa.select(User, *COLUMNS).outerjoin(Generations, JOIN_ON)
                      .where(User.session_token == sa.bindparam("token")))


@dataclass(frozen=True)
class KeptAccess:
    """A signed-in user's access as of one generation (``User.team_ids`` reads it)."""

    team_ids: frozenset[int]
    led_team_ids: frozenset[int]
    permissions: Permissions


_KEPT: Kept[KeptAccess] = Kept(2000)


def _read_access(user: User) -> KeptAccess:
    db.session.execute(sa.select(User).where(User.id == user.id).options(*ACCESS_LOADS)
                       ).unique().first()
    return KeptAccess(frozenset(m.team_id for m in user.memberships),
                      frozenset(m.team_id for m in user.memberships if m.is_lead),
                      from_objects(user))


def _keep(key: tuple[int, str, int], kept: KeptAccess) -> None:
    if key[2] >= 0:
        _KEPT.put(key, kept)


def remember_access(user: User) -> None:
    """Keep the access of a user who just signed in, so their first page reads only their
    row (the sign-in form calls this; so does the test suite's sign-in)."""
    seen = seen_from(db.session.execute(sa.select(*COLUMNS).where(JOIN_ON)).first() or (None,))
    _keep((user.id, user.session_token, seen.access if seen else -1), _read_access(user))


def load_user(token: str) -> User | None:
    """The active user whose current session token this is, else nobody."""
    row = db.session.execute(_USER_AND_COUNTERS, {"token": token}).first()
    if row is None or not row[0].is_active:
        return None
    user, seen = row[0], seen_from(tuple(row[1:]))
    # Read by ``tracker.generations.kept_while`` for what this request may reuse.
    user.__dict__["generations"] = seen
    generation = seen.access if seen else -1
    key = (user.id, token, generation)
    kept = _KEPT.get(key) if generation >= 0 else None
    if kept is None:
        _keep(key, _read_access(user))
    else:
        # Kept as loaded: ``permissions_of`` and ``team_ids`` read it, no statement sent.
        user.__dict__["kept_access"] = kept
    return user


def init_login(app: Flask) -> None:
    """Bind Flask-Login with the token loader and a translated sign-in prompt."""
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
