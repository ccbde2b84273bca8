"""make bench's pieces inside the app (floor page, statement header) and its wrk parser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from sqlalchemy import event

from bench.wrk import parse, to_ms
from config import TestingConfig
from tests import factories
from tracker import create_app
from tracker.benchmarks import FLOOR_ROWS, HEADER
from tracker.extensions import db


@pytest.fixture(scope="module")
def bench_app(app: Flask) -> Iterator[Flask]:
    """An app with ``BENCH`` on, on the suite's (already migrated) database."""
    bench = create_app(TestingConfig, BENCH=True,
                       SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                       SQLALCHEMY_ENGINE_OPTIONS=app.config["SQLALCHEMY_ENGINE_OPTIONS"],
                       INSTANCE_PATH=app.instance_path)
    yield bench
    with bench.app_context():
        db.engine.dispose()


@contextmanager
def _sent(bench: Flask) -> Iterator[list[str]]:
    """Every statement the bench app's engine sends inside the block."""
    with bench.app_context():
        engine = db.engine
    sent: list[str] = []

    def listener(*args: object) -> None:
        sent.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def test_floor_renders_fifty_rows_without_sql(bench_app):
    with _sent(bench_app) as sent:
        response = bench_app.test_client().get("/bench/floor")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert len(re.findall(r'<tr data-row="\d+">', html)) == FLOOR_ROWS == 50
    assert 'class="topbar"' in html  # the same base template as every page
    assert sent == [] and response.headers[HEADER] == "0"


def test_floor_and_header_exist_only_with_bench(client):
    response = client.get("/bench/floor")
    assert response.status_code == 404
    assert HEADER not in client.get("/healthz").headers


def test_header_counts_the_statements_of_a_request(bench_app, users):
    db.session.commit()
    health = bench_app.test_client().get("/healthz")
    assert health.headers[HEADER] == "1"  # SELECT 1
    signed_in = bench_app.test_client()
    factories.sign_in(signed_in, users["admin"])
    with _sent(bench_app) as sent:
        response = signed_in.get("/partners/")
    assert response.status_code == 200
    assert int(response.headers[HEADER]) == len(sent) > 1


WRK_SAMPLE = """\
Running 2s test @ http://127.0.0.1:41263/healthz
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.91ms    2.36ms  20.77ms   87.89%
    Req/Sec   756.20    237.41     1.13k    60.00%
  Latency Distribution
     50%  812.00us
     75%    3.84ms
     90%    5.85ms
     99%    1.21s
  1506 requests in 2.00s, 800.06KB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:    752.45
Transfer/sec:    399.74KB
"""


def test_wrk_parser_reads_rate_percentiles_and_errors():
    result = parse(WRK_SAMPLE)
    assert result.requests_per_s == 752.45 and result.requests == 1506
    assert result.p50_ms == pytest.approx(0.812)
    assert result.p99_ms == pytest.approx(1210.0)
    assert (result.non_2xx_3xx, result.socket_errors) == (7, 3)
    assert "7 non-2xx" in result.errors
    clean = parse(WRK_SAMPLE.replace("  Socket errors: connect 0, read 2, write 0, timeout 1\n",
                                     "").replace("  Non-2xx or 3xx responses: 7\n", "")
                  .replace("812.00us", "2.12ms"))
    assert clean.errors == "" and clean.p50_ms == pytest.approx(2.12)
    assert to_ms("1.5", "m") == 90_000
    with pytest.raises(ValueError):
        parse("unable to connect to 127.0.0.1:1 Connection refused")


def test_deep_list_url_holds_the_cursor_of_the_row_before_the_page(users):
    from urllib.parse import unquote

    from bench.pages import deep_url
    from tracker.orgs.queries import ORDERS, OrgFilters, organization_list
    from tracker.paging import decode_cursor

    orgs = [factories.make_org("partner", name) for name in ("Cedar", "Atlas", "Birch")]
    stmt = organization_list(users["admin"], "partner", OrgFilters())
    keys = ORDERS["name"][0]
    assert deep_url(stmt, "/partners/", 1, keyset=False, pages=5) == ("/partners/?page=3", 3)
    url, depth = deep_url(stmt, "/partners/", 1, keyset=True, pages=2, keys=keys)
    assert depth == 2 and url.startswith("/partners/?after=")
    atlas = orgs[1]
    assert decode_cursor(unquote(url.split("after=")[1]), 2) == [atlas.sort_name, atlas.id]
    assert deep_url(stmt, "/partners/", 25, keyset=True, keys=keys) == ("/partners/", 1)


def test_each_page_is_compared_with_the_floors_beside_it():
    from bench.pages import Page
    from bench.report import Result
    from bench.run import floor_beside, plan_of

    pages = [Page(k, k, "admin", "/") for k in "abc"]
    assert [key for key, _ in plan_of(pages, 0)] == ["floor-start", "a", "b", "c", "floor-end"]
    plan = plan_of(pages, 2)
    assert [key for key, _ in plan] == ["floor-start", "a", "b", "floor-2", "c", "floor-end"]
    rates = {"floor-start": 100.0, "floor-2": 80.0, "floor-end": 60.0}
    results = []
    for key, page in plan:
        result = Result.of(page)
        result.key, result.requests_per_s = key, rates.get(key, 10.0)
        results.append(result)
    assert floor_beside(results) == {"a": 90.0, "b": 90.0, "c": 70.0}
