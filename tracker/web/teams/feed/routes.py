"""The team feed: recognition, announcements and shared findings with short discussions;
a person's page with the praise they received and the goals they own."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.access import Action, may_add_to_team, may_comment_on_post
from tracker.extensions import db
from tracker.models import Post, Team, User
from tracker.teams.feed import queries
from tracker.teams.feed.services import add_comment, kind_label, recognize, save_post
from tracker.teams.goals import queries as goal_queries
from tracker.text import page_number
from tracker.web.forms import bound_form
from tracker.web.kit import Reply, Submission, done, load, record_pages, require, require_can
from tracker.web.teams import bp
from tracker.web.teams.feed.forms import CommentForm, PostForm, RecognitionForm
from tracker.web.teams.listing import after_archive


def _post(post_id: int) -> Post:
    return load(Post, post_id)


def _detail(post: Post) -> str:
    return url_for("teams.post_detail", post_id=post.id)


def _team_for_adding(team_id: int) -> Team:
    """The team, if the user may add to it (404 unseen; 403 without the right, or archived)."""
    team = load(Team, team_id)
    require(may_add_to_team(current_user, team))
    return team


@bp.route("/<int:team_id>/feed")
def feed(team_id: int) -> str:
    team = load(Team, team_id)
    page = queries.feed_page(current_user, team, page_number(request.args.get("page")))
    return render_template("teams/feed/feed.html", team=team, feed=page, kind_label=kind_label,
                           may_add=may_add_to_team(current_user, team))


@bp.route("/<int:team_id>/recognize", methods=["GET", "POST"], endpoint="recognize")
def recognize_view(team_id: int) -> Reply:
    team = _team_for_adding(team_id)
    people = queries.team_members(team, leave_out=current_user)
    form = RecognitionForm(people=people)
    if request.method == "GET":
        form.recipient_id.data = request.args.get("to", type=int)
    if form.validate_on_submit():
        recognition = recognize(team, form.recipient_id.data, form.message.data, current_user)
        db.session.flush()
        return done(_("Thank you: %(name)s sees your recognition on the team feed.",
                      name=db.session.get(User, recognition.recipient_id).name),
                    url_for("teams.feed", team_id=team.id))
    return render_template("teams/feed/recognize.html", form=form, team=team, people=people), (
        422 if form.is_submitted() else 200)


@bp.route("/people/<int:user_id>")
def person(user_id: int) -> str:
    someone = queries.person_or_404(current_user, user_id)
    goals = goal_queries.owned_by(current_user, someone)
    on = goal_queries.today()
    return render_template(
        "teams/feed/person.html", person=someone,
        teams=queries.teams_of(current_user, someone),
        recognition=queries.recognition_of(current_user, someone),
        goals=[(g, goal_queries.assessment(g, on)) for g in goals])


def _post_form_page(post: Submission, team: Team, record: Post | None) -> tuple[str, int]:
    return render_template("teams/feed/post_form.html", form=post.form, team=team,
                           post=record, conflict=post.conflict), post.status


@bp.route("/<int:team_id>/posts/new", methods=["GET", "POST"])
def post_create(team_id: int) -> Reply:
    team = _team_for_adding(team_id)
    form = PostForm()
    if request.method == "GET" and request.args.get("kind") == "finding":
        form.kind.data = "finding"
    post = Submission(form)
    if post.saved(lambda: save_post(form.to_input(), team, current_user)):
        return done(_("Shared with the team."), _detail(post.value))
    return _post_form_page(post, team, None)


def _post_page(post: Post, form: CommentForm | None = None,
               status: int = 200) -> tuple[str, int]:
    return render_template(
        "teams/feed/post_detail.html", post=post, team=post.team,
        comments=queries.comments_of(post), kind_label=kind_label,
        comment_form=form or CommentForm(formdata=None),
        may_comment=may_comment_on_post(current_user, post)), status


@bp.route("/posts/<int:post_id>")
def post_detail(post_id: int) -> Reply:
    return _post_page(_post(post_id))


@bp.route("/posts/<int:post_id>/comments", methods=["POST"])
def post_comment(post_id: int) -> Reply:
    post = _post(post_id)
    require(may_comment_on_post(current_user, post))
    form = CommentForm()
    if not form.validate_on_submit():
        return _post_page(post, form, 422)
    add_comment(post, form.body.data, current_user)
    return done(_("Reply posted."),
                url_for("teams.post_detail", post_id=post.id, _anchor="discussion"))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
def post_edit(post_id: int) -> Reply:
    record = _post(post_id)
    require_can(Action.EDIT, record)
    form = bound_form(PostForm, record)
    post = Submission(form)
    if post.saved(lambda: save_post(form.to_input(), record.team, current_user, record,
                                    version=form.version.data)):
        return done(_("The post is saved."), _detail(record))
    return _post_form_page(post, record.team, record)


record_pages(bp, "post", "/posts/<int:post_id>", _post, detail="teams.post_detail",
             archived=_l("The post is archived."), restored=_l("The post is restored."),
             after_archive=after_archive("teams.feed", _detail))
