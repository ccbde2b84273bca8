"""The notifications page in a real browser, in Chinese: a left-aligned list whose titles
start at the same edge as their lines (no centred titles, no leading dots), read and unread
told apart, and opening one marks it read. A screenshot is left in test-artifacts/ as
notifications.png."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask_babel import force_locale
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import artifact_path
from tests.factories import PASSWORD
from tracker.extensions import db
from tracker.followups.services import NewFollowUp, create

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_notifications_list_reads_left_to_right(page: Page, console_errors: list[str]):
    reader = factories.make_user("support_agent", name="周敏", locale="zh")
    giver = factories.make_user("support_agent", name="Evans", locale="en")
    with force_locale("en"):
        for n, title in enumerate(("Send the samples", "Check the invoice for March",
                                   "Call the warehouse about the missed slot")):
            create(NewFollowUp(title=title, due_on=date(2026, 6, 1 + n), owner_id=reader.id),
                   giver)
    db.session.commit()

    page.goto("/auth/login")
    page.locator("#email").fill(reader.email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/notifications")
    items = page.locator(".notification-list > li")
    expect(items).to_have_count(3)
    expect(items.first).to_contain_text("Evans 给您分配了跟进事项：Call the warehouse")
    for i in range(3):
        item, title = items.nth(i), items.nth(i).locator(".note-title")
        assert title.evaluate("e => getComputedStyle(e).textAlign") in ("left", "start")
        assert abs(title.bounding_box()["x"] - item.locator(".note-what").bounding_box()["x"]) < 2
        assert not re.match(r"\s*·", item.inner_text())
    expect(page.locator(".note-unread")).to_have_count(3)
    page.screenshot(path=str(artifact_path("notifications.png")), full_page=True)

    items.nth(1).locator(".note-title").click()
    page.goto("/notifications")
    expect(page.locator(".note-unread")).to_have_count(2)
    expect(page.locator(".note-read")).to_have_count(1)
    assert console_errors == []
