"""Pickers, filters and moves in place in a real browser, under the strict
Content-Security-Policy: a client picked by typing its pinyin initials (Tom Select fed by
/pick/client), the queue's filters applying as they change, participants chosen without
Ctrl-click, a round's rows added and removed in place, and a complaint's status changed
without leaving the page. Screenshots go to test-artifacts/ as lists-*.png."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.browser.conftest import artifact_path
from tests.factories import PASSWORD, make_complaint, make_contact, make_org, make_user
from tracker.extensions import db
from tracker.models import Complaint, Organization, User

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def sign_in(page: Page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))


def type_into_picker(page: Page, field_id: str, text: str) -> None:
    """Open the Tom Select that stands for the select ``field_id`` and type."""
    page.locator(f".ts-wrapper:has(#{field_id}-ts-control) .ts-control").click()
    page.keyboard.type(text, delay=30)


def _bulk_clients(n: int) -> None:
    db.session.add_all([Organization(kind="client", name=f"Bulk client {i:04d}")
                        for i in range(n)])
    db.session.commit()


def test_pick_a_client_by_pinyin_and_filter_the_queue(page: Page, console_errors: list[str],
                                                      users: dict[str, User]) -> None:
    manager = users["manager"]
    _bulk_clients(40)
    qinghe = make_org("client", "青禾科技", owner=manager)
    qinghe_id = qinghe.id
    li_na_id = make_user("team_member", name="李娜").id
    make_complaint(make_org("client", "Harbor Foods", owner=manager), "Harbor's complaint")
    sign_in(page, manager.email)

    # Intake: the client is not among the twenty listed; typing "qh" finds it.
    page.goto("/clients/complaints/new")
    assert page.locator("select#client_id option").count() <= 21
    # The text first: a picker chosen from by a click takes the focus back a moment later
    # (Tom Select reopens on its last search), faster than a person but not than a script.
    page.get_by_label("Subject").fill("Wrong invoice")
    page.get_by_label("What happened").fill("Billed twice for March")
    type_into_picker(page, "client_id", "qh")
    option = page.locator(".ts-dropdown .option", has_text="青禾科技")
    expect(option).to_be_visible()
    page.screenshot(path=artifact_path("lists-picker.png"), full_page=True)
    option.click()
    # People too: "ln" finds 李娜 (the server reads the pinyin initials).
    type_into_picker(page, "assignee_id", "ln")
    page.locator(".ts-dropdown .option", has_text="李娜").click()
    expect(page.get_by_label("Subject")).to_have_value("Wrong invoice")
    expect(page.get_by_label("What happened")).to_have_value("Billed twice for March")
    page.get_by_role("button", name="Log complaint").click()
    expect(page).to_have_url(re.compile(r"/clients/complaints/\d+$"))
    db.session.expire_all()
    assert db.session.execute(sa.select(Complaint.organization_id, Complaint.assignee_id).where(
        Complaint.title == "Wrong invoice")).one() == (qinghe_id, li_na_id)

    # The queue: the client filter picks by typing and applies at once; so does severity.
    page.goto("/clients/complaints/?view=all")
    expect(page.get_by_text("Harbor's complaint")).to_be_visible()
    page.locator("form.filters .ts-control").click()
    page.keyboard.type("qinghe", delay=30)
    page.locator(".ts-dropdown .option", has_text="青禾科技").click()
    expect(page).to_have_url(re.compile(rf"[?&]client={qinghe_id}(&|$)"))
    expect(page.get_by_test_id("chosen-client")).to_contain_text("青禾科技")
    expect(page.get_by_text("Harbor's complaint")).to_have_count(0)
    page.wait_for_load_state("load")  # the script that sends a changed filter has run
    page.locator("form.filters select[name=severity]").select_option("high")
    expect(page).to_have_url(re.compile(r"[?&]severity=high(&|$)"))
    expect(page.get_by_test_id("empty-state")).to_contain_text("No complaints match")
    page.get_by_test_id("empty-clear").click()
    expect(page).to_have_url(re.compile(r"/clients/complaints/\?view=all$"))
    assert console_errors == []


def test_round_rows_and_participants_in_place(page: Page, console_errors: list[str],
                                              users: dict[str, User]) -> None:
    manager = users["manager"]
    partner = make_org("partner", "Yuntu Logistics", owner=manager, stage="negotiating")
    make_contact(partner, "Li Wei 李伟")
    partner_id = partner.id
    sign_in(page, manager.email)
    page.goto(f"/partners/{partner_id}/rounds/new")
    topics = page.locator(".topic-row")
    before = topics.count()
    page.get_by_role("button", name="Add a topic").click()
    expect(topics).to_have_count(before + 1)
    new_subject = topics.last.locator("input[name$='-subject']")
    expect(new_subject).to_be_focused()
    assert new_subject.get_attribute("name") == f"topics-{before}-subject"
    new_subject.fill("Volume discount")
    topics.first.get_by_role("button", name="Remove this row").click()
    expect(topics).to_have_count(before)

    # participants: a few people and contacts are ticked, no Ctrl-click (tracker.web.checklist)
    page.get_by_role("group", name="Our participants").get_by_label(
        "Partner_Manager", exact=True).check()
    page.get_by_role("group", name="Their participants").get_by_label("Li Wei").check()
    page.get_by_label("Kind").select_option(label="Call")
    page.get_by_label("Summary").fill("Volume call")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/partners/rounds/\d+$"))
    expect(page.get_by_text("Volume discount")).to_be_visible()
    expect(page.get_by_text("Partner_Manager").first).to_be_visible()
    assert console_errors == []


def test_a_complaint_status_changes_in_place(page: Page, console_errors: list[str],
                                             users: dict[str, User]) -> None:
    manager = users["manager"]
    complaint = make_complaint(make_org("client", "Harbor Foods", owner=manager), "Late",
                               assignee=manager)
    complaint_id = complaint.id
    sign_in(page, manager.email)
    page.goto(f"/clients/complaints/{complaint_id}")
    page.evaluate("window.stillHere = true")
    page.locator("form[data-in-place] select[name=status]").select_option("acknowledged")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_test_id("complaint-status")).to_have_text("Acknowledged")
    expect(page.locator(".flash-success")).to_be_focused()
    assert page.evaluate("window.stillHere") is True
    assert page.url.endswith(f"/clients/complaints/{complaint_id}")
    db.session.expire_all()
    assert db.session.get(Complaint, complaint_id).status == "acknowledged"
    assert console_errors == []


def test_a_refused_move_in_place_shows_why(page: Page, console_errors: list[str],
                                           users: dict[str, User]) -> None:
    from tracker.records import archive

    manager = users["manager"]
    complaint = make_complaint(make_org("client", "Harbor Foods", owner=manager), "Late",
                               assignee=manager)
    complaint_id = complaint.id
    sign_in(page, manager.email)
    page.goto(f"/clients/complaints/{complaint_id}")
    archive(db.session.get(Complaint, complaint_id))  # gone while the page was open
    db.session.commit()
    page.locator("form[data-in-place] select[name=status]").select_option("acknowledged")
    page.get_by_role("button", name="Change status").click()
    expect(page).to_have_url(re.compile(rf"/clients/complaints/{complaint_id}/move$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("You do not have access")
    db.session.expire_all()
    assert db.session.get(Complaint, complaint_id).status != "acknowledged"
