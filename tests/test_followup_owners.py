"""A follow-up goes only to someone who may read the record it comes from.

Every form that gives one (a client requirement's next steps, a complaint's follow-up,
reassigning one, a meeting's or a retrospective's action items, a report's blockers)
offers only those people, refuses a crafted owner on the form (422, a field error in the
user's language), and the services refuse it too (``give_followup``), so no path leaves a
follow-up in someone's day as "a record you cannot see". A follow-up of no record keeps
its rule: any active person.
"""

from __future__ import annotations

import ast
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests import factories
from tracker.access import Action, can, may_own_followup_of
from tracker.clients.complaints.services import add_complaint_followup
from tracker.clients.services import NextStep, RequirementInput, create_requirement
from tracker.extensions import db
from tracker.followups import OwnerMayNotSee, add_followup, give_followup, services
from tracker.followups.services import NewFollowUp, Refused
from tracker.models import (
    AgendaItem,
    FollowUp,
    Meeting,
    ProgressReport,
    Team,
    User,
    utcnow,
)
from tracker.teams.meetings.services import ActionRow, RetroInput, save_retro
from tracker.teams.reports.services import blocker_to_followup

FIELD_ERROR = 'class="field-error"'
REFUSED = "may not see this record"
ROOT = Path(__file__).resolve().parent.parent


def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _page(response) -> str:
    return response.get_data(as_text=True)


def _options(page: str, name: str) -> dict[str, str]:
    """The options of the select ``name``: {value: label} (the blank one left out)."""
    select = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select {name}"
    return {value: label for value, label in re.findall(
        r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)) if value}


def _selected(page: str, name: str) -> str | None:
    select = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    chosen = re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', select.group(1))
    return chosen.group(1) if chosen else None


def _followups() -> list[FollowUp]:
    return list(db.session.scalars(sa.select(FollowUp)))


@pytest.fixture
def client_org(users):
    return factories.make_org("client", "Acme Foods", owner=users["account_manager"],
                              team=_alpha())


@pytest.fixture
def outsider() -> User:
    """A team member of another team: reads Alpha's records not at all."""
    return factories.make_user("team_member", email="beta@test.example", name="Beta Member",
                               teams=(factories.make_team("Beta"),))


# -- the rule ------------------------------------------------------------------------------

def test_the_rule_is_reading_the_source(users, client_org, outsider):
    assert may_own_followup_of(users["account_manager"], client_org)
    assert not may_own_followup_of(users["partner_manager"], client_org)  # no client access
    assert may_own_followup_of(outsider, None)  # a follow-up of no record: anyone active
    outsider.is_enabled = False
    assert not may_own_followup_of(outsider, None)


def test_give_followup_refuses_a_non_reader_and_adds_nothing(users, client_org):
    with pytest.raises(OwnerMayNotSee) as refused:
        give_followup(client_org, "Call", users["partner_manager"].id, date(2026, 3, 9))
    assert refused.value.owner_id == users["partner_manager"].id
    assert "Partner_Manager may not see this record" in str(refused.value)
    with pytest.raises(OwnerMayNotSee):
        give_followup(client_org, "Call", 999_999, date(2026, 3, 9))  # nobody
    assert not any(isinstance(o, FollowUp) for o in db.session.new)
    made = give_followup(client_org, "Call", users["account_manager"].id, date(2026, 3, 9))
    assert made.owner_id == users["account_manager"].id


def test_no_page_or_job_gives_a_followup_but_through_the_check():
    """``add_followup`` stores one as given (tests and the demo's story); everything else
    goes through ``give_followup``, which refuses a non-reader."""
    allowed = {"tracker/followups/sources.py": "defines it; give_followup calls it",
               "tracker/demo/partners.py": "the demo's story names owners who read it"}
    callers = set()
    for path in sorted((ROOT / "tracker").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "add_followup"):
                callers.add(path.relative_to(ROOT).as_posix())
    assert callers - set(allowed) == set(), "call give_followup instead"


# -- a client requirement's next steps ------------------------------------------------------

def test_a_requirements_next_step_goes_only_to_someone_who_sees_the_client(
        users, client_org, login_as):
    http = login_as("account_manager")
    page = _page(http.get(f"/clients/{client_org.id}/requirements/new"))
    offered = _options(page, "next_steps-0-owner_id")
    assert str(users["account_manager"].id) in offered
    assert str(users["partner_manager"].id) not in offered
    assert _selected(page, "next_steps-0-owner_id") == str(users["account_manager"].id)
    response = http.post(f"/clients/{client_org.id}/requirements/new", data={
        "title": "Cold chain", "version": "", "owner_id": users["account_manager"].id,
        "next_steps-0-title": "Send the spec",
        "next_steps-0-owner_id": users["partner_manager"].id,
        "next_steps-0-due_on": "2026-03-09"})
    assert response.status_code == 422
    assert FIELD_ERROR in _page(response) and REFUSED in _page(response)
    assert _followups() == []


def test_a_requirement_refused_in_chinese(users, client_org, login_as):
    users["account_manager"].locale = "zh"
    db.session.commit()
    response = login_as("account_manager").post(
        f"/clients/{client_org.id}/requirements/new", data={
            "title": "Cold chain", "version": "",
            "next_steps-0-title": "Send the spec",
            "next_steps-0-owner_id": users["partner_manager"].id,
            "next_steps-0-due_on": "2026-03-09"})
    assert response.status_code == 422
    assert REFUSED not in _page(response) and "此人无权查看这条记录" in _page(response)


def test_the_requirement_service_refuses_a_non_reader(users, client_org):
    with pytest.raises(OwnerMayNotSee):
        create_requirement(client_org, RequirementInput(title="Cold chain", next_steps=(
            NextStep(title="Send the spec", owner_id=users["partner_manager"].id,
                     due_on=date(2026, 3, 9)),)))
    db.session.rollback()
    assert _followups() == []


# -- a complaint's follow-up ---------------------------------------------------------------

def test_a_complaints_followup_goes_only_to_someone_who_sees_it(users, client_org, login_as):
    complaint = factories.make_complaint(client_org, "Late delivery",
                                         assignee=users["support_agent"])
    assert not can(users["partner_manager"], Action.READ, complaint)
    http = login_as("support_agent")
    page = _page(http.get(f"/clients/complaints/{complaint.id}"))
    offered = _options(page, "owner_id")
    assert str(users["support_agent"].id) in offered
    assert str(users["partner_manager"].id) not in offered
    assert _selected(page, "owner_id") == str(users["support_agent"].id)
    response = http.post(f"/clients/complaints/{complaint.id}/followup", data={
        "title": "Call back", "owner_id": users["partner_manager"].id,
        "due_on": (date.today() + timedelta(days=2)).isoformat()})
    assert response.status_code == 422
    assert FIELD_ERROR in _page(response) and REFUSED in _page(response)
    assert _followups() == []
    with pytest.raises(OwnerMayNotSee):
        add_complaint_followup(complaint, "Call back", users["partner_manager"].id,
                               date.today())


# -- reassigning a follow-up -----------------------------------------------------------------

def test_reassigning_offers_only_the_sources_readers(users, client_org, login_as):
    note = factories.make_round(client_org, "Visit", author=users["account_manager"])
    followup = add_followup(note, "Send the plan", users["account_manager"].id,
                            date(2026, 3, 9), organization=client_org)
    db.session.commit()
    http = login_as("account_manager")
    page = _page(http.get(f"/followups/{followup.id}"))
    offered = _options(page, "owner_id")
    assert str(users["support_agent"].id) in offered
    assert str(users["partner_manager"].id) not in offered
    response = http.post(f"/followups/{followup.id}/reassign", data={
        "version": followup.version, "owner_id": users["partner_manager"].id})
    assert response.status_code == 422
    assert FIELD_ERROR in _page(response) and REFUSED in _page(response)
    db.session.refresh(followup)
    assert followup.owner_id == users["account_manager"].id
    with pytest.raises(Refused, match=REFUSED):
        services.reassign(followup, users["partner_manager"].id, "", users["account_manager"],
                          version=followup.version)


def test_a_followup_of_no_record_still_goes_to_anyone_active(users, login_as):
    followup = services.create(NewFollowUp(title="Book the hall", due_on=date(2026, 3, 9),
                                           owner_id=users["account_manager"].id),
                               users["account_manager"])
    db.session.commit()
    http = login_as("account_manager")
    assert str(users["partner_manager"].id) in _options(
        _page(http.get(f"/followups/{followup.id}")), "owner_id")
    response = http.post(f"/followups/{followup.id}/reassign", data={
        "version": followup.version, "owner_id": users["partner_manager"].id})
    assert response.status_code == 302
    db.session.refresh(followup)
    assert followup.owner_id == users["partner_manager"].id


# -- meeting and retrospective action items --------------------------------------------------

def _meeting_post(users, owner_id: int) -> dict[str, object]:
    return {"title": "Weekly ops", "series": "", "starts_at": "2026-11-23T10:00",
            "organizer_id": users["team_member"].id, "attendees": [users["team_member"].id],
            "items-0-item_id": "", "items-0-title": "Parcel volume",
            "items-0-actions-0-title": "Post the job ad",
            "items-0-actions-0-owner_id": owner_id,
            "items-0-actions-0-due_on": "2026-11-30"}


def test_meeting_action_items_go_only_to_people_who_see_the_meeting(users, login_as,
                                                                       outsider):
    alpha = _alpha()
    http = login_as("team_member")
    page = _page(http.get(f"/teams/{alpha.id}/meetings/new"))
    offered = _options(page, "items-0-actions-0-owner_id")
    assert str(users["team_member"].id) in offered and str(outsider.id) not in offered
    assert str(outsider.id) in _options(page, "organizer_id")  # attending is another matter
    assert _selected(page, "items-0-actions-0-owner_id") == str(users["team_member"].id)
    response = http.post(f"/teams/{alpha.id}/meetings/new",
                         data=_meeting_post(users, outsider.id))
    assert response.status_code == 422
    assert FIELD_ERROR in _page(response) and REFUSED in _page(response)
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0
    assert _followups() == []
    ok = http.post(f"/teams/{alpha.id}/meetings/new",
                   data=_meeting_post(users, users["team_member"].id))
    assert ok.status_code == 302
    assert [f.owner_id for f in _followups()] == [users["team_member"].id]


def test_the_meeting_service_refuses_a_non_reader(users, outsider):
    meeting = Meeting(team=_alpha(), title="Ops", starts_at=utcnow())
    meeting.items.append(AgendaItem(title="Numbers", position=0))
    db.session.add(meeting)
    db.session.commit()
    with pytest.raises(OwnerMayNotSee):
        give_followup(meeting.items[0], "Count", outsider.id, date(2026, 3, 9))


def test_retrospective_actions_too(users, login_as, outsider):
    alpha = _alpha()
    with pytest.raises(OwnerMayNotSee):
        save_retro(alpha, RetroInput(title="Q3", held_on=date(2026, 3, 2), actions=(
            ActionRow(title="Fix the printer", owner_id=outsider.id,
                      due_on=date(2026, 3, 9)),)))
    db.session.rollback()
    http = login_as("team_member")
    page = _page(http.get(f"/teams/{alpha.id}/retros/new"))
    assert str(outsider.id) not in _options(page, "actions-0-owner_id")
    response = http.post(f"/teams/{alpha.id}/retros/new", data={
        "title": "Q3", "held_on": "2026-03-02", "facilitator_id": users["team_member"].id,
        "actions-0-title": "Fix the printer", "actions-0-owner_id": outsider.id,
        "actions-0-due_on": "2026-03-09"})
    assert response.status_code == 422 and REFUSED in _page(response)
    assert _followups() == []


# -- a report's blockers -------------------------------------------------------------------

def test_a_reports_blockers_go_only_to_someone_who_sees_the_report(users, outsider,
                                                                    login_as):
    report = ProgressReport(team=_alpha(), author_id=users["team_member"].id,
                            period_start=date(2026, 3, 2), blockers="The printer")
    db.session.add(report)
    db.session.commit()
    with pytest.raises(OwnerMayNotSee):
        blocker_to_followup(report, outsider.id, date(2026, 3, 9))
    db.session.rollback()
    http = login_as("team_member")
    offered = _options(_page(http.get(f"/teams/reports/{report.id}")), "owner_id")
    assert str(users["team_member"].id) in offered and str(outsider.id) not in offered
    response = http.post(f"/teams/reports/{report.id}/blocker", data={
        "action": "followup", "owner_id": outsider.id, "due_on": "2026-03-09"})
    assert response.status_code == 422
    assert FIELD_ERROR in _page(response) and REFUSED in _page(response)
    assert _followups() == []
    ok = http.post(f"/teams/reports/{report.id}/blocker", data={
        "action": "followup", "owner_id": users["team_member"].id, "due_on": "2026-03-09"})
    assert ok.status_code == 302
