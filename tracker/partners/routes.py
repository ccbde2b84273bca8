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
from tracker.models import Organization, OrgKind, PartnerStage, User
from tracker.orgs import queries as org_queries
from tracker.orgs.views import OrgViews, Reply
from tracker.partners import bp, queries
from tracker.partners.forms import StageForm
from tracker.partners.services import move_stage
from tracker.text import page_number

LABELS = {
    "one": _l("Partner"),
    "many": _l("Partners"),
    "new": _l("New partner"),
}


class PartnerViews(OrgViews):
    """Organization pages, with the partner list and the partner timeline."""

    def index(self) -> Reply:
        filters = org_queries.OrgFilters.from_args(request.args, current_user,
                                                   queries.PARTNER_SORTS)
        page = db.paginate(queries.partner_list(current_user, filters),
                           page=page_number(request.args.get("page")),
                           per_page=current_app.config["PAGE_SIZE"], error_out=False)
        today = date.today()
        expiring = (queries.expiring_agreements(current_user, today,
                                                current_app.config["EXPIRING_SOON_DAYS"])
                    if can(current_user, Action.READ, Area.AGREEMENTS) else [])
        return render_template(
            "partners/list.html", page=page,
            dates=queries.contact_dates(current_user, [o.id for o in page.items]),
            filters=filters, sorts=queries.PARTNER_SORTS, expiring=expiring, today=today,
            tags=org_queries.tags_in_use(current_user, self.kind),
            owners=db.session.execute(sa.select(User.id, User.name).order_by(User.name)).all(),
            teams=org_queries.team_options(), stages=list(PartnerStage), **self._ctx())

    def detail(self, org_id: int) -> Reply:
        org = self._load(org_id)
        show = request.args.get("show", "")
        show = show if show in queries.TIMELINE_KINDS else ""
        stage_form = StageForm(stage=org.stage)
        return render_template(
            "partners/detail.html", org=org, facts=queries.partner_facts(current_user, org),
            items=queries.timeline(current_user, org, show), show=show,
            kinds=queries.TIMELINE_KINDS, stage_form=stage_form,
            contacts=org_queries.contacts_of(current_user, org), **self._ctx())


views = PartnerViews(bp, OrgKind.PARTNER.value, Area.PARTNERS, LABELS)


@bp.route("/board")
def board() -> str:
    """Partners by stage; a user with write access moves them along."""
    rows = db.session.scalars(
        visible(current_user, Organization).where(Organization.kind == OrgKind.PARTNER.value)
        .options(sa.orm.selectinload(Organization.owner)).order_by(Organization.name))
    columns: dict[str, list[Organization]] = {s.value: [] for s in PartnerStage}
    for org in rows:
        columns.setdefault(org.stage or PartnerStage.PROSPECT.value, []).append(org)
    return render_template("partners/board.html", columns=columns, stages=list(PartnerStage),
                           stage_form=StageForm(), labels=LABELS)


@bp.route("/<int:org_id>/stage", methods=["POST"])
def move(org_id: int) -> Response | tuple[str, int]:
    org = views._load(org_id)
    if not can(current_user, Action.EDIT, org):
        abort(403)
    form = StageForm()
    if form.validate_on_submit():
        move_stage(org, form)
        db.session.commit()
        flash(_("%(name)s moved to %(stage)s.", name=org.name, stage=org.stage_label), "success")
    else:
        for errors in form.errors.values():
            flash(" ".join(map(str, errors)), "error")
    back = request.form.get("back")
    return redirect(url_for("partners.board") if back == "board"
                    else url_for("partners.detail", org_id=org.id))


