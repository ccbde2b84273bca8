"""What every tracked record shares: the stale-form check, archive/restore, its history
(read as people read it: ``tracker.history``)."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.extensions import db
from tracker.history import (  # noqa: F401  # the history's registries, where they were
    ACTION_LABELS,
    FIELD_LABELS,
    INTERNAL_FIELDS,
    PARENT_FIELDS,
    REFERENCES,
    ShownChange,
    action_label,
    shown_changes,
    value_labels,
    via_label,
)
from tracker.models import AuditEvent, utcnow
from tracker.models.base import Tracked
from tracker.text import whole_number


class StaleRecord(Exception):
    """The form was filled in against an older version of the record."""

    def __init__(self, record: Tracked, events: list[AuditEvent]) -> None:
        super().__init__(f"{type(record).__name__} {record.id} changed since the form")
        self.record = record
        self.events = events

    @property
    def shown(self) -> dict[int, list]:
        """What changed since the form, as people read it (``shown_changes``)."""
        return shown_changes(self.events)


def ensure_current(record: Tracked, posted_version: int | str | None) -> None:
    """Refuse a form posted against an older version, naming what changed since."""
    posted = whole_number(posted_version)
    if posted == record.version:
        return
    if posted is None:
        raise StaleRecord(record, [])  # no usable version: treat the form as out of date
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.record_type == record.__tablename__,
               AuditEvent.record_id == record.id,
               AuditEvent.record_version > posted)
        .order_by(AuditEvent.id)
    ).all()
    raise StaleRecord(record, list(events))


def versions_stamp(records: dict[str, Tracked]) -> str:
    """The versions of several records one form edits together, as one hidden value:
    ``{"low": policy, …}`` -> "low:3;…" (a record not stored yet counts as version 0)."""
    return ";".join(f"{key}:{records[key].version or 0}" for key in sorted(records))


def ensure_all_current(records: dict[str, Tracked], stamp: str | None) -> None:
    """Refuse a form spanning several records when any of them changed since ``stamp``
    (``versions_stamp`` of the form's GET): a StaleRecord naming every change since."""
    if stamp == versions_stamp(records):
        return
    posted: dict[str, int | None] = {}
    for part in (stamp or "").split(";"):
        key, _, version = part.partition(":")
        posted[key] = whole_number(version)
    events: list[AuditEvent] = []
    first: Tracked | None = None
    for key in sorted(records):
        record = records[key]
        if (record.version or 0) == posted.get(key):
            continue
        first = first or record
        if record.id is not None and posted.get(key) is not None:
            events += db.session.scalars(sa.select(AuditEvent).where(
                AuditEvent.record_type == record.__tablename__,
                AuditEvent.record_id == record.id,
                AuditEvent.record_version > posted[key]).order_by(AuditEvent.id))
    events.sort(key=lambda e: e.id)
    raise StaleRecord(first or next(iter(records.values())), events)


def archive(record: Tracked) -> None:
    """Delete means archive: the record leaves every list but keeps its history."""
    if record.archived_at is None:
        record.archived_at = utcnow()


def restore(record: Tracked) -> None:
    """Bring an archived record back into the lists."""
    record.archived_at = None


def history(record_type: str, record_ids: list[int] | int, limit: int = 200) -> list[AuditEvent]:
    """Audit events of one record (or of several of one type), newest first."""
    ids = [record_ids] if isinstance(record_ids, int) else list(record_ids)
    if not ids:
        return []
    return list(db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.record_type == record_type, AuditEvent.record_id.in_(ids))
        .options(sa.orm.selectinload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc()).limit(limit)
    ))
