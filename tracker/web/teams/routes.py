"""Team list and team page."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from tracker.access import (
    Action,
    can,
    get_visible_or_404,
    may_create_teams,
    visible,
)
from tracker.extensions import db
from tracker.forms import bound_form
from tracker.memberships import encode, state_of
from tracker.models import Team, TeamMembership
from tracker.record_views import archive_record, history_page, restore_record
from tracker.records import StaleRecord, shown_changes
from tracker.teams.feed import queries as feed_queries
from tracker.teams.goals import queries as goal_queries
from tracker.teams.queries import team_page
from tracker.teams.reports.queries import local_today
from tracker.teams.services import save_team
from tracker.text import squash
from tracker.web.teams import bp
from tracker.web.teams.forms import TeamForm

Reply = Response | str | tuple[str, int]


@bp.route("/")
def index() -> str:
    stmt = (visible(current_user, Team)
            .options(selectinload(Team.memberships).selectinload(TeamMembership.user))
            .order_by(Team.name))
    q = squash(request.args.get("q"))
    if q:
        stmt = stmt.where(Team.name.ilike(f"%{q}%"))
    return render_template("teams/list.html", teams=db.session.scalars(stmt).all(), q=q)


@bp.route("/<int:team_id>")
def detail(team_id: int) -> str:
    page = team_page(current_user, team_id, local_today())
    return render_template(
        "teams/detail.html", team=page.team, members=page.members, counts=page.counts,
        summary=page.summary, goal_summary=goal_queries.summary(current_user, page.team),
        feed_items=feed_queries.latest(current_user, page.team))


def _form_page(form: TeamForm, team: Team | None,
               conflict: StaleRecord | None = None) -> tuple[str, int]:
    status = 409 if conflict else (422 if form.is_submitted() else 200)
    return render_template("teams/form.html", form=form, team=team, conflict=conflict,
                           conflict_changes=shown_changes(conflict.events) if conflict else {}
                           ), status


@bp.route("/new", methods=["GET", "POST"])
def create() -> Reply:
    if not may_create_teams(current_user):
        abort(403)
    form = TeamForm()
    if form.validate_on_submit():
        team = save_team(form.to_input())
        db.session.commit()
        flash(_("%(name)s is saved.", name=team.name), "success")
        return redirect(url_for("teams.detail", team_id=team.id))
    return _form_page(form, None)


@bp.route("/<int:team_id>/edit", methods=["GET", "POST"])
def edit(team_id: int) -> Reply:
    team = get_visible_or_404(current_user, Team, team_id)
    if not can(current_user, Action.EDIT, team):
        abort(403)
    form = bound_form(TeamForm, team, team=team)
    if request.method == "GET":
        form.members.data = [m.user_id for m in team.memberships]
        form.leads.data = [m.user_id for m in team.memberships if m.is_lead]
        form.members_loaded.data = encode(state_of(
            (m.user_id, m.is_lead) for m in team.memberships))
    conflict = None
    if form.validate_on_submit():
        try:
            save_team(form.to_input(), team, version=form.version.data)
        except StaleRecord as stale:
            conflict = stale
            form.version.data = team.version
        else:
            db.session.commit()
            flash(_("%(name)s is saved.", name=team.name), "success")
            return redirect(url_for("teams.detail", team_id=team.id))
    return _form_page(form, team, conflict)


@bp.route("/<int:team_id>/archive", methods=["POST"])
def archive(team_id: int) -> Response:
    team = get_visible_or_404(current_user, Team, team_id)
    return archive_record(team, done=_("%(name)s is archived.", name=team.name),
                          next_url=url_for("teams.index"))


@bp.route("/<int:team_id>/restore", methods=["POST"])
def restore(team_id: int) -> Response:
    team = get_visible_or_404(current_user, Team, team_id)
    return restore_record(team, done=_("%(name)s is restored.", name=team.name),
                          next_url=url_for("teams.detail", team_id=team.id))


@bp.route("/<int:team_id>/history")
def history(team_id: int) -> str:
    team = get_visible_or_404(current_user, Team, team_id)
    return history_page(team, back=url_for("teams.detail", team_id=team.id))
