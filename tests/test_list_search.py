"""Every list's search box searches as the search page does, and none treats the text
typed as a pattern."""

from __future__ import annotations

import re
from pathlib import Path

from tests import factories as f
from tests.test_complaints import _page, _queue_rows
from tracker.extensions import db
from tracker.models import ComplaintEvent
from tracker.records import archive


def test_the_queue_searches_description_and_replies(users, login_as):
    client = f.make_org("client", "蓝海物流")
    by_title = f.make_complaint(client, "发票错误")
    by_description = f.make_complaint(client, "Wrong amount")
    by_description.description = "客户说发票金额不对"
    by_reply = f.make_complaint(client, "Late")
    db.session.add(ComplaintEvent(complaint=by_reply, kind="reply", body="已补开發票"))
    f.make_complaint(client, "Other", description="nothing to see")
    db.session.commit()
    http = login_as("support_agent")
    found = _queue_rows(_page(http.get("/clients/complaints/?view=open&q=发票")))
    assert sorted(found) == sorted([by_title.id, by_description.id, by_reply.id])
    both = _queue_rows(_page(http.get("/clients/complaints/?view=open&q=发票+金额")))
    assert both == [by_description.id]
    # "%" is no wildcard: punctuation holds no word, so it narrows nothing (as a search
    # for "(集团)" looks for 集团)
    every = _queue_rows(_page(http.get("/clients/complaints/?view=open")))
    assert _queue_rows(_page(http.get("/clients/complaints/?view=open&q=%25"))) == every
    assert _queue_rows(_page(http.get("/clients/complaints/?view=open&q=发票%25"))) == found


def test_teams_and_users_lists_take_percent_and_underscore_literally(users, login_as):
    f.make_team("Ops_East")
    admin = login_as("admin")
    teams = _page(admin.get("/teams/?q=%25"))
    assert "Alpha" not in teams
    underscored = _page(admin.get("/teams/?q=_"))
    assert "Ops_East" in underscored and "Alpha" not in underscored
    people = _page(admin.get("/admin/users?q=%25"))
    assert "admin@test.example" not in people
    assert "team_member@test.example" in _page(admin.get("/admin/users?q=m_m"))


def test_follow_up_pages_offer_a_search_box(users, login_as):
    page = _page(login_as("team_member").get("/followups/"))
    form = re.search(r'<form[^>]*data-testid="search-followups".*?</form>', page, re.S).group(0)
    assert 'action="/search"' in form and 'name="kind" value="followup"' in form
    assert f'name="owner" value="{users["team_member"].id}"' in form


def test_no_list_matches_typed_text_as_a_pattern():
    """A LIKE on typed text escapes its wildcards (``tracker.text.contains``)."""
    root = Path(__file__).resolve().parents[1] / "tracker"
    unescaped = [f"{path.relative_to(root)}:{n}" for path in root.rglob("*.py")
                 for n, line in enumerate(path.read_text().splitlines(), 1)
                 if re.search(r"\.i?like\(", line) and "escape=" not in line]
    assert unescaped == []


def _org_rows(page: str, path: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(rf'<a href="/{path}/\d+">(.*?)</a>', body)


def test_partner_and_client_lists_search_as_search_does(users, login_as):
    """Name, pinyin, initials, traditional forms, industry, notes and contacts; an
    archived organization (out of the index) by its name as typed."""
    qinghe = f.make_org("partner", "青禾科技", owner=users["partner_manager"],
                        industry="物流", notes="账期 60 天")
    f.make_contact(qinghe, "王芳")
    f.make_org("partner", "蓝海贸易", owner=users["partner_manager"])
    gone = f.make_org("partner", "旧友商行", owner=users["partner_manager"])
    archive(gone)
    f.make_org("client", "青禾零售", owner=users["account_manager"])
    db.session.commit()
    http = login_as("admin")
    for q in ("青禾", "qinghe", "qhkj", "賬期", "物流", "账期", "王芳", "科技 物流"):
        assert _org_rows(http.get(f"/partners/?q={q}").get_data(as_text=True),
                         "partners") == ["青禾科技"], q
    assert _org_rows(http.get("/partners/?q=青禾+蓝海").get_data(as_text=True), "partners") == []
    assert _org_rows(http.get("/clients/?q=qh").get_data(as_text=True), "clients") == ["青禾零售"]
    archived = http.get("/partners/?archived=1&q=旧友").get_data(as_text=True)
    assert _org_rows(archived, "partners") == ["旧友商行"]


def test_the_agreement_list_searches_terms_and_money_only_for_money_readers(users, login_as):
    from tests.test_agreements import custom_user

    org = f.make_org("partner", "青禾科技", owner=users["partner_manager"])
    f.make_agreement(org, "年度框架", fee="98765.00", cooperation="季度对账")
    f.make_agreement(org, "Other")
    reader = custom_user("no_money_reader", {"partners": (3, 0), "agreements": (3, 0)})
    for who, money in ((login_as("manager"), True), (login_as(reader), False)):
        for q, found in (("框架", True), ("對賬", True), ("框架 对账", True),
                         ("98765", money)):
            page = who.get(f"/partners/agreements/?q={q}").get_data(as_text=True)
            assert ("年度框架" in page) is found, (q, money)
            assert "Other" not in page
