"""What a client asked for, and who on their side confirmed it: requirements and their
states."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, Tracked
from tracker.models.organization import Contact, Organization
from tracker.models.user import User
from tracker.workflow import trait


class RequirementStatus(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    CHANGED = "changed"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"

    # Still wanted (the client's open requirements); withdrawn and rejected are final.
    is_open = trait(PROPOSED, CONFIRMED, CHANGED)
    # Confirmed by the client: a change of wording sends it back for another confirmation.
    changes_when_reworded = trait(CONFIRMED)
    # Reworded after the client confirmed it: to be confirmed again.
    awaits_reconfirmation = trait(CHANGED)
    # Ending a requirement this way needs a reason.
    needs_reason = trait(WITHDRAWN, REJECTED)

    @property
    def label(self) -> str:
        return str(REQUIREMENT_STATUS_LABELS[self])


REQUIREMENT_STATUS_LABELS = {
    RequirementStatus.PROPOSED: _l("Proposed"),
    RequirementStatus.CONFIRMED: _l("Confirmed"),
    RequirementStatus.CHANGED: _l("Changed since confirmed"),
    RequirementStatus.WITHDRAWN: _l("Withdrawn"),
    RequirementStatus.REJECTED: _l("Rejected"),
}


class Requirement(Tracked, Base):
    """What a client asked for, and who confirmed it on their side and when."""

    __tablename__ = "requirements"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    wording: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="proposed")
    asked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id"))
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    status_reason: Mapped[str] = mapped_column(sa.Text, default="")

    organization: Mapped[Organization] = relationship()
    asked_by: Mapped[Contact | None] = relationship(foreign_keys=[asked_by_id])
    confirmed_by: Mapped[Contact | None] = relationship(foreign_keys=[confirmed_by_id])
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])

    def __str__(self) -> str:
        return self.title

    @property
    def changes_when_reworded(self) -> bool:
        return self.status in RequirementStatus.changes_when_reworded

    @property
    def awaits_reconfirmation(self) -> bool:
        return self.status in RequirementStatus.awaits_reconfirmation
