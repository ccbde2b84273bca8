"""Agreements: list, create, the terms' versions, comparison, workflow and signing."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import Action, Area, Capability, can, get_visible_or_404, has, visible
from tracker.attachments import attachments_of
from tracker.exports import csv_response
from tracker.extensions import db
from tracker.followups import followups_for
from tracker.forms import bound_form
from tracker.models import Agreement, AgreementStatus, AgreementVersion, Organization, OrgKind
from tracker.partners import compare, queries
from tracker.partners.services import (
    add_version,
    create_agreement,
    hidden_terms,
    move_status,
    sign,
    update_agreement,
)
from tracker.partners.workflow import allowed_moves
from tracker.record_views import archive_record, history_page, restore_record
from tracker.records import StaleRecord, shown_changes
from tracker.web.partners import bp
from tracker.web.partners.forms import (
    AgreementForm,
    NewAgreementForm,
    SignForm,
    StatusForm,
    TermsForm,
)
from tracker.web.shared_forms import UploadForm
from tracker.workflow import MoveRefused

Reply = Response | str | tuple[str, int]


def _money() -> bool:
    return has(current_user, Capability.SEE_MONEY)


def _agreement(agreement_id: int) -> Agreement:
    return get_visible_or_404(current_user, Agreement, agreement_id)


def _require(action: Action, record: object) -> None:
    if not can(current_user, action, record):
        abort(403)


@bp.route("/agreements/")
def agreements() -> str:
    _require(Action.READ, Area.AGREEMENTS)
    filters = queries.AgreementFilters.from_args(request.args, _money())
    page = queries.agreement_page(
        current_user, filters, date.today(), money=_money(),
        per_page=current_app.config["PAGE_SIZE"], after=request.args.get("after"),
        before=request.args.get("before"))
    # Only the chosen partner, never the list of every partner (10,000 options at volume):
    # the filter is set from a partner's page and cleared here.
    partners = db.session.execute(
        visible(current_user, Organization, kind=OrgKind.PARTNER.value)
        .where(Organization.id == filters.partner)
        .with_only_columns(Organization.id, Organization.name)).all() if filters.partner else []
    sorts = {k: v for k, v in queries.AGREEMENT_SORTS.items() if _money() or not v[2]}
    return render_template("partners/agreements.html", page=page, filters=filters,
                           sorts=sorts, partners=partners, statuses=list(AgreementStatus),
                           money=_money())


@bp.route("/agreements/export.csv")
def agreements_export() -> Response:
    _require(Action.READ, Area.AGREEMENTS)
    if not has(current_user, Capability.EXPORT):
        abort(403)
    money = _money()
    filters = queries.AgreementFilters.from_args(request.args, money)
    rows = db.session.scalars(queries.agreement_list(current_user, filters, date.today()))
    header = [_("Title"), _("Partner"), _("Status"), _("Owner"), _("Start"), _("End"),
              _("Notice / renewal date"), _("Signed on")]
    if money:
        header += [_("Fees"), _("Currency"), _("Payment terms")]

    def line(a: Agreement) -> list[object]:
        terms = a.signed_version or a.latest
        row = [a.title, a.organization.name, a.status_label, str(a.owner or ""),
               terms.start_on if terms else "", a.end_on or "", a.notice_on or "",
               a.signed_on or ""]
        if money:
            row += [terms.fee_amount if terms else "", terms.currency if terms else "",
                    terms.payment_terms if terms else ""]
        return row

    return csv_response("agreements.csv", header, (line(a) for a in rows))


@bp.route("/<int:org_id>/agreements/new", methods=["GET", "POST"])
def agreement_create(org_id: int) -> Reply:
    org = get_visible_or_404(current_user, Organization, org_id, kind=OrgKind.PARTNER.value)
    _require(Action.CREATE, Area.AGREEMENTS)
    form = NewAgreementForm(money=_money())
    if request.method == "GET":
        form.owner_id.data = current_user.id
        form.team_id.data = org.team_id
    if form.validate_on_submit():
        agreement = create_agreement(org, form.to_input())
        db.session.flush()
        if not can(current_user, Action.EDIT, agreement):
            db.session.rollback()
            form.owner_id.errors.append(_("You may only add agreements that you own or that "
                                          "belong to your team."))
        else:
            db.session.commit()
            flash(_("The agreement is saved as a draft with its first version."), "success")
            return redirect(url_for("partners.agreement_detail", agreement_id=agreement.id))
    return render_template("partners/agreement_form.html", form=form, org=org,
                           agreement=None, money=_money()), (
        422 if form.is_submitted() else 200)


@bp.route("/agreements/<int:agreement_id>")
def agreement_detail(agreement_id: int) -> str:
    agreement = _agreement(agreement_id)
    moves = allowed_moves(agreement)
    return render_template(
        "partners/agreement_detail.html", agreement=agreement, org=agreement.organization,
        money=_money(), hidden=hidden_terms(_money()), fields=compare.FIELDS,
        status_form=StatusForm(allowed=moves), moves=moves,
        sign_form=SignForm(versions=agreement.versions,
                           version_id=agreement.latest.id if agreement.latest else None),
        followups=followups_for(current_user, agreement),
        attachments=attachments_of(agreement), upload_form=UploadForm())


@bp.route("/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
def agreement_edit(agreement_id: int) -> Reply:
    agreement = _agreement(agreement_id)
    _require(Action.EDIT, agreement)
    form = bound_form(AgreementForm, agreement)
    conflict = None
    if form.validate_on_submit():
        try:
            update_agreement(agreement, form.to_input(), version=form.version.data)
        except StaleRecord as stale:
            conflict = stale
            form.version.data = agreement.version
        else:
            db.session.flush()
            if not can(current_user, Action.EDIT, agreement):
                db.session.rollback()
                form.owner_id.errors.append(_("After this change you could no longer edit "
                                              "the agreement: keep yourself or your team."))
            else:
                db.session.commit()
                flash(_("The agreement is saved."), "success")
                return redirect(url_for("partners.agreement_detail",
                                        agreement_id=agreement.id))
    status = 409 if conflict else (422 if form.is_submitted() else 200)
    return render_template("partners/agreement_form.html", form=form, org=agreement.organization,
                           agreement=agreement, money=_money(), conflict=conflict,
                           conflict_changes=shown_changes(conflict.events) if conflict else {}
                           ), status


@bp.route("/agreements/<int:agreement_id>/versions/new", methods=["GET", "POST"])
def version_create(agreement_id: int) -> Reply:
    agreement = _agreement(agreement_id)
    _require(Action.EDIT, agreement)
    if not agreement.accepts_new_terms:
        flash(_("The terms of a %(status)s agreement no longer change.",
                status=agreement.status_label), "error")
        return redirect(url_for("partners.agreement_detail", agreement_id=agreement.id))
    latest = agreement.latest
    form = TermsForm(obj=latest if request.method == "GET" else None, money=_money())
    if request.method == "GET":
        form.proposed_by.data = "them" if latest and latest.proposed_by == "us" else "us"
        form.notes.data = ""
    if form.validate_on_submit():
        version = add_version(agreement, form.to_input())
        db.session.commit()
        flash(_("Version %(n)d of the terms is saved.", n=version.number), "success")
        return redirect(url_for("partners.agreement_detail", agreement_id=agreement.id))
    return render_template("partners/version_form.html", form=form, agreement=agreement,
                           org=agreement.organization, money=_money()), (
        422 if form.is_submitted() else 200)


@bp.route("/agreements/<int:agreement_id>/compare")
def version_compare(agreement_id: int) -> Reply:
    agreement = _agreement(agreement_id)
    by_number = {v.number: v for v in agreement.versions}
    numbers = sorted(by_number)
    if len(numbers) < 2:
        flash(_("There is only one version to look at."), "info")
        return redirect(url_for("partners.agreement_detail", agreement_id=agreement.id))
    a = request.args.get("a", type=int) if request.args.get("a", "").isdecimal() else None
    b = request.args.get("b", type=int) if request.args.get("b", "").isdecimal() else None
    left = by_number.get(a or numbers[-2]) or by_number[numbers[-2]]
    right = by_number.get(b or numbers[-1]) or by_number[numbers[-1]]
    rows = compare.compare(left, right, hidden_terms(_money()))
    return render_template("partners/compare.html", agreement=agreement,
                           org=agreement.organization, left=left, right=right, rows=rows,
                           numbers=numbers)


@bp.route("/agreements/<int:agreement_id>/status", methods=["POST"])
def agreement_move(agreement_id: int) -> Response:
    agreement = _agreement(agreement_id)
    _require(Action.EDIT, agreement)
    target = (request.form.get("status") or "")[:20]
    try:
        move_status(agreement, target, (request.form.get("reason") or "")[:2000])
    except MoveRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(_("The agreement is now %(status)s.", status=agreement.status_label), "success")
    return redirect(url_for("partners.agreement_detail", agreement_id=agreement.id))


@bp.route("/agreements/<int:agreement_id>/sign", methods=["POST"])
def agreement_sign(agreement_id: int) -> Reply:
    agreement = _agreement(agreement_id)
    _require(Action.EDIT, agreement)
    form = SignForm(versions=agreement.versions)
    if form.validate_on_submit():
        version = db.session.get(AgreementVersion, form.version_id.data)
        try:
            sign(agreement, version, form.signed_on.data, form.signatories.data)
        except MoveRefused as refused:
            db.session.rollback()
            flash(str(refused), "error")
        else:
            db.session.commit()
            flash(_("Version %(n)d is marked as signed.", n=version.number), "success")
    else:
        for field, errors in form.errors.items():
            flash(f"{form[field].label.text}: {' '.join(map(str, errors))}", "error")
    return redirect(url_for("partners.agreement_detail", agreement_id=agreement.id))


@bp.route("/agreements/<int:agreement_id>/archive", methods=["POST"])
def agreement_archive(agreement_id: int) -> Response:
    agreement = _agreement(agreement_id)
    return archive_record(agreement, done=_("The agreement is archived."),
                          next_url=url_for("partners.detail", org_id=agreement.organization_id))


@bp.route("/agreements/<int:agreement_id>/restore", methods=["POST"])
def agreement_restore(agreement_id: int) -> Response:
    agreement = _agreement(agreement_id)
    return restore_record(
        agreement, done=_("The agreement is restored."),
        next_url=url_for("partners.agreement_detail", agreement_id=agreement.id))


@bp.route("/agreements/<int:agreement_id>/history")
def agreement_history(agreement_id: int) -> str:
    agreement = _agreement(agreement_id)
    return history_page(
        agreement, hidden=hidden_terms(_money()),
        back=url_for("partners.agreement_detail", agreement_id=agreement.id))


