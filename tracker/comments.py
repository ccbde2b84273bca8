"""Comments on a record's page (rounds, client notes, requirements, complaints, agreements,
meetings), the people they @mention, and telling those who may see the record.

A comment names its record by table and id. Writing one finds the people it mentions
(``@name`` in the text, and any ticked in the "notify" list), tells those who may read
the record, each in their own language, and reports the others back to the author; it
never tells anyone about a record they could not open. Removing a comment archives it:
the page keeps its place with "comment removed".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from tracker.access import readers_of
from tracker.extensions import db
from tracker.messages import register
from tracker.models import (
    Agreement,
    Comment,
    Complaint,
    Conversation,
    Meeting,
    OrgKind,
    Requirement,
    User,
    utcnow,
)
from tracker.notify import notify
from tracker.urls import site_path

BODY_MAX = 5000
EVENT = "comment.mention"
# What a notification quotes of the comment.
EXCERPT = 300

# record_type (the table name) -> model: the records that take comments.
COMMENTABLE: dict[str, type] = {
    "conversations": Conversation, "requirements": Requirement, "complaints": Complaint,
    "agreements": Agreement, "meetings": Meeting,
}


@dataclass(frozen=True)
class RecordKind:
    """How to name one kind of commented record and which page shows it."""

    label: LazyString
    endpoint: str
    arg: str


KINDS: dict[str, RecordKind] = {
    "round": RecordKind(_l("Negotiation round"), "partners.round_detail", "round_id"),
    "note": RecordKind(_l("Client note"), "clients.note_detail", "note_id"),
    "requirement": RecordKind(_l("Requirement"), "clients.requirement_detail", "req_id"),
    "complaint": RecordKind(_l("Complaint"), "clients.complaint_detail", "complaint_id"),
    "agreement": RecordKind(_l("Agreement"), "partners.agreement_detail", "agreement_id"),
    "meeting": RecordKind(_l("Meeting"), "teams.meeting_detail", "meeting_id"),
}
_KIND_OF_TABLE = {"requirements": "requirement", "complaints": "complaint",
                  "agreements": "agreement", "meetings": "meeting"}


def kind_of(record: object) -> str:
    """The record's kind: a conversation is a round with a partner or a note on a client."""
    if isinstance(record, Conversation):
        return "round" if record.organization.kind == OrgKind.PARTNER.value else "note"
    return _KIND_OF_TABLE[record.__tablename__]


def record_path(record: object, anchor: str | None = None) -> str:
    """The site-relative address of the record's page (``anchor``: a place on it)."""
    kind = KINDS[kind_of(record)]
    path = site_path(kind.endpoint, **{kind.arg: record.id})
    return f"{path}#{anchor}" if anchor else path


def record_label(record: object) -> str:
    """The record as a sentence names it, in the current language: 'Agreement “Pilot”'."""
    return _labelled(kind_of(record), record.title)


def _labelled(kind: str, title: str) -> str:
    known = KINDS.get(kind)
    return _("%(kind)s “%(title)s”", kind=str(known.label), title=title) if known else title


def comments_on(record: object) -> list[Comment]:
    """Every comment on ``record``, oldest first, removed ones too (shown as removed)."""
    return list(db.session.scalars(
        sa.select(Comment).where(Comment.record_type == record.__tablename__,
                                 Comment.record_id == record.id)
        .options(sa.orm.joinedload(Comment.author)).order_by(Comment.id)))


def comment_on(record: object, comment_id: int) -> Comment | None:
    """One comment of ``record`` by id, or None (a comment of another record is none)."""
    comment = db.session.get(Comment, comment_id)
    if (comment is None or comment.record_type != record.__tablename__
            or comment.record_id != record.id):
        return None
    return comment


# -- @mentions -------------------------------------------------------------------------------

_WORD = re.compile(r"\w", re.ASCII)


def mentioned_ids(body: str, people: Iterable[tuple[int, str]]) -> set[int]:
    """The ids of ``people`` (id, name) written as ``@name`` in ``body``, case aside.

    Longer names win where one starts another (``@Lena Lead`` is Lena Lead, not Lena); a
    Latin name must end where a word ends (``@Anna`` is not ``@Annabel``), a Chinese one
    need not (Chinese puts no space after a name: ``@陈静请看``). The ``@`` itself must not
    sit inside a word (``a@b.com`` mentions nobody).
    """
    text = body.casefold()
    taken = [False] * len(text)
    found: set[int] = set()
    for person_id, name in sorted(people, key=lambda p: -len(p[1])):
        needle = "@" + name.strip().casefold()
        if len(needle) < 2:
            continue
        start = text.find(needle)
        while start >= 0:
            end = start + len(needle)
            before_ok = start == 0 or not _WORD.match(text[start - 1])
            after_ok = (end == len(text) or not _WORD.match(needle[-1])
                        or not _WORD.match(text[end]))
            if before_ok and after_ok and not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                found.add(person_id)
            start = text.find(needle, start + 1)
    return found


def _active_people() -> list[tuple[int, str]]:
    return [(person_id, name) for person_id, name in db.session.execute(
        sa.select(User.id, User.name).where(User.archived_at.is_(None),
                                            User.is_enabled.is_(True)))]


# -- writing and removing --------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class NewComment:
    """What the author wrote, and whom they ticked to be told (ids; checked here)."""

    body: str
    notify_ids: tuple[int, ...] = ()


@dataclass
class Posted:
    """A new comment, who was told of it, and whom it mentioned who may not see the record
    (so nobody told them)."""

    comment: Comment
    notified: list[User] = field(default_factory=list)
    not_notified: list[User] = field(default_factory=list)


def add_comment(record: object, author: User, data: NewComment) -> Posted:
    """Add ``author``'s comment to ``record`` and tell the people it mentions who may read
    the record; the caller has checked that the author may comment (``may_comment_on``)."""
    body = data.body.strip()[:BODY_MAX]
    comment = Comment(record_type=record.__tablename__, record_id=record.id,
                      author_id=author.id, body=body, mentions=[])
    db.session.add(comment)
    db.session.flush()
    wanted = (mentioned_ids(body, _active_people()) | set(data.notify_ids)) - {author.id}
    if not wanted:
        return Posted(comment)
    readers = readers_of(record, wanted)
    reader_ids = {person.id for person in readers}
    others = [person for person in db.session.scalars(
        sa.select(User).where(User.id.in_(sorted(wanted - reader_ids)),
                              User.archived_at.is_(None), User.is_enabled.is_(True))
        .order_by(User.sort_name, User.id))]
    for person in readers:
        _tell(person, author, record, comment)
    comment.mentions = [person.id for person in readers]
    return Posted(comment, readers, others)


def _tell(person: User, author: User, record: object, comment: Comment) -> None:
    """The mention notice: stored as its code and values (``tracker.messages``), so each
    reader reads it in their own language; its text is first written in ``person``'s."""
    excerpt = comment.body if len(comment.body) <= EXCERPT else comment.body[:EXCERPT] + "…"
    notify(person, "mention", link=record_path(record, f"comment-{comment.id}"),
           source=record, event=EVENT,
           params={"author": author.name, "kind": kind_of(record), "record": record.title,
                   "comment_id": comment.id, "excerpt": excerpt})


def _mention_subject(params: Mapping[str, Any]) -> str:
    return _("%(author)s mentioned you on %(record)s", author=params["author"],
             record=_labelled(params.get("kind", ""), params["record"]))


register(EVENT, _mention_subject, lambda params: params.get("excerpt", ""))


def remove_comment(comment: Comment, by: User) -> None:
    """Archive ``comment``: its place on the page says "comment removed" from now on."""
    if comment.archived_at is None:
        comment.archived_at = utcnow()
        comment.archived_by_id = by.id
