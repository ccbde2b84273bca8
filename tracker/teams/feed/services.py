"""Feed writes: praise, posts, comments, from plain values (a form, an import, a job or the
CLI turns its input into them). Callers own the transaction: these never commit."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.extensions import db
from tracker.models import Post, PostComment, PostKind, Recognition, Team, User, utcnow
from tracker.records import ensure_current


def kind_label(value: str) -> str:
    """A post kind's label; an unknown stored value as it is."""
    return PostKind(value).label if value in PostKind._value2member_map_ else value


def recognize(team: Team, recipient_id: int, message: str, giver: User) -> Recognition:
    """Praise from ``giver`` for a member of ``team``, said in ``message``."""
    recognition = Recognition(team_id=team.id, giver_id=giver.id, recipient_id=recipient_id,
                              message=message.strip())
    db.session.add(recognition)
    return recognition


@dataclass(frozen=True, kw_only=True)
class PostInput:
    """An announcement or a shared finding, as a form, an import or an API gives it
    (``kind`` is a ``PostKind`` value; ``link`` an http(s) address or empty)."""

    kind: str
    title: str
    body: str = ""
    link: str = ""


def save_post(data: PostInput, team: Team, author: User, post: Post | None = None, *,
              version: int | str | None = None) -> Post:
    """A new announcement or finding of ``author`` in ``team``, or changes to ``post``.

    ``version`` is the one the caller's view of ``post`` had: an update against an older
    one is refused with StaleRecord.
    """
    if post is None:
        post = Post(team_id=team.id, author_id=author.id)
        db.session.add(post)
    else:
        ensure_current(post, version)
    post.kind = data.kind
    post.title = data.title.strip()
    post.body = (data.body or "").strip()
    post.link = (data.link or "").strip()
    return post


def add_comment(post: Post, body: str, author: User) -> PostComment:
    """A reply in a post's discussion. Added by id, so the post's version stays as it is
    and an edit form open on the post does not go stale."""
    comment = PostComment(post_id=post.id, author_id=author.id, at=utcnow(), body=body.strip())
    db.session.add(comment)
    return comment
