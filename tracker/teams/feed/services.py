"""Feed writes: praise, posts, comments. Views commit; these never do."""

from __future__ import annotations

from tracker.extensions import db
from tracker.models import Post, PostComment, Recognition, Team, User, utcnow
from tracker.records import ensure_current
from tracker.teams.feed.forms import CommentForm, PostForm, RecognitionForm


def recognize(team: Team, form: RecognitionForm, giver: User) -> Recognition:
    """Praise from ``giver`` for a member of ``team``."""
    recognition = Recognition(team_id=team.id, giver_id=giver.id,
                              recipient_id=form.recipient_id.data, message=form.message.data)
    db.session.add(recognition)
    return recognition


def save_post(form: PostForm, team: Team, author: User, post: Post | None = None) -> Post:
    """A new announcement or finding, or changes to one (StaleRecord if out of date)."""
    if post is None:
        post = Post(team_id=team.id, author_id=author.id)
        db.session.add(post)
    else:
        ensure_current(post, form.version.data)
    post.kind = form.kind.data
    post.title = form.title.data
    post.body = form.body.data or ""
    post.link = form.link.data or ""
    return post


def add_comment(post: Post, form: CommentForm, author: User) -> PostComment:
    """A reply in a post's discussion. Added by id, so the post's version stays as it is
    and an edit form open on the post does not go stale."""
    comment = PostComment(post_id=post.id, author_id=author.id, at=utcnow(),
                          body=form.body.data)
    db.session.add(comment)
    return comment
