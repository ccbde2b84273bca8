"""A team meeting in a real browser: the manager holds a meeting with an action item for a
team member, who sees it in My day, completes it there, and then sees its state on the
meeting page (and on the printable minutes).

Every form is a real post with its CSRF token; the strict Content-Security-Policy is
watched on the console. Screenshots are left in test-artifacts/ as meetings-*.png.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import TIMEOUT_MS, artifact_path
from tests.factories import PASSWORD
from tracker.extensions import db
from tracker.models import FollowUp, FollowUpStatus, Team, User

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ACTION = "Post the job ad for December temps"
DECISION = "Hire two temps for December."


def sign_in(page: Page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))


def no_error_flash(page: Page) -> None:
    expect(page.locator(".flash-error")).to_have_count(0)
    expect(page.locator(".field-error")).to_have_count(0)


def action_row(page: Page, title: str):
    return page.locator("tr.action-item").filter(has_text=title)


def test_meeting_action_item_completed_in_my_day_shows_done_on_the_meeting(
        page: Page, browser: Browser, live_server: str, console_errors: list[str],
        users: dict[str, User]) -> None:
    manager, member = users["manager"], users["team_member"]
    alpha_id = db.session.scalar(sa.select(Team.id).where(Team.name == "Alpha"))
    today = date.today()
    due = today + timedelta(days=2)  # within My day's "next 7 days" in any zone

    # 1. The manager holds the meeting --------------------------------------------------
    sign_in(page, manager.email)
    page.goto(f"/teams/{alpha_id}/meetings")
    page.get_by_test_id("empty-action").click()  # no meeting yet: the empty list offers it
    expect(page).to_have_url(re.compile(rf"/teams/{alpha_id}/meetings/new$"))
    page.get_by_label("Title").fill("Weekly ops")
    page.get_by_label("Series").fill("周例会 Weekly ops")
    page.get_by_label("Starts").fill(f"{today.isoformat()}T09:30")
    page.get_by_label("Ends").fill(f"{today.isoformat()}T10:15")
    page.get_by_label("Place or link").fill("Room 3 三号会议室")
    attendees = page.get_by_role("group", name="Attendees")
    for name in ("Manager", "Team_Member"):
        attendees.get_by_label(name, exact=True).check()
    item = page.locator(".agenda-row").nth(0)
    item.get_by_label("Agenda item", exact=True).fill("Parcel volume")
    item.get_by_label("Discussion", exact=True).fill("Volume is up 12% on last year.")
    item.get_by_label("Decisions", exact=True).fill(DECISION)
    step = item.locator(".action-row").nth(0)
    step.get_by_label("Action item", exact=True).fill(ACTION)
    step.get_by_label("Owner", exact=True).select_option(label="Team_Member")
    step.get_by_label("Due", exact=True).fill(due.isoformat())
    page.screenshot(path=artifact_path("meetings-form.png"), full_page=True)
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/teams/meetings/\d+$"))
    no_error_flash(page)
    meeting_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Weekly ops")
    expect(page.locator(".decisions")).to_have_text(DECISION)
    row = action_row(page, ACTION)
    expect(row.locator("td")).to_have_text(
        [ACTION, "Team_Member", format_date(due, "medium", locale="en"), re.compile("Open")])

    followup = db.session.scalar(sa.select(FollowUp).where(FollowUp.title == ACTION))
    assert followup is not None and followup.source_type == "agenda_items"
    assert followup.team_id == alpha_id and followup.owner_id == member.id
    followup_id = followup.id

    # 2. The owner sees it in My day and completes it -----------------------------------
    owner_context = browser.new_context(base_url=live_server, locale="en-US",
                                        viewport={"width": 1280, "height": 900})
    owner_context.set_default_timeout(TIMEOUT_MS)
    owner = owner_context.new_page()
    owner_errors: list[str] = []
    owner.on("console", lambda m: owner_errors.append(m.text) if m.type == "error" else None)
    try:
        sign_in(owner, member.email)
        owner.goto("/followups/")
        mine = owner.locator("tr").filter(has_text=ACTION)
        expect(mine).to_have_count(1)
        expect(mine).to_contain_text("Parcel volume")  # where it came from
        owner.screenshot(path=artifact_path("meetings-my-day.png"), full_page=True)
        mine.get_by_role("button", name=re.compile(r"^(Done|Complete)$")).click()
        no_error_flash(owner)
        expect(owner.locator("tr").filter(has_text=ACTION)).to_have_count(0)

        db.session.expire_all()
        assert db.session.get(FollowUp, followup_id).status == FollowUpStatus.DONE

        # 3. … and sees its state on the meeting page ------------------------------------
        owner.goto(meeting_url)
        done = action_row(owner, ACTION)
        expect(done.locator(".badge.fu-done")).to_have_text("Done")
        expect(done.locator(".overdue-badge")).to_have_count(0)
        owner.screenshot(path=artifact_path("meetings-detail-done.png"), full_page=True)
        assert not owner_errors, owner_errors
    finally:
        owner_context.close()

    # The organizer sees the same, on the page and on the printable minutes.
    page.goto(meeting_url)
    expect(action_row(page, ACTION).locator(".badge.fu-done")).to_have_text("Done")
    page.get_by_role("button", name="Minutes").click()
    expect(page).to_have_url(re.compile(r"/teams/meetings/\d+/minutes$"))
    expect(page.locator('link[rel="stylesheet"][media="print"]')).to_have_attribute(
        "href", "/static/css/print.css")
    expect(page.locator(".decisions")).to_have_text(DECISION)
    expect(action_row(page, ACTION).locator(".badge.fu-done")).to_have_text("Done")
    page.emulate_media(media="print")
    expect(page.locator(".no-print")).to_be_hidden()
    page.screenshot(path=artifact_path("meetings-minutes-print.png"), full_page=True)
    page.emulate_media(media="screen")
    assert not console_errors, console_errors
