"""SMART goals of a team: the tree with progress bars, a goal's page, check-ins, history."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.access import Action, can, may_add_subgoal, may_add_to_team
from tracker.followups import followups_for
from tracker.models import Goal, Team
from tracker.teams.goals import queries
from tracker.teams.goals.services import add_checkin, save_goal
from tracker.web.forms import bound_form
from tracker.web.kit import Reply, Submission, done, load, record_pages, require, require_can
from tracker.web.teams import bp
from tracker.web.teams.goals.forms import CheckInForm, GoalForm
from tracker.web.teams.listing import after_archive


def _goal(goal_id: int) -> Goal:
    return load(Goal, goal_id)


def _detail(goal: Goal) -> str:
    return url_for("teams.goal_detail", goal_id=goal.id)


@bp.route("/<int:team_id>/goals")
def goals(team_id: int) -> str:
    team = load(Team, team_id)
    return render_template("teams/goals/list.html", team=team,
                           roots=queries.tree(queries.team_goals(current_user, team)),
                           may_add=may_add_to_team(current_user, team))


def _form_page(post: Submission, team: Team, goal: Goal | None) -> tuple[str, int]:
    return render_template("teams/goals/form.html", form=post.form, team=team, goal=goal,
                           conflict=post.conflict), post.status


@bp.route("/<int:team_id>/goals/new", methods=["GET", "POST"])
def goal_create(team_id: int) -> Reply:
    team = load(Team, team_id)
    require(may_add_to_team(current_user, team))  # an archived team takes nothing new either
    form = GoalForm(team=team, user=current_user)
    if request.method == "GET":
        form.owner_id.data = current_user.id
        form.parent_id.data = request.args.get("parent", type=int)
    post = Submission(form)
    if post.saved(lambda: save_goal(form.to_input(), team)):
        return done(_("The goal is set."), _detail(post.value))
    return _form_page(post, team, None)


def _detail_page(goal: Goal, checkin_form: CheckInForm | None = None,
                 status: int = 200) -> tuple[str, int]:
    checkins = sorted(goal.checkins, key=lambda c: (c.at, c.id), reverse=True)
    return render_template(
        "teams/goals/detail.html", goal=goal, team=goal.team,
        assessment=queries.assessment(goal), checkins=checkins,
        children=queries.tree(queries.children_of(current_user, goal)),
        checkin_form=checkin_form or CheckInForm(formdata=None),
        may_check_in=can(current_user, Action.EDIT, goal),
        may_add=may_add_subgoal(current_user, goal),
        followups=followups_for(current_user, goal)), status


@bp.route("/goals/<int:goal_id>")
def goal_detail(goal_id: int) -> Reply:
    return _detail_page(_goal(goal_id))


@bp.route("/goals/<int:goal_id>/edit", methods=["GET", "POST"])
def goal_edit(goal_id: int) -> Reply:
    goal = _goal(goal_id)
    require_can(Action.EDIT, goal)
    form = bound_form(GoalForm, goal, team=goal.team, user=current_user, goal=goal)
    post = Submission(form)
    if post.saved(lambda: save_goal(form.to_input(), goal.team, goal,
                                    version=form.version.data)) and post.keeps(
            Action.EDIT, goal, form.owner_id,
            _("After this change you could no longer edit the goal: keep yourself as its "
              "owner.")):
        return done(_("The goal is saved."), _detail(goal))
    return _form_page(post, goal.team, goal)


@bp.route("/goals/<int:goal_id>/checkins", methods=["POST"])
def goal_checkin(goal_id: int) -> Reply:
    goal = _goal(goal_id)
    require_can(Action.EDIT, goal)
    form = CheckInForm()
    if not form.validate_on_submit():
        return _detail_page(goal, form, 422)
    add_checkin(goal, form.value.data, form.note.data or "", current_user)
    return done(_("Check-in saved."),
                url_for("teams.goal_detail", goal_id=goal.id, _anchor="checkins"))


record_pages(bp, "goal", "/goals/<int:goal_id>", _goal, detail="teams.goal_detail",
             archived=_l("The goal is archived."), restored=_l("The goal is restored."),
             after_archive=after_archive("teams.goals", _detail))
