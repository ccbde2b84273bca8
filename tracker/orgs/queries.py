"""Reads for organization lists and pages, always starting from the access layer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

from tracker.access import visible
from tracker.extensions import db
from tracker.models import (
    Contact,
    Organization,
    OrgStatus,
    PartnerStage,
    Tag,
    User,
    organization_tags,
)
from tracker.text import escape_like, squash, whole_number

SORTS: dict[str, tuple[Any, Any]] = {
    "name": (_l("Name"), Organization.name.asc()),
    "-name": (_l("Name, Z–A"), Organization.name.desc()),
    "-updated": (_l("Recently changed"), Organization.updated_at.desc()),
    "updated": (_l("Least recently changed"), Organization.updated_at.asc()),
    "-created": (_l("Newest"), Organization.created_at.desc()),
    "status": (_l("Status"), Organization.status.asc()),
}
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class OrgFilters:
    """The list's filters, parsed from (and written back to) the query string."""

    q: str = ""
    status: str = ""
    stage: str = ""
    owner: str = ""
    team: int | None = None
    tag: str = ""
    archived: bool = False
    sort: str = DEFAULT_SORT

    @classmethod
    def from_args(cls, args: MultiDict, user: User,
                  sorts: dict[str, Any] = SORTS) -> OrgFilters:
        status = args.get("status", "")
        stage = args.get("stage", "")
        owner = args.get("owner", "")
        team = args.get("team", "")
        sort = args.get("sort", DEFAULT_SORT)
        return cls(
            q=squash(args.get("q")),
            status=status if status in OrgStatus._value2member_map_ else "",
            stage=stage if stage in PartnerStage._value2member_map_ else "",
            owner=owner if owner in {"me", "none"} or whole_number(owner) else "",
            team=whole_number(team),
            tag=squash(args.get("tag"), 50),
            archived=args.get("archived") == "1",
            sort=sort if sort in sorts else DEFAULT_SORT,
        )


def organization_list(user: User, kind: str, f: OrgFilters) -> sa.Select:
    """The select behind a partner or client list page."""
    stmt = visible(user, Organization, include_archived=f.archived).where(
        Organization.kind == kind)
    if f.archived:
        stmt = stmt.where(Organization.archived_at.is_not(None))
    if f.q:
        pattern = f"%{escape_like(f.q)}%"
        contact_match = sa.select(Contact.organization_id).where(
            Contact.name.ilike(pattern, escape="\\"), Contact.archived_at.is_(None))
        stmt = stmt.where(sa.or_(Organization.name.ilike(pattern, escape="\\"),
                                 Organization.industry.ilike(pattern, escape="\\"),
                                 Organization.id.in_(contact_match)))
    if f.status:
        stmt = stmt.where(Organization.status == f.status)
    if f.stage:
        stmt = stmt.where(Organization.stage == f.stage)
    if f.owner == "me":
        stmt = stmt.where(Organization.owner_id == user.id)
    elif f.owner == "none":
        stmt = stmt.where(Organization.owner_id.is_(None))
    elif f.owner:
        stmt = stmt.where(Organization.owner_id == int(f.owner))
    if f.team is not None:
        stmt = stmt.where(Organization.team_id == f.team)
    if f.tag:
        tagged = (sa.select(organization_tags.c.organization_id)
                  .join(Tag, Tag.id == organization_tags.c.tag_id).where(Tag.name == f.tag))
        stmt = stmt.where(Organization.id.in_(tagged))
    order = SORTS.get(f.sort, SORTS[DEFAULT_SORT])[1]
    # Many-to-one: joined into the page query; collections (tags): one batched query.
    return stmt.options(joinedload(Organization.owner), joinedload(Organization.team),
                        selectinload(Organization.tags)).order_by(order, Organization.id)


def tags_in_use(user: User, kind: str) -> list[str]:
    """Tag names on organizations of this kind that the user can see (for the filter)."""
    ids = visible(user, Organization).where(Organization.kind == kind).with_only_columns(
        Organization.id)
    return list(db.session.scalars(
        sa.select(Tag.name).join(organization_tags, organization_tags.c.tag_id == Tag.id)
        .where(organization_tags.c.organization_id.in_(ids)).distinct().order_by(Tag.name)))


def contacts_of(user: User, org: Organization, include_archived: bool = False) -> list[Contact]:
    """The organization's contacts, through the access layer."""
    stmt = visible(user, Contact, include_archived=include_archived).where(
        Contact.organization_id == org.id).order_by(Contact.name)
    return list(db.session.scalars(stmt))




def team_options() -> list[tuple[int, str]]:
    """Every team, for the team filter."""
    from tracker.models import Team

    return [(t.id, t.name) for t in db.session.scalars(
        sa.select(Team).where(Team.archived_at.is_(None)).order_by(Team.name))]
