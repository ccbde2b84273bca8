"""Partner agreements and every version of their terms."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.i18n import translate
from tracker.models.base import Base, Tracked, utcnow
from tracker.models.organization import Organization
from tracker.models.user import Team, User
from tracker.workflow import trait

# An agreement without an end date sorts after every dated one (end_sort_on below).
END_NEVER_SQL = sa.literal_column("'9999-12-31'")
NO_END = date(9999, 12, 31)

# Terms only roles with the money capability may see, anywhere.
MONEY_FIELDS = frozenset({"fee_amount", "currency", "payment_terms"})


class AgreementStatus(StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    COUNTERED = "countered"
    AGREED = "agreed"
    SIGNED = "signed"
    ACTIVE = "active"
    EXPIRED = "expired"
    TERMINATED = "terminated"
    RENEWED = "renewed"

    # Not over yet: counted as the partner's open agreements.
    is_open = trait(DRAFT, PROPOSED, COUNTERED, AGREED, SIGNED, ACTIVE)
    # The terms may still change: a new version of them can be added.
    accepts_new_terms = trait(DRAFT, PROPOSED, COUNTERED, AGREED)
    # Proposals go back and forth: a new version from the partner makes it countered, one
    # from us proposed.
    is_negotiating = trait(PROPOSED, COUNTERED)
    # Reached only with terms on the table: an agreement without a version cannot be these.
    needs_terms = trait(PROPOSED, COUNTERED, AGREED)
    # Both sides agreed: the next step is marking the signed version.
    awaits_signature = trait(AGREED)
    # Signed or in force: its end and notice dates are watched (reminders, the expiring
    # panel).
    is_binding = trait(SIGNED, ACTIVE)

    @property
    def label(self) -> str:
        return translate(AGREEMENT_STATUS_LABELS[self])


AGREEMENT_STATUS_LABELS = {
    AgreementStatus.DRAFT: _l("Draft"),
    AgreementStatus.PROPOSED: _l("Proposed"),
    AgreementStatus.COUNTERED: _l("Countered"),
    AgreementStatus.AGREED: _l("Agreed"),
    AgreementStatus.SIGNED: _l("Signed"),
    AgreementStatus.ACTIVE: _l("Active"),
    AgreementStatus.EXPIRED: _l("Expired"),
    AgreementStatus.TERMINATED: _l("Terminated"),
    AgreementStatus.RENEWED: _l("Renewed"),
}


class Proposer(StrEnum):
    US = "us"
    THEM = "them"

    @property
    def label(self) -> str:
        return str(_l("Us") if self is Proposer.US else _l("The partner"))


class Agreement(Tracked, Base):
    """A cooperation agreement with a partner, moving through a validated workflow."""

    __tablename__ = "agreements"
    # The list's keyset orders (tracker.partners.queries.AGREEMENT_KEYS), id last.
    __table_args__ = (
        sa.Index("ix_agreements_org_status", "organization_id", "status"),
        sa.Index("ix_agreements_updated_at_id", "updated_at", "id"),
        sa.Index("ix_agreements_title_id", "title", "id"),
        sa.Index("ix_agreements_status_id", "status", "id"),
        # The list's default order (end date, undated last) and the dates someone must act
        # on per status (signed and active agreements ending or due for notice soon).
        sa.Index("ix_agreements_end_sort_on_id", "end_sort_on", "id"),
        sa.Index("ix_agreements_status_end_on", "status", "end_on"),
        sa.Index("ix_agreements_status_notice_on", "status", "notice_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("teams.id"))
    status: Mapped[str] = mapped_column(sa.String(20), default=AgreementStatus.DRAFT)
    status_reason: Mapped[str] = mapped_column(sa.Text, default="")
    signed_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agreement_versions.id", use_alter=True))
    signed_on: Mapped[date | None] = mapped_column(sa.Date)
    signatories: Mapped[str] = mapped_column(sa.Text, default="")
    # The dates that matter, copied from the latest version so lists can sort and filter.
    end_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    notice_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    # end_on with the undated last (9999-12-31): a NOT NULL sort key an index can walk.
    # Kept by the mapper events below on every ORM write; refresh_end_sort() after a bulk load.
    end_sort_on: Mapped[date] = mapped_column(sa.Date, default=NO_END,
                                              server_default="9999-12-31")

    organization: Mapped[Organization] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    team: Mapped[Team | None] = relationship()
    versions: Mapped[list[AgreementVersion]] = relationship(
        back_populates="agreement", foreign_keys="AgreementVersion.agreement_id",
        order_by="AgreementVersion.number", cascade="all, delete-orphan")
    signed_version: Mapped[AgreementVersion | None] = relationship(
        foreign_keys=[signed_version_id], post_update=True)

    def __str__(self) -> str:
        return self.title

    @property
    def status_label(self) -> str:
        return AgreementStatus(self.status).label

    @property
    def accepts_new_terms(self) -> bool:
        return self.status in AgreementStatus.accepts_new_terms

    @property
    def awaits_signature(self) -> bool:
        return self.status in AgreementStatus.awaits_signature

    @property
    def latest(self) -> AgreementVersion | None:
        return self.versions[-1] if self.versions else None


class AgreementVersion(Base):
    """One proposal or counter-proposal of the terms. Versions are never edited."""

    __tablename__ = "agreement_versions"
    __audited__ = True
    __audit_parent__ = ("agreements", "agreement_id")
    __table_args__ = (sa.UniqueConstraint("agreement_id", "number", name="uq_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    proposed_by: Mapped[str] = mapped_column(sa.String(10), default=Proposer.US)
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    scope: Mapped[str] = mapped_column(sa.Text, default="")
    cooperation: Mapped[str] = mapped_column(sa.Text, default="")
    fee_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    currency: Mapped[str] = mapped_column(sa.String(3), default="CNY")
    payment_terms: Mapped[str] = mapped_column(sa.Text, default="")
    start_on: Mapped[date | None] = mapped_column(sa.Date)
    end_on: Mapped[date | None] = mapped_column(sa.Date)
    notice_on: Mapped[date | None] = mapped_column(sa.Date)
    auto_renew: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    agreement: Mapped[Agreement] = relationship(back_populates="versions",
                                                foreign_keys=[agreement_id])
    created_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def proposed_by_label(self) -> str:
        return Proposer(self.proposed_by).label


@sa.event.listens_for(Agreement, "before_insert")
@sa.event.listens_for(Agreement, "before_update")
def _keep_end_sort(_mapper: object, _connection: object, target: Agreement) -> None:
    target.end_sort_on = target.end_on or NO_END


def refresh_end_sort(session: object = None) -> None:
    """Recompute ``end_sort_on`` for every agreement (after rows were written around the ORM)."""
    from tracker.extensions import db

    (session or db.session).execute(sa.update(Agreement).values(
        end_sort_on=sa.func.coalesce(Agreement.end_on, END_NEVER_SQL)))
