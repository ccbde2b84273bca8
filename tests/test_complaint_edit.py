"""Correcting a complaint after intake (issue 11): the edit page, its version check, history,
who may edit, deadlines recomputed by a new severity, and the caller from intake on."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests import factories
from tracker.clients.complaints import services
from tracker.clients.complaints.events import event_text
from tracker.extensions import db
from tracker.models import AuditEvent, Complaint, ComplaintEvent, FollowUp, Team, utcnow
from tracker.search.query import search


@pytest.fixture
def alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _fresh(complaint_id: int) -> Complaint:
    db.session.expire_all()
    return db.session.get(Complaint, complaint_id)


def _form(complaint: Complaint, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "version": complaint.version, "organization_id": complaint.organization_id,
        "contact_id": complaint.contact_id or "", "caller": complaint.caller,
        "title": complaint.title, "description": complaint.description,
        "channel": complaint.channel, "category_id": complaint.category_id or "",
        "severity": complaint.severity, "external_ref": complaint.external_ref or ""}
    if complaint.is_confidential:
        data["is_confidential"] = "y"
    data.update(changes)
    return data


def _edit(client, complaint: Complaint, **changes: object):
    return client.post(f"/clients/complaints/{complaint.id}/edit", data=_form(complaint, **changes))


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_intake_takes_the_caller_shows_it_and_search_finds_it(login_as, users, alpha):
    org = factories.make_org("client", "Caller Retail", team=alpha)
    client = login_as("support_agent")
    form = _page(client.get("/clients/complaints/new"))
    assert 'name="caller"' in form
    response = client.post("/clients/complaints/new", data={
        "client_id": org.id, "title": "Parcel lost", "description": "Nothing arrived.",
        "channel": "phone", "severity": "medium", "caller": "  Ms Zhao Min (front desk) "})
    assert response.status_code == 302, _page(response)
    complaint = db.session.scalars(sa.select(Complaint).order_by(Complaint.id.desc())).first()
    assert complaint.caller == "Ms Zhao Min (front desk)"
    page = _page(client.get(f"/clients/complaints/{complaint.id}"))
    assert re.search(r'data-testid="caller">Ms Zhao Min \(front desk\)<', page)
    found = search(db.session, users["support_agent"], "Zhao Min")
    assert any(hit.record_id == complaint.id for hit in found.hits), found


def test_editing_corrects_client_contact_category_and_keeps_history(login_as, users, alpha):
    agent = users["support_agent"]
    wrong = factories.make_org("client", "Wrong Client", team=alpha)
    right = factories.make_org("client", "Right Client", team=alpha)
    buyer = factories.make_contact(right, "Chen Jing")
    complaint = factories.make_complaint(wrong, "Late parcel", assignee=agent)
    step = services.add_complaint_followup(complaint, "Call back", agent.id,
                                           utcnow().date() + timedelta(days=1))
    db.session.commit()
    client = login_as("support_agent")
    page = _page(client.get(f"/clients/complaints/{complaint.id}"))
    assert 'data-testid="edit-complaint"' in page
    form = _page(client.get(f"/clients/complaints/{complaint.id}/edit"))
    assert f'name="version" type="hidden" value="{complaint.version}"' in form

    # The contact must belong to the client chosen: the old client's list has no Chen Jing.
    response = _edit(client, complaint, contact_id=buyer.id)
    assert response.status_code == 422
    assert 'id="contact_id-help" class="field-error"' in _page(response)

    response = _edit(client, complaint, organization_id=right.id, contact_id=buyer.id,
                     caller="Chen Jing's assistant", category_id=factories._category_id("billing"),
                     channel="email", external_ref="RC-7", title="Late parcel (Pudong)")
    assert response.status_code == 302, _page(response)
    complaint = _fresh(complaint.id)
    assert (complaint.organization_id, complaint.contact_id, complaint.caller) == (
        right.id, buyer.id, "Chen Jing's assistant")
    assert (complaint.channel, complaint.external_ref, complaint.title) == (
        "email", "RC-7", "Late parcel (Pudong)")
    assert db.session.get(FollowUp, step.id).organization_id == right.id
    changed = {field for event in db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type == "complaints", AuditEvent.record_id == complaint.id))
        for field in (event.changes or {})}
    assert {"organization_id", "contact_id", "caller", "category_id", "channel",
            "external_ref", "title"} <= changed
    history = _page(login_as("manager").get(f"/clients/complaints/{complaint.id}/history"))
    assert "Caller" in history and "Chen Jing's assistant" in history

    # A number another complaint of the client has is refused on the field.
    other = factories.make_complaint(right, "Other", external_ref="RC-8")
    response = _edit(client, complaint, external_ref=other.external_ref)
    assert response.status_code == 422
    assert 'id="external_ref-help" class="field-error"' in _page(response)


def test_a_stale_edit_is_refused_with_what_changed(login_as, users, alpha):
    complaint = factories.make_complaint(factories.make_org("client", team=alpha), "Dent")
    client = login_as("support_agent")
    old = _form(complaint, title="Dented box")
    services.assign(complaint, users["manager"], users["manager"])
    complaint.caller = "Somebody"
    db.session.commit()
    response = client.post(f"/clients/complaints/{complaint.id}/edit", data=old)
    assert response.status_code == 409
    assert _fresh(complaint.id).title == "Dent"
    assert "Caller" in _page(response)


def test_a_new_severity_recomputes_the_deadlines(login_as, users, alpha):
    received = utcnow().replace(second=0, microsecond=0) - timedelta(hours=1)
    complaint = factories.make_complaint(factories.make_org("client", team=alpha), "Smoke",
                                         severity="low", received_at=received)
    complaint.resolve_escalated_at = utcnow()
    db.session.commit()
    response = _edit(login_as("support_agent"), complaint, severity="critical")
    assert response.status_code == 302
    complaint = _fresh(complaint.id)
    # critical: 30 and 240 minutes around the clock, from the time it was received.
    assert (complaint.ack_minutes, complaint.resolve_minutes, complaint.business_hours) == (
        30, 240, False)
    assert complaint.ack_due_at == received + timedelta(minutes=30)
    assert complaint.resolve_due_at == received + timedelta(minutes=240)
    assert complaint.resolve_escalated_at is None  # a deadline ahead may escalate again
    notes = db.session.scalars(sa.select(ComplaintEvent.body).where(
        ComplaintEvent.complaint_id == complaint.id, ComplaintEvent.kind == "note")).all()
    # stored as what happened; the page says it in the reader's language
    assert any(event_text(body).startswith("Severity changed from Low to Critical")
               for body in notes)
    # The category alone changes no deadline.
    due = complaint.resolve_due_at
    assert _edit(login_as("support_agent"), complaint,
                 category_id=factories._category_id("billing")).status_code == 302
    assert _fresh(complaint.id).resolve_due_at == due


def test_who_may_edit_and_what(login_as, users, alpha):
    complaint = factories.make_complaint(factories.make_org("client", team=alpha), "Leak")
    assert login_as("auditor").get(f"/clients/complaints/{complaint.id}/edit").status_code == 403
    page = _page(login_as("auditor").get(f"/clients/complaints/{complaint.id}"))
    assert 'data-testid="edit-complaint"' not in page
    outsider_org = factories.make_org("client", "Beta Client",
                                      team=factories.make_team("Beta"))
    hidden = factories.make_complaint(outsider_org, "Hidden")
    assert login_as("account_manager").get(
        f"/clients/complaints/{hidden.id}/edit").status_code == 404
    # An ended complaint is reopened, not edited.
    services.move(complaint, "rejected", users["manager"], reason="Not ours.")
    db.session.commit()
    agent = login_as("support_agent")
    response = agent.get(f"/clients/complaints/{complaint.id}/edit")
    assert response.status_code == 302
    assert "reopen it first" in _page(agent.get(response.location))


def test_moving_it_out_of_ones_own_reach_is_refused(login_as, users, alpha):
    """An account manager works their own team's clients' complaints: moving one to a
    client of another team (which they may see but not work) is refused on the field."""
    mine = factories.make_org("client", "Own Client", team=alpha)
    beta = factories.make_org("client", "Beta Client", team=factories.make_team("Beta"))
    complaint = factories.make_complaint(mine, "Scratch")
    client = login_as("account_manager")
    assert client.get(f"/clients/complaints/{complaint.id}/edit").status_code == 200
    response = _edit(client, complaint, organization_id=beta.id)
    assert response.status_code == 422
    assert _fresh(complaint.id).organization_id == mine.id
