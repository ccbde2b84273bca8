"""Account and role administration writes. Views commit; these never do."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import current_app

from tracker.access import Area, Capability, Level
from tracker.access.defaults import DEFAULT_ROLES
from tracker.extensions import db
from tracker.memberships import State, decode, merge, posted_state, state_of
from tracker.models import Grant, Role, RoleCapability, TeamMembership, User
from tracker.models.user import new_session_token
from tracker.records import ensure_current


def temporary_password() -> str:
    """A readable one-off password the user must change at first sign-in."""
    return "-".join(secrets.token_urlsafe(4) for _ in range(3))


def set_memberships(user: User, wanted: State) -> None:
    """Make the user's teams exactly ``wanted`` (team id -> leads?)."""
    for membership in list(user.memberships):
        if membership.team_id not in wanted:
            user.memberships.remove(membership)
        elif membership.is_lead != wanted[membership.team_id]:
            membership.is_lead = wanted[membership.team_id]
    have = {m.team_id for m in user.memberships}
    for team_id in sorted(wanted.keys() - have):
        user.memberships.append(TeamMembership(team_id=team_id, is_lead=wanted[team_id]))


def apply_user_form(user: User, form: object) -> None:
    """Copy a validated UserForm onto ``user`` (roles, teams, language, zone)."""
    if user.id is not None:
        ensure_current(user, form.version.data)
    user.name = form.name.data.strip()
    user.email = form.email.data.strip().lower()
    user.locale = form.locale.data or None
    user.timezone = form.timezone.data or None
    chosen = set(form.roles.data or [])
    user.roles = list(db.session.scalars(sa.select(Role).where(Role.id.in_(chosen))))
    # Only the teams this form changed: one added meanwhile from the team's side stays.
    current = state_of((m.team_id, m.is_lead) for m in user.memberships)
    set_memberships(user, merge(current, decode(form.teams_loaded.data),
                                posted_state(form.teams.data, form.lead_of.data)))


def create_user(email: str, name: str, role_names: list[str], password: str | None = None,
                must_change: bool = True) -> tuple[User, str]:
    """A new user with the named roles; returns the user and the password it was given."""
    password = password or temporary_password()
    user = User(email=email.strip().lower(), name=name.strip(),
                must_change_password=must_change)
    user.set_password(password, current_app.config["PASSWORD_HASH_METHOD"])
    user.roles = list(db.session.scalars(sa.select(Role).where(Role.name.in_(role_names))))
    db.session.add(user)
    return user, password


def reset_password(user: User) -> str:
    """Give a temporary password; every open session of the user ends."""
    password = temporary_password()
    user.set_password(password, current_app.config["PASSWORD_HASH_METHOD"])
    user.must_change_password = True
    return password


def set_enabled(user: User, enabled: bool) -> None:
    """Deactivate (ending every open session) or reactivate an account."""
    user.is_enabled = enabled
    if not enabled:
        user.session_token = new_session_token()


def apply_grants(role: Role, form: object) -> None:
    """Make the role's grants and capabilities match the matrix form."""
    by_area = {g.area: g for g in role.grants}
    for area in Area:
        read = Level(getattr(form, f"read_{area.value}").data)
        write = min(Level(getattr(form, f"write_{area.value}").data), read)
        grant = by_area.get(area.value)
        if read == Level.NONE and write == Level.NONE:
            if grant is not None:
                role.grants.remove(grant)
            continue
        if grant is None:
            grant = Grant(area=area.value)
            role.grants.append(grant)
        grant.read_level, grant.write_level = int(read), int(write)
    have = {c.name: c for c in role.capabilities}
    for cap in Capability:
        wanted = getattr(form, f"cap_{cap.value}").data
        if wanted and cap.value not in have:
            role.capabilities.append(RoleCapability(name=cap.value))
        elif not wanted and cap.value in have:
            role.capabilities.remove(have[cap.value])


def seed_default_roles() -> list[Role]:
    """Create the seven default roles where missing; existing roles are left as edited.
    Also the access generation's row, should it be missing."""
    from tracker.access.generation import ensure_generation

    ensure_generation(db.session)
    created = []
    existing = {r.name for r in db.session.scalars(sa.select(Role))}
    for name, (label, description, grants, caps) in DEFAULT_ROLES.items():
        if name in existing:
            continue
        role = Role(name=name, label=str(label), description=str(description), is_builtin=True)
        for area, (read, write) in grants.items():
            role.grants.append(Grant(area=area.value, read_level=int(read),
                                     write_level=int(write)))
        for cap in sorted(caps):
            role.capabilities.append(RoleCapability(name=cap.value))
        db.session.add(role)
        created.append(role)
    return created
