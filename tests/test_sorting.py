"""Names of organizations, contacts, people and teams sort in dictionary (pinyin) order,
on both databases: by the stored ``sort_name``, compared byte by byte."""

from __future__ import annotations

import html
import re
from itertools import combinations

import sqlalchemy as sa
from pypinyin import Style, lazy_pinyin

from tests import factories as f
from tracker.extensions import db
from tracker.models import AuditEvent, Organization, User
from tracker.search.names import SORT_KEY_LENGTH, sort_key

# The names (in the byte order that put 刘洋 before 陈静), and some traps: a
# homophone pair with different tones (李 li3, 力 li4), a syllable that is a prefix of
# another (li, lin), traditional and full-width forms, Latin among Chinese, a
# polyphone (重庆 chóng), the neutral tone.
NAMES = ["刘洋", "周敏", "孙浩", "陈静", "黄婷", "李娜", "力军", "林啊", "陳國", "重庆科技",
         "ＡＢＣ物流", "Apple", "阿里", "zebra", "北京青禾(集团)", "李娜娜"]
EXPECTED = ["阿里", "ＡＢＣ物流", "Apple", "北京青禾(集团)", "陳國", "陈静", "重庆科技", "黄婷",
            "李娜", "李娜娜", "力军", "林啊", "刘洋", "孙浩", "zebra", "周敏"]


def test_the_key_orders_names_as_a_dictionary_does():
    assert sorted(NAMES, key=sort_key) == EXPECTED
    assert sort_key("陳靜") == sort_key("陈静")  # traditional as simplified
    assert sort_key("ＡＢＣ") == sort_key("abc")  # width and case aside
    assert sort_key("重庆") == "chong2重 qing4庆"  # the phrase's reading, not zhòng
    assert sort_key("") == ""
    assert len(sort_key("张" * 200)) == SORT_KEY_LENGTH


def test_the_key_agrees_with_pinyin_for_every_pair_of_demo_like_names():
    """Every pair of names whose syllables differ is ordered by them (the issue counted
    45 % of pairs out of order by bytes)."""
    names = ["王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄婷", "周杰", "吴刚",
             "徐丽", "孙浩", "胡军", "朱琳", "高翔", "林峰", "何平", "郭靖", "马超", "罗欣"]
    for a, b in combinations(names, 2):
        by_sound = (lazy_pinyin(a, style=Style.TONE3), lazy_pinyin(b, style=Style.TONE3))
        if by_sound[0] != by_sound[1]:
            assert (sort_key(a) < sort_key(b)) == (by_sound[0] < by_sound[1]), (a, b)


def test_the_database_orders_by_the_key(users):
    """Byte order on both databases: PostgreSQL's collation would otherwise weigh the
    key's spaces and digits last."""
    for name in NAMES:
        f.make_org("partner", name)
    ordered = db.session.scalars(sa.select(Organization.name).where(
        Organization.name.in_(NAMES)).order_by(Organization.sort_name)).all()
    assert ordered == EXPECTED
    if db.engine.dialect.name == "postgresql":  # whatever the database's own collation
        collations = db.session.execute(sa.text(
            "SELECT table_name, collation_name FROM information_schema.columns "
            "WHERE column_name = 'sort_name'")).all()
        assert sorted(collations) == [("contacts", "C"), ("organizations", "C"),
                                      ("teams", "C"), ("users", "C")]


def _names_in(page: str, names: list[str]) -> list[str]:
    text = html.unescape(page)
    found = sorted((text.find(name), name) for name in names if name in text)
    return [name for _at, name in found]


def _rows(page: str, path: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [html.unescape(n) for n in re.findall(rf'<a href="/{path}/\d+">(.*?)</a>', body)]


def test_partner_and_client_lists_sort_by_pinyin_across_pages(app, users, login_as):
    for name in NAMES:
        f.make_org("partner", name, owner=users["partner_manager"])
        f.make_org("client", name, owner=users["account_manager"])
    app.config["PAGE_SIZE"] = 5
    http = login_as("admin")
    for path in ("partners", "clients"):
        seen: list[str] = []
        url = f"/{path}/?sort=name"
        while url:
            page = http.get(url).get_data(as_text=True)
            seen += _rows(page, path)
            more = re.search(r'<a href="([^"]+)" rel="next"', page)
            url = html.unescape(more.group(1)) if more else ""
        assert seen == EXPECTED
        backwards = _rows(http.get(f"/{path}/?sort=-name").get_data(as_text=True), path)
        assert backwards == EXPECTED[::-1][:5]


def test_people_contacts_and_teams_sort_by_pinyin(app, users, login_as):
    app.config["PAGE_SIZE"] = 100  # the suite's people, whose names sort among these
    people = ["刘洋", "周敏", "孙浩", "陈静", "黄婷", "李娜"]
    for name in people:
        f.make_user("team_member", name=name)
    org = f.make_org("partner", "青禾", owner=users["partner_manager"])
    contacts = ["赵敏", "王芳", "张伟", "吴刚"]  # none of them a user: pages list users too
    for name in contacts:
        f.make_contact(org, name)
    for name in ("华南", "东北", "西部"):
        f.make_team(name)
    http = login_as("admin")
    expected = ["陈静", "黄婷", "李娜", "刘洋", "孙浩", "周敏"]
    assert _names_in(http.get("/admin/users").get_data(as_text=True), people) == expected
    page = http.get(f"/partners/{org.id}").get_data(as_text=True)
    listed = re.findall(r'<div class="contact">\s*<strong>(.*?)</strong>', page)
    assert listed == ["王芳", "吴刚", "张伟", "赵敏"]
    teams = http.get("/teams/").get_data(as_text=True)
    assert _names_in(teams, ["华南", "东北", "西部"]) == ["东北", "华南", "西部"]


def test_a_rename_moves_the_key_without_a_history_line(users):
    org = f.make_org("partner", "刘洋贸易")
    org.name = "陈氏贸易"
    db.session.commit()
    assert org.sort_name == sort_key("陈氏贸易")
    changed = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type == "organizations", AuditEvent.record_id == org.id)).all()
    assert changed and all("sort_name" not in (event.changes or {}) for event in changed)
    assert any("name" in (event.changes or {}) for event in changed)
    person = db.session.get(User, users["admin"].id)
    assert person.sort_name == sort_key(person.name)
