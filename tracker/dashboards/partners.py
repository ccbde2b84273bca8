"""The partners dashboard: the funnel by stage, negotiation rounds per week, agreements by
status, the value of active agreements (to readers who see money) and what is ending.

Every count is the count of the list its link opens (the partners list by stage, the
rounds log by days, the agreements list by status or end date), through ``visible``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.access import Capability, has, visible
from tracker.dashboards.complaints import Figures
from tracker.dashboards.period import Period, bucket_of, within
from tracker.extensions import db
from tracker.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Conversation,
    Organization,
    OrgKind,
    PartnerStage,
    User,
)
from tracker.partners.queries import shown_version_id
from tracker.urls import url_for


def _link(endpoint: str, **args: Any) -> str:
    return url_for(endpoint, **{k: (v.isoformat() if isinstance(v, date) else v)
                                for k, v in args.items() if v not in (None, "")})


def partner_rounds(user: User) -> sa.Select:
    """The negotiation rounds the user may see: conversations with live partners."""
    # The partners as a set probed per conversation: a few weeks' conversations are read
    # by time from their index, not every partner's by partner.
    partners = sa.select(Organization.id).where(Organization.kind == OrgKind.PARTNER.value,
                                                Organization.archived_at.is_(None))
    return visible(user, Conversation).where(Conversation.organization_id.in_(partners))


def _funnel(user: User) -> dict[str, Any]:
    stage = Organization.stage
    counts = {key: n for key, n in db.session.execute(
        visible(user, Organization, kind=OrgKind.PARTNER.value)
        .with_only_columns(stage, sa.func.count()).group_by(stage))}
    stages = list(PartnerStage)
    return {"type": "funnel", "categories": [s.label for s in stages], "series": [
        {"name": _("Partners"), "data": [counts.get(s.value, 0) for s in stages],
         "links": [_link("partners.index", stage=s.value) for s in stages]}]}


def _rounds(user: User, period: Period) -> dict[str, Any]:
    buckets = period.buckets()
    at = bucket_of(Conversation.occurred_at, buckets)
    found = [0] * len(buckets)
    for i, n in db.session.execute(
            partner_rounds(user).where(within(Conversation.occurred_at, buckets))
            .with_only_columns(at.label("b"), sa.func.count()).group_by(at)):
        if i is not None:
            found[int(i)] = n
    return {"type": "bar", "categories": [b.label for b in buckets], "series": [
        {"name": _("Rounds"), "data": found,
         "links": [_link("partners.rounds", **{"from": b.first, "to": b.last})
                   for b in buckets]}]}


def _statuses(user: User) -> dict[str, Any]:
    counts = {key: n for key, n in db.session.execute(
        visible(user, Agreement).with_only_columns(Agreement.status, sa.func.count())
        .group_by(Agreement.status))}
    shown = [s for s in AgreementStatus if counts.get(s.value)]
    return {"type": "pie", "categories": [s.label for s in shown], "series": [
        {"name": _("Agreements"), "data": [counts[s.value] for s in shown],
         "links": [_link("partners.agreements", status=s.value) for s in shown]}]}


def _active_value(user: User) -> dict[str, Any]:
    """The fees of active agreements by currency (signed terms, else the latest)."""
    chosen = shown_version_id()
    rows = db.session.execute(
        visible(user, Agreement).where(Agreement.status == AgreementStatus.ACTIVE.value)
        .join(AgreementVersion, AgreementVersion.id == chosen)
        .with_only_columns(AgreementVersion.currency, sa.func.sum(AgreementVersion.fee_amount))
        .group_by(AgreementVersion.currency).order_by(AgreementVersion.currency)).all()
    rows = [(currency or "—", total) for currency, total in rows if total is not None]
    return {"type": "hbar", "categories": [c for c, _t in rows], "series": [
        {"name": _("Fees of active agreements"),
         "data": [float(Decimal(t).quantize(Decimal(1))) for _c, t in rows],
         "links": [_link("partners.agreements", status=AgreementStatus.ACTIVE.value)
                   for _r in rows]}]}


def ending_counts(user: User, today: date, days: int) -> int:
    """Agreements ending within ``days`` (what the agreements list's "ends within" shows)."""
    return db.session.scalar(
        visible(user, Agreement).where(Agreement.end_on.between(
            today, today + timedelta(days=days)))
        .with_only_columns(sa.func.count())) or 0


def notice_counts(user: User, today: date, days: int) -> int:
    """Agreements whose notice (or renewal) date falls within ``days`` (the agreements
    list's "notice due within")."""
    return db.session.scalar(
        visible(user, Agreement).where(Agreement.notice_on.between(
            today, today + timedelta(days=days)))
        .with_only_columns(sa.func.count())) or 0


def partner_figures(user: User, period: Period, today: date, soon_days: int) -> Figures:
    """Everything the partners dashboard shows to ``user`` for ``period`` (the agreements'
    figures to readers of agreements, their fees to readers who see money)."""
    from tracker.access import Action, Area, can

    figures = Figures()
    rounds = _rounds(user, period)
    figures.charts["funnel"] = _funnel(user)
    figures.charts["rounds"] = rounds
    figures.numbers = [
        {"label": _("Rounds in the period"), "value": sum(rounds["series"][0]["data"]),
         "link": _link("partners.rounds", **{"from": period.start, "to": period.end}),
         "id": "rounds"}]
    if not can(user, Action.READ, Area.AGREEMENTS):
        return figures
    statuses = _statuses(user)
    figures.charts["statuses"] = statuses
    if has(user, Capability.SEE_MONEY):
        figures.charts["value"] = _active_value(user)
    by_status = dict(zip(statuses["categories"], statuses["series"][0]["data"], strict=True))
    figures.numbers += [
        {"label": _("Active agreements"),
         "value": by_status.get(AgreementStatus.ACTIVE.label, 0),
         "link": _link("partners.agreements", status=AgreementStatus.ACTIVE.value),
         "id": "active"},
        {"label": _("Ending within %(days)s days", days=soon_days),
         "value": ending_counts(user, today, soon_days),
         "link": _link("partners.agreements", ends_within=soon_days), "id": "ending"},
        {"label": _("Notice due within %(days)s days", days=soon_days),
         "value": notice_counts(user, today, soon_days),
         "link": _link("partners.agreements", notice_within=soon_days), "id": "notice"},
    ]
    return figures
