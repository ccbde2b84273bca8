"""The clients dashboard: who has gone quiet, open requirements, and how satisfied clients
were with the complaints resolved in the period.

Every count is the count of the list its link opens: the clients list by last contact,
the requirements list by status, the complaint queue by rating.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.access import Action, Area, Capability, can, has, may_enter, visible
from tracker.clients.complaints import queries as complaint_queries
from tracker.dashboards.complaints import Figures, queue_link
from tracker.dashboards.period import Period, day_start, within
from tracker.extensions import db
from tracker.models import Complaint, Organization, OrgKind, Requirement, RequirementStatus, User
from tracker.orgs.queries import CONTACT_LABELS, contact_clause
from tracker.urls import url_for


def live_requirements(user: User) -> sa.Select:
    """The requirements the user may see, of live clients."""
    live = sa.select(Organization.id).where(Organization.archived_at.is_(None))
    return visible(user, Requirement).where(Requirement.organization_id.in_(live))


def _quiet(user: User, today: date) -> dict[str, Any]:
    sees = has(user, Capability.SEE_CONFIDENTIAL)
    start = day_start(today)
    base = visible(user, Organization, kind=OrgKind.CLIENT.value)
    counts = db.session.execute(base.with_only_columns(*[
        sa.func.count().filter(contact_clause(age, sees, start)).label(f"c{i}")
        for i, age in enumerate(CONTACT_LABELS)])).one()
    return {"type": "bar", "categories": [str(label) for label in CONTACT_LABELS.values()],
            "series": [{"name": _("Clients"), "data": list(counts),
                        "links": [url_for("clients.index", contact=age)
                                  for age in CONTACT_LABELS]}]}


def _requirements(user: User) -> dict[str, Any]:
    status = Requirement.status
    counts = {key: n for key, n in db.session.execute(
        live_requirements(user).with_only_columns(status, sa.func.count()).group_by(status))}
    shown = [s for s in RequirementStatus if s in RequirementStatus.is_open]
    return {"type": "bar", "categories": [s.label for s in shown], "series": [
        {"name": _("Requirements"), "data": [counts.get(s.value, 0) for s in shown],
         "links": [url_for("clients.requirement_list", status=s.value) for s in shown]}]}


def _satisfaction(user: User, period: Period, now: Any) -> tuple[dict[str, Any], float | None]:
    """Ratings of the complaints resolved in the period (the closed view, by resolution
    day), 1 to 5, and their average."""
    buckets = period.buckets()
    rating = Complaint.satisfaction
    rows = {key: n for key, n in db.session.execute(
        visible(user, Complaint).where(complaint_queries.view_clause("closed", user, now, 0),
                                       within(Complaint.resolved_at, buckets),
                                       rating.is_not(None))
        .with_only_columns(rating, sa.func.count()).group_by(rating))}
    total = sum(rows.values())
    average = round(sum(k * n for k, n in rows.items()) / total, 2) if total else None
    stars = range(1, 6)
    return ({"type": "bar", "categories": [f"{n} / 5" for n in stars], "series": [
        {"name": _("Complaints"), "data": [rows.get(n, 0) for n in stars],
         "links": [queue_link("closed", resolved_from=period.start, resolved_to=period.end,
                              satisfaction=n) for n in stars]}]}, average)


def client_figures(user: User, period: Period, today: date, now: Any) -> Figures:
    """Everything the clients dashboard shows to ``user`` (satisfaction to readers of
    complaints)."""
    figures = Figures()
    quiet = _quiet(user, today)
    figures.charts["quiet"] = quiet
    figures.charts["requirements"] = _requirements(user)
    data = quiet["series"][0]["data"]
    figures.numbers = [
        {"label": _("Quiet for over 90 days"), "value": data[3],
         "link": url_for("clients.index", contact="older"), "id": "quiet"},
        {"label": _("Never contacted"), "value": data[4],
         "link": url_for("clients.index", contact="never"), "id": "never"},
        {"label": _("Open requirements"),
         "value": sum(figures.charts["requirements"]["series"][0]["data"]),
         "link": url_for("clients.requirement_list", status="open"), "id": "requirements"},
    ]
    if may_enter(user, Area.COMPLAINTS) and can(user, Action.READ, Area.COMPLAINTS):
        chart, average = _satisfaction(user, period, now)
        figures.charts["satisfaction"] = chart
        figures.numbers.append({"label": _("Average satisfaction"), "value": average,
                                "unit": " / 5", "id": "satisfaction"})
    return figures
