"""Keyset pagination and capped counts: big lists cost the same on page 1 and page 2,000.

``OFFSET n`` makes the database walk and throw away ``n`` rows, so a deep page gets slower
the deeper it is, and an exact ``count(*)`` walks every row the user may see. A keyset page
instead starts right after the last row shown (``WHERE (sort keys) > (last row's keys)``),
which an index on the sort keys answers in the same time wherever the page is; and a
count is taken over at most ``cap + 1`` rows, shown as "1,000+" past the cap: never wrong,
never slow.

The cursor in the URL (``?after=…`` or ``?before=…``) is the last (or first) row's sort
key values, encoded as URL-safe base64 JSON. It is only a position, never a permission:
every page is still read through the caller's scoped select, so a forged cursor can at
most skip to another place in rows the user may see anyway.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from tracker.extensions import db
from tracker.statements import kept

COUNT_CAP = 1000
# The page sizes a list offers (``?per=``): kept in the URL, so a saved view keeps it.
PAGE_SIZES = (25, 50, 100)


def page_size(value: object, default: int) -> int:
    """The page size a list was asked for: one of ``PAGE_SIZES``, else ``default`` (a
    forged ``per=100000`` reads no more than the biggest)."""
    try:
        wanted = int(str(value)) if value not in (None, "") else None
    except ValueError:
        return default
    return wanted if wanted in PAGE_SIZES else default


def requested_page_size() -> int:
    """The request's ``?per=`` as ``page_size`` reads it, the app's PAGE_SIZE by default."""
    from flask import current_app, request

    return page_size(request.args.get("per"), current_app.config["PAGE_SIZE"])


@dataclass(frozen=True)
class SortKey:
    """One sort column of a keyset: an expression that is never NULL, and its direction.

    Keys must be NOT NULL (use ``coalesce`` with a sentinel otherwise), and the last key
    must be unique (the primary key), so that every row has exactly one position.
    """

    expr: ColumnElement[Any]
    descending: bool = False

    @property
    def ordering(self) -> ColumnElement[Any]:
        return self.expr.desc() if self.descending else self.expr.asc()

    @property
    def reversed_ordering(self) -> ColumnElement[Any]:
        return self.expr.asc() if self.descending else self.expr.desc()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"dec": str(value)}
    return value


def _typed(value: Any) -> Any:
    if isinstance(value, dict):
        if "dt" in value:
            return datetime.fromisoformat(value["dt"])
        if "d" in value:
            return date.fromisoformat(value["d"])
        if "dec" in value:
            return Decimal(value["dec"])
        raise ValueError("unknown cursor value")
    return value


def encode_cursor(values: Sequence[Any]) -> str:
    """A row's sort key values as a URL-safe token."""
    raw = json.dumps([_plain(v) for v in values], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str | None, size: int) -> list[Any] | None:
    """The values in a cursor token, or None for a missing or malformed one (page 1)."""
    if not token or len(token) > 2000:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = [_typed(v) for v in json.loads(raw)]
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        return None
    if len(values) != size or any(isinstance(v, list | dict) or v is None for v in values):
        return None
    return values


def _after(keys: Sequence[SortKey], values: Sequence[Any], backwards: bool) -> ColumnElement:
    """Rows strictly after ``values`` in the keys' order (before it when ``backwards``).

    The values are named parameters (``keyset_0`` …): a kept page statement takes the next
    request's cursor as parameters (``cursor_params``)."""
    values = [sa.bindparam(f"keyset_{i}", v, type_=k.expr.type)
              for i, (k, v) in enumerate(zip(keys, values, strict=True))]
    clauses = []
    for i, key in enumerate(keys):
        later = key.descending == backwards  # ascending and forwards: ">"
        step = key.expr > values[i] if later else key.expr < values[i]
        same = [keys[j].expr == values[j] for j in range(i)]
        clauses.append(sa.and_(*same, step))
    # The OR alone gives an index no range to start from, so a page 2,000 deep would walk
    # every earlier row: the redundant bound on the first key lets it seek to the cursor.
    first = keys[0]
    later = first.descending == backwards
    bound = first.expr >= values[0] if later else first.expr <= values[0]
    return sa.and_(bound, sa.or_(*clauses))


@dataclass
class KeysetPage:
    """One page of a keyset-paginated list, with the cursors to its neighbours."""

    items: list[Any]
    per_page: int
    next_cursor: str | None
    prev_cursor: str | None
    total: int | None = None
    total_capped: bool = False
    # The page sizes the list's page offers (set by a list that reads ``?per=``).
    sizes: tuple[int, ...] = ()

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_prev(self) -> bool:
        return self.prev_cursor is not None

    @property
    def is_first(self) -> bool:
        return self.prev_cursor is None


def _page_statement(stmt: sa.Select, keys: Sequence[SortKey], cursor: list[Any] | None,
                    backwards: bool, per_page: int) -> sa.Select:
    if cursor is not None:
        stmt = stmt.where(_after(keys, cursor, backwards))
    orderings = [k.reversed_ordering if backwards else k.ordering for k in keys]
    return stmt.order_by(*orderings).limit(per_page + 1)


def keyset_page(stmt: sa.Select | Callable[[], sa.Select], keys: Sequence[SortKey], *,
                per_page: int, after: str | None = None, before: str | None = None,
                key_of: Any = None, scalars: bool = True, kept_as: tuple | None = None,
                params: dict[str, Any] | None = None) -> KeysetPage:
    """One page of ``stmt`` in the order of ``keys``, after or before a cursor.

    ``key_of(row)`` gives a fetched row's sort key values (default: the attributes named
    like the keys' ``expr.key``). ``stmt`` must not be ordered or limited yet.

    With ``kept_as`` the page's statement is kept under that key (``tracker.statements``):
    ``stmt`` is then a function that builds it, called only the first time, and ``params``
    holds every value it takes as a parameter.
    """
    key_of = key_of or (lambda row: [getattr(row, k.expr.key) for k in keys])
    backwards = before is not None and after is None
    cursor = decode_cursor(before if backwards else after, len(keys))
    if cursor is None:
        backwards = False
    if kept_as is None:
        base = stmt() if callable(stmt) else stmt
        page_stmt = _page_statement(base, keys, cursor, backwards, per_page)
    else:
        page_stmt = kept((*kept_as, cursor is not None, backwards, per_page),
                         lambda: _page_statement(stmt() if callable(stmt) else stmt, keys,
                                                 cursor, backwards, per_page))
    values = dict(params or {})
    if cursor is not None:
        values.update({f"keyset_{i}": v for i, v in enumerate(cursor)})
    result = (db.session.scalars(page_stmt, values) if scalars
              else db.session.execute(page_stmt, values))
    rows = list(result.unique() if scalars else result)
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    first, last = (key_of(rows[0]), key_of(rows[-1])) if rows else (None, None)
    if backwards:
        next_cursor = encode_cursor(last) if rows else None
        prev_cursor = encode_cursor(first) if more else None
    else:
        next_cursor = encode_cursor(last) if more else None
        prev_cursor = encode_cursor(first) if cursor is not None and rows else None
    return KeysetPage(items=rows, per_page=per_page, next_cursor=next_cursor,
                      prev_cursor=prev_cursor)


def _one_column(stmt: sa.Select) -> sa.Select:
    """The same rows, one constant column: a count need not read the row data."""
    return stmt.order_by(None).with_only_columns(sa.literal_column("1"),
                                                 maintain_column_froms=True)


def capped_count(stmt: sa.Select, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows ``stmt`` has, reading at most ``cap + 1``: (count, more than cap)."""
    limited = _one_column(stmt).limit(cap + 1).subquery()
    n = db.session.scalar(sa.select(sa.func.count()).select_from(limited)) or 0
    return min(n, cap), n > cap


def capped_count_column(stmt: sa.Select, cap: int = COUNT_CAP) -> ColumnElement[int]:
    """The same capped count as a scalar subquery, to fold into another statement."""
    limited = _one_column(stmt).limit(cap + 1).subquery()
    return sa.select(sa.func.count()).select_from(limited).scalar_subquery()
