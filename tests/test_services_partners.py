"""The partner, organization and contact services, called as a job, an import or the CLI
would: no request, plain values in, nothing committed by them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import has_request_context

from tests import factories
from tracker.extensions import db
from tracker.followups import add_followup
from tracker.models import (
    Agreement,
    AgreementVersion,
    AuditEvent,
    Contact,
    Conversation,
    FollowUp,
    Organization,
    Tag,
    Team,
)
from tracker.orgs import services as orgs
from tracker.partners import services as partners
from tracker.records import StaleRecord

WHEN = datetime(2026, 11, 3, 1, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_request():
    assert not has_request_context()


def _count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _updates(record: object) -> int:
    """History entries of ``record`` itself (changes to its rows are filed with them)."""
    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.record_type == record.__tablename__, AuditEvent.record_id == record.id,
        AuditEvent.action == "update"))


# -- negotiation rounds ------------------------------------------------------------------

def _round(member_id: int, contact_ids: tuple[int, ...], **changes: object
           ) -> partners.RoundInput:
    values: dict = dict(
        kind="meeting", occurred_at=WHEN, title=" Pricing, first pass ", body="Notes",
        outcome="They think it over", is_confidential=False, our_people=(member_id,),
        their_people=contact_ids,
        topics=(partners.Topic(subject=" Fees ", our_position="10%", their_position="5%"),
                partners.Topic(subject="Term", status="agreed", resolution="Two years")),
        next_steps=(partners.NextStep(title="Send the draft", owner_id=member_id,
                                      due_on=date(2026, 11, 10)),))
    values.update(changes)
    return partners.RoundInput(**values)


def test_save_round_from_plain_values_makes_the_round_and_its_follow_ups(users):
    member = users["partner_manager"]
    org = factories.make_org("partner")
    contact = factories.make_contact(org)
    stranger = factories.make_contact(factories.make_org("partner"))  # not this partner's

    talk = partners.save_round(org, _round(member.id, (contact.id, stranger.id)), member)
    assert talk in db.session and talk.id is not None  # flushed, not committed
    db.session.rollback()
    assert _count(Conversation) == 0 and _count(FollowUp) == 0  # the caller's call

    talk = partners.save_round(org, _round(member.id, (contact.id, stranger.id)), member)
    db.session.commit()
    assert (talk.title, talk.kind, talk.author_id, talk.outcome) == (
        "Pricing, first pass", "meeting", member.id, "They think it over")
    assert talk.occurred_at.replace(tzinfo=UTC) == WHEN
    assert [p.id for p in talk.our_people] == [member.id]
    assert [c.id for c in talk.their_people] == [contact.id]
    assert [(t.position, t.subject, t.our_position, t.their_position, t.status)
            for t in talk.topics] == [(0, "Fees", "10%", "5%", "open"),
                                      (1, "Term", "", "", "agreed")]
    (step,) = db.session.scalars(sa.select(FollowUp))
    assert (step.title, step.owner_id, step.due_on, step.source_type, step.source_id,
            step.organization_id) == ("Send the draft", member.id, date(2026, 11, 10),
                                      "conversations", talk.id, org.id)


def test_save_round_update_is_one_version_and_refuses_a_stale_one(users):
    member = users["partner_manager"]
    org = factories.make_org("partner")
    talk = partners.save_round(org, _round(member.id, ()), member)
    db.session.commit()
    before = talk.version

    changed = _round(member.id, (), title="Pricing, second pass",
                     topics=(partners.Topic(subject="Fees", our_position="8%"),), next_steps=())
    partners.save_round(org, changed, member, talk, version=before)
    db.session.commit()
    assert talk.version == before + 1 and _updates(talk) == 1  # one save, one history entry
    assert talk.title == "Pricing, second pass"
    assert [(t.subject, t.our_position) for t in talk.topics] == [("Fees", "8%")]
    assert _count(FollowUp) == 1  # only the first save's next step

    with pytest.raises(StaleRecord):
        partners.save_round(org, changed, member, talk, version=before)
    with pytest.raises(StaleRecord):
        partners.save_round(org, changed, member, talk)  # an update needs its version


def test_save_round_refuses_a_naive_time(users):
    member = users["partner_manager"]
    org = factories.make_org("partner")
    with pytest.raises(ValueError):
        partners.save_round(org, _round(member.id, (), occurred_at=datetime(2026, 11, 3, 9)),
                            member)


def test_move_stage_keeps_a_reason_only_for_an_ended_partnership():
    org = factories.make_org("partner", stage="negotiating")
    partners.move_stage(org, "ended", "  They merged  ")
    assert (org.stage, org.stage_reason) == ("ended", "They merged")
    db.session.rollback()
    assert db.session.get(Organization, org.id).stage == "negotiating"  # not committed

    partners.move_stage(org, "signed", "ignored")
    db.session.commit()
    assert (org.stage, org.stage_reason) == ("signed", "")
    with pytest.raises(ValueError):
        partners.move_stage(org, "nowhere")


# -- agreements --------------------------------------------------------------------------

def _terms(**changes: object) -> partners.TermsInput:
    values: dict = dict(
        proposed_by="us", scope="Joint marketing", cooperation="Quarterly reviews",
        start_on=date(2027, 1, 1), end_on=date(2028, 12, 31), notice_on=date(2028, 9, 30),
        auto_renew=True, notes="First offer",
        fees=partners.Fees(fee_amount=Decimal("120000.00"), currency="USD",
                           payment_terms="Net 30"))
    values.update(changes)
    return partners.TermsInput(**values)


def test_create_agreement_from_plain_values(users):
    owner = users["partner_manager"]
    org = factories.make_org("partner")
    data = partners.NewAgreement(title=" Reseller deal ", owner_id=owner.id,
                                 team_id=owner.team_ids and min(owner.team_ids),
                                 terms=_terms())
    agreement = partners.create_agreement(org, data)
    db.session.flush()
    db.session.rollback()
    assert _count(Agreement) == 0 and _count(AgreementVersion) == 0  # not committed

    agreement = partners.create_agreement(org, data)
    db.session.commit()
    assert (agreement.title, agreement.owner_id, agreement.status, agreement.end_on,
            agreement.notice_on) == ("Reseller deal", owner.id, "draft", date(2028, 12, 31),
                                     date(2028, 9, 30))
    (version,) = agreement.versions
    assert (version.number, version.proposed_by, version.fee_amount, version.currency,
            version.payment_terms, version.auto_renew) == (
        1, "us", Decimal("120000.00"), "USD", "Net 30", True)


def test_a_first_version_without_fees_gets_the_defaults():
    org = factories.make_org("partner")
    agreement = partners.create_agreement(org, partners.NewAgreement(
        title="Pilot", terms=_terms(fees=None)))
    db.session.commit()
    version = agreement.latest
    assert (version.fee_amount, version.currency, version.payment_terms) == (None, "CNY", "")


def test_add_version_keeps_the_money_a_caller_may_not_see_and_counters():
    org = factories.make_org("partner")
    agreement = factories.make_agreement(org, status="proposed")  # v1: 120000.00 CNY
    version = partners.add_version(agreement, _terms(proposed_by="them", scope="Less",
                                                     fees=None))
    assert (version.number, version.fee_amount, version.currency, version.payment_terms,
            version.scope) == (2, Decimal("120000.00"), "CNY", "Net 30", "Less")
    assert agreement.status == "countered" and agreement.end_on == date(2028, 12, 31)
    db.session.rollback()
    assert _count(AgreementVersion) == 1  # not committed

    partners.add_version(agreement, _terms())
    db.session.commit()
    assert agreement.latest.currency == "USD" and agreement.status == "proposed"


def test_update_agreement_takes_the_version_and_refuses_a_stale_one(users):
    owner = users["partner_manager"]
    org = factories.make_org("partner")
    agreement = factories.make_agreement(org)
    before = agreement.version
    partners.update_agreement(agreement, partners.AgreementInput(
        title=" Renamed ", owner_id=owner.id), version=before)
    db.session.rollback()
    assert db.session.get(Agreement, agreement.id).title != "Renamed"  # not committed

    partners.update_agreement(agreement, partners.AgreementInput(
        title=" Renamed ", owner_id=owner.id), version=str(before))
    db.session.commit()
    assert (agreement.title, agreement.owner_id, agreement.team_id) == (
        "Renamed", owner.id, None)
    with pytest.raises(StaleRecord):
        partners.update_agreement(agreement, partners.AgreementInput(title="Again"),
                                  version=before)


# -- organizations and contacts ----------------------------------------------------------

def test_create_organization_from_plain_values(users):
    owner = users["partner_manager"]
    data = orgs.OrganizationInput(name=" Acme ", industry=" Retail ",
                                  website="https://acme.example", owner_id=owner.id,
                                  tags=("vip", " east  china ", "vip"), notes="Big")
    orgs.create_organization("partner", data)
    db.session.flush()
    db.session.rollback()
    assert _count(Organization) == 0 and _count(Tag) == 0  # not committed

    org = orgs.create_organization("partner", data)
    client = orgs.create_organization("client", orgs.OrganizationInput(name="Beta",
                                                                       status="on_hold"))
    db.session.commit()
    assert (org.name, org.industry, org.owner_id, org.stage, org.kind) == (
        "Acme", "Retail", owner.id, "prospect", "partner")
    assert sorted(t.name for t in org.tags) == ["east china", "vip"]
    assert (client.kind, client.status, client.stage) == ("client", "on_hold", None)
    with pytest.raises(ValueError):
        orgs.create_organization("client", orgs.OrganizationInput(name="C", status="nope"))


def test_update_organization_moves_open_records_with_the_team_in_one_version(users):
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    beta = factories.make_team("Beta")
    org = factories.make_org("client", team=alpha, status="active")
    complaint = factories.make_complaint(org)
    followup = add_followup(org, "Call back", None, date(2026, 12, 1), organization=org)
    db.session.commit()
    before = org.version

    data = orgs.OrganizationInput(name=org.name, team_id=beta.id, tags=("key",))
    orgs.update_organization(org, data, version=before)
    db.session.rollback()
    assert db.session.get(Organization, org.id).team_id == alpha.id  # not committed

    orgs.update_organization(org, data, version=before)
    db.session.commit()
    assert org.version == before + 1 and _updates(org) == 1  # one save, one history entry
    assert (org.team_id, org.status, [t.name for t in org.tags]) == (
        beta.id, "active", ["key"])  # no status given: unchanged
    assert complaint.team_id == beta.id and followup.team_id == beta.id
    with pytest.raises(StaleRecord):
        orgs.update_organization(org, data, version=before)


def test_save_contact_creates_updates_and_refuses_a_stale_version():
    org = factories.make_org("partner")
    contact = orgs.save_contact(org, orgs.ContactInput(name=" Li Wei ", email=" li@x.example "))
    db.session.flush()
    db.session.rollback()
    assert _count(Contact) == 0  # not committed

    contact = orgs.save_contact(org, orgs.ContactInput(name=" Li Wei ", email=" li@x.example "))
    db.session.commit()
    assert (contact.name, contact.email, contact.organization_id) == (
        "Li Wei", "li@x.example", org.id)
    before = contact.version
    orgs.save_contact(org, orgs.ContactInput(name="Li Wei", title="Buyer"), contact,
                      version=before)
    db.session.commit()
    assert (contact.title, contact.email, contact.version) == ("Buyer", "", before + 1)
    with pytest.raises(StaleRecord):
        orgs.save_contact(org, orgs.ContactInput(name="Li"), contact, version=before)
