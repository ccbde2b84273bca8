"""The organizations' stored sort keys: last contact and next follow-up.

Sorting 20,000 organizations by "last contact" cannot compute the value per row on every
request, so each organization stores it (``last_contact_at``, ``next_followup_on``) and
an index orders the list. The stored values are sort keys only and never reveal a
confidential record: they count non-confidential conversations and follow-ups of
non-confidential sources. Pages show the exact value for the viewer (``tracker.orgs.facts``).

Every write path is covered without touching the services that write: a session hook sees
each flushed conversation, follow-up or complaint whose relevant columns changed and
recomputes the rollups of the organizations concerned, in the same transaction.
``refresh_org_rollups`` recomputes them in bulk (after a bulk load that bypasses the ORM).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from tracker.extensions import db
from tracker.models import Complaint, Conversation, FollowUp, FollowUpStatus, Organization
from tracker.models.organization import NO_CONTACT, NO_FOLLOWUP

# Columns whose change moves a rollup, per model.
WATCHED: dict[type, tuple[str, ...]] = {
    Conversation: ("organization_id", "occurred_at", "is_confidential", "archived_at"),
    FollowUp: ("organization_id", "status", "due_on", "archived_at", "source_type",
               "source_id"),
    Complaint: ("organization_id", "is_confidential"),
}
_PENDING = "org_rollups_pending"
CHUNK = 500


def last_contact_value(confidential: bool = False) -> sa.ScalarSelect:
    """The latest non-archived conversation of the outer organization (confidential ones
    only with ``confidential``)."""
    stmt = sa.select(sa.func.max(Conversation.occurred_at)).where(
        Conversation.organization_id == Organization.id, Conversation.archived_at.is_(None))
    if not confidential:
        stmt = stmt.where(Conversation.is_confidential.is_(False))
    return sa.func.coalesce(stmt.correlate(Organization).scalar_subquery(), NO_CONTACT)


def _confidential_source(name: str, model: Any) -> sa.ColumnElement[bool]:
    return sa.and_(FollowUp.source_type == name, FollowUp.source_id.in_(
        sa.select(model.id).where(model.is_confidential.is_(True))))


def next_followup_value(confidential: bool = False) -> sa.ScalarSelect:
    """The nearest open follow-up of the outer organization (of a confidential source only
    with ``confidential``)."""
    stmt = sa.select(sa.func.min(FollowUp.due_on)).where(
        FollowUp.organization_id == Organization.id,
        FollowUp.status == FollowUpStatus.OPEN.value, FollowUp.archived_at.is_(None))
    if not confidential:
        stmt = stmt.where(sa.not_(_confidential_source("conversations", Conversation)),
                          sa.not_(_confidential_source("complaints", Complaint)))
    return sa.func.coalesce(stmt.correlate(Organization).scalar_subquery(), NO_FOLLOWUP)


def _update(ids: list[int] | None) -> sa.Update:
    table = Organization.__table__
    stmt = sa.update(table).values(
        last_contact_at=last_contact_value(), next_followup_on=next_followup_value(),
        last_contact_all_at=last_contact_value(True),
        next_followup_all_on=next_followup_value(True),
        # A rollup is not a change of the organization: keep its "changed" time (the
        # column's onupdate would otherwise stamp now) and leave its version alone.
        updated_at=table.c.updated_at)
    if ids is not None:
        stmt = stmt.where(table.c.id.in_(ids))
    return stmt


def refresh_org_rollups(session: Session | None = None, ids: Iterable[int] | None = None
                        ) -> None:
    """Recompute the four rollups (``last_contact_at``, ``next_followup_on`` and their
    ``_all`` twins) with SQL, for every organization or those in ``ids``."""
    session = session or db.session
    if ids is None:
        session.execute(_update(None))
        return
    wanted = sorted({i for i in ids if i is not None})
    for start in range(0, len(wanted), CHUNK):
        session.execute(_update(wanted[start:start + CHUNK]))


def _changed(obj: Any, names: tuple[str, ...]) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _org_ids(obj: Any) -> set[int]:
    """The organizations a flushed row belonged to before and after the change."""
    history = sa.inspect(obj).attrs["organization_id"].history
    ids = set(history.deleted or ()) | {obj.organization_id}
    return {i for i in ids if i is not None}


def _touched(session: Session) -> set[int]:
    ids: set[int] = set()
    for obj in list(session.new) + list(session.deleted):
        if type(obj) in WATCHED:
            ids |= _org_ids(obj)
    for obj in session.dirty:
        names = WATCHED.get(type(obj))
        if names and _changed(obj, names):
            ids |= _org_ids(obj)
    return ids


@event.listens_for(Session, "after_flush")
def _recompute(session: Session, _context: Any) -> None:
    """Recompute the rollups of the organizations this flush touched, in its transaction."""
    ids = _touched(session)
    if not ids:
        return
    connection = session.connection()
    for start in range(0, len(ids), CHUNK):
        connection.execute(_update(sorted(ids)[start:start + CHUNK]))
    session.info.setdefault(_PENDING, set()).update(ids)


@event.listens_for(Session, "after_flush_postexec")
def _expire(session: Session, _context: Any) -> None:
    """Loaded organizations read their new rollups on next access."""
    for org_id in session.info.pop(_PENDING, ()):
        org = session.identity_map.get(identity_key(Organization, org_id))
        if org is not None:
            session.expire(org, ["last_contact_at", "next_followup_on",
                                 "last_contact_all_at", "next_followup_all_on"])
