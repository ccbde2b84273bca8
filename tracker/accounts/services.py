"""Account and role administration writes.

They take plain values (a form, an import or the CLI turns its input into them) and never
commit: the caller owns the transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app

from tracker.access import Area, Capability, Level
from tracker.access.defaults import DEFAULT_ROLES
from tracker.extensions import db
from tracker.memberships import State, merge, state_of
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


@dataclass(frozen=True, kw_only=True)
class UserInput:
    """An account's details as the administration form, an import or the CLI gives them."""

    name: str
    email: str
    locale: str | None = None  # None: as the browser prefers
    timezone: str | None = None  # None: the organisation's default
    role_ids: tuple[int, ...] = ()
    # Team memberships (tracker.memberships): team id -> leads it?
    teams: State = field(default_factory=dict)
    # The memberships the caller's view was loaded with: only the differences between it
    # and ``teams`` are applied, so a team added meanwhile from the team's side stays.
    # None: ``teams`` is taken as it is.
    teams_loaded: State | None = None


def apply_user(user: User, data: UserInput, *, version: int | str | None = None) -> None:
    """Copy ``data`` onto ``user`` (roles, teams, language, zone).

    ``version`` is the one the caller's view of an existing user had (StaleRecord if
    older); a user not stored yet has none.
    """
    if user.id is not None:
        ensure_current(user, version)
    # No read (the roles, the stored teams, the old role set the assignment loads) may
    # autoflush a half-applied change as a version of its own: one save, one version, one
    # history entry.
    with db.session.no_autoflush:
        roles = list(db.session.scalars(sa.select(Role).where(Role.id.in_(set(data.role_ids)))))
        current = state_of((m.team_id, m.is_lead) for m in user.memberships)
        user.name = data.name.strip()
        user.email = data.email.strip().lower()
        user.locale = data.locale or None
        user.timezone = data.timezone or None
        user.roles = roles
        # Only the teams this form changed: one added meanwhile from the team's side stays.
        set_memberships(user, merge(current, data.teams_loaded, data.teams))


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


@dataclass(frozen=True, kw_only=True)
class AreaGrant:
    """What a role may read and write in one area (``Level`` values)."""

    area: str  # an Area value
    read: int
    write: int  # never more than ``read``


@dataclass(frozen=True, kw_only=True)
class RoleInput:
    """A role and its grant matrix, as the role form, an import or the CLI gives them."""

    name: str  # the key; a built-in role keeps its own
    label: str
    description: str = ""
    grants: tuple[AreaGrant, ...] = ()  # an area left out is granted nothing
    capabilities: tuple[str, ...] = ()  # Capability values


def save_role(role: Role | None, data: RoleInput, *,
              version: int | str | None = None) -> Role:
    """Create a role (``role`` None) or update ``role`` with its grants; returns the role.

    ``version`` is the one the caller's view of an existing role had (StaleRecord if older).
    """
    if role is None:
        role = Role(name=data.name, label=data.label)
        db.session.add(role)
    else:
        ensure_current(role, version)
    # The grants first: they read the role's rows before anything of it changes, so no
    # read autoflushes half a save as a version of its own.
    apply_grants(role, data.grants, data.capabilities)
    if not role.is_builtin:
        role.name = data.name
    role.label = data.label.strip()
    role.description = data.description or ""
    return role


def apply_grants(role: Role, grants: Iterable[AreaGrant], capabilities: Iterable[str]) -> None:
    """Make the role's grants and capabilities exactly these (write capped at read)."""
    levels = {g.area: (g.read, g.write) for g in grants}
    wanted_caps = set(capabilities)
    with db.session.no_autoflush:  # both read before either changes: one flush, one version
        by_area = {g.area: g for g in role.grants}
        have = {c.name: c for c in role.capabilities}
    for area in Area:
        read_level, write_level = levels.get(area.value, (Level.NONE, Level.NONE))
        read = Level(read_level)
        write = min(Level(write_level), read)
        grant = by_area.get(area.value)
        if read == Level.NONE and write == Level.NONE:
            if grant is not None:
                role.grants.remove(grant)
            continue
        if grant is None:
            grant = Grant(area=area.value)
            role.grants.append(grant)
        grant.read_level, grant.write_level = int(read), int(write)
    for cap in Capability:
        wanted = cap.value in wanted_caps
        if wanted and cap.value not in have:
            role.capabilities.append(RoleCapability(name=cap.value))
        elif not wanted and cap.value in have:
            role.capabilities.remove(have[cap.value])


def seed_default_roles() -> list[Role]:
    """Create the seven default roles where missing; existing roles are left as edited.
    Also the change counters' row, should it be missing."""
    from tracker.generations import ensure_row

    ensure_row(db.session)
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
