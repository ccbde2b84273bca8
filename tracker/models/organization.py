"""Partner and client organizations, their contacts and tags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.i18n import translate
from tracker.models.base import Base, PinyinSorted, Tracked
from tracker.models.user import Team, User
from tracker.workflow import trait


class OrgKind(StrEnum):
    PARTNER = "partner"
    CLIENT = "client"


@dataclass(frozen=True)
class KindInfo:
    """What the rest of the app needs to know of a kind of organization."""

    area: str        # the access area whose grants decide who sees it (an Area value)
    plural: object   # its name in lists and search results (lazy, both languages)
    blueprint: str   # the blueprint whose pages show it ("partners": partners.detail …)


# The one place a kind of organization is registered (tests/test_org_kinds.py checks that
# every kind is here and that its pages exist). A stored kind missing here is shown
# without a link and counted nowhere rather than failing a page.
ORG_KINDS: dict[str, KindInfo] = {
    OrgKind.PARTNER.value: KindInfo("partners", _l("Partners"), "partners"),
    OrgKind.CLIENT.value: KindInfo("clients", _l("Clients"), "clients"),
}


class OrgStatus(StrEnum):
    """Where the relationship stands; issue-specific stages build on top of this."""

    PROSPECT = "prospect"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    INACTIVE = "inactive"

    @property
    def label(self) -> str:
        return translate(ORG_STATUS_LABELS[self])


ORG_STATUS_LABELS = {
    OrgStatus.PROSPECT: _l("Prospect"),
    OrgStatus.ACTIVE: _l("Active"),
    OrgStatus.ON_HOLD: _l("On hold"),
    OrgStatus.INACTIVE: _l("Inactive"),
}

class PartnerStage(StrEnum):
    """Where a partnership stands, in the order it usually moves."""

    PROSPECT = "prospect"
    FIRST_CONTACT = "first_contact"
    NEGOTIATING = "negotiating"
    TERMS_AGREED = "terms_agreed"
    SIGNED = "signed"
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"

    # The partnership is over: moving here needs a reason, which is kept and shown.
    is_ended = trait(ENDED)
    # Not signed yet: signing an agreement moves such a partner on to "signed" (one
    # active, paused or ended keeps its stage).
    is_before_signing = trait(PROSPECT, FIRST_CONTACT, NEGOTIATING, TERMS_AGREED)

    @property
    def label(self) -> str:
        return translate(PARTNER_STAGE_LABELS[self])


PARTNER_STAGE_LABELS = {
    PartnerStage.PROSPECT: _l("Prospect"),
    PartnerStage.FIRST_CONTACT: _l("First contact"),
    PartnerStage.NEGOTIATING: _l("Negotiating"),
    PartnerStage.TERMS_AGREED: _l("Terms agreed"),
    PartnerStage.SIGNED: _l("Signed"),
    PartnerStage.ACTIVE: _l("Active"),
    PartnerStage.PAUSED: _l("Paused"),
    PartnerStage.ENDED: _l("Ended"),
}

organization_tags = sa.Table(
    "organization_tags",
    Base.metadata,
    sa.Column("organization_id", sa.ForeignKey("organizations.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("tag_id", sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    # "Which tags are in use for partners": from the tag to its organizations.
    sa.Index("ix_organization_tags_tag_id", "tag_id", "organization_id"),
)

# Sort keys of the stored rollups when there is nothing to roll up: never talked to sorts
# as the oldest contact, no open follow-up sorts after every due date. They are sort keys
# only; pages show the exact values for the viewer (tracker.orgs.rollups).
NO_CONTACT = datetime(1900, 1, 1, tzinfo=UTC)
NO_FOLLOWUP = date(9999, 12, 31)


class Tag(Base):
    """A free label shared by partners and clients."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50), unique=True)

    def __str__(self) -> str:
        return self.name


class Organization(PinyinSorted, Tracked, Base):
    """A partner or a client: the company the team talks to."""

    __tablename__ = "organizations"
    # One index per keyset order of the lists (tracker.orgs.queries.SORT_KEYS): kind first,
    # the sort column, the id last, so page 2,000 is read like page 1.
    __table_args__ = (
        sa.Index("ix_organizations_kind_sort_name_id", "kind", "sort_name", "id"),
        sa.Index("ix_organizations_kind_owner", "kind", "owner_id"),
        sa.Index("ix_organizations_kind_team", "kind", "team_id"),
        sa.Index("ix_organizations_kind_updated_at_id", "kind", "updated_at", "id"),
        sa.Index("ix_organizations_kind_created_at_id", "kind", "created_at", "id"),
        sa.Index("ix_organizations_kind_status_sort_name_id", "kind", "status", "sort_name",
                 "id"),
        sa.Index("ix_organizations_kind_last_contact_at_id", "kind", "last_contact_at", "id"),
        sa.Index("ix_organizations_kind_next_followup_on_id", "kind", "next_followup_on", "id"),
        sa.Index("ix_organizations_kind_last_contact_all_at_id", "kind", "last_contact_all_at",
                 "id"),
        sa.Index("ix_organizations_kind_next_followup_all_on_id", "kind",
                 "next_followup_all_on", "id"),
        # Counting the live organizations of a kind (all, one owner's, some teams'), index
        # only: the lists' and the dashboard's capped counts read no table row.
        sa.Index("ix_organizations_live_kind_owner_team", "kind", "owner_id", "team_id",
                 sqlite_where=sa.text("archived_at IS NULL"),
                 postgresql_where=sa.text("archived_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    name: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(20), default=OrgStatus.ACTIVE)
    industry: Mapped[str] = mapped_column(sa.String(120), default="")
    website: Mapped[str] = mapped_column(sa.String(255), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("teams.id"))
    # Partners only: where the relationship stands, and why it ended when it did.
    stage: Mapped[str | None] = mapped_column(sa.String(20), default=None)
    stage_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # Rollups kept by tracker.orgs.rollups, for sorting only: the latest non-confidential
    # conversation, the nearest open follow-up of a non-confidential source; and the same
    # counting confidential ones, by which only users who see confidential records sort.
    last_contact_at: Mapped[datetime] = mapped_column(default=NO_CONTACT)
    next_followup_on: Mapped[date] = mapped_column(sa.Date, default=NO_FOLLOWUP)
    last_contact_all_at: Mapped[datetime] = mapped_column(default=NO_CONTACT)
    next_followup_all_on: Mapped[date] = mapped_column(sa.Date, default=NO_FOLLOWUP)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    team: Mapped[Team | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=organization_tags, order_by="Tag.name")
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="organization", order_by="Contact.sort_name")

    def __str__(self) -> str:
        return self.name

    @property
    def status_label(self) -> str:
        return OrgStatus(self.status).label

    @property
    def stage_label(self) -> str:
        return PartnerStage(self.stage).label if self.stage else ""

    @property
    def partnership_ended(self) -> bool:
        return self.stage in PartnerStage.is_ended


class Contact(PinyinSorted, Tracked, Base):
    """A person at a partner or client organization."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(120), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(50), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    organization: Mapped[Organization] = relationship(back_populates="contacts")

    def __str__(self) -> str:
        return self.name



