"""The three jobs field staff do from a phone, in Chinese, on a 390×844 screen.

(a) log a partner negotiation round, (b) take in a complaint in the queue and move it on,
(c) log a call from a client's page. Each step checks that what matters is on screen
without scrolling sideways, and that the top bar stays one short line (the rest is under
Menu). Also: the skip link and the focus ring, by keyboard. Screenshots are left in
test-artifacts/ as phone-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask_babel import force_locale, gettext, ngettext
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import TIMEOUT_MS, artifact_path
from tests.factories import PASSWORD, make_complaint, make_contact, make_org
from tracker.extensions import db
from tracker.models import User

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDTH, HEIGHT = 390, 844


def zh(msgid: str, **values: object) -> str:
    """The Chinese the app shows for ``msgid``."""
    with force_locale("zh"):
        return gettext(msgid, **values)


@pytest.fixture
def phone(browser: Browser, live_server: str) -> Iterator[Page]:
    """A phone-sized touch screen asking for Chinese."""
    context = browser.new_context(base_url=live_server, locale="zh-CN", is_mobile=True,
                                  has_touch=True, viewport={"width": WIDTH, "height": HEIGHT})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    try:
        yield tab
        assert not errors, errors  # the strict Content-Security-Policy refused nothing
    finally:
        context.close()


def sign_in_in_chinese(page: Page, user: User) -> None:
    user.locale = "zh"
    db.session.commit()
    page.goto("/auth/login")
    page.locator("input[name=email]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")


def fits_the_screen(page: Page, *keys: Locator) -> None:
    """No sideways scrolling, a top bar of at most a tenth of the screen, and each of
    ``keys`` visible and inside the screen's width."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} scrolls sideways: {width} px wide"
    bar = page.locator("header.topbar").bounding_box()
    assert bar and bar["height"] <= HEIGHT * 0.1, f"top bar {bar and bar['height']} px high"
    for key in keys:
        expect(key).to_be_visible()
        box = key.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH + 0.5, (
            f"{key} is off the screen: {box}")


def one_line(locator: Locator) -> None:
    """A short label stays on one line (Chinese used to break one character per line)."""
    height = locator.evaluate("e => e.getBoundingClientRect().height")
    line = locator.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 24")
    padding = locator.evaluate(
        "e => parseFloat(getComputedStyle(e).paddingTop) + parseFloat(getComputedStyle(e)"
        ".paddingBottom) + parseFloat(getComputedStyle(e).borderTopWidth) * 2")
    assert height <= line * 1.5 + padding, f"{locator} wraps: {height} px high"


def shot(page: Page, name: str) -> None:
    page.screenshot(path=artifact_path(f"phone-{name}.png"), full_page=True)


def test_menu_skip_link_and_focus_ring(phone: Page, users: dict[str, User]) -> None:
    sign_in_in_chinese(phone, users["manager"])
    fits_the_screen(phone, phone.get_by_role("link", name=zh("Tracker")))
    links = phone.locator("nav.topbar-nav .topbar-links")
    expect(links.get_by_role("link", name=zh("Clients"))).to_be_hidden()
    menu = phone.get_by_test_id("topbar-menu").locator("> summary")
    one_line(menu)
    menu.click()
    expect(links.get_by_role("link", name=zh("Clients"))).to_be_visible()
    expect(phone.locator("header input[name=q]")).to_be_visible()
    shot(phone, "menu")
    bar = phone.locator("header.topbar").bounding_box()
    assert bar and bar["height"] <= HEIGHT * 0.1  # the menu opens over the page
    phone.keyboard.press("Escape")  # shell.js: Escape closes the menu, focus on Menu
    expect(links.get_by_role("link", name=zh("Clients"))).to_be_hidden()
    expect(menu).to_be_focused()
    menu.click()
    links.get_by_role("link", name=zh("Clients")).click()
    expect(phone).to_have_url(re.compile(r"/clients/$"))

    # The first Tab lands on the skip link, which is then visible and leads to the content.
    phone.keyboard.press("Tab")
    skip = phone.get_by_role("link", name=zh("Skip to content"))
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    ring = skip.evaluate(
        "e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth]")
    assert ring[0] == "solid" and float(ring[1].removesuffix("px")) >= 2, ring
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(re.compile(r"#content$"))
    expect(phone.locator("main#content")).to_be_focused()
    phone.keyboard.press("Tab")  # the next stop is inside the page, with a ring
    focused = phone.evaluate("document.activeElement.closest('main') !== null")
    assert focused
    ring = phone.evaluate("[getComputedStyle(document.activeElement).outlineStyle,"
                          " getComputedStyle(document.activeElement).outlineWidth]")
    assert ring[0] == "solid" and float(ring[1].removesuffix("px")) >= 2, ring


def test_a_log_a_negotiation_round(phone: Page, users: dict[str, User]) -> None:
    manager = users["partner_manager"]
    partner = make_org("partner", name="杭州货运伙伴有限公司", owner=manager,
                       team=manager.memberships[0].team, stage="negotiating")
    make_contact(partner, name="李伟")
    sign_in_in_chinese(phone, manager)

    phone.goto(f"/partners/{partner.id}")
    log = phone.get_by_role("button", name=zh("Log a round"))
    fits_the_screen(phone, phone.get_by_role("heading", level=1), log)
    one_line(log)
    log.click()
    expect(phone).to_have_url(re.compile(rf"/partners/{partner.id}/rounds/new$"))
    title = phone.locator("input[name=title]")
    fits_the_screen(phone, title)
    phone.locator("select[name=kind]").select_option("meeting", force=True)
    title.fill("价格谈判第二轮")
    phone.locator("label", has_text="李伟").locator("input[name=their_people]").check()
    topic = phone.locator(".topic-row").first
    topic.locator("input[name$=subject]").fill("批量折扣")
    topic.locator("textarea[name$=our_position]").fill("月单量过万给 5%")
    topic.locator("textarea[name$=their_position]").fill("首单起 8%")
    # One column: the two sides' positions stand one above the other, each full width.
    ours = topic.locator("textarea[name$=our_position]").bounding_box()
    theirs = topic.locator("textarea[name$=their_position]").bounding_box()
    assert ours and theirs and theirs["y"] > ours["y"] and ours["width"] > WIDTH * 0.7
    shot(phone, "round-form")
    save = phone.get_by_role("button", name=zh("Save"), exact=True)
    one_line(save)
    save.click()

    expect(phone).to_have_url(re.compile(r"/partners/rounds/\d+$"))
    expect(phone.locator(".field-error")).to_have_count(0)
    expect(phone.get_by_role("heading", level=1)).to_have_text("价格谈判第二轮")
    fits_the_screen(phone, phone.get_by_role("heading", level=1),
                    phone.get_by_role("cell", name="批量折扣"))
    shot(phone, "round")


def test_b_take_in_a_complaint_and_move_it_on(phone: Page, users: dict[str, User]) -> None:
    agent = users["support_agent"]
    client = make_org("client", name="上海包裹快运有限公司", team=agent.memberships[0].team)
    make_complaint(client, "发票重复开具", severity="high")
    sign_in_in_chinese(phone, agent)

    phone.goto("/clients/complaints/")
    card = phone.locator("table.queue tbody tr").filter(has_text="发票重复开具")
    deadlines = card.locator("td.q-clock")
    fits_the_screen(phone, phone.get_by_role("heading", level=1), card, deadlines.nth(0),
                    deadlines.nth(1))
    expect(deadlines.nth(0).locator(".clock")).to_be_visible()
    for label in phone.locator(".queue-views a").all():
        one_line(label)
    shot(phone, "queue")

    phone.get_by_role("button", name=zh("Log a complaint")).click()
    expect(phone).to_have_url(re.compile(r"/clients/complaints/new$"))
    fits_the_screen(phone, phone.get_by_role("heading", level=1),
                    phone.locator("input[name=title]"))
    phone.locator("select[name=client_id]").select_option(label="上海包裹快运有限公司", force=True)
    phone.locator("select[name=severity]").select_option("critical", force=True)
    phone.locator("input[name=title]").fill("冷链包裹到货时温度过高")
    phone.locator("textarea[name=description]").fill("疫苗箱到货时 14 °C。")
    shot(phone, "complaint-form")
    phone.locator("form:has(input[name=title]) [type=submit]").last.click()

    expect(phone).to_have_url(re.compile(r"/clients/complaints/\d+$"))
    expect(phone.locator(".field-error")).to_have_count(0)
    status = phone.get_by_test_id("complaint-status")
    expect(status).to_have_text(zh("New"))
    fits_the_screen(phone, phone.get_by_role("heading", level=1),
                    phone.get_by_test_id("ack-clock"), phone.get_by_test_id("resolve-clock"))
    phone.get_by_role("button", name=zh("Take it")).click()
    expect(phone.get_by_role("button", name=zh("Take it"))).to_have_count(0)
    phone.locator("select[name=status]").select_option("acknowledged", force=True)
    change = phone.get_by_role("button", name=zh("Change status"))
    one_line(change)
    change.click()
    expect(status).to_have_text(zh("Acknowledged"))
    fits_the_screen(phone, status, phone.get_by_test_id("ack-clock"))
    shot(phone, "complaint")

    phone.goto("/clients/complaints/?view=mine")
    card = phone.locator("table.queue tbody tr").filter(has_text="冷链包裹到货时温度过高")
    fits_the_screen(phone, card, card.locator("td.q-clock").nth(1))
    resolve = card.locator("td.q-clock").nth(1)
    assert resolve.evaluate("e => getComputedStyle(e, '::before').content") == f'"{zh("Resolve")}"'
    expect(resolve.locator(".clock")).to_be_visible()


def test_c_log_a_call_from_the_client_page(phone: Page, users: dict[str, User]) -> None:
    member = users["account_manager"]
    client = make_org("client", name="苏州纺织品进出口公司", owner=member,
                      team=member.memberships[0].team)
    make_contact(client, name="张敏")
    sign_in_in_chinese(phone, member)

    phone.goto(f"/clients/{client.id}")
    log_call = phone.get_by_test_id("log-call")
    fits_the_screen(phone, phone.get_by_role("heading", level=1), log_call)
    expect(log_call).to_have_text(zh("Log a call"))
    one_line(log_call)
    shot(phone, "client")
    log_call.click()

    # Prefilled: a call, with this client, now, me among our participants.
    expect(phone).to_have_url(re.compile(rf"/clients/{client.id}/notes/new\?kind=call$"))
    expect(phone.locator("select[name=kind]")).to_have_value("call")
    expect(phone.locator("input[name=title]")).to_have_value(
        zh("Call with %(name)s", name="苏州纺织品进出口公司"))
    today = phone.evaluate("new Date().toLocaleDateString('sv', {timeZone: 'Asia/Shanghai'})")
    expect(phone.locator("input[name=occurred_at]")).to_have_value(re.compile(f"^{today}T"))
    chosen = phone.locator("label:has(input[name=our_people]:checked)")
    expect(chosen).to_have_text([member.name])
    body = phone.locator("textarea[name=body]")
    fits_the_screen(phone, body, phone.locator("input[name=title]"))
    phone.locator("label", has_text="张敏").locator("input[name=their_people]").check()
    body.fill("客户确认下周一起改为每日两次取件。")
    shot(phone, "call-form")
    phone.get_by_role("button", name=zh("Save"), exact=True).click()

    expect(phone).to_have_url(re.compile(r"/clients/notes/\d+$"))
    expect(phone.locator(".field-error")).to_have_count(0)
    fits_the_screen(phone, phone.get_by_role("heading", level=1),
                    phone.get_by_text("客户确认下周一起改为每日两次取件。"))
    phone.goto(f"/clients/{client.id}")
    entry = phone.locator("ol.timeline li.kind-note").first
    fits_the_screen(phone, entry)
    expect(entry).to_contain_text(zh("Call with %(name)s", name="苏州纺织品进出口公司"))
    expect(entry).to_contain_text("张敏")


def test_the_bell_and_my_day_counts_are_spoken(phone: Page, users: dict[str, User]) -> None:
    from tracker.models import Notification

    member = users["team_member"]
    for n in range(3):
        db.session.add(Notification(user_id=member.id, kind="escalation", subject=f"通知 {n}",
                                    link="/"))
    db.session.commit()
    sign_in_in_chinese(phone, member)
    bell = phone.get_by_test_id("notifications")
    with force_locale("zh"):
        spoken = ngettext("unread notification", "unread notifications", 3)
    expect(bell).to_have_accessible_name(re.compile(
        rf"{re.escape(zh('Notifications'))}\s*3\s*{re.escape(spoken)}"))
