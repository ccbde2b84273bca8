"""Problems raised by anyone in a team, tracked open → in progress → solved."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.access import Action, may_add_to_team
from tracker.extensions import db
from tracker.followups import followups_for
from tracker.models import Problem, ProblemStatus, Urgency
from tracker.teams.reports import queries, services
from tracker.teams.reports.origin import problem_origin
from tracker.teams.reports.workflow import problem_moves
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
from tracker.web.teams.reports.forms import ProblemForm, ProblemMoveForm
from tracker.workflow import MoveRefused


def _problem(problem_id: int) -> Problem:
    return load(Problem, problem_id)


def _detail(problem: Problem) -> str:
    return url_for("teams.problem_detail", problem_id=problem.id)


def _detail_page(problem: Problem, move_form: ProblemMoveForm | None = None) -> str:
    moves = problem_moves(problem)
    if move_form is None:
        move_form = ProblemMoveForm(formdata=None, allowed=moves)
    else:
        move_form.offer(moves)  # a refused form offers what is possible, keeping its entry
    return render_template("teams/reports/problem_detail.html", problem=problem,
                           team=problem.team, move_form=move_form, moves=moves,
                           followups=followups_for(current_user, problem),
                           shown=problem_origin(problem))


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
        require_kept(Action.EDIT, problem)
        return done(_("The problem is raised."), _detail(problem))
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
    post = Submission(form)
    if post.saved(lambda: services.save_problem(form.to_input(), problem=problem,
                                                version=form.version.data)):
        return done(_("The problem is saved."), _detail(problem))
    return render_template("teams/reports/problem_form.html", form=form, team=problem.team,
                           problem=problem, conflict=post.conflict), post.status


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
            return done(_("The problem is now %(status)s.",
                          status=ProblemStatus(problem.status).label), _detail(problem))
    return _detail_page(problem, form), 422


record_pages(
    bp, "problem", "/problems/<int:problem_id>", _problem, detail="teams.problem_detail",
    archived=_l("The problem is archived."), restored=_l("The problem is restored."),
    after_archive=lambda problem: url_for("teams.problems", team_id=problem.team_id))
