"""The partner board in a real browser: a card dragged to another stage moves through the
stage route (history recorded), an ending asks why, the card's own select and Move button
do the same from the keyboard, and the board is swapped in place, under the strict
Content-Security-Policy. A screenshot is left in test-artifacts/ as board-moved.png."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.browser.conftest import artifact_path
from tests.factories import PASSWORD, make_org
from tracker.extensions import db
from tracker.models import AuditEvent, Organization, User

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def sign_in(page: Page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))


def _column(page: Page, stage: str):
    return page.locator(f'.board-cards[data-stage="{stage}"]')


def _stage_of(org_id: int) -> str | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Organization.stage).where(Organization.id == org_id))


def _drag(page: Page, card_id: int, stage: str) -> None:
    """Press on the card's name area, move over the column in steps, let go (Sortable
    follows the pointer)."""
    card = page.get_by_test_id(f"card-{card_id}").locator("small")
    target = _column(page, stage)
    card.hover()
    page.mouse.down()
    box = target.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 20, steps=12)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 30, steps=4)
    page.mouse.up()


def test_drag_a_card_and_move_one_with_the_keyboard(page: Page, console_errors: list[str],
                                                    users: dict[str, User]) -> None:
    manager = users["manager"]
    yuntu = make_org("partner", "Yuntu Logistics", owner=manager, stage="negotiating").id
    harbor = make_org("partner", "Harbor Freight", owner=manager, stage="negotiating").id
    page.set_viewport_size({"width": 1700, "height": 900})  # all eight columns in view
    sign_in(page, manager.email)
    page.goto("/partners/board")
    page.evaluate("window.stillHere = true")

    _drag(page, yuntu, "terms_agreed")
    expect(page.locator(".flash-success")).to_contain_text("Yuntu Logistics moved to Terms")
    expect(_column(page, "terms_agreed").get_by_test_id(f"card-{yuntu}")).to_be_visible()
    assert page.evaluate("window.stillHere") is True  # swapped in place, not reloaded
    assert _stage_of(yuntu) == "terms_agreed"
    moves = [e.changes["stage"] for e in db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type == "organizations", AuditEvent.record_id == yuntu))
        if "stage" in e.changes]
    assert moves[-1] == ["negotiating", "terms_agreed"]
    page.screenshot(path=artifact_path("board-moved.png"), full_page=True)

    # An ending needs a reason: the drop asks for it.
    page.once("dialog", lambda dialog: dialog.accept("They merged with a rival"))
    _drag(page, yuntu, "ended")
    expect(page.locator(".flash-success")).to_contain_text("Yuntu Logistics moved to Ended")
    expect(_column(page, "ended").get_by_test_id(f"card-{yuntu}")).to_be_visible()
    assert _stage_of(yuntu) == "ended"

    # Cancelling the question puts the card back and changes nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    _drag(page, harbor, "ended")
    expect(_column(page, "negotiating").get_by_test_id(f"card-{harbor}")).to_be_visible()
    assert _stage_of(harbor) == "negotiating"

    # The keyboard: the card's own select and Move button.
    select = page.get_by_label("Move Harbor Freight to")
    select.focus()
    reason = page.get_by_test_id(f"card-{harbor}").locator("input[name=reason]")
    select.select_option("ended")
    expect(reason).to_be_visible()  # an ending asks why on the card itself
    select.select_option("active")
    # The reason box shows only for an ending, so Move is the next stop.
    expect(reason).to_be_hidden()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("Harbor Freight moved to Active")
    expect(_column(page, "active").get_by_test_id(f"card-{harbor}")).to_be_visible()
    expect(page.locator(".flash-success")).to_be_focused()
    assert _stage_of(harbor) == "active"
    assert page.evaluate("window.stillHere") is True
    assert console_errors == []


def test_the_board_works_without_javascript(browser, live_server: str,
                                            users: dict[str, User]) -> None:
    manager = users["manager"]
    yuntu = make_org("partner", "Yuntu Logistics", owner=manager, stage="prospect").id
    context = browser.new_context(base_url=live_server, java_script_enabled=False,
                                  locale="en-US")
    try:
        page = context.new_page()
        sign_in(page, manager.email)
        page.goto("/partners/board")
        page.get_by_label("Move Yuntu Logistics to").select_option("signed")
        page.get_by_test_id(f"card-{yuntu}").get_by_role("button", name="Move").click()
        expect(page).to_have_url(re.compile(r"/partners/board$"))
        expect(page.locator(".flash-success")).to_contain_text("moved to")
        assert _stage_of(yuntu) == "signed"
    finally:
        context.close()
