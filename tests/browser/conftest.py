"""Browser fixtures: the session's app served on a real port, and Chromium driven by Playwright.

The app is the session fixture from ``tests/conftest.py``; its database (a SQLite file or
PostgreSQL) is shared with the server thread. The autouse ``_db`` fixture's app context
lives in the test thread only, so every request the server answers pushes its own context
and its own database session, as in production. Setup data must be committed before the
browser looks at it (the factories commit).

Playwright cannot download its own browsers here, so Debian's Chromium is launched.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, expect, sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic",
]
TIMEOUT_MS = 10_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Each phase's report ("setup", "call", "teardown"), kept on the item for the page fixture.
_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
        item: pytest.Item, call: pytest.CallInfo[None],
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember how each phase went, so the page fixture knows whether to keep a screenshot."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def artifact_path(name: str) -> Path:
    """A file in test-artifacts/ (git-ignored), the directory made on first use."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """Serve the session app on a free port in a daemon thread; yield its base URL.

    CSRF protection is switched on while the browser posts forms (the testing config turns
    it off for the test client), so the real tokens in the real pages are exercised too.
    """
    csrf_before = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        app.config["WTF_CSRF_ENABLED"] = csrf_before


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """Playwright's sync API, once per module."""
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's headless Chromium, once per module (starting it is the slow part)."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                          args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context (no cookies) on the live server; a screenshot if the test fails.

    The context asks for English, so the first page does not depend on the machine's locale.
    """
    context = browser.new_context(base_url=live_server, locale="en-US",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    tab = context.new_page()
    try:
        yield tab
    finally:
        reports = request.node.stash.get(_REPORTS, {})
        if any(r.failed for r in reports.values()):
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
            tab.screenshot(path=artifact_path(f"{name}.png"), full_page=True)
        context.close()


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Console errors and uncaught script errors of ``page``, collected as they happen."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    return errors
