"""Reads for the team feed and a person's page. Everything starts from ``visible``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from tracker.access import may_see_person, visible
from tracker.extensions import db
from tracker.models import Post, PostComment, Recognition, Team, TeamMembership, User
from tracker.teams.feed.services import kind_label

PER_PAGE = 30
MAX_PAGE = 1000
RECOGNITION_LABEL = _l("Recognition")


@dataclass(frozen=True)
class FeedItem:
    """One entry of the feed: a recognition or a post, and when it was made."""

    kind: str  # "recognition" or "post"
    at: datetime
    record: Recognition | Post
    comments: int = 0

    @property
    def label(self) -> str:
        """"Recognition", or the post's kind, in the user's language."""
        return str(RECOGNITION_LABEL) if self.kind == "recognition" else kind_label(
            self.record.kind)


@dataclass(frozen=True)
class FeedPage:
    items: list[FeedItem]
    page: int
    has_prev: bool
    has_next: bool


def _recognitions(user: User, team: Team, limit: int) -> list[Recognition]:
    return list(db.session.scalars(
        visible(user, Recognition).where(Recognition.team_id == team.id)
        .options(joinedload(Recognition.giver), joinedload(Recognition.recipient))
        .order_by(Recognition.created_at.desc(), Recognition.id.desc()).limit(limit)))


def _posts(user: User, team: Team, limit: int) -> list[tuple[Post, int]]:
    """The newest posts with their authors and comment counts: one statement."""
    comments = (sa.select(sa.func.count()).where(PostComment.post_id == Post.id)
                .correlate(Post).scalar_subquery())
    return [(post, n or 0) for post, n in db.session.execute(
        visible(user, Post).where(Post.team_id == team.id).add_columns(comments)
        .options(joinedload(Post.author))
        .order_by(Post.created_at.desc(), Post.id.desc()).limit(limit))]


def feed_page(user: User, team: Team, page: int = 1, per_page: int = PER_PAGE) -> FeedPage:
    """Recognition and posts of a team, interleaved newest first, one page of them.

    The newest ``page * per_page + 1`` of each kind hold the page's items whatever the
    mix, and tell whether another page follows.
    """
    page = min(max(page, 1), MAX_PAGE)
    upto = page * per_page
    items = [FeedItem("recognition", r.created_at, r) for r in _recognitions(user, team, upto + 1)]
    items += [FeedItem("post", p.created_at, p, n) for p, n in _posts(user, team, upto + 1)]
    items.sort(key=lambda i: (i.at, i.record.id), reverse=True)
    return FeedPage(items[upto - per_page:upto], page, page > 1, len(items) > upto)


def latest(user: User, team: Team, limit: int = 5) -> list[FeedItem]:
    """The newest few feed items, for the team's page."""
    return feed_page(user, team, 1, limit).items


def person_or_404(user: User, person_id: int) -> User:
    """A person whose page the user may open (``tracker.access.may_see_person``); 404
    otherwise, like a person who does not exist."""
    person = db.session.get(User, person_id)
    if person is None or not may_see_person(user, person):
        abort(404)
    return person


def teams_of(user: User, person: User) -> list[Team]:
    """The teams ``person`` belongs to that ``user`` may see."""
    return list(db.session.scalars(
        visible(user, Team).join(TeamMembership, TeamMembership.team_id == Team.id)
        .where(TeamMembership.user_id == person.id).order_by(Team.sort_name)))


def recognition_of(user: User, person: User, limit: int = 100) -> list[Recognition]:
    """Praise ``person`` received, as far as ``user`` may see it, newest first."""
    return list(db.session.scalars(
        visible(user, Recognition).where(Recognition.recipient_id == person.id)
        .options(selectinload(Recognition.giver), selectinload(Recognition.team))
        .order_by(Recognition.created_at.desc(), Recognition.id.desc()).limit(limit)))


def team_members(team: Team, leave_out: User | None = None) -> list[User]:
    """Active members of a team by name (whom one may recognize), without ``leave_out``."""
    stmt = (sa.select(User).join(TeamMembership, TeamMembership.user_id == User.id)
            .where(TeamMembership.team_id == team.id, User.archived_at.is_(None),
                   User.is_enabled).order_by(User.sort_name, User.id))
    if leave_out is not None:
        stmt = stmt.where(User.id != leave_out.id)
    return list(db.session.scalars(stmt))


def comments_of(post: Post) -> list[PostComment]:
    """A post's discussion, oldest first (the post is visible, so are its comments)."""
    return list(db.session.scalars(
        sa.select(PostComment).where(PostComment.post_id == post.id)
        .options(selectinload(PostComment.author)).order_by(PostComment.at, PostComment.id)))
