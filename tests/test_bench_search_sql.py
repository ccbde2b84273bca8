"""The bench's search SQL timer runs the very statement the results page runs."""

from __future__ import annotations

from bench import search_sql
from tests import factories as f
from tracker.compiled import CompiledStatement
from tracker.extensions import db
from tracker.search.normalize import query_terms
from tracker.search.query import Filters, _kept_statement


def test_the_raw_statement_answers_as_the_page_does(users):
    org = f.make_org("client", "蓝海物流", owner=users["account_manager"])
    for n in range(4):
        f.make_round(org, f"对账 {n}", body="客户 发票")
    for role in ("admin", "team_member", "support_agent"):
        user = users[role]
        statement, values = _kept_statement(user, query_terms("客户"), Filters(),
                                            db.engine.dialect.name, 1, 20, 3)
        want = [tuple(row) for row in db.session.execute(statement, values)]
        compiled = CompiledStatement(statement, db.engine.dialect, values)
        sql, params = compiled.sql, compiled.parameters(values)
        cursor = db.session.connection().connection.dbapi_connection.cursor()
        cursor.execute(sql, params)
        got = cursor.fetchall()
        assert [row[0] for row in got] == [row[0] for row in want], role
        assert len(search_sql.time_search(user, "客户")) == search_sql.RUNS
    assert len(want) == 3


def test_only_two_chinese_characters_are_judged():
    assert search_sql.two_chinese_characters("客户")
    assert not search_sql.two_chinese_characters("客户关系")
    assert not search_sql.two_chinese_characters("ab")
    slow = search_sql.SearchTime("客户", "admin", 12.0, 15.0, True)
    assert slow.missed and slow.as_dict()["missed"]
    assert not search_sql.SearchTime("supply chain", "admin", 30.0, 40.0, False).missed
