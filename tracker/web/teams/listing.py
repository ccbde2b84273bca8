"""Long team lists a keyset page at a time, their capped total read in the same statement.

Each list names its sort keys (``tracker.paging.SortKey``); the keys ride along as extra
columns, so a row's cursor is read from the row itself (case expressions and joined
columns included), and the total is a capped scalar subquery on the same statement:
a page costs one statement however deep it is and however long the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from flask import request, url_for
from flask_login import current_user

from tracker.access import Action, can
from tracker.paging import (
    COUNT_CAP,
    PAGE_SIZES,
    KeysetPage,
    SortKey,
    capped_count_column,
    keyset_page,
    requested_page_size,
)


def keyset_listing(stmt: sa.Select, keys: Sequence[SortKey], *, extra: int = 0,
                   per_page: int | None = None) -> KeysetPage:
    """The page of ``stmt`` the request's ``after``/``before`` cursor names.

    ``stmt`` selects one entity and ``extra`` more columns (an item count, say), and is not
    ordered; items are the entities, or tuples of the entity and its extra columns.
    """
    width = 1 + extra
    total = capped_count_column(stmt)
    stmt = stmt.add_columns(*(k.expr.label(f"_k{i}") for i, k in enumerate(keys)),
                            total.label("_total"))
    page = keyset_page(stmt, keys, per_page=per_page or requested_page_size(),
                       after=request.args.get("after"), before=request.args.get("before"),
                       key_of=lambda row: list(row[width:width + len(keys)]), scalars=False)
    if page.items:
        n = page.items[0]._mapping["_total"] or 0
        page.total, page.total_capped = min(n, COUNT_CAP), n > COUNT_CAP
    page.items = [row[0] if width == 1 else tuple(row[:width]) for row in page.items]
    page.sizes = () if per_page else PAGE_SIZES
    return page



def after_archive(list_endpoint: str, detail: Callable[[Any], str]) -> Callable[[Any], str]:
    """Where archiving a team's record lands: the team's list of that kind, unless the
    archiver can't see the team (a goal's owner outside it), then the record itself."""
    def to(record: Any) -> str:
        if can(current_user, Action.READ, record.team):
            return url_for(list_endpoint, team_id=record.team_id)
        return detail(record)
    return to
