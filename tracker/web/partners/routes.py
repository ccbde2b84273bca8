"""The partners blueprint's pages for partners themselves: list, timeline, board, stage."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.access import Action, Area, can, visible
from tracker.extensions import db
from tracker.models import Organization, OrgKind, PartnerStage
from tracker.orgs import queries as org_queries
from tracker.orgs.timeline import timeline_labels
from tracker.partners import queries
from tracker.partners.services import move_stage
from tracker.records import StaleRecord
from tracker.web.kit import require_can
from tracker.web.orgs.views import OrgViews, Reply
from tracker.web.partners import bp
from tracker.web.partners.forms import StageForm
from tracker.workflow import MoveRefused

# The partners list names the most urgent expiring agreements; the rest are a link away.
EXPIRING_SHOWN = 10

LABELS = {
    "one": _l("Partner"),
    "many": _l("Partners"),
    "new": _l("New partner"),
}


class PartnerViews(OrgViews):
    """Organization pages, with the partner list and the partner timeline."""

    orders = queries.PARTNER_ORDERS

    def index(self) -> Reply:
        today = date.today()
        expiring = (queries.expiring_agreements(current_user, today,
                                                current_app.config["EXPIRING_SOON_DAYS"],
                                                EXPIRING_SHOWN)
                    if can(current_user, Action.READ, Area.AGREEMENTS) else [])
        return self._list("partners/list.html", queries.PARTNER_SORTS, dates=True,
                          expiring=expiring, expiring_shown=EXPIRING_SHOWN, today=today,
                          stages=list(PartnerStage))

    def detail(self, org_id: int) -> Reply:
        found = queries.partner_header(current_user, org_id)
        if found is None:
            abort(404)
        org, facts = found
        show = request.args.get("show", "")
        show = show if show in queries.TIMELINE_KINDS else ""
        return render_template(
            "partners/detail.html", org=org, facts=facts, tags=facts["tags"],
            timeline=queries.timeline(current_user, org, show, request.args.get("older")),
            show=show, kinds=queries.TIMELINE_KINDS, stage_form=StageForm(stage=org.stage),
            contacts=org_queries.contacts_of(current_user, org), **self._ctx())


bp.context_processor(timeline_labels)
views = PartnerViews(bp, OrgKind.PARTNER.value, Area.PARTNERS, LABELS)


BOARD_CARDS = 25  # per column


@bp.route("/board")
def board() -> str:
    """Partners by stage; a user with write access moves them along.

    Each column shows its first ``BOARD_CARDS`` partners by name and links the list
    filtered to its stage for the rest: a board of every partner was 10.7 MB and 2.2 s
    at 10,000 partners (the bench's data), and nobody drags among thousands of cards.
    """
    scope = visible(current_user, Organization, kind=OrgKind.PARTNER.value).subquery()
    stage = sa.func.coalesce(scope.c.stage, PartnerStage.PROSPECT.value)
    counts = dict(db.session.execute(sa.select(stage, sa.func.count()).group_by(stage)).all())
    ranked = sa.select(scope.c.id, sa.func.row_number().over(
        partition_by=stage, order_by=(scope.c.sort_name, scope.c.id)).label("n")).subquery()
    rows = db.session.scalars(
        sa.select(Organization).join(ranked, ranked.c.id == Organization.id)
        .where(ranked.c.n <= BOARD_CARDS)
        .options(sa.orm.selectinload(Organization.owner))
        .order_by(Organization.sort_name, Organization.id))
    columns: dict[str, list[Organization]] = {s.value: [] for s in PartnerStage}
    for org in rows:
        columns.setdefault(org.stage or PartnerStage.PROSPECT.value, []).append(org)
    return render_template("partners/board.html", columns=columns, counts=counts,
                           stages=list(PartnerStage), stage_form=StageForm(), labels=LABELS)


@bp.route("/<int:org_id>/stage", methods=["POST"])
def move(org_id: int) -> Response | tuple[str, int]:
    org = views._load(org_id)
    require_can(Action.EDIT, org)
    form = StageForm()
    if form.validate_on_submit():
        try:
            move_stage(org, form.stage.data, form.reason.data or "",
                       version=form.version.data or "")
        except MoveRefused as refused:
            db.session.rollback()
            flash(str(refused), "error")
        except StaleRecord:
            db.session.rollback()
            flash(_("%(name)s was changed by someone else since this page was loaded: it "
                    "is shown as it is now.", name=org.name), "error")
        else:
            db.session.commit()
            flash(_("%(name)s moved to %(stage)s.", name=org.name, stage=org.stage_label),
                  "success")
    else:
        for errors in form.errors.values():
            flash(" ".join(map(str, errors)), "error")
    back = request.form.get("back")
    return redirect(url_for("partners.board") if back == "board"
                    else url_for("partners.detail", org_id=org.id))


