"""The per-request shortcuts give exactly what the slow paths give: links, option tags,
translations and kept statements."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask import url_for as flask_url_for
from flask_babel import force_locale, gettext

from tracker import statements
from tracker.i18n import translations
from tracker.urls import url_for
from tracker.web.widgets import option_tags


def _sample(converter: str) -> object:
    return {"int": 42, "IntegerConverter": 42}.get(converter, "a b/é")


def test_fast_url_for_builds_every_route_like_flask(app: Flask) -> None:
    with app.test_request_context("/", base_url="http://localhost/prefix"):
        checked = 0
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static":
                continue
            ints = {name: 7 + i for i, name in enumerate(sorted(rule.arguments))
                    if type(rule._converters[name]).__name__ == "IntegerConverter"}
            if len(ints) != len(rule.arguments):
                continue
            for values in (ints, {**ints, "page": 3}, {**ints, "after": 12, "z": 0}):
                assert url_for(rule.endpoint, **values) == flask_url_for(rule.endpoint,
                                                                          **values)
                # a second call is served from the kept shape: still the same link
                again = {k: v * 31 for k, v in values.items()}
                assert url_for(rule.endpoint, **again) == flask_url_for(rule.endpoint, **again)
            checked += 1
        assert checked > 50
        assert url_for("static", filename="css/app.css") == flask_url_for(
            "static", filename="css/app.css")
        assert url_for("main.search", q="a b") == flask_url_for("main.search", q="a b")
        assert url_for("main.dashboard", _external=True).startswith("http://localhost/prefix")
        assert url_for("clients.index", archived=True) == flask_url_for("clients.index",
                                                                         archived=True)


def test_option_tags_are_the_same_written_or_kept() -> None:
    people = [(i, f"Person <{i}>") for i in range(1, 60)]
    first = option_tags(people, 7)
    assert first.count(" selected") == 1 and '<option value="7" selected>' in first
    assert "Person &lt;7&gt;" in first
    again = option_tags(people, "12")  # kept now: another one selected, none other
    assert again.count(" selected") == 1 and '<option value="12" selected>' in again
    assert option_tags(people, None).count(" selected") == 0
    assert option_tags(people, 999).count(" selected") == 0
    renamed = [(1, "Renamed"), *people[1:]]
    assert '<option value="1">Renamed</option>' in option_tags(renamed, None)


def test_translations_follow_a_forced_locale(app: Flask) -> None:
    # a fresh app context, as every request has (the suite's own one keeps its g)
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "zh"}):
        assert gettext("Partners") == "合作伙伴"
        assert translations().ugettext("Partners") == "合作伙伴"
        with force_locale("en"):
            assert gettext("Partners") == "Partners"
            assert translations().ugettext("Partners") == "Partners"
        assert gettext("Partners") == "合作伙伴"


def test_a_kept_statement_is_built_once_and_runs_with_the_new_values(app: Flask) -> None:
    built = []

    def build() -> sa.Select:
        built.append(1)
        return sa.select(sa.bindparam("x", 1, type_=sa.Integer) + 1)

    with app.app_context():
        from tracker.extensions import db

        first = statements.kept(("test-kept",), build)
        second = statements.kept(("test-kept",), build)
        assert first is second and len(built) == 1
        assert db.session.scalar(second, {"x": 41}) == 42


def test_the_kept_top_bar_is_each_readers_own(users, login_as) -> None:
    from tracker.extensions import db

    member = users["team_member"]
    member.name = "Zoë <b>Member</b>"
    db.session.commit()
    admin_page = login_as("admin").get("/").get_data(as_text=True)
    member_http = login_as("team_member")
    member_page = member_http.get("/").get_data(as_text=True)
    assert 'href="/admin/' in admin_page and 'href="/admin/' not in member_page
    assert "Zoë &lt;b&gt;Member&lt;/b&gt;" in member_page and "<b>Member" not in member_page
    assert "Zoë" not in admin_page
    member.locale = "zh"
    db.session.commit()
    chinese = member_http.get("/?q=x").get_data(as_text=True)
    assert "合作伙伴" in chinese or "我的一天" in chinese
    assert 'name="next" value="/?q=x"' in chinese
    assert "nav:" not in chinese and "nav:" not in admin_page  # every slot filled in
