"""The clients dashboard, and the requirements list its chart opens."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale, get_timezone
from flask_login import current_user

from tracker.access import Capability, has
from tracker.dashboards.clients import client_figures, live_requirements
from tracker.dashboards.period import Period, local_today
from tracker.figures_cache import cached, reader_key
from tracker.models import Organization, Requirement, RequirementStatus, utcnow
from tracker.paging import PAGE_SIZES, SortKey, capped_count, keyset_page, requested_page_size
from tracker.web.clients import bp
from tracker.workflow import state_in


@bp.route("/dashboard")
def dashboard() -> str:
    now = utcnow()
    today = local_today(now)
    period = Period.from_args(request.args, today)
    key = ("client-dashboard", reader_key(current_user),
           has(current_user, Capability.SEE_CONFIDENTIAL), str(get_locale()),
           str(get_timezone()), today, period)
    figures, computed_at = cached(key, lambda: client_figures(current_user, period, today,
                                                               now))
    return render_template("clients/dashboard.html", period=period, figures=figures,
                           computed_at=computed_at)


REQUIREMENT_ORDER = (SortKey(Requirement.updated_at, True), SortKey(Requirement.id, True))


@bp.route("/requirements/")
def requirement_list() -> str:
    """Every requirement the user may see, by status, most recently changed first."""
    status = request.args.get("status", "")
    status = status if status in RequirementStatus._value2member_map_ or status == "open" else ""
    stmt = live_requirements(current_user)
    if status == "open":
        stmt = stmt.where(state_in(Requirement.status, RequirementStatus.is_open))
    elif status:
        stmt = stmt.where(Requirement.status == status)
    total, capped = capped_count(stmt)
    named = stmt.join(Organization, Organization.id == Requirement.organization_id)
    page = keyset_page(named.add_columns(Organization.name.label("client")),
                       REQUIREMENT_ORDER, per_page=requested_page_size(),
                       scalars=False, key_of=lambda row: [row[0].updated_at, row[0].id],
                       after=request.args.get("after"), before=request.args.get("before"))
    page.total, page.total_capped, page.sizes = total, capped, PAGE_SIZES
    return render_template("clients/requirements.html", page=page, status=status,
                           statuses=list(RequirementStatus),
                           labels={s.value: s.label for s in RequirementStatus})
