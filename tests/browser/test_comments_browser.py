"""Comments in a real browser: a team member @mentions a colleague through the picker,
posts, and the comments section updates in place (htmx) with who was told; then the
comment is removed, leaving "Comment removed". Under the strict Content-Security-Policy,
with no console errors. A screenshot is left in test-artifacts/ as comments-round.png."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import artifact_path
from tests.browser.test_axe_browser import AXE, RUN_AXE
from tests.factories import PASSWORD
from tracker.extensions import db
from tracker.models import Comment, Notification, Team, User

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def sign_in(page: Page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_post_a_comment_with_a_mention(page: Page, console_errors: list[str],
                                       users: dict[str, User]) -> None:
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    member = users["team_member"]
    partner = factories.make_org("partner", "青禾科技", owner=member, team=alpha)
    talk = factories.make_round(partner, "Pricing round", author=member)

    sign_in(page, member.email)
    page.goto(f"/partners/rounds/{talk.id}")
    section = page.locator("#comments")
    expect(section).to_contain_text("No comments yet.")
    page.evaluate("window.stillThisPage = true")  # gone if the page reloads

    box = page.get_by_role("textbox", name="Comment")
    box.click()
    box.press_sequentially("Please check the fees, @Partn")
    # The support agent shares the team but may not see partners: never offered.
    option = page.get_by_role("option", name="Partner_Manager")
    expect(option).to_be_visible()
    option.click()
    expect(box).to_have_value("Please check the fees, @Partner_Manager ")
    box.press_sequentially("before Friday. @Support_Agent too")
    page.get_by_role("button", name="Post comment").click()

    expect(section.locator(".comment-body")).to_have_text(
        "Please check the fees, @Partner_Manager before Friday. @Support_Agent too")
    expect(section).to_contain_text("1 person was notified: Partner_Manager.")
    expect(section).to_contain_text(
        "1 person you mentioned cannot see this record and was not notified: Support_Agent.")
    expect(section).to_contain_text("Team_Member")
    expect(page.get_by_role("textbox", name="Comment")).to_have_value("")
    assert page.evaluate("window.stillThisPage === true"), "the page reloaded"
    page.add_script_tag(url=AXE)
    assert page.evaluate(RUN_AXE) == []
    # Hiding the caret leaves style="" on the box: comments.js drops it before a swap.
    page.screenshot(path=artifact_path("comments-round.png"), full_page=True)

    db.session.expire_all()
    told = db.session.scalars(sa.select(Notification)).all()
    assert [(n.user_id, n.event) for n in told] == [(users["partner_manager"].id,
                                                     "comment.mention")]
    assert told[0].link.endswith(f"#comment-{db.session.scalar(sa.select(Comment.id))}")

    page.once("dialog", lambda dialog: dialog.accept())
    section.get_by_role("button", name="Remove").click()
    expect(section).to_contain_text("Comment removed")
    expect(section.locator(".comment-body")).to_have_count(0)
    assert console_errors == []
