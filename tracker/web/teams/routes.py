"""Team list and team page."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from tracker.access import Action, may_create_teams, may_write_report, visible
from tracker.extensions import db
from tracker.memberships import encode, state_of
from tracker.models import Team, TeamMembership
from tracker.teams.feed import queries as feed_queries
from tracker.teams.goals import queries as goal_queries
from tracker.teams.queries import team_page
from tracker.teams.reports.queries import local_today
from tracker.teams.services import save_team
from tracker.text import contains, squash
from tracker.web.forms import bound_form
from tracker.web.kit import Reply, Submission, done, load, record_pages, require, require_can
from tracker.web.teams import bp
from tracker.web.teams.forms import TeamForm


@bp.route("/")
def index() -> str:
    stmt = (visible(current_user, Team)
            .options(selectinload(Team.memberships).selectinload(TeamMembership.user))
            .order_by(Team.sort_name))
    q = squash(request.args.get("q"))
    if q:
        stmt = stmt.where(contains(Team.name, q))
    return render_template("teams/list.html", teams=db.session.scalars(stmt).all(), q=q)


@bp.route("/<int:team_id>")
def detail(team_id: int) -> str:
    page = team_page(current_user, team_id, local_today())
    return render_template(
        "teams/detail.html", team=page.team, members=page.members, counts=page.counts,
        summary=page.summary, goal_summary=goal_queries.summary(current_user, page.team),
        feed_items=feed_queries.latest(current_user, page.team),
        may_report=may_write_report(current_user, page.team))


def _form_page(post: Submission, team: Team | None) -> tuple[str, int]:
    return render_template("teams/form.html", form=post.form, team=team,
                           conflict=post.conflict), post.status


def _team(team_id: int) -> Team:
    return load(Team, team_id)


def _detail(team: Team) -> str:
    return url_for("teams.detail", team_id=team.id)


@bp.route("/new", methods=["GET", "POST"])
def create() -> Reply:
    require(may_create_teams(current_user))
    post = Submission(TeamForm())
    if post.saved(lambda: save_team(post.form.to_input())):
        team = post.value
        return done(_("%(name)s is saved.", name=team.name), _detail(team))
    return _form_page(post, None)


@bp.route("/<int:team_id>/edit", methods=["GET", "POST"])
def edit(team_id: int) -> Reply:
    team = _team(team_id)
    require_can(Action.EDIT, team)
    form = bound_form(TeamForm, team, team=team)
    if request.method == "GET":
        form.members.data = [m.user_id for m in team.memberships]
        form.leads.data = [m.user_id for m in team.memberships if m.is_lead]
        form.members_loaded.data = encode(state_of(
            (m.user_id, m.is_lead) for m in team.memberships))
    post = Submission(form)
    if post.saved(lambda: save_team(form.to_input(), team, version=form.version.data)):
        return done(_("%(name)s is saved.", name=team.name), _detail(team))
    return _form_page(post, team)


record_pages(
    bp, "", "/<int:team_id>", _team, detail="teams.detail",
    archived=lambda team: _("%(name)s is archived.", name=team.name),
    restored=lambda team: _("%(name)s is restored.", name=team.name),
    after_archive=lambda team: url_for("teams.index"))
