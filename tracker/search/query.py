"""Answering a search within what the reader may see.

A document matches when it holds every gram of every term (the FTS5 table on SQLite, the
GIN-indexed array on PostgreSQL: one posting list per gram and kind) and its folded text
contains each term longer than two characters (a shorter one *is* its gram). Each kind
is read on its own, from the postings of its kind key (``normalize.kind_key``): an
agreement's document with money fields only for readers who may see money. A document
counts for a reader only when the reader may see its record: each candidate is probed
against its own table through the access layer (``visible_rows``). Counts and pages are
computed over the same clause, so a hidden record's words are never matched, listed or
counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import ColumnElement

from tracker.access import Capability, has, reader_clause, sees_every, visible_rows
from tracker.access.permissions import permissions_of
from tracker.access.reach import reader_keys
from tracker.access.scopes import probe
from tracker.compiled import CompiledStatement
from tracker.extensions import db
from tracker.kept import Kept
from tracker.models import MoneyPart, SearchDocument, User
from tracker.models.base import utcnow
from tracker.models.search import FTS_TABLE
from tracker.paging import COUNT_CAP
from tracker.search.normalize import (
    gram_element,
    gram_token,
    kind_key,
    month_element,
    query_terms,
    reach_element,
    reach_token,
    term_grams,
)
from tracker.search.sources import KIND_SOURCE, MONEY_KINDS, SOURCES

D = SearchDocument
FTS = sa.table(FTS_TABLE, sa.column("rowid", sa.Integer), sa.column(FTS_TABLE))
PER_KIND = 3  # results per kind on the first page of an "all kinds" search
PAGE_SIZE = 20
SCAN_CAP = COUNT_CAP  # documents of a kind a search counts and ranks (``candidates``)
# ... of a kind the page only glances at: every kind on the "all kinds" page, the other
# kinds' tabs on a kind's page. Past it the count says "50+" until the exact count comes
# (``exact_counts``): counting a common word to 1,000 in every kind cost a team member
# 1,000 scope checks per kind, and to 100, 10.3 ms of PostgreSQL's time against 7.3.
PEEK_CAP = 50
UNCAPPED = 2**31 - 2  # a LIMIT that is none (``count_statement``)
# PostgreSQL: the kinds whose records pile up by the thousand every month, read a month
# at a time, newest first, over this many months, then the rest at once
# (``_kind_part``). Each month is one more index scan: for the few hundred meetings or
# goals of a month, reading the kind's list at once is cheaper (with every kind read by
# month, 客户 cost a team member 14.9 ms against 12.5).
MONTHLY_KINDS = frozenset({"round", "note", "complaint", "followup", "report", "requirement"})
RECENT_MONTHS = 3


def key_for(kind: str, user: User | None) -> str:
    """The kind key (``normalize.kind_key``) whose postings a reader's search of ``kind``
    reads: for a kind with money fields, its documents with them for a reader who may
    see money, without for the rest (and for no reader in particular)."""
    if kind not in MONEY_KINDS:
        return kind_key(kind)
    sees = user is not None and has(user, Capability.SEE_MONEY)
    return kind_key(kind, MoneyPart.WITH_MONEY if sees else MoneyPart.WITHOUT_MONEY)


def _wanted(terms: list[str]) -> list[str]:
    return list(dict.fromkeys(g for term in terms for g in term_grams(term)))


def _fts_match(terms: list[str], key: str, reach: list[str] | None = None) -> str:
    """An FTS5 query: the terms' grams in ``key``'s postings, narrowed to ``reach``
    keys."""
    tokens = [gram_token(key, g) for g in _wanted(terms)]
    if reach is not None:
        tokens.append("(" + " OR ".join(reach_token(key, k) for k in reach) + ")")
    return " AND ".join(tokens)


def _elements(terms: list[str], key: str) -> list[str]:
    return [gram_element(key, g) for g in _wanted(terms)]


ARRAY = postgresql.ARRAY(sa.Text)


def _holds(name: str, elements: list[str]) -> ColumnElement[bool]:
    """PostgreSQL: the document's array holds every element (the GIN index answers)."""
    return sa.type_coerce(D.grams, ARRAY).contains(sa.bindparam(name, elements, type_=ARRAY))


def long_terms(terms: list[str]) -> list[str]:
    """The terms checked against the text: a term of one or two characters without a
    space *is* its gram, so holding the gram is containing the term."""
    return [term for term in terms if len(term) > 2]


def text_match(terms: list[str], dialect: str, kind: str, prefix: str = "q",
               user: User | None = None) -> tuple[ColumnElement[bool], dict[str, Any]]:
    """Documents of ``kind`` (for ``user``'s money: ``key_for``) holding every term
    (folded, from ``query_terms``), with named parameters (``<prefix>_grams``,
    ``<prefix>_term_<n>``): the clause depends on the number of long terms only, so a
    kept statement serves every query of that shape when given the parameters."""
    key = key_for(kind, user)
    name = f"{prefix}_grams"
    grams: ColumnElement[bool]
    params: dict[str, Any]
    if dialect == "postgresql":
        params = {name: _elements(terms, key)}
        grams = _holds(name, params[name])
    else:
        params = {name: _fts_match(terms, key)}
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


def records_matching(column: Any, kind: str, terms: list[str], dialect: str,
                     prefix: str = "q", *, user: User | None = None,
                     returns: Any = None) -> tuple[ColumnElement[bool], dict[str, Any]]:
    """``column`` (a record id) is one whose ``kind`` document holds the terms: a list's
    search box, searching what the index holds for it (a complaint's description and
    replies, not only its title). The list applies its own scope; ``user`` is needed
    for a kind with money fields (agreements: their amounts match only for readers who
    see money). ``returns`` is the document column compared (a contact's
    ``organization_id``, to find organizations by their contacts)."""
    clause, params = text_match(terms, dialect, kind, prefix, user)
    return column.in_(sa.select(D.record_id if returns is None else returns)
                      .where(clause)), params


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


def _record_seen(user: User, table: str, record_id: Any = None) -> ColumnElement[bool]:
    """The record ``record_id`` (a subquery's column; by default the document's own), of
    ``table``, is one the user may see. A document exists only for a live record: one the
    user sees wholesale needs no probe (an administrator's search reads no source table
    at all)."""
    model = SOURCES[table].model
    if sees_every(user, model):
        return sa.true()
    if record_id is None:
        return probe(sa.select(model.id).where(model.id == D.record_id,
                                               visible_rows(user, model)).correlate(D))
    return probe(sa.select(model.id).where(model.id == record_id, visible_rows(user, model)))


def readable(user: User, table: str) -> ColumnElement[bool]:
    """Documents of ``table``'s records, read from the postings of one of its kinds
    under the user's kind key (``key_for``, which already chose the money part), whose
    record the user may see: one probe per document, and none for a reader who sees the
    whole table. (Saying ``source = table`` here would let SQLite read that source's
    documents by the index on source instead of the postings.)"""
    return reader_clause(user, f"search-documents:{table}", lambda: _record_seen(user, table))


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
        """What narrows each kind's candidates (the kinds read are ``_kinds``')."""
        found: list[ColumnElement[bool]] = []
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
    capped: set[str] = field(default_factory=set)  # kinds past their cap (``cap_of``)
    exact: bool = False  # the capped kinds' counts were then counted whole

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _rank(terms: list[str], dialect: str) -> ColumnElement[int]:
    """0 when the title (or a name's pinyin) starts with the words, 1 when it holds
    them, else 2 (the words as parameters: ``_rank_values``)."""
    find = _find(dialect)
    values = _rank_values(terms)
    starts = sa.and_(*(find(D.head, sa.bindparam(f"rank_{n}_start", values[f"rank_{n}_start"],
                                                 type_=sa.Text)) > 0
                       for n in range(len(terms))))
    holds = sa.and_(*(find(D.head, sa.bindparam(f"rank_{n}", values[f"rank_{n}"],
                                                type_=sa.Text)) > 0
                      for n in range(len(terms))))
    return sa.case((starts, 0), (holds, 1), else_=2)


def _rank_values(terms: list[str]) -> dict[str, str]:
    values = {}
    for n, term in enumerate(terms):
        values[f"rank_{n}"] = term
        values[f"rank_{n}_start"] = "\n" + term
    return values


def _columns() -> list[Any]:
    return [D.id, D.kind, D.source, D.record_id, D.title, D.text, D.at, D.organization_id]


def _kinds(filters: Filters) -> list[str]:
    if filters.kinds:
        return [k for k in filters.kinds if k in KIND_SOURCE]
    return list(KIND_SOURCE)


def _reaches(user: User, filters: Filters) -> dict[str, list[str] | None]:
    """The kinds the reader may see something of, each with the reader's reach keys
    for it (None: not narrowed)."""
    kinds = {kind: reach_keys(user, kind) for kind in _kinds(filters)}
    return {kind: keys for kind, keys in kinds.items() if keys != []}


@dataclass
class _Kind:
    """One kind's candidates (``id``): at most ``cap + 1`` documents that match and the
    reader may see, the newest written first on SQLite. They are what the page counts
    and what it ranks."""

    kind: str
    found: sa.Select


def _kind_values(terms: list[str], kind: str, key: str, reach: list[str] | None,
                 dialect: str) -> dict[str, Any]:
    """The values of one kind's parameters in ``_kind_part``."""
    if dialect == "postgresql":
        elements = _elements(terms, key)
        values: dict[str, Any] = {f"fts_{kind}_grams": elements}
        if kind in MONTHLY_KINDS:
            months = recent_months()
            for n, month in enumerate(months[:-1]):
                values[f"month_{kind}_{n}"] = [month_element(key, month)]
            values["recent_since"], values["recent_until"] = months[-2], months[-1]
        if reach is not None:
            values[f"reach_{kind}"] = [reach_element(key, k) for k in reach]
        return values
    return {f"fts_{kind}": _fts_match(terms, key, reach)}


def recent_months(now: datetime | None = None) -> list[datetime]:
    """The first instants (UTC) of the ``RECENT_MONTHS`` months up to ``now``'s, newest
    first, then of the month after ``now``'s: the months a search reads one by one."""
    now = now or utcnow()
    first = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    months = [first]
    for _ in range(RECENT_MONTHS - 1):
        months.append((months[-1] - timedelta(days=1)).replace(day=1))
    return [*months, (first + timedelta(days=32)).replace(day=1)]


def _kind_part(user: User, terms: list[str], kind: str, reach: list[str] | None,
               where: list[ColumnElement[bool]], dialect: str, cap: int) -> _Kind:
    name = f"fts_{kind}"
    table = KIND_SOURCE[kind]
    seen = readable(user, table)
    checks = _checks(terms, dialect, "q")[0]
    values = _kind_values(terms, kind, key_for(kind, user), reach, dialect)
    if dialect == "postgresql":
        narrow = [] if reach is None else [sa.type_coerce(D.grams, ARRAY).overlap(
            sa.bindparam(f"reach_{kind}", values[f"reach_{kind}"], type_=ARRAY))]

        if kind not in MONTHLY_KINDS:
            # No order: the first ``cap + 1`` the GIN bitmap yields are taken.
            return _Kind(kind, sa.select(D.id.label("id")).where(
                _holds(f"{name}_grams", values[f"{name}_grams"]), *narrow, *checks, seen,
                *where).limit(cap + 1))

        def read(grams: str, *more: ColumnElement[bool]) -> sa.Select:
            return sa.select(D.id.label("id"), D.record_id.label("record_id")).where(
                _holds(grams, values[grams]), *narrow, *checks, *where, *more)

        # A GIN scan builds its whole bitmap before the first row: 70-110 ms for the
        # 344,000 notes that hold 客户. Each recent month is read on its own, newest
        # first, and PostgreSQL's Append stops at the LIMIT: a common word is found in
        # this month's notes; a rare one reads the rest of its short list in the last
        # part. The month is a condition of its own: GIN then walks the month's list and
        # skips through the word's (1 ms for December's 4,516 notes and 客户); as one more
        # element of the word's array it measured 15 ms.
        since = sa.bindparam("recent_since", values["recent_since"], type_=D.at.type)
        until = sa.bindparam("recent_until", values["recent_until"], type_=D.at.type)
        months = [read(f"{name}_grams", _holds(f"month_{kind}_{n}",
                                               values[f"month_{kind}_{n}"]))
                  for n in range(RECENT_MONTHS)]
        rest = read(f"{name}_grams", sa.or_(D.at < since, D.at >= until))
        both = sa.union_all(*months, rest).subquery(f"months_{kind}")
        # The reader's scope is checked once, above the months (in each month's part, a
        # follow-up's ten-table check made the plan four times its size, and PostgreSQL
        # starts every node of a plan on each run: 4-7 ms before reading anything).
        return _Kind(kind, sa.select(both.c.id.label("id")).where(
            _record_seen(user, table, both.c.record_id)).limit(cap + 1))
    # The postings drive, newest first, and the walk stops at the cap (an IN (postings)
    # list would first be built whole: 344,000 notes hold 客户 at the bench's scale).
    # A document is read by its key only where something must be checked on it.
    match = FTS.c[FTS_TABLE].op("MATCH")(sa.bindparam(name, values[name], type_=sa.Text))
    if not (checks or where) and sees_every(user, SOURCES[table].model):
        return _Kind(kind, sa.select(FTS.c.rowid.label("id")).where(match)
                     .order_by(FTS.c.rowid.desc()).limit(cap + 1))
    return _Kind(kind, sa.select(FTS.c.rowid.label("id"))
                 .select_from(FTS.join(D, D.id == FTS.c.rowid))
                 .where(match, *checks, seen, *where)
                 .order_by(FTS.c.rowid.desc()).limit(cap + 1))


def _kind_parts(user: User, terms: list[str], filters: Filters, dialect: str,
                cap: int, peek: int | None = None) -> list[_Kind]:
    """Each kind's part, capped at ``cap`` (at ``peek`` but the chosen kind's)."""
    where = filters.clauses()
    return [_kind_part(user, terms, kind, reach, where, dialect,
                       cap if peek is None or kind == filters.kind else peek)
            for kind, reach in _reaches(user, filters).items()]


def peek_cap() -> int:
    """How far the results page counts a kind it only glances at."""
    return min(PEEK_CAP, SCAN_CAP)


def cap_of(kind: str, filters: Filters) -> int:
    """How far the results page counts ``kind``: the chosen kind to ``SCAN_CAP``, the
    others to ``peek_cap()``."""
    return SCAN_CAP if kind == filters.kind else peek_cap()


def candidates(user: User, terms: list[str], filters: Filters, dialect: str,
               cap: int | None = None) -> sa.Subquery:
    """The documents a search counts (id, kind): those that match and the user may see,
    of each kind ``cap + 1``.

    Each kind's postings are read on their own (``normalize.kind_key``), so the work is
    bounded per kind: a word in half of a million notes would otherwise cost a probe per
    note on every search; past the cap the page says "100+" or "1,000+", as the lists do.
    Where the reader's level on a kind is "own" or "team", its postings are narrowed to
    the reader's reach keys (their own id, their teams), each candidate still probed by
    ``readable``."""
    cap = SCAN_CAP if cap is None else cap
    parts = [sa.select(part.found.subquery().c.id, sa.literal(part.kind).label("kind"))
             for part in _kind_parts(user, terms, filters, dialect, cap)]
    if not parts:
        return sa.select(D.id.label("id"), D.kind.label("kind")).where(
            sa.false()).subquery("candidates")
    return sa.union_all(*parts).subquery("candidates")


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


def search_statement(user: User, terms: list[str], filters: Filters, dialect: str,
                     page: int = 1, page_size: int = PAGE_SIZE,
                     per_kind: int = PER_KIND, cap: int | None = None) -> sa.Select:
    """One statement for the whole page: the candidates ranked within each kind (title
    matches first, then the newest), each row with its place and its kind's count. It
    returns the best ``per_kind`` of every kind, or with ``filters.kind`` that kind's page
    and the first row of every other kind (for its count)."""
    first = (max(page, 1) - 1) * page_size
    cap = SCAN_CAP if cap is None else cap
    parts = []
    for part in _kind_parts(user, terms, filters, dialect, cap, min(PEEK_CAP, cap)):
        found = part.found.cte(f"found_{part.kind}")
        total = sa.select(sa.func.count()).select_from(found).scalar_subquery()
        # Ranked on the few columns ranking reads; the shown rows alone are read whole.
        order = (_rank(terms, dialect), D.at.desc(), D.id.desc())

        def page_of(limit: int, offset: int = 0, kind: str = part.kind, found: Any = found,
                    total: Any = total, order: tuple = order) -> sa.Select:
            top = (sa.select(D.id, sa.func.row_number().over(order_by=order).label("place"))
                   .join(found, found.c.id == D.id).order_by(*order)
                   .limit(limit).offset(offset).subquery())
            return sa.select(top.c.id, sa.literal(kind).label("kind"),
                             (top.c.place).label("place"), total.label("total"))

        if filters.kind not in KIND_SOURCE:
            parts.append(page_of(per_kind))
            continue
        parts.append(page_of(1))
        if part.kind == filters.kind:
            parts.append(page_of(page_size, first))
    if not parts:
        return sa.select(*_columns(), sa.literal(0).label("place"),
                         sa.literal(0).label("total")).where(sa.false())
    rows = sa.union_all(*(p.subquery().select() for p in parts)).subquery("rows")
    return (sa.select(*_columns(), rows.c.place, rows.c.total)
            .join(rows, rows.c.id == D.id).order_by(rows.c.kind, rows.c.place))


def count_statement(user: User, terms: list[str], filters: Filters,
                    dialect: str) -> sa.Select:
    """Every match the user may see, counted per kind with no cap: what a "100+" on the
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
    """Counts per kind of what matches and the user may see (up to ``cap_of`` each, then
    "N+"), and the hits to show: one statement (``search_statement``)."""
    filters = filters or Filters()
    results = Results(query_terms(query))
    if not results.terms:
        return results
    dialect = session.get_bind().dialect
    first = (max(page, 1) - 1) * page_size
    kept = _kept(user, results.terms, filters, dialect.name, page, page_size, per_kind)
    values = _values(user, results.terms, dialect.name, kept.reaches)
    if kept.compiled is None:
        kept.compiled = CompiledStatement(kept.statement, dialect, values)
    shown: set[int] = set()
    for *columns, place, total in kept.compiled.rows(session.connection(), values):
        hit = Hit(*columns)
        cap = cap_of(hit.kind, filters)
        results.counts[hit.kind] = min(total, cap)
        if total > cap:
            results.capped.add(hit.kind)
        if hit.id in shown:
            continue  # a kind's first row, there for its count, may be on its page too
        if filters.kind in KIND_SOURCE:
            if hit.kind == filters.kind and first < place <= min(first + page_size, SCAN_CAP):
                results.hits.append(hit)
                shown.add(hit.id)
        elif place <= per_kind:
            results.hits.append(hit)
            shown.add(hit.id)
    return results


# Built search statements by shape: building one (eighteen kinds' parts) cost 40 ms of
# Python, four times the database's answer. A statement depends on the words only through
# its parameters (``_values``), so one is kept per reader's access, reach, filters, page
# and number of words (and of words longer than two characters), with the reader's reach
# keys (which follow from the access) and the statement compiled (``CompiledStatement``:
# SQLAlchemy's own lookup and parameters cost about 3 ms a search). One weighs about
# 0.4 MB, so few are kept: those of the readers searching now (a reader's statements are
# their own, as their access clauses are).
@dataclass
class _Prepared:
    statement: sa.Select
    reaches: dict[str, list[str] | None]
    compiled: CompiledStatement | None = None


_STATEMENTS: Kept[_Prepared] = Kept(64)


def _kept(user: User, terms: list[str], filters: Filters, dialect: str, page: int,
          page_size: int, per_kind: int) -> _Prepared:
    key = (dialect, len(terms), len(long_terms(terms)), tuple(sorted(filters.__dict__.items())),
           max(page, 1) if filters.kind in KIND_SOURCE else 1, page_size, per_kind, SCAN_CAP,
           PEEK_CAP, permissions_of(user).key(user))
    return _STATEMENTS.get_or_build(key, lambda: _Prepared(
        search_statement(user, terms, filters, dialect, page, page_size, per_kind),
        _reaches(user, filters)))


def _kept_statement(user: User, terms: list[str], filters: Filters, dialect: str,
                    page: int, page_size: int, per_kind: int
                    ) -> tuple[sa.Select, dict[str, Any]]:
    """The kept statement for a search of ``terms`` and its parameters' values."""
    kept = _kept(user, terms, filters, dialect, page, page_size, per_kind)
    return kept.statement, _values(user, terms, dialect, kept.reaches)


def _values(user: User, terms: list[str], dialect: str,
            reaches: dict[str, list[str] | None]) -> dict[str, Any]:
    """The values of a kept statement's parameters for these words."""
    values: dict[str, Any] = _rank_values(terms)
    values.update(_checks(terms, dialect, "q")[1])
    for kind, reach in reaches.items():
        values.update(_kind_values(terms, kind, key_for(kind, user), reach, dialect))
    return values
