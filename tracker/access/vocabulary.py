"""The permission vocabulary: areas, levels and capabilities. Nothing here touches the database."""

from __future__ import annotations

from enum import IntEnum, StrEnum

from flask_babel import lazy_gettext as _l

from tracker.i18n import translate


class Area(StrEnum):
    """A part of the product a grant speaks for."""

    PARTNERS = "partners"
    AGREEMENTS = "agreements"
    CLIENTS = "clients"
    COMPLAINTS = "complaints"
    TEAMS = "teams"
    FOLLOWUPS = "followups"
    REPORTS = "reports"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return translate(AREA_LABELS[self])


AREA_LABELS = {
    Area.PARTNERS: _l("Partners"),
    Area.AGREEMENTS: _l("Agreements"),
    Area.CLIENTS: _l("Clients"),
    Area.COMPLAINTS: _l("Complaints"),
    Area.TEAMS: _l("Internal teams"),
    Area.FOLLOWUPS: _l("Follow-ups"),
    Area.REPORTS: _l("Reports"),
    Area.ADMIN: _l("Administration"),
}


class Level(IntEnum):
    """How far a grant reaches; a higher level includes every lower one."""

    NONE = 0
    OWN = 1
    TEAM = 2
    ALL = 3

    @property
    def label(self) -> str:
        return translate(LEVEL_LABELS[self])

    @property
    def short_label(self) -> str:
        return translate(LEVEL_SHORT_LABELS[self])


LEVEL_SHORT_LABELS = {
    Level.NONE: "—",
    Level.OWN: _l("Own"),
    Level.TEAM: _l("Team"),
    Level.ALL: _l("All"),
}

LEVEL_LABELS = {
    Level.NONE: _l("None"),
    Level.OWN: _l("Own records"),
    Level.TEAM: _l("Own team's records"),
    Level.ALL: _l("All records"),
}


class Capability(StrEnum):
    """Abilities that cut across areas."""

    SEE_MONEY = "see_money"
    SEE_CONFIDENTIAL = "see_confidential"
    READ_AUDIT = "read_audit"
    EXPORT = "export"
    MANAGE_USERS = "manage_users"

    @property
    def label(self) -> str:
        return translate(CAPABILITY_LABELS[self])


CAPABILITY_LABELS = {
    Capability.SEE_MONEY: _l("See agreement money fields"),
    Capability.SEE_CONFIDENTIAL: _l("See confidential records"),
    Capability.READ_AUDIT: _l("Read the change history"),
    Capability.EXPORT: _l("Export lists"),
    Capability.MANAGE_USERS: _l("Manage users, teams and roles"),
}


class Action(StrEnum):
    """What a user wants to do with one record."""

    READ = "read"
    CREATE = "create"
    EDIT = "edit"
    ARCHIVE = "archive"
    RESTORE = "restore"
