"""Every model, importable from one place (Alembic reads the metadata from here)."""

from tracker.models.audit import AuditEvent
from tracker.models.base import Base, Tracked, utcnow
from tracker.models.organization import (
    Contact,
    Organization,
    OrgKind,
    OrgStatus,
    Tag,
    organization_tags,
)
from tracker.models.user import (
    Grant,
    Role,
    RoleCapability,
    Team,
    TeamMembership,
    User,
    user_roles,
)

__all__ = [
    "AuditEvent", "Base", "Contact", "Grant", "OrgKind", "OrgStatus", "Organization",
    "Role", "RoleCapability", "Tag", "Team", "TeamMembership", "Tracked", "User",
    "organization_tags", "user_roles", "utcnow",
]
