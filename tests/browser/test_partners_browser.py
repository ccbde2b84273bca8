"""A partner negotiation in a real browser: a round with topics and a next step, then an
agreement from its first draft through a counter-proposal and comparison to signature.

Runs as the "manager" role (sees money, confidential records and history). Every form is a
real post with its CSRF token; the strict Content-Security-Policy is watched on the console.
Screenshots (round form and page, partner page, agreement form, agreement before and after
signing, comparison) are left in test-artifacts/ as partners-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import artifact_path
from tests.factories import PASSWORD, make_contact, make_org
from tracker.extensions import db
from tracker.models import Agreement, User

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LOCALE = "en"  # the browser context asks for en-US; the app's catalog language is "en"


def shown_date(value: date) -> str:
    """A date as the app's ``|d`` filter writes it in English ("Jul 5, 2026")."""
    return format_date(value, "medium", locale=LOCALE)


def shown_money(amount: str) -> str:
    """A fee as the app writes it in English ("CN¥120,000.00")."""
    return format_currency(Decimal(amount), "CNY", locale=LOCALE)


@pytest.fixture(autouse=True)
def _unsign_before_cleanup(_db: None) -> Iterator[None]:
    """Let the per-test cleanup empty the tables after an agreement was signed.

    ``agreements.signed_version_id`` points back at ``agreement_versions`` (a cycle), and
    ``tests/conftest.py``'s ``_empty_tables`` deletes the versions first, which the foreign
    key refuses. Clearing the pointer here, before that cleanup runs, breaks the cycle.
    """
    yield
    db.session.rollback()
    db.session.execute(sa.update(Agreement).values(signed_version_id=None))
    db.session.commit()


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))


def no_error_flash(page: Page) -> None:
    """A post went through: no error message and no form marked invalid."""
    expect(page.locator(".flash-error")).to_have_count(0)
    expect(page.locator(".field-error")).to_have_count(0)


def header_fact(page: Page, label: str) -> Locator:
    """The value of one fact in a page's header (``dl.header-facts``)."""
    return (page.locator("dl.header-facts > div")
            .filter(has=page.locator("dt", has_text=re.compile(f"^{re.escape(label)}$")))
            .locator("dd"))


def screenshot(page: Page, name: str) -> Path:
    path = artifact_path(name)
    page.screenshot(path=path, full_page=True)
    return path


def test_round_then_agreement_from_draft_to_signed(
        page: Page, console_errors: list[str], users: dict[str, User],
        tmp_path: Path) -> None:
    manager = users["manager"]
    assert manager.email == "manager@test.example"
    partner = make_org("partner", name="Hangzhou Freight Partners 杭州货运", owner=manager,
                       stage="negotiating")
    contact = make_contact(partner, name="Li Wei 李伟", title="Procurement lead")
    partner_id, contact_name = partner.id, contact.name

    today = date.today()
    met_at = datetime.combine(today - timedelta(days=1), datetime.min.time()).replace(
        hour=10, minute=30)
    due = today + timedelta(days=10)
    start = today + timedelta(days=30)
    end = start + timedelta(days=365)
    notice = end - timedelta(days=60)
    later_end = end + timedelta(days=180)
    signed_on = today

    sign_in(page, manager.email, PASSWORD)

    # 1. A negotiation round, with two topics and a next step ------------------------------
    page.goto(f"/partners/{partner_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hangzhou Freight Partners")
    page.get_by_role("button", name="Log a round").click()
    expect(page).to_have_url(re.compile(rf"/partners/{partner_id}/rounds/new$"))

    page.get_by_label("Kind").select_option(label="Meeting")
    page.get_by_label("When").fill(met_at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Summary").fill("Pricing workshop in Hangzhou")
    # a few people and contacts: ticked boxes (tracker.web.checklist)
    for name in ("Manager", "Partner_Manager"):
        page.get_by_role("group", name="Our participants").get_by_label(name, exact=True).check()
    page.get_by_role("group", name="Their participants").get_by_label(contact_name).check()

    topics = page.locator(".topic-row")
    first, second = topics.nth(0), topics.nth(1)
    first.get_by_label("Topic", exact=True).fill("Volume discount")
    first.get_by_label("Our position", exact=True).fill("5% above 10,000 parcels a month")
    first.get_by_label("Their position", exact=True).fill("8% from the first parcel")
    first.get_by_label("Outcome", exact=True).select_option(label="Open")
    second.get_by_label("Topic", exact=True).fill("Invoice currency")
    second.get_by_label("Our position", exact=True).fill("CNY")
    second.get_by_label("Their position", exact=True).fill("CNY")
    second.get_by_label("Outcome", exact=True).select_option(label="Agreed")

    screenshot(page, "partners-round-form.png")
    step = page.locator(".next-step-row").nth(0)
    step.get_by_label("Next step", exact=True).fill("Send revised price sheet")
    step.get_by_label("Owner", exact=True).select_option(label="Partner_Manager")
    step.get_by_label("Due", exact=True).fill(due.isoformat())
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/partners/rounds/\d+$"))
    no_error_flash(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Pricing workshop in Hangzhou")
    expect(header_fact(page, "Kind")).to_have_text("Meeting")
    # Checked at the end, so a wrong time does not hide what the rest of the flow finds.
    when_shown = header_fact(page, "When").inner_text()
    expect(header_fact(page, "Our participants")).to_have_text("Manager, Partner_Manager")
    expect(header_fact(page, "Their participants")).to_have_text(contact_name)

    rows = page.locator("table.topics tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_class(re.compile(r"\btopic-open\b"))
    expect(rows.nth(0).locator("td")).to_have_text(
        ["Volume discount", "5% above 10,000 parcels a month", "8% from the first parcel",
         "Open"])
    expect(rows.nth(1)).to_have_class(re.compile(r"\btopic-agreed\b"))
    expect(rows.nth(1).locator("td")).to_have_text(["Invoice currency", "CNY", "CNY", "Agreed"])

    followups = page.locator("aside article").filter(has_text="Follow-ups")
    expect(followups.locator("tbody tr")).to_have_count(1)
    expect(followups.locator("tbody tr td")).to_have_text(
        ["Send revised price sheet", "Partner_Manager", shown_date(due), "Open"])
    screenshot(page, "partners-round.png")

    page.get_by_role("link", name="Hangzhou Freight Partners 杭州货运").click()
    expect(page).to_have_url(re.compile(rf"/partners/{partner_id}$"))
    timeline_round = page.locator("ol.timeline li.kind-round")
    expect(timeline_round).to_have_count(1)
    expect(timeline_round.get_by_role("link", name="Pricing workshop in Hangzhou")).to_be_visible()
    expect(timeline_round).to_contain_text("1 agreed, 1 open")
    expect(timeline_round).to_contain_text(contact_name)
    expect(page.locator("ol.timeline li.kind-followup")).to_contain_text(
        "Send revised price sheet")
    expect(header_fact(page, "Next follow-up")).to_have_text(shown_date(due))
    last_contact_shown = header_fact(page, "Last contact").inner_text()
    screenshot(page, "partners-detail.png")

    # 2. A new agreement with its first version of the terms --------------------------------
    page.get_by_role("button", name="New agreement").click()
    expect(page).to_have_url(re.compile(rf"/partners/{partner_id}/agreements/new$"))
    page.get_by_label("Title").fill("Freight cooperation 2026")
    page.get_by_label("Scope and content").fill("Parcel line haul Hangzhou–Shanghai")
    page.get_by_label("How the parties cooperate").fill("Weekly capacity planning call")
    page.get_by_label("Fees").fill("120000")
    page.get_by_label("Currency").select_option("CNY")
    page.get_by_label("Payment terms").fill("Net 30 after monthly invoice")
    page.get_by_label("Start").fill(start.isoformat())
    page.get_by_label("End", exact=True).fill(end.isoformat())
    page.get_by_label("Notice / renewal date").fill(notice.isoformat())
    screenshot(page, "partners-agreement-form.png")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/partners/agreements/\d+$"))
    no_error_flash(page)
    agreement_url = page.url
    status = page.get_by_test_id("agreement-status")
    expect(status).to_have_text("Draft")
    v1 = page.locator("article.version#v1")
    expect(v1.locator("header")).to_contain_text("Version 1")
    expect(v1.locator('dd[data-term="fee_amount"]')).to_have_text(shown_money("120000"))
    expect(v1.locator('dd[data-term="end_on"]')).to_have_text(shown_date(end))
    expect(header_fact(page, "End")).to_have_text(shown_date(end))
    expect(header_fact(page, "Notice / renewal date")).to_have_text(shown_date(notice))

    # 3. Proposed, then the partner's counter-proposal ---------------------------------------
    page.get_by_label("Move to").select_option(label="Proposed")
    page.get_by_role("button", name="Change status").click()
    no_error_flash(page)
    expect(status).to_have_text("Proposed")

    page.get_by_role("button", name="New version of the terms").click()
    expect(page).to_have_url(re.compile(r"/versions/new$"))
    # The form starts from version 1.
    expect(page.get_by_label("Scope and content")).to_have_value(
        "Parcel line haul Hangzhou–Shanghai")
    page.get_by_label("Proposed by").select_option(label="The partner")
    page.get_by_label("Fees").fill("98000.50")
    page.get_by_label("End", exact=True).fill(later_end.isoformat())
    page.get_by_role("button", name="Save version").click()

    expect(page).to_have_url(agreement_url)
    no_error_flash(page)
    # A new version from the partner during negotiation is a counter-proposal.
    expect(status).to_have_text("Countered")
    v2 = page.locator("article.version#v2")
    expect(v2.locator("header")).to_contain_text("proposed by The partner")
    expect(v2.locator('dd[data-term="fee_amount"]')).to_have_text(shown_money("98000.50"))
    expect(v1.locator('dd[data-term="fee_amount"]')).to_have_text(shown_money("120000"))

    # 4. Compare: exactly the changed terms are marked --------------------------------------
    page.get_by_role("button", name="Compare versions").click()
    expect(page).to_have_url(re.compile(r"/compare$"))
    compare_rows = page.locator("table.compare tbody tr")
    expect(compare_rows.first).to_be_visible()
    changed = page.locator('table.compare tbody tr[data-changed="yes"]')
    marked = sorted(changed.evaluate_all("rows => rows.map(r => r.dataset.term)"))
    assert marked == ["end_on", "fee_amount", "proposed_by"], marked
    unchanged = page.locator('table.compare tbody tr[data-changed="no"]')
    assert sorted(unchanged.evaluate_all("rows => rows.map(r => r.dataset.term)")) == sorted(
        ["scope", "cooperation", "currency", "payment_terms", "start_on", "notice_on",
         "auto_renew", "notes"])
    scope_row = page.locator('table.compare tr[data-term="scope"]')
    expect(scope_row).to_have_attribute("data-changed", "no")
    expect(scope_row.locator(".changed-badge")).to_have_count(0)
    fee_row = page.locator('table.compare tr[data-term="fee_amount"]')
    expect(fee_row.locator("td")).to_have_text([shown_money("120000"), shown_money("98000.50")])
    expect(fee_row.locator(".changed-badge")).to_be_visible()
    expect(page.locator("p.muted", has_text="of the terms changed")).to_contain_text("3 of the")
    screenshot(page, "partners-compare.png")

    # 5. Agreed, then version 2 signed ------------------------------------------------------
    page.get_by_role("link", name="Freight cooperation 2026").click()
    expect(page).to_have_url(agreement_url)
    page.get_by_label("Move to").select_option(label="Agreed")
    page.get_by_role("button", name="Change status").click()
    no_error_flash(page)
    expect(status).to_have_text("Agreed")
    screenshot(page, "partners-agreement-agreed.png")

    page.get_by_label("Signed version").select_option(label="v2 · The partner")
    page.get_by_label("Signing date").fill(signed_on.isoformat())
    page.get_by_label("Signatories").fill("Manager (us); Li Wei 李伟 (Hangzhou Freight)")
    page.get_by_role("button", name="Mark signed").click()
    no_error_flash(page)
    expect(status).to_have_text("Signed")
    expect(v2.locator("header .badge")).to_have_text("Signed version")
    expect(v2).to_have_class(re.compile(r"\bsigned\b"))
    expect(v1.locator("header .badge")).to_have_count(0)
    expect(header_fact(page, "Signed")).to_have_text(
        f"version 2 on {shown_date(signed_on)}")
    expect(header_fact(page, "End")).to_have_text(shown_date(later_end))

    # 6. The signed PDF, attached -----------------------------------------------------------
    pdf = tmp_path / "signed-agreement.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    files = page.locator("aside article").filter(has_text="Files")
    files.get_by_label("File").set_input_files(pdf)
    files.get_by_role("button", name="Attach").click()
    expect(page).to_have_url(agreement_url)
    no_error_flash(page)
    expect(files.locator(".attachment").get_by_role("link", name="signed-agreement.pdf")
           ).to_be_visible()
    expect(files.locator(".attachment")).to_have_count(1)
    screenshot(page, "partners-agreement.png")

    # The time typed in the round form (the deployment's zone, Asia/Shanghai) comes back.
    typed = format_datetime(met_at, "short", locale=LOCALE)
    assert (when_shown, last_contact_shown) == (typed, typed), (
        f"round logged for {typed} is shown as {when_shown!r} (round page) and "
        f"{last_contact_shown!r} (partner page, Last contact)")

    csp = [e for e in console_errors if "Content Security Policy" in e]
    assert not csp, f"Content-Security-Policy violations: {csp}"
