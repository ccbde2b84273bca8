"""The page shell: skip link, the top bar's spoken counts, the access matrix's headers, and
the client page's "Log a call" quick action (the note form, prefilled)."""

from __future__ import annotations

import re

from tests import factories
from tracker.extensions import db
from tracker.models import Notification


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_every_page_starts_with_a_skip_link_to_the_content(login_as):
    page = _page(login_as("manager").get("/"))
    body = page[page.index("<body"):]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'href="#content"' in first_link and 'class="skip-link"' in first_link
    assert '<main class="container" id="content" tabindex="-1">' in page


def test_the_bell_says_what_its_count_counts(login_as, users):
    for n in range(3):
        db.session.add(Notification(user_id=users["support_agent"].id, kind="escalation",
                                    subject=f"Overdue {n}", link="/"))
    db.session.commit()
    page = _page(login_as("support_agent").get("/"))
    bell = re.search(r'<a [^>]*data-testid="notifications"[^>]*>(.*?)</a>', page, re.S).group(1)
    assert '<span class="visually-hidden">Notifications</span>' in bell
    assert ('data-testid="nav-unread">3<span class="visually-hidden"> unread notifications'
            in bell)


def test_the_access_matrix_has_column_and_row_headers(login_as):
    page = _page(login_as("admin").get("/admin/roles"))
    assert '<th scope="col">' in page and '<th scope="row" class="role-cell">' in page
    assert "<th></th>" not in page  # the actions column is named for screen readers


def test_log_a_call_opens_the_note_form_prefilled(login_as, users):
    member = users["account_manager"]
    alpha = member.memberships[0].team
    client = factories.make_org("client", "Acme Retail", owner=member, team=alpha)
    http = login_as(member)
    detail = _page(http.get(f"/clients/{client.id}"))
    assert f'href="/clients/{client.id}/notes/new?kind=call"' in detail
    assert f'href="/clients/{client.id}/notes/new?kind=visit"' in detail

    form = _page(http.get(f"/clients/{client.id}/notes/new?kind=call"))
    assert re.search(r'<option selected value="call">|<option value="call" selected>', form)
    assert 'value="Call with Acme Retail"' in form
    assert re.search(rf'<option selected value="{member.id}">|'
                     rf'<option value="{member.id}" selected>', form)
    visit = _page(http.get(f"/clients/{client.id}/notes/new?kind=visit"))
    assert 'value="Visit to Acme Retail"' in visit
    plain = _page(http.get(f"/clients/{client.id}/notes/new?kind=nonsense"))
    assert re.search(r'<option selected value="update">|<option value="update" selected>', plain)
    assert 'value="Call with' not in plain


def test_log_a_call_reads_in_chinese(login_as, users):
    member = users["account_manager"]
    member.locale = "zh"
    db.session.commit()
    client = factories.make_org("client", "苏州纺织", owner=member,
                                team=member.memberships[0].team)
    http = login_as(member)
    assert "记录通话" in _page(http.get(f"/clients/{client.id}"))
    assert 'value="与苏州纺织通话"' in _page(http.get(f"/clients/{client.id}/notes/new?kind=call"))
