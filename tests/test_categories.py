"""Complaint categories kept by administrators: both labels, no duplicates, stale forms
refused, archive and restore with history, and a new label reaching search."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import AuditEvent, ComplaintCategory, Job
from tracker.search.query import search


def _category(name: str) -> ComplaintCategory:
    return db.session.scalar(sa.select(ComplaintCategory).where(ComplaintCategory.name == name))


def test_an_administrator_keeps_the_list(login_as, users):
    admin = login_as("admin")
    response = admin.post("/admin/categories/new", data={
        "name": "  Late pickup ", "name_zh": "取件延迟", "position": "3"})
    assert response.status_code == 302
    late = _category("Late pickup")
    assert (late.name_zh, late.position, late.created_by_id) == ("取件延迟", 3, users["admin"].id)

    # the same name twice (either language, any case) is refused on the form
    page = admin.post("/admin/categories/new", data={"name": "late PICKUP", "name_zh": "别的"})
    assert page.status_code == 422
    assert "Another category already has this name." in page.get_data(as_text=True)
    page = admin.post("/admin/categories/new", data={"name": "Other name", "name_zh": "取件延迟"})
    assert page.status_code == 422
    # an empty Chinese name is refused too
    assert admin.post("/admin/categories/new", data={"name": "X"}).status_code == 422

    # a form filled in against an older version is refused, naming what changed
    edit = f"/admin/categories/{late.id}/edit"
    version = late.version
    assert admin.post(edit, data={"name": "Late pickup", "name_zh": "上门取件延迟",
                                  "version": version}).status_code == 302
    stale = admin.post(edit, data={"name": "Pickup late", "name_zh": "取件晚了",
                                   "version": version})
    assert stale.status_code == 409
    db.session.expire_all()
    assert _category("Late pickup").name_zh == "上门取件延迟"

    # archive: no longer offered on the intake form; restore brings it back
    assert admin.post(f"/admin/categories/{late.id}/archive").status_code == 302
    agent = login_as("support_agent")
    org = factories.make_org("client", "Form Co", team=factories.make_team("Desk"))
    form = agent.get(f"/clients/complaints/new?client={org.id}").get_data(as_text=True)
    assert "Late pickup" not in form
    assert admin.post(f"/admin/categories/{late.id}/restore").status_code == 302
    form = agent.get(f"/clients/complaints/new?client={org.id}").get_data(as_text=True)
    assert "Late pickup" in form
    actions = list(db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.record_type == "complaint_categories", AuditEvent.record_id == late.id)
        .order_by(AuditEvent.id)))
    assert actions == ["create", "update", "archive", "restore"]
    history = admin.get(f"/admin/categories/{late.id}/history").get_data(as_text=True)
    assert "上门取件延迟" in history


def test_only_administrators_change_it(login_as, users):
    assert login_as("manager").post("/admin/categories/new", data={
        "name": "Nope", "name_zh": "不行"}).status_code == 403
    assert login_as("auditor").get("/admin/categories").status_code == 200
    assert login_as("auditor").post("/admin/categories/new", data={
        "name": "Nope", "name_zh": "不行"}).status_code == 403


def test_a_new_label_is_found_by_search(login_as, users):
    org = factories.make_org("client", "Label Co", team=factories.make_team("Desk"))
    complaint = factories.make_complaint(org, "Parcel", category="Wrapping")
    category = complaint.category
    assert search(db.session, users["admin"], "Wrapping").counts == {"complaint": 1}
    admin = login_as("admin")
    response = admin.post(f"/admin/categories/{category.id}/edit", data={
        "name": "Packaging damage", "name_zh": "包装破损", "version": category.version})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Job.state).where(
        Job.kind == "search.refile_category")) == "done"
    assert search(db.session, users["admin"], "包装破损").counts == {"complaint": 1}
    assert search(db.session, users["admin"], "packaging").counts == {"complaint": 1}
    assert search(db.session, users["admin"], "Wrapping").counts == {}
    # the queue shows the new label on the row, in the reader's language
    page = admin.get("/clients/complaints/").get_data(as_text=True)
    assert re.search(r'<small class="muted">Packaging damage</small>', page)


def test_a_category_merges_into_another_with_each_complaints_history(login_as, users):
    org = factories.make_org("client", "Merge Co", team=factories.make_team("Desk"))
    one = factories.make_complaint(org, "One", category="Parcel late")
    two = factories.make_complaint(org, "Two", category="Parcel late")
    kept = factories.make_complaint(org, "Three", category="Late delivery words")
    source, target = one.category, kept.category
    admin = login_as("admin")
    # no target chosen: refused, nothing moves
    assert admin.post(f"/admin/categories/{source.id}/merge", data={}).status_code == 302
    db.session.expire_all()
    assert one.category_id == source.id and source.archived_at is None
    response = admin.post(f"/admin/categories/{source.id}/merge",
                          data={"into": str(target.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert {one.category_id, two.category_id} == {target.id}
    assert source.archived_at is not None
    trail = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type == "complaints", AuditEvent.record_id == one.id,
        AuditEvent.action == "update")).all()
    assert [(e.actor_id, e.changes.get("category_id")) for e in trail] == [
        (users["admin"].id, [source.id, target.id])]
    assert search(db.session, users["admin"], "Late delivery words").counts == {
        "complaint": 3}
    assert login_as("manager").post(f"/admin/categories/{target.id}/merge",
                                    data={"into": str(source.id)}).status_code == 403


def test_an_order_too_large_for_any_number_is_refused_on_the_form(login_as, users):
    admin = login_as("admin")
    for position in ("9" * 400, "-" + "9" * 40, "10001"):
        response = admin.post("/admin/categories/new", data={
            "name": f"Big {len(position)}", "name_zh": f"大 {len(position)}",
            "position": position})
        assert response.status_code == 422, position
