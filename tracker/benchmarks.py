"""What ``make bench`` needs inside the app, switched on only by ``BENCH = True``.

- The **floor** page (``/bench/floor``): the same base template as every page, with a
  50-row table built in memory and no database at all. Its requests/s is what the
  Flask + Jinja stack can do on this machine; every key page is measured as a ratio of it.
- The ``X-SQL-Statements`` response header: how many statements the request sent, counted
  by a ``before_cursor_execute`` listener into ``g``.

Neither exists in any other configuration: the test suite's access matrix never sees the
floor, and production never pays for the counter.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, Flask, Response, g, has_request_context, render_template
from sqlalchemy import event

from tracker.extensions import db

bp = Blueprint("bench", __name__)

FLOOR_ROWS = 50
HEADER = "X-SQL-Statements"

# Built once per process: the floor measures rendering, not building its data.
_EPOCH = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
_ROWS: list[dict[str, Any]] = [
    {"id": i, "name": f"星河物流 Xinghe Logistics {i:02d}", "status": ("active", "prospect")[i % 2],
     "industry": "物流 Logistics", "owner": f"Owner {i % 7}", "team": f"Team {i % 5}",
     "changed": _EPOCH + timedelta(hours=7 * i)}
    for i in range(1, FLOOR_ROWS + 1)
]


@bp.route("/floor")
def floor() -> str:
    """Anonymous, database-free: the ceiling every other page is compared with."""
    return render_template("bench/floor.html", rows=_ROWS)


def _count_statement(*_args: object) -> None:
    # Engine events fire outside requests too (CLI, start-up): count only in a request.
    if has_request_context():
        g.bench_sql_statements = g.get("bench_sql_statements", 0) + 1


def _statements_header(response: Response) -> Response:
    response.headers[HEADER] = str(g.get("bench_sql_statements", 0))
    return response


def init_bench(app: Flask) -> None:
    """Register the floor page, the statement counter and quiet logging on ``app``."""
    app.register_blueprint(bp, url_prefix="/bench")
    with app.app_context():
        for engine in db.engines.values():
            if not event.contains(engine, "before_cursor_execute", _count_statement):
                event.listen(engine, "before_cursor_execute", _count_statement)
    app.after_request(_statements_header)
    # Under load, an INFO line per request would measure the log, not the page.
    logging.getLogger().setLevel(logging.WARNING)
