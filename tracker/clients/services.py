"""Writes of the clients blueprint: progress notes, requirements.

They take plain values (a form, an import, a job or the CLI turns its input into them) and
never commit: the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from tracker.clients.workflow import check_requirement_move
from tracker.extensions import db
from tracker.followups import give_followup
from tracker.models import (
    Contact,
    Conversation,
    Organization,
    Requirement,
    RequirementStatus,
    User,
    Visibility,
    utcnow,
)
from tracker.records import ensure_current


@dataclass(frozen=True, kw_only=True)
class NextStep:
    """A next step written on a note or a requirement; it becomes an open follow-up."""

    title: str
    due_on: date
    owner_id: int | None = None


def _add_next_steps(source: object, steps: Iterable[NextStep], org: Organization) -> None:
    """Each next step with a title becomes an open follow-up linked back to ``source``,
    for an owner who may read it (OwnerMayNotSee otherwise)."""
    for step in steps:
        if (step.title or "").strip():
            give_followup(source, step.title, step.owner_id, step.due_on, organization=org)


# -- progress notes ----------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class NoteInput:
    """A progress note on a client, as a form, an import or an API gives it."""

    kind: str  # a ConversationKind value
    occurred_at: datetime  # aware UTC
    title: str
    body: str = ""
    visibility: Visibility = Visibility.INTERNAL
    is_confidential: bool = False
    our_people: tuple[int, ...] = ()  # user ids
    their_people: tuple[int, ...] = ()  # contact ids of the client (others are ignored)
    next_steps: tuple[NextStep, ...] = ()


def save_note(org: Organization, data: NoteInput, author: User,
              note: Conversation | None = None, *,
              version: int | str | None = None) -> Conversation:
    """Create a progress note (``note`` None) or update ``note``; its new next steps
    become follow-ups. Returns the note.

    ``version`` is the one the caller's view of ``note`` had (StaleRecord if older).
    """
    if note is None:
        note = Conversation(organization=org, author_id=author.id)
        db.session.add(note)
    else:
        ensure_current(note, version)
    with db.session.no_autoflush:
        people = list(db.session.scalars(sa.select(User).where(
            User.id.in_(data.our_people)).order_by(User.sort_name)))
        contacts = list(db.session.scalars(sa.select(Contact).where(
            Contact.id.in_(data.their_people), Contact.organization_id == org.id)
            .order_by(Contact.sort_name)))
        note.kind = data.kind
        note.occurred_at = data.occurred_at
        note.title = data.title.strip()
        note.body = data.body or ""
        note.visibility = Visibility(data.visibility).value
        note.is_confidential = bool(data.is_confidential)
        if [p.id for p in note.our_people] != [p.id for p in people]:
            note.our_people = people
        if [c.id for c in note.their_people] != [c.id for c in contacts]:
            note.their_people = contacts
    db.session.flush()
    _add_next_steps(note, data.next_steps, org)
    return note


# -- requirements ------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class RequirementInput:
    """What a client asked for, as a form, an import or an API gives it."""

    title: str
    wording: str = ""
    asked_by_id: int | None = None  # a contact of the client
    owner_id: int | None = None
    next_steps: tuple[NextStep, ...] = ()


def create_requirement(org: Organization, data: RequirementInput) -> Requirement:
    """A new requirement, proposed until the client confirms it; its next steps become
    follow-ups."""
    requirement = Requirement(
        organization=org, title=data.title.strip(), wording=data.wording or "",
        asked_by_id=data.asked_by_id, owner_id=data.owner_id,
        status=RequirementStatus.PROPOSED.value)
    db.session.add(requirement)
    db.session.flush()
    _add_next_steps(requirement, data.next_steps, org)
    return requirement


def update_requirement(requirement: Requirement, data: RequirementInput, *,
                       version: int | str | None) -> bool:
    """Save an edit; a confirmed requirement whose wording changes becomes "changed".

    Returns whether that happened. The earlier wording stays in the audit trail.
    ``version`` is the one the caller's view had (StaleRecord if older).
    """
    ensure_current(requirement, version)
    wording = data.wording or ""
    reworded = wording.strip() != (requirement.wording or "").strip()
    requirement.title = data.title.strip()
    requirement.wording = wording
    requirement.asked_by_id = data.asked_by_id
    requirement.owner_id = data.owner_id
    moved = reworded and requirement.changes_when_reworded
    if moved:
        requirement.status = RequirementStatus.CHANGED.value
        requirement.status_reason = ""  # the page says why; the history keeps both wordings
    db.session.flush()
    _add_next_steps(requirement, data.next_steps, requirement.organization)
    return moved


def move_requirement(requirement: Requirement, status: str, *, reason: str = "",
                     confirmed_by_id: int | None = None, confirmed_at: datetime | None = None,
                     version: int | str | None) -> None:
    """Move through the workflow; raises StaleRecord or MoveRefused (nothing changed then).

    Confirming records who confirmed it on the client's side and when (aware UTC; None is
    now). ``version`` is the one the caller's view had.
    """
    ensure_current(requirement, version)
    target = check_requirement_move(requirement, status)
    requirement.status = target.value
    requirement.status_reason = (reason or "").strip()
    if target == RequirementStatus.CONFIRMED:
        requirement.confirmed_by_id = confirmed_by_id
        requirement.confirmed_at = confirmed_at or utcnow()
