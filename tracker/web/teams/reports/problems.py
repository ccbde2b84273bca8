"""Problems raised by anyone in a team, tracked open → in progress → solved."""

from __future__ import annotations

from functools import partial

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import Action, can, get_visible_or_404, may_add_to_team
from tracker.extensions import db
from tracker.followups import followups_for
from tracker.forms import bound_form
from tracker.models import Problem
from tracker.record_views import archive_record, history_page, restore_record
from tracker.records import StaleRecord
from tracker.teams.reports import queries, services
from tracker.teams.reports.workflow import (
    ProblemStatus,
    Urgency,
    problem_moves,
)
from tracker.web.teams import bp
from tracker.web.teams.reports.common import (
    Reply,
    paginate,
    require,
    require_can,
    status_of,
    team_or_404,
)
from tracker.web.teams.reports.forms import ProblemForm, ProblemMoveForm
from tracker.workflow import MoveRefused


def _problem(problem_id: int) -> Problem:
    return get_visible_or_404(current_user, Problem, problem_id)


def _to_detail(problem: Problem) -> Reply:
    return redirect(url_for("teams.problem_detail", problem_id=problem.id))


def _changes(conflict: StaleRecord | None) -> dict:
    return queries.shown_record_changes("problems", conflict.events) if conflict else {}


def _detail_page(problem: Problem, move_form: ProblemMoveForm | None = None) -> str:
    moves = problem_moves(problem)
    if move_form is None:
        move_form = ProblemMoveForm(formdata=None, allowed=moves)
    else:
        move_form.offer(moves)  # a refused form offers what is possible, keeping its entry
    return render_template("teams/reports/problem_detail.html", problem=problem,
                           team=problem.team, move_form=move_form, moves=moves,
                           followups=followups_for(current_user, problem))


@bp.route("/<int:team_id>/problems")
def problems(team_id: int) -> str:
    team = team_or_404(team_id)
    filters = queries.ProblemFilters.from_args(request.args)
    return render_template(
        "teams/reports/problems.html", team=team, filters=filters,
        page=paginate(queries.problem_list(current_user, team, filters),
                      queries.problem_keys()),
        statuses=list(ProblemStatus), urgencies=list(Urgency),
        may_raise=may_add_to_team(current_user, team))


@bp.route("/<int:team_id>/problems/new", methods=["GET", "POST"])
def problem_create(team_id: int) -> Reply:
    team = team_or_404(team_id)
    require(may_add_to_team(current_user, team))
    form = ProblemForm()
    if form.validate_on_submit():
        problem = services.save_problem(form.to_input(), team=team, reporter=current_user)
        db.session.flush()
        if not can(current_user, Action.EDIT, problem):
            db.session.rollback()
            require(False)
        db.session.commit()
        flash(_("The problem is raised."), "success")
        return _to_detail(problem)
    return render_template("teams/reports/problem_form.html", form=form, team=team,
                           problem=None), status_of(form)


@bp.route("/problems/<int:problem_id>")
def problem_detail(problem_id: int) -> str:
    return _detail_page(_problem(problem_id))


@bp.route("/problems/<int:problem_id>/edit", methods=["GET", "POST"])
def problem_edit(problem_id: int) -> Reply:
    problem = _problem(problem_id)
    require_can(Action.EDIT, problem)
    form = bound_form(ProblemForm, problem,
                      solved=problem.is_solved)
    conflict = None
    if form.validate_on_submit():
        try:
            services.save_problem(form.to_input(), problem=problem, version=form.version.data)
        except StaleRecord as stale:
            conflict = stale
            form.version.data = problem.version
        else:
            db.session.commit()
            flash(_("The problem is saved."), "success")
            return _to_detail(problem)
    return render_template("teams/reports/problem_form.html", form=form, team=problem.team,
                           problem=problem, conflict=conflict,
                           conflict_changes=_changes(conflict)), status_of(form, conflict)


@bp.route("/problems/<int:problem_id>/move", methods=["POST"])
def problem_move(problem_id: int) -> Reply:
    problem = _problem(problem_id)
    require_can(Action.EDIT, problem)
    form = ProblemMoveForm()
    if form.validate_on_submit():
        try:
            services.move_problem(problem, form.status.data, form.solution.data or "")
        except MoveRefused as refused:
            db.session.rollback()
            form[refused.field].errors.append(str(refused))
        else:
            db.session.commit()
            flash(_("The problem is now %(status)s.",
                    status=ProblemStatus(problem.status).label), "success")
            return _to_detail(problem)
    return _detail_page(problem, form), 422


@bp.route("/problems/<int:problem_id>/archive", methods=["POST"])
def problem_archive(problem_id: int) -> Reply:
    problem = _problem(problem_id)
    return archive_record(problem, done=_("The problem is archived."),
                          next_url=url_for("teams.problems", team_id=problem.team_id))


@bp.route("/problems/<int:problem_id>/restore", methods=["POST"])
def problem_restore(problem_id: int) -> Reply:
    problem = _problem(problem_id)
    return restore_record(problem, done=_("The problem is restored."),
                          next_url=url_for("teams.problem_detail", problem_id=problem.id))


@bp.route("/problems/<int:problem_id>/history")
def problem_history(problem_id: int) -> str:
    problem = _problem(problem_id)
    return history_page(
        problem, back=url_for("teams.problem_detail", problem_id=problem.id),
        show_changes=partial(queries.shown_record_changes, "problems"))
