"""SMART goals of a team: the tree with progress bars, a goal's page, check-ins, history."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import Action, can, get_visible_or_404, may_add_subgoal, may_add_to_team
from tracker.extensions import db
from tracker.followups import followups_for
from tracker.forms import bound_form
from tracker.models import Goal, Team
from tracker.record_views import archive_record, history_page, restore_record
from tracker.records import StaleRecord, shown_changes
from tracker.teams.goals import queries
from tracker.teams.goals.services import add_checkin, save_goal
from tracker.web.teams import bp
from tracker.web.teams.goals.forms import CheckInForm, GoalForm

Reply = Response | str | tuple[str, int]


def _goal(goal_id: int) -> Goal:
    return get_visible_or_404(current_user, Goal, goal_id)


def _require(action: Action, record: object) -> None:
    if not can(current_user, action, record):
        abort(403)


@bp.route("/<int:team_id>/goals")
def goals(team_id: int) -> str:
    team = get_visible_or_404(current_user, Team, team_id)
    return render_template("teams/goals/list.html", team=team,
                           roots=queries.tree(queries.team_goals(current_user, team)),
                           may_add=may_add_to_team(current_user, team))


def _form_page(form: GoalForm, team: Team, goal: Goal | None,
               conflict: StaleRecord | None = None) -> tuple[str, int]:
    status = 409 if conflict else (422 if form.is_submitted() else 200)
    return render_template("teams/goals/form.html", form=form, team=team, goal=goal,
                           conflict=conflict,
                           conflict_changes=shown_changes(conflict.events) if conflict else {}
                           ), status


@bp.route("/<int:team_id>/goals/new", methods=["GET", "POST"])
def goal_create(team_id: int) -> Reply:
    team = get_visible_or_404(current_user, Team, team_id)
    if not may_add_to_team(current_user, team):  # an archived team takes nothing new either
        abort(403)
    form = GoalForm(team=team, user=current_user)
    if request.method == "GET":
        form.owner_id.data = current_user.id
        form.parent_id.data = request.args.get("parent", type=int)
    if form.validate_on_submit():
        goal = save_goal(form.to_input(), team)
        db.session.commit()
        flash(_("The goal is set."), "success")
        return redirect(url_for("teams.goal_detail", goal_id=goal.id))
    return _form_page(form, team, None)


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
    _require(Action.EDIT, goal)
    form = bound_form(GoalForm, goal, team=goal.team, user=current_user, goal=goal)
    conflict = None
    if form.validate_on_submit():
        try:
            save_goal(form.to_input(), goal.team, goal, version=form.version.data)
        except StaleRecord as stale:
            conflict = stale
            form.version.data = goal.version
        else:
            db.session.flush()
            if not can(current_user, Action.EDIT, goal):
                db.session.rollback()
                form.owner_id.errors.append(_("After this change you could no longer edit "
                                              "the goal: keep yourself as its owner."))
            else:
                db.session.commit()
                flash(_("The goal is saved."), "success")
                return redirect(url_for("teams.goal_detail", goal_id=goal.id))
    return _form_page(form, goal.team, goal, conflict)


@bp.route("/goals/<int:goal_id>/checkins", methods=["POST"])
def goal_checkin(goal_id: int) -> Reply:
    goal = _goal(goal_id)
    _require(Action.EDIT, goal)
    form = CheckInForm()
    if not form.validate_on_submit():
        return _detail_page(goal, form, 422)
    add_checkin(goal, form.value.data, form.note.data or "", current_user)
    db.session.commit()
    flash(_("Check-in saved."), "success")
    return redirect(url_for("teams.goal_detail", goal_id=goal.id, _anchor="checkins"))


@bp.route("/goals/<int:goal_id>/archive", methods=["POST"])
def goal_archive(goal_id: int) -> Response:
    goal = _goal(goal_id)
    if can(current_user, Action.READ, goal.team):
        next_url = url_for("teams.goals", team_id=goal.team_id)
    else:
        next_url = url_for("teams.goal_detail", goal_id=goal.id)
    return archive_record(goal, done=_("The goal is archived."), next_url=next_url)


@bp.route("/goals/<int:goal_id>/restore", methods=["POST"])
def goal_restore(goal_id: int) -> Response:
    goal = _goal(goal_id)
    return restore_record(goal, done=_("The goal is restored."),
                          next_url=url_for("teams.goal_detail", goal_id=goal.id))


@bp.route("/goals/<int:goal_id>/history")
def goal_history(goal_id: int) -> str:
    goal = _goal(goal_id)
    return history_page(goal, back=url_for("teams.goal_detail", goal_id=goal.id))
