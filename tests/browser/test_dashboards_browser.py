"""A manager opens the complaints dashboard in Chinese, reads it, and clicks a bar through
to the queue behind it: the same complaints, the filters applied (real Chromium, strict
Content-Security-Policy). Screenshots: test-artifacts/dashboard-*.png."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import artifact_path
from tests.factories import PASSWORD, make_complaint, make_org, make_team
from tracker.extensions import db
from tracker.models import utcnow

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def bar_centre(page: Page, chart_id: str, series: int, point: int) -> tuple[float, float]:
    canvas = page.locator(f'[data-chart-id="{chart_id}"]')
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    rect = page.evaluate(
        """([id, series, point]) => {
             const chart = echarts.getInstanceByDom(
               document.querySelector(`[data-chart-id="${id}"]`));
             return chart.getModel().getSeriesByIndex(series).getData().getItemLayout(point);
           }""", [chart_id, series, point])
    return box["x"] + rect["x"] + rect["width"] / 2, box["y"] + rect["y"] + rect["height"] / 2


def test_a_chinese_dashboard_clicks_through_to_its_list(page: Page, users,
                                                        console_errors: list[str]) -> None:
    from tracker.clients.complaints.categories import ensure_defaults

    ensure_defaults()
    desk = make_team("客服一组")
    client = make_org("client", "上海包裹", team=desk)
    now = utcnow()
    for i in range(3):
        make_complaint(client, f"账单金额不符 {i}", category="账单错误", severity="high",
                       received_at=now - timedelta(days=1 + i))
    make_complaint(client, "配送延迟 A", category="配送延迟", received_at=now - timedelta(days=2))
    manager = users["manager"]
    manager.locale = "zh"
    db.session.commit()

    sign_in_zh(page, manager.email)
    page.get_by_test_id("nav-dashboards").click()
    expect(page).to_have_url(re.compile(r"/clients/complaints/dashboard$"))
    expect(page.locator("h1")).to_have_text("投诉仪表盘")
    category = page.get_by_test_id("chart-category")
    expect(category).to_have_attribute("data-chart-drawn", "")
    expect(category.locator("canvas").first).to_be_visible()
    # The numbers beside the chart, in Chinese, each a link to its list.
    category.locator("summary").click()
    expect(category.locator("tbody th")).to_have_text(["账单错误", "配送延迟"])
    page.screenshot(path=artifact_path("dashboard-complaints-zh.png"), full_page=True)

    page.mouse.click(*bar_centre(page, "category", 0, 0))  # 账单错误: three complaints
    expect(page).to_have_url(re.compile(r"/clients/complaints/\?view=all&category=\d+"))
    expect(page.get_by_test_id("count-all")).to_have_text("3")
    expect(page.locator("table.queue tbody tr")).to_have_count(3)
    expect(page.locator("select[name=category] option[selected]")).to_have_text("账单错误")
    expect(page.get_by_test_id("narrowed")).to_contain_text("接收时间")
    page.screenshot(path=artifact_path("dashboard-clicked-zh.png"), full_page=True)
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors
    assert not console_errors, console_errors


def sign_in_zh(page: Page, email: str) -> None:
    page.goto("/auth/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))
