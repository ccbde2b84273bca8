"""Progress reports: one per member and period, the lead's reply, blockers escalated.

Problems and resource requests have their routes in ``problems`` and ``resources``.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from tracker.access import (
    Action,
    may_add_to_team,
    may_create_followups,
    may_escalate_report,
    may_reply_to_report,
    may_write_report,
)
from tracker.extensions import db
from tracker.followups import OwnerMayNotSee, followups_for, owner_choices
from tracker.models import ProgressReport, Team
from tracker.records import StaleRecord
from tracker.teams.reports import queries, services
from tracker.teams.reports.workflow import TEMPLATE_HELPERS
from tracker.web.forms import bound_form
from tracker.web.kit import (
    Reply,
    Submission,
    done,
    load,
    record_pages,
    refuse_owner,
    require,
    require_can,
    require_kept,
    status_of,
)
from tracker.web.teams import bp
from tracker.web.teams.reports.common import paginate, require_reports, team_or_404
from tracker.web.teams.reports.forms import BlockerForm, CommentForm, ReportForm


@bp.context_processor
def _helpers() -> dict:
    """Labels and badges of problems and requests, for this blueprint's templates."""
    return TEMPLATE_HELPERS


def _team(team_id: int) -> Team:
    require_reports()
    return team_or_404(team_id)


def _report(report_id: int) -> ProgressReport:
    require_reports()
    return load(ProgressReport, report_id)


def _detail(report: ProgressReport) -> str:
    return url_for("teams.report_detail", report_id=report.id)


def _to_detail(report: ProgressReport) -> Reply:
    return redirect(_detail(report))


def _detail_page(report: ProgressReport, *, comment_form: CommentForm | None = None,
                 blocker_form: BlockerForm | None = None,
                 conflict: StaleRecord | None = None) -> str:
    if comment_form is None:
        comment_form = CommentForm(formdata=None, lead_comment=report.lead_comment,
                                   version=report.version)
    if blocker_form is None:
        blocker_form = BlockerForm(formdata=None, owner_id=report.author_id,
                                   due_on=queries.local_today() + services.FOLLOWUP_DAYS,
                                   readers=owner_choices(report))
    return render_template(
        "teams/reports/report_detail.html", report=report, team=report.team,
        comment_form=comment_form, blocker_form=blocker_form,
        may_comment=may_reply_to_report(current_user, report),
        may_escalate=may_escalate_report(current_user, report),
        may_raise=may_add_to_team(current_user, report.team),
        may_follow_up=may_create_followups(current_user),
        followups=followups_for(current_user, report), conflict=conflict)


@bp.route("/<int:team_id>/reports")
def reports(team_id: int) -> str:
    team = _team(team_id)
    start, reported, missing = queries.reporting_status(team, queries.local_today())
    mine = queries.own_report(team, current_user, start)
    page = paginate(queries.team_reports(current_user, team), queries.REPORT_KEYS)
    return render_template(
        "teams/reports/list.html", team=team, page=page, start=start, reported=reported,
        missing=missing, mine=mine, may_report=may_write_report(current_user, team))


@bp.route("/<int:team_id>/reports/new", methods=["GET", "POST"])
def report_create(team_id: int) -> Reply:
    team = _team(team_id)
    require(may_write_report(current_user, team))
    start = queries.period_start(team.report_cadence, queries.local_today())
    existing = queries.own_report(team, current_user, start)
    if existing is not None:
        flash(_("You have reported for this period already: change that report here."), "info")
        return redirect(url_for("teams.report_edit", report_id=existing.id))
    form = ReportForm()
    if form.validate_on_submit():
        report = services.save_report(form.to_input(), team=team, author=current_user,
                                      start=start)
        try:
            db.session.flush()
        except IntegrityError:  # the same person, in another tab, a moment earlier
            db.session.rollback()
            existing = queries.own_report(team, current_user, start)
            flash(_("You have reported for this period already: change that report here."),
                  "info")
            return redirect(url_for("teams.report_edit", report_id=existing.id))
        return done(_("Your report is saved."), _detail(report))
    return render_template("teams/reports/report_form.html", form=form, team=team,
                           report=None, start=start), status_of(form)


@bp.route("/reports/<int:report_id>")
def report_detail(report_id: int) -> str:
    return _detail_page(_report(report_id))


@bp.route("/reports/<int:report_id>/edit", methods=["GET", "POST"])
def report_edit(report_id: int) -> Reply:
    report = _report(report_id)
    require_can(Action.EDIT, report)
    form = bound_form(ReportForm, report)
    post = Submission(form)
    if post.saved(lambda: services.save_report(form.to_input(), report=report,
                                               version=form.version.data)):
        return done(_("Your report is saved."), _detail(report))
    return render_template(
        "teams/reports/report_form.html", form=form, team=report.team, report=report,
        start=report.period_start, conflict=post.conflict), post.status


@bp.route("/reports/<int:report_id>/comment", methods=["POST"])
def report_comment(report_id: int) -> Reply:
    report = _report(report_id)
    require(may_reply_to_report(current_user, report))
    form = CommentForm()
    post = Submission(form)
    if post.saved(lambda: services.comment_report(report, form.lead_comment.data,
                                                  current_user, version=form.version.data)):
        return done(_("Your reply is saved; %(name)s sees it with the report.",
                      name=report.author.name), _detail(report))
    return _detail_page(report, comment_form=form, conflict=post.conflict), post.status


@bp.route("/reports/<int:report_id>/blocker", methods=["POST"])
def report_blocker(report_id: int) -> Reply:
    report = _report(report_id)
    require(may_escalate_report(current_user, report))
    if not report.blockers.strip():
        flash(_("This report names no blockers."), "error")
        return _to_detail(report)
    form = BlockerForm(action=(request.form.get("action") or "")[:20],
                       readers=owner_choices(report))
    if form.action == "problem":
        require(may_add_to_team(current_user, report.team))
    else:
        require(may_create_followups(current_user))
    if not form.validate_on_submit():
        return _detail_page(report, blocker_form=form), 422
    if form.action == "problem":
        problem = services.blocker_to_problem(report, current_user, form.owner_id.data)
        require_kept(Action.EDIT, problem)
        return done(_("The blockers are raised as a problem."),
                    url_for("teams.problem_detail", problem_id=problem.id))
    try:
        services.blocker_to_followup(report, form.owner_id.data, form.due_on.data)
    except OwnerMayNotSee as refused:  # lost sight of it since the page was read
        db.session.rollback()
        refuse_owner(form, refused)
        return _detail_page(report, blocker_form=form), 422
    return done(_("The blockers are a follow-up now."), _detail(report))


record_pages(bp, "report", "/reports/<int:report_id>", _report, detail="teams.report_detail",
             pages=("history",))


from tracker.web.teams.reports import problems, resources  # noqa: E402,F401
