"""Comments on a record's page, with @mentions: post, remove, and the mention picker.

Every record page that takes comments includes ``_partials/comments.html``, which asks
``comment_thread(record)`` for what to show. Posting and removing work as plain forms
(the answer goes back to the record's page, at #comments); with htmx (``hx-post``) the
answer is the comments section alone, swapped in place. ``/comments/<type>/<id>`` is also
a page of its own: the thread with a "notify" list of the people who may see the record,
for a browser without JavaScript, and the page a refused comment is shown on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Response, abort, flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from wtforms import SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length

from tracker.access import may_comment_on, may_remove_comment, readers_of
from tracker.comments import (
    BODY_MAX,
    COMMENTABLE,
    NewComment,
    Posted,
    add_comment,
    comment_on,
    comments_on,
    record_label,
    record_path,
    remove_comment,
)
from tracker.extensions import db
from tracker.models import Comment, User
from tracker.search.names import name_keys
from tracker.search.normalize import fold
from tracker.text import squash
from tracker.urls import url_for
from tracker.web.forms import TrackerForm, active_users, coerce_id
from tracker.web.kit import Reply, load, require
from tracker.web.main import bp

PICKS = 10
# How many people whose name matches are checked against the record, for PICKS of them.
CANDIDATES = 60


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class CommentForm(TrackerForm):
    body = TextAreaField(_l("Comment"), id="comment-text", filters=[_strip],
                         validators=[DataRequired(message=_l("Write a comment first.")),
                                     Length(max=BODY_MAX)],
                         description=_l("Type @ and a name to notify someone who may see "
                                        "this record."))
    # People to tell, ticked in the list (or picked by the script); checked on save.
    notify = SelectMultipleField(_l("Notify"), coerce=coerce_id, validate_choice=False)


@dataclass
class Thread:
    """What the comments section shows for one record to the current user."""

    record: object
    comments: list[Comment]
    form: CommentForm
    may_comment: bool
    removable: set[int]
    readers: list[User] | None = None  # the "notify" list, on the comments page only
    notices: list[tuple[str, str]] = field(default_factory=list)
    fragment: bool = False  # the section alone, for htmx: no script or style links

    @property
    def count(self) -> int:
        return sum(1 for c in self.comments if c.archived_at is None)

    @property
    def record_type(self) -> str:
        return self.record.__tablename__


def _thread(record: object, form: CommentForm | None = None, *, readers: bool = False,
            notices: list[tuple[str, str]] | None = None, fragment: bool = False) -> Thread:
    comments = comments_on(record)
    form = form or CommentForm(formdata=None)
    form.body.render_kw = {"data-mention-source": url_for(
        "main.comment_people", record_type=record.__tablename__, record_id=record.id),
        "rows": 3}
    allowed = may_comment_on(current_user, record)
    people = None
    if readers and allowed:
        people = [p for p in readers_of(record) if p.id != current_user.id]
    return Thread(record, comments, form, allowed,
                  {c.id for c in comments if may_remove_comment(current_user, c, record)},
                  people, notices or [], fragment)


bp.add_app_template_global(_thread, "comment_thread")


def _record(record_type: str, record_id: int) -> object:
    model = COMMENTABLE.get(record_type)
    if model is None:
        abort(404)
    return load(model, record_id)


def _htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _section(thread: Thread, status: int = 200) -> tuple[str, int]:
    return render_template("_partials/comments.html", record=thread.record,
                           comments_thread=thread), status


def _page(thread: Thread, status: int = 200) -> tuple[str, int]:
    return render_template("main/comments.html", record=thread.record,
                           comments_thread=thread, label=record_label(thread.record),
                           back=record_path(thread.record)), status


def _names(people: list[User]) -> str:
    return _(", ").join(p.name for p in people)


def _said(posted: Posted) -> list[tuple[str, str]]:
    said = [("success", _("Your comment is posted."))]
    if posted.notified:
        said.append(("success", ngettext(
            "%(num)d person was notified: %(names)s.",
            "%(num)d people were notified: %(names)s.",
            len(posted.notified), names=_names(posted.notified))))
    if posted.not_notified:
        said.append(("info", ngettext(
            "%(num)d person you mentioned cannot see this record and was not notified: "
            "%(names)s.",
            "%(num)d people you mentioned cannot see this record and were not notified: "
            "%(names)s.",
            len(posted.not_notified), names=_names(posted.not_notified))))
    return said


@bp.route("/comments/<record_type>/<int:record_id>", methods=["GET", "POST"])
@login_required
def comments(record_type: str, record_id: int) -> Reply:
    """The record's comments on a page of their own (with the "notify" list); posting a
    comment (from here or from the record's page)."""
    record = _record(record_type, record_id)
    if request.method == "GET":
        return _page(_thread(record, readers=True))
    require(may_comment_on(current_user, record))
    form = CommentForm()
    if not form.validate_on_submit():
        if _htmx():
            return _section(_thread(record, form, fragment=True), 422)
        return _page(_thread(record, form, readers=True), 422)
    posted = add_comment(record, current_user, NewComment(
        body=form.body.data, notify_ids=tuple(i for i in form.notify.data or () if i > 0)))
    db.session.commit()
    said = _said(posted)
    if _htmx():
        return _section(_thread(record, notices=said, fragment=True))
    for category, message in said:
        flash(message, category)
    return redirect(record_path(record, "comments"))


@bp.route("/comments/<int:comment_id>/remove", methods=["POST"])
@login_required
def comment_remove(comment_id: int) -> Reply:
    """Remove (archive) a comment: its author, or whoever may restore the record's kind."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    record = _record(comment.record_type, comment.record_id)
    if comment_on(record, comment_id) is None:
        abort(404)
    require(may_remove_comment(current_user, comment, record))
    remove_comment(comment, current_user)
    db.session.commit()
    said = [("info", _("The comment is removed."))]
    if _htmx():
        return _section(_thread(record, notices=said, fragment=True))
    flash(said[0][1], said[0][0])
    return redirect(record_path(record, "comments"))


def _matching(q: str) -> list[int]:
    """Active people whose name holds ``q``, or whose pinyin or initials start with it."""
    folded = fold(q)
    found = []
    for person_id, name in active_users():
        if folded in fold(name) or any(key.startswith(folded) for key in name_keys(name)):
            found.append(person_id)
            if len(found) == CANDIDATES:
                break
    return found


@bp.route("/comments/<record_type>/<int:record_id>/people")
@login_required
def comment_people(record_type: str, record_id: int) -> Response:
    """``[{"value": id, "text": name}]``: people who may see the record whose name matches
    ``q`` (pinyin and initials too), for the @mention picker. Nobody else is ever listed."""
    record = _record(record_type, record_id)
    q = squash(request.args.get("q"), 60).lstrip("@")
    wanted = [i for i in _matching(q) if i != current_user.id] if q else []
    people = readers_of(record, wanted)[:PICKS] if wanted else []
    response = jsonify([{"value": str(p.id), "text": p.name} for p in people])
    response.headers["Cache-Control"] = "private, no-store"
    return response
