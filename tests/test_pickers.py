"""Pickers that scale: /pick/<kind> offers only what the reader may see (pinyin too), and
the pages that choose a client write the chosen one and a short list, never every client."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import Complaint, Organization, Team


def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _names(response) -> list[str]:
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    return [item["text"] for item in response.get_json()]


def _many_clients(n: int, prefix: str = "Bulk client") -> None:
    db.session.add_all([Organization(kind="client", name=f"{prefix} {i:05d}")
                        for i in range(n)])
    db.session.commit()


def test_clients_are_found_by_name_and_pinyin(users, login_as):
    factories.make_org("client", "青禾科技", owner=users["account_manager"], team=_alpha())
    factories.make_org("client", "Harbor Foods", owner=users["account_manager"], team=_alpha())
    http = login_as("manager")
    assert _names(http.get("/pick/client?q=qh")) == ["青禾科技"]
    assert _names(http.get("/pick/client?q=qinghe")) == ["青禾科技"]
    assert _names(http.get("/pick/client?q=青禾")) == ["青禾科技"]
    assert _names(http.get("/pick/client?q=arbo")) == ["Harbor Foods"]  # inside a word
    assert _names(http.get("/pick/client?q=")) == []
    item = http.get("/pick/client?q=harbor").get_json()[0]
    assert item["value"] == str(db.session.scalar(
        sa.select(Organization.id).where(Organization.name == "Harbor Foods")))


def test_a_picker_offers_only_what_the_reader_may_see(users, login_as):
    beta = factories.make_team("Beta")
    outsider = factories.make_user("account_manager", teams=(beta,))
    factories.make_org("client", "Alpha Mart", owner=users["account_manager"], team=_alpha())
    factories.make_org("client", "Beta Mart", owner=outsider, team=beta)
    assert _names(login_as("account_manager").get("/pick/client?q=mart")) == ["Alpha Mart"]
    assert sorted(_names(login_as("manager").get("/pick/client?q=mart"))) == [
        "Alpha Mart", "Beta Mart"]
    # No clients at all for a partner manager: the kind is not theirs.
    assert login_as("partner_manager").get("/pick/client?q=mart").status_code == 404
    assert login_as("manager").get("/pick/nothing?q=mart").status_code == 404


def test_contacts_are_picked_within_their_organization(users, login_as):
    one = factories.make_org("client", "One Co", owner=users["account_manager"], team=_alpha())
    two = factories.make_org("client", "Two Co", owner=users["account_manager"], team=_alpha())
    factories.make_contact(one, "张伟")
    factories.make_contact(two, "Zhang Li")
    http = login_as("manager")
    assert _names(http.get(f"/pick/contact?q=zhang&org={one.id}")) == ["张伟"]
    assert sorted(_names(http.get("/pick/contact?q=zhang"))) == ["Zhang Li", "张伟"]


def test_people_are_found_by_pinyin_initials(users, login_as):
    factories.make_user("team_member", name="李娜")
    assert "李娜" in _names(login_as("manager").get("/pick/person?q=ln"))
    assert login_as("manager").get("/pick/person?q=").get_json() == []


def test_at_most_a_dozen_are_offered(users, login_as):
    _many_clients(40)
    assert len(_names(login_as("manager").get("/pick/client?q=bulk"))) == 12


def _intake_options(page: str) -> list[str]:
    select = re.search(r'<select[^>]*name="client_id".*?</select>', page, re.S).group(0)
    assert 'data-pick="/pick/client"' in select
    return re.findall(r'<option value="(\d+)"', select)


def test_the_intake_form_lists_a_short_list_and_accepts_any_visible_client(users, login_as):
    _many_clients(60)
    far = factories.make_org("client", "Zzz Far Away", owner=users["account_manager"],
                             team=_alpha())
    http = login_as("manager")
    page = http.get("/clients/complaints/new").get_data(as_text=True)
    assert len(_intake_options(page)) == 20
    # Not on the short list, found by typing: the form takes it.
    form = {"client_id": far.id, "title": "Late", "description": "Late twice",
            "channel": "phone", "severity": "medium"}
    response = http.post("/clients/complaints/new", data=form)
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Complaint.organization_id)) == far.id


def test_the_intake_form_refuses_a_client_the_reader_may_not_see(users, login_as):
    other = factories.make_team("Beta")
    hidden = factories.make_org("client", "Hidden Co", team=other)
    factories.make_org("client", "Seen Co", owner=users["account_manager"], team=_alpha())
    response = login_as("account_manager").post("/clients/complaints/new", data={
        "client_id": hidden.id, "title": "Late", "description": "Late twice",
        "channel": "phone", "severity": "medium"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'class="field-error"' in page and "Hidden Co" not in page
    assert db.session.scalar(sa.select(sa.func.count(Complaint.id))) == 0


def _weight(http, url: str) -> int:
    response = http.get(url)
    assert response.status_code == 200
    return len(response.get_data())


def test_the_queue_and_intake_pages_do_not_grow_with_the_number_of_clients(users, login_as):
    """At 200,000 clients the queue weighed 9.7 MB: a filter listed every client."""
    http = login_as("manager")
    _many_clients(30, "First batch")
    queue, intake = _weight(http, "/clients/complaints/"), _weight(http, "/clients/complaints/new")
    _many_clients(300, "Second batch")
    assert _weight(http, "/clients/complaints/") <= queue + 200
    assert _weight(http, "/clients/complaints/new") <= intake + 200
    page = http.get("/clients/complaints/").get_data(as_text=True)
    assert "Second batch" not in page and "First batch" not in page


def test_the_complaint_edit_form_lists_a_short_list_with_its_own_client(users, login_as):
    old = factories.make_org("client", "Aaa Oldest", owner=users["account_manager"],
                             team=_alpha())
    complaint = factories.make_complaint(old, "Late")
    _many_clients(60)
    http = login_as("manager")
    page = http.get(f"/clients/complaints/{complaint.id}/edit").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="organization_id".*?</select>', page, re.S).group(0)
    assert 'data-pick="/pick/client"' in select
    values = re.findall(r'<option value="(\d+)"', select)
    assert str(old.id) in values and len(values) <= 21
    assert re.search(rf'<option value="{old.id}" selected>', select)


def test_a_partner_manager_picks_partner_contacts_not_client_ones(users, login_as):
    partner = factories.make_org("partner", "Yuntu", owner=users["partner_manager"],
                                 team=_alpha())
    client = factories.make_org("client", "Harbor", owner=users["account_manager"],
                                team=_alpha())
    factories.make_contact(partner, "Wang Fang")
    factories.make_contact(client, "Wang Lei")
    assert _names(login_as("partner_manager").get("/pick/contact?q=wang")) == ["Wang Fang"]
    assert _names(login_as("partner_manager").get("/pick/partner?q=yuntu")) == ["Yuntu"]
