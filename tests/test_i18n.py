"""Both languages render for real, and times show in the user's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from babel.messages.pofile import read_po

from tests import factories
from tracker.extensions import db

CATALOG = Path(__file__).resolve().parent.parent / "tracker/translations/zh/LC_MESSAGES"


def test_chinese_catalog_is_complete():
    with (CATALOG / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    missing = [m.id for m in catalog if m.id and not (
        all(m.string) if isinstance(m.string, tuple) else m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not missing, f"untranslated: {missing}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_catalog_is_compiled_where_flask_babel_reads_it(app):
    assert (CATALOG / "messages.mo").exists()
    assert app.config["BABEL_TRANSLATION_DIRECTORIES"].endswith("tracker/translations")


def test_user_setting_renders_pages_in_chinese(login_as, users):
    users["manager"].locale = "zh"
    db.session.commit()
    page = login_as("manager").get("/partners/").get_data(as_text=True)
    assert 'lang="zh-Hans"' in page
    assert "合作伙伴" in page and "Partners</h1>" not in page


def test_browser_preference_is_used_without_a_setting(client):
    page = client.get("/auth/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert "登录" in page.get_data(as_text=True)
    page = client.get("/auth/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Sign in" in page.get_data(as_text=True)


def test_language_switch_sticks_for_signed_in_users(login_as, users):
    client = login_as("manager")
    response = client.post("/language", data={"lang": "zh", "next": "/partners/"})
    assert response.headers["Location"] == "/partners/"
    db.session.refresh(users["manager"])
    assert users["manager"].locale == "zh"
    assert "合作伙伴" in client.get("/partners/").get_data(as_text=True)


def test_language_switch_refuses_foreign_next(client):
    response = client.post("/language", data={"lang": "zh", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_error_pages_in_chinese(login_as, users):
    users["team_member"].locale = "zh"
    db.session.commit()
    response = login_as("team_member").get("/partners/999999")
    assert response.status_code == 404
    assert "找不到" in response.get_data(as_text=True) or "不存在" in response.get_data(
        as_text=True)


def test_form_errors_in_chinese(login_as, users):
    users["manager"].locale = "zh"
    db.session.commit()
    response = login_as("manager").post("/partners/new", data={"name": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'class="field-error"' in page
    error = page.split('class="field-error">')[1].split("<")[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error), error


def test_times_are_stored_utc_and_shown_in_the_user_zone(login_as, users):
    org = factories.make_org("client", "Zoned", owner=users["manager"])
    org.created_at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(type(org), org.id).created_at.tzinfo is not None
    users["manager"].timezone = "Asia/Shanghai"
    db.session.commit()
    page = login_as("manager").get(f"/clients/{org.id}").get_data(as_text=True)
    assert "Mar 2, 2026" in page and "7:30" in page  # 23:30 UTC is 07:30 next day in Shanghai
    users["manager"].timezone = "America/New_York"
    db.session.commit()
    page = login_as("manager").get(f"/clients/{org.id}").get_data(as_text=True)
    assert "Mar 1, 2026" in page and "6:30" in page


def test_naive_datetimes_are_refused(users):
    import pytest
    from sqlalchemy.exc import StatementError

    org = factories.make_org("partner", owner=users["manager"])
    org.created_at = datetime(2026, 1, 1, 12, 0)
    with pytest.raises(StatementError):
        db.session.commit()
    db.session.rollback()


def test_the_short_way_translates_labels_as_flask_babel_does(app):
    """tracker.i18n.translate/gettext read the kept catalogue: same words, both languages."""
    from flask_babel import force_locale
    from flask_babel import gettext as babel_gettext

    from tracker.access.vocabulary import AREA_LABELS, CAPABILITY_LABELS
    from tracker.i18n import gettext, translate
    from tracker.models.complaint import CHANNEL_LABELS, COMPLAINT_STATUS_LABELS, SEVERITY_LABELS

    labels = [*SEVERITY_LABELS.values(), *CHANNEL_LABELS.values(),
              *COMPLAINT_STATUS_LABELS.values(), *AREA_LABELS.values(),
              *CAPABILITY_LABELS.values()]
    with app.test_request_context():
        for locale in ("en", "zh"):
            with force_locale(locale):
                assert [translate(label) for label in labels] == [str(x) for x in labels]
                assert gettext("%(time)s left", time="3 h") == babel_gettext(
                    "%(time)s left", time="3 h")
        with force_locale("zh"):
            assert translate(SEVERITY_LABELS["critical"]) != "Critical"


def test_every_string_the_code_marks_is_in_the_catalog():
    """Extract as `make translations-extract` does: a string marked in the code but
    missing from the catalog (not extracted again, or marked through a function under a
    name the extractor does not know) would show in English on a Chinese page."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    root = CATALOG.parents[3]
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None,
                "lazy_pgettext": ((1, "c"), 2)}
    method_map = [("tracker/**.py", "python"), ("config.py", "python"),
                  ("templates/**.html", "jinja2")]
    with (CATALOG / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    known = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog}
    marked = set()
    for _file, _line, message, _comments, context in extract_from_dir(
            root, method_map, keywords=keywords,
            options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}}):
        if message:
            marked.add((context, message if isinstance(message, str) else message[0]))
    assert marked - known == set()
    assert len(marked) > 1000  # the extraction did find the app's strings


def test_translation_functions_are_imported_under_names_the_extractor_knows():
    import re

    from babel.messages.extract import DEFAULT_KEYWORDS

    known = set(DEFAULT_KEYWORDS) | {"_l", "lazy_gettext", "lazy_pgettext"}
    renamed = re.compile(r"\b(?:n|p|np|lazy_|lazy_p)?gettext as (\w+)")
    found = []
    for path in (CATALOG.parents[2]).rglob("*.py"):
        if path.name == "i18n.py":  # wraps them; callers use the wrappers' own names
            continue
        found += [(path.name, alias) for alias in renamed.findall(path.read_text())
                  if alias not in known]
    assert found == []
