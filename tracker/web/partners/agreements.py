"""Agreements: list, create, the terms' versions, comparison, workflow and signing."""

from __future__ import annotations

from datetime import date

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.access import Action, Area, Capability, has, visible
from tracker.attachments import attachments_of
from tracker.extensions import db
from tracker.followups import followups_for
from tracker.i18n import local_today
from tracker.models import Agreement, AgreementStatus, AgreementVersion, Organization, OrgKind
from tracker.paging import PAGE_SIZES, requested_page_size
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
from tracker.web.exports import Column, export_response
from tracker.web.forms import bound_form
from tracker.web.kit import (
    Reply,
    Submission,
    done,
    flash_errors,
    load,
    record_pages,
    require,
    require_can,
    status_of,
)
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


def _money() -> bool:
    return has(current_user, Capability.SEE_MONEY)


def _agreement(agreement_id: int) -> Agreement:
    return load(Agreement, agreement_id)


def _proposing() -> bool:
    """Was the form sent with its "Propose" button (the terms put forward in the same
    save), rather than "Save as draft"?"""
    return "propose" in request.form


def _detail(agreement: Agreement) -> str:
    return url_for("partners.agreement_detail", agreement_id=agreement.id)


@bp.route("/agreements/")
def agreements() -> str:
    require_can(Action.READ, Area.AGREEMENTS)
    filters = queries.AgreementFilters.from_args(request.args, _money())
    page = queries.agreement_page(
        current_user, filters, date.today(), money=_money(),
        per_page=requested_page_size(), after=request.args.get("after"),
        before=request.args.get("before"))
    page.sizes = PAGE_SIZES
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


@bp.route("/agreements/export")
@bp.route("/agreements/export.csv")
def agreements_export() -> Response:
    """The filtered agreements as listed (the terms shown: signed, else the latest; fees
    for readers who see money), as CSV or a workbook."""
    require_can(Action.READ, Area.AGREEMENTS)
    require(has(current_user, Capability.EXPORT))
    money = _money()
    filters = queries.AgreementFilters.from_args(request.args, money)
    rows = db.session.scalars(queries.agreement_list(current_user, filters, date.today()))

    def terms(a: Agreement) -> AgreementVersion | None:
        return a.signed_version or a.latest

    columns = [
        Column(_("Title"), lambda a: a.title, 28),
        Column(_("Partner"), lambda a: a.organization.name, 20),
        Column(_("Status"), lambda a: a.status_label),
        Column(_("Owner"), lambda a: a.owner.name if a.owner else ""),
        Column(_("Start"), lambda a: terms(a).start_on if terms(a) else None, 12),
        Column(_("End"), lambda a: a.end_on, 12),
        Column(_("Notice / renewal date"), lambda a: a.notice_on, 12),
        Column(_("Signed on"), lambda a: a.signed_on, 12)]
    if money:
        columns += [
            Column(_("Fees"), lambda a: terms(a).fee_amount if terms(a) else None, 14),
            Column(_("Currency"), lambda a: terms(a).currency if terms(a) else ""),
            Column(_("Payment terms"), lambda a: terms(a).payment_terms if terms(a) else "")]
    return export_response("agreements", _("Agreements"), columns, rows)


@bp.route("/<int:org_id>/agreements/new", methods=["GET", "POST"])
def agreement_create(org_id: int) -> Reply:
    org = load(Organization, org_id, kind=OrgKind.PARTNER.value)
    require_can(Action.CREATE, Area.AGREEMENTS)
    form = NewAgreementForm(money=_money())
    if request.method == "GET":
        form.owner_id.data = current_user.id
        form.team_id.data = org.team_id
    post = Submission(form)
    propose = _proposing()
    if post.saved(lambda: create_agreement(org, form.to_input(), propose=propose)) and post.keeps(
            Action.EDIT, post.value, form.owner_id,
            _("You may only add agreements that you own or that belong to your team.")):
        return done(_("The terms are proposed: the agreement is saved with its first version.")
                    if propose else _("The agreement is saved as a draft with its first version."),
                    _detail(post.value))
    return render_template("partners/agreement_form.html", form=form, org=org,
                           agreement=None, money=_money()), post.status


@bp.route("/agreements/<int:agreement_id>")
def agreement_detail(agreement_id: int) -> str:
    agreement = _agreement(agreement_id)
    moves = allowed_moves(agreement)
    return render_template(
        "partners/agreement_detail.html", agreement=agreement, org=agreement.organization,
        money=_money(), hidden=hidden_terms(_money()), fields=compare.FIELDS,
        status_form=StatusForm(allowed=moves), moves=moves,
        sign_form=SignForm(versions=agreement.versions,
                           version_id=agreement.latest.id if agreement.latest else None,
                           signed_on=local_today(current_user)),
        followups=followups_for(current_user, agreement),
        attachments=attachments_of(agreement), upload_form=UploadForm())


@bp.route("/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
def agreement_edit(agreement_id: int) -> Reply:
    agreement = _agreement(agreement_id)
    require_can(Action.EDIT, agreement)
    form = bound_form(AgreementForm, agreement)
    post = Submission(form)
    if post.saved(lambda: update_agreement(agreement, form.to_input(),
                                           version=form.version.data)) and post.keeps(
            Action.EDIT, agreement, form.owner_id,
            _("After this change you could no longer edit the agreement: keep yourself or "
              "your team.")):
        return done(_("The agreement is saved."), _detail(agreement))
    return render_template("partners/agreement_form.html", form=form, org=agreement.organization,
                           agreement=agreement, money=_money(), conflict=post.conflict
                           ), post.status


@bp.route("/agreements/<int:agreement_id>/versions/new", methods=["GET", "POST"])
def version_create(agreement_id: int) -> Reply:
    agreement = _agreement(agreement_id)
    require_can(Action.EDIT, agreement)
    if not agreement.accepts_new_terms:
        flash(_("The terms of a %(status)s agreement no longer change.",
                status=agreement.status_label), "error")
        return redirect(_detail(agreement))
    latest = agreement.latest
    form = TermsForm(obj=latest if request.method == "GET" else None, money=_money())
    if request.method == "GET":
        form.proposed_by.data = "them" if latest and latest.proposed_by == "us" else "us"
        form.notes.data = ""
    if form.validate_on_submit():
        try:
            version = add_version(agreement, form.to_input(), propose=_proposing())
        except MoveRefused as refused:
            db.session.rollback()
            flash(str(refused), "error")
            return redirect(_detail(agreement))
        return done(_("Version %(n)d of the terms is saved; the agreement is now %(status)s.",
                      n=version.number, status=agreement.status_label), _detail(agreement))
    # A draft's terms may be put forward with the version (negotiating ones move anyway).
    proposes = (agreement.status not in AgreementStatus.is_negotiating
                and AgreementStatus.PROPOSED in allowed_moves(agreement))
    return render_template("partners/version_form.html", form=form, agreement=agreement,
                           org=agreement.organization, money=_money(), proposes=proposes
                           ), status_of(form)


@bp.route("/agreements/<int:agreement_id>/compare")
def version_compare(agreement_id: int) -> Reply:
    agreement = _agreement(agreement_id)
    by_number = {v.number: v for v in agreement.versions}
    numbers = sorted(by_number)
    if len(numbers) < 2:
        flash(_("There is only one version to look at."), "info")
        return redirect(_detail(agreement))
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
    require_can(Action.EDIT, agreement)
    target = (request.form.get("status") or "")[:20]
    try:
        move_status(agreement, target, (request.form.get("reason") or "")[:2000])
    except MoveRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(_detail(agreement))
    return done(_("The agreement is now %(status)s.", status=agreement.status_label),
                _detail(agreement))


@bp.route("/agreements/<int:agreement_id>/sign", methods=["POST"])
def agreement_sign(agreement_id: int) -> Reply:
    agreement = _agreement(agreement_id)
    require_can(Action.EDIT, agreement)
    form = SignForm(versions=agreement.versions)
    if form.validate_on_submit():
        version = db.session.get(AgreementVersion, form.version_id.data)
        try:
            moved = sign(agreement, version, form.signed_on.data, form.signatories.data)
        except MoveRefused as refused:
            db.session.rollback()
            flash(str(refused), "error")
        else:
            said = _("Version %(n)d is marked as signed.", n=version.number)
            if moved:
                said += " " + _("%(name)s moved to %(stage)s.", name=agreement.organization.name,
                                stage=agreement.organization.stage_label)
            return done(said, _detail(agreement))
    else:
        flash_errors(form)
    return redirect(_detail(agreement))


record_pages(
    bp, "agreement", "/agreements/<int:agreement_id>", _agreement,
    detail="partners.agreement_detail",
    archived=_l("The agreement is archived."), restored=_l("The agreement is restored."),
    after_archive=lambda agreement: url_for("partners.detail", org_id=agreement.organization_id),
    hidden=lambda: hidden_terms(_money()))
