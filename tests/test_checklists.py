"""Participants without Ctrl-click (issue 14): a short multiple choice (a partner's
contacts, the people of a small organization) is a list of checkboxes that works without
JavaScript; a long one stays a multi-select that pickers.js turns into a typed picker."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import Conversation, Team
from tracker.web.checklist import CHECKLIST_MAX


def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_a_partners_few_contacts_are_ticked_boxes_and_posted_as_such(users, login_as):
    partner = factories.make_org("partner", "Yuntu", owner=users["partner_manager"],
                                 team=_alpha(), stage="negotiating")
    wang = factories.make_contact(partner, "Wang Fang")
    factories.make_contact(partner, "Li Lei")
    http = login_as("partner_manager")
    page = _page(http.get(f"/partners/{partner.id}/rounds/new"))
    group = re.search(r'<fieldset class="checklist" id="their_people">.*?</fieldset>', page,
                      re.S).group(0)
    assert "<legend>Their participants</legend>" in group
    assert f'<input type="checkbox" name="their_people" value="{wang.id}"' in group
    assert '<select multiple' not in group and 'name="their_people"' not in page.replace(
        group, "")
    assert 'js/pickers.js' in page  # still there for the long lists
    me = users["partner_manager"]
    response = http.post(f"/partners/{partner.id}/rounds/new", data={
        "kind": "meeting", "occurred_at": "2026-03-02T10:00", "title": "Fees",
        "their_people": [str(wang.id)], "our_people": [str(me.id)]})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    talk = db.session.scalar(sa.select(Conversation).where(Conversation.title == "Fees"))
    assert [c.name for c in talk.their_people] == ["Wang Fang"]
    assert [p.id for p in talk.our_people] == [me.id]
    # ticked again on the edit page
    edit = _page(http.get(f"/partners/rounds/{talk.id}/edit"))
    assert re.search(rf'name="their_people" value="{wang.id}" id="their_people-\d+" checked',
                     edit)


def test_a_long_list_stays_a_multi_select_for_the_picker(users, login_as):
    partner = factories.make_org("partner", "Yuntu", owner=users["partner_manager"],
                                 team=_alpha(), stage="negotiating")
    for i in range(CHECKLIST_MAX + 1):
        factories.make_contact(partner, f"Contact {i:02d}")
    page = _page(login_as("partner_manager").get(f"/partners/{partner.id}/rounds/new"))
    assert re.search(r'<select[^>]*multiple[^>]*name="their_people"|'
                     r'<select[^>]*name="their_people"[^>]*multiple', page)
    assert 'id="their_people-0"' not in page
    # pickers.js turns every plain multi-select into a picker, and leaves checkboxes be
    with open("tracker/static/js/pickers.js", encoding="utf-8") as script:
        assert 'select[multiple]:not([data-pick]):not([data-plain])' in script.read()


def test_meeting_attendees_are_ticked_boxes_when_few(users, login_as):
    team = _alpha()
    page = _page(login_as("admin").get(f"/teams/{team.id}/meetings/new"))
    group = re.search(r'<fieldset class="checklist" id="attendees">.*?</fieldset>', page,
                      re.S).group(0)
    assert "<legend>Attendees</legend>" in group
    assert group.count('type="checkbox" name="attendees"') == len(re.findall(
        r'name="attendees"', group))
