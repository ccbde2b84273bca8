"""My day in a real browser: an overdue recurring follow-up is completed and the next
occurrence takes its place, under the strict Content-Security-Policy. A screenshot is left
in test-artifacts/ as followups-my-day.png."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import artifact_path
from tests.factories import PASSWORD
from tracker.extensions import db
from tracker.models import FollowUp, User

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ZONE = "Asia/Tokyo"


def sign_in(page: Page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))


def _followup(title: str, owner: User, due: date, **fields: object) -> FollowUp:
    followup = FollowUp(title=title, owner_id=owner.id, created_by_id=owner.id, due_on=due,
                        source_type="manual", source_id=0, **fields)
    db.session.add(followup)
    db.session.commit()
    return followup


def test_complete_an_overdue_recurring_followup(page: Page, console_errors: list[str],
                                                users: dict[str, User]) -> None:
    member = users["team_member"]
    member.timezone = ZONE
    db.session.commit()
    today = datetime.now(ZoneInfo(ZONE)).date()
    weekly = _followup("Chase the signed contract", member, today - timedelta(days=3),
                       repeat_every=1, repeat_unit="weeks")
    _followup("Book the venue", member, today)

    sign_in(page, member.email)
    page.goto("/followups/")
    overdue = page.get_by_test_id("section-overdue")
    soon = page.get_by_test_id("section-soon")
    expect(page.get_by_test_id("count-overdue")).to_have_text("1")
    expect(page.get_by_test_id("count-today")).to_have_text("1")
    expect(overdue.get_by_role("link", name="Chase the signed contract")).to_be_visible()
    expect(soon.get_by_text("Chase the signed contract")).to_have_count(0)

    page.get_by_test_id(f"done-{weekly.id}").click()

    expect(page).to_have_url(re.compile(r"/followups/$"))
    expect(page.locator(".flash-success")).to_contain_text("The next one is due")
    expect(page.get_by_test_id("count-overdue")).to_have_text("0")
    expect(overdue.get_by_text("Chase the signed contract")).to_have_count(0)
    expect(overdue).to_contain_text("Nothing overdue.")
    expect(soon.get_by_role("link", name="Chase the signed contract")).to_be_visible()
    expect(page.get_by_test_id("count-soon")).to_have_text("1")
    expect(page.get_by_test_id("section-today")).to_contain_text("Book the venue")
    page.screenshot(path=artifact_path("followups-my-day.png"), full_page=True)

    # The next occurrence's page shows where it came from and its due date.
    soon.get_by_role("link", name="Chase the signed contract").click()
    expect(page.get_by_test_id("followup-status")).to_have_text("Open")
    expect(page.get_by_test_id("source")).to_contain_text("Written by hand")
    expect(page.get_by_role("link", name=re.compile("Previous occurrence"))).to_be_visible()
    page.screenshot(path=artifact_path("followups-detail.png"), full_page=True)
    assert console_errors == []
