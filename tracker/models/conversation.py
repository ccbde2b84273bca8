"""Conversations with a stakeholder: a negotiation round with a partner, a note on a client."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.i18n import translate
from tracker.models.base import Base, Tracked, utcnow
from tracker.models.organization import Contact, Organization
from tracker.models.user import User


class Visibility(StrEnum):
    """Who a client note is for: our team only, or fit to share with the client."""

    INTERNAL = "internal"
    SHARED = "shared"

    @property
    def label(self) -> str:
        return translate(VISIBILITY_LABELS[self])


VISIBILITY_LABELS = {
    Visibility.INTERNAL: _l("Internal"),
    Visibility.SHARED: _l("Shared with client"),
}


class ConversationKind(StrEnum):
    UPDATE = "update"
    MEETING = "meeting"
    CALL = "call"
    EMAIL = "email"
    CHAT = "chat"
    VISIT = "visit"

    @property
    def label(self) -> str:
        return translate(CONVERSATION_KIND_LABELS[self])


CONVERSATION_KIND_LABELS = {
    ConversationKind.UPDATE: _l("Progress update"),
    ConversationKind.MEETING: _l("Meeting"),
    ConversationKind.CALL: _l("Call"),
    ConversationKind.EMAIL: lazy_pgettext("conversation kind", "Email"),
    ConversationKind.CHAT: _l("Chat"),
    ConversationKind.VISIT: _l("Visit"),
}


class TopicStatus(StrEnum):
    OPEN = "open"  # first: a new topic row starts open
    AGREED = "agreed"

    @property
    def label(self) -> str:
        return str(_l("Agreed") if self is TopicStatus.AGREED else _l("Open"))


conversation_users = sa.Table(
    "conversation_users",
    Base.metadata,
    sa.Column("conversation_id", sa.ForeignKey("conversations.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    # The confidentiality rule asks "which rounds did this user take part in?".
    sa.Index("ix_conversation_users_user_id", "user_id", "conversation_id"),
)

conversation_contacts = sa.Table(
    "conversation_contacts",
    Base.metadata,
    sa.Column("conversation_id", sa.ForeignKey("conversations.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("contact_id", sa.ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
)


class Conversation(Tracked, Base):
    """One round of talk: who took part on each side, what was said, agreed and left open."""

    __tablename__ = "conversations"
    __table_args__ = (
        sa.Index("ix_conversations_org_time", "organization_id", "occurred_at"),
        # Dashboards and the rounds log: every conversation of a few weeks, by day.
        sa.Index("ix_conversations_time_org", "occurred_at", "organization_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    kind: Mapped[str] = mapped_column(sa.String(20), default=ConversationKind.MEETING)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    outcome: Mapped[str] = mapped_column(sa.Text, default="")
    is_confidential: Mapped[bool] = mapped_column(default=False)
    # Client notes: "internal", or "shared" with the client (for a later client portal).
    visibility: Mapped[str] = mapped_column(sa.String(10), default="internal")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    organization: Mapped[Organization] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    our_people: Mapped[list[User]] = relationship(secondary=conversation_users,
                                                  order_by="User.sort_name")
    their_people: Mapped[list[Contact]] = relationship(secondary=conversation_contacts,
                                                       order_by="Contact.sort_name")
    topics: Mapped[list[ConversationTopic]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan",
        order_by="ConversationTopic.position")

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        return ConversationKind(self.kind).label


class ConversationTopic(Base):
    """One subject of a round: each side's position, and whether it was agreed or is open."""

    __tablename__ = "conversation_topics"
    __audited__ = True
    __audit_parent__ = ("conversations", "conversation_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    subject: Mapped[str] = mapped_column(sa.String(200))
    our_position: Mapped[str] = mapped_column(sa.Text, default="")
    their_position: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(10), default=TopicStatus.OPEN)
    resolution: Mapped[str] = mapped_column(sa.Text, default="")

    conversation: Mapped[Conversation] = relationship(back_populates="topics")

    def __str__(self) -> str:
        return self.subject

    @property
    def status_label(self) -> str:
        return TopicStatus(self.status).label
