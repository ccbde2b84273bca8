"""Builders for test records; each commits, as a user's earlier request would have."""

from __future__ import annotations

import itertools

import sqlalchemy as sa
from flask.testing import FlaskClient

from tracker.admin.services import seed_default_roles
from tracker.extensions import db
from tracker.models import Contact, Organization, Role, Team, TeamMembership, User

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def seed_roles() -> None:
    seed_default_roles()
    db.session.commit()


def make_user(role: str | None = None, *, email: str | None = None, name: str | None = None,
              teams: tuple[Team, ...] = (), lead_of: tuple[Team, ...] = (),
              password: str = PASSWORD, **fields: object) -> User:
    n = next(_seq)
    user = User(email=email or f"user{n}@test.example", name=name or f"User {n}", **fields)
    user.set_password(password, "pbkdf2:sha256:1000")
    if role:
        user.roles = [db.session.scalar(sa.select(Role).where(Role.name == role))]
    for team in teams:
        user.memberships.append(TeamMembership(team=team, is_lead=team in lead_of))
    db.session.add(user)
    db.session.commit()
    return user


def make_team(name: str | None = None) -> Team:
    team = Team(name=name or f"Team {next(_seq)}")
    db.session.add(team)
    db.session.commit()
    return team


def make_org(kind: str = "partner", name: str | None = None, *, owner: User | None = None,
             team: Team | None = None, **fields: object) -> Organization:
    org = Organization(kind=kind, name=name or f"{kind.title()} {next(_seq)}",
                       owner=owner, team=team, **fields)
    db.session.add(org)
    db.session.commit()
    return org


def make_contact(org: Organization, name: str | None = None, **fields: object) -> Contact:
    contact = Contact(organization=org, name=name or f"Contact {next(_seq)}", **fields)
    db.session.add(contact)
    db.session.commit()
    return contact


def role_users() -> dict[str, User]:
    """admin … auditor, as ``<role>@test.example``; staff roles in team "Alpha"."""
    alpha = make_team("Alpha")
    users = {}
    for role in ("admin", "manager", "partner_manager", "account_manager", "support_agent",
                 "team_member", "auditor"):
        teams = (alpha,) if role in {"partner_manager", "account_manager", "support_agent",
                                     "team_member"} else ()
        users[role] = make_user(role, email=f"{role}@test.example", name=role.title(),
                                teams=teams)
    return users


def sign_in(client: FlaskClient, user: User) -> None:
    """Sign in without the form (the sign-in form has tests of its own)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
