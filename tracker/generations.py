"""Change counters: what a worker may keep between requests, and when to read it again.

One row (``Generations``) holds a counter per kind of change. A flush hook raises each
counter in the same transaction as any change it covers:

- ``access``: who may see what (``tracker.access.generation`` says which changes);
- ``vocabulary``: the names the filters offer: people, teams, tags in use, complaint
  categories;
- ``complaints``: complaints and their pauses, the working week their clocks count in,
  and an organization's owner, team or archiving (which decide who sees its complaints);
- ``agreements``: agreements, and an organization's name, owner, team or archiving.

The sign-in loader reads the row with the user's own (the same statement), and
``kept_while`` keeps a value per worker under its key and the counters it depends on: the
next request after a change, in any worker, builds it again. Nothing is kept outside a
signed-in request (the CLI, jobs), nor once the request has itself written (its own reads
must see its writes), nor in a database without the row.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, NamedTuple, TypeVar

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from tracker.access.generation import changes_access
from tracker.kept import Kept
from tracker.models import (
    Agreement,
    BusinessCalendar,
    Complaint,
    ComplaintPause,
    Generations,
    Organization,
    Tag,
    Team,
    User,
)
from tracker.models.complaint import ComplaintCategory

V = TypeVar("V")
COUNTERS = ("access", "vocabulary", "complaints", "agreements")


class Seen(NamedTuple):
    """The counters as one request read them."""

    epoch: str
    access: int
    vocabulary: int
    complaints: int
    agreements: int


# The loader's columns: the row joined to the user's by a constant, NULLs when it is missing.
COLUMNS = (Generations.epoch, *(getattr(Generations, name) for name in COUNTERS))
JOIN_ON = Generations.id == 1


def seen_from(values: tuple[Any, ...]) -> Seen | None:
    """The counters from the loader's row; None when the database has no counters row."""
    return None if values[0] is None else Seen(*values)


# What of an organization's row each counter covers (its rollups and texts do not count).
_ORG_FIELDS = {
    "vocabulary": ("tags", "kind"),
    "complaints": ("owner_id", "team_id", "archived_at", "name"),
    "agreements": ("owner_id", "team_id", "archived_at", "name"),
}
_USER_FIELDS = ("name", "is_enabled", "archived_at")
_TEAM_FIELDS = ("name", "archived_at")


def _changed(obj: Any, fields: tuple[str, ...]) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _touches(obj: Any, changed: bool) -> set[str]:
    """The counters a new or deleted (``changed`` False) or changed object moves."""
    found = {"access"} if changes_access(obj, changed) else set()
    if isinstance(obj, Complaint | ComplaintPause | BusinessCalendar):
        found.add("complaints")
    elif isinstance(obj, ComplaintCategory | Tag):
        found.add("vocabulary")
    elif isinstance(obj, Agreement):
        found.add("agreements")
    elif isinstance(obj, Organization):
        found.update(name for name, fields in _ORG_FIELDS.items()
                     if not changed or _changed(obj, fields))
    elif isinstance(obj, User):
        if not changed or _changed(obj, _USER_FIELDS):
            found.add("vocabulary")
    elif isinstance(obj, Team) and (not changed or _changed(obj, _TEAM_FIELDS)):
        found.add("vocabulary")
    return found


@event.listens_for(Session, "after_flush")
def _raise_counters(session: Session, flush_context: Any) -> None:
    moved: set[str] = set()
    for obj in (*session.new, *session.deleted):
        moved |= _touches(obj, False)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=True):
            moved |= _touches(obj, True)
    if not moved:
        return
    session.connection().execute(
        sa.update(Generations).where(Generations.id == 1)
        .values({name: getattr(Generations, name) + 1 for name in sorted(moved)}))
    if has_request_context():
        g._generations_moved = True


def ensure_row(session: Session) -> None:
    """Create the counters' row if it is missing (a freshly emptied database)."""
    if session.get(Generations, 1) is None:
        session.add(Generations(id=1))


def current() -> Seen | None:
    """The counters this request read with its user, if anything may be kept for it."""
    if not has_request_context() or g.get("_generations_moved"):
        return None
    user = g.get("_login_user")
    return getattr(user, "__dict__", {}).get("generations") if user is not None else None


def kept_while(store: Kept[V], key: Hashable, counters: tuple[str, ...],
               build: Callable[[], V], fresh: Callable[[V], bool] | None = None) -> V:
    """``build()``'s value, kept in ``store`` under ``key`` while the named counters stand
    (and, given ``fresh``, while it says the value still holds: a time it runs out, say)."""
    seen = current()
    if seen is None:
        return build()
    full_key = (key, seen.epoch, *(getattr(seen, name) for name in counters))
    found = store.get(full_key)
    if found is not None and (fresh is None or fresh(found)):
        return found
    return store.put(full_key, build())
