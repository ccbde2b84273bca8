"""A complaint's whole life in a real browser, as the support agent works it.

Intake from the queue, take it, acknowledge, an internal note and a reply, waiting on the
client (the resolution clock pauses), resolution with a root cause, the client's
satisfaction, closing and reopening. Every form is a real post with its CSRF token; the
strict Content-Security-Policy is watched on the console. Screenshots are left in
test-artifacts/ as complaints-*.png.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import artifact_path
from tests.factories import PASSWORD, make_complaint, make_contact, make_org
from tracker.extensions import db
from tracker.models import Complaint, Team, User, utcnow

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CLIENT_NAME = "Shanghai Parcel Co 上海包裹"
SUBJECT = "Cold-chain parcel arrived warm"


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))


def no_error_flash(page: Page) -> None:
    expect(page.locator(".flash-error")).to_have_count(0)
    expect(page.locator(".field-error")).to_have_count(0)


def header_fact(page: Page, label: str) -> Locator:
    return (page.locator("dl.header-facts > div")
            .filter(has=page.locator("dt", has_text=re.compile(f"^{re.escape(label)}$")))
            .locator("dd"))


def screenshot(page: Page, name: str) -> None:
    page.screenshot(path=artifact_path(name), full_page=True)


def move(page: Page, label: str, **fields: str) -> None:
    """Change the status through the workflow form (summary, root cause, reason as given)."""
    page.get_by_label("Move to").select_option(label=label)
    if "summary" in fields:
        page.get_by_label("Resolution summary").fill(fields["summary"])
    if "root_cause" in fields:
        page.get_by_label("Root cause").select_option(label=fields["root_cause"])
    if "reason" in fields:
        page.get_by_label("Reason").fill(fields["reason"])
    page.get_by_role("button", name="Change status").click()


def add_to_timeline(page: Page, kind: str, text: str) -> None:
    page.get_by_label("Kind").select_option(label=kind)
    page.get_by_label("Message").fill(text)
    page.get_by_role("button", name="Add", exact=True).click()


def test_complaint_from_intake_to_reopened(page: Page, console_errors: list[str],
                                           users: dict[str, User]) -> None:
    agent = users["support_agent"]
    assert agent.email == "support_agent@test.example"
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    client = make_org("client", CLIENT_NAME, team=alpha)
    make_contact(client, "Zhang Min 张敏")
    other = make_org("client", "Suzhou Textiles", team=alpha)
    # Some work already in the queue, so its screenshot shows the clocks side by side.
    make_complaint(other, "Invoice twice", severity="critical",
                   received_at=utcnow().replace(second=0, microsecond=0) - timedelta(hours=6))
    make_complaint(other, "Label misprinted", severity="low")

    sign_in(page, agent.email, PASSWORD)

    # 1. Intake from the queue --------------------------------------------------------------
    page.goto("/clients/complaints/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaint queue")
    expect(page.get_by_test_id("count-open")).to_have_text("2")
    page.get_by_role("button", name="Log a complaint").click()
    expect(page).to_have_url(re.compile(r"/clients/complaints/new$"))
    page.locator("select#client_id").select_option(label=CLIENT_NAME)  # under its picker
    page.get_by_label("Severity").select_option(label="Critical")
    page.get_by_label("Subject").fill(SUBJECT)
    page.get_by_label("What happened").fill("The vaccines box was at 14 °C on arrival.")
    page.get_by_role("button", name="Log complaint").click()

    expect(page).to_have_url(re.compile(r"/clients/complaints/\d+$"))
    no_error_flash(page)
    expect(page.locator(".flash-success")).to_contain_text("The complaint is logged.")
    status = page.get_by_test_id("complaint-status")
    ack_clock, resolve_clock = page.get_by_test_id("ack-clock"), page.get_by_test_id(
        "resolve-clock")
    expect(status).to_have_text("New")
    expect(page.get_by_role("heading", level=1)).to_contain_text(SUBJECT)
    expect(header_fact(page, "Client")).to_have_text(CLIENT_NAME)
    expect(header_fact(page, "Assignee")).to_have_text("nobody")
    expect(ack_clock.locator(".clock")).to_have_class(re.compile(r"\brunning\b"))
    expect(ack_clock.locator(".clock")).to_have_text(re.compile(r"^(30|29) min left$"))
    expect(resolve_clock.locator(".clock")).to_have_text(
        re.compile(r"^(4 h 0 min|3 h 59 min) left$"))
    complaint = db.session.scalars(sa.select(Complaint).where(Complaint.title == SUBJECT)).one()
    assert complaint.ack_due_at == complaint.received_at.replace(
        second=0, microsecond=0) + timedelta(minutes=30)
    complaint_url = page.url

    # 2. Take it ------------------------------------------------------------------------------
    page.get_by_role("button", name="Take it").click()
    no_error_flash(page)
    expect(page.locator(".flash-success")).to_have_text("The complaint is yours.")
    expect(header_fact(page, "Assignee")).to_have_text(agent.name)
    expect(page.get_by_role("button", name="Take it")).to_have_count(0)
    expect(status).to_have_text("New")

    # 3. Acknowledge ----------------------------------------------------------------------------
    move(page, "Acknowledged")
    no_error_flash(page)
    expect(status).to_have_text("Acknowledged")
    expect(ack_clock.locator(".clock")).to_have_text("met")
    expect(ack_clock).to_contain_text("Acknowledged")

    # 4. An internal note, then a reply to the client --------------------------------------------
    add_to_timeline(page, "Internal note", "Courier's cooler failed; ask the depot for logs.")
    no_error_flash(page)
    note = page.locator(".complaint-events .internal-note")
    expect(note).to_have_count(1)
    expect(note).to_contain_text("Courier's cooler failed")
    add_to_timeline(page, "Reply to the client",
                    "We are sorry; a replacement ships today. Could you send a photo?")
    no_error_flash(page)
    reply = page.locator(".complaint-events .client-reply")
    expect(reply).to_have_count(1)
    expect(reply).to_contain_text("a replacement ships today")
    expect(note.locator(".badge")).to_have_text("Internal note")
    expect(reply.locator(".badge")).to_have_text("Reply to the client")
    note_look = note.evaluate("e => getComputedStyle(e).backgroundColor + getComputedStyle(e)"
                              ".borderLeftColor")
    reply_look = reply.evaluate("e => getComputedStyle(e).backgroundColor + getComputedStyle(e)"
                                ".borderLeftColor")
    assert note_look != reply_look, "an internal note and a reply look the same"

    # 5. Waiting on the client: the resolution clock stops ------------------------------------
    move(page, "Waiting on client")
    no_error_flash(page)
    expect(status).to_have_text("Waiting on client")
    expect(resolve_clock.locator("p.big")).to_have_text("clock paused")
    expect(resolve_clock.locator(".clock")).to_have_class(re.compile(r"\bpaused\b"))
    expect(resolve_clock.locator(".clock")).to_contain_text("paused")
    expect(ack_clock.locator(".clock")).to_have_text("met")
    screenshot(page, "complaints-waiting.png")

    # 6. Resolved, with the summary and the root cause ------------------------------------------
    move(page, "Resolved", summary="Replacement delivered with a data logger; refund issued.",
         root_cause="Delivery or logistics")
    no_error_flash(page)
    expect(status).to_have_text("Resolved")
    expect(resolve_clock.locator(".clock")).to_have_text("met")
    resolution = page.locator("article.resolution")
    expect(resolution).to_contain_text("Replacement delivered with a data logger")
    expect(resolution.locator("header")).to_contain_text("Delivery or logistics")

    # 7. The client's satisfaction --------------------------------------------------------------
    rating = page.locator("aside article").filter(has_text="Client satisfaction")
    rating.get_by_label("Client satisfaction (1–5)").fill("4")
    rating.get_by_label("Client's comment").fill("Fast, but the first box was lost.")
    rating.get_by_role("button", name="Save").click()
    no_error_flash(page)
    expect(page.get_by_test_id("satisfaction")).to_have_text(
        "Client satisfaction: 4 / 5 — “Fast, but the first box was lost.”")

    # 8. Closed, then reopened ------------------------------------------------------------------
    move(page, "Closed")
    no_error_flash(page)
    expect(status).to_have_text("Closed")
    screenshot(page, "complaints-closed.png")
    move(page, "Investigating")
    no_error_flash(page)
    expect(status).to_have_text("Investigating")
    expect(header_fact(page, "Reopened")).to_have_text("1×")
    expect(resolve_clock.locator(".clock")).to_have_class(re.compile(r"\brunning\b"))
    expect(ack_clock.locator(".clock")).to_have_text("met")
    moves = page.locator(".complaint-events .event-status")
    expect(moves.first).to_contain_text("moved from Closed to Investigating")
    expect(moves).to_have_count(6)  # logged + 5 moves
    screenshot(page, "complaints-detail.png")

    # The queue: the reopened complaint is mine, with its clocks ----------------------------------
    page.goto("/clients/complaints/?view=mine")
    row = page.locator("table.queue tbody tr").filter(has_text=SUBJECT)
    expect(row).to_have_count(1)
    expect(page.get_by_test_id("count-mine")).to_have_text("1")
    expect(row.locator(".badge.cs-investigating")).to_have_text("Investigating")
    page.goto("/clients/complaints/")
    expect(page.get_by_test_id("count-open")).to_have_text("3")
    screenshot(page, "complaints-queue.png")
    assert page.url.endswith("/clients/complaints/") and complaint_url

    csp = [e for e in console_errors if "Content Security Policy" in e]
    assert not csp, f"Content-Security-Policy violations: {csp}"
    assert not console_errors, console_errors
