"""Answering a search within what the reader may see.

A document matches when it holds every gram of every term (the FTS5 table on SQLite, the
GIN-indexed array on PostgreSQL: one posting list per gram) and its folded text contains
each term longer than one character (a one-character term *is* its gram). It counts for a
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

from tracker.access import Capability, has, reader_clause, visible_rows
from tracker.access.scopes import probe
from tracker.models import MoneyPart, SearchDocument, User
from tracker.models.search import FTS_TABLE
from tracker.search.normalize import fts_token, query_terms, term_grams
from tracker.search.sources import KIND_SOURCE, SOURCES

D = SearchDocument
PER_KIND = 3  # results per kind on the first page of an "all kinds" search
PAGE_SIZE = 20


def matching(terms: list[str], dialect: str) -> ColumnElement[bool]:
    """Documents holding every term (folded, from ``query_terms``)."""
    wanted = list(dict.fromkeys(g for term in terms for g in term_grams(term)))
    if dialect == "postgresql":
        array = postgresql.ARRAY(sa.Text)
        grams: ColumnElement[bool] = sa.type_coerce(D.grams, array).contains(
            sa.cast(wanted, array))
        find = sa.func.strpos
    else:
        expression = " AND ".join(fts_token(g) for g in wanted)
        grams = D.id.in_(sa.text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH "
                                 ":fts").bindparams(fts=expression).columns(rowid=sa.Integer))
        find = sa.func.instr
    checks = [find(D.body, term) > 0 for term in terms if len(term) > 1]
    return sa.and_(grams, *checks)


def readable(user: User) -> ColumnElement[bool]:
    """Documents whose record the user may see (and, for money, whose fields)."""

    def build() -> ColumnElement[bool]:
        cases = {table: probe(sa.select(source.model.id).where(
            source.model.id == D.record_id, visible_rows(user, source.model)
        ).correlate(D)) for table, source in SOURCES.items()}
        money = (MoneyPart.WITH_MONEY if has(user, Capability.SEE_MONEY)
                 else MoneyPart.WITHOUT_MONEY)
        return sa.and_(D.money.in_((MoneyPart.EVERYONE, money)),
                       sa.case(cases, value=D.source, else_=sa.false()))

    return reader_clause(user, "search-documents", build)


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

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _rank(terms: list[str], dialect: str) -> ColumnElement[int]:
    find = sa.func.strpos if dialect == "postgresql" else sa.func.instr
    in_title = sa.and_(*(find(D.head, term) > 0 for term in terms))
    return sa.case((in_title, 0), else_=1)


def _columns() -> list[Any]:
    return [D.id, D.kind, D.source, D.record_id, D.title, D.text, D.at, D.organization_id]


def count_statement(user: User, terms: list[str], filters: Filters,
                    dialect: str) -> sa.Select:
    """How many documents of each kind match and the user may see."""
    return sa.select(D.kind, sa.func.count()).where(
        matching(terms, dialect), readable(user), *filters.without_kind().clauses()
    ).group_by(D.kind)


def hits_statement(user: User, terms: list[str], filters: Filters, dialect: str,
                   page: int = 1, page_size: int = PAGE_SIZE,
                   per_kind: int = PER_KIND) -> sa.Select:
    """The hits to show, best first: a page of one kind when ``filters.kind`` is set,
    else the best ``per_kind`` of each kind."""
    where = [matching(terms, dialect), readable(user), *filters.clauses()]
    order = (_rank(terms, dialect), D.at.desc(), D.id.desc())
    if filters.kind in KIND_SOURCE:
        return (sa.select(*_columns()).where(*where).order_by(*order).limit(page_size)
                .offset((max(page, 1) - 1) * page_size))
    ranked = sa.select(*_columns(), sa.func.row_number().over(
        partition_by=D.kind, order_by=order).label("place")).where(*where).subquery()
    return (sa.select(*(ranked.c[c.key] for c in _columns()))
            .where(ranked.c.place <= per_kind).order_by(ranked.c.kind, ranked.c.place))


def search(session: Any, user: User, query: str, filters: Filters | None = None,
           page: int = 1, page_size: int = PAGE_SIZE, per_kind: int = PER_KIND) -> Results:
    """Counts per kind of everything that matches and the user may see, and the hits to
    show (``hits_statement``). Two statements; one when nothing matches."""
    filters = filters or Filters()
    results = Results(query_terms(query))
    if not results.terms:
        return results
    dialect = session.get_bind().dialect.name
    counted = session.execute(count_statement(user, results.terms, filters, dialect)).all()
    results.counts = {kind: count for kind, count in counted if kind in KIND_SOURCE}
    wanted = ([filters.kind] if filters.kind in KIND_SOURCE else
              list(filters.kinds or results.counts))
    if any(results.counts.get(kind) for kind in wanted):
        results.hits = [Hit(*row) for row in session.execute(hits_statement(
            user, results.terms, filters, dialect, page, page_size, per_kind))]
    return results
