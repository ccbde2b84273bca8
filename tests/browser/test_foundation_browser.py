"""The foundation in a real browser: sign in, add a partner in Chinese, filter, switch language.

The page is served by the live app and shown in Debian's Chromium, so it also checks what
the test client cannot: the strict Content-Security-Policy, real form posts with CSRF
tokens, and Chinese text rendered with a CJK font (see the screenshot it leaves behind).
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import artifact_path
from tests.factories import PASSWORD, make_org
from tracker.models import User

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in through the form, as a person would."""
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def nav_link(page: Page, name: str) -> Locator:
    """A link in the top navigation (the dashboard's cards have links of the same name)."""
    return page.locator("header nav").get_by_role("link", name=name, exact=True)


def list_table(page: Page) -> Locator:
    """The organization list's table body."""
    return page.locator("table tbody")


def test_sign_in_add_partner_filter_and_switch_to_chinese(
        page: Page, console_errors: list[str], users: dict[str, User]) -> None:
    manager = users["manager"]
    email = manager.email
    # Made (and committed) before browsing, so the filter has something to leave out.
    unrelated = make_org("partner", name="Unrelated Seed Partner").name
    name = f"浏览器测试伙伴 Browser Partner {uuid.uuid4().hex[:6]}"

    sign_in(page, email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(nav_link(page, "Partners")).to_be_visible()

    nav_link(page, "Partners").click()
    expect(page).to_have_url(re.compile(r"/partners/$"))
    expect(list_table(page).get_by_role("link", name=unrelated)).to_be_visible()

    # "New partner" is a link styled as a button (role="button").
    page.get_by_role("button", name="New partner").click()
    expect(page).to_have_url(re.compile(r"/partners/new$"))
    page.get_by_label("Name").fill(name)
    page.get_by_label("Industry").fill("Logistics 物流")
    page.get_by_label("Tags").fill("vip, 华东")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/partners/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.locator("dl.facts a.tag")).to_have_text(["vip", "华东"])

    nav_link(page, "Partners").click()
    filters = page.locator("form.filters")
    filters.get_by_role("searchbox").fill("浏览器测试")
    filters.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/partners/\?.*q="))
    expect(list_table(page).get_by_role("link", name=name)).to_be_visible()
    expect(list_table(page).get_by_role("link", name=unrelated)).to_have_count(0)

    page.get_by_test_id("lang-zh").click()
    # The language attribute comes from the locale, not from the catalog's translations.
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    # The switch returns to the same filtered list.
    expect(list_table(page).get_by_role("link", name=name)).to_be_visible()
    page.screenshot(path=artifact_path("partners-zh.png"), full_page=True)

    csp = [e for e in console_errors if "Content Security Policy" in e]
    assert not csp, f"Content-Security-Policy violations: {csp}"
    # Depends on the Chinese catalog ("Partners" -> "合作伙伴") being translated and compiled.
    expect(nav_link(page, "合作伙伴")).to_be_visible()
