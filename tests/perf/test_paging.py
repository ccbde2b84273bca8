"""Keyset pagination: every row exactly once, forwards and back, whatever the ties."""

from __future__ import annotations

import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import Organization
from tracker.paging import SortKey, capped_count, decode_cursor, encode_cursor, keyset_page


def _walk(stmt: sa.Select, keys: list[SortKey], per_page: int) -> tuple[list[int], list[int]]:
    forward, after, pages = [], None, []
    while True:
        page = keyset_page(stmt, keys, per_page=per_page, after=after)
        pages.append(page)
        forward += [o.id for o in page.items]
        if not page.has_next:
            break
        after = page.next_cursor
    before = pages[-1].prev_cursor
    backward = [o.id for o in pages[-1].items]
    while before:
        page = keyset_page(stmt, keys, per_page=per_page, before=before)
        backward = [o.id for o in page.items] + backward
        before = page.prev_cursor
    return forward, backward


def test_a_walk_visits_every_row_once_in_order_both_ways():
    for n in range(23):
        factories.make_org("partner", f"Org {n % 5}")  # five names, many ties
    stmt = sa.select(Organization)
    for keys in ([SortKey(Organization.name), SortKey(Organization.id)],
                 [SortKey(Organization.name, descending=True), SortKey(Organization.id)],
                 [SortKey(Organization.name), SortKey(Organization.id, descending=True)]):
        expected = [o.id for o in db.session.scalars(
            stmt.order_by(*[k.ordering for k in keys]))]
        forward, backward = _walk(stmt, keys, per_page=4)
        assert forward == expected
        assert backward == expected


def test_the_first_page_has_no_previous_and_a_bad_cursor_means_the_first_page():
    for n in range(5):
        factories.make_org("client", f"C{n}")
    keys = [SortKey(Organization.name), SortKey(Organization.id)]
    first = keyset_page(sa.select(Organization), keys, per_page=2)
    assert not first.has_prev and first.has_next
    for junk in ("", "!!!", encode_cursor(["only one"]), encode_cursor([None, 1]), "e30"):
        again = keyset_page(sa.select(Organization), keys, per_page=2, after=junk)
        assert [o.id for o in again.items] == [o.id for o in first.items]


def test_cursors_round_trip_typed_values():
    from datetime import UTC, date, datetime
    from decimal import Decimal

    values = [datetime(2026, 1, 2, 3, 4, tzinfo=UTC), date(2026, 5, 6), Decimal("1.50"), "名", 7]
    assert decode_cursor(encode_cursor(values), 5) == values
    assert decode_cursor(encode_cursor(values), 4) is None


def test_capped_counts_say_when_there_are_more():
    for n in range(7):
        factories.make_org("partner", f"P{n}")
    stmt = sa.select(Organization).where(Organization.kind == "partner")
    assert capped_count(stmt, cap=10) == (7, False)
    assert capped_count(stmt, cap=7) == (7, False)
    assert capped_count(stmt, cap=5) == (5, True)
