"""Lists that answer as you use them: page size in the URL (and saved views), empty states
that say what to do next, sortable headers with aria-sort, the board's moves through the
stage route with the partner's version, moves in place, and form rows added in place."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import AuditEvent, Organization, SavedView, Team
from tracker.paging import page_size


def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_page_size_reads_only_the_offered_sizes():
    assert page_size("50", 25) == 50 and page_size("100", 25) == 100
    assert page_size("7", 25) == 25 and page_size("100000", 25) == 25
    assert page_size("x", 25) == 25 and page_size(None, 25) == 25


def test_the_page_size_is_chosen_in_the_url_and_kept_by_a_saved_view(users, login_as):
    db.session.add_all([Organization(kind="client", name=f"Client {i:03d}", team=_alpha())
                        for i in range(60)])
    db.session.commit()
    http = login_as("manager")
    first = _page(http.get("/clients/"))
    assert 'data-testid="page-size"' in first
    assert re.search(r'<a href="[^"]*per=50[^"]*" data-testid="per-50">50</a>', first)
    assert 'aria-current="true" data-testid="per-25"' in first
    names = set(re.findall(r"Client \d{3}", _page(http.get("/clients/?sort=name"))))
    assert len(names) == 25
    wide = _page(http.get("/clients/?sort=name&per=50"))
    assert len(set(re.findall(r"Client \d{3}", wide))) == 50
    assert 'aria-current="true" data-testid="per-50"' in wide
    assert "per=50" in re.search(r'rel="next"[^>]*|href="[^"]*" rel="next"', wide).group(0)
    # a forged size reads as the default
    assert len(set(re.findall(r"Client \d{3}", _page(http.get(
        "/clients/?sort=name&per=5000"))))) == 25
    response = http.post("/views", data={"endpoint": "clients.index", "name": "Fifty",
                                         "query": "sort=name&per=50&after=abc"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(SavedView.query)) == "sort=name&per=50"


def test_the_queue_page_size_and_its_empty_states(users, login_as):
    http = login_as("manager")
    page = _page(http.get("/clients/complaints/?view=all"))
    assert 'data-testid="empty-state"' in page
    assert "No complaints in this view." in page
    assert 'data-testid="empty-clear"' not in page
    assert re.search(r'href="/clients/complaints/new"[^>]*data-testid="empty-action"', page)
    filtered = _page(http.get("/clients/complaints/?view=all&severity=high"))
    assert "No complaints match these filters." in filtered
    assert re.search(r'href="/clients/complaints/\?view=all"[^>]*data-testid="empty-clear"',
                     filtered)
    # someone who may not log complaints is not offered the button
    assert 'data-testid="empty-action"' not in _page(
        login_as("auditor").get("/clients/complaints/?view=all"))
    org = factories.make_org("client", "Harbor", owner=users["account_manager"], team=_alpha())
    for i in range(30):
        factories.make_complaint(org, f"Complaint {i:02d}")
    assert len(set(re.findall(r"Complaint \d\d", _page(
        http.get("/clients/complaints/?view=all"))))) == 25
    assert len(set(re.findall(r"Complaint \d\d", _page(
        http.get("/clients/complaints/?view=all&per=50"))))) == 30


def test_the_queue_filter_form_submits_itself_and_picks_clients(login_as):
    page = _page(login_as("manager").get("/clients/complaints/"))
    form = re.search(r'<form method="get" class="filters".*?</form>', page, re.S).group(0)
    assert 'data-pick-name="client"' in form and 'data-pick-url="/pick/client"' in form
    assert '<button type="submit"' in form  # still there without script


def test_sortable_headers_say_how_the_list_is_sorted(login_as):
    page = _page(login_as("manager").get("/clients/?sort=-name"))
    assert re.search(r'<th aria-sort="descending"><a href="[^"]*sort=name', page)
    assert 'aria-sort="none"' in page


def _board(http) -> str:
    return _page(http.get("/partners/board"))


def test_the_board_cards_carry_the_move_form_with_the_version(users, login_as):
    partner = factories.make_org("partner", "Yuntu", owner=users["partner_manager"],
                                 team=_alpha(), stage="negotiating")
    page = _board(login_as("partner_manager"))
    card = re.search(rf'<article class="board-card" data-movable data-testid="card-{partner.id}">'
                     r".*?</article>", page, re.S).group(0)
    assert 'data-in-place' in card
    assert f'name="version" value="{partner.version}"' in card
    assert 'data-stage="ended" data-needs-reason' in page
    assert "js/board.js" in page and "sortablejs-1.15.7/Sortable.min.js" in page
    # read-only readers see the cards without a way to move them
    auditor = _board(login_as("auditor"))
    assert f'data-testid="card-{partner.id}"' in auditor and "board-move" not in auditor


def test_a_move_from_a_stale_card_is_refused_and_said(users, login_as):
    partner = factories.make_org("partner", "Yuntu", owner=users["partner_manager"],
                                 team=_alpha(), stage="negotiating")
    loaded = partner.version
    http = login_as("partner_manager")
    assert http.post(f"/partners/{partner.id}/stage", data={
        "stage": "terms_agreed", "back": "board", "version": loaded}).status_code == 302
    response = http.post(f"/partners/{partner.id}/stage", data={
        "stage": "active", "back": "board", "version": loaded}, follow_redirects=True)
    page = _page(response)
    assert "was changed by someone else since this page was loaded" in page
    db.session.refresh(partner)
    assert partner.stage == "terms_agreed"
    moves = [e.changes["stage"] for e in db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type == "organizations", AuditEvent.record_id == partner.id)
        .order_by(AuditEvent.id)) if "stage" in e.changes]
    assert moves[-1] == ["negotiating", "terms_agreed"]  # the first is its creation
    # a post without any version is stale too
    http.post(f"/partners/{partner.id}/stage", data={"stage": "active"})
    db.session.refresh(partner)
    assert partner.stage == "terms_agreed"


def test_status_moves_are_marked_to_happen_in_place(users, login_as):
    partner = factories.make_org("partner", "Yuntu", owner=users["partner_manager"],
                                 team=_alpha(), stage="negotiating")
    page = _page(login_as("partner_manager").get(f"/partners/{partner.id}"))
    stage_form = re.search(r'<form[^>]*data-testid="stage-form"[^>]*>.*?</form>', page,
                           re.S).group(0)
    assert "data-in-place" in stage_form
    assert f'name="version" value="{partner.version}"' in stage_form
    client = factories.make_org("client", "Harbor", owner=users["account_manager"],
                                team=_alpha())
    complaint = factories.make_complaint(client, "Late delivery")
    page = _page(login_as("manager").get(f"/clients/complaints/{complaint.id}"))
    assert re.search(r'action="/clients/complaints/\d+/move" data-in-place', page)


def test_htmx_is_configured_for_the_strict_policy(login_as):
    page = _page(login_as("manager").get("/"))
    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', page).group(1)
    assert '"allowEval":false' in config and '"includeIndicatorStyles":false' in config
    # htmx would copy a style attribute (set by a script) onto the new element: refused
    assert '"attributesToSettle":["class","width","height"]' in config
    for script in ("htmx-2.0.11/htmx.min.js", "tom-select-2.6.2/tom-select.complete.min.js",
                   "js/pickers.js", "js/app.js"):
        assert script in page
    assert "<script>" not in page and " style=" not in page


def test_the_round_form_rows_can_grow_in_place(users, login_as):
    partner = factories.make_org("partner", "Yuntu", owner=users["partner_manager"],
                                 team=_alpha(), stage="negotiating")
    page = _page(login_as("partner_manager").get(f"/partners/{partner.id}/rounds/new"))
    assert '<fieldset data-rows=".topic-row"' in page
    assert '<fieldset data-rows=".next-step-row"' in page


def test_an_empty_organization_list_offers_the_next_step(users, login_as):
    http = login_as("manager")
    page = _page(http.get("/clients/?q=nothing-like-this"))
    assert "Nothing matches these filters." in page
    assert re.search(r'href="/clients/\?all=1"[^>]*data-testid="empty-clear"', page)
    assert re.search(r'href="/clients/new"[^>]*data-testid="empty-action"', page)
    page = _page(http.get("/partners/?q=nothing-like-this"))
    assert re.search(r'href="/partners/new"[^>]*data-testid="empty-action"', page)
    assert 'data-testid="empty-action"' not in _page(
        login_as("auditor").get("/partners/?q=nothing-like-this"))


def test_people_fields_are_typed_into(users, login_as):
    page = _page(login_as("manager").get("/clients/complaints/new"))
    assert re.search(r'<select[^>]*data-pick="/pick/person"[^>]*name="assignee_id"', page) or \
        re.search(r'<select[^>]*name="assignee_id"[^>]*data-pick="/pick/person"', page)


def test_the_board_shows_a_columns_first_cards_and_links_the_rest(login_as, monkeypatch):
    from tracker.web.partners import routes

    monkeypatch.setattr(routes, "BOARD_CARDS", 2)
    for name in ("Ayla Freight", "Bora Freight", "Cato Freight"):
        org = factories.make_org("partner", name, team=_alpha())
        org.stage = "negotiating"
    factories.make_org("partner", "Dora Freight", team=_alpha()).stage = "signed"
    db.session.commit()
    page = _page(login_as("admin").get("/partners/board"))
    column = page.split('data-stage="negotiating"', 1)[1].split('data-stage="terms_agreed"')[0]
    assert "Ayla Freight" in column and "Bora Freight" in column
    assert "Cato Freight" not in column  # past the column's cards, by name
    assert 'data-testid="count-negotiating">3<' in page  # the count is of them all
    assert re.search(r'href="/partners/\?stage=negotiating" data-testid="more-negotiating">'
                     r'1 more at this stage in the list<', page)
    assert "Dora Freight" in page and 'data-testid="more-signed"' not in page
