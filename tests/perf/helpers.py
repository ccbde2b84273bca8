"""Count the SQL statements a request sends, and read the plan of a query on either database.

Timings depend on the machine; these do not. A page whose statement count is the same at
two data sizes has no N+1; a main query whose plan uses an index does not scan the table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy import event

from tracker.extensions import db


@contextmanager
def statements() -> Iterator[list[str]]:
    """Collect every statement the engine sends inside the block."""
    sent: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def count_get(client: FlaskClient, url: str) -> tuple[int, list[str]]:
    """GET ``url`` (must answer 200) and return how many statements it sent, and which."""
    with statements() as sent:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return len(sent), sent


def is_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def plan_of(stmt: sa.Select | sa.TextClause) -> str:
    """The database's plan for ``stmt``, as text (one line per plan node).

    On PostgreSQL it is the generic plan, the one the app runs (``tracker.db``: prepared
    statements, ``plan_cache_mode = force_generic_plan``): the statement is prepared with
    its parameters as ``$n`` and explained as executed. Sequential scans and sorts are
    switched off for the look, so a tiny table still shows whether an index *can* answer
    the query (the planner would pick a scan on ten rows, which says nothing about two
    hundred thousand).
    """
    if is_postgres():
        return _generic_plan(stmt)
    compiled = stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text("EXPLAIN QUERY PLAN " + str(compiled))).all()
        return "\n".join(str(r[-1]) for r in rows)


def _generic_plan(stmt: sa.Select | sa.TextClause) -> str:
    dialect = db.engine.dialect
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    order: list[str] = []

    def number(match: re.Match) -> str:
        if match.group(1) not in order:
            order.append(match.group(1))
        return f"${order.index(match.group(1)) + 1}"

    sql = re.sub(r"%\((\w+)\)s", number, str(compiled))
    values = []
    for name in order:
        bind = compiled.binds.get(name)  # none for the items of an expanded IN list
        kind = bind.type if bind is not None and not bind.expanding else None
        if kind is not None and kind._isnull:
            kind = None
        values.append(str(sa.bindparam(name, params[name], type_=kind).compile(
            dialect=dialect, compile_kwargs={"literal_binds": True})))
    with db.engine.connect() as conn:
        conn.execute(sa.text("SET enable_seqscan = off"))
        # …and sorts: with statistics from a few test rows (another test may have run
        # ANALYZE) a sort of one row looks cheaper than any ordered index.
        conn.execute(sa.text("SET enable_sort = off"))
        conn.execute(sa.text("SET plan_cache_mode = force_generic_plan"))
        conn.exec_driver_sql(f"PREPARE tracker_plan AS {sql}".replace("%", "%%"))
        try:
            call = f"EXPLAIN EXECUTE tracker_plan({', '.join(values)})" if values else (
                "EXPLAIN EXECUTE tracker_plan")
            rows = conn.exec_driver_sql(call.replace("%", "%%")).all()
        finally:
            conn.exec_driver_sql("DEALLOCATE tracker_plan")
        return "\n".join(r[0] for r in rows)


def full_scans(plan: str, table: str) -> list[str]:
    """Lines of ``plan`` that read all of ``table`` without an index."""
    found = []
    for line in plan.splitlines():
        text = line.strip()
        if is_postgres():
            if f"Seq Scan on {table}" in text:
                found.append(text)
        elif (text.startswith(f"SCAN {table}") and "INDEX" not in text) or text == f"SCAN {table}":
            found.append(text)
    return found


def assert_uses_index(stmt: sa.Select | sa.TextClause, table: str) -> str:
    """Fail when the plan reads all of ``table``; return the plan for further checks."""
    plan = plan_of(stmt)
    assert not full_scans(plan, table), f"full scan of {table}:\n{plan}"
    assert table in plan or "INDEX" in plan.upper() or "Index" in plan, plan
    return plan
