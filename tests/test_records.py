"""Nothing lost: stale forms are refused, deletes archive, every change is in the history."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import AuditEvent, Organization


def _form(org, **changes):
    data = {"name": org.name, "status": org.status, "industry": org.industry,
            "website": org.website, "owner_id": org.owner_id or "", "team_id": org.team_id or "",
            "tags": ", ".join(t.name for t in org.tags), "notes": org.notes,
            "version": org.version}
    data.update(changes)
    return data


def _events(org):
    return db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type == "organizations", AuditEvent.record_id == org.id)
        .order_by(AuditEvent.id)).all()


def test_create_writes_authorship_and_a_create_event(login_as, users):
    client = login_as("manager")
    response = client.post("/partners/new", data={
        "name": "云途物流", "status": "active", "owner_id": users["manager"].id,
        "tags": "VIP, 华东, VIP"})
    assert response.status_code == 302
    org = db.session.scalar(sa.select(Organization).where(Organization.name == "云途物流"))
    assert org.created_by_id == users["manager"].id == org.updated_by_id
    assert [t.name for t in org.tags] == ["VIP", "华东"]
    (event,) = _events(org)
    assert event.action == "create" and event.actor_id == users["manager"].id
    assert event.changes["name"] == [None, "云途物流"]
    assert event.changes["tags"] == [None, ["VIP", "华东"]]
    assert event.at.tzinfo is not None


def test_update_records_old_and_new_values(login_as, users):
    org = factories.make_org("partner", "Old name", owner=users["manager"])
    client = login_as("manager")
    response = client.post(f"/partners/{org.id}/edit", data=_form(org, name="New name",
                                                                   tags="续约中"))
    assert response.status_code == 302
    db.session.refresh(org)
    assert org.version == 2 and org.name == "New name"
    update = _events(org)[-1]
    assert update.action == "update" and update.record_version == 2
    assert update.changes["name"] == ["Old name", "New name"]
    assert update.changes["tags"] == [[], ["续约中"]]
    assert "version" not in update.changes and "updated_at" not in update.changes


def test_saving_an_unchanged_form_writes_no_event(login_as, users):
    org = factories.make_org("partner", owner=users["manager"])
    before = len(_events(org))
    login_as("manager").post(f"/partners/{org.id}/edit", data=_form(org))
    db.session.refresh(org)
    assert org.version == 1 and len(_events(org)) == before


def test_stale_form_is_refused_and_shows_what_changed(login_as, users):
    org = factories.make_org("partner", "Original", owner=users["manager"])
    stale = _form(org, name="Mine")
    first = login_as("admin")
    assert first.post(f"/partners/{org.id}/edit",
                      data=_form(org, name="Theirs")).status_code == 302
    response = login_as("manager").post(f"/partners/{org.id}/edit", data=stale)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else changed this record" in page
    assert "Original" in page and "Theirs" in page and users["admin"].name in page
    assert 'value="Mine"' in page  # the user's own entry is kept in the form
    db.session.refresh(org)
    assert org.name == "Theirs" and org.version == 2
    # Saving again, now knowingly against version 2, applies the change.
    again = login_as("manager").post(f"/partners/{org.id}/edit", data=_form(org, name="Mine"))
    assert again.status_code == 302
    db.session.refresh(org)
    assert org.name == "Mine"


def test_concurrent_writers_cannot_overwrite_each_other(app, users):
    """Two sessions load version 1; the second flush matches no row and fails."""
    from sqlalchemy.orm.exc import StaleDataError

    org = factories.make_org("partner", owner=users["manager"])
    other = sa.orm.Session(db.engine)
    theirs = other.get(Organization, org.id)
    org.name = "first writer"
    db.session.commit()
    theirs.name = "second writer"
    try:
        other.commit()
        raise AssertionError("the stale write went through")
    except StaleDataError:
        other.rollback()
    finally:
        other.close()
    db.session.refresh(org)
    assert org.name == "first writer"


def test_archive_hides_from_lists_and_restore_brings_back(login_as, users):
    org = factories.make_org("partner", "Archivable", owner=users["manager"])
    client = login_as("manager")
    assert client.post(f"/partners/{org.id}/archive").status_code == 302
    db.session.refresh(org)
    assert org.archived_at is not None
    assert db.session.get(Organization, org.id) is not None  # kept, not deleted
    link = f'href="/partners/{org.id}"'
    assert link not in client.get("/partners/").get_data(as_text=True)
    assert link in client.get("/partners/?archived=1").get_data(as_text=True)
    assert link not in client.get("/search?q=Archivable").get_data(as_text=True)
    assert client.get(f"/partners/{org.id}/edit").status_code == 403
    assert client.post(f"/partners/{org.id}/restore").status_code == 302
    db.session.refresh(org)
    assert org.archived_at is None
    assert [e.action for e in _events(org)] == ["create", "archive", "restore"]


def test_history_tab_shows_changes_with_names(login_as, users):
    org = factories.make_org("partner", "Historic", owner=users["manager"])
    client = login_as("manager")
    client.post(f"/partners/{org.id}/edit", data=_form(org, owner_id=users["admin"].id))
    page = client.get(f"/partners/{org.id}/history").get_data(as_text=True)
    assert "Owner" in page and users["manager"].name in page and users["admin"].name in page


def test_contact_changes_appear_in_the_organization_history(login_as, users):
    org = factories.make_org("client", owner=users["manager"])
    client = login_as("manager")
    client.post(f"/clients/{org.id}/contacts/new", data={"name": "张伟", "email": "zw@x.cn"})
    page = client.get(f"/clients/{org.id}/history").get_data(as_text=True)
    assert "张伟" in page


def test_history_is_hidden_without_the_audit_capability(login_as, users):
    org = factories.make_org("partner", owner=users["partner_manager"])
    client = login_as("partner_manager")
    assert client.get(f"/partners/{org.id}/history").status_code == 403
    assert f"/partners/{org.id}/history" not in client.get(f"/partners/{org.id}").get_data(
        as_text=True)


def test_role_grant_changes_are_audited_on_the_role(login_as, users):
    from tracker.models import Role

    role = db.session.scalar(sa.select(Role).where(Role.name == "team_member"))
    role.grants[0].read_level = 3
    db.session.commit()
    event = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type == "roles", AuditEvent.record_id == role.id)
        .order_by(AuditEvent.id.desc())).first()
    assert event.action == "grants.update"
    assert event.changes["read_level"][1] == 3


def test_password_hashes_never_reach_the_history(login_as, users):
    events = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type == "users")).all()
    assert events
    for event in events:
        for field, values in event.changes.items():
            if field in {"password_hash", "session_token"}:
                assert values[1] == "•••"


def test_moving_an_organization_moves_its_open_work_with_it(login_as, users):
    """Scope follows the owner of today: the old team stops reading the open complaint,
    the new one sees it; closed work stays with the team that handled it."""
    from tracker.access import Action, can
    from tracker.followups import add_followup
    from tracker.models import Complaint, FollowUp, Team

    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    beta = factories.make_team("Beta")
    outsider = factories.make_user("account_manager", teams=(beta,))
    org = factories.make_org("client", "移动客户", owner=outsider, team=beta)
    open_one = factories.make_complaint(org, "Still open")
    closed = factories.make_complaint(org, "Long closed", status="closed")
    followup = add_followup(org, "Call them back", outsider.id, date(2026, 12, 10),
                            organization=org)
    db.session.commit()
    assert {open_one.team_id, closed.team_id, followup.team_id} == {beta.id}
    agent = users["account_manager"]  # in Alpha
    assert not can(agent, Action.READ, open_one)

    admin = login_as("admin")
    form = admin.get(f"/clients/{org.id}/edit").get_data(as_text=True)
    assert "takes along the 1 open complaints and 1 open follow-ups" in form
    response = admin.post(f"/clients/{org.id}/edit",
                          data=_form(org, team_id=alpha.id, owner_id=agent.id))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Complaint, open_one.id).team_id == alpha.id
    assert db.session.get(FollowUp, followup.id).team_id == alpha.id
    assert db.session.get(Complaint, closed.id).team_id == beta.id
    assert can(agent, Action.READ, db.session.get(Complaint, open_one.id))
    moved = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type == "complaints", AuditEvent.record_id == open_one.id)
        .order_by(AuditEvent.id)).all()[-1]
    assert moved.action == "update" and "team_id" in moved.changes
    assert moved.actor_id == users["admin"].id
    assert login_as(outsider).get(f"/clients/complaints/{open_one.id}").status_code == 404


def test_history_reads_as_people_talk(login_as, users):
    """Field names in the reader's language, codes as labels, times in their zone, ids as
    names, and nothing the system keeps for itself (issue 12: ``ack_due_at``,
    ``waiting_on_client``, UTC ISO times, ``所属机构 : 41``)."""
    from tracker.clients.complaints import services as complaints

    agent = users["support_agent"]
    org = factories.make_org("client", "青禾科技", owner=users["account_manager"])
    complaint = factories.make_complaint(org, "发票错误", assignee=agent)
    complaints.move(complaint, "acknowledged", agent)
    db.session.commit()
    complaints.move(complaint, "waiting_on_client", agent)
    db.session.commit()
    admin = users["admin"]
    admin.locale, admin.timezone = "zh", "Asia/Shanghai"
    db.session.commit()
    page = login_as("admin").get(f"/clients/complaints/{complaint.id}/history")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    shown = " ".join(re.findall(r">([^<]*)<", text))  # what is read, not attributes
    for raw in ("ack_due_at", "resolve_due_at", "waiting_on_client", "organization_id",
                "due_next_at", "+00:00", "in_person"):
        assert raw not in shown, raw
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", shown)  # no ISO times
    assert "等待客户回复" in text  # the status's label
    assert "青禾科技" in text  # the organization by name, not its id
