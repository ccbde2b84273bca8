"""Every model, importable from one place (Alembic reads the metadata from here)."""

from tracker.models.agreement import (
    MONEY_FIELDS,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Proposer,
)
from tracker.models.attachment import Attachment
from tracker.models.audit import AuditEvent
from tracker.models.base import Base, Tracked, utcnow
from tracker.models.conversation import (
    Conversation,
    ConversationKind,
    ConversationTopic,
    TopicStatus,
    conversation_contacts,
    conversation_users,
)
from tracker.models.followup import FollowUp, FollowUpStatus
from tracker.models.organization import (
    Contact,
    Organization,
    OrgKind,
    OrgStatus,
    PartnerStage,
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
    "MONEY_FIELDS",
    "Agreement",
    "AgreementStatus",
    "AgreementVersion",
    "Attachment",
    "AuditEvent",
    "Base",
    "Contact",
    "Conversation",
    "ConversationKind",
    "ConversationTopic",
    "FollowUp",
    "FollowUpStatus",
    "Grant",
    "OrgKind",
    "OrgStatus",
    "Organization",
    "PartnerStage",
    "Proposer",
    "Role",
    "RoleCapability",
    "Tag",
    "Team",
    "TeamMembership",
    "TopicStatus",
    "Tracked",
    "User",
    "conversation_contacts",
    "conversation_users",
    "organization_tags",
    "user_roles",
    "utcnow",
]
