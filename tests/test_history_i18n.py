"""History pages read as people read them, in their language: every field by its label,
every code by its label, times in the reader's zone, dates as dates, yes/no, references by
name (and a record the reader may not read never by its name).

The first tests walk the models, so a new column without a label (or a code column
without its labels, a reference without its model) fails here, not on somebody's page.
The last renders every history page of the demo in Chinese.
"""

from __future__ import annotations

import enum
import inspect as pyinspect
import re
import time

import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale

import tracker.access.vocabulary as vocabulary
import tracker.models as models
from tests import factories
from tracker.audit import SKIPPED
from tracker.demo import load_demo
from tracker.extensions import db
from tracker.history import (
    CHILD_LABELS,
    FIELD_LABELS,
    INTERNAL_FIELDS,
    PARENT_FIELDS,
    action_label,
    reference_of,
    shown_changes,
    summary_shown,
    value_labels,
)
from tracker.models import AuditEvent, Conversation, Organization, User
from tracker.models.base import Base

CJK = re.compile(r"[\u4e00-\u9fff]")


def _audited() -> list[type]:
    return [m.class_ for m in Base.registry.mappers if getattr(m.class_, "__audited__", False)]


def _shown_columns(cls: type):
    """The columns of ``cls`` a history page shows (what the audit hook records, less
    what the page leaves out)."""
    table = cls.__tablename__
    ignored = SKIPPED | getattr(cls, "__audit_ignore__", frozenset())
    for attr in sa.inspect(cls).column_attrs:
        key = attr.key
        if key in ignored or key == "id" or key in INTERNAL_FIELDS or key == PARENT_FIELDS.get(
                table):
            continue
        yield key, attr.columns[0]


def _str_enums() -> list[type[enum.Enum]]:
    found = {obj for module in (models, vocabulary) for _name, obj in pyinspect.getmembers(module)
             if isinstance(obj, type) and issubclass(obj, enum.Enum) and obj is not enum.Enum}
    return [e for e in found if e.__module__.startswith("tracker")]


def test_every_audited_column_has_a_label_and_every_reference_its_model():
    unlabelled, unreferenced = [], []
    for cls in _audited():
        table = cls.__tablename__
        for key, column in _shown_columns(cls):
            if key not in FIELD_LABELS:
                unlabelled.append(f"{table}.{key}")
            if column.foreign_keys and reference_of(table, key) is None:
                unreferenced.append(f"{table}.{key}")
            if column.foreign_keys and reference_of(table, key) is not None:
                (fk,) = column.foreign_keys
                assert reference_of(table, key).__tablename__ == fk.column.table.name, (
                    f"{table}.{key} names the wrong model")
        ignored = getattr(cls, "__audit_ignore__", frozenset())
        for rel in sa.inspect(cls).relationships:
            if rel.secondary is not None and rel.key not in ignored and rel.key not in FIELD_LABELS:
                unlabelled.append(f"{table}.{rel.key}")
    assert not unlabelled, f"give these a label in tracker/history.py FIELD_LABELS: {unlabelled}"
    assert not unreferenced, f"name their model in tracker/history.py REFERENCES: {unreferenced}"


def test_every_code_column_has_its_labels():
    """A column defaulting to an enum's value (or holding one) shows that enum's labels."""
    registry = value_labels()
    enums = _str_enums()
    missing = []
    for cls in _audited():
        table = cls.__tablename__
        for key, column in _shown_columns(cls):
            default = column.default.arg if column.default is not None else None
            if callable(default) or default in (None, ""):
                continue
            holders = [e for e in enums if isinstance(default, e) or (
                isinstance(default, str) and not isinstance(default, bool)
                and default in e._value2member_map_)]
            if holders and key not in registry.get(table, {}):
                missing.append(f"{table}.{key} ({holders[0].__name__})")
    assert not missing, f"register their labels in tracker/history.py value_labels: {missing}"


def test_every_label_reads_in_chinese(app: Flask):
    """Labels of fields, codes, child rows and actions: each has its Chinese."""
    with app.test_request_context(), force_locale("zh"):
        untranslated = [f for f, label in FIELD_LABELS.items() if not CJK.search(str(label))]
        untranslated += [t for t, label in CHILD_LABELS.items() if not CJK.search(str(label))]
        for table, columns in value_labels().items():
            for field, coder in columns.items():
                if isinstance(coder, type) and issubclass(coder, enum.Enum):
                    bad = [m.value for m in coder if not CJK.search(str(m.label))
                           and m.label != "—"]
                else:
                    bad = [c for c in getattr(coder, "codes", ()) if not CJK.search(coder(c))]
                untranslated += [f"{table}.{field}={code}" for code in bad]
        assert not untranslated, untranslated
        assert action_label("grants.create") == "权限：创建"
        for cls in _audited():
            if hasattr(cls, "__audit_parent__"):
                assert cls.__tablename__ in CHILD_LABELS, cls.__tablename__


def _event(changes: dict, record_type: str = "complaints", action: str = "update",
           summary: str = "") -> AuditEvent:
    event = AuditEvent(at=models.utcnow(), action=action, record_type=record_type,
                       record_id=1, changes=changes, summary=summary)
    db.session.add(event)
    db.session.flush()
    return event


def test_values_read_as_people_read_them(app: Flask, users):
    manager = users["manager"]
    manager.timezone = "Asia/Shanghai"
    event = _event({
        "status": ["new", "waiting_on_client"], "channel": [None, "in_person"],
        "is_confidential": [False, True], "ack_due_at": [None, "2026-03-02T01:30:00+00:00"],
        "root_cause": [None, "delivery"], "assignee_id": [None, manager.id],
        "conversation_id": [None, 7]})
    roles = _event({"roles": [["Team member"], ["Administrator", "Support agent"]],
                    "locale": ["en", "zh"], "digest_hour": [8, 9]}, "users")
    grant = _event({"area": [None, "partners"], "read_level": [None, 3]}, "roles",
                   "grants.create", "partners: 3/0")
    with app.test_request_context(), force_locale("zh"):
        import flask_babel

        flask_babel.refresh()
        shown = shown_changes([event, roles, grant], reader=manager)
        rows = {c.label: (c.old, c.new) for c in shown[event.id]}
        assert rows["状态"][1] != "waiting_on_client" and CJK.search(rows["状态"][1])
        assert CJK.search(rows["渠道"][1]) and rows["机密"] == ("否", "是")
        assert "2026" in rows["受理截止"][1] and "T01:30" not in rows["受理截止"][1]
        assert CJK.search(rows["根本原因"][1])
        assert rows["处理人"][1] == manager.name
        assert "conversation_id" not in str(shown) and "Conversation" not in str(shown)
        user_rows = {c.label: c.new for c in shown[roles.id]}
        assert user_rows["角色"] == "管理员, 客服专员" or "Administrator" not in user_rows["角色"]
        assert user_rows["语言"] == "简体中文" and user_rows["每日提醒时间"] == "09:00"
        assert {c.new for c in shown[grant.id]} >= {"合作伙伴", "全部记录"}
        assert summary_shown(grant) == "合作伙伴: 全部记录 / 无"


def test_a_record_the_reader_may_not_read_is_not_named(app: Flask, users):
    secret = factories.make_org("partner", "机密伙伴")
    event = _event({"organization_id": [None, secret.id]}, "followups")
    with app.test_request_context(), force_locale("zh"):
        seen = shown_changes([event], reader=users["manager"])[event.id][0].new
        unseen = shown_changes([event], reader=users["support_agent"])[event.id][0].new
    assert seen == "机密伙伴"
    assert unseen == "您无权查看的记录" and "机密" not in unseen


# -- every history page of the demo, in Chinese ------------------------------------------
PAGES = {
    "agreements": "/partners/agreements/{}/history",
    "requirements": "/clients/requirements/{}/history",
    "complaints": "/clients/complaints/{}/history",
    "teams": "/teams/{}/history", "posts": "/teams/posts/{}/history",
    "goals": "/teams/goals/{}/history", "meetings": "/teams/meetings/{}/history",
    "retrospectives": "/teams/retros/{}/history", "progress_reports": "/teams/reports/{}/history",
    "problems": "/teams/problems/{}/history", "resource_requests": "/teams/requests/{}/history",
    "complaint_categories": "/admin/categories/{}/history", "roles": "/admin/roles/{}/history",
    "users": "/admin/users/{}/history",
}
ISO = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d)?")


def _history_urls() -> list[str]:
    kinds = dict(db.session.execute(sa.select(Organization.id, Organization.kind)).all())
    orgs = dict(db.session.execute(sa.select(Conversation.id,
                                             Conversation.organization_id)).all())
    urls = []
    for record_type, record_id in db.session.execute(
            sa.select(AuditEvent.record_type, AuditEvent.record_id).distinct()):
        if record_type == "organizations":
            urls.append(f"/{kinds[record_id]}s/{record_id}/history")
        elif record_type == "conversations":
            partner = kinds[orgs[record_id]] == "partner"
            urls.append(f"/partners/rounds/{record_id}/history" if partner
                        else f"/clients/notes/{record_id}/history")
        elif record_type in PAGES:
            urls.append(PAGES[record_type].format(record_id))
    return urls


def _codes() -> dict[str, set[str]]:
    """The codes each labelled code column may store, by its label as the page shows it
    (a free-text column, such as a goal's unit, may hold any word)."""
    found: dict[str, set[str]] = {}
    for columns in value_labels().values():
        for field, coder in columns.items():
            codes = set(getattr(coder, "codes", ()))
            if isinstance(coder, type) and issubclass(coder, enum.StrEnum):
                codes |= {m.value for m in coder}
            found.setdefault(str(FIELD_LABELS[field]), set()).update(codes)
    return found


def _column_names() -> set[str]:
    return {key for cls in _audited() for key, _column in _shown_columns(cls)}


def test_every_history_page_of_the_demo_reads_in_chinese(app: Flask):
    started = time.monotonic()
    load_demo()
    db.session.commit()
    admin = db.session.scalar(sa.select(User).where(User.email == "admin@example.com"))
    admin.locale, admin.timezone = "zh", "Asia/Shanghai"
    db.session.commit()
    client = app.test_client()
    factories.sign_in(client, admin)
    loaded = time.monotonic()
    with force_locale("zh"):
        codes = _codes()
    columns = _column_names()
    urls = _history_urls()
    assert len(urls) > 500
    problems: list[str] = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        table = re.search(r'<table class="history">(.*?)</table>',
                          response.get_data(as_text=True), re.S)
        if table is None:
            continue
        html = re.sub(r'<time datetime="[^"]*">', "<time>", table.group(1))
        for label, values in re.findall(r'<span class="field">(.*?)</span>: (.*?)</li>',
                                        html, re.S):
            if label in columns or not CJK.search(label):
                problems.append(f"{url}: raw field {label}")
            for value in re.split(r"</?del>| → |</?ins>", values):
                value = value.strip()
                if value in codes.get(label, ()):
                    problems.append(f"{url}: {label} shows the code {value}")
                if ISO.search(value):
                    problems.append(f"{url}: {label} shows {value}")
                if value in ("True", "False", "✓", "✗"):
                    problems.append(f"{url}: {label} shows {value}")
        text = re.sub(r"<[^>]+>", " ", html)
        if re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", text):
            problems.append(f"{url}: an ISO time")
    assert not problems, problems[:20]
    print(f"demo loaded in {loaded - started:.0f} s, {len(urls)} pages in "
          f"{time.monotonic() - loaded:.0f} s")


def test_built_in_role_names_read_in_chinese_where_access_is_explained(app: Flask, users):
    from tracker.access import Action
    from tracker.access.policy import explain

    org = factories.make_org("partner", "Harbor")
    with app.test_request_context(), force_locale("zh"):
        texts = [r.text for r in explain(users["partner_manager"], Action.READ, org)]
    assert any("合作伙伴经理" in t for t in texts), texts
    assert not any("Partner manager" in t for t in texts), texts


def test_stored_minutes_read_as_hours_with_the_right_plural(app):
    from tracker.history import _hours

    with app.test_request_context(), force_locale("en"):
        assert [_hours(m) for m in (60, 90, 30, 1440)] == [
            "1 hour", "1.5 hours", "0.5 hours", "24 hours"]
    with app.test_request_context(), force_locale("zh"):
        assert _hours(90) == "1.5 小时"
