"""Writes of the clients blueprint: progress notes, requirements. Views commit; these never do."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.extensions import db
from tracker.followups import add_followup
from tracker.i18n import local_to_utc
from tracker.models import Contact, Conversation, Organization, Requirement, User
from tracker.records import ensure_current

if TYPE_CHECKING:
    from wtforms import FieldList

    from tracker.clients.forms import NoteForm, RequirementForm, RequirementMoveForm


class Visibility(StrEnum):
    """Who a client note is for: our team only, or fit to share with the client."""

    INTERNAL = "internal"
    SHARED = "shared"

    @property
    def label(self) -> str:
        return str(VISIBILITY_LABELS[self])


VISIBILITY_LABELS = {
    Visibility.INTERNAL: _l("Internal"),
    Visibility.SHARED: _l("Shared with client"),
}


class RequirementStatus(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    CHANGED = "changed"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return str(REQUIREMENT_STATUS_LABELS[self])


REQUIREMENT_STATUS_LABELS = {
    RequirementStatus.PROPOSED: _l("Proposed"),
    RequirementStatus.CONFIRMED: _l("Confirmed"),
    RequirementStatus.CHANGED: _l("Changed since confirmed"),
    RequirementStatus.WITHDRAWN: _l("Withdrawn"),
    RequirementStatus.REJECTED: _l("Rejected"),
}

R = RequirementStatus

# A requirement is confirmed by the client; a change of wording sends it back for another
# confirmation; withdrawn and rejected are final.
REQUIREMENT_MOVES: dict[RequirementStatus, frozenset[RequirementStatus]] = {
    R.PROPOSED: frozenset({R.CONFIRMED, R.WITHDRAWN, R.REJECTED}),
    R.CONFIRMED: frozenset({R.CHANGED, R.WITHDRAWN}),
    R.CHANGED: frozenset({R.CONFIRMED, R.WITHDRAWN, R.REJECTED}),
    R.WITHDRAWN: frozenset(),
    R.REJECTED: frozenset(),
}

OPEN_REQUIREMENTS = frozenset({R.PROPOSED, R.CONFIRMED, R.CHANGED})


class MoveRefused(ValueError):
    """A status change the requirement workflow does not allow; the message says why."""


def requirement_moves(requirement: Requirement) -> list[RequirementStatus]:
    """The statuses a requirement may move to next, in workflow order."""
    nexts = REQUIREMENT_MOVES[RequirementStatus(requirement.status)]
    return [s for s in RequirementStatus if s in nexts]


def check_requirement_move(requirement: Requirement, target: str | None) -> RequirementStatus:
    """The target status if the move is allowed; raises MoveRefused with the reason."""
    if target not in RequirementStatus._value2member_map_:
        raise MoveRefused(_("There is no status “%(status)s”.", status=target or ""))
    current, wanted = RequirementStatus(requirement.status), RequirementStatus(target)
    if wanted == current:
        raise MoveRefused(_("The requirement is already %(status)s.", status=current.label))
    if wanted not in REQUIREMENT_MOVES[current]:
        labels = [s.label for s in requirement_moves(requirement)]
        allowed = format_list(labels, locale=get_locale()) if labels else _("nothing")
        raise MoveRefused(_("A requirement that is %(current)s cannot become %(wanted)s; it "
                            "can become: %(allowed)s.", current=current.label,
                            wanted=wanted.label, allowed=allowed))
    return wanted


def _add_next_steps(source: object, rows: FieldList, org: Organization) -> None:
    """Each filled-in next step becomes an open follow-up linked back to ``source``."""
    for row in rows.entries:
        step = row.form
        if (step.title.data or "").strip():
            add_followup(source, step.title.data, step.owner_id.data, step.due_on.data,
                         organization=org)


# -- progress notes ----------------------------------------------------------------------
def save_note(org: Organization, form: NoteForm, author: User,
              note: Conversation | None = None) -> Conversation:
    """Create or update a progress note; its new next steps become follow-ups."""
    if note is None:
        note = Conversation(organization=org, author_id=author.id)
        db.session.add(note)
    else:
        ensure_current(note, form.version.data)
    with db.session.no_autoflush:
        people = list(db.session.scalars(sa.select(User).where(
            User.id.in_(form.our_people.data or [])).order_by(User.name)))
        contacts = list(db.session.scalars(sa.select(Contact).where(
            Contact.id.in_(form.their_people.data or []), Contact.organization_id == org.id)
            .order_by(Contact.name)))
        note.kind = form.kind.data
        note.occurred_at = local_to_utc(form.occurred_at.data)
        note.title = form.title.data.strip()
        note.body = form.body.data or ""
        note.visibility = Visibility(form.visibility.data).value
        note.is_confidential = bool(form.is_confidential.data)
        if [p.id for p in note.our_people] != [p.id for p in people]:
            note.our_people = people
        if [c.id for c in note.their_people] != [c.id for c in contacts]:
            note.their_people = contacts
    db.session.flush()
    _add_next_steps(note, form.next_steps, org)
    return note


# -- requirements ------------------------------------------------------------------------
def create_requirement(org: Organization, form: RequirementForm) -> Requirement:
    """A new requirement, proposed until the client confirms it."""
    requirement = Requirement(
        organization=org, title=form.title.data.strip(), wording=form.wording.data or "",
        asked_by_id=form.asked_by_id.data, owner_id=form.owner_id.data,
        status=RequirementStatus.PROPOSED.value)
    db.session.add(requirement)
    db.session.flush()
    _add_next_steps(requirement, form.next_steps, org)
    return requirement


def update_requirement(requirement: Requirement, form: RequirementForm) -> bool:
    """Save an edit; a confirmed requirement whose wording changes becomes "changed".

    Returns whether that happened. The earlier wording stays in the audit trail.
    """
    ensure_current(requirement, form.version.data)
    wording = form.wording.data or ""
    reworded = wording.strip() != (requirement.wording or "").strip()
    requirement.title = form.title.data.strip()
    requirement.wording = wording
    requirement.asked_by_id = form.asked_by_id.data
    requirement.owner_id = form.owner_id.data
    moved = reworded and requirement.status == RequirementStatus.CONFIRMED
    if moved:
        requirement.status = RequirementStatus.CHANGED.value
        requirement.status_reason = ""  # the page says why; the history keeps both wordings
    db.session.flush()
    _add_next_steps(requirement, form.next_steps, requirement.organization)
    return moved


def move_requirement(requirement: Requirement, form: RequirementMoveForm) -> None:
    """Move through the workflow; raises StaleRecord or MoveRefused (nothing changed then)."""
    ensure_current(requirement, form.version.data)
    target = check_requirement_move(requirement, form.status.data)
    requirement.status = target.value
    requirement.status_reason = (form.reason.data or "").strip()
    if target == RequirementStatus.CONFIRMED:
        requirement.confirmed_by_id = form.confirmed_by_id.data
        requirement.confirmed_at = local_to_utc(form.confirmed_at.data)
