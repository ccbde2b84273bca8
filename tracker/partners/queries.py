"""Reads of the partners blueprint, every one starting from the access layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, load_only, selectinload
from werkzeug.datastructures import MultiDict

from tracker.access import permissions_of, visible
from tracker.extensions import db
from tracker.generations import kept_while
from tracker.kept import Kept
from tracker.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Conversation,
    ConversationTopic,
    Organization,
    OrgKind,
    PartnerStage,
    User,
)
from tracker.models.conversation import TopicStatus
from tracker.orgs.facts import (
    conversation_clause,
    last_contact_col,
    load_with_facts,
    next_followup_col,
)
from tracker.orgs.queries import ORDERS as ORG_ORDERS
from tracker.orgs.queries import SORTS as ORG_SORTS
from tracker.orgs.timeline import (
    Branch,
    Timeline,
    add_people,
    contact_branch,
    day_end,
    followup_branch,
    org_param,
    read_timeline,
    zone_params,
)
from tracker.paging import KeysetPage, SortKey, capped_count_column, keyset_page
from tracker.search.query import list_search
from tracker.statements import kept, param
from tracker.text import squash, whole_number
from tracker.workflow import state_in

PARTNER_SORTS: dict[str, Any] = {
    **{k: v for k, v in ORG_SORTS.items() if k != "status"},
    "stage": (_l("Stage"), None),
}
STAGE_RANK = {s.value: i for i, s in enumerate(PartnerStage)}


def _stage_order() -> sa.Case:
    return sa.case(STAGE_RANK, value=Organization.stage, else_=99)


# "Stage" sorts in the order a partnership moves, not alphabetically: by a CASE, which no
# index serves (the other orders each have theirs; see ORG_ORDERS).
PARTNER_ORDERS = {
    **ORG_ORDERS,
    "stage": ([SortKey(_stage_order()), SortKey(Organization.sort_name),
               SortKey(Organization.id)],
              lambda org: [STAGE_RANK.get(org.stage or "", 99), org.sort_name, org.id]),
}


@dataclass(frozen=True)
class Expiring:
    """An agreement as the expiring panels name it."""

    id: int
    title: str
    partner: str
    owner: str | None
    notice_on: date | None
    end_on: date | None


_EXPIRING: Kept[list[Expiring]] = Kept(512)


def expiring_agreements(user: User, today: date, days: int, limit: int) -> list[Expiring]:
    """Signed or active agreements whose end or notice date falls within ``days``, the
    most urgent ``limit`` and one more (which tells the page that there are more).

    Kept per reader and day by each worker while no agreement, organization or access
    changes (``tracker.generations``): the partners list and the dashboard show it on
    every visit, and picking the first from hundreds in range is most of their SQL.
    """
    key = (permissions_of(user).key(user), today, days, limit)
    return kept_while(_EXPIRING, key, ("access", "agreements"),
                      lambda: _expiring(user, today, days, limit))


def _expiring(user: User, today: date, days: int, limit: int) -> list[Expiring]:
    def build() -> sa.Select:
        window = (param("today", today, Agreement.end_on),
                  param("horizon", today + timedelta(days=days), Agreement.end_on))
        urgency = (sa.func.coalesce(Agreement.notice_on, Agreement.end_on), Agreement.id)
        # The first ones, from the agreements alone (hundreds may match): only they are
        # joined to their partner and owner, and only the columns the panel shows.
        first = (visible(user, Agreement).with_only_columns(Agreement.id)
                 # The status inside each alternative: each is then one date-index range,
                 # where a status conjunct outside made SQLite walk every signed and active
                 # agreement.
                 .where(sa.or_(*(sa.and_(date_col.between(*window), state_in(
                     Agreement.status, AgreementStatus.is_binding))
                     for date_col in (Agreement.end_on, Agreement.notice_on))))
                 .order_by(*urgency).limit(limit + 1))
        return (sa.select(Agreement).where(Agreement.id.in_(first.scalar_subquery()))
                .options(load_only(Agreement.title, Agreement.end_on, Agreement.notice_on),
                         joinedload(Agreement.organization).load_only(Organization.name),
                         joinedload(Agreement.owner).load_only(User.name))
                .order_by(*urgency))

    stmt = kept(("expiring-agreements", permissions_of(user).key(user), days, limit), build)
    return [Expiring(a.id, a.title, a.organization.name, a.owner.name if a.owner else None,
                     a.notice_on, a.end_on)
            for a in db.session.scalars(stmt, {"today": today,
                                               "horizon": today + timedelta(days=days)})]


def open_agreements_col(user: User) -> sa.ScalarSelect:
    """How many open agreements the outer partner has that the user may see."""
    return (visible(user, Agreement)
            .where(Agreement.organization_id == Organization.id,
                   state_in(Agreement.status, AgreementStatus.is_open))
            .with_only_columns(sa.func.count()).correlate(Organization).scalar_subquery())


def partner_header(user: User, org_id: int) -> tuple[Organization, dict[str, Any]] | None:
    """The partner and its header facts (last contact, next follow-up, open agreements)."""
    return load_with_facts(user, OrgKind.PARTNER.value, org_id, lambda: {
        "last_contact": last_contact_col(user), "next_followup": next_followup_col(user),
        "open_agreements": open_agreements_col(user)})


TIMELINE_KINDS = {
    "round": _l("Negotiation rounds"),
    "agreement": _l("Agreement events"),
    "followup": _l("Follow-ups"),
    "contact": _l("Contacts"),
}


def _topics(status: str) -> sa.ScalarSelect:
    return (sa.select(sa.func.count()).where(ConversationTopic.conversation_id == Conversation.id,
                                             ConversationTopic.status == status)
            .correlate(Conversation).scalar_subquery())


def _agreement_branches(user: User, org: Organization) -> list[Branch]:
    seen = visible(user, Agreement).whereclause
    versions = (sa.select(AgreementVersion)
                .join(Agreement, Agreement.id == AgreementVersion.agreement_id)
                .where(Agreement.organization_id == org_param(org, Agreement.id), seen))
    signed = sa.select(Agreement).where(Agreement.organization_id == org_param(org, Agreement.id),
                                        seen,
                                        Agreement.signed_on.is_not(None))
    return [
        Branch("version", AgreementVersion.proposed_at, AgreementVersion.id, versions, {
            "ref": AgreementVersion.agreement_id, "title": Agreement.title,
            "label": AgreementVersion.proposed_by, "n1": AgreementVersion.number}),
        # A date without a time: shown as the date, after the day's versions it signed.
        Branch("signed", day_end(Agreement.signed_on), Agreement.id, signed,
               {"title": Agreement.title, "day": Agreement.signed_on}),
    ]


def timeline(user: User, org: Organization, kind: str = "", older: str | None = None,
             per_page: int = 30) -> Timeline:
    """Rounds, agreement versions and signings, follow-ups and contacts, newest first:
    two statements whatever the number of entries (the entries, then the rounds' people)."""
    result = read_timeline(lambda: _branches(user, org, kind), older, per_page,
                           ("partner-timeline", permissions_of(user).key(user), kind), org,
                           zone_params())
    add_people(result.entries, ("round",))
    return result


def _branches(user: User, org: Organization, kind: str) -> list[Branch]:
    branches: list[Branch] = []
    if kind in ("", "round"):
        rounds = sa.select(Conversation).where(
            Conversation.organization_id == org_param(org, Conversation.id),
            conversation_clause(user))
        branches.append(Branch("round", Conversation.occurred_at, Conversation.id, rounds, {
            "title": Conversation.title, "label": Conversation.kind,
            "flag": Conversation.is_confidential, "n1": _topics(TopicStatus.AGREED.value),
            "n2": _topics(TopicStatus.OPEN.value)}))
    if kind in ("", "agreement"):
        branches += _agreement_branches(user, org)
    if kind in ("", "followup"):
        branches.append(followup_branch(user, org))
    if kind in ("", "contact"):
        branches.append(contact_branch(org))
    return branches


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
    notice_within: int | None = None
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
            notice_within=whole_number(args.get("notice_within"), maximum=3650),
            min_value=whole_number(args.get("min_value")) if money else None,
            sort=sort if sort in allowed else "end",
        )


def shown_version_id() -> sa.ColumnElement[int]:
    """The id of the outer agreement's terms as shown: the signed version, else the
    latest one."""
    return sa.func.coalesce(Agreement.signed_version_id, sa.select(
        sa.func.max(AgreementVersion.id)).where(
        AgreementVersion.agreement_id == Agreement.id).correlate(Agreement).scalar_subquery())


def _value_col() -> sa.ScalarSelect:
    """The fee of the signed version, else of the latest one."""
    return _terms_col(AgreementVersion.fee_amount)


def agreement_select(user: User, f: AgreementFilters, today: date) -> sa.Select:
    """The filtered agreements the user may see (no order, no loads); value filters only
    reach here with money.

    The box searches what the index holds for an agreement (title, partner, every
    version's terms; amounts only for readers who see money), folded as search folds."""
    stmt = visible(user, Agreement)
    searched = list_search(Agreement.id, "agreement", f.q, user=user) if f.q else None
    if searched is not None:
        stmt = stmt.where(searched)
    if f.status:
        stmt = stmt.where(Agreement.status == f.status)
    if f.partner is not None:
        stmt = stmt.where(Agreement.organization_id == f.partner)
    if f.ends_within is not None:
        stmt = stmt.where(Agreement.end_on.between(today, today + timedelta(days=f.ends_within)))
    if f.notice_within is not None:
        stmt = stmt.where(Agreement.notice_on.between(
            today, today + timedelta(days=f.notice_within)))
    if f.min_value is not None:
        stmt = stmt.where(_value_col() >= f.min_value)
    return stmt


def agreement_list(user: User, f: AgreementFilters, today: date) -> sa.Select:
    """Every filtered agreement with its versions, in the chosen order (the export)."""
    stmt = agreement_select(user, f, today).options(
        selectinload(Agreement.organization), selectinload(Agreement.owner),
        selectinload(Agreement.versions), selectinload(Agreement.signed_version))
    order = _value_col().desc().nulls_last() if f.sort == "-value" else AGREEMENT_SORTS[
        f.sort][1]
    return stmt.order_by(order, Agreement.id)


def _terms_col(column: Any) -> sa.ScalarSelect:
    """A column of the signed version, else of the latest one (for the list's rows)."""
    return (sa.select(column).where(AgreementVersion.id == shown_version_id())
            .correlate(Agreement).scalar_subquery())


# Keyset orders of the agreements list: (sort keys ending in the id, a row's key values).
# "end" walks the stored end_sort_on (undated last); "-value" orders by a
# subquery, for money users only; the others walk (column, id) indexes.
AGREEMENT_ORDERS: dict[str, tuple[list[SortKey], Any]] = {
    "end": ([SortKey(Agreement.end_sort_on), SortKey(Agreement.id)],
            lambda r: [r[0].end_sort_on, r[0].id]),
    "-updated": ([SortKey(Agreement.updated_at, True), SortKey(Agreement.id, True)],
                 lambda r: [r[0].updated_at, r[0].id]),
    "title": ([SortKey(Agreement.title), SortKey(Agreement.id)],
              lambda r: [r[0].title, r[0].id]),
    "status": ([SortKey(Agreement.status), SortKey(Agreement.id)],
               lambda r: [r[0].status, r[0].id]),
    "-value": ([SortKey(sa.func.coalesce(_terms_col(AgreementVersion.fee_amount), -1), True),
                SortKey(Agreement.id, True)],
               lambda r: [r.fee if r.fee is not None else -1, r[0].id]),
}


def agreement_page(user: User, f: AgreementFilters, today: date, *, money: bool,
                   per_page: int, after: str | None, before: str | None) -> KeysetPage:
    """One keyset page of the agreements list, in one statement: partner and owner joined,
    the shown terms' fee and currency (money users only) and the capped total as columns.
    ``items`` are (agreement, fee, currency) rows."""
    stmt = agreement_select(user, f, today)
    total = capped_count_column(stmt)
    fee = _terms_col(AgreementVersion.fee_amount) if money else sa.null()
    currency = _terms_col(AgreementVersion.currency) if money else sa.null()
    stmt = stmt.add_columns(total.label("total"), fee.label("fee"),
                            currency.label("currency")).options(
        joinedload(Agreement.organization), joinedload(Agreement.owner))
    keys, key_of = AGREEMENT_ORDERS[f.sort]
    page = keyset_page(stmt, keys, per_page=per_page, after=after, before=before,
                       key_of=key_of, scalars=False)
    if page.items:
        n = page.items[0].total
        page.total, page.total_capped = min(n, 1000), n > 1000
    return page
