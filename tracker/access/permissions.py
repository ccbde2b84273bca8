"""A user's effective permissions: every role's grants merged, the most permissive wins."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import g
from werkzeug.local import LocalProxy

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
    _key: tuple | None = field(default=None, repr=False, compare=False)

    def level(self, area: Area, write: bool = False) -> Level:
        return (self.write if write else self.read).get(area, Level.NONE)

    def has(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def key(self, user: User) -> tuple:
        """Everything an access clause for ``user`` depends on (kept for the request)."""
        if self._key is None:
            self._key = (user.id, tuple(sorted(user.team_ids)),
                         tuple(sorted((a.value, int(v)) for a, v in self.read.items())),
                         tuple(sorted((a.value, int(v)) for a, v in self.write.items())),
                         tuple(sorted(c.value for c in self.capabilities)))
        return self._key


def _merge(perms: Permissions, grants: object, caps: object) -> Permissions:
    for label, area_name, read, write in grants:
        if area_name not in Area._value2member_map_:
            continue
        area = Area(area_name)
        for levels, sources, value in ((perms.read, perms.read_from, read),
                                       (perms.write, perms.write_from, write)):
            level = Level(value)
            if level > Level.NONE:
                sources.setdefault(area, []).append((label, level))
            levels[area] = max(levels.get(area, Level.NONE), level)
    for label, name in caps:
        if name in Capability._value2member_map_:
            perms.capabilities.add(Capability(name))
            perms.capability_from.setdefault(Capability(name), []).append(label)
    return perms


def _loaded(user: User) -> bool:
    """Whether the user's roles, grants and capabilities are loaded already (no SQL)."""
    state = sa.inspect(user)
    if "roles" in state.unloaded:
        return False
    return all(not {"grants", "capabilities"} & sa.inspect(role).unloaded
               for role in user.roles)


def from_objects(user: User) -> Permissions:
    """The merge of the user's loaded roles (no SQL)."""
    roles = [r for r in user.roles if r.archived_at is None]
    return _merge(Permissions(),
                  [(r.label, g.area, g.read_level, g.write_level) for r in roles for g in r.grants],
                  [(r.label, c.name) for r in roles for c in r.capabilities])


def _load(user: User) -> Permissions:
    kept = user.__dict__.get("kept_access")
    if kept is not None and "roles" not in user.__dict__:
        return kept.permissions  # the signed-in user's, kept by tracker.auth.loader
    if _loaded(user):  # the signed-in user: tracker.auth.loader loaded them with the user
        return from_objects(user)
    rows = db.session.execute(
        sa.select(Role.label, Grant.area, Grant.read_level, Grant.write_level)
        .join(Grant, Grant.role_id == Role.id)
        .join(user_roles, user_roles.c.role_id == Role.id)
        .where(user_roles.c.user_id == user.id, Role.archived_at.is_(None))
    )
    caps = db.session.execute(
        sa.select(Role.label, RoleCapability.name)
        .join(RoleCapability, RoleCapability.role_id == Role.id)
        .join(user_roles, user_roles.c.role_id == Role.id)
        .where(user_roles.c.user_id == user.id, Role.archived_at.is_(None))
    )
    return _merge(Permissions(), list(rows), list(caps))


def permissions_of(user: User | None) -> Permissions:
    """The user's merged permissions, computed once per user and request."""
    if isinstance(user, LocalProxy):  # current_user: one look-up instead of one per attribute
        user = user._get_current_object()
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
