"""The partners dashboard, and the rounds log its weekly chart opens."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale, get_timezone
from flask_login import current_user

from tracker.access import Action, Area, Capability, can, has
from tracker.dashboards.partners import partner_figures, partner_rounds
from tracker.dashboards.period import Period, day_start, local_today
from tracker.figures_cache import cached, reader_key
from tracker.models import Conversation, Organization, utcnow
from tracker.paging import PAGE_SIZES, SortKey, capped_count, keyset_page, requested_page_size
from tracker.web.partners import bp

ENDING_DAYS = 90  # one of the agreements list's "ends within" choices


@bp.route("/dashboard")
def dashboard() -> str:
    today = local_today(utcnow())
    period = Period.from_args(request.args, today)
    key = ("partner-dashboard", reader_key(current_user), has(current_user, Capability.SEE_MONEY),
           can(current_user, Action.READ, Area.AGREEMENTS), str(get_locale()),
           str(get_timezone()), today, period)
    figures, computed_at = cached(key, lambda: partner_figures(
        current_user, period, today, ENDING_DAYS))
    return render_template("partners/dashboard.html", period=period, figures=figures,
                           computed_at=computed_at)


ROUND_ORDER = (SortKey(Conversation.occurred_at, True), SortKey(Conversation.id, True))


@bp.route("/rounds/")
def rounds() -> str:
    """Every negotiation round the user may see, newest first, between two days."""
    today = local_today(utcnow())
    period = Period.from_args(request.args, today)
    stmt = partner_rounds(current_user).where(
        Conversation.occurred_at >= day_start(period.start),
        Conversation.occurred_at < day_start(period.end, 1))
    total, capped = capped_count(stmt)
    named = stmt.join(Organization, Organization.id == Conversation.organization_id)
    page = keyset_page(named.add_columns(Organization.name.label("partner")), ROUND_ORDER,
                       per_page=requested_page_size(), scalars=False,
                       key_of=lambda row: [row[0].occurred_at, row[0].id],
                       after=request.args.get("after"), before=request.args.get("before"))
    page.total, page.total_capped, page.sizes = total, capped, PAGE_SIZES
    return render_template("partners/rounds.html", page=page, period=period)
