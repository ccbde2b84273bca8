"""A user's effective permissions: every role's grants merged, the most permissive wins."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import g

from tracker.access.vocabulary import Area, Capability, Level
from tracker.extensions import db
from tracker.models import Grant, Role, RoleCapability, User, user_roles


@dataclass
class Permissions:
    """Merged grants of one user, with which role gave each level (for "why?")."""

    read: dict[Area, Level] = field(default_factory=dict)
    write: dict[Area, Level] = field(default_factory=dict)
    capabilities: set[Capability] = field(default_factory=set)
    read_from: dict[Area, list[tuple[str, Level]]] = field(default_factory=dict)
    write_from: dict[Area, list[tuple[str, Level]]] = field(default_factory=dict)
    capability_from: dict[Capability, list[str]] = field(default_factory=dict)

    def level(self, area: Area, write: bool = False) -> Level:
        return (self.write if write else self.read).get(area, Level.NONE)

    def has(self, capability: Capability) -> bool:
        return capability in self.capabilities


def _load(user: User) -> Permissions:
    perms = Permissions()
    rows = db.session.execute(
        sa.select(Role.label, Grant.area, Grant.read_level, Grant.write_level)
        .join(Grant, Grant.role_id == Role.id)
        .join(user_roles, user_roles.c.role_id == Role.id)
        .where(user_roles.c.user_id == user.id, Role.archived_at.is_(None))
    )
    for label, area_name, read, write in rows:
        if area_name not in Area._value2member_map_:
            continue
        area = Area(area_name)
        for levels, sources, value in ((perms.read, perms.read_from, read),
                                       (perms.write, perms.write_from, write)):
            level = Level(value)
            if level > Level.NONE:
                sources.setdefault(area, []).append((label, level))
            levels[area] = max(levels.get(area, Level.NONE), level)
    caps = db.session.execute(
        sa.select(Role.label, RoleCapability.name)
        .join(RoleCapability, RoleCapability.role_id == Role.id)
        .join(user_roles, user_roles.c.role_id == Role.id)
        .where(user_roles.c.user_id == user.id, Role.archived_at.is_(None))
    )
    for label, name in caps:
        if name in Capability._value2member_map_:
            perms.capabilities.add(Capability(name))
            perms.capability_from.setdefault(Capability(name), []).append(label)
    return perms


def permissions_of(user: User | None) -> Permissions:
    """The user's merged permissions, computed once per user and request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Permissions()
    cache: dict[int, Permissions] = g.setdefault("_permissions", {})
    if user.id not in cache:
        cache[user.id] = _load(user)
    return cache[user.id]


def forget_permissions(user: User | None = None) -> None:
    """Drop the cached merge (after the user's roles or a role's grants change)."""
    cache = g.get("_permissions", {})
    if user is None:
        cache.clear()
    else:
        cache.pop(user.id, None)
