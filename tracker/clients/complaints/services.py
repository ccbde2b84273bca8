"""Complaint writes: intake, moves, assignment, notes, replies and follow-ups.

What the system adds to the timeline is stored as a code (``events.stored``), never as a
sentence in the language of whoever caused it: the whole team reads it.

They take plain values (a form, an import, a job or the CLI turns its input into them) and
never commit: the caller owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from tracker.clients.complaints.deadline_rules import policy_for, reopen_days
from tracker.clients.complaints.deadlines import set_deadlines
from tracker.clients.complaints.events import stored
from tracker.clients.complaints.workflow import check_move, is_reopen
from tracker.extensions import db
from tracker.followups import give_followup
from tracker.models import (
    Complaint,
    ComplaintEvent,
    ComplaintPause,
    ComplaintStatus,
    EventKind,
    FollowUp,
    FollowUpStatus,
    Organization,
    Severity,
    User,
    utcnow,
)
from tracker.records import ensure_current

S = ComplaintStatus


class TakenAlready(Exception):
    """Somebody else took the complaint first."""

    def __init__(self, complaint: Complaint) -> None:
        super().__init__(complaint.id)
        self.complaint = complaint


def _event(complaint: Complaint, kind: EventKind, actor: User | None, **fields: object) -> None:
    complaint.events.append(ComplaintEvent(kind=kind.value, actor_id=actor.id if actor else None,
                                           **fields))


@dataclass(frozen=True, kw_only=True)
class NewComplaint:
    """A complaint as it is logged: by the intake form, an import, a mailbox or an API."""

    title: str
    channel: str  # a Channel value
    severity: str  # a Severity value
    description: str = ""
    category_id: int | None = None  # a ComplaintCategory
    contact_id: int | None = None  # a contact of the client, if known
    assignee_id: int | None = None
    is_confidential: bool = False
    received_at: datetime | None = None  # aware UTC; None: now
    caller: str = ""  # who called or wrote, when not (yet) a known contact


def intake(org: Organization, data: NewComplaint, actor: User | None) -> Complaint:
    """A new complaint with both deadlines set from the severity's policy, and the first
    entries of its timeline (``actor`` None: logged by the system)."""
    # One save, one version: assigning the organization puts the complaint in the session,
    # and reading the policy and the working week would flush it half-built (three
    # versions and three history entries for one intake). Nothing is flushed before the
    # caller's commit.
    with db.session.no_autoflush:
        complaint = Complaint(
            organization=org, contact_id=data.contact_id, title=data.title.strip(),
            description=data.description or "", channel=data.channel,
            category_id=data.category_id, severity=data.severity,
            is_confidential=bool(data.is_confidential), assignee_id=data.assignee_id,
            caller=(data.caller or "").strip(),
            team_id=org.team_id, received_at=data.received_at or utcnow())
        # The policy in force at intake stays this complaint's policy, whatever changes later.
        complaint.ack_minutes, complaint.resolve_minutes, complaint.business_hours = policy_for(
            complaint.severity)
        db.session.add(complaint)
        set_deadlines(complaint)
        _event(complaint, EventKind.STATUS, actor, to_status=S.NEW.value)
        if complaint.assignee_id:
            _event(complaint, EventKind.ASSIGNMENT, actor, assignee_id=complaint.assignee_id)
    return complaint


@dataclass(frozen=True, kw_only=True)
class ComplaintEdit:
    """What the edit form corrects on an open complaint after intake."""

    title: str
    description: str
    organization_id: int  # a client
    contact_id: int | None  # a contact of that client
    caller: str
    category_id: int | None
    severity: str  # a Severity value
    channel: str  # a Channel value
    is_confidential: bool
    external_ref: str | None  # None or "": no number


class NotEditable(Exception):
    """Only a complaint still being worked on is corrected; an ended one is reopened first."""


def external_ref_taken(organization_id: int, ref: str, complaint_id: int | None) -> bool:
    """Whether another complaint of that client already has the number (one per client)."""
    stmt = sa.select(Complaint.id).where(Complaint.organization_id == organization_id,
                                         Complaint.external_ref == ref)
    if complaint_id is not None:
        stmt = stmt.where(Complaint.id != complaint_id)
    return db.session.scalar(stmt.limit(1)) is not None


def update_complaint(complaint: Complaint, data: ComplaintEdit, actor: User, *,
                     version: int | str | None, now: datetime | None = None) -> bool:
    """Correct an open complaint's details; True when its deadlines were recomputed.

    A new severity gives the complaint that severity's policy as it stands today (the
    minutes of the old one were a mistake, not a promise), counted from the time it was
    received with its pauses, as at intake; a deadline that moves past now may escalate
    again. The category does not change the deadlines (the policy is per severity). A new
    client brings the complaint, and its open follow-ups, into that client's team.
    """
    ensure_current(complaint, version)
    if not complaint.is_open:
        raise NotEditable(complaint.id)
    now = now or utcnow()
    with db.session.no_autoflush:
        complaint.title = data.title.strip()
        complaint.description = data.description or ""
        complaint.caller = (data.caller or "").strip()
        complaint.category_id = data.category_id
        complaint.channel = data.channel
        complaint.is_confidential = bool(data.is_confidential)
        complaint.external_ref = (data.external_ref or "").strip() or None
        complaint.contact_id = data.contact_id
        if data.organization_id != complaint.organization_id:
            org = db.session.get(Organization, data.organization_id)
            complaint.organization = org
            complaint.team_id = org.team_id
            for followup in db.session.scalars(sa.select(FollowUp).where(
                    FollowUp.source_type == Complaint.__tablename__,
                    FollowUp.source_id == complaint.id, FollowUp.status == FollowUpStatus.OPEN)):
                followup.organization_id, followup.team_id = org.id, org.team_id
        if data.severity == complaint.severity:
            return False
        before = Severity(complaint.severity)
        complaint.severity = data.severity
        complaint.ack_minutes, complaint.resolve_minutes, complaint.business_hours = policy_for(
            complaint.severity)
        set_deadlines(complaint)
    for due, stamp in (("ack_due_at", "ack_escalated_at"),
                       ("resolve_due_at", "resolve_escalated_at")):
        if getattr(complaint, due) is not None and getattr(complaint, due) > now:
            setattr(complaint, stamp, None)
    _event(complaint, EventKind.NOTE, actor,
           body=stored("severity", old=before.value, new=complaint.severity))
    return True


def move(complaint: Complaint, target: str, actor: User, *, reason: str = "",
         summary: str = "", root_cause: str = "", now: datetime | None = None) -> None:
    """Move through the workflow (pausing, resuming, reopening as needed)."""
    now = now or utcnow()
    wanted = check_move(complaint, target, reason=reason, summary=summary, now=now,
                        reopen_days=reopen_days())
    before = ComplaintStatus(complaint.status)
    if before.is_paused:
        for pause in complaint.pauses:
            if pause.ended_at is None:
                pause.ended_at = now
    if wanted.is_paused:
        complaint.pauses.append(ComplaintPause(started_at=now))
    if wanted == S.ACKNOWLEDGED and complaint.acknowledged_at is None:
        complaint.acknowledged_at = now
    if is_reopen(complaint, wanted):
        # The earlier resolution and rating stay in the timeline and the history.
        complaint.reopen_count += 1
        complaint.resolved_at = complaint.closed_at = None
        complaint.resolution_summary = complaint.root_cause = ""
        complaint.rejection_reason = complaint.satisfaction_comment = ""
        complaint.satisfaction = None
    elif wanted == S.RESOLVED:
        complaint.resolved_at = now
        complaint.resolution_summary = summary.strip()
        complaint.root_cause = root_cause.strip()
    elif wanted == S.CLOSED:
        complaint.closed_at = now
    elif wanted == S.REJECTED:
        complaint.rejection_reason = reason.strip()
        complaint.resolved_at = now
    if wanted != S.NEW and complaint.acknowledged_at is None:
        complaint.acknowledged_at = now  # any answer to the client acknowledges it
    complaint.status = wanted.value
    set_deadlines(complaint)
    _event(complaint, EventKind.STATUS, actor, from_status=before.value, to_status=wanted.value,
           body=(reason or summary).strip())


def assign(complaint: Complaint, assignee: User | None, actor: User) -> None:
    """Give the complaint to someone (or to nobody); the timeline records who and when."""
    new_id = assignee.id if assignee else None
    if complaint.assignee_id == new_id:
        return
    complaint.assignee_id = new_id
    _event(complaint, EventKind.ASSIGNMENT, actor, assignee_id=new_id)


def take(complaint: Complaint, actor: User) -> None:
    """Take an unassigned complaint. Exactly one of two simultaneous takers wins.

    The version check of the UPDATE decides: the second writer's UPDATE matches no row
    (its version is gone), so it raises TakenAlready naming who has it.
    """
    if complaint.assignee_id is not None:
        raise TakenAlready(complaint)
    try:
        with db.session.no_autoflush:  # the version check must happen in the flush below
            assign(complaint, actor, actor)
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        fresh = db.session.get(Complaint, complaint.id, populate_existing=True)
        raise TakenAlready(fresh) from None


def bulk_assign(complaints: list[Complaint], assignee: User | None, actor: User) -> int:
    """Assign several complaints at once; returns how many changed hands."""
    changed = 0
    for complaint in complaints:
        if complaint.assignee_id != (assignee.id if assignee else None):
            assign(complaint, assignee, actor)
            changed += 1
    return changed


def add_message(complaint: Complaint, kind: EventKind, body: str, actor: User) -> None:
    """An internal note, or a reply to the client (a reply also acknowledges)."""
    _event(complaint, kind, actor, body=body.strip())
    if kind == EventKind.REPLY and complaint.acknowledged_at is None:
        complaint.acknowledged_at = utcnow()
        if complaint.status == S.NEW:
            complaint.status = S.ACKNOWLEDGED.value
            _event(complaint, EventKind.STATUS, actor, from_status=S.NEW.value,
                   to_status=S.ACKNOWLEDGED.value, body=stored("ack_by_reply"))


def add_complaint_followup(complaint: Complaint, title: str, owner_id: int, due_on: date
                           ) -> FollowUp:
    """A next step on the complaint: an open follow-up linked to it, in the complaint's
    team (which may differ from its client's today); OwnerMayNotSee for an owner who may
    not read the complaint."""
    followup = give_followup(complaint, title, owner_id, due_on,
                             organization=complaint.organization)
    followup.team_id = complaint.team_id
    return followup


def rate(complaint: Complaint, score: int, comment: str, actor: User) -> None:
    """The client's satisfaction once resolved (1–5 and a comment), noted in the timeline."""
    complaint.satisfaction = score
    complaint.satisfaction_comment = comment.strip()
    _event(complaint, EventKind.NOTE, actor,
           body=stored("rated", n=score, comment=comment.strip()))


def assignable_users() -> list[User]:
    """Active people a complaint can be given to."""
    return list(db.session.scalars(sa.select(User).where(
        User.is_enabled, User.archived_at.is_(None)).order_by(User.sort_name)))
