"""Nothing lost: forms that edit the same thing from two sides, or a record another person
changed meanwhile, merge only what they changed or are refused with a 409."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.memberships import decode, encode, merge
from tracker.models import Team, TeamMembership, User


def _hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page)
    assert match, f"no hidden {name}"
    return match.group(1)


def _members(team: Team) -> dict[int, bool]:
    db.session.expire_all()
    return {m.user_id: m.is_lead for m in db.session.scalars(
        sa.select(TeamMembership).where(TeamMembership.team_id == team.id))}


def test_merge_applies_only_what_the_form_changed():
    current = {1: False, 2: True, 3: False}  # 3 was added meanwhile elsewhere
    loaded = {1: False, 2: True}
    posted = {1: True}  # this form made 1 a lead and removed 2
    assert merge(current, loaded, posted) == {1: True, 3: False}
    assert merge(current, None, posted) == posted  # an old form without its loaded state
    assert decode(encode({5: True, 7: False})) == {5: True, 7: False}
    assert decode("") == {} and decode(None) is None and decode("x:lead") is None


def test_team_form_keeps_a_member_added_meanwhile_from_the_users_form(login_as, users):
    team = factories.make_team("Gamma")
    first, second = users["team_member"], users["support_agent"]
    db.session.add(TeamMembership(team_id=team.id, user_id=first.id))
    db.session.commit()
    manager, admin = login_as("manager"), login_as("admin")

    team_page = manager.get(f"/teams/{team.id}/edit").get_data(as_text=True)
    # Meanwhile the administrator adds the second person to Gamma from their user form.
    user_page = admin.get(f"/admin/users/{second.id}/edit").get_data(as_text=True)
    teams = [m.team_id for m in second.memberships] + [team.id]
    assert admin.post(f"/admin/users/{second.id}/edit", data={
        "name": second.name, "email": second.email, "roles": [r.id for r in second.roles],
        "teams": teams, "locale": "", "timezone": "",
        "version": _hidden(user_page, "version"),
        "teams_loaded": _hidden(user_page, "teams_loaded")}).status_code == 302
    assert _members(team) == {first.id: False, second.id: False}

    # The team form, loaded before that, makes the first member a lead and saves.
    response = manager.post(f"/teams/{team.id}/edit", data={
        "name": "Gamma", "description": "", "report_cadence": "weekly",
        "members": [first.id], "leads": [first.id],
        "version": _hidden(team_page, "version"),
        "members_loaded": _hidden(team_page, "members_loaded")})
    assert response.status_code == 302
    assert _members(team) == {first.id: True, second.id: False}  # nobody removed


def test_users_form_keeps_a_team_added_meanwhile_from_the_team_form(login_as, users):
    person = users["team_member"]
    gamma = factories.make_team("Gamma")
    alpha_id = next(m.team_id for m in person.memberships)
    admin, manager = login_as("admin"), login_as("manager")
    user_page = admin.get(f"/admin/users/{person.id}/edit").get_data(as_text=True)
    team_page = manager.get(f"/teams/{gamma.id}/edit").get_data(as_text=True)
    assert manager.post(f"/teams/{gamma.id}/edit", data={
        "name": "Gamma", "description": "", "report_cadence": "weekly",
        "members": [person.id], "version": _hidden(team_page, "version"),
        "members_loaded": _hidden(team_page, "members_loaded")}).status_code == 302

    # The user form, loaded before, changes the language and leads Alpha.
    assert admin.post(f"/admin/users/{person.id}/edit", data={
        "name": person.name, "email": person.email, "roles": [r.id for r in person.roles],
        "teams": [alpha_id], "lead_of": [alpha_id], "locale": "zh", "timezone": "",
        "version": _hidden(user_page, "version"),
        "teams_loaded": _hidden(user_page, "teams_loaded")}).status_code == 302
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert {m.team_id: m.is_lead for m in person.memberships} == {alpha_id: True,
                                                                  gamma.id: False}
    assert person.locale == "zh"


def test_own_settings_loaded_before_an_admins_change_are_refused(login_as, users):
    person = users["team_member"]
    mine = login_as(person)
    page = mine.get("/auth/settings").get_data(as_text=True)
    admin = login_as("admin")
    user_page = admin.get(f"/admin/users/{person.id}/edit").get_data(as_text=True)
    assert admin.post(f"/admin/users/{person.id}/edit", data={
        "name": "Name From Admin", "email": person.email,
        "roles": [r.id for r in person.roles],
        "teams": [m.team_id for m in person.memberships], "locale": "", "timezone": "",
        "version": _hidden(user_page, "version"),
        "teams_loaded": _hidden(user_page, "teams_loaded")}).status_code == 302

    stale = mine.post("/auth/settings", data={
        "name": person.name, "locale": "zh", "timezone": "", "digest_hour": "8",
        "version": _hidden(page, "version")})
    assert stale.status_code == 409
    text = stale.get_data(as_text=True)
    assert "Someone else changed this record" in text and "Name From Admin" in text
    db.session.expire_all()
    assert db.session.get(User, person.id).name == "Name From Admin"
    again = mine.post("/auth/settings", data={
        "name": "Name From Admin", "locale": "zh", "timezone": "", "digest_hour": "8",
        "version": _hidden(text, "version")})
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, person.id).locale == "zh"
