"""A statement compiled once answers as SQLAlchemy would, run after run, with new values."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests import factories as f
from tests.perf.helpers import statements
from tracker.compiled import CompiledStatement
from tracker.extensions import db
from tracker.models import Conversation
from tracker.models.base import utcnow
from tracker.search.normalize import query_terms
from tracker.search.query import Filters, _kept_statement, search


def test_it_answers_as_session_execute_does(users):
    org = f.make_org("client", "蓝海物流", owner=users["account_manager"])
    now = utcnow()
    made = [f.make_round(org, f"回访 {n}", occurred_at=now - timedelta(days=n)) for n in range(5)]
    ids = [c.id for c in made]
    statement = (sa.select(Conversation.id, Conversation.title, Conversation.occurred_at)
                 .where(Conversation.id.in_(ids),  # expanding, fixed when compiled
                        Conversation.occurred_at >= sa.bindparam(
                            "since", type_=Conversation.occurred_at.type),
                        Conversation.title != sa.bindparam("not_title", "", type_=sa.Text))
                 .order_by(Conversation.id))
    compiled = CompiledStatement(statement, db.engine.dialect,
                                 {"since": now - timedelta(days=30), "not_title": ""})
    for values in ({"since": now - timedelta(days=30), "not_title": ""},
                   {"since": now - timedelta(days=2, hours=1), "not_title": "回访 0"}):
        want = [tuple(row) for row in db.session.execute(statement, values)]
        got = compiled.rows(db.session.connection(), values)
        assert got == want and got
        assert all(row[2].tzinfo is not None for row in got)  # read back as aware times
    assert [row[0] for row in compiled.rows(db.session.connection(), {
        "since": now - timedelta(days=2, hours=1), "not_title": "回访 0"})] == ids[1:3]


def test_the_search_runs_its_statement_as_one_counted_statement(users):
    org = f.make_org("client", "蓝海物流", owner=users["account_manager"])
    for n in range(4):
        f.make_round(org, f"对账 {n}", body="客户 发票")
    user = users["team_member"]
    statement, values = _kept_statement(user, query_terms("发票"), Filters(),
                                        db.engine.dialect.name, 1, 20, 3)
    want = sorted(row[0] for row in db.session.execute(statement, values))
    search(db.session, users["admin"], "对账")  # the reader's access, loaded once
    with statements() as sent:
        results = search(db.session, users["admin"], "发票")
    assert len(sent) == 1 and "search_documents" in sent[0]
    assert results.counts == {"note": 4}
    assert sorted(h.id for h in search(db.session, user, "发票", per_kind=3).hits) == want
