"""Reads of the partners blueprint, every one starting from the access layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

from tracker.access import visible, visible_followups_of
from tracker.extensions import db
from tracker.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Contact,
    Conversation,
    FollowUp,
    FollowUpStatus,
    Organization,
    OrgKind,
    User,
)
from tracker.models.agreement import OPEN_STATUSES
from tracker.orgs.queries import SORTS as ORG_SORTS
from tracker.orgs.queries import OrgFilters, organization_list
from tracker.text import squash, whole_number


def last_contact_col(user: User) -> sa.ScalarSelect:
    """When we last talked with the partner, counting only rounds the user may see."""
    return (visible(user, Conversation)
            .where(Conversation.organization_id == Organization.id)
            .with_only_columns(sa.func.max(Conversation.occurred_at))
            .correlate(Organization).scalar_subquery())


def next_followup_col(user: User) -> sa.ScalarSelect:
    """The nearest open follow-up of the partner whose source the user may see."""
    return (visible_followups_of(user)
            .where(FollowUp.organization_id == Organization.id,
                   FollowUp.status == FollowUpStatus.OPEN, FollowUp.archived_at.is_(None))
            .with_only_columns(sa.func.min(FollowUp.due_on))
            .correlate(Organization).scalar_subquery())


PARTNER_SORTS: dict[str, Any] = {
    **{k: v for k, v in ORG_SORTS.items() if k != "status"},
    "-last_contact": (_l("Last contact, newest"), None),
    "last_contact": (_l("Last contact, oldest"), None),
    "next_followup": (_l("Next follow-up"), None),
    "stage": (_l("Stage"), None),
}


def partner_list(user: User, f: OrgFilters) -> sa.Select:
    """Partners, sortable by last contact and next follow-up as the user sees them."""
    last, nxt = last_contact_col(user), next_followup_col(user)
    stmt = organization_list(user, OrgKind.PARTNER.value, f)
    custom = {
        "-last_contact": (last.desc().nulls_last(),),
        "last_contact": (last.asc().nulls_first(),),
        "next_followup": (nxt.asc().nulls_last(),),
        "stage": (_stage_order(), Organization.name),
    }
    if f.sort in custom:
        stmt = stmt.order_by(None).order_by(*custom[f.sort], Organization.id)
    return stmt


def contact_dates(user: User, org_ids: list[int]) -> dict[int, tuple[Any, Any]]:
    """{partner id: (last contact, next follow-up)} for one page of partners, two queries."""
    if not org_ids:
        return {}
    last = dict(db.session.execute(
        visible(user, Conversation).where(Conversation.organization_id.in_(org_ids))
        .with_only_columns(Conversation.organization_id, sa.func.max(Conversation.occurred_at))
        .group_by(Conversation.organization_id)).all())
    nxt = dict(db.session.execute(
        visible_followups_of(user).where(
            FollowUp.organization_id.in_(org_ids), FollowUp.status == FollowUpStatus.OPEN,
            FollowUp.archived_at.is_(None))
        .with_only_columns(FollowUp.organization_id, sa.func.min(FollowUp.due_on))
        .group_by(FollowUp.organization_id)).all())
    return {i: (last.get(i), nxt.get(i)) for i in org_ids}


def _stage_order() -> sa.Case:
    from tracker.models import PartnerStage

    return sa.case({s.value: i for i, s in enumerate(PartnerStage)}, value=Organization.stage,
                   else_=99)


def expiring_agreements(user: User, today: date, days: int) -> list[Agreement]:
    """Signed or active agreements whose end or notice date falls within ``days``."""
    horizon = today + timedelta(days=days)
    return list(db.session.scalars(
        visible(user, Agreement)
        .where(Agreement.status.in_([AgreementStatus.SIGNED, AgreementStatus.ACTIVE]),
               sa.or_(Agreement.end_on.between(today, horizon),
                      Agreement.notice_on.between(today, horizon)))
        .options(joinedload(Agreement.organization), joinedload(Agreement.owner))
        .order_by(sa.func.coalesce(Agreement.notice_on, Agreement.end_on)).limit(50)))


@dataclass(frozen=True)
class PartnerFacts:
    """The header of a partner page."""

    last_contact: datetime | None
    next_followup: date | None
    open_agreements: int


def partner_facts(user: User, org: Organization) -> PartnerFacts:
    last = db.session.scalar(visible(user, Conversation).where(
        Conversation.organization_id == org.id).with_only_columns(
        sa.func.max(Conversation.occurred_at)))
    nxt = db.session.scalar(visible_followups_of(user).where(
        FollowUp.organization_id == org.id, FollowUp.status == FollowUpStatus.OPEN,
        FollowUp.archived_at.is_(None)).with_only_columns(sa.func.min(FollowUp.due_on)))
    count = db.session.scalar(visible(user, Agreement).where(
        Agreement.organization_id == org.id, Agreement.status.in_(OPEN_STATUSES))
        .with_only_columns(sa.func.count()))
    return PartnerFacts(last, nxt, count or 0)


@dataclass(frozen=True)
class TimelineItem:
    """One entry of a partner's timeline."""

    kind: str
    at: datetime
    record: Any


TIMELINE_KINDS = {
    "round": _l("Negotiation rounds"),
    "agreement": _l("Agreement events"),
    "followup": _l("Follow-ups"),
    "contact": _l("Contacts"),
}


def _as_datetime(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    from datetime import UTC, time

    return datetime.combine(value, time(9, 0), tzinfo=UTC)


def timeline(user: User, org: Organization, kind: str = "", limit: int = 100
             ) -> list[TimelineItem]:
    """Rounds, agreement versions and signings, follow-ups and contacts, newest first."""
    items: list[TimelineItem] = []
    if kind in ("", "round"):
        rounds = db.session.scalars(visible(user, Conversation).where(
            Conversation.organization_id == org.id)
            .options(selectinload(Conversation.our_people), selectinload(Conversation.topics),
                     selectinload(Conversation.their_people))
            .order_by(Conversation.occurred_at.desc()).limit(limit))
        items += [TimelineItem("round", r.occurred_at, r) for r in rounds]
    if kind in ("", "agreement"):
        versions = db.session.scalars(
            sa.select(AgreementVersion).where(AgreementVersion.agreement_id.in_(
                visible(user, Agreement).where(Agreement.organization_id == org.id)
                .with_only_columns(Agreement.id)))
            .options(selectinload(AgreementVersion.agreement))
            .order_by(AgreementVersion.proposed_at.desc()).limit(limit))
        items += [TimelineItem("version", v.proposed_at, v) for v in versions]
        signed = db.session.scalars(visible(user, Agreement).where(
            Agreement.organization_id == org.id, Agreement.signed_on.is_not(None)))
        items += [TimelineItem("signed", _as_datetime(a.signed_on), a) for a in signed]
    if kind in ("", "followup"):
        followups = db.session.scalars(visible_followups_of(user).where(
            FollowUp.organization_id == org.id, FollowUp.archived_at.is_(None))
            .options(selectinload(FollowUp.owner))
            .order_by(FollowUp.created_at.desc()).limit(limit))
        items += [TimelineItem("followup", f.created_at, f) for f in followups]
    if kind in ("", "contact"):
        contacts = db.session.scalars(visible(user, Contact).where(
            Contact.organization_id == org.id).order_by(Contact.created_at.desc()).limit(limit))
        items += [TimelineItem("contact", c.created_at, c) for c in contacts]
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:limit]


AGREEMENT_SORTS: dict[str, tuple[Any, Any, bool]] = {
    # key: (label, order, needs the money capability)
    "end": (_l("End date"), Agreement.end_on.asc().nulls_last(), False),
    "-updated": (_l("Recently changed"), Agreement.updated_at.desc(), False),
    "title": (_l("Title"), Agreement.title.asc(), False),
    "status": (_l("Status"), Agreement.status.asc(), False),
    "-value": (_l("Value, highest first"), None, True),
}


@dataclass(frozen=True)
class AgreementFilters:
    """Filters of the agreements list, from and back to the query string."""

    q: str = ""
    status: str = ""
    partner: int | None = None
    ends_within: int | None = None
    min_value: int | None = None
    sort: str = "end"

    @classmethod
    def from_args(cls, args: MultiDict, money: bool) -> AgreementFilters:
        status = args.get("status", "")
        sort = args.get("sort", "end")
        allowed = {k for k, v in AGREEMENT_SORTS.items() if money or not v[2]}
        return cls(
            q=squash(args.get("q")),
            status=status if status in AgreementStatus._value2member_map_ else "",
            partner=whole_number(args.get("partner")),
            ends_within=whole_number(args.get("ends_within"), maximum=3650),
            min_value=whole_number(args.get("min_value")) if money else None,
            sort=sort if sort in allowed else "end",
        )


def _value_col() -> sa.ScalarSelect:
    """The fee of the signed version, else of the latest one."""
    chosen = sa.func.coalesce(Agreement.signed_version_id, sa.select(
        sa.func.max(AgreementVersion.id)).where(
        AgreementVersion.agreement_id == Agreement.id).correlate(Agreement).scalar_subquery())
    return (sa.select(AgreementVersion.fee_amount).where(AgreementVersion.id == chosen)
            .correlate(Agreement).scalar_subquery())


def agreement_list(user: User, f: AgreementFilters, today: date) -> sa.Select:
    """The select behind the agreements list; value filters only reach here with money."""
    from tracker.text import escape_like

    stmt = visible(user, Agreement).options(
        selectinload(Agreement.organization), selectinload(Agreement.owner),
        selectinload(Agreement.versions), selectinload(Agreement.signed_version))
    if f.q:
        stmt = stmt.where(Agreement.title.ilike(f"%{escape_like(f.q)}%", escape="\\"))
    if f.status:
        stmt = stmt.where(Agreement.status == f.status)
    if f.partner is not None:
        stmt = stmt.where(Agreement.organization_id == f.partner)
    if f.ends_within is not None:
        stmt = stmt.where(Agreement.end_on.between(today, today + timedelta(days=f.ends_within)))
    if f.min_value is not None:
        stmt = stmt.where(_value_col() >= f.min_value)
    order = _value_col().desc().nulls_last() if f.sort == "-value" else AGREEMENT_SORTS[
        f.sort][1]
    return stmt.order_by(order, Agreement.id)
