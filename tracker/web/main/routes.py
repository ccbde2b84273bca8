"""Dashboard, search, language switch and health check."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import (
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required

from tracker.access import Area, may_enter, permissions_of, visible, visible_owned_organizations
from tracker.extensions import db
from tracker.models import ORG_KINDS, Organization, Team, User, utcnow
from tracker.paging import COUNT_CAP, capped_count_column
from tracker.partners.queries import expiring_agreements
from tracker.statements import kept
from tracker.urls import safe_next
from tracker.web.main import bp

RECENT = 5
# One card per registered kind of organization (tracker.models.ORG_KINDS).
ORG_CARDS = tuple((kind, Area(info.area), f"{info.blueprint}.index")
                  for kind, info in ORG_KINDS.items())


def _org_cards(user: User) -> list[dict]:
    """Partners' and clients' cards in one statement: each kind's five most recently changed
    (an index range on kind, updated_at), joined with the capped totals and "mine" counts
    as scalar subqueries (evaluated once, whatever the rows)."""
    kinds = [(kind, endpoint) for kind, area, endpoint in ORG_CARDS
             if may_enter(user, area)]
    if not kinds:
        return []

    def build() -> sa.Select:
        firsts, counts = [], []
        for kind, _endpoint in kinds:
            base = visible(user, Organization, kind=kind)
            first = (base.with_only_columns(Organization.id)
                     .order_by(Organization.updated_at.desc(), Organization.id.desc())
                     .limit(RECENT).subquery())
            firsts.append(sa.select(first.c.id))
            counts += [capped_count_column(base).label(f"total_{kind}"),
                       capped_count_column(visible_owned_organizations(user, kind))
                       .label(f"mine_{kind}")]
        shown = sa.union_all(*firsts).subquery("shown")
        return (sa.select(Organization, *counts).join(shown, shown.c.id == Organization.id)
                .order_by(Organization.updated_at.desc(), Organization.id.desc()))

    stmt = kept(("org-cards", permissions_of(user).key(user), tuple(kinds)), build)
    rows = db.session.execute(stmt).all()
    numbers = rows[0]._mapping if rows else {}
    cards = []
    for kind, endpoint in kinds:
        total = numbers.get(f"total_{kind}", 0) or 0
        mine = numbers.get(f"mine_{kind}", 0) or 0
        cards.append({"kind": kind, "endpoint": endpoint, "title": ORG_KINDS[kind].plural,
                      "total": min(total, COUNT_CAP), "total_capped": total > COUNT_CAP,
                      "mine": min(mine, COUNT_CAP), "mine_capped": mine > COUNT_CAP,
                      "recent": [r[0] for r in rows if r[0].kind == kind]})
    return cards


@bp.route("/")
@login_required
def dashboard() -> str:
    cards = _org_cards(current_user)
    expiring = (expiring_agreements(current_user, date.today(),
                                    current_app.config["EXPIRING_SOON_DAYS"], 8)
                if may_enter(current_user, Area.AGREEMENTS) else [])
    queue = None
    if may_enter(current_user, Area.COMPLAINTS) and may_enter(current_user, Area.CLIENTS):
        from tracker.clients.complaints.queries import QueueFilters, view_counts

        queue = view_counts(current_user, QueueFilters(), utcnow())
    # The user's teams come from the membership facts already loaded for the request.
    teams = (db.session.scalars(visible(current_user, Team).where(
        Team.id.in_(sorted(current_user.team_ids))).order_by(Team.sort_name)).all()
        if may_enter(current_user, Area.TEAMS) and current_user.team_ids else [])
    return render_template("main/dashboard.html", cards=cards, teams=teams, expiring=expiring,
                           queue=queue)


@bp.route("/language", methods=["POST"])
def set_language() -> Response:
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("main.dashboard"))


@bp.route("/login")
def login_shortcut() -> Response:
    """``/login`` is where people type; the form lives at ``/auth/login``."""
    target = url_for("auth.login")
    return redirect(f"{target}?{request.query_string.decode()}" if request.query_string
                    else target, code=301)


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any database failure means "not ready"
        db.session.rollback()
        current_app.logger.warning("health check failed: %s", exc)
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok"), 200
