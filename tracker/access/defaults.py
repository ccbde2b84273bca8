"""The seven default roles and their grants, seeded by migrations-time commands and tests."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from tracker.access.vocabulary import Area, Capability, Level

N, OWN, T, A = Level.NONE, Level.OWN, Level.TEAM, Level.ALL

# role name -> (label, description, {area: (read, write)}, capabilities)
DEFAULT_ROLES: dict[str, tuple] = {
    "admin": (
        _l("Administrator"),
        _l("Runs the system: every area, every capability."),
        {area: (A, A) for area in Area},
        set(Capability),
    ),
    "manager": (
        _l("Operations manager"),
        _l("Leads the operations team: reads and edits everything, sees money."),
        {area: (A, A) for area in Area if area is not Area.ADMIN},
        {Capability.SEE_MONEY, Capability.SEE_CONFIDENTIAL, Capability.READ_AUDIT,
         Capability.EXPORT},
    ),
    "partner_manager": (
        _l("Partner manager"),
        _l("Negotiates with partners: partners and agreements, not the complaint queue."),
        {Area.PARTNERS: (A, T), Area.AGREEMENTS: (A, T), Area.TEAMS: (T, OWN),
         Area.FOLLOWUPS: (T, OWN), Area.REPORTS: (T, OWN)},
        {Capability.SEE_MONEY, Capability.EXPORT},
    ),
    "account_manager": (
        _l("Account manager"),
        _l("Keeps each client's story: own team's clients and their complaints."),
        {Area.CLIENTS: (T, T), Area.COMPLAINTS: (T, T), Area.TEAMS: (T, OWN),
         Area.FOLLOWUPS: (T, OWN), Area.REPORTS: (T, OWN)},
        {Capability.EXPORT},
    ),
    "support_agent": (
        _l("Support agent"),
        _l("Works the complaint queue: every client and complaint, nothing of partners."),
        {Area.CLIENTS: (A, OWN), Area.COMPLAINTS: (A, A), Area.TEAMS: (T, OWN),
         Area.FOLLOWUPS: (T, OWN)},
        set(),
    ),
    "team_member": (
        _l("Team member"),
        _l("Sees own team's work and writes own records."),
        {Area.PARTNERS: (T, OWN), Area.CLIENTS: (T, OWN), Area.TEAMS: (T, OWN),
         Area.FOLLOWUPS: (T, OWN), Area.REPORTS: (T, OWN)},
        set(),
    ),
    "auditor": (
        _l("Auditor"),
        _l("Reads everything, including history and money; changes nothing."),
        {area: (A, N) for area in Area},
        {Capability.SEE_MONEY, Capability.SEE_CONFIDENTIAL, Capability.READ_AUDIT,
         Capability.EXPORT},
    ),
}


def role_label(role: Any) -> str:
    """A built-in role's name in the user's language; a custom role's name as typed."""
    default = DEFAULT_ROLES.get(role.name)
    return str(default[0]) if role.is_builtin and default else role.label


def builtin_role_label(label: str) -> str:
    """A role named by its stored label (or its name), in the reader's language when it
    is a built-in one: permissions and histories keep the label as stored, in English."""
    from tracker.i18n import wordings

    for name, default in DEFAULT_ROLES.items():
        if label == name or label in wordings(default[0]):
            return str(default[0])
    return label


def role_description(role: Any) -> str:
    """A built-in role's description in the user's language."""
    default = DEFAULT_ROLES.get(role.name)
    return str(default[1]) if role.is_builtin and default else role.description


def grant_new_areas(connection: Any, areas: list[str]) -> int:
    """Give each built-in role its default grant in ``areas``, areas a new release adds.

    For a migration: ``grant_new_areas(op.get_bind(), ["contracts"])``. Seeding leaves
    existing roles as administrators edited them, so without this a new area would stay
    closed to every existing role, administrators included. Only missing rows are added
    (a grant an administrator set is left alone), custom roles get none, and the access
    generation moves so every worker reloads what people may see. Returns rows added.
    """
    import sqlalchemy as sa

    roles = sa.table("roles", sa.column("id"), sa.column("name"), sa.column("is_builtin"))
    grants = sa.table("grants", sa.column("role_id"), sa.column("area"),
                      sa.column("read_level"), sa.column("write_level"))
    have = {(r, a) for r, a in connection.execute(sa.select(grants.c.role_id, grants.c.area))}
    rows = []
    for role_id, name in connection.execute(
            sa.select(roles.c.id, roles.c.name).where(roles.c.is_builtin.is_(True))):
        defaults = DEFAULT_ROLES.get(name)
        if defaults is None:
            continue
        for area, (read, write) in defaults[2].items():
            if area.value in areas and (role_id, area.value) not in have:
                rows.append({"role_id": role_id, "area": area.value, "read_level": int(read),
                             "write_level": int(write)})
    if rows:
        connection.execute(sa.insert(grants), rows)
        generations = sa.table("generations", sa.column("id"), sa.column("access"))
        connection.execute(sa.update(generations).where(generations.c.id == 1).values(
            access=generations.c.access + 1))
    return len(rows)
