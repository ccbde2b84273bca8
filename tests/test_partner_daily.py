"""Daily use of the partner pages: a next step goes only to someone who may see its round,
a signing on the timeline is a date after the versions it signed, exports show what the
screen shows, fees are read as people write them, proposing and signing in one step."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests import factories
from tests.test_agreements import _terms, make_agreement
from tracker.access import readers_of
from tracker.extensions import db
from tracker.models import (
    Agreement,
    AgreementVersion,
    AuditEvent,
    Conversation,
    FollowUp,
    Organization,
    Team,
)
from tracker.partners.services import NextStep, NextStepRefused, RoundInput, save_round, sign
from tracker.text import AmountError, parse_amount

FIELD_ERROR = 'class="field-error"'


def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _page(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def partner(users):
    return factories.make_org("partner", "Yuntu Logistics", owner=users["partner_manager"],
                              team=_alpha(), stage="negotiating")


def _round(users, partner, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "meeting", "occurred_at": "2026-11-20T14:30", "title": "Pricing round",
        "our_people": [users["partner_manager"].id],
        "next_steps-0-title": "Send the revised offer",
        "next_steps-0-owner_id": users["partner_manager"].id,
        "next_steps-0-due_on": "2026-11-27",
    }
    data.update(changes)
    return data


def _owner_options(page: str) -> set[str]:
    select = re.search(r'<select[^>]*name="next_steps-0-owner_id"[^>]*>(.*?)</select>', page,
                       re.S)
    assert select, "no owner select in the first next-step row"
    return {name for name in re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))
            if name}


# -- 3. a next step goes only to someone who may see its round --------------------------

def test_the_next_step_owner_is_offered_only_among_those_who_see_the_partner(users, login_as,
                                                                            partner):
    page = _page(login_as("partner_manager").get(f"/partners/{partner.id}/rounds/new"))
    offered = _owner_options(page)
    # partners: manager, admin, auditor (all), partner manager and member (team Alpha)
    assert {"Partner_Manager", "Team_Member", "Manager", "Admin"} <= offered
    # no partner access at all: never offered
    assert not {"Support_Agent", "Account_Manager"} & offered
    # the writer is the default owner of a new next step
    row = re.search(r'<select[^>]*name="next_steps-0-owner_id"[^>]*>(.*?)</select>', page, re.S)
    assert re.search(rf'<option[^>]*value="{users["partner_manager"].id}"[^>]*selected',
                     row.group(1))


def test_a_crafted_owner_who_may_not_see_the_partner_is_refused_on_the_field(users, login_as,
                                                                            partner):
    data = _round(users, partner, **{"next_steps-0-owner_id": users["support_agent"].id})
    response = login_as("partner_manager").post(f"/partners/{partner.id}/rounds/new", data=data)
    assert response.status_code == 422
    page = _page(response)
    assert FIELD_ERROR in page and "may not see this record" in page
    assert db.session.scalars(sa.select(Conversation)).all() == []
    assert db.session.scalars(sa.select(FollowUp)).all() == []


def test_a_confidential_rounds_next_step_goes_only_to_someone_who_sees_the_round(
        users, login_as, partner):
    member = users["team_member"]  # sees the partner, but not a confidential round
    data = _round(users, partner, is_confidential="y",
                  **{"next_steps-0-owner_id": member.id})
    http = login_as("partner_manager")
    response = http.post(f"/partners/{partner.id}/rounds/new", data=data)
    assert response.status_code == 422
    page = _page(response)
    assert FIELD_ERROR in page and "Team_Member may not see this round" in page
    assert db.session.scalars(sa.select(FollowUp)).all() == []
    assert db.session.scalars(sa.select(Conversation)).all() == []
    # as a participant they see it, so they may own its next step
    data["our_people"] = [users["partner_manager"].id, member.id]
    response = http.post(f"/partners/{partner.id}/rounds/new", data=data)
    assert response.status_code == 302, _page(response)
    (followup,) = db.session.scalars(sa.select(FollowUp))
    assert followup.owner_id == member.id
    # editing the confidential round offers only those who may read it
    (talk,) = db.session.scalars(sa.select(Conversation))
    offered = _owner_options(_page(http.get(f"/partners/rounds/{talk.id}/edit")))
    assert "Team_Member" in offered and "Partner_Manager" in offered
    assert "Support_Agent" not in offered


def test_the_service_refuses_a_next_step_for_someone_who_may_not_read_the_round(users,
                                                                               partner):
    step = NextStep(title="Call back", owner_id=users["team_member"].id,
                    due_on=date(2026, 12, 1))
    data = RoundInput(kind="call", occurred_at=datetime(2026, 11, 20, 6, tzinfo=UTC),
                      title="Quiet call", is_confidential=True,
                      our_people=(users["partner_manager"].id,), next_steps=(step,))
    with pytest.raises(NextStepRefused) as refused:
        save_round(partner, data, users["partner_manager"])
    assert refused.value.position == 0 and refused.value.owner == users["team_member"]
    db.session.rollback()
    assert [u.name for u in readers_of(partner)].count("Team_Member") == 1


# -- 4. a signing on the timeline ------------------------------------------------------

def test_a_signing_shows_its_date_and_sorts_above_the_versions_it_signed(users, login_as,
                                                                        partner):
    agreement = make_agreement(partner, _terms(), _terms(), status="agreed",
                               owner=users["partner_manager"], team=_alpha(),
                               title="Warehouse deal")
    # both versions proposed on 3 December, late in the Shanghai day
    for number, hour in ((1, 10), (2, 14)):  # 18:00 and 22:00 in Shanghai
        agreement.versions[number - 1].proposed_at = datetime(2026, 12, 3, hour, tzinfo=UTC)
    agreement.status = "agreed"
    db.session.commit()
    sign(agreement, agreement.versions[1], date(2026, 12, 3), "Li Wei; Anna Berg")
    db.session.commit()
    page = _page(login_as("partner_manager").get(f"/partners/{partner.id}?show=agreement"))
    items = re.findall(r'<li class="timeline-item kind-(\w+)">\s*<time datetime="([^"]+)">'
                       r'([^<]*)</time>', page)
    assert [kind for kind, _at, _shown in items] == ["signed", "version", "version"]
    _kind, stamp, shown = items[0]
    assert stamp == "2026-12-03"  # a date, without an invented time
    assert ":" not in shown and "17:00" not in page
    # a version proposed the next morning in Shanghai (before 08:00 UTC) comes above it
    agreement.versions[1].proposed_at = datetime(2026, 12, 3, 16, 30, tzinfo=UTC)  # 00:30
    db.session.commit()
    page = _page(login_as("partner_manager").get(f"/partners/{partner.id}?show=agreement"))
    kinds = re.findall(r'<li class="timeline-item kind-(\w+)">', page)
    assert kinds == ["version", "signed", "version"]


# -- 8. exports show what the screen shows ---------------------------------------------

def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    return list(csv.reader(io.StringIO(response.get_data(as_text=True)[1:])))


def test_the_partner_export_shows_the_stage_in_the_readers_language_and_zone(users, login_as):
    org = factories.make_org("partner", "青禾物流", stage="terms_agreed", status="inactive",
                             owner=users["manager"])
    org.updated_at = datetime(2026, 3, 2, 2, 7, 31, 123456, tzinfo=UTC)
    db.session.commit()
    rows = _csv(login_as("manager").get("/partners/export"))
    header, row = rows[0], next(r for r in rows[1:] if r[0] == "青禾物流")
    assert header[1] == "Stage" and row[1] == "Terms agreed"
    assert "Status" not in header and "Inactive" not in row
    assert not any(re.search(r"\d{2}:\d{2}:\d{2}|\.\d{6}|\+00:00", cell) for cell in row)
    users["manager"].locale = "zh"
    users["manager"].timezone = "America/New_York"
    db.session.commit()
    rows = _csv(login_as("manager").get("/partners/export"))
    row = next(r for r in rows[1:] if r[0] == "青禾物流")
    assert rows[0][1] == "阶段" and row[1] == "条款已谈妥"


def test_an_export_column_giving_a_stored_time_is_shown_in_the_readers_zone(app):
    from tracker.web.exports import Column, export_response

    stored = datetime(2026, 3, 2, 2, 7, 31, 123456, tzinfo=UTC)
    with app.test_request_context("/x"):
        response = export_response("t", "T", [Column("When", lambda r: r)], [stored])
        assert _csv(response)[1] == ["2026-03-02 10:07"]  # Shanghai, to the minute
    with app.test_request_context("/x?format=xlsx"):
        import openpyxl

        response = export_response("t", "T", [Column("When", lambda r: r)], [stored])
        book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
        assert list(book.active.iter_rows(values_only=True))[1] == (datetime(2026, 3, 2, 10, 7),)


# -- 10. fees as people write them -----------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("12000", "12000"), ("12,000", "12000"), ("¥12000", "12000"), ("￥12000", "12000"),
    ("¥560,000.00", "560000"), ("CN¥560,000.00", "560000"), ("1,200.50", "1200.50"),
    ("1.2万", "12000"), ("1.2 万元", "12000"), ("3亿", "300000000"), ("１２０００", "12000"),
    ("１２，０００．５０", "12000.50"), ("12000元", "12000"), ("RMB 5,000", "5000"),
    ("0.5千", "500"),
])
def test_amounts_are_read_as_pages_show_them_and_people_write_them(text, value):
    assert parse_amount(text).value == Decimal(value)


@pytest.mark.parametrize(("text", "reason"), [
    ("12,00", "grouping"), ("1,2,3", "grouping"), ("abc", "unreadable"), ("1e5", "unreadable"),
    ("NaN", "unreadable"), ("-5", "negative"), ("1.234", "places"), ("¥", "unreadable"),
    ("1" * 30, "large"), ("US$ 5 欧元", "unreadable"),
])
def test_amounts_that_are_no_amount_say_why(text, reason):
    with pytest.raises(AmountError) as error:
        parse_amount(text)
    assert error.value.reason == reason


def _version_post(login_as, agreement, fee: str, currency: str = "CNY", **more: object):
    data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in _terms().items()}
    data.update(fee_amount=fee, currency=currency, auto_renew="", **more)
    return login_as("manager").post(f"/partners/agreements/{agreement.id}/versions/new",
                                    data=data)


@pytest.mark.parametrize(("fee", "stored"), [("¥560,000.00", "560000.00"),
                                             ("1.2万", "12000.00"), ("12,000", "12000.00")])
def test_the_fee_field_takes_what_pages_show(users, login_as, fee, stored):
    org = factories.make_org("partner", owner=users["manager"])
    agreement = make_agreement(org, owner=users["manager"])
    response = _version_post(login_as, agreement, fee)
    assert response.status_code == 302, _page(response)
    db.session.refresh(agreement)
    assert agreement.versions[-1].fee_amount == Decimal(stored)


@pytest.mark.parametrize(("fee", "currency", "message"), [
    ("1,2,3", "CNY", "Put commas only between groups of three digits"),
    ("twelve", "CNY", "Enter an amount, like 12000.50"),
    ("€12,000", "CNY", "This amount is written in EUR, but the currency chosen is CNY."),
    ("12.345", "CNY", "at most two decimal places"),
])
def test_a_fee_that_cannot_be_read_says_why_on_its_field(users, login_as, fee, currency,
                                                        message):
    org = factories.make_org("partner", owner=users["manager"])
    agreement = make_agreement(org, owner=users["manager"])
    response = _version_post(login_as, agreement, fee, currency)
    assert response.status_code == 422
    page = _page(response)
    assert FIELD_ERROR in page and message in page
    db.session.refresh(agreement)
    assert len(agreement.versions) == 1


def test_a_fee_message_in_chinese(users, login_as):
    users["manager"].locale = "zh"
    db.session.commit()
    org = factories.make_org("partner", owner=users["manager"])
    agreement = make_agreement(org, owner=users["manager"])
    page = _page(_version_post(login_as, agreement, "1,2,3"))
    assert "逗号" in page


# -- 12. proposing and signing ----------------------------------------------------------

def _new_agreement(users, **more: object) -> dict[str, object]:
    data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in _terms().items()}
    data.update(title="Warehouse deal", owner_id=users["manager"].id, team_id="",
                fee_amount="¥120,000", auto_renew="")
    data.update(more)
    return data


def test_a_new_agreement_is_proposed_in_one_step(users, login_as):
    org = factories.make_org("partner", owner=users["manager"])
    http = login_as("manager")
    form = _page(http.get(f"/partners/{org.id}/agreements/new"))
    assert 'name="propose"' in form
    response = http.post(f"/partners/{org.id}/agreements/new",
                         data=_new_agreement(users, propose="1"))
    assert response.status_code == 302, _page(response)
    (agreement,) = db.session.scalars(sa.select(Agreement))
    assert agreement.status == "proposed"
    assert agreement.versions[0].fee_amount == Decimal("120000.00")
    changes = [e.changes for e in db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type == "agreements", AuditEvent.record_id == agreement.id))]
    assert changes  # created, in its history
    # without the button it stays a draft
    response = http.post(f"/partners/{org.id}/agreements/new",
                         data=_new_agreement(users, title="Second deal"))
    assert response.status_code == 302
    second = db.session.scalar(sa.select(Agreement).where(Agreement.title == "Second deal"))
    assert second.status == "draft"


def test_a_drafts_new_version_is_proposed_with_one_submit(users, login_as):
    org = factories.make_org("partner", owner=users["manager"])
    agreement = make_agreement(org, owner=users["manager"])
    assert 'name="propose"' in _page(login_as("manager").get(
        f"/partners/agreements/{agreement.id}/versions/new"))
    response = _version_post(login_as, agreement, "130000", propose="1")
    assert response.status_code == 302
    db.session.refresh(agreement)
    assert (agreement.status, len(agreement.versions)) == ("proposed", 2)
    # a negotiating agreement's form has no such button: a version moves it anyway
    assert 'name="propose"' not in _page(login_as("manager").get(
        f"/partners/agreements/{agreement.id}/versions/new"))


def test_the_signing_date_starts_at_today_in_the_users_zone(users, login_as, monkeypatch):
    import tracker.i18n as i18n

    org = factories.make_org("partner", owner=users["manager"])
    agreement = make_agreement(org, status="agreed", owner=users["manager"])
    # 20:30 UTC on 6 December is already 7 December in Shanghai
    monkeypatch.setattr("tracker.models.utcnow",
                        lambda: datetime(2026, 12, 6, 20, 30, tzinfo=UTC))
    assert i18n.local_today(users["manager"]) == date(2026, 12, 7)
    page = _page(login_as("manager").get(f"/partners/agreements/{agreement.id}"))
    assert re.search(r'name="signed_on"[^>]*value="2026-12-07"', page) or re.search(
        r'value="2026-12-07"[^>]*name="signed_on"', page)


def _stage_changes(org: Organization) -> list[list[str]]:
    return [e.changes["stage"] for e in db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type == "organizations", AuditEvent.record_id == org.id,
        AuditEvent.action == "update").order_by(AuditEvent.id)) if "stage" in e.changes]


@pytest.mark.parametrize(("stage", "after"), [
    ("negotiating", "signed"), ("terms_agreed", "signed"), (None, "signed"),
    ("active", "active"), ("paused", "paused"), ("signed", "signed")])
def test_signing_moves_a_partner_behind_the_signed_stage_on(users, login_as, stage, after):
    org = factories.make_org("partner", owner=users["manager"], stage=stage)
    agreement = make_agreement(org, status="agreed", owner=users["manager"])
    response = login_as("manager").post(
        f"/partners/agreements/{agreement.id}/sign",
        data={"version_id": agreement.versions[0].id, "signed_on": "2026-12-07",
              "signatories": "Li Wei; Anna Berg"}, follow_redirects=True)
    assert response.status_code == 200
    db.session.refresh(org)
    assert org.stage == after
    moved = stage != after
    assert _stage_changes(org) == ([[stage, "signed"]] if moved else [])
    assert ("moved to Signed" in _page(response)) is moved


def test_signing_a_version_keeps_the_stage_history_with_who(users):
    org = factories.make_org("partner", owner=users["manager"], stage="negotiating")
    agreement = make_agreement(org, status="agreed", owner=users["manager"])
    version = db.session.get(AgreementVersion, agreement.versions[0].id)
    assert sign(agreement, version, date(2026, 12, 7), "Li Wei") is True
    db.session.commit()
    assert org.stage == "signed"


def test_a_client_notes_next_step_goes_only_to_someone_who_sees_the_client(users, login_as):
    """The progress note shares the round's next-step rows, and so the same rule."""
    client = factories.make_org("client", "Acme Foods", owner=users["account_manager"],
                                team=_alpha())
    http = login_as("account_manager")
    offered = _owner_options(_page(http.get(f"/clients/{client.id}/notes/new")))
    assert "Account_Manager" in offered and "Support_Agent" in offered  # clients: all
    assert "Partner_Manager" not in offered  # no client access
    data = {"kind": "update", "occurred_at": "2026-03-02T10:30", "title": "Review",
            "our_people": [users["account_manager"].id], "visibility": "internal",
            "version": "", "next_steps-0-title": "Send the plan",
            "next_steps-0-owner_id": users["partner_manager"].id,
            "next_steps-0-due_on": "2026-03-09"}
    response = http.post(f"/clients/{client.id}/notes/new", data=data)
    assert response.status_code == 422
    assert "may not see this record" in _page(response)
    assert db.session.scalars(sa.select(FollowUp)).all() == []
