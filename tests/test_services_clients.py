"""The client, complaint and administration services, called as a job, an import or the
CLI would: no request, plain values in, nothing committed by them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import has_request_context

from tests import factories
from tracker.accounts import services as admin
from tracker.clients import services
from tracker.clients.complaints import services as complaints
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Complaint,
    Conversation,
    FollowUp,
    Requirement,
    Role,
    TeamMembership,
    User,
    utcnow,
)
from tracker.records import StaleRecord
from tracker.workflow import MoveRefused

WHEN = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_request():
    assert not has_request_context()


def _count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _history(record: object) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type == record.__tablename__, AuditEvent.record_id == record.id)
        .order_by(AuditEvent.id)))


def _client(users: dict[str, User]):
    alpha = users["team_member"].memberships[0].team
    return factories.make_org("client", "Pudong Retail", owner=users["manager"], team=alpha)


# -- progress notes ----------------------------------------------------------------------
def test_save_note_from_plain_values(users):
    org = _client(users)
    other = factories.make_org("client", "Elsewhere")
    buyer, stranger = factories.make_contact(org, "Buyer"), factories.make_contact(other)
    author, member = users["account_manager"], users["team_member"]
    step = services.NextStep(title=" Send the samples ", owner_id=member.id,
                             due_on=date(2026, 3, 9))
    data = services.NoteInput(
        kind="call", occurred_at=WHEN, title=" Price call ", body="They want 5%.",
        visibility=services.Visibility.SHARED, our_people=(member.id, author.id),
        their_people=(buyer.id, stranger.id),
        next_steps=(step, services.NextStep(title="  ", due_on=date(2026, 3, 9))))

    note = services.save_note(org, data, author)
    assert note in db.session and note.id is not None  # flushed, not committed
    db.session.rollback()
    assert (_count(Conversation), _count(FollowUp)) == (0, 0)  # the caller's call

    note = services.save_note(org, data, author)
    db.session.commit()
    db.session.expire_all()
    assert (note.title, note.kind, note.visibility, note.author_id) == (
        "Price call", "call", "shared", author.id)
    assert note.occurred_at == WHEN
    assert sorted(p.id for p in note.our_people) == sorted([member.id, author.id])
    assert [c.id for c in note.their_people] == [buyer.id]  # another client's contact is not
    (followup,) = db.session.scalars(sa.select(FollowUp))
    assert (followup.title, followup.owner_id, followup.source_type, followup.source_id,
            followup.organization_id, followup.team_id) == (
        "Send the samples", member.id, "conversations", note.id, org.id, org.team_id)

    version = note.version
    services.save_note(org, services.NoteInput(kind="call", occurred_at=WHEN, title="Renamed",
                                               our_people=(author.id,)),
                       author, note, version=version)
    db.session.commit()
    assert note.version == version + 1 and len(_history(note)) == 2  # one save, one entry
    with pytest.raises(StaleRecord):
        services.save_note(org, data, author, note, version=version)
    with pytest.raises(StaleRecord):
        services.save_note(org, data, author, note)  # no version: out of date


# -- requirements ------------------------------------------------------------------------
def test_requirements_from_plain_values(users):
    org = _client(users)
    buyer = factories.make_contact(org, "Buyer")
    owner = users["account_manager"]
    data = services.RequirementInput(
        title=" Weekly report ", wording="Every Monday", asked_by_id=buyer.id,
        owner_id=owner.id, next_steps=(services.NextStep(
            title="Draft a sample", owner_id=owner.id, due_on=date(2026, 3, 9)),))

    requirement = services.create_requirement(org, data)
    assert requirement.id is not None
    db.session.rollback()
    assert (_count(Requirement), _count(FollowUp)) == (0, 0)

    requirement = services.create_requirement(org, data)
    db.session.commit()
    assert (requirement.title, requirement.status, requirement.asked_by_id) == (
        "Weekly report", "proposed", buyer.id)
    assert db.session.scalar(sa.select(FollowUp.source_id)) == requirement.id

    # confirmed by the buyer at a given moment, then reworded: back for confirmation
    services.move_requirement(requirement, "confirmed", confirmed_by_id=buyer.id,
                              confirmed_at=WHEN, version=requirement.version)
    db.session.commit()
    assert (requirement.status, requirement.confirmed_by_id, requirement.confirmed_at) == (
        "confirmed", buyer.id, WHEN)
    version = requirement.version
    reworded = services.update_requirement(requirement, services.RequirementInput(
        title="Weekly report", wording="Every Monday by 9:00", asked_by_id=buyer.id),
        version=version)
    db.session.commit()
    assert reworded and requirement.status == "changed" and requirement.owner_id is None
    assert requirement.version == version + 1

    with pytest.raises(StaleRecord):
        services.update_requirement(requirement, data, version=version)
    with pytest.raises(StaleRecord):
        services.move_requirement(requirement, "withdrawn", reason="gone", version=version)
    with pytest.raises(MoveRefused):
        services.move_requirement(requirement, "proposed", version=requirement.version)
    assert requirement.status == "changed"

    before = utcnow()
    services.move_requirement(requirement, "confirmed", confirmed_by_id=buyer.id,
                              version=requirement.version)  # no moment: now
    assert requirement.confirmed_at >= before
    db.session.rollback()
    assert db.session.get(Requirement, requirement.id).status == "changed"


# -- complaints --------------------------------------------------------------------------
def test_intake_from_plain_values(users):
    org = _client(users)
    agent = users["support_agent"]
    received = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
    from tracker.clients.complaints.categories import find_or_add

    delivery = find_or_add(" delivery ")
    db.session.commit()  # the category stays when the first intake is rolled back
    data = complaints.NewComplaint(
        title=" Parcel lost ", channel="phone", severity="critical", description="Nothing",
        category_id=delivery.id, assignee_id=agent.id, received_at=received)

    complaint = complaints.intake(org, data, agent)
    db.session.flush()
    db.session.rollback()
    assert _count(Complaint) == 0

    complaint = complaints.intake(org, data, agent)
    db.session.commit()
    assert (complaint.title, complaint.category.name, complaint.team_id,
            complaint.assignee_id) == ("Parcel lost", delivery.name, org.team_id, agent.id)
    assert complaint.received_at == received
    assert complaint.ack_due_at == received + timedelta(minutes=30)
    assert complaint.resolve_due_at == received + timedelta(minutes=240)
    assert [(e.kind, e.actor_id) for e in complaint.events] == [
        ("status", agent.id), ("assignment", agent.id)]

    before = utcnow()
    later = complaints.intake(org, complaints.NewComplaint(
        title="Rude driver", channel="email", severity="low"), None)  # by the system, now
    db.session.commit()
    assert later.received_at >= before and later.assignee_id is None
    assert [(e.kind, e.actor_id) for e in later.events] == [("status", None)]


def test_complaint_actions_from_plain_values(users):
    org = _client(users)
    agent, manager = users["support_agent"], users["manager"]
    complaint = factories.make_complaint(org, "Broken seal")
    other_team = factories.make_team("Beta")
    complaint.team_id = other_team.id  # handled by another team than the client's today
    db.session.commit()

    followup = complaints.add_complaint_followup(complaint, " Call back ", agent.id,
                                                 date(2026, 3, 9))
    db.session.flush()
    assert (followup.title, followup.source_type, followup.source_id, followup.team_id,
            followup.organization_id) == (
        "Call back", "complaints", complaint.id, other_team.id, org.id)
    db.session.rollback()
    assert _count(FollowUp) == 0

    complaints.take(complaint, agent)
    db.session.commit()
    assert complaint.assignee_id == agent.id
    with pytest.raises(complaints.TakenAlready):
        complaints.take(complaint, manager)
    complaints.add_message(complaint, complaints.EventKind.REPLY, "On its way", agent)
    complaints.move(complaint, "resolved", agent, summary="Sent again")
    complaints.rate(complaint, 4, "Quick", agent)
    db.session.commit()
    assert (complaint.status, complaint.satisfaction) == ("resolved", 4)
    assert complaint.acknowledged_at is not None


# -- administration ----------------------------------------------------------------------
def _role_ids(*names: str) -> tuple[int, ...]:
    return tuple(db.session.scalars(sa.select(Role.id).where(Role.name.in_(names))))


def test_apply_user_from_plain_values(users):
    alpha = users["team_member"].memberships[0].team
    beta, gamma = factories.make_team("Beta"), factories.make_team("Gamma")
    data = admin.UserInput(name=" Mei Lin ", email=" Mei@Test.Example ",
                           timezone="Asia/Shanghai", role_ids=_role_ids("support_agent"),
                           teams={alpha.id: False, beta.id: True})

    user, _password = admin.create_user(data.email, data.name, [])
    admin.apply_user(user, data)
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(sa.select(User).where(User.email == "mei@test.example")) is None

    user, _password = admin.create_user(data.email, data.name, [])
    admin.apply_user(user, data)
    db.session.commit()
    assert (user.name, user.email, user.timezone, user.locale) == (
        "Mei Lin", "mei@test.example", "Asia/Shanghai", None)
    assert [r.name for r in user.roles] == ["support_agent"]
    assert {m.team_id: m.is_lead for m in user.memberships} == {alpha.id: False, beta.id: True}
    assert [e.action for e in _history(user)] == ["create"]  # one save, one entry

    # Loaded with Alpha and Beta; meanwhile Gamma added from the team's side. The save
    # drops Beta and makes Alpha led: Gamma stays.
    loaded, version = {alpha.id: False, beta.id: True}, user.version
    db.session.add(TeamMembership(team_id=gamma.id, user_id=user.id))
    db.session.commit()
    edit = admin.UserInput(name="Mei Lin", email="mei@test.example", locale="zh",
                           role_ids=_role_ids("support_agent", "auditor"),
                           teams={alpha.id: True}, teams_loaded=loaded)
    admin.apply_user(user, edit, version=version)
    db.session.commit()
    db.session.expire_all()
    assert {m.team_id: m.is_lead for m in user.memberships} == {alpha.id: True, gamma.id: False}
    assert sorted(r.name for r in user.roles) == ["auditor", "support_agent"]
    assert user.version == version + 1
    assert [e.action for e in _history(user)] == ["create", "update"]

    with pytest.raises(StaleRecord):
        admin.apply_user(user, edit, version=version)
    # Without a loaded state the posted teams are taken as they are.
    admin.apply_user(user, admin.UserInput(name="Mei Lin", email="mei@test.example",
                                           teams={beta.id: False}), version=user.version)
    db.session.commit()
    assert {m.team_id: m.is_lead for m in user.memberships} == {beta.id: False}


def test_save_role_from_plain_values():
    data = admin.RoleInput(
        name="auditor_plus", label=" Auditor plus ", description="Reads a lot",
        grants=(admin.AreaGrant(area="clients", read=3, write=2),
                admin.AreaGrant(area="complaints", read=1, write=3)),  # write capped
        capabilities=("see_money", "no_such_capability"))

    role = admin.save_role(None, data)
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(sa.select(Role).where(Role.name == "auditor_plus")) is None

    role = admin.save_role(None, data)
    db.session.commit()
    assert (role.name, role.label, role.description) == (
        "auditor_plus", "Auditor plus", "Reads a lot")
    assert {g.area: (g.read_level, g.write_level) for g in role.grants} == {
        "clients": (3, 2), "complaints": (1, 1)}
    assert role.capability_names == {"see_money"}

    version = role.version
    admin.save_role(role, admin.RoleInput(
        name="auditor_plus", label="Auditor plus",
        grants=(admin.AreaGrant(area="clients", read=2, write=0),)), version=version)
    db.session.commit()
    db.session.expire_all()
    assert {g.area: (g.read_level, g.write_level) for g in role.grants} == {"clients": (2, 0)}
    assert role.capability_names == set() and role.version == version + 1
    assert [e.action for e in _history(role) if e.record_version] == ["create", "update"]
    with pytest.raises(StaleRecord):
        admin.save_role(role, data, version=version)


def test_one_intake_is_one_version_and_one_history_entry(users):
    from tracker.models import AuditEvent

    org = factories.make_org("client", owner=users["account_manager"])
    complaint = complaints.intake(org, complaints.NewComplaint(
        title="Invoice wrong", description="Twice", channel="phone", severity="high"),
        users["support_agent"])
    db.session.commit()
    assert complaint.version == 1
    actions = list(db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.record_type == "complaints", AuditEvent.record_id == complaint.id,
        AuditEvent.record_version.is_not(None))))
    assert actions == ["create"]
    assert complaint.ack_due_at is not None and complaint.resolve_due_at is not None
