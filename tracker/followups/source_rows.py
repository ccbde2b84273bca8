"""Read the sources of many follow-ups at once: one UNION ALL over the kinds present.

A follow-up names its source by table and id, so a page of follow-ups points into up to
ten tables. Each kind present contributes one SELECT of the few columns a page shows
(title, archived, what the link needs) and whether the user may read the record, computed
by the same ``visible()`` clause a list of that kind starts from; the union costs one
statement whatever the number of rows or kinds.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from tracker.access import permissions_of, visible
from tracker.access.scopes import SOURCES
from tracker.extensions import db
from tracker.models import AgendaItem, Conversation, Organization, ProgressReport, User
from tracker.models.base import Tracked
from tracker.statements import kept, param


@dataclass(frozen=True)
class SourceRow:
    """What one query reads of a source record: enough to name it and link to its page."""

    id: int
    title: str
    seen: bool
    archived: bool
    org_kind: str | None = None
    meeting_id: int | None = None


def _title(model: type) -> ColumnElement[str]:
    if model is ProgressReport:  # str(report): "<author> · <period start>"
        author = sa.select(User.name).where(User.id == ProgressReport.author_id)
        return (sa.func.coalesce(author.scalar_subquery(), "") + " · "
                + sa.cast(ProgressReport.period_start, sa.String))
    return sa.cast(model.title, sa.String)


def _select(user: User, name: str, ids: set[int]) -> sa.Select:
    model = SOURCES[name]
    seen = visible(user, model, include_archived=True).whereclause
    archived = (sa.case((model.archived_at.is_not(None), 1), else_=0)
                if issubclass(model, Tracked) else sa.literal(0))
    org_kind = (sa.select(Organization.kind).where(
        Organization.id == Conversation.organization_id).scalar_subquery()
        if model is Conversation else sa.cast(sa.null(), sa.String))
    meeting_id = (AgendaItem.meeting_id if model is AgendaItem
                  else sa.cast(sa.null(), sa.Integer))
    return sa.select(
        sa.literal(name, sa.String).label("source_type"), model.id.label("id"),
        _title(model).label("title"),
        sa.case((seen, 1), else_=0).label("seen"), archived.label("archived"),
        org_kind.label("org_kind"), meeting_id.label("meeting_id"),
    ).where(model.id.in_(param(f"ids_{name}", sorted(ids), model.id, expanding=True)))


def source_rows(user: User, wanted: dict[str, set[int]]) -> dict[tuple[str, int], SourceRow]:
    """(source_type, id) -> what ``user`` may know of that record; missing ones are gone.

    The statement is kept per reader and set of kinds, the ids its parameters."""
    present = sorted((name, ids) for name, ids in wanted.items() if ids)
    if not present:
        return {}

    def build() -> sa.Select | sa.CompoundSelect:
        selects = [_select(user, name, ids) for name, ids in present]
        return selects[0] if len(selects) == 1 else sa.union_all(*selects)

    stmt = kept(("source-rows", permissions_of(user).key(user),
                 tuple(name for name, _ids in present)), build)
    params = {f"ids_{name}": sorted(ids) for name, ids in present}
    return {(r.source_type, r.id): SourceRow(r.id, r.title or "", bool(r.seen),
                                             bool(r.archived), r.org_kind, r.meeting_id)
            for r in db.session.execute(stmt, params)}
