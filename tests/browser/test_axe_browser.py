"""axe-core over the main pages, in English and in Chinese: no serious or critical
violations. axe is the vendored copy (tracker/static/vendor/axe-core-4.14.1), loaded from
the app's own static files so the strict Content-Security-Policy stays on.

One signed-in context per language; the administrator sees every page. The phone layout
(390 px, the menu open, complaint rows as cards) is checked too.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.factories import (
    PASSWORD,
    make_agreement,
    make_complaint,
    make_contact,
    make_org,
    make_round,
)
from tracker.extensions import db
from tracker.models import FollowUp, Notification, User

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

AXE = "/static/vendor/axe-core-4.14.1/axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  if (!result.passes.length) { return [{id: "axe checked nothing"}]; }
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}"""


def violations(page: Page, path: str) -> list[dict]:
    """The serious and critical violations axe finds on ``path``."""
    response = page.goto(path)
    assert response and response.ok, (path, response and response.status)
    page.add_script_tag(url=AXE)
    return page.evaluate(RUN_AXE)


@pytest.fixture
def pages(users: dict[str, User]) -> list[str]:
    """A record of each kind, so every main page has something on it."""
    admin, manager = users["admin"], users["manager"]
    alpha = users["team_member"].memberships[0].team
    partner = make_org("partner", "Hangzhou Freight 杭州货运", owner=manager, team=alpha,
                       stage="negotiating")
    contact = make_contact(partner, "Li Wei 李伟")
    make_round(partner, "Pricing workshop 价格谈判", author=manager, our_people=(manager,),
               their_people=[contact])
    make_agreement(partner, "Freight cooperation 2026", owner=manager, status="proposed")
    client = make_org("client", "Suzhou Textiles 苏州纺织", owner=manager, team=alpha)
    make_contact(client, "Zhang Min 张敏")
    complaint = make_complaint(client, "Parcel arrived warm 包裹温度过高", severity="high")
    make_complaint(client, "Invoice twice", severity="critical", assignee=admin)
    db.session.add(FollowUp(title="Send the price sheet", owner_id=admin.id, created_by_id=admin.id,
                            source_type="manual", source_id=0,
                            due_on=date.today() - timedelta(days=1)))
    db.session.add(Notification(user_id=admin.id, kind="escalation",
                                subject="Deadline passed 已超时", link="/"))
    db.session.commit()
    return ["/", "/followups/", "/partners/", f"/partners/{partner.id}", "/clients/",
            f"/clients/{client.id}", "/clients/complaints/",
            f"/clients/complaints/{complaint.id}", f"/clients/complaints/{complaint.id}/edit",
            "/admin/complaint-deadlines", "/teams/", "/search?q=Freight",
            "/notifications", "/admin/users", "/admin/roles"]


def sign_in(page: Page, user: User, locale: str) -> None:
    user.locale = locale
    db.session.commit()
    page.goto("/auth/login")
    page.locator("input[name=email]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans" if locale == "zh" else "en")


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_main_pages_pass_axe(page: Page, users: dict[str, User], pages: list[str],
                             locale: str) -> None:
    sign_in(page, users["admin"], locale)
    found = {path: v for path in pages if (v := violations(page, path))}
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


def test_phone_layout_passes_axe(page: Page, users: dict[str, User], pages: list[str]) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, users["admin"], "zh")
    found = {}
    for path in ("/clients/complaints/", pages[5], pages[3]):
        if v := violations(page, path):
            found[path] = v
    page.get_by_test_id("topbar-menu").locator("> summary").click()
    page.add_script_tag(url=AXE)
    if v := page.evaluate(RUN_AXE):
        found["menu open"] = v
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)
