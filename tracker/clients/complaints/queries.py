"""Reads for the complaint queue, always from the access layer.

Every view is a condition on indexed columns: the open views read the small partial
index of open complaints (``ix_complaints_open_due_next``) in deadline order, the
closed view its own (``ix_complaints_ended_due_next``); due soon and overdue are ranges
on the stored ``due_next_at`` / ``overdue_at`` (see ``Complaint.stamp_due``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, load_only
from werkzeug.datastructures import MultiDict

from tracker.access import permissions_of, visible
from tracker.extensions import db
from tracker.generations import kept_while
from tracker.i18n import day_start, wants_chinese
from tracker.kept import Kept
from tracker.models import Complaint, Organization, OrgKind, TeamMembership, User
from tracker.models.complaint import ENDED_SQL, OPEN_SQL, SEVERITY_RANK_SQL, ComplaintCategory
from tracker.models.complaint import SEVERITY_RANK as SEVERITY_RANK_OF
from tracker.paging import SortKey, capped_count_column
from tracker.search.normalize import query_terms
from tracker.search.query import long_terms, records_matching, text_match
from tracker.statements import kept, param
from tracker.text import day_of, escape_like, squash, whole_number

CLOSED_CAP = 1000  # the closed view's count stops there ("1,000+"): ~95 % of all rows
CLIENT_MATCHES = 20  # clients a typed name may stand for, at most

VIEWS: dict[str, Any] = {
    "open": _l("All open"),
    "unassigned": _l("Unassigned"),
    "mine": _l("Mine"),
    "team": _l("My team"),
    "due_soon": _l("Due soon"),
    "overdue": _l("Overdue"),
    "closed": _l("Resolved and closed"),
    "all": _l("All"),
}
DEADLINES = {"met": _l("Resolved in time"), "missed": _l("Resolved late")}

# What a queue row shows and its clocks read: not the texts (description, resolution …),
# which would make the page's 25 rows several times heavier to read and to build.
ROW_COLUMNS = (Complaint.title, Complaint.category_id, Complaint.severity, Complaint.status,
               Complaint.is_confidential, Complaint.organization_id, Complaint.assignee_id,
               Complaint.received_at, Complaint.ack_minutes, Complaint.resolve_minutes,
               Complaint.business_hours, Complaint.ack_due_at, Complaint.resolve_due_at,
               Complaint.acknowledged_at, Complaint.resolved_at, Complaint.due_next_at)

# Nearest deadline first, paused ones (DUE_NEVER) last, then by id: one index order.
SORT = (SortKey(Complaint.due_next_at), SortKey(Complaint.id))

# Most severe first: the very text of the severity indexes' expression (a bound parameter
# or a differently written CASE would not match them, and the table would be sorted).
SEVERITY_RANK = sa.literal_column(SEVERITY_RANK_SQL.replace("severity", "complaints.severity"),
                                  sa.Integer)


@dataclass(frozen=True)
class QueueOrder:
    """An order the queue's headers offer: its keyset keys (ascending) and the indexes
    that hold it (open views; closed and all), walked forwards or backwards."""

    columns: tuple[sa.ColumnElement[Any], ...]
    open_index: str
    other_index: str
    # The header's first click: ``-received`` (newest first) rather than oldest first.
    first: str


# Only what an index on complaints alone holds: a client's or an assignee's name would
# need a join to order by, which no index of complaints answers at 200,000 rows.
ORDERS: dict[str, QueueOrder] = {
    "deadline": QueueOrder((Complaint.due_next_at, Complaint.id), "ix_complaints_open_due_next",
                           "ix_complaints_due_next", "deadline"),
    "received": QueueOrder((Complaint.received_at, Complaint.id), "ix_complaints_open_received",
                           "ix_complaints_received_at", "-received"),
    "severity": QueueOrder((SEVERITY_RANK, Complaint.due_next_at, Complaint.id),
                           "ix_complaints_open_severity_due", "ix_complaints_severity_due",
                           "severity"),
}


def sort_of(value: str | None) -> str:
    """The queue's ``?sort=`` as offered (``received``, ``-received`` …), else deadline."""
    name = (value or "").removeprefix("-")
    return value if name in ORDERS and value else "deadline"


def sort_keys(sort: str) -> tuple[SortKey, ...]:
    """The keyset keys of a ``sort`` value: every key the other way round for ``-``."""
    order = ORDERS[sort.removeprefix("-")]
    return tuple(SortKey(column, descending=sort.startswith("-")) for column in order.columns)


def sort_values(sort: str, complaint: Complaint) -> list[Any]:
    """A fetched row's values of the keys, for the next page's cursor."""
    name = sort.removeprefix("-")
    if name == "received":
        return [complaint.received_at, complaint.id]
    if name == "severity":
        return [SEVERITY_RANK_OF.get(complaint.severity, 3), complaint.due_next_at,
                complaint.id]
    return [complaint.due_next_at, complaint.id]


def _is_open() -> sa.ColumnElement[bool]:
    # Literal text, not bound parameters: what makes SQLite use the partial index.
    return sa.text(f"complaints.{OPEN_SQL}")


def _is_ended() -> sa.ColumnElement[bool]:
    return sa.text(f"complaints.{ENDED_SQL}")


def _condition(view: str, user: User, now: datetime, hours: int) -> sa.ColumnElement[bool]:
    """What an open view asks of an open complaint, beyond being open."""
    if view == "unassigned":
        return Complaint.assignee_id.is_(None)
    if view == "mine":
        return Complaint.assignee_id == param("me", user.id, Complaint.id)
    if view == "team":
        # The client's team, or anyone of my teams working it (a complaint desk's view).
        teams = sorted(user.team_ids) or [-1]
        teammates = sa.select(TeamMembership.user_id).where(TeamMembership.team_id.in_(teams))
        return sa.or_(Complaint.team_id.in_(teams), Complaint.assignee_id.in_(teammates))
    if view == "due_soon":
        # due_next_at is the running deadline (DUE_NEVER when none runs: never in range).
        return Complaint.due_next_at.between(
            param("now", now, Complaint.due_next_at),
            param("soon", now + timedelta(hours=hours), Complaint.due_next_at))
    if view == "overdue":
        # overdue_at: the acknowledgement deadline while unacknowledged, or the resolution
        # deadline unless waiting on the client, whichever is earlier (None when closed).
        return Complaint.overdue_at < param("now", now, Complaint.overdue_at)
    return sa.true()


def view_clause(view: str, user: User, now: datetime, hours: int) -> sa.ColumnElement[bool]:
    """Which complaints a queue view holds (its times as parameters, see ``params``)."""
    if view == "closed":
        return _is_ended()
    if view == "open":
        return _is_open()
    if view == "all":
        return sa.true()
    return sa.and_(_is_open(), _condition(view, user, now, hours))


@dataclass(frozen=True)
class QueueFilters:
    """The queue's view and filters, from and back to the query string."""

    view: str = "open"
    hours: int = 4
    severity: str = ""
    category: int | None = None  # a ComplaintCategory id
    client: int | None = None
    client_q: str = ""
    assignee: int | None = None
    q: str = ""
    # The clients ``client_q`` stands for, once resolved (``FilterOptions.matches``): the
    # rows and counts then filter on these few ids instead of matching names again.
    client_ids: tuple[int, ...] | None = None
    team: int | None = None  # the client's team
    # Days in the reader's time zone, both included (the dashboards link with them).
    received_from: date | None = None
    received_to: date | None = None
    resolved_from: date | None = None
    resolved_to: date | None = None
    deadline: str = ""  # "met" or "missed": resolved within the deadline or after it
    satisfaction: int | None = None  # the client's rating, 1 to 5
    # The order the headers chose (``ORDERS``; ``-`` the other way round): kept in the
    # URL, so a saved view keeps it; the rows' statement depends on it, not the counts.
    sort: str = "deadline"

    @classmethod
    def from_args(cls, args: MultiDict) -> QueueFilters:
        from tracker.models import Severity

        view = args.get("view", "open")
        severity = args.get("severity", "")
        return cls(view=view if view in VIEWS else "open",
                   hours=whole_number(args.get("hours"), maximum=24 * 14) or 4,
                   severity=severity if severity in Severity._value2member_map_ else "",
                   category=whole_number(args.get("category")),
                   client=whole_number(args.get("client")),
                   client_q=squash(args.get("client_q"), 100),
                   assignee=whole_number(args.get("assignee")), q=squash(args.get("q")),
                   team=whole_number(args.get("team")),
                   received_from=day_of(args.get("received_from")),
                   received_to=day_of(args.get("received_to")),
                   resolved_from=day_of(args.get("resolved_from")),
                   resolved_to=day_of(args.get("resolved_to")),
                   deadline=args.get("deadline", "") if args.get("deadline") in DEADLINES
                   else "",
                   satisfaction=whole_number(args.get("satisfaction"), maximum=5) or None,
                   sort=sort_of(args.get("sort")))

    def extra_args(self) -> dict[str, Any]:
        """The filters kept in the page's links and form beyond its visible controls."""
        return {name: value for name, value in (
            ("team", self.team), ("received_from", self.received_from),
            ("received_to", self.received_to), ("resolved_from", self.resolved_from),
            ("resolved_to", self.resolved_to), ("deadline", self.deadline),
            ("satisfaction", self.satisfaction))
            if value not in (None, "")}


    def shape(self) -> tuple:
        """Which filters are set (not their values): what the statements' SQL depends on."""
        return (self.view, bool(self.severity), self.category is not None,
                self.client is not None,
                self.client_ids is not None, bool(self.client_q), self.assignee is not None,
                len(long_terms(self.terms)) if self.terms else None, self.team is not None,
                self.received_from is not None, self.received_to is not None,
                self.resolved_from is not None, self.resolved_to is not None, self.deadline,
                self.satisfaction is not None)

    @property
    def terms(self) -> list[str]:
        """The words of the search box, folded (``tracker.search``)."""
        return query_terms(self.q)

    def values(self) -> tuple:
        """The filters' values that decide the counts (not the view shown, nor the page)."""
        return (self.hours, self.severity, self.category, self.client, self.client_ids,
                self.client_q, self.assignee, self.q, self.team, self.received_from,
                self.received_to, self.resolved_from, self.resolved_to, self.deadline,
                self.satisfaction)

    def params(self, user: User, now: datetime) -> dict[str, Any]:
        """Every value the queue's statements take as a parameter, for this request."""
        return {"now": now, "soon": now + timedelta(hours=self.hours), "me": user.id,
                "severity": self.severity, "category": self.category, "client": self.client,
                "client_ids": list(self.client_ids or [-1]),
                "client_pattern": f"%{escape_like(self.client_q)}%", "assignee": self.assignee,
                "team": self.team, "satisfaction": self.satisfaction, **self._day_params(),
                **(text_match(self.terms, db.engine.dialect.name, "complaint")[1]
                   if self.terms else {})}


    def _day_params(self) -> dict[str, datetime | None]:
        """The chosen days as UTC instants: from the start of the first day to the start
        of the day after the last, in the reader's time zone."""
        def start(day: date | None, plus: int = 0) -> datetime | None:
            return day_start(day, plus) if day is not None else None

        return {"received_since": start(self.received_from),
                "received_until": start(self.received_to, 1),
                "resolved_since": start(self.resolved_from),
                "resolved_until": start(self.resolved_to, 1)}


def _clients(user: User) -> sa.Select:
    return visible(user, Organization, kind=OrgKind.CLIENT.value)


def _matching_clients(user: User, text: str) -> sa.Select:
    """Clients the user may see whose name contains ``text`` (at most CLIENT_MATCHES)."""
    pattern = param("client_pattern", f"%{escape_like(text)}%", Organization.name)
    return (_clients(user).where(Organization.name.ilike(pattern, escape="\\"))
            .with_only_columns(Organization.id, Organization.name)
            .order_by(Organization.sort_name, Organization.id).limit(CLIENT_MATCHES))


def _filtered(user: User, f: QueueFilters) -> sa.Select:
    stmt = visible(user, Complaint)
    if f.severity:
        stmt = stmt.where(Complaint.severity == param("severity", f.severity, Complaint.severity))
    if f.category is not None:
        stmt = stmt.where(Complaint.category_id == param("category", f.category, Complaint.id))
    if f.client is not None:
        stmt = stmt.where(Complaint.organization_id == param("client", f.client, Complaint.id))
    elif f.client_ids is not None:
        stmt = stmt.where(Complaint.organization_id.in_(
            param("client_ids", list(f.client_ids or [-1]), Complaint.id, expanding=True)))
    elif f.client_q:
        matches = _matching_clients(user, f.client_q).with_only_columns(Organization.id)
        stmt = stmt.where(Complaint.organization_id.in_(matches.subquery().select()))
    if f.assignee is not None:
        stmt = stmt.where(Complaint.assignee_id == param("assignee", f.assignee, Complaint.id))
    if f.team is not None:
        stmt = stmt.where(Complaint.team_id == param("team", f.team, Complaint.id))
    days = f._day_params()
    for name, column, op in (("received_since", Complaint.received_at, "ge"),
                             ("received_until", Complaint.received_at, "lt"),
                             ("resolved_since", Complaint.resolved_at, "ge"),
                             ("resolved_until", Complaint.resolved_at, "lt")):
        if days[name] is not None:
            value = param(name, days[name], column)
            stmt = stmt.where(column >= value if op == "ge" else column < value)
    if f.deadline:
        stmt = stmt.where(deadline_clause(f.deadline))
    if f.satisfaction is not None:
        stmt = stmt.where(Complaint.satisfaction == param("satisfaction", f.satisfaction,
                                                          Complaint.id))
    if f.terms:  # punctuation alone holds no word to look for
        # title, description, category, notes and replies, resolution, root cause: what
        # the search index holds for a complaint (the words of the query as parameters)
        stmt = stmt.where(records_matching(Complaint.id, "complaint", f.terms,
                                           db.engine.dialect.name)[0])
    return stmt


def resolved_clause() -> sa.ColumnElement[bool]:
    """Resolved (or closed after resolving): what the metrics count as resolved."""
    from tracker.models import ComplaintStatus
    from tracker.workflow import state_in

    return sa.and_(Complaint.resolved_at.is_not(None),
                   state_in(Complaint.status, ComplaintStatus.is_resolved))


def deadline_clause(deadline: str) -> sa.ColumnElement[bool]:
    """Resolved with a resolution deadline, by it ("met") or after it ("missed")."""
    within = Complaint.resolved_at <= Complaint.resolve_due_at
    return sa.and_(resolved_clause(), Complaint.resolve_due_at.is_not(None),
                   within if deadline == "met" else sa.not_(within))


def _enable_sqlite_hints() -> None:
    """Let ``Select.with_hint(..., "sqlite")`` render (SQLAlchemy renders table hints for
    MySQL, SQL Server and Oracle only): SQLite's ``INDEXED BY`` follows the table name."""
    from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
    from sqlalchemy.sql.compiler import SQLCompiler

    if SQLiteCompiler.get_from_hint_text is SQLCompiler.get_from_hint_text:
        SQLiteCompiler.get_from_hint_text = lambda self, table, text: text


_enable_sqlite_hints()


def _narrowing_index(f: QueueFilters) -> str | None:
    """An index for a filter that leaves few closed complaints (a client, an assignee)."""
    if f.client is not None or f.client_ids is not None or f.client_q:
        return "ix_complaints_org"
    if f.assignee is not None:
        return "ix_complaints_assignee_status"
    if f.received_from is not None or f.received_to is not None:
        return "ix_complaints_received_at"
    if f.team is not None:
        return "ix_complaints_team_status"
    return None


def _in_index(stmt: sa.Select, view: str, f: QueueFilters, *, count: bool = False) -> sa.Select:
    """Name the index for SQLite, whose planner (without ANALYZE statistics) would rather
    read every closed complaint by status and sort them than walk an index already in
    deadline order. Open views: the small open index; the closed view: the closed one in
    deadline order, or a client's or an assignee's complaints when filtered so (walking
    195,000 closed rows for a client's few would be the slow way). PostgreSQL's planner
    needs no hint."""
    order = ORDERS[f.sort.removeprefix("-")]
    if view == "closed":
        ended = ("ix_complaints_ended_due_next" if order.first == "deadline"
                 else order.other_index)
        index = _narrowing_index(f) or (None if count else ended)
    elif view == "all":
        index = _narrowing_index(f) or (None if count else order.other_index)
    else:
        # the counts read the open deadline index whatever the order: it holds all they need
        index = "ix_complaints_open_due_next" if count else order.open_index
    return stmt.with_hint(Complaint, f"INDEXED BY {index}", "sqlite") if index else stmt


def queue(user: User, f: QueueFilters, now: datetime) -> sa.Select:
    """The rows of the chosen view (unordered: ``keyset_page`` orders them by
    ``sort_keys(f.sort)``)."""
    stmt = _filtered(user, f).where(view_clause(f.view, user, now, f.hours))
    return _in_index(stmt, f.view, f).options(
        load_only(*ROW_COLUMNS), joinedload(Complaint.organization).load_only(Organization.name),
        joinedload(Complaint.assignee).load_only(User.name))


class ViewCounts(dict[str, int]):
    """How many complaints each view holds (a dict); ``capped`` names views past their cap;
    ``until``: the first instant at which time alone moves a complaint into or out of "due
    soon" or "overdue" (the counts hold until then, or until a complaint changes)."""

    def __init__(self) -> None:
        super().__init__()
        self.capped: set[str] = set()
        self.until: datetime | None = None

    def shown(self, view: str) -> str:
        """The count as the tab shows it: "1000+" past the cap."""
        return f"{self[view]}+" if view in self.capped else str(self[view])


def counts_statement(user: User, f: QueueFilters, now: datetime) -> sa.Select:
    """One statement counting every view under the same filters.

    The open views in one walk of the open index (small, and it holds every column these
    need), each a ``count(*) FILTER (WHERE …)`` of the rows meeting its condition (a third
    cheaper than ``sum(CASE …)`` on SQLite); the closed view, nearly every
    complaint ever filed, counted up to CLOSED_CAP.
    """
    base = _filtered(user, f).order_by(None)
    counts = [sa.func.count().label("open")]
    for view in VIEWS:
        if view not in ("open", "closed", "all"):
            counts.append(sa.func.count().filter(_condition(view, user, now, f.hours))
                        .label(view))
    # When time alone next changes a count: the next complaint to fall overdue, to leave
    # "due soon" (its deadline passes) or to enter it (its deadline comes within range).
    at_now = param("now", now, Complaint.due_next_at)
    soon = param("soon", now + timedelta(hours=f.hours), Complaint.due_next_at)
    counts += [
        sa.func.min(Complaint.overdue_at).filter(Complaint.overdue_at >= at_now)
        .label("next_overdue"),
        sa.func.min(Complaint.due_next_at).filter(Complaint.due_next_at >= at_now)
        .label("next_due"),
        sa.func.min(Complaint.due_next_at).filter(Complaint.due_next_at > soon)
        .label("next_soon")]
    open_counts = _in_index(base.where(_is_open()), "open", f, count=True).with_only_columns(
        *counts).subquery("open_counts")
    # By client or assignee when so filtered, else left to the planner (by status for
    # everyone, by team or owner where that is narrower).
    closed = capped_count_column(_in_index(base.where(_is_ended()), "closed", f, count=True),
                                 CLOSED_CAP)
    return sa.select(*[open_counts.c[view] for view in VIEWS if view not in ("closed", "all")],
                     closed.label("closed"), open_counts.c.next_overdue,
                     open_counts.c.next_due, open_counts.c.next_soon)


_COUNTS: Kept[ViewCounts] = Kept(1024)


def view_counts(user: User, f: QueueFilters, now: datetime) -> ViewCounts:
    """How many complaints each view holds under the same filters: one statement, built
    once per reader's access and set of filters (``tracker.statements``).

    Exact, and kept by each worker while no complaint changes (``tracker.generations``)
    and until time alone would change one of them (``ViewCounts.until``).
    """
    key = (permissions_of(user).key(user), f.shape()[1:], f.values())
    return kept_while(_COUNTS, key, ("access", "complaints"),
                      lambda: _view_counts(user, f, now),
                      fresh=lambda counts: counts.until is None or now < counts.until)


def _view_counts(user: User, f: QueueFilters, now: datetime) -> ViewCounts:
    stmt = kept(("queue-counts", permissions_of(user).key(user), f.shape()[1:]),
                lambda: counts_statement(user, f, now))
    row = db.session.execute(stmt, f.params(user, now)).one()
    counts = ViewCounts()
    for view, n in zip(VIEWS, row, strict=False):
        counts[view] = min(n or 0, CLOSED_CAP) if view == "closed" else (n or 0)
    # every complaint is open or ended: "all" is the two (past the cap when ended is)
    counts["all"] = counts["open"] + counts["closed"]
    if (row.closed or 0) > CLOSED_CAP:
        counts.capped.update(("closed", "all"))
    ends = [row.next_overdue, row.next_due]
    if row.next_soon is not None:
        ends.append(row.next_soon - timedelta(hours=f.hours))
    counts.until = min((_utc(end) for end in ends if end is not None), default=None)
    return counts


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive UTC datetimes where PostgreSQL gives aware ones.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class CategoryEntry:
    """A complaint category as the filters and rows show it (both labels kept)."""

    id: int
    name: str
    name_zh: str
    archived: bool

    @property
    def label(self) -> str:
        return self.name_zh if self.name_zh and wants_chinese() else self.name

    @property
    def choice(self) -> tuple[int, str]:
        return self.id, self.label


@dataclass
class FilterOptions:
    """What the filters offer: categories, people, and the clients a name stands for."""

    categories: list[CategoryEntry] = field(default_factory=list)
    people: list[tuple[int, str]] = field(default_factory=list)
    client: tuple[int, str] | None = None  # the chosen client, if the user may see it
    matches: list[tuple[int, str]] = field(default_factory=list)


_VOCABULARY: Kept[tuple[list[CategoryEntry], list[tuple[int, str]]]] = Kept(2)


def _vocabulary() -> tuple[list[CategoryEntry], list[tuple[int, str]]]:
    """The categories in their order and the active people by name (one statement)."""
    C = ComplaintCategory
    rows = db.session.execute(sa.union_all(
        sa.select(sa.literal("category").label("kind"), C.id.label("id"), C.name.label("name"),
                  C.name_zh.label("other"), C.archived_at.is_not(None).label("archived"),
                  sa.literal("").label("key"), C.position.label("position")),
        sa.select(sa.literal("person"), User.id, User.name, sa.literal(""), sa.false(),
                  User.sort_name, sa.literal(0)).where(
            User.archived_at.is_(None), User.is_enabled)))
    categories, keyed = [], []
    for kind, row_id, name, other, archived, key, position in rows:
        if kind == "category":
            categories.append((position, row_id, CategoryEntry(row_id, name, other,
                                                               bool(archived))))
        else:
            keyed.append((key, row_id, name))
    return ([entry for _p, _i, entry in sorted(categories, key=lambda c: c[:2])],
            [(row_id, name) for _key, row_id, name in sorted(keyed)])


def vocabulary() -> tuple[list[CategoryEntry], list[tuple[int, str]]]:
    """The categories and the active people (id, name): the same for every reader, so
    kept by each worker until the vocabulary changes (``tracker.generations``)."""
    return kept_while(_VOCABULARY, "queue", ("vocabulary",), _vocabulary)


def category_labels() -> dict[int, str]:
    """Every category's label in the reader's language, by id (archived ones too)."""
    return {c.id: c.label for c in vocabulary()[0]}


def active_people() -> list[tuple[int, str]]:
    """Active people (id, name) for the assignee and owner fields, sorted by name."""
    return list(vocabulary()[1])


def filter_options(user: User, f: QueueFilters) -> FilterOptions:
    """What the filter controls list: the kept vocabulary, and a chosen or typed client
    read for this reader (one statement)."""
    categories, people = vocabulary()
    options = FilterOptions(categories=[c for c in categories
                                        if not c.archived or c.id == f.category],
                            people=people)
    if f.client is not None:
        found = db.session.execute(_clients(user).where(Organization.id == f.client)
                                   .with_only_columns(Organization.id, Organization.name)
                                   ).first()
        options.client = (found[0], found[1]) if found else None
    elif f.client_q:
        options.matches = [(row_id, name) for row_id, name in db.session.execute(
            _matching_clients(user, f.client_q))]
    return options
