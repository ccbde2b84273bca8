"""Reads for organization lists and pages, always starting from the access layer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.elements import ColumnElement
from werkzeug.datastructures import MultiDict

from tracker.access import Capability, has, visible, visible_apart
from tracker.extensions import db
from tracker.generations import kept_while
from tracker.kept import Kept
from tracker.models import (
    Contact,
    Organization,
    OrgStatus,
    PartnerStage,
    SearchDocument,
    Tag,
    User,
    organization_tags,
)
from tracker.models.organization import NO_CONTACT
from tracker.paging import COUNT_CAP, KeysetPage, SortKey, capped_count_column, keyset_page
from tracker.search.query import list_search
from tracker.text import contains, squash, whole_number

SORTS: dict[str, tuple[Any, Any]] = {
    "name": (_l("Name"), None),
    "-name": (_l("Name, Z–A"), None),
    "-updated": (_l("Recently changed"), None),
    "updated": (_l("Least recently changed"), None),
    "-created": (_l("Newest"), None),
    "status": (_l("Status"), None),
    "-last_contact": (_l("Last contact, newest"), None),
    "last_contact": (_l("Last contact, oldest"), None),
    "next_followup": (_l("Next follow-up"), None),
}
DEFAULT_SORT = "name"

# A keyset order: sort keys (NOT NULL, ending in the id) and how to read them off a row.
# Each matches an index (kind, <columns>, id) on organizations, walked forwards or back.
Order = tuple[list[SortKey], Callable[[Organization], list[Any]]]


def _by(*cols: Any, desc: bool = False) -> Order:
    keys = [SortKey(c, desc) for c in (*cols, Organization.id)]
    names = [c.key for c in (*cols, Organization.id)]
    return keys, lambda org: [getattr(org, n) for n in names]


ORDERS: dict[str, Order] = {
    "name": _by(Organization.sort_name),
    "-name": _by(Organization.sort_name, desc=True),
    "-updated": _by(Organization.updated_at, desc=True),
    "updated": _by(Organization.updated_at),
    "-created": _by(Organization.created_at, desc=True),
    "status": _by(Organization.status, Organization.sort_name),
    "-last_contact": _by(Organization.last_contact_at, desc=True),
    "last_contact": _by(Organization.last_contact_at),
    "next_followup": _by(Organization.next_followup_on),
    # The same, for users who see confidential records (tracker.orgs.rollups).
    "-last_contact!": _by(Organization.last_contact_all_at, desc=True),
    "last_contact!": _by(Organization.last_contact_all_at),
    "next_followup!": _by(Organization.next_followup_all_on),
}


# The optional columns of the partner and client lists (the name is always shown).
COLUMNS: dict[str, Any] = {
    "status": _l("Status"), "stage": _l("Stage"), "industry": _l("Industry"),
    "owner": _l("Owner"), "team": _l("Team"), "tags": _l("Tags"),
    "last_contact": _l("Last contact"), "next_followup": _l("Next follow-up"),
    "changed": _l("Changed"),
}
CLIENT_COLUMNS = ("status", "industry", "owner", "team", "tags", "last_contact",
                  "next_followup", "changed")
PARTNER_COLUMNS = ("stage", "owner", "team", "tags", "last_contact", "next_followup")

# The last-contact filter: how long ago, as (earliest days ago, latest days ago).
CONTACT_AGES: dict[str, tuple[int | None, int | None]] = {
    "7": (7, 0), "30": (30, 8), "90": (90, 31), "older": (None, 91), "never": (None, None)}
CONTACT_LABELS = {"7": _l("In the last 7 days"), "30": _l("8–30 days ago"),
                  "90": _l("31–90 days ago"), "older": _l("More than 90 days ago"),
                  "never": _l("Never")}


def last_contact_column(sees_confidential: bool) -> Any:
    """The rollup a reader's last contact is: with confidential records or without."""
    return (Organization.last_contact_all_at if sees_confidential
            else Organization.last_contact_at)


def contact_clause(age: str, sees_confidential: bool, today_start: Any) -> Any:
    """Organizations last contacted ``age`` ago (days counted from the reader's today)."""
    from datetime import timedelta

    column = last_contact_column(sees_confidential)
    if age == "never":
        return column <= NO_CONTACT
    earliest, latest = CONTACT_AGES[age]
    clauses = [column > NO_CONTACT]
    if earliest is not None:
        clauses.append(column >= today_start - timedelta(days=earliest))
    if latest:
        clauses.append(column < today_start - timedelta(days=latest - 1))
    return sa.and_(*clauses)


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
    contact: str = ""  # last contact: within 7, 30 or 90 days, "older", or "never"
    sees_confidential: bool = False  # whose last contact: the rollup that counts them
    cols: tuple[str, ...] = ()  # the optional columns shown (none chosen: all of them)

    def shows(self, column: str) -> bool:
        """Is this optional column shown (the list's columns control, kept in views)?"""
        return not self.cols or column in self.cols

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
            contact=args.get("contact", "") if args.get("contact") in CONTACT_AGES else "",
            cols=tuple(c for c in dict.fromkeys(args.getlist("cols")) if c in COLUMNS),
            sees_confidential=has(user, Capability.SEE_CONFIDENTIAL),
        )


def organization_list(user: User, kind: str, f: OrgFilters) -> sa.Select:
    """The select behind a partner or client list page."""
    stmt = visible(user, Organization, include_archived=f.archived, kind=kind)
    return _filtered(stmt, user, kind, f)


def organization_count(user: User, kind: str, f: OrgFilters) -> ColumnElement[int]:
    """How many rows ``organization_list`` has, capped at ``COUNT_CAP`` + 1: a scalar
    subquery to fold into the page's statement.

    The sum of the capped counts of the disjoint ways in (``visible_apart``): each one
    index range, where the count of their OR walked every live organization of the kind
    for a team member. Exact up to the cap: a way in over the cap makes the sum too."""
    parts = [capped_count_column(_filtered(part, user, kind, f))
             for part in visible_apart(user, kind, include_archived=f.archived)]
    return sum(parts[1:], parts[0]) if parts else sa.literal(0)


def _searched(kind: str, q: str) -> ColumnElement[bool] | None:
    """The box: what the search index holds for the organization (name and its pinyin,
    industry, website, notes, tags) or for one of its contacts, folded as search folds
    (客戶 = 客户, qh = 青禾). Archived organizations are out of the index, so their list
    matches name, industry and contact names as typed."""
    org = list_search(Organization.id, kind, q)
    if org is None:
        return None
    return sa.or_(org, list_search(Organization.id, "contact", q,
                                   returns=SearchDocument.organization_id))


def _archived_searched(q: str) -> ColumnElement[bool]:
    contact_match = sa.select(Contact.organization_id).where(contains(Contact.name, q))
    return sa.or_(contains(Organization.name, q), contains(Organization.industry, q),
                  Organization.id.in_(contact_match))


def _filtered(stmt: sa.Select, user: User, kind: str, f: OrgFilters) -> sa.Select:
    if f.archived:
        stmt = stmt.where(Organization.archived_at.is_not(None))
    if f.q:
        searched = _archived_searched(f.q) if f.archived else _searched(kind, f.q)
        if searched is not None:
            stmt = stmt.where(searched)
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
    if f.contact:
        from tracker.i18n import day_start, local_today

        stmt = stmt.where(contact_clause(f.contact, f.sees_confidential,
                                         day_start(local_today())))
    if f.tag:
        tagged = (sa.select(organization_tags.c.organization_id)
                  .join(Tag, Tag.id == organization_tags.c.tag_id).where(Tag.name == f.tag))
        stmt = stmt.where(Organization.id.in_(tagged))
    return stmt


def organization_page(stmt: sa.Select, order: Order, *, per_page: int,
                      after: str | None, before: str | None,
                      total: ColumnElement[int]) -> KeysetPage:
    """One keyset page of ``stmt`` in ``order``, its capped ``total``
    (``organization_count``) folded into the same statement (uncorrelated scalar
    subqueries: computed once, each read at most 1,001 rows). Owner and team are joined
    in; nothing else is loaded per row."""
    keys, key_of = order
    page = keyset_page(
        stmt.add_columns(total.label("total")).options(joinedload(Organization.owner),
                                                       joinedload(Organization.team)),
        keys, per_page=per_page, after=after, before=before,
        key_of=lambda row: key_of(row[0]), scalars=False)
    if page.items:
        n = page.items[0][1]
        page.total, page.total_capped = min(n, COUNT_CAP), n > COUNT_CAP
    page.items = [row[0] for row in page.items]
    return page


def _tag_in_use(kind: str) -> sa.Exists:
    """Is the outer tag on at least one organization of this kind (an index probe)?"""
    return (sa.select(1).select_from(organization_tags)
            .join(Organization, Organization.id == organization_tags.c.organization_id)
            .where(organization_tags.c.tag_id == Tag.id, Organization.kind == kind)
            .correlate(Tag).exists())


_FILTER_OPTIONS: Kept[dict[str, list[tuple[int, str]]]] = Kept(8)


def filter_options(kind: str) -> dict[str, list[tuple[int, str]]]:
    """Owners, teams and tags for the list's filters, in one statement, kept by each worker
    until the vocabulary changes (``tracker.generations``): the same for every reader.

    Tags come from the vocabulary (tags on at least one organization of this kind), not
    from the rows the user may see: a tag is a shared label, not a record, and collecting
    the tags of every visible organization cost more than the page itself.
    """
    return kept_while(_FILTER_OPTIONS, kind, ("vocabulary",), lambda: _filter_options(kind))


def _filter_options(kind: str) -> dict[str, list[tuple[int, str]]]:
    from tracker.models import Team

    owners = sa.select(sa.literal("owner").label("what"), User.id.label("id"),
                       User.name.label("name"), User.sort_name.label("sort_name"))
    teams = (sa.select(sa.literal("team"), Team.id, Team.name, Team.sort_name)
             .where(Team.archived_at.is_(None)))
    tags = sa.select(sa.literal("tag"), Tag.id, Tag.name, Tag.name).where(_tag_in_use(kind))
    union = sa.union_all(owners, teams, tags).subquery()
    options: dict[str, list[tuple[int, str]]] = {"owner": [], "team": [], "tag": []}
    for what, id_, name, _key in db.session.execute(
            sa.select(union).order_by(union.c.what, union.c.sort_name, union.c.id)):
        options[what].append((id_, name))
    return options


def contacts_of(user: User, org: Organization, include_archived: bool = False) -> list[Contact]:
    """The contacts of ``org``, which the caller read through the access layer.

    A contact is seen exactly when its organization is (``PARENTS`` in the access layer),
    so for an organization already checked the rule is its id: ``visible(user, Contact)``
    would have the database list every organization the user may see to answer for one.
    """
    stmt = sa.select(Contact).where(Contact.organization_id == org.id).order_by(Contact.sort_name)
    if not include_archived:
        stmt = stmt.where(Contact.archived_at.is_(None))
    return list(db.session.scalars(stmt))
