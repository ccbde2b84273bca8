"""Agreements: the workflow, version comparison, money kept from those without the
capability, the renewal reminders and the files attached to an agreement."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import url_for

from tests import factories
from tracker.extensions import db
from tracker.models import (
    MONEY_FIELDS,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Attachment,
    AuditEvent,
    FollowUp,
    Grant,
    Role,
    RoleCapability,
    Team,
)
from tracker.partners.compare import FIELDS
from tracker.partners.workflow import TRANSITIONS
from tracker.records import archive
from tracker.reminders import agreement_date_reminders

S = AgreementStatus
FEE = Decimal("7654321.89")
PAYTERMS = "PAYTERMS-SECRET-XYZ"
SECRETS = ("7654321", "7,654,321", PAYTERMS)
TERM_RE = re.compile(r'data-term="(\w+)" data-changed="(yes|no)"')


# -- helpers ---------------------------------------------------------------------------

def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _terms(**changes: object) -> dict[str, object]:
    terms: dict[str, object] = {
        "proposed_by": "us", "scope": "Joint marketing in East China",
        "cooperation": "Quarterly reviews", "fee_amount": Decimal("100000.00"),
        "currency": "CNY", "payment_terms": "Net 30", "start_on": date(2027, 1, 1),
        "end_on": date(2027, 12, 31), "notice_on": date(2027, 10, 1), "auto_renew": False,
        "notes": ""}
    terms.update(changes)
    return terms


def make_agreement(org, *versions: dict[str, object], status: str = "draft", owner=None,
                   team=None, signed: int | None = None, title: str | None = None,
                   **fields: object) -> Agreement:
    """An agreement with exactly the given versions' terms (defaults: one plain version)."""
    agreement = Agreement(organization=org, title=title or "Agreement", owner=owner, team=team,
                          status=status, **fields)
    for number, terms in enumerate(versions or (_terms(),), start=1):
        agreement.versions.append(AgreementVersion(number=number, **terms))
    db.session.add(agreement)
    db.session.commit()
    if signed is not None:
        version = agreement.versions[signed - 1]
        agreement.signed_version_id = version.id
        agreement.signed_on = date(2026, 12, 20)
        agreement.signatories = "Li Wei; Anna Berg"
        db.session.commit()
    return agreement


def custom_user(name: str, grants: dict[str, tuple[int, int]], capabilities: tuple[str, ...] = (),
                teams: tuple[Team, ...] = ()):
    """A user holding one new role with exactly these grants and capabilities."""
    role = Role(name=name, label=name.replace("_", " ").title())
    role.grants = [Grant(area=area, read_level=read, write_level=write)
                   for area, (read, write) in grants.items()]
    role.capabilities = [RoleCapability(name=cap) for cap in capabilities]
    db.session.add(role)
    db.session.commit()
    return factories.make_user(name, teams=teams)


def _status_events(agreement: Agreement) -> list[list[str]]:
    events = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type == "agreements", AuditEvent.record_id == agreement.id)
        .order_by(AuditEvent.id)).all()
    return [e.changes["status"] for e in events
            if e.action == "update" and "status" in e.changes]


def _page(response) -> str:
    return response.get_data(as_text=True)


# -- the workflow ----------------------------------------------------------------------

MOVES = sorted((old.value, new.value) for old, news in TRANSITIONS.items() for new in news)


@pytest.mark.parametrize(("old", "new"), MOVES, ids=[f"{o}->{n}" for o, n in MOVES])
def test_every_allowed_move_changes_the_status_and_is_audited(users, login_as, old, new):
    manager = users["manager"]
    org = factories.make_org("partner", owner=manager)
    agreement = make_agreement(org, _terms(), _terms(fee_amount=Decimal("110000.00")),
                               status=old, owner=manager,
                               signed=2 if new == S.SIGNED else None)
    response = login_as("manager").post(f"/partners/agreements/{agreement.id}/status",
                                        data={"status": new, "reason": "Both sides said so"},
                                        follow_redirects=True)
    assert response.status_code == 200
    db.session.refresh(agreement)
    assert agreement.status == new
    assert agreement.status_reason == "Both sides said so"
    assert _status_events(agreement) == [[old, new]]
    assert f"The agreement is now {S(new).label}." in _page(response)


REFUSED = [
    ("draft", "active", ("An agreement that is Draft cannot become Active; it can become: ",
                         "Proposed", "Terminated")),
    ("terminated", "active", ("An agreement that is Terminated cannot become Active; it can "
                              "become: nothing.",)),
    ("renewed", "draft", ("An agreement that is Renewed cannot become Draft",)),
    ("agreed", "signed", ("Mark the signed version (with date and signatories) to sign.",)),
    ("proposed", "proposed", ("The agreement is already Proposed.",)),
    ("draft", "bogus", ("There is no status “bogus”.",)),
    ("draft", "", ("There is no status “”.",)),
    ("draft", "proposed", ("Add the terms first",)),  # an agreement without any version
]
FLASH_ERROR = re.compile(r'<p class="flash flash-error"[^>]*>(.*?)</p>', re.S)


@pytest.mark.parametrize(("old", "new", "reason"), REFUSED,
                         ids=[f"{o}->{n or 'empty'}-{i}" for i, (o, n, _r) in enumerate(REFUSED)])
def test_a_refused_move_keeps_the_status_and_says_why(users, login_as, old, new, reason):
    manager = users["manager"]
    org = factories.make_org("partner", owner=manager)
    if reason == ("Add the terms first",):
        agreement = Agreement(organization=org, title="No terms yet", owner=manager, status=old)
        db.session.add(agreement)
        db.session.commit()
    else:
        agreement = make_agreement(org, status=old, owner=manager)
    response = login_as("manager").post(f"/partners/agreements/{agreement.id}/status",
                                        data={"status": new}, follow_redirects=True)
    assert response.status_code == 200
    db.session.refresh(agreement)
    assert agreement.status == old
    assert _status_events(agreement) == []
    (message,) = FLASH_ERROR.findall(_page(response))
    for fragment in reason:
        assert fragment in message


def test_a_user_who_may_only_read_cannot_move_an_agreement(users, login_as):
    org = factories.make_org("partner", owner=users["manager"])
    agreement = make_agreement(org, owner=users["manager"])
    response = login_as("auditor").post(f"/partners/agreements/{agreement.id}/status",
                                        data={"status": "proposed"})
    assert response.status_code == 403
    db.session.refresh(agreement)
    assert agreement.status == "draft"


def test_marking_the_signed_version_signs_the_agreement(users, login_as):
    manager = users["manager"]
    org = factories.make_org("partner", owner=manager)
    agreement = make_agreement(org, _terms(), _terms(end_on=date(2028, 6, 30),
                                                     notice_on=date(2028, 3, 31)),
                               status="agreed", owner=manager)
    first = agreement.versions[0]
    response = login_as("manager").post(
        f"/partners/agreements/{agreement.id}/sign",
        data={"version_id": first.id, "signed_on": "2026-12-20",
              "signatories": "Li Wei; Anna Berg"}, follow_redirects=True)
    assert response.status_code == 200
    assert "Version 1 is marked as signed." in _page(response)
    db.session.refresh(agreement)
    assert agreement.status == "signed"
    assert agreement.signed_version_id == first.id
    assert agreement.signed_on == date(2026, 12, 20)
    # The agreement's dates now come from the signed version, not the latest one.
    assert agreement.end_on == date(2027, 12, 31)
    assert agreement.notice_on == date(2027, 10, 1)
    assert _status_events(agreement) == [["agreed", "signed"]]


@pytest.mark.parametrize("fee", ["sNaN", "NaN", "Infinity", "-1", "1e13", "abc"])
def test_a_fee_that_is_no_amount_is_refused_on_its_field(users, login_as, fee):
    org = factories.make_org("partner", owner=users["manager"])
    agreement = make_agreement(org, owner=users["manager"])
    response = login_as("manager").post(
        f"/partners/agreements/{agreement.id}/versions/new",
        data={"proposed_by": "us", "currency": "CNY", "fee_amount": fee})
    assert response.status_code == 422
    assert 'class="field-error"' in _page(response)
    db.session.refresh(agreement)
    assert len(agreement.versions) == 1


# -- comparing versions ----------------------------------------------------------------

def _marks(response) -> dict[str, str]:
    assert response.status_code == 200
    return dict(TERM_RE.findall(_page(response)))


def test_compare_marks_exactly_the_changed_terms(users, login_as):
    org = factories.make_org("partner", owner=users["manager"])
    agreement = make_agreement(
        org, _terms(), _terms(fee_amount=Decimal("125000.00"), end_on=date(2028, 12, 31)),
        owner=users["manager"])
    http = login_as("manager")
    expected = {name: "yes" if name in {"fee_amount", "end_on"} else "no" for name, _ in FIELDS}
    assert _marks(http.get(f"/partners/agreements/{agreement.id}/compare?a=1&b=2")) == expected
    assert _marks(http.get(f"/partners/agreements/{agreement.id}/compare?a=2&b=1")) == expected
    assert _marks(http.get(f"/partners/agreements/{agreement.id}/compare")) == expected
    same = _marks(http.get(f"/partners/agreements/{agreement.id}/compare?a=1&b=1"))
    assert set(same.values()) == {"no"}
    page = _page(http.get(f"/partners/agreements/{agreement.id}/compare?a=1&b=2"))
    assert "2 of the terms changed" in page


def test_compare_leaves_out_the_money_rows_without_the_capability(users, login_as):
    org = factories.make_org("partner", owner=users["manager"])
    agreement = make_agreement(
        org, _terms(fee_amount=FEE, payment_terms=PAYTERMS),
        _terms(fee_amount=FEE + 1, end_on=date(2028, 12, 31), payment_terms=PAYTERMS + "-2"),
        owner=users["manager"])
    reader = custom_user("terms_reader", {"partners": (3, 0), "agreements": (3, 0)})
    response = login_as(reader).get(f"/partners/agreements/{agreement.id}/compare?a=1&b=2")
    marks = _marks(response)
    assert set(marks) == {name for name, _ in FIELDS} - MONEY_FIELDS
    assert marks["end_on"] == "yes"
    assert {k for k, v in marks.items() if v == "yes"} == {"end_on"}
    page = _page(response)
    for secret in SECRETS:
        assert secret not in page
    assert "1 of the terms changed" in page


# -- money stays with the capability ---------------------------------------------------

@pytest.fixture
def money_world(users):
    """A partner with a signed and an agreed agreement, both with distinctive money terms."""
    manager = users["manager"]
    alpha = _alpha()
    org = factories.make_org("partner", "Moneyless Partner Ltd", owner=manager, team=alpha,
                             stage="negotiating")
    contact = factories.make_contact(org, "Zhao Min")
    talk = factories.make_round(org, "Fee talk", author=manager, our_people=(manager,))
    soon = date.today() + timedelta(days=20)
    secret = _terms(fee_amount=FEE, currency="USD", payment_terms=PAYTERMS,
                    start_on=date.today() - timedelta(days=300), end_on=soon,
                    notice_on=soon - timedelta(days=5))
    signed = make_agreement(org, secret, {**secret, "scope": "Wider scope"},
                            status="signed", owner=manager, team=alpha, signed=2,
                            title="Signed Deal", end_on=soon, notice_on=soon - timedelta(days=5))
    talking = make_agreement(org, secret, {**secret, "fee_amount": FEE + 10},
                             status="agreed", owner=manager, team=alpha, title="Agreed Deal")
    agreement_date_reminders(date.today())  # a follow-up on the signed one
    db.session.commit()
    factories.make_attachment(signed, filename="signed-deal.pdf")
    reader = custom_user("no_money", {"partners": (3, 3), "agreements": (3, 3)},
                         ("export", "read_audit"), teams=(alpha,))
    return {"org": org, "contact": contact, "round": talk, "signed": signed,
            "talking": talking, "reader": reader}


def _partners_get_urls(app, world) -> list[str]:
    """Every GET page of the partners blueprint, for this partner and both agreements."""
    urls: list[str] = []
    with app.test_request_context():
        for agreement in (world["signed"], world["talking"]):
            values = {"org_id": world["org"].id, "agreement_id": agreement.id,
                      "round_id": world["round"].id, "contact_id": world["contact"].id}
            for rule in app.url_map.iter_rules():
                if rule.endpoint.startswith("partners.") and "GET" in rule.methods:
                    urls.append(url_for(rule.endpoint,
                                        **{arg: values[arg] for arg in rule.arguments}))
        org_id = world["org"].id
        for show in ("round", "agreement", "followup", "contact"):
            urls.append(url_for("partners.detail", org_id=org_id, show=show))
        for agreement in (world["signed"], world["talking"]):
            urls.append(url_for("partners.version_compare", agreement_id=agreement.id,
                                a=1, b=2))
        for args in ({"sort": "-value"}, {"min_value": "1"}, {"sort": "-value", "min_value": 1},
                     {"q": "Deal"}, {"status": "signed"},
                     {"ends_within": "30"}):
            urls.append(url_for("partners.agreements", **args))
            urls.append(url_for("partners.agreements_export", **args))
        for sort in ("-last_contact", "next_followup", "stage"):
            urls.append(url_for("partners.index", sort=sort))
        for q in ("Moneyless", "Deal", "Zhao"):
            urls.append(url_for("main.search", q=q))
    return sorted(set(urls))


def test_no_fee_value_reaches_a_user_without_the_money_capability(app, login_as, money_world):
    http = login_as(money_world["reader"])
    listing = _page(http.get("/partners/agreements/"))
    offered = re.findall(r'<option value="([^"]*)"[^>]*>', listing.split('name="sort"', 1)[1]
                         .split("</select>", 1)[0])
    assert offered and "-value" not in offered
    urls = _partners_get_urls(app, money_world)
    urls += [f"/partners/agreements/?sort={sort}" for sort in offered]
    statuses = {}
    for url in urls:
        response = http.get(url, follow_redirects=True)
        statuses[url] = response.status_code
        body = _page(response)
        for secret in SECRETS:
            assert secret not in body, f"{url} shows {secret!r}"
    access = [u for u in urls if u.endswith("/access")]
    assert {statuses[u] for u in access} == {403}  # the access page needs manage_users
    assert {u: s for u, s in statuses.items() if s != 200 and u not in access} == {}


def test_a_new_version_by_a_user_without_money_keeps_the_fee(login_as, money_world):
    talking = money_world["talking"]
    response = login_as(money_world["reader"]).post(
        f"/partners/agreements/{talking.id}/versions/new",
        data={"proposed_by": "them", "scope": "Narrower scope", "fee_amount": "1",
              "currency": "EUR", "payment_terms": "Free", "start_on": "2027-01-01",
              "end_on": "2027-12-31", "notice_on": "2027-10-01"})
    assert response.status_code == 302
    db.session.refresh(talking)
    latest = talking.latest
    assert latest.number == 3 and latest.scope == "Narrower scope"
    assert (latest.fee_amount, latest.currency, latest.payment_terms) == (
        FEE + 10, "USD", PAYTERMS)


def test_the_money_capability_shows_the_fee(login_as, money_world):
    http = login_as("manager")
    signed = money_world["signed"]
    detail = _page(http.get(f"/partners/agreements/{signed.id}"))
    assert "7,654,321.89" in detail and PAYTERMS in detail
    listing = _page(http.get("/partners/agreements/?sort=-value&min_value=1"))
    assert "7,654,321.89" in listing
    export = _page(http.get("/partners/agreements/export.csv"))
    assert "7654321.89" in export and PAYTERMS in export
    compare = _page(http.get(f"/partners/agreements/{money_world['talking'].id}/compare"))
    assert 'data-term="fee_amount" data-changed="yes"' in compare


# -- renewal reminders -----------------------------------------------------------------

def _reminders(agreement: Agreement) -> list[FollowUp]:
    return list(db.session.scalars(sa.select(FollowUp).where(
        FollowUp.source_type == "agreements", FollowUp.source_id == agreement.id)))


def test_the_renewal_job_is_idempotent(users):
    today = date(2026, 5, 1)
    owner = users["partner_manager"]
    org = factories.make_org("partner", owner=owner, team=_alpha())
    notice = today + timedelta(days=12)
    agreement = make_agreement(org, _terms(end_on=today + timedelta(days=200), notice_on=notice),
                               status="active", owner=owner, team=_alpha(),
                               end_on=today + timedelta(days=200), notice_on=notice)
    assert agreement_date_reminders(today) == 1
    db.session.commit()
    assert agreement_date_reminders(today) == 0
    db.session.commit()
    key = f"agreement:{agreement.id}:notice:{notice.isoformat()}"
    (followup,) = db.session.scalars(sa.select(FollowUp).where(FollowUp.dedupe_key == key))
    assert followup.owner_id == owner.id
    assert (followup.source_type, followup.source_id) == ("agreements", agreement.id)
    assert followup.organization_id == org.id
    assert followup.due_on == today + timedelta(days=7)
    assert len(_reminders(agreement)) == 1
    # A later run within the window still adds nothing.
    assert agreement_date_reminders(today + timedelta(days=5)) == 0


def test_the_remind_command_run_twice_creates_one_followup(app, users):
    today = date.today()
    owner = users["partner_manager"]
    org = factories.make_org("partner", owner=owner, team=_alpha())
    notice = today + timedelta(days=29)
    agreement = make_agreement(org, _terms(end_on=today + timedelta(days=120), notice_on=notice),
                               status="signed", owner=owner, team=_alpha(),
                               end_on=today + timedelta(days=120), notice_on=notice)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["remind"])
    assert first.exit_code == 0, first.output
    assert "1 agreement reminder(s) created." in first.output
    second = runner.invoke(args=["remind"])
    assert second.exit_code == 0, second.output
    assert "0 agreement reminder(s) created." in second.output
    db.session.expire_all()
    (followup,) = _reminders(agreement)
    assert followup.dedupe_key == f"agreement:{agreement.id}:notice:{notice.isoformat()}"
    assert followup.owner_id == owner.id


@pytest.mark.parametrize(("status", "notice_in", "end_in", "archived"), [
    ("active", 31, 400, False),   # notice just outside the 30 days
    ("active", -1, 400, False),   # notice already passed
    ("draft", 10, 20, False),     # not signed: nobody has to renew it
    ("agreed", 10, 20, False),
    ("terminated", 10, 20, False),
    ("expired", 10, 20, False),
    ("active", 10, 20, True),     # archived
])
def test_no_reminder_outside_the_window_or_the_watched_statuses(users, status, notice_in,
                                                                 end_in, archived):
    today = date(2026, 5, 1)
    owner = users["partner_manager"]
    org = factories.make_org("partner", owner=owner)
    notice, end = today + timedelta(days=notice_in), today + timedelta(days=end_in)
    agreement = make_agreement(org, _terms(end_on=end, notice_on=notice), status=status,
                               owner=owner, end_on=end, notice_on=notice)
    if archived:
        archive(agreement)
        db.session.commit()
    assert agreement_date_reminders(today) == 0
    assert _reminders(agreement) == []


# -- attachments -----------------------------------------------------------------------

def _upload(http, agreement: Agreement, name: str, content: bytes):
    return http.post(f"/attachments/agreements/{agreement.id}",
                     data={"file": (io.BytesIO(content), name),
                           "next": f"/partners/agreements/{agreement.id}"},
                     content_type="multipart/form-data", follow_redirects=True)


def _stored_files(app) -> set[str]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def _attachments() -> list[Attachment]:
    return list(db.session.scalars(sa.select(Attachment)))


@pytest.fixture
def agreement(users):
    manager = users["manager"]
    org = factories.make_org("partner", owner=manager, team=_alpha())
    return make_agreement(org, owner=manager, team=_alpha())


@pytest.mark.parametrize("name", ["page.html", "setup.exe", "logo.svg", "contract.pdf.html",
                                  "script.JS", "noextension"])
def test_a_refused_type_is_not_stored(app, login_as, agreement, name):
    before = _stored_files(app)
    response = _upload(login_as("manager"), agreement, name, b"<svg onload=alert(1)>")
    assert response.status_code == 200
    assert "Files of this type cannot be attached." in _page(response)
    assert _attachments() == []
    assert _stored_files(app) == before


def test_an_oversize_file_is_refused_and_nothing_stored(app, login_as, agreement):
    limit = app.config["MAX_UPLOAD_BYTES"]
    app.config["MAX_UPLOAD_BYTES"] = 100
    try:
        http = login_as("manager")
        before = _stored_files(app)
        response = _upload(http, agreement, "big.pdf", b"%PDF" + b"x" * 97)
        assert "The file is larger than" in _page(response)
        assert _attachments() == []
        assert _stored_files(app) == before
        response = _upload(http, agreement, "fits.pdf", b"%PDF" + b"x" * 96)
        assert "fits.pdf is attached." in _page(response)
        assert [a.size for a in _attachments()] == [100]
    finally:
        app.config["MAX_UPLOAD_BYTES"] = limit


def test_an_empty_file_is_refused(app, login_as, agreement):
    before = _stored_files(app)
    response = _upload(login_as("manager"), agreement, "empty.pdf", b"")
    assert "The file is empty." in _page(response) or "Choose a file." in _page(response)
    assert _attachments() == []
    assert _stored_files(app) == before


def test_a_post_without_a_real_file_is_refused(app, login_as, agreement):
    response = login_as("manager").post(
        f"/attachments/agreements/{agreement.id}",
        data={"file": "contract.pdf", "next": f"/partners/agreements/{agreement.id}"},
        content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    assert 'class="flash flash-error"' in _page(response)
    assert _attachments() == []


def test_an_accepted_file_downloads_as_an_attachment(app, login_as, agreement):
    content = b"%PDF-1.4 the signed contract"
    http = login_as("manager")
    response = _upload(http, agreement, "contract.pdf", content)
    assert "contract.pdf is attached." in _page(response)
    (attachment,) = _attachments()
    assert attachment.filename == "contract.pdf" and attachment.size == len(content)
    stored = Path(app.config["UPLOAD_FOLDER"]) / attachment.stored_name
    assert stored.read_bytes() == content
    assert f"/attachments/{attachment.id}" in _page(http.get(
        f"/partners/agreements/{agreement.id}"))
    download = http.get(f"/attachments/{attachment.id}")
    assert download.status_code == 200
    assert download.data == content
    assert download.mimetype == "application/octet-stream"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "contract.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_with_a_chinese_name_is_accepted(app, login_as, agreement):
    content = b"%PDF-1.4 chinese name"
    http = login_as("manager")
    response = _upload(http, agreement, "合作协议.pdf", content)
    assert "合作协议.pdf is attached." in _page(response)
    (attachment,) = _attachments()
    download = http.get(f"/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == content
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_who_cannot_see_the_agreement_gets_404_on_its_files(app, users, login_as, agreement):
    attachment = factories.make_attachment(agreement)
    beta = factories.make_team("Beta")
    team_reader = custom_user("beta_agreements", {"partners": (3, 0), "agreements": (2, 2)},
                              teams=(beta,))
    for who in ("team_member", "account_manager", "support_agent", team_reader):
        http = login_as(who)
        assert http.get(f"/attachments/{attachment.id}").status_code == 404, who
        upload = _upload(http, agreement, "x.pdf", b"%PDF")
        assert upload.status_code == 404, who
    assert login_as("auditor").get(f"/attachments/{attachment.id}").status_code == 200
    assert login_as("partner_manager").get(f"/attachments/{attachment.id}").status_code == 200
    assert [a.id for a in _attachments()] == [attachment.id]


def test_an_archived_file_is_gone(app, login_as, agreement):
    attachment = factories.make_attachment(agreement)
    http = login_as("manager")
    assert http.get(f"/attachments/{attachment.id}").status_code == 200
    response = http.post(f"/attachments/{attachment.id}/archive",
                         data={"next": f"/partners/agreements/{agreement.id}"})
    assert response.status_code == 302
    db.session.refresh(attachment)
    assert attachment.archived_at is not None
    assert http.get(f"/attachments/{attachment.id}").status_code == 404
    assert login_as("admin").get(f"/attachments/{attachment.id}").status_code == 404
    assert f"/attachments/{attachment.id}" not in _page(http.get(
        f"/partners/agreements/{agreement.id}"))
    assert http.get("/attachments/999999").status_code == 404


def test_the_end_date_sort_key_follows_the_end_date(users):
    """Lists sort by ``end_sort_on`` (undated last), kept on every ORM write and by the
    bulk refresh after rows written around the ORM."""
    import sqlalchemy as sa

    from tracker.models import Agreement
    from tracker.models.agreement import NO_END, refresh_end_sort

    org = factories.make_org("partner", "Sorted", owner=users["manager"])
    agreement = factories.make_agreement(org, "Dated", owner=users["manager"])
    assert agreement.end_sort_on == (agreement.end_on or NO_END)
    agreement.end_on = date(2030, 1, 31)
    db.session.commit()
    assert agreement.end_sort_on == date(2030, 1, 31)
    agreement.end_on = None
    db.session.commit()
    assert agreement.end_sort_on == NO_END
    db.session.execute(sa.update(Agreement).values(end_on=date(2031, 5, 1)))
    refresh_end_sort()
    db.session.commit()
    db.session.refresh(agreement)
    assert agreement.end_sort_on == date(2031, 5, 1)
