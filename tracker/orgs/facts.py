"""Exact per-organization facts for the viewer, for a page of rows or one record's header.

Every value here is computed only for organizations the caller already read through
``visible()`` (a list page's rows, a record page's organization), so the clauses below
check what is left to check on the rows *inside* a visible organization:
- a conversation (or requirement, or contact) is seen exactly when its organization is,
  unless the confidentiality restriction hides it;
- a follow-up is listed when its source is seen: the same rule as
  ``tracker.access.visible_followups_of``, written as a per-row ``EXISTS`` on the source's
  primary key instead of ``source_id IN (every visible source)``, which made the database
  build the list of all 200,000 visible complaints for one page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from tracker.access import permissions_of, reader_clause, seen_through_source, visible
from tracker.access.scopes import RESTRICTIONS
from tracker.extensions import db
from tracker.models import (
    Conversation,
    FollowUp,
    FollowUpStatus,
    Organization,
    Tag,
    User,
    organization_tags,
)
from tracker.statements import kept, param


def conversation_clause(user: User) -> ColumnElement[bool]:
    """Conversations of a visible organization that ``user`` may read."""
    return reader_clause(user, "org-conversations", lambda: sa.and_(
        Conversation.archived_at.is_(None), RESTRICTIONS[Conversation].clause(user)))


def last_contact_col(user: User) -> sa.ScalarSelect:
    """The outer organization's latest conversation the user may read (newest first on the
    (organization_id, occurred_at) index, stopping at the first readable one)."""
    return (sa.select(Conversation.occurred_at)
            .where(Conversation.organization_id == Organization.id, conversation_clause(user))
            .order_by(Conversation.occurred_at.desc()).limit(1)
            .correlate(Organization).scalar_subquery())


def next_followup_col(user: User) -> sa.ScalarSelect:
    """The outer organization's nearest open follow-up whose source the user may read."""
    return (sa.select(FollowUp.due_on)
            .where(FollowUp.organization_id == Organization.id,
                   FollowUp.status == FollowUpStatus.OPEN.value, FollowUp.archived_at.is_(None),
                   seen_through_source(user))
            .order_by(FollowUp.due_on).limit(1)
            .correlate(Organization).scalar_subquery())


def tag_names_col() -> ColumnElement[str]:
    """The outer organization's tag names joined by commas (a tag name has none)."""
    joined = (sa.func.string_agg(Tag.name, sa.literal(","))
              if db.engine.dialect.name == "postgresql" else sa.func.group_concat(Tag.name, ","))
    return (sa.select(joined).select_from(organization_tags)
            .join(Tag, Tag.id == organization_tags.c.tag_id)
            .where(organization_tags.c.organization_id == Organization.id)
            .correlate(Organization).scalar_subquery())


def split_tags(joined: str | None) -> list[str]:
    return sorted(joined.split(",")) if joined else []


class RowFacts:
    """One list row's exact last contact, next follow-up and tag names."""

    __slots__ = ("last_contact", "next_followup", "tags")

    def __init__(self, last_contact: datetime | None, next_followup: date | None,
                 tags: list[str]) -> None:
        self.last_contact, self.next_followup, self.tags = last_contact, next_followup, tags


def row_facts(user: User, org_ids: list[int], dates: bool = True) -> dict[int, RowFacts]:
    """{organization id: facts} for one page of visible organizations, in one statement."""
    if not org_ids:
        return {}

    def build() -> sa.Select:
        cols: list[Any] = [Organization.id, tag_names_col()]
        if dates:
            cols += [last_contact_col(user), next_followup_col(user)]
        return sa.select(*cols).where(Organization.id.in_(
            param("org_ids", org_ids, Organization.id, expanding=True)))

    stmt = kept(("row-facts", permissions_of(user).key(user), dates), build)
    rows = db.session.execute(stmt, {"org_ids": org_ids}).all()
    found = {row[0]: RowFacts(row[2] if dates else None, row[3] if dates else None,
                              split_tags(row[1])) for row in rows}
    return {i: found.get(i, RowFacts(None, None, [])) for i in org_ids}


def load_with_facts(user: User, kind: str, org_id: int,
                    cols: Callable[[], dict[str, ColumnElement[Any]]]
                    ) -> tuple[Organization, dict[str, Any]] | None:
    """One visible organization with its people joined in and the header facts ``cols()``
    (scalar subqueries correlated to it) plus its tag names: one statement, or None.

    The statement is kept per reader's access and kind (``tracker.statements``): ``cols``
    is called only the first time, and must depend on nothing else."""
    from sqlalchemy.orm import joinedload

    def build() -> sa.Select:
        labelled = [c.label(name) for name, c in {**cols(), "tags": tag_names_col()}.items()]
        return (visible(user, Organization, include_archived=True)
                .where(Organization.id == param("org_id", org_id, Organization.id),
                       Organization.kind == kind)
                .add_columns(*labelled)
                .options(joinedload(Organization.owner), joinedload(Organization.team),
                         joinedload(Organization.created_by),
                         joinedload(Organization.updated_by)))

    stmt = kept(("org-header", permissions_of(user).key(user), kind), build)
    row = db.session.execute(stmt, {"org_id": org_id}).first()
    if row is None:
        return None
    values = dict(row._mapping)
    org = values.pop(Organization.__name__)
    values["tags"] = split_tags(values["tags"])
    return org, values
