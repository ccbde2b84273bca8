"""Answering a search within what the reader may see.

A document matches when it holds every gram of every term (the FTS5 table on SQLite, the
GIN-indexed array on PostgreSQL: one posting list per gram) and its folded text contains
each term longer than two characters (a shorter one *is* its gram). It counts for a
reader only when the reader may see its record: each candidate is probed against its own
table through the access layer (``visible_rows``), and an agreement's document with money
fields only for readers who may see money. Counts and pages are computed over the same
clause, so a hidden record's words are never matched, listed or counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import ColumnElement

from tracker.access import Capability, has, reader_clause, sees_every, visible_rows
from tracker.access.reach import reader_keys
from tracker.access.scopes import probe
from tracker.extensions import db
from tracker.models import MoneyPart, SearchDocument, User
from tracker.models.search import FTS_TABLE
from tracker.paging import COUNT_CAP
from tracker.search.normalize import (
    fts_token,
    kind_gram,
    kind_token,
    query_terms,
    reach_gram,
    reach_token,
    term_grams,
)
from tracker.search.sources import KIND_SOURCE, SOURCES

D = SearchDocument
FTS = sa.table(FTS_TABLE, sa.column("rowid", sa.Integer), sa.column(FTS_TABLE))
PER_KIND = 3  # results per kind on the first page of an "all kinds" search
PAGE_SIZE = 20
FEW = 5000  # documents below which one posting list for all kinds is the cheaper read
SCAN_CAP = COUNT_CAP  # documents of a kind a search counts and ranks (``candidates``)
UNCAPPED = 2**31 - 2  # a LIMIT that is none (``count_statement``)


def _grams_value(terms: list[str], dialect: str, kind: str | None) -> str | list[str]:
    wanted = list(dict.fromkeys(g for term in terms for g in term_grams(term)))
    if dialect == "postgresql":
        return wanted + ([kind_gram(kind)] if kind else [])
    return " AND ".join([kind_token(kind)] * bool(kind) + [fts_token(g) for g in wanted])


def long_terms(terms: list[str]) -> list[str]:
    """The terms checked against the text: a term of one or two characters without a
    space *is* its gram, so holding the gram is containing the term."""
    return [term for term in terms if len(term) > 2]


def text_match(terms: list[str], dialect: str, kind: str | None = None,
               prefix: str = "q") -> tuple[ColumnElement[bool], dict[str, Any]]:
    """Documents (of ``kind``) holding every term (folded, from ``query_terms``), with
    named parameters (``<prefix>_grams``, ``<prefix>_term_<n>``): the clause depends on
    the number of long terms only, so a kept statement serves every query of that
    shape when given the parameters."""
    params: dict[str, Any] = {f"{prefix}_grams": _grams_value(terms, dialect, kind)}
    if dialect == "postgresql":
        array = postgresql.ARRAY(sa.Text)
        grams: ColumnElement[bool] = sa.type_coerce(D.grams, array).contains(
            sa.bindparam(f"{prefix}_grams", params[f"{prefix}_grams"], type_=array))
    else:
        name = f"{prefix}_grams"
        grams = D.id.in_(sa.text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH "
                                 f":{name}").bindparams(**{name: params[name]})
                         .columns(rowid=sa.Integer))
    checks, more = _checks(terms, dialect, prefix)
    return sa.and_(grams, *checks), {**params, **more}


def _find(dialect: str) -> Any:
    """Where a text holds another (0: nowhere): ``strpos`` or ``instr``."""
    return sa.func.strpos if dialect == "postgresql" else sa.func.instr


def _checks(terms: list[str], dialect: str, prefix: str
            ) -> tuple[list[ColumnElement[bool]], dict[str, Any]]:
    """The long terms, each checked against the folded text."""
    find = _find(dialect)
    checks, params = [], {}
    for n, term in enumerate(long_terms(terms)):
        params[f"{prefix}_term_{n}"] = term
        checks.append(find(D.body, sa.bindparam(f"{prefix}_term_{n}", term, type_=sa.Text)) > 0)
    return checks, params


def matching(terms: list[str], dialect: str, kind: str | None = None
             ) -> ColumnElement[bool]:
    """Documents (of ``kind``) holding every term, the values bound in."""
    return text_match(terms, dialect, kind, prefix=f"fts_{kind or 'any'}")[0]


def records_matching(column: Any, kind: str, terms: list[str], dialect: str,
                     prefix: str = "q", *, user: User | None = None,
                     returns: Any = None) -> tuple[ColumnElement[bool], dict[str, Any]]:
    """``column`` (a record id) is one whose ``kind`` document holds the terms: a list's
    search box, searching what the index holds for it (a complaint's description and
    replies, not only its title). The list applies its own scope; ``user`` is needed
    for a kind with money fields (agreements: their amounts match only for readers who
    see money). ``returns`` is the document column compared (a contact's
    ``organization_id``, to find organizations by their contacts)."""
    clause, params = text_match(terms, dialect, kind, prefix)
    where = [clause] if user is None else [clause, _money(user)]
    return column.in_(sa.select(D.record_id if returns is None else returns)
                      .where(*where)), params


def list_search(column: Any, kind: str, query: str, *, user: User | None = None,
                returns: Any = None) -> ColumnElement[bool] | None:
    """``records_matching`` for what was typed in a list's box, values bound in; None
    when it holds no word (punctuation only), which narrows nothing."""
    terms = query_terms(query)
    if not terms:
        return None
    clause, _params = records_matching(column, kind, terms,
                                       db.session.get_bind().dialect.name, f"q_{kind}",
                                       user=user, returns=returns)
    return clause  # its parameters carry their values


def _money(user: User) -> ColumnElement[bool]:
    money = (MoneyPart.WITH_MONEY if has(user, Capability.SEE_MONEY)
             else MoneyPart.WITHOUT_MONEY)
    return D.money.in_((MoneyPart.EVERYONE, money))


def _record_seen(user: User, table: str) -> ColumnElement[bool]:
    """The document's record, of ``table``, is one the user may see. A document exists
    only for a live record: one the user sees wholesale needs no probe (an
    administrator's search reads no source table at all)."""
    model = SOURCES[table].model
    if sees_every(user, model):
        return sa.true()
    return probe(sa.select(model.id).where(model.id == D.record_id,
                                           visible_rows(user, model)).correlate(D))


def readable(user: User, table: str | None = None) -> ColumnElement[bool]:
    """Documents whose record the user may see (and, for money, whose fields). With
    ``table``, for documents known to be of ``table``'s records (their kind's postings):
    one probe instead of every table's behind a ``CASE``. (Saying ``source = table``
    here would let SQLite read that source's documents by the index on source instead
    of the postings.)"""
    if table is not None:
        return reader_clause(user, f"search-documents:{table}", lambda: sa.and_(
            _money(user), _record_seen(user, table)))
    return reader_clause(user, "search-documents", lambda: sa.and_(
        _money(user), sa.case({t: _record_seen(user, t) for t in SOURCES},
                              value=D.source, else_=sa.false())))


@dataclass
class Filters:
    """What the results page narrows by (all optional)."""

    kind: str | None = None
    kinds: tuple[str, ...] | None = None  # several kinds, each ranked on its own
    since: datetime | None = None  # aware; from the start of a day in the reader's zone
    until: datetime | None = None  # aware, exclusive
    owner_id: int | None = None
    team_id: int | None = None
    organization_id: int | None = None
    status: str | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.kind in KIND_SOURCE:
            found.append(D.kind == self.kind)
        if self.kinds:
            found.append(D.kind.in_(self.kinds))
        if self.since:
            found.append(D.at >= self.since)
        if self.until:
            found.append(D.at < self.until)
        for column, value in ((D.owner_id, self.owner_id), (D.team_id, self.team_id),
                              (D.organization_id, self.organization_id),
                              (D.status, self.status)):
            if value is not None and value != "":
                found.append(column == value)
        return found

    def without_kind(self) -> Filters:
        return Filters(**{**self.__dict__, "kind": None})


@dataclass
class Hit:
    id: int
    kind: str
    source: str
    record_id: int
    title: str
    text: str
    at: datetime
    organization_id: int | None


@dataclass
class Results:
    terms: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    capped: set[str] = field(default_factory=set)  # kinds with more than SCAN_CAP
    exact: bool = False  # the capped kinds' counts were then counted whole

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _rank(terms: list[str], dialect: str) -> ColumnElement[int]:
    """0 when the title (or a name's pinyin) starts with the words, 1 when it holds
    them, else 2."""
    find = _find(dialect)
    starts = sa.and_(*(find(D.head, "\n" + term) > 0 for term in terms))
    holds = sa.and_(*(find(D.head, term) > 0 for term in terms))
    return sa.case((starts, 0), (holds, 1), else_=2)


def _columns() -> list[Any]:
    return [D.id, D.kind, D.source, D.record_id, D.title, D.text, D.at, D.organization_id]


def _kinds(filters: Filters) -> list[str]:
    if filters.kinds:
        return [k for k in filters.kinds if k in KIND_SOURCE]
    return list(KIND_SOURCE)


def candidates(user: User, terms: list[str], filters: Filters, dialect: str,
               cap: int | None = None, by_kind: bool = True) -> sa.Subquery:
    """The documents a search counts and ranks (id, kind): those that match and the user
    may see, of each kind ``cap + 1`` (the most recently written on SQLite).

    ``by_kind`` reads each kind's postings on its own (the kind is a gram too), so the
    work is bounded per kind: a word in half of a million notes would otherwise cost a
    probe per note on every search; past the cap the page says "1,000+", as the lists
    do. Without it one posting list is read for all kinds, which is cheaper when few
    documents hold the words (``search`` asks first: ``few_statement``)."""
    cap = SCAN_CAP if cap is None else cap
    where = filters.without_kind().clauses()
    if not by_kind:
        kinds = _kinds(filters)
        if len(kinds) < len(KIND_SOURCE):
            where.append(D.kind.in_(kinds))
        return (sa.select(D.id.label("id"), D.kind.label("kind"))
                .where(matching(terms, dialect), readable(user), *where)
                .subquery("candidates"))
    # Only the kinds the reader may see something of; for each, the postings narrowed to
    # the reader's reach keys (their own id, their teams) where their level is not "all":
    # a team member's candidates are then their teams' documents, not everybody's, each
    # still probed by ``readable``.
    kinds = {kind: reach_keys(user, kind) for kind in _kinds(filters)}
    kinds = {kind: keys for kind, keys in kinds.items() if keys != []}
    if not kinds:
        return sa.select(D.id.label("id"), D.kind.label("kind")).where(
            sa.false()).subquery("candidates")
    if dialect == "postgresql":
        # No order: one would either read every match to sort it, or walk the whole table
        # backwards by key; the first ``cap + 1`` the GIN bitmap yields are taken.
        array = postgresql.ARRAY(sa.Text)
        parts = [sa.select(D.id.label("id"), D.kind.label("kind"))
                 .where(matching(terms, dialect, kind), readable(user, KIND_SOURCE[kind]),
                        *([] if keys is None else [sa.type_coerce(D.grams, array).overlap(
                            sa.bindparam(f"reach_{kind}", [reach_gram(k) for k in keys],
                                         type_=array))]),
                        *where).limit(cap + 1) for kind, keys in kinds.items()]
    else:
        # The postings drive, newest first, each document reached by its key, and the walk
        # stops at the cap: an IN (postings) list would first be built whole (344,000
        # notes hold 客户 at the bench's scale).
        parts = []
        for kind, keys in kinds.items():
            name = f"fts_{kind}"
            checks = _checks(terms, dialect, name)[0]
            match = _grams_value(terms, dialect, kind)
            if keys is not None:
                match += " AND (" + " OR ".join(reach_token(k) for k in keys) + ")"
            parts.append(
                sa.select(D.id.label("id"), D.kind.label("kind"))
                .select_from(FTS.join(D, D.id == FTS.c.rowid))
                .where(FTS.c[FTS_TABLE].op("MATCH")(sa.bindparam(name, match, type_=sa.Text)),
                       *checks, readable(user, KIND_SOURCE[kind]), *where)
                .order_by(FTS.c.rowid.desc()).limit(cap + 1))
    return sa.union_all(*(part.subquery().select() for part in parts)).subquery("candidates")


# Organization kinds a kind's documents hang under, where not every kind: a reader's
# level differs by kind (``reach_keys``). Other organizations' documents are not narrowed.
_ORG_KINDS: dict[str, tuple[str, ...]] = {
    "partner": ("partner",), "client": ("client",), "round": ("partner",)}


def reach_keys(user: User, kind: str) -> list[str] | None:
    """The reader's reach keys for documents of ``kind`` (``access.reach``): None when
    they do not narrow, [] when the reader may see none."""
    if kind == "organization":
        return None
    return reader_keys(user, SOURCES[KIND_SOURCE[kind]].model, _ORG_KINDS.get(kind, ()))


def few_statement(terms: list[str], dialect: str, few: int | None = None) -> sa.Select:
    """How many documents hold the words, whoever may see them, counting to ``few + 1``:
    one posting list read, no document."""
    few = FEW if few is None else few
    if dialect == "postgresql":
        held = sa.select(D.id).where(matching(terms, dialect)).limit(few + 1).subquery()
        return sa.select(sa.func.count()).select_from(held)
    return sa.text(f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} "
                   f"MATCH :few_match LIMIT :few)").bindparams(
        few_match=_grams_value(terms, dialect, None), few=few + 1)


def search_statement(user: User, terms: list[str], filters: Filters, dialect: str,
                     page: int = 1, page_size: int = PAGE_SIZE,
                     per_kind: int = PER_KIND, cap: int | None = None,
                     by_kind: bool = True) -> sa.Select:
    """One statement for the whole page: the candidates ranked within each kind (title
    matches first, then the most recent), each row with its kind's count. It returns the
    best ``per_kind`` of every kind, or with ``filters.kind`` that kind's page (and the
    first row of every other kind, for its count)."""
    found = candidates(user, terms, filters, dialect, cap, by_kind)
    order = (_rank(terms, dialect), D.at.desc(), D.id.desc())
    # Ranked on the few columns ranking reads; the shown rows alone are read whole.
    ranked = (sa.select(D.id, D.kind,
                        sa.func.row_number().over(partition_by=D.kind, order_by=order)
                        .label("place"),
                        sa.func.count().over(partition_by=D.kind).label("total"))
              .join(found, found.c.id == D.id).subquery("ranked"))
    if filters.kind in KIND_SOURCE:
        first = (max(page, 1) - 1) * page_size
        wanted = sa.or_(ranked.c.place == 1, sa.and_(
            ranked.c.kind == filters.kind, ranked.c.place > first,
            ranked.c.place <= first + page_size))
    else:
        wanted = ranked.c.place <= per_kind
    return (sa.select(*_columns(), ranked.c.place, ranked.c.total)
            .join(ranked, ranked.c.id == D.id).where(wanted)
            .order_by(ranked.c.kind, ranked.c.place))


def count_statement(user: User, terms: list[str], filters: Filters,
                    dialect: str) -> sa.Select:
    """Every match the user may see, counted per kind with no cap: what a "1,000+" on the
    results page asks for when the reader wants the number (``exact_counts``). Bounded by
    how many documents hold the words, not by the page, so it runs on its own request."""
    found = candidates(user, terms, filters, dialect, cap=UNCAPPED)
    return sa.select(found.c.kind, sa.func.count()).group_by(found.c.kind)


def exact_counts(session: Any, user: User, query: str,
                 filters: Filters | None = None) -> dict[str, int]:
    """How many of each kind (of ``filters.kinds``, or all) match and the user may see."""
    terms = query_terms(query)
    if not terms:
        return {}
    dialect = session.get_bind().dialect.name
    return {kind: n for kind, n in session.execute(
        count_statement(user, terms, filters or Filters(), dialect))}


def search(session: Any, user: User, query: str, filters: Filters | None = None,
           page: int = 1, page_size: int = PAGE_SIZE, per_kind: int = PER_KIND) -> Results:
    """Counts per kind of what matches and the user may see (up to ``SCAN_CAP`` each,
    then "N+"), and the hits to show: two statements (``few_statement``,
    ``search_statement``)."""
    filters = filters or Filters()
    results = Results(query_terms(query))
    if not results.terms:
        return results
    dialect = session.get_bind().dialect.name
    first = (max(page, 1) - 1) * page_size
    by_kind = session.scalar(few_statement(results.terms, dialect)) > FEW
    for row in session.execute(search_statement(user, results.terms, filters, dialect,
                                                page, page_size, per_kind, by_kind=by_kind)):
        *columns, place, total = row
        results.counts[row.kind] = min(total, SCAN_CAP)
        if total > SCAN_CAP:
            results.capped.add(row.kind)
        if filters.kind in KIND_SOURCE:
            if row.kind == filters.kind and first < place <= min(first + page_size, SCAN_CAP):
                results.hits.append(Hit(*columns))
        elif place <= per_kind:
            results.hits.append(Hit(*columns))
    return results
