"""Clients: the timeline page, progress notes with next steps, requirement confirmations."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import Complaint, Conversation, FollowUp, Requirement, Team


@pytest.fixture
def alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


@pytest.fixture
def acme(users, alpha):
    """A client of team Alpha, owned by the account manager, with two contacts."""
    org = factories.make_org("client", "Acme Retail", owner=users["account_manager"], team=alpha)
    factories.make_contact(org, "Wang Fang")
    factories.make_contact(org, "Li Lei")
    return org


def _contact(org, name):
    return next(c for c in org.contacts if c.name == name)


def _note_form(users, org, **changes):
    data = {"kind": "update", "occurred_at": "2026-03-02T10:30", "title": "Quarterly review",
            "our_people": [users["manager"].id], "their_people": [_contact(org, "Wang Fang").id],
            "body": "Went through the rollout plan.", "visibility": "internal", "version": ""}
    data.update(changes)
    return data


def _post_note(client, org, data):
    return client.post(f"/clients/{org.id}/notes/new", data=data)


def _latest(model):
    return db.session.scalars(sa.select(model).order_by(model.id.desc())).first()


def _requirement(org, title="Invoices in RMB", status="proposed", **fields):
    requirement = Requirement(organization=org, title=title, status=status,
                              wording=fields.pop("wording", "Monthly invoices in RMB."),
                              **fields)
    db.session.add(requirement)
    db.session.commit()
    return requirement


def _move(client, requirement, **data):
    data.setdefault("version", requirement.version)
    return client.post(f"/clients/requirements/{requirement.id}/move", data=data)


# -- progress notes ----------------------------------------------------------------------
def test_note_with_a_next_step_creates_a_linked_followup(login_as, users, acme):
    client = login_as("manager")
    response = _post_note(client, acme, _note_form(
        users, acme, **{"next_steps-0-title": "Send the rollout plan",
                        "next_steps-0-owner_id": users["account_manager"].id,
                        "next_steps-0-due_on": "2026-03-09"}))
    assert response.status_code == 302
    note = _latest(Conversation)
    assert response.headers["Location"] == f"/clients/notes/{note.id}"
    assert note.kind == "update" and note.visibility == "internal"
    assert note.author_id == users["manager"].id
    assert [c.name for c in note.their_people] == ["Wang Fang"]
    followup = _latest(FollowUp)
    assert (followup.source_type, followup.source_id) == ("conversations", note.id)
    assert followup.organization_id == acme.id and followup.team_id == acme.team_id
    assert followup.owner_id == users["account_manager"].id
    assert followup.due_on == date(2026, 3, 9)
    page = client.get(f"/clients/notes/{note.id}").get_data(as_text=True)
    assert "Send the rollout plan" in page and "Progress update" in page
    timeline = client.get(f"/clients/{acme.id}").get_data(as_text=True)
    assert "Quarterly review" in timeline and "Send the rollout plan" in timeline


def test_a_next_step_needs_an_owner_and_a_due_date(login_as, users, acme):
    response = _post_note(login_as("manager"), acme, _note_form(
        users, acme, **{"next_steps-0-title": "Call back"}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="next_steps-0-due_on-help" class="field-error"' in page
    assert 'id="next_steps-0-owner_id-help" class="field-error"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Conversation)) == 0


def test_visibility_badge_is_shown(login_as, users, acme):
    client = login_as("manager")
    _post_note(client, acme, _note_form(users, acme, title="Shared recap", visibility="shared"))
    shared = _latest(Conversation)
    _post_note(client, acme, _note_form(users, acme, title="Pricing worries"))
    internal = _latest(Conversation)
    assert shared.visibility == "shared" and internal.visibility == "internal"
    page = client.get(f"/clients/notes/{shared.id}").get_data(as_text=True)
    assert 'data-testid="visibility">Shared with client<' in page
    page = client.get(f"/clients/notes/{internal.id}").get_data(as_text=True)
    assert 'data-testid="visibility">Internal<' in page
    timeline = client.get(f"/clients/{acme.id}").get_data(as_text=True)
    assert "Shared with client" in timeline and ">Internal<" in timeline


def test_note_visibility_must_be_a_known_value(login_as, users, acme):
    response = _post_note(login_as("manager"), acme, _note_form(users, acme, visibility="world"))
    assert response.status_code == 422
    assert 'id="visibility-help" class="field-error"' in response.get_data(as_text=True)


def test_note_edit_archive_and_restore(login_as, users, acme):
    client = login_as("manager")
    _post_note(client, acme, _note_form(users, acme))
    note = _latest(Conversation)
    form = client.get(f"/clients/notes/{note.id}/edit").get_data(as_text=True)
    assert 'value="2026-03-02T10:30"' in form  # shown back in the user's zone
    response = client.post(f"/clients/notes/{note.id}/edit", data=_note_form(
        users, acme, title="Quarterly review (final)", visibility="shared",
        version=note.version))
    assert response.status_code == 302
    db.session.refresh(note)
    assert note.title == "Quarterly review (final)" and note.visibility == "shared"
    assert client.post(f"/clients/notes/{note.id}/archive").status_code == 302
    assert "Quarterly review" not in client.get(f"/clients/{acme.id}").get_data(as_text=True)
    assert client.post(f"/clients/notes/{note.id}/restore").status_code == 302
    db.session.refresh(note)
    assert note.archived_at is None


def test_stale_note_form_is_refused(login_as, users, acme):
    client = login_as("manager")
    _post_note(client, acme, _note_form(users, acme))
    note = _latest(Conversation)
    stale = _note_form(users, acme, title="Mine", version=note.version)
    assert login_as("admin").post(f"/clients/notes/{note.id}/edit", data=_note_form(
        users, acme, title="Theirs", version=note.version)).status_code == 302
    response = client.post(f"/clients/notes/{note.id}/edit", data=stale)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else changed this record" in page and 'value="Mine"' in page
    db.session.refresh(note)
    assert note.title == "Theirs"


def test_partner_rounds_are_not_client_notes(login_as, users, alpha):
    partner = factories.make_org("partner", owner=users["manager"], team=alpha)
    talk = factories.make_round(partner)
    assert login_as("manager").get(f"/clients/notes/{talk.id}").status_code == 404


# -- the timeline ------------------------------------------------------------------------
def test_timeline_header_and_filter(login_as, users, acme):
    client = login_as("manager")
    _post_note(client, acme, _note_form(users, acme, title="Kick-off meeting", kind="meeting",
                                        **{"next_steps-0-title": "Draft the SLA",
                                           "next_steps-0-owner_id": users["manager"].id,
                                           "next_steps-0-due_on": "2026-04-01"}))
    _requirement(acme, "Weekly status report")
    _requirement(acme, "Old wish", status="withdrawn")
    db.session.add(Complaint(organization=acme, title="Late delivery", severity="high"))
    db.session.commit()
    page = client.get(f"/clients/{acme.id}").get_data(as_text=True)
    for text in ("Kick-off meeting", "Weekly status report", "Late delivery", "Draft the SLA",
                 "Wang Fang added", "Add progress note", "New requirement"):
        assert text in page, text
    assert 'data-testid="open-requirements">1<' in page
    assert 'data-testid="open-complaints">1<' in page
    assert 'data-testid="next-followup">Apr 1, 2026<' in page
    assert 'data-testid="last-contact">—<' not in page
    shown = {
        "note": "Kick-off meeting", "requirement": "Weekly status report",
        "complaint": "Late delivery", "followup": "Draft the SLA", "contact": "Wang Fang added",
    }
    for kind, text in shown.items():
        page = client.get(f"/clients/{acme.id}?show={kind}").get_data(as_text=True)
        assert text in page, kind
        assert not any(other in page for k, other in shown.items() if k != kind), kind
    page = client.get(f"/clients/{acme.id}?show=nonsense").get_data(as_text=True)
    assert all(text in page for text in shown.values())


def test_timeline_leaves_out_complaints_for_roles_without_them(login_as, users, alpha):
    own = factories.make_org("client", owner=users["team_member"], team=alpha)
    db.session.add(Complaint(organization=own, title="Broken portal"))
    db.session.commit()
    page = login_as("team_member").get(f"/clients/{own.id}").get_data(as_text=True)
    assert "Broken portal" not in page and "Open complaints" not in page
    assert "Log a complaint" not in page
    assert login_as("team_member").get(
        f"/clients/{own.id}?show=complaint").status_code == 200


# -- requirements ------------------------------------------------------------------------
def test_requirement_create_with_a_next_step(login_as, users, acme):
    client = login_as("account_manager")
    response = client.post(f"/clients/{acme.id}/requirements/new", data={
        "title": "Invoices in RMB", "wording": "All invoices in RMB, monthly.",
        "asked_by_id": _contact(acme, "Li Lei").id, "owner_id": users["account_manager"].id,
        "next_steps-0-title": "Check with finance", "next_steps-0-due_on": "2026-05-01",
        "next_steps-0-owner_id": users["account_manager"].id})
    assert response.status_code == 302
    requirement = _latest(Requirement)
    assert requirement.status == "proposed" and requirement.asked_by.name == "Li Lei"
    followup = _latest(FollowUp)
    assert (followup.source_type, followup.source_id) == ("requirements", requirement.id)
    page = client.get(f"/clients/requirements/{requirement.id}").get_data(as_text=True)
    assert "Check with finance" in page and "Proposed" in page


def test_requirement_asked_by_must_be_a_contact_of_the_client(login_as, users, acme):
    stranger = factories.make_contact(factories.make_org("client"), "Somebody else")
    response = login_as("manager").post(f"/clients/{acme.id}/requirements/new", data={
        "title": "X", "asked_by_id": stranger.id})
    assert response.status_code == 422
    assert 'id="asked_by_id-help" class="field-error"' in response.get_data(as_text=True)


def test_confirming_needs_who_and_when(login_as, users, acme):
    requirement = _requirement(acme)
    client = login_as("manager")
    response = _move(client, requirement, status="confirmed")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="confirmed_by_id-help" class="field-error"' in page
    assert 'id="confirmed_at-help" class="field-error"' in page
    response = _move(client, requirement, status="confirmed", confirmed_at="2099-01-01T10:00",
                     confirmed_by_id=_contact(acme, "Wang Fang").id)
    assert response.status_code == 422
    assert "cannot be in the future" in response.get_data(as_text=True)
    response = _move(client, requirement, status="confirmed", confirmed_at="2026-03-03T15:00",
                     confirmed_by_id=_contact(acme, "Wang Fang").id)
    assert response.status_code == 302
    db.session.refresh(requirement)
    assert requirement.status == "confirmed"
    assert requirement.confirmed_by.name == "Wang Fang"
    assert requirement.confirmed_at.year == 2026 and requirement.confirmed_at.tzinfo
    timeline = client.get(f"/clients/{acme.id}?show=requirement").get_data(as_text=True)
    assert "confirmed by Wang Fang" in timeline


def test_confirmed_by_defaults_to_who_asked(login_as, users, acme):
    """Issue 12: the confirmation form offers the requirement's requester first."""
    asked = _requirement(acme, asked_by_id=_contact(acme, "Li Lei").id)
    page = login_as("manager").get(f"/clients/requirements/{asked.id}").get_data(as_text=True)
    chosen = re.search(r'<select[^>]*name="confirmed_by_id".*?</select>', page, re.S).group(0)
    assert f'<option value="{_contact(acme, "Li Lei").id}" selected>' in chosen
    unknown = _requirement(acme, title="No requester")
    page = login_as("manager").get(f"/clients/requirements/{unknown.id}").get_data(as_text=True)
    chosen = re.search(r'<select[^>]*name="confirmed_by_id".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="" selected>', chosen)


def test_workflow_allows_listed_moves_and_explains_a_refused_one(login_as, users, acme):
    requirement = _requirement(acme, status="confirmed")
    client = login_as("manager")
    response = _move(client, requirement, status="rejected", reason="Too expensive")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = page.split('id="status-help" class="field-error">')[1].split("<")[0]
    assert "cannot become Rejected" in error and "Changed since confirmed" in error
    db.session.refresh(requirement)
    assert requirement.status == "confirmed"
    response = _move(client, requirement, status="withdrawn")
    assert response.status_code == 422  # withdrawing needs a reason
    assert 'id="reason-help" class="field-error"' in response.get_data(as_text=True)
    assert _move(client, requirement, status="changed").status_code == 302
    db.session.refresh(requirement)
    assert _move(client, requirement, status="withdrawn",
                 reason="Client dropped it").status_code == 302
    db.session.refresh(requirement)
    assert requirement.status == "withdrawn" and requirement.status_reason == "Client dropped it"
    response = _move(client, requirement, status="confirmed")  # no who/when: the move says no
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = page.split('id="status-help" class="field-error">')[1].split("<")[0]
    assert "cannot become Confirmed; it can become: nothing" in error
    assert 'id="confirmed_by_id-help"' not in page
    page = client.get(f"/clients/requirements/{requirement.id}").get_data(as_text=True)
    assert "its status no longer changes" in page


def test_editing_a_confirmed_wording_moves_it_to_changed(login_as, users, acme):
    requirement = _requirement(acme, status="confirmed", wording="Invoices monthly.",
                               confirmed_by_id=_contact(acme, "Wang Fang").id)
    client = login_as("manager")
    response = client.post(f"/clients/requirements/{requirement.id}/edit", data={
        "title": requirement.title, "wording": "Invoices every two weeks.",
        "asked_by_id": "", "owner_id": users["manager"].id, "version": requirement.version})
    assert response.status_code == 302
    db.session.refresh(requirement)
    assert requirement.status == "changed" and requirement.wording == "Invoices every two weeks."
    # Everyone who sees the requirement sees the earlier wording; the audit trail only some.
    for role in ("support_agent", "auditor"):
        page = login_as(role).get(f"/clients/requirements/{requirement.id}").get_data(
            as_text=True)
        assert "Earlier wording" in page and "Invoices monthly." in page, role
        assert ("<table class=\"history\">" in page) == (role == "auditor"), role
    # A title-only edit of a confirmed requirement keeps it confirmed.
    other = _requirement(acme, "Named contact", status="confirmed")
    client.post(f"/clients/requirements/{other.id}/edit", data={
        "title": "Named account contact", "wording": other.wording, "asked_by_id": "",
        "owner_id": "", "version": other.version})
    db.session.refresh(other)
    assert other.status == "confirmed"


def test_stale_requirement_forms_are_refused(login_as, users, acme):
    requirement = _requirement(acme)
    version = requirement.version
    client = login_as("manager")
    assert login_as("admin").post(f"/clients/requirements/{requirement.id}/edit", data={
        "title": "Theirs", "wording": "", "version": version}).status_code == 302
    response = client.post(f"/clients/requirements/{requirement.id}/edit", data={
        "title": "Mine", "wording": "", "version": version})
    assert response.status_code == 409
    assert "Someone else changed this record" in response.get_data(as_text=True)
    response = client.post(f"/clients/requirements/{requirement.id}/move", data={
        "status": "rejected", "reason": "No", "version": version})
    assert response.status_code == 409
    # A move from a page older than someone else's move: the conflict, not the workflow.
    db.session.refresh(requirement)
    seen = requirement.version
    assert _move(login_as("admin"), requirement, status="withdrawn",
                 reason="Dropped").status_code == 302
    response = client.post(f"/clients/requirements/{requirement.id}/move", data={
        "status": "rejected", "reason": "No", "version": seen})
    assert response.status_code == 409
    assert "Someone else changed this record" in response.get_data(as_text=True)
    db.session.refresh(requirement)
    assert requirement.title == "Theirs" and requirement.status == "withdrawn"


def test_requirement_archive_restore_and_history(login_as, users, acme):
    requirement = _requirement(acme)
    client = login_as("manager")
    assert client.post(f"/clients/requirements/{requirement.id}/archive").status_code == 302
    assert "Invoices in RMB" not in client.get(f"/clients/{acme.id}").get_data(as_text=True)
    assert login_as("admin").post(
        f"/clients/requirements/{requirement.id}/restore").status_code == 302
    assert client.get(f"/clients/requirements/{requirement.id}/history").status_code == 200
    assert login_as("support_agent").get(
        f"/clients/requirements/{requirement.id}/history").status_code == 403


# -- scoping -----------------------------------------------------------------------------
def test_team_member_sees_notes_of_own_team_clients_only(login_as, users, alpha):
    beta = factories.make_team("Beta")
    outsider = factories.make_user("team_member", teams=(beta,))
    ours = factories.make_org("client", "Ours", owner=outsider, team=alpha)
    theirs = factories.make_org("client", "Theirs", owner=outsider, team=beta)
    own = factories.make_org("client", "Mine", owner=users["team_member"], team=alpha)
    notes = {org.name: factories.make_round(org, f"Note on {org.name}")
             for org in (ours, theirs, own)}
    reqs = {org.name: _requirement(org, f"Need of {org.name}") for org in (ours, theirs)}
    client = login_as("team_member")
    assert client.get(f"/clients/notes/{notes['Ours'].id}").status_code == 200
    assert client.get(f"/clients/requirements/{reqs['Ours'].id}").status_code == 200
    assert client.get(f"/clients/notes/{notes['Theirs'].id}").status_code == 404
    assert client.get(f"/clients/requirements/{reqs['Theirs'].id}").status_code == 404
    assert client.get(f"/clients/{theirs.id}").status_code == 404
    assert "Note on Ours" in client.get(f"/clients/{ours.id}").get_data(as_text=True)
    # Writes own records only: a teammate's client is read-only, an own one is not.
    assert client.get(f"/clients/notes/{notes['Ours'].id}/edit").status_code == 403
    assert client.get(f"/clients/{ours.id}/notes/new").status_code == 403
    assert client.get(f"/clients/{own.id}/notes/new").status_code == 200
    assert client.get(f"/clients/notes/{notes['Mine'].id}/edit").status_code == 200


def test_confidential_notes_stay_with_their_people(login_as, users, acme):
    note = factories.make_round(acme, "Board-level issue", author=users["manager"],
                                confidential=True)
    assert login_as("account_manager").get(f"/clients/notes/{note.id}").status_code == 404
    page = login_as("account_manager").get(f"/clients/{acme.id}").get_data(as_text=True)
    assert "Board-level issue" not in page
    assert login_as("auditor").get(f"/clients/notes/{note.id}").status_code == 200
