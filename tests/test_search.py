"""Search: the index answers exactly what a plain scan of what each reader may see would,
it follows every write, and its statements read the index (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests import factories as f
from tests.conftest import ROLES
from tests.perf.helpers import is_postgres, plan_of
from tracker.access import Capability, forget_permissions, has, visible, visible_followups
from tracker.extensions import db
from tracker.followups import add_followup
from tracker.models import (
    AgendaItem,
    ComplaintEvent,
    FollowUp,
    Meeting,
    MoneyPart,
    Requirement,
    Role,
    SearchDocument,
    User,
)
from tracker.models.base import utcnow
from tracker.records import archive, restore
from tracker.search import index
from tracker.search.normalize import fold, kind_key, month_element, query_terms
from tracker.search.query import Filters, search, search_statement
from tracker.search.sources import SOURCES, load

QUERIES = [
    "发票", "票", "客户", "客戶", "对账", "對賬", "续约", "SaaS", "ＳａａＳ", "saas", "net 30",
    '"发票 与"', "发票 对账", "qinghe", "qh", "chenjing", "cj", "(集团)", "（集团）", "invoice",
    "INVOICE billing", "双十二", "z", "金额不对", "zerowidth", "120000", "年", "底价",
    "john smith", "ｊｏｈｎ", "报价　发票", "a", "nothing-like-this", "发票,对账",
]


@pytest.fixture
def corpus(users: dict[str, User]) -> dict[str, object]:
    alpha = users["team_member"].memberships[0].team
    qinghe = f.make_org("partner", "青禾科技（集团）", owner=users["partner_manager"],
                        team=alpha, notes="SaaS 合作伙伴，账期 60 天")
    beichen = f.make_org("partner", "北辰資訊", notes="報價 与 发票")
    lanhai = f.make_org("client", "蓝海物流", owner=users["account_manager"], team=alpha)
    harbor = f.make_org("client", "Harbor Foods Ltd")
    f.make_contact(qinghe, "陈静", email="chen@qinghe.example")
    f.make_contact(harbor, "Ｊｏｈｎ　Ｓｍｉｔｈ", title="Buyer")
    f.make_contact(lanhai, "李娜", notes="负责对账")
    talk = f.make_round(qinghe, "账期谈判", body="讨论发票与 SaaS 报价",
                        author=users["partner_manager"])
    f.make_round(qinghe, "保密：续约底价", body="续约 底价 发票", confidential=True,
                 author=users["manager"])
    f.make_round(beichen, "客戶回訪", body="對賬 和 發票")
    f.make_round(lanhai, "对账进度", body="客户确认发票已寄出 zero\u200bwidth",
                 author=users["account_manager"])
    agreement = f.make_agreement(qinghe, "续约协议", owner=users["partner_manager"], team=alpha)
    requirement = Requirement(organization=lanhai, title="开票要求", wording="每月对账后开具发票",
                              owner_id=users["account_manager"].id)
    db.session.add(requirement)
    db.session.commit()
    requirement.wording = "每月结算后开具增值税发票"
    db.session.commit()
    complaint = f.make_complaint(lanhai, "发票错误", assignee=users["support_agent"])
    complaint.description = "客户说发票金额不对"
    db.session.add(ComplaintEvent(complaint=complaint, kind="reply", body="已重开 双十二 前寄出"))
    db.session.commit()
    f.make_complaint(harbor, "Invoice dispute", is_confidential=True,
                     description="billing invoice 发票 wrong")
    add_followup(talk, "寄送发票", users["team_member"].id, date(2026, 12, 10),
                 organization=qinghe)
    meeting = Meeting(team=alpha, title="周会", organizer_id=users["manager"].id)
    meeting.items.append(AgendaItem(position=1, title="双十二 促销", decisions="决定加预算"))
    db.session.add(meeting)
    db.session.commit()
    # an action item's follow-up belongs to no organization
    add_followup(meeting.items[0], "发票预算复核", users["team_member"].id, date(2026, 12, 11))
    db.session.commit()
    return {"qinghe": qinghe, "lanhai": lanhai, "talk": talk, "requirement": requirement,
            "agreement": agreement,
            "complaint": complaint, "meeting": meeting}


def _readable_ids(user: User, model: type) -> set[int]:
    stmt = visible_followups(user) if model is FollowUp else visible(user, model)
    return set(db.session.scalars(stmt.with_only_columns(model.id)))


def _readable_texts(user: User) -> list[tuple[str, int, str]]:
    """(kind, record id, folded text) of every document the user may read, found the
    plain way: the list scope of each model, the money rule, no index."""
    money = MoneyPart.WITH_MONEY if has(user, Capability.SEE_MONEY) else MoneyPart.WITHOUT_MONEY
    texts = []
    conn = db.session.connection()
    for table, source in SOURCES.items():
        ids = sorted(_readable_ids(user, source.model))
        for doc in load(conn, table, ids) if ids else []:
            if doc.money in (MoneyPart.EVERYONE, money):
                texts.append((doc.kind, doc.record_id,
                              "\n".join(fold(part) for part in doc.parts + doc.extra)))
    return texts


def _scan(texts: list[tuple[str, int, str]], query: str) -> dict[str, set[int]]:
    """The plain scan: every term of the query in the folded text."""
    terms = query_terms(query)
    found: dict[str, set[int]] = {}
    for kind, record_id, text in texts:
        if terms and all(term in text for term in terms):
            found.setdefault(kind, set()).add(record_id)
    return found


def _searched(user: User, query: str) -> dict[str, set[int]]:
    results = search(db.session, user, query, per_kind=1000)
    found: dict[str, set[int]] = {}
    for hit in results.hits:
        found.setdefault(hit.kind, set()).add(hit.record_id)
    assert {kind: len(ids) for kind, ids in found.items()} == results.counts, query
    return found


@pytest.mark.parametrize("role", ROLES)
def test_results_equal_a_plain_scan_of_what_the_role_may_see(corpus, users, role):
    user = users[role]
    texts = _readable_texts(user)
    for query in QUERIES:
        assert _searched(user, query) == _scan(texts, query), query


def test_the_corpus_exercises_the_cases(corpus, users):
    """The equality above would hold trivially on empty results."""
    admin = users["admin"]
    assert _searched(admin, "客户") == _searched(admin, "客戶") != {}
    assert _searched(admin, "ＳａａＳ") == _searched(admin, "saas") != {}
    assert _searched(admin, "(集团)")["partner"] == {corpus["qinghe"].id}
    assert _searched(admin, "qh")["partner"] == {corpus["qinghe"].id}
    assert "contact" in _searched(admin, "cj")
    assert _searched(admin, "zerowidth")["note"]
    assert _searched(admin, "对账")["requirement"] == {corpus["requirement"].id}  # old wording
    assert _searched(admin, "双十二") == {"complaint": {corpus["complaint"].id},
                                        "meeting": {corpus["meeting"].id}}
    assert _searched(admin, "120000") == {"agreement": {corpus["agreement"].id}}
    # money: the fee is found by those who see money, never by the others
    assert _searched(users["partner_manager"], "120000")
    assert not _searched(users["team_member"], "120000")
    # phrases and AND
    assert _searched(admin, '"发票 与"') == {}  # no text has these words with a space between
    assert _searched(admin, "发票 对账") != _searched(admin, "发票")


def test_a_hidden_record_is_neither_matched_nor_counted(corpus, users, login_as):
    """底价 is only in a confidential round: a reader without the capability gets no hint."""
    assert has(users["manager"], Capability.SEE_CONFIDENTIAL)
    assert search(db.session, users["manager"], "底价").counts == {"round": 1}
    for role in ("partner_manager", "team_member"):
        results = search(db.session, users[role], "底价")
        assert results.counts == {} and results.hits == []
        page = login_as(role).get("/search?q=底价").get_data(as_text=True)
        assert "保密" not in page and 'class="count"' in page  # the page says 0, no more
    # a word of both a hidden and a visible round counts the visible one only
    assert search(db.session, users["partner_manager"], "续约").counts == {"agreement": 1}


def _kinds(user: User, query: str) -> dict[str, int]:
    return search(db.session, user, query).counts


def test_the_index_follows_edit_archive_and_restore(corpus, users):
    admin = users["admin"]
    talk = corpus["talk"]
    talk.title = "付款条件"
    db.session.commit()
    assert "round" not in _kinds(admin, "账期谈判")
    assert _kinds(admin, "付款条件") == {"round": 1}
    archive(talk)
    db.session.commit()
    assert _kinds(admin, "付款条件") == {}
    restore(talk)
    db.session.commit()
    assert _kinds(admin, "付款条件") == {"round": 1}
    # a child row (a complaint's reply) files its words on its parent
    db.session.add(ComplaintEvent(complaint=corpus["complaint"], kind="reply", body="已退款"))
    db.session.commit()
    assert _kinds(admin, "已退款") == {"complaint": 1}
    # an attachment's file name
    f.make_attachment(corpus["requirement"], filename="增值税发票样张.pdf")
    assert _kinds(admin, "样张") == {"requirement": 1}


def test_archiving_an_organization_takes_everything_under_it(corpus, users):
    admin = users["admin"]
    qinghe = corpus["qinghe"]
    before = _kinds(admin, "发票")
    assert before.get("round") and before.get("followup")
    archive(qinghe)
    db.session.commit()
    assert _kinds(admin, "陈静") == {}
    assert "round" not in _kinds(admin, "账期谈判")
    restore(qinghe)
    db.session.commit()
    assert _kinds(admin, "发票") == before


def test_a_permission_or_confidential_change_needs_no_rewrite(corpus, users):
    member = f.make_user(None, teams=tuple(m.team for m in users["team_member"].memberships))
    talk = corpus["talk"]
    assert _kinds(member, "账期谈判") == {}  # no role yet
    member.roles = [db.session.scalar(sa.select(Role).where(Role.name == "team_member"))]
    db.session.commit()
    forget_permissions(member)
    assert _kinds(member, "账期谈判") == {"round": 1}  # the round's partner is the team's
    talk.is_confidential = True
    db.session.commit()
    assert "round" not in _kinds(member, "账期谈判")
    assert _kinds(users["manager"], "账期谈判") == {"round": 1}


def _reach(source: str, record_id: int) -> set[str]:
    return set(db.session.scalars(sa.select(SearchDocument.reach).where(
        SearchDocument.source == source, SearchDocument.record_id == record_id)))


def test_a_new_owner_or_team_moves_the_documents_reach(corpus, users):
    """A document holds its record's owners and team (its scope's) as keys a search
    narrows by; an organization given to another owner or team takes the documents of
    everything under it along, a complaint reassigned takes its own."""
    member, agent = users["team_member"], users["support_agent"]
    qinghe, talk, complaint = corpus["qinghe"], corpus["talk"], corpus["complaint"]
    alpha = qinghe.team
    assert _kinds(users["admin"], "预算复核") == {"followup": 1}  # one of no organization
    assert _reach("conversations", talk.id) == {
        f"u{users['partner_manager'].id} kpartner t{alpha.id}"}
    assert _kinds(member, "账期谈判") == {"round": 1}
    other = f.make_team("Beta")
    qinghe.team_id = other.id
    db.session.commit()
    assert _reach("conversations", talk.id) == {
        f"u{users['partner_manager'].id} kpartner t{other.id}"}
    assert _reach("contacts", qinghe.contacts[0].id) == _reach("conversations", talk.id)
    assert _kinds(member, "账期谈判") == {}  # no longer the member's team's partner
    # a follow-up holds its own keys and its source's (it is seen through the round too)
    followup = db.session.scalar(sa.select(FollowUp).where(FollowUp.source_id == talk.id))
    assert f"t{other.id}" in next(iter(_reach("followups", followup.id))).split()
    meeting = corpus["meeting"]
    item_followup = db.session.scalar(sa.select(FollowUp).where(
        FollowUp.source_type == "agenda_items"))
    meeting.team_id = other.id
    db.session.commit()
    assert f"t{other.id}" in next(iter(_reach("followups", item_followup.id))).split()
    qinghe.owner_id = member.id
    db.session.commit()
    assert _kinds(member, "账期谈判") == {"round": 1}  # now the member's own
    creator = complaint.created_by_id
    assert _reach("complaints", complaint.id) == {" ".join(
        sorted({f"u{agent.id}", f"u{creator}"} - {"uNone"})
        + ([f"t{complaint.team_id}"] if complaint.team_id else []))}
    complaint.assignee_id = member.id
    db.session.commit()
    assert f"u{member.id}" in next(iter(_reach("complaints", complaint.id))).split()
    for role in ROLES:
        user = users[role]
        texts = _readable_texts(user)
        for query in ("账期谈判", "发票", "陈静"):
            assert _searched(user, query) == _scan(texts, query), (role, query)


def test_a_reader_who_sees_one_kind_whole_reads_it_by_its_kind_key(corpus, users):
    """Everything under an organization holds its kind's key: a reader who sees all of
    one kind and less of another reads the first by that key (a support agent's
    contacts: the clients', not every partner's to be refused one by one), and a
    partner made a client takes its records along."""
    from tracker.search.query import reach_keys

    agent, admin = users["support_agent"], users["admin"]
    assert reach_keys(admin, "contact") is None
    keys = reach_keys(agent, "contact")
    assert keys is not None and "kclient" in keys and "kpartner" not in keys
    qinghe = corpus["qinghe"]
    contact = qinghe.contacts[0]
    assert "kpartner" in next(iter(_reach("contacts", contact.id))).split()
    assert _kinds(agent, "陈静") == {}
    qinghe.kind = "client"
    db.session.commit()
    assert "kclient" in next(iter(_reach("contacts", contact.id))).split()
    assert _searched(agent, "陈静") == _scan(_readable_texts(agent), "陈静") == {
        "contact": {contact.id}}


def test_reindex_rebuilds_the_same_index(corpus, app):
    def snapshot() -> set[tuple]:
        return set(db.session.execute(sa.select(
            SearchDocument.source, SearchDocument.record_id, SearchDocument.money,
            SearchDocument.kind, SearchDocument.body, SearchDocument.reach)).all())

    before = snapshot()
    assert len(before) > 15
    index.clear(db.session.connection())
    db.session.commit()
    assert snapshot() == set()
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "documents indexed" in result.output
    db.session.expire_all()
    assert snapshot() == before
    admin = db.session.scalar(sa.select(User).where(User.email == "admin@test.example"))
    assert search(db.session, admin, "qh").counts == {"partner": 1}


@pytest.mark.parametrize("query", ["票", "发票", "发票金额"])
def test_the_statements_read_the_index(corpus, users, query):
    """Each kind's postings are read from the index, and each document reached by its
    key, for one- and two-character words too."""
    terms = query_terms(query)
    dialect = db.engine.dialect.name
    for filters in (Filters(), Filters(kind="complaint")):
        plan = plan_of(search_statement(users["team_member"], terms, filters, dialect))
        if is_postgres():
            assert "Bitmap Index Scan on ix_search_documents_grams" in plan, plan
            assert "Seq Scan on search_documents" not in plan, plan
            assert "Index Scan Backward" not in plan, plan
        else:
            assert "VIRTUAL TABLE INDEX" in plan and "search_grams" in plan, plan
            assert "SEARCH search_documents USING INTEGER PRIMARY KEY" in plan, plan
            assert "SCAN search_documents" not in plan, plan


def test_a_word_in_many_records_is_counted_to_the_cap(users, monkeypatch):
    """Past the cap a kind's count is a lower bound the page marks "+", never a wrong
    number; below it, it is exact."""
    from tracker.search import query

    org = f.make_org("client", "蓝海物流", owner=users["account_manager"])
    for n in range(7):
        f.make_round(org, f"对账 {n}", body="客户")
    monkeypatch.setattr(query, "SCAN_CAP", 5)
    monkeypatch.setattr(query, "PEEK_CAP", 3)
    results = search(db.session, users["admin"], "客户")  # every kind: glanced at
    assert results.counts == {"note": 3} and results.capped == {"note"}
    results = search(db.session, users["admin"], "客户", Filters(kind="note"))
    assert results.counts == {"note": 5} and results.capped == {"note"}
    assert len(results.hits) == 5
    exact = search(db.session, users["admin"], "对账 0")
    assert exact.counts == {"note": 1} and not exact.capped


def test_every_document_is_filed_under_its_month(corpus):
    """PostgreSQL: each document's array holds its month (``note@202612``). SQLite's
    documents keep no array (FTS5 walks its postings newest first without months)."""
    D = SearchDocument
    rows = db.session.execute(sa.select(D.kind, D.money, D.at, D.grams)).all()
    assert len(rows) > 15
    for kind, money, at, grams in rows:
        if is_postgres():
            assert month_element(kind_key(kind, money), at) in grams
            assert month_element(kind_key(kind, money), at).endswith(f"@{at:%Y%m}")
        else:
            assert grams is None


def test_a_search_reads_the_newest_months_first(users, monkeypatch):
    """Records of every month, the future's included, are all found and counted; past
    the cap, the ones a search takes are the newest (the months read one by one on
    PostgreSQL, the postings walked backwards on SQLite)."""
    from tracker.search import query

    org = f.make_org("client", "蓝海物流", owner=users["account_manager"])
    now = utcnow()
    # one dated ahead (written first): counted, but not among the newest months
    ids = {days: f.make_round(org, f"回访 {days}", body="客户 对账",
                              occurred_at=now + timedelta(days=days)).id
           for days in (40, -800, -150, -95, -62, -31, -1, 0)}
    newest = sorted((d for d in ids if d <= 0), reverse=True)
    for words in ("客户", "对账", "客户 对账", "客", "回访 对账"):
        found = search(db.session, users["admin"], words, Filters(kind="note"),
                       per_kind=20)
        assert found.counts == {"note": 8} and not found.capped, words
        assert {hit.record_id for hit in found.hits} == set(ids.values()), words
        assert query.exact_counts(db.session, users["team_member"], words) == {}
        assert query.exact_counts(db.session, users["admin"], words) == {"note": 8}
    monkeypatch.setattr(query, "PEEK_CAP", 3)
    capped = search(db.session, users["admin"], "客户", per_kind=3)
    assert capped.counts == {"note": 3} and capped.capped == {"note"}
    assert {hit.record_id for hit in capped.hits} == {ids[d] for d in newest[:3]}


def test_recent_months_are_whole_calendar_months():
    from tracker.search.query import RECENT_MONTHS, recent_months

    months = recent_months(datetime(2026, 3, 31, 23, 59, tzinfo=UTC))
    assert len(months) == RECENT_MONTHS + 1
    assert months[0] == datetime(2026, 3, 1, tzinfo=UTC)
    assert months[1] == datetime(2026, 2, 1, tzinfo=UTC)
    assert months[-1] == datetime(2026, 4, 1, tzinfo=UTC)
    assert recent_months(datetime(2026, 1, 5, tzinfo=UTC))[1] == datetime(2025, 12, 1,
                                                                          tzinfo=UTC)
    assert recent_months(datetime(2026, 12, 31, tzinfo=UTC))[-1] == datetime(2027, 1, 1,
                                                                             tzinfo=UTC)


@pytest.mark.parametrize("query", ["蓝鲸", "鲸"])
def test_titles_rank_first_then_the_newest(users, query):
    """A title that starts with the words, then one that holds them, then the rest, each
    the most recent first, on the "all" page, a kind's page and its second page."""
    org = f.make_org("client", "蓝海物流", owner=users["account_manager"])
    now = utcnow()

    def note(title: str, days_ago: int, body: str = "") -> int:
        return f.make_round(org, title, body=body,
                            occurred_at=now - timedelta(days=days_ago)).id

    # written in another order than their dates: the dates rank
    body_mid = note("周会", 3, "谈到蓝鲸")
    starts = note("蓝鲸 年度合同", 9)
    body_old = note("季度回顾", 8, "说到蓝鲸的续约")
    holds_new = note("关于蓝鲸的报价", 1)
    body_new = note("月会", 2, "蓝鲸")
    holds_old = note("与蓝鲸复盘", 20)
    titled = [starts, holds_new, holds_old] if query == "蓝鲸" else [holds_new, starts,
                                                                       holds_old]
    want = [*titled, body_new, body_mid, body_old]
    for filters in (Filters(), Filters(kind="note")):
        results = search(db.session, users["admin"], query, filters, per_kind=10)
        assert [hit.record_id for hit in results.hits] == want, filters
        assert results.counts == {"note": 6}
    paged = search(db.session, users["admin"], query, Filters(kind="note"), page=2,
                   page_size=2)
    assert [hit.record_id for hit in paged.hits] == want[2:4]
    assert paged.counts == {"note": 6}


def test_past_the_cap_the_exact_count_is_one_request_away(users, login_as, monkeypatch):
    """The page answers with "5+", then counts whole: by script (``/search/counts``) or,
    without one, by its "Count them all" link; a record the reader may not see is not in
    the number."""
    from tracker.search import query
    from tracker.web.main import search as page

    org = f.make_org("client", "蓝海物流", owner=users["account_manager"])
    for n in range(7):
        f.make_round(org, f"对账 {n}", body="客户")
    f.make_round(org, "保密 对账", body="客户", confidential=True)
    monkeypatch.setattr(query, "SCAN_CAP", 5)
    monkeypatch.setattr(page, "SCAN_CAP", 5)
    assert has(users["manager"], Capability.SEE_CONFIDENTIAL)
    assert not has(users["account_manager"], Capability.SEE_CONFIDENTIAL)
    for role, whole in (("manager", 8), ("account_manager", 7)):
        http = login_as(role)
        first = http.get("/search?q=客户&kind=note").get_data(as_text=True)
        assert '<span class="count" data-count="note">5+</span>' in first
        assert "data-counts-url=" in first and "Count them all" in first
        counted = http.get("/search/counts?q=客户").get_json()
        assert counted == {"kinds": {"note": str(whole)}, "all": str(whole)}
        exact = http.get("/search?q=客户&kind=note&count=all").get_data(as_text=True)
        assert f'<span class="count" data-count="note">{whole}</span>' in exact
        assert "data-counts-url=" not in exact and "Count them all" not in exact
        assert exact.count('class="hit"') == 5  # the first five are ranked, not more
        overview = http.get("/search?q=客户").get_data(as_text=True)
        assert '<span class="count" data-count="note">5+</span>' in overview
        assert "Count them all" in overview  # without a script too
        counted = http.get("/search?q=客户&count=all").get_data(as_text=True)
        assert f'<span class="count" data-count="note">{whole}</span>' in counted
        assert "Count them all" not in counted
    assert login_as("team_member").get("/search/counts?q=客户").get_json() == {
        "kinds": {}, "all": "0"}


def test_the_page_groups_counts_and_marks(corpus, login_as):
    page = login_as("admin").get("/search?q=发票").get_data(as_text=True)
    assert "<mark>发票</mark>" in page
    assert 'href="/search?q=%E5%8F%91%E7%A5%A8&amp;kind=round"' in page
    one_kind = login_as("admin").get("/search?q=发票&kind=complaint").get_data(as_text=True)
    assert "<mark>发票</mark>错误" in one_kind and "账期谈判" not in one_kind
    dated = login_as("admin").get("/search?q=发票&since=2000-01-01&until=2000-01-02")
    assert "Nothing found" in dated.get_data(as_text=True)


def test_suggestions_match_names_by_pinyin(corpus, login_as):
    found = login_as("admin").get("/search/suggest?q=qh").get_json()
    assert [item["label"] for item in found][:1] == ["青禾科技（集团）"]
    typed = login_as("admin").get("/search/suggest?q=青禾").get_json()
    assert typed[0]["label"] == "青禾科技（集团）"  # plain text: the list writes it as text
    assert login_as(f.make_user(None)).get("/search/suggest?q=qh").get_json() == []
    people = login_as("admin").get("/search/suggest?q=team").get_json()
    assert any(item["label"] == "Team_Member" for item in people)


def test_query_terms_fold_and_split():
    assert query_terms("ＳａａＳ　（集团）") == ["saas", "集团"]
    assert query_terms('"net 30" 发票') == ["net 30", "发票"]
    assert query_terms("客戶 客") == ["客户"]  # a term inside another adds nothing
    assert query_terms("zero\u200bwidth") == ["zerowidth"]
    assert query_terms("  ") == []


def test_a_common_word_stops_at_the_newest_documents(users, monkeypatch):
    """When this month's documents fill a kind's count, nothing older is read: on
    PostgreSQL the months before and the rest are never executed (EXPLAIN ANALYZE); on
    SQLite the postings are walked newest first with no sort of them."""
    from tracker.compiled import CompiledStatement
    from tracker.search import query

    monkeypatch.setattr(query, "PEEK_CAP", 3)
    org = f.make_org("client", "蓝海物流", owner=users["account_manager"])
    now = utcnow()
    for days in (400, 200, 0, 0, 0, 0, 0):
        f.make_round(org, "回访", body="客户 对账", occurred_at=now - timedelta(days=days))
    admin = users["admin"]
    statement, values = query._kept_statement(admin, query_terms("客户"), Filters(),
                                              db.engine.dialect.name, 1, 20, 3)
    if not is_postgres():
        plan = plan_of(statement)
        # the lines that fill found_note (then come the page's ranking of them)
        notes = plan.split("MATERIALIZE found_note")[1].split("SCAN found_note")[0]
        assert "SCAN search_grams VIRTUAL TABLE INDEX" in notes, plan
        assert "TEMP B-TREE" not in notes, plan
        return
    compiled = CompiledStatement(statement, db.engine.dialect, values)
    plan = "\n".join(row[0] for row in db.session.connection().exec_driver_sql(
        "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + compiled.sql,
        compiled.parameters(values)))
    notes = plan.split("CTE found_note")[1].split("\n  CTE ")[0]
    scans = [line for line in notes.splitlines() if 'Subquery Scan on "*SELECT*' in line]
    assert len(scans) == 1 + query.RECENT_MONTHS, notes
    assert "never executed" not in scans[0], notes
    assert all("never executed" in line for line in scans[1:]), notes
