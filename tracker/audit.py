"""Audit trail and authorship stamps, written from one place: the session's flush hooks.

Views and services never write audit rows or ``*_by`` columns themselves; whatever they
change is recorded here, with the signed-in user (or the CLI's actor) as who.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from tracker.models.audit import AuditEvent
from tracker.models.base import Tracked, utcnow

SKIPPED = frozenset({"created_at", "created_by_id", "updated_at", "updated_by_id", "version",
                     "sort_name"})
HIDDEN = "•••"


def set_actor(session: Session, user_id: int | None) -> None:
    """Name who is acting outside a request (CLI, jobs)."""
    session.info["actor_id"] = user_id


def set_via(session: Session, via: dict[str, Any] | None) -> None:
    """Say how the changes flushed from now on came in (an import's file and row), for
    their history entries; None: by hand again."""
    session.info["audit_via"] = via


def _actor_id(session: Session) -> int | None:
    if "actor_id" in session.info:
        return session.info["actor_id"]
    # g._login_user is Flask-Login's cache: reading it never queries inside a flush.
    user = g.get("_login_user") if has_app_context() else None
    return getattr(user, "id", None) if user is not None else None


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _changes(obj: Any, created: bool) -> dict[str, list[Any]]:
    """Changed fields as {name: [old, new]}; for a new record every set field."""
    state = inspect(obj)
    hidden = getattr(obj, "__audit_hidden__", frozenset())
    ignored = SKIPPED | getattr(obj, "__audit_ignore__", frozenset())
    result: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in ignored or attr.key == "id":
            continue
        hist = state.attrs[attr.key].history
        if created:
            value = getattr(obj, attr.key)
            if value not in (None, ""):
                result[attr.key] = [None, HIDDEN if attr.key in hidden else _plain(value)]
        elif hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old != new:
                shown = [HIDDEN, HIDDEN] if attr.key in hidden else [_plain(old), _plain(new)]
                result[attr.key] = shown
    for rel in state.mapper.relationships:
        if rel.secondary is None or rel.key in ignored:
            continue  # only many-to-many sets (tags, roles) belong to the record itself
        hist = state.attrs[rel.key].history
        if hist.has_changes():
            old = _plain(list(hist.unchanged) + list(hist.deleted))
            new = _plain(list(hist.unchanged) + list(hist.added))
            if old != new:
                result[rel.key] = [None if created else old, new]
    return result


def _action(obj: Any, created: bool, changes: dict[str, list[Any]]) -> str:
    if created:
        return "create"
    if "archived_at" in changes:
        return "restore" if changes["archived_at"][1] is None else "archive"
    return "update"


def _target(obj: Any) -> tuple[str, int]:
    """Where an event is filed: a child row (a grant, a membership) is filed on its parent."""
    parent = getattr(obj, "__audit_parent__", None)
    if parent:
        record_type, column = parent
        return record_type, getattr(obj, column)
    return obj.__tablename__, obj.id


def _is_audited(obj: Any) -> bool:
    return getattr(obj, "__audited__", False)


@event.listens_for(Session, "before_flush")
def _stamp(session: Session, flush_context: Any, instances: Any) -> None:
    actor = _actor_id(session)
    for obj in session.new:
        if isinstance(obj, Tracked):
            obj.created_by_id = obj.created_by_id or actor
            obj.updated_by_id = obj.updated_by_id or actor
    for obj in session.dirty:
        if isinstance(obj, Tracked) and session.is_modified(obj, include_collections=True):
            obj.updated_by_id = actor
            obj.updated_at = utcnow()  # also forces the version bump when only a set changed


def _summary(obj: Any) -> str:
    """How the history names the record: by its own words, or for one named by a label
    (an SLA policy by its severity, a complaint category) by its code, which the history
    page says in the reader's language (``history.summary_shown``), not the actor's."""
    code = getattr(obj, "audit_name", None)
    return str(obj if code is None else code)[:255]


@event.listens_for(Session, "after_flush")
def _record(session: Session, flush_context: Any) -> None:
    actor = _actor_id(session)
    via = session.info.get("audit_via")
    now = utcnow()
    rows: list[dict[str, Any]] = []
    groups = ((session.new, "create"), (session.dirty, "update"), (session.deleted, "delete"))
    for objects, kind in groups:
        for obj in objects:
            if not _is_audited(obj):
                continue
            created = kind == "create"
            changes = {} if kind == "delete" else _changes(obj, created)
            if kind == "update" and not changes:
                continue
            action = "delete" if kind == "delete" else _action(obj, created, changes)
            record_type, record_id = _target(obj)
            own = record_type == obj.__tablename__
            if not own:
                action = f"{obj.__tablename__}.{action}"
            rows.append({
                "at": now, "actor_id": actor, "action": action,
                "record_type": record_type, "record_id": record_id,
                "record_version": getattr(obj, "version", None) if own else None,
                "summary": _summary(obj), "changes": changes, "via": via,
            })
    if rows:
        session.connection().execute(sa.insert(AuditEvent), rows)
