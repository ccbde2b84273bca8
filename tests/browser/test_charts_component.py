"""The chart component (templates/_macros/charts.html, static/js/charts.js) in a real browser.

A page of one chart of each kind, served by the app under its strict Content-Security-Policy,
is drawn by the vendored ECharts: each draws a canvas, nothing breaks the policy (the
tooltip included), a linked bar shows the pointer and a click on it follows its link, and the
numbers are in a table for those who do not see the canvas. The page is shown in English and
in Chinese; screenshots are left in test-artifacts/ as charts-*.png.

The page is test-only: a blueprint on a second app built like the session app and on its
database, as routes cannot be added to the session app once it has served a request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Blueprint, Flask, render_template_string, request
from flask_babel import get_locale
from playwright.sync_api import Browser, Locator, Page, expect

from config import TestingConfig
from tests.browser.conftest import TIMEOUT_MS, artifact_path
from tracker import create_app
from tracker.extensions import db
from tracker.urls import url_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PAGE = """{% extends "base.html" %}
{% from "_macros/charts.html" import chart, chart_assets %}
{% block title %}Charts{% endblock %}
{% block scripts %}{{ chart_assets() }}{% endblock %}
{% block content %}
<h1>Charts</h1>
<div class="chart-grid">
{% for c in charts %}{{ chart(c.id, c.title, c.spec) }}{% endfor %}
</div>
{% endblock %}
"""

# Each text as (English, Chinese): the page speaks the reader's language.
WORDS = {
    "months": (["Jan", "Feb", "Mar", "Apr", "May", "Jun"],
               ["1月", "2月", "3月", "4月", "5月", "6月"]),
    "received": ("Received", "收到"), "resolved": ("Resolved", "已解决"),
    "hours": ("Hours to resolve", "解决时长"),
    "teams": (["Support East", "Support West", "Key accounts", "Partners desk"],
              ["华东支持组", "华西支持组", "大客户组", "合作伙伴组"]),
    "open": ("Open", "未结"),
    "severities": (["Low", "Medium", "High"], ["低", "中", "高"]),
    "sources": (["Email", "Phone", "Web form", "Partner"],
                ["邮件", "电话", "网页表单", "合作伙伴"]),
    "complaints": ("Complaints", "投诉"),
    "stages": (["Lead", "Qualified", "Proposal", "Won"], ["线索", "已确认", "方案", "成交"]),
    "deals": ("Deals", "商机"),
}


def word(key: str) -> Any:
    return WORDS[key][1 if get_locale().language == "zh" else 0]


def links(series: str, count: int, skip: tuple[int, ...] = ()) -> list[str | None]:
    return [None if i in skip else url_for("charts_demo.clicked", series=series, point=i)
            for i in range(count)]


def charts() -> list[dict[str, Any]]:
    months, teams, severities = word("months"), word("teams"), word("severities")
    return [
        {"id": "received", "title": "bar", "spec": {
            "type": "bar", "categories": months,
            "series": [
                {"name": word("received"), "data": [3, 5, 2, 8, 6, 4],
                 "links": links("received", 6)},
                # Mar has no link: its bar keeps the arrow.
                {"name": word("resolved"), "data": [2, 4, 3, 6, 5, 5],
                 "links": links("resolved", 6, skip=(2,))},
            ]}},
        {"id": "hours", "title": "line", "spec": {
            "type": "line", "categories": months, "unit": "h",
            "series": [{"name": word("hours"), "data": [12.5, 9, None, 7.25, 8, 6]}]}},
        {"id": "teams", "title": "hbar", "spec": {
            "type": "hbar", "categories": teams,
            "series": [{"name": word("open"), "data": [14, 9, 4, 7],
                        "links": links("open", 4)}]}},
        {"id": "severity", "title": "stacked", "spec": {
            "type": "stacked", "categories": months[:4],
            "series": [{"name": name, "data": data}
                       for name, data in zip(severities, ([5, 3, 4, 6], [2, 4, 2, 3],
                                                          [1, 0, 2, 1]), strict=True)]}},
        {"id": "sources", "title": "pie", "spec": {
            "type": "pie", "categories": word("sources"), "unit": "",
            "series": [{"name": word("complaints"), "data": [18, 11, 7, 0],
                        "links": links("complaints", 4)}]}},
        {"id": "pipeline", "title": "funnel", "spec": {
            "type": "funnel", "categories": word("stages"),
            "series": [{"name": word("deals"), "data": [1240, 610, 290, 85]}]}},
        {"id": "quiet", "title": "empty", "spec": {
            "type": "bar", "categories": months,
            "series": [{"name": word("received"), "data": [0, 0, None, 0, 0, 0]}]}},
    ]


demo = Blueprint("charts_demo", __name__)


@demo.get("/_charts")
def charts_page() -> str:
    return render_template_string(PAGE, charts=charts())


@demo.get("/_charts/clicked")
def clicked() -> str:
    return f"clicked {request.args['series']} {request.args['point']}"


@pytest.fixture(scope="module")
def app(app: Flask) -> Iterator[Flask]:
    """The session app's twin, on the same database, with the demo page."""
    keep = ("SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS", "INSTANCE_PATH",
            "UPLOAD_FOLDER")
    twin = create_app(TestingConfig, **{key: app.config[key] for key in keep})
    twin.register_blueprint(demo)
    yield twin
    with twin.app_context():
        db.engine.dispose()


# Every Content-Security-Policy violation of the page, kept where the test can read it
# (Playwright injects this through the DevTools protocol, which the policy does not govern).
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
});
"""


def figure(page: Page, chart_id: str) -> Locator:
    return page.get_by_test_id(f"chart-{chart_id}")


def open_charts(page: Page) -> None:
    page.add_init_script(WATCH_CSP)
    response = page.goto("/_charts")
    assert response is not None and response.ok
    assert "script-src 'self'" in response.headers["content-security-policy"]
    for chart in ("received", "hours", "teams", "severity", "sources", "pipeline"):
        expect(figure(page, chart).locator(".chart-canvas canvas").first).to_be_visible()
        expect(figure(page, chart)).to_have_attribute("data-chart-drawn", "")


def bar_centre(page: Page, chart_id: str, series: int, point: int) -> tuple[float, float]:
    """Where a bar is on the page, from the layout ECharts gave it."""
    canvas = figure(page, chart_id).locator(".chart-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    rect = page.evaluate(
        """([id, series, point]) => {
             const el = document.querySelector(`[data-chart-id="${id}"]`);
             const chart = echarts.getInstanceByDom(el);
             return chart.getModel().getSeriesByIndex(series).getData().getItemLayout(point);
           }""", [chart_id, series, point])
    return box["x"] + rect["x"] + rect["width"] / 2, box["y"] + rect["y"] + rect["height"] / 2


def cursor(page: Page, chart_id: str) -> str:
    """The cursor ECharts shows over the chart (set on its root element)."""
    return page.locator(f'[data-chart-id="{chart_id}"] > div').first.evaluate(
        "el => el.style.cursor")


def axis_label(page: Page, value: float) -> str:
    """How the hours chart writes ``value`` on its axis."""
    return page.evaluate("""value => echarts.getInstanceByDom(
        document.querySelector('[data-chart-id="hours"]')).getOption().yAxis[0]
        .axisLabel.formatter(value)""", value)


def csp_violations(page: Page, console_errors: list[str]) -> list[str]:
    return page.evaluate("window.__csp") + [
        e for e in console_errors if "Content Security Policy" in e]


def test_charts_draw_under_the_policy_and_a_click_follows_the_link(
        page: Page, console_errors: list[str]) -> None:
    open_charts(page)

    # The empty chart says so, with neither canvas nor table.
    expect(figure(page, "quiet").locator(".chart-empty")).to_have_text(
        "Nothing to show for this period.")
    expect(figure(page, "quiet").locator("canvas, table")).to_have_count(0)

    # The canvas is hidden from assistive technology; the table has the numbers and links.
    received = figure(page, "received")
    expect(received.locator(".chart-canvas")).to_have_attribute("aria-hidden", "true")
    expect(received.locator("table")).not_to_be_visible()
    received.get_by_text("Show the numbers").click()
    table = received.locator("table")
    expect(table).to_be_visible()
    expect(table.locator("thead th")).to_have_text(["Received", "Resolved"])
    expect(table.locator("tbody th")).to_have_text(["Jan", "Feb", "Mar", "Apr", "May", "Jun"])
    expect(table.locator("tbody tr").nth(5).locator("td")).to_have_text(["4", "5"])
    expect(table.get_by_role("link", name="8")).to_have_attribute(
        "href", "/_charts/clicked?series=received&point=3")
    expect(table.locator("tbody tr").nth(2).locator("td").nth(1).locator("a")).to_have_count(0)
    expect(figure(page, "hours").locator("tbody tr").nth(0).locator("td")).to_have_text("12.5 h")
    expect(figure(page, "hours").locator("tbody tr").nth(2).locator("td")).to_have_text("—")
    expect(figure(page, "pipeline").locator("tbody td").first).to_have_text("1,240")

    # Numbers on the canvas are formatted in the page's language, with the unit.
    assert axis_label(page, 1234.5) == "1,234.5 h"

    # Hovering shows the tooltip, and the pointer only over a point with a link.
    page.mouse.move(*bar_centre(page, "received", 1, 2))
    assert cursor(page, "received") == "default"
    page.mouse.move(*bar_centre(page, "teams", 0, 1))
    assert cursor(page, "teams") == "pointer"
    page.mouse.move(*bar_centre(page, "received", 0, 3))
    assert cursor(page, "received") == "pointer"
    # The tooltip is text on the canvas; the chart's element holds zrender's alone.
    page.wait_for_function("""() => {
        const texts = new Map();  // each text element's spans, joined
        echarts.getInstanceByDom(document.querySelector('[data-chart-id="received"]'))
          .getZr().storage.getDisplayList(true).filter(el => el.type === "tspan")
          .forEach(el => texts.set(el.parent, (texts.get(el.parent) || "") + el.style.text));
        return [...texts.values()].some(text => text.includes("Apr") && text.includes("Received"));
      }""")
    expect(received.locator(".chart-canvas > *")).to_have_count(1)

    assert not console_errors, console_errors
    assert not csp_violations(page, console_errors)
    page.screenshot(path=artifact_path("charts-en.png"), full_page=True)

    # Narrower window, one column: the chart follows its box.
    page.set_viewport_size({"width": 480, "height": 900})
    page.wait_for_function("""() => {
        const box = document.querySelector('[data-chart-id="received"]');
        const canvas = box.querySelector("canvas");
        return box.clientWidth < 450 && canvas.clientWidth === box.clientWidth; }""")

    page.mouse.click(*bar_centre(page, "received", 0, 3))
    expect(page).to_have_url(re.compile(r"/_charts/clicked\?series=received&point=3$"))
    expect(page.locator("body")).to_have_text("clicked received 3")


def test_charts_in_chinese(browser: Browser, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, locale="zh-CN",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
        open_charts(page)
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
        expect(figure(page, "teams").locator("tbody th")).to_have_text(
            ["华东支持组", "华西支持组", "大客户组", "合作伙伴组"])
        assert axis_label(page, 1234.5) == "1,234.5 h"
        page.mouse.move(*bar_centre(page, "teams", 0, 0))
        assert cursor(page, "teams") == "pointer"
        page.screenshot(path=artifact_path("charts-zh.png"), full_page=True)
        assert not errors, errors
        assert not csp_violations(page, errors)
    finally:
        context.close()
