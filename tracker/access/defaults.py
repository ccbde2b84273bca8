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


def role_description(role: Any) -> str:
    """A built-in role's description in the user's language."""
    default = DEFAULT_ROLES.get(role.name)
    return str(default[1]) if role.is_builtin and default else role.description
