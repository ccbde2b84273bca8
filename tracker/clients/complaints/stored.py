"""The complaint columns stored for speed, recomputed in bulk with SQL after a bulk load.

Every ORM write keeps them right on its own (the flush hooks in
``tracker.models.complaint``); these functions are for data written around the ORM
(a data generator's bulk insert, a COPY, a hand-made UPDATE).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.extensions import db
from tracker.models import Complaint, ComplaintStatus
from tracker.models.complaint import DUE_NEVER
from tracker.workflow import state_not_in

C = Complaint


def due_next_expr() -> sa.ColumnElement:
    """``Complaint.stamp_due``'s sort key, in SQL."""
    running = sa.case((C.acknowledged_at.is_(None), C.ack_due_at), else_=C.resolve_due_at)
    return sa.func.coalesce(running, sa.literal(DUE_NEVER, C.due_next_at.type))


def overdue_expr() -> sa.ColumnElement:
    """``Complaint.stamp_due``'s overdue instant, in SQL."""
    ack = sa.and_(C.acknowledged_at.is_(None), C.ack_due_at.is_not(None))
    resolve = sa.and_(state_not_in(C.status, ComplaintStatus.is_paused),
                      C.resolve_due_at.is_not(None))
    earlier = sa.case((C.ack_due_at < C.resolve_due_at, C.ack_due_at), else_=C.resolve_due_at)
    return sa.case(
        (state_not_in(C.status, ComplaintStatus.is_open), sa.null()),
        (sa.and_(ack, resolve), earlier), (ack, C.ack_due_at), (resolve, C.resolve_due_at),
        else_=sa.null())


def refresh_due_next(session: Session | None = None, ids: Iterable[int] | None = None) -> int:
    """Recompute ``due_next_at`` and ``overdue_at`` (all rows, or those ``ids``); no commit.

    Returns how many rows the UPDATE touched.
    """
    session = session or db.session
    stmt = sa.update(C).values(due_next_at=due_next_expr(), overdue_at=overdue_expr())
    if ids is not None:
        stmt = stmt.where(C.id.in_(list(ids)))
    # A bulk UPDATE: the session's loaded complaints are not synchronised (nor versioned).
    result = session.execute(stmt.execution_options(synchronize_session=False))
    return result.rowcount or 0
