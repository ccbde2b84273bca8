"""Resource requests: people, budget or equipment, decided by the named approver."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.access import (
    Action,
    may_add_to_team,
    may_decide_request,
    may_edit_request,
    may_fulfil_request,
)
from tracker.models import RequestKind, RequestStatus, ResourceRequest
from tracker.records import StaleRecord
from tracker.teams.reports import queries, services
from tracker.web.forms import bound_form
from tracker.web.kit import (
    Reply,
    Submission,
    done,
    load,
    record_pages,
    require,
    require_can,
    require_kept,
    status_of,
)
from tracker.web.teams import bp
from tracker.web.teams.reports.common import paginate, team_or_404
from tracker.web.teams.reports.forms import DecisionForm, RequestForm
from tracker.workflow import MoveRefused


def _request(request_id: int) -> ResourceRequest:
    return load(ResourceRequest, request_id)


def _detail(req: ResourceRequest) -> str:
    return url_for("teams.request_detail", request_id=req.id)


def _to_detail(req: ResourceRequest) -> Reply:
    return redirect(_detail(req))


def _detail_page(req: ResourceRequest, decide_form: DecisionForm | None = None,
                 conflict: StaleRecord | None = None) -> str:
    if decide_form is None:
        decide_form = DecisionForm(formdata=None, version=req.version)
    return render_template(
        "teams/reports/request_detail.html", req=req, team=req.team, decide_form=decide_form,
        may_edit=may_edit_request(current_user, req),
        may_decide=may_decide_request(current_user, req),
        may_fulfil=may_fulfil_request(current_user, req), conflict=conflict)


@bp.route("/<int:team_id>/requests")
def requests(team_id: int) -> str:
    team = team_or_404(team_id)
    filters = queries.RequestFilters.from_args(request.args)
    return render_template(
        "teams/reports/requests.html", team=team, filters=filters,
        page=paginate(queries.request_list(current_user, team, filters),
                      queries.request_keys()),
        statuses=list(RequestStatus), kinds=list(RequestKind),
        may_raise=may_add_to_team(current_user, team))


@bp.route("/<int:team_id>/requests/new", methods=["GET", "POST"])
def request_create(team_id: int) -> Reply:
    team = team_or_404(team_id)
    require(may_add_to_team(current_user, team))
    form = RequestForm(requester_id=current_user.id)
    if not form.is_submitted():
        form.kind.data = RequestKind.BUDGET.value
        form.unit.data = "CNY"
        leads = [u for u in team.leads if u.id != current_user.id]
        form.approver_id.data = leads[0].id if leads else None
    if form.validate_on_submit():
        req = services.save_request(form.to_input(), team=team, requester=current_user)
        require_kept(Action.EDIT, req)
        return done(_("The request is sent to %(name)s.", name=req.approver.name), _detail(req))
    return render_template("teams/reports/request_form.html", form=form, team=team,
                           req=None), status_of(form)


@bp.route("/requests/<int:request_id>")
def request_detail(request_id: int) -> str:
    return _detail_page(_request(request_id))


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
def request_edit(request_id: int) -> Reply:
    req = _request(request_id)
    require_can(Action.EDIT, req)
    if not req.awaits_decision:
        flash(_("A request that is %(status)s no longer changes.",
                status=RequestStatus(req.status).label), "error")
        return _to_detail(req)
    require(may_edit_request(current_user, req))
    form = bound_form(RequestForm, req, requester_id=req.requester_id)
    post = Submission(form)
    if post.saved(lambda: services.save_request(form.to_input(), request=req,
                                                version=form.version.data)):
        return done(_("The request is saved."), _detail(req))
    return render_template("teams/reports/request_form.html", form=form, team=req.team,
                           req=req, conflict=post.conflict), post.status


@bp.route("/requests/<int:request_id>/decide", methods=["POST"])
def request_decide(request_id: int) -> Reply:
    req = _request(request_id)
    require(may_decide_request(current_user, req))
    if not req.awaits_decision:
        flash(_("The request is %(status)s already.", status=RequestStatus(req.status).label),
              "error")
        return _to_detail(req)
    form = DecisionForm()
    post = Submission(form)
    try:
        if post.saved(lambda: services.decide_request(
                req, form.decision.data or "", form.granted_amount.data,
                form.approver_note.data or "", version=form.version.data)):
            return done(_("The request is %(status)s.",
                          status=RequestStatus(req.status).label), _detail(req))
    except MoveRefused as refused:
        form[refused.field].errors.append(str(refused))
    return _detail_page(req, form, post.conflict), post.status


@bp.route("/requests/<int:request_id>/fulfil", methods=["POST"])
def request_fulfil(request_id: int) -> Reply:
    req = _request(request_id)
    require(may_fulfil_request(current_user, req))
    try:
        services.fulfil_request(req)
    except MoveRefused as refused:
        flash(str(refused), "error")
    else:
        return done(_("The request is marked fulfilled."), _detail(req))
    return _to_detail(req)


record_pages(
    bp, "request", "/requests/<int:request_id>", _request, detail="teams.request_detail",
    archived=_l("The request is archived."), restored=_l("The request is restored."),
    after_archive=lambda req: url_for("teams.requests", team_id=req.team_id))
