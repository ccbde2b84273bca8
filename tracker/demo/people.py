"""The demo's people: the default roles, an account per role and colleagues, the teams."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.accounts.services import UserInput, apply_user, create_user, seed_default_roles
from tracker.demo.story import Story
from tracker.extensions import db
from tracker.models import Role
from tracker.teams.services import TeamInput, save_team


def load(story: Story, data: dict) -> None:
    """The roles, then the accounts in the file's order: the first (the administrator)
    by the system, as ``flask users create`` makes it, the others by the administrator;
    then the teams, which the administrator sets up."""
    clock = story.clock
    joined = clock.at(data["users"][0]["joined"])
    with story.step(None, joined):
        seed_default_roles()
    roles = {role.name: role.id for role in db.session.scalars(sa.select(Role))}
    admin = None
    for row in data["users"]:
        joined = clock.at(row["joined"], after=joined)
        with story.step(admin, joined):
            user, _password = create_user(row["email"], row["name"], [], data["password"],
                                          must_change=False)
            apply_user(user, UserInput(name=row["name"], email=row["email"],
                                       locale=row["locale"], timezone=row["timezone"],
                                       role_ids=tuple(roles[name] for name in row["roles"])))
        story.users[user.email] = user
        admin = admin or user
    for row in data["teams"]:
        members = tuple(story.uid(email) for email in (row["lead"], *row["members"]))
        with story.step(admin, clock.at(row["created"])):
            story.teams[row["key"]] = save_team(TeamInput(
                name=row["name"], description=row["description"],
                report_cadence=row["cadence"], members=members, leads=members[:1]))
