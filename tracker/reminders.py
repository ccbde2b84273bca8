"""Periodic sweeps (``tracker.jobs``): follow-ups for agreement dates nobody may miss,
escalations of complaint deadlines that passed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from tracker.access import Action, can
from tracker.extensions import db
from tracker.followups import OwnerMayNotSee, check_owner, give_followup
from tracker.messages import reminder_title
from tracker.models import (
    Agreement,
    AgreementStatus,
    Complaint,
    ComplaintEvent,
    ComplaintStatus,
    EventKind,
    FollowUp,
    TeamMembership,
    User,
)
from tracker.notify import notify
from tracker.urls import site_path
from tracker.workflow import state_in, state_not_in


def agreement_date_reminders(today: date, days: int | None = None) -> int:
    """Create one follow-up per agreement date coming within ``days``; returns how many.

    Each reminder has a key naming the agreement, the kind of date and the date itself,
    and the key is unique: a second run, or two runs at once, create nothing more.
    """
    days = current_app.config["AGREEMENT_REMINDER_DAYS"] if days is None else days
    horizon = today + timedelta(days=days)
    agreements = db.session.scalars(
        sa.select(Agreement).where(
            state_in(Agreement.status, AgreementStatus.is_binding),
            Agreement.archived_at.is_(None),
            sa.or_(Agreement.notice_on.between(today, horizon),
                   Agreement.end_on.between(today, horizon)))
        .options(sa.orm.selectinload(Agreement.organization)))
    created = 0
    for agreement in agreements:
        for kind, when in (("notice", agreement.notice_on), ("end", agreement.end_on)):
            if when is None or not today <= when <= horizon:
                continue
            key = f"agreement:{agreement.id}:{kind}:{when.isoformat()}"
            if db.session.scalar(sa.select(FollowUp.id).where(FollowUp.dedupe_key == key)):
                continue
            # The title names no term of the agreement: a follow-up is read by its team's
            # members too, some of whom may not see the agreement (its page says which
            # agreement, to those who may see it). Stored in English whatever language the
            # job runs in; the key says what it is, and each reader reads it in theirs
            # (``tracker.messages.followup_title``).
            title = reminder_title(kind)
            owner_id = agreement.owner_id
            try:
                check_owner(agreement, owner_id)
            except OwnerMayNotSee:
                owner_id = None  # an owner who lost sight of it: the team's board shows it
            try:
                with db.session.begin_nested():
                    followup = give_followup(agreement, title[:200], owner_id,
                                             min(when, today + timedelta(days=7)),
                                             organization=agreement.organization,
                                             dedupe_key=key)
                    # The agreement's team, not the partner's: they read the agreement.
                    followup.team_id = agreement.team_id
            except sa.exc.IntegrityError:
                continue  # another run created it a moment ago
            created += 1
    return created


def _leads_of(complaint: Complaint) -> list[User]:
    if complaint.team_id is None:
        return []
    return list(db.session.scalars(sa.select(User).join(TeamMembership).where(
        TeamMembership.team_id == complaint.team_id, TeamMembership.is_lead,
        User.is_enabled)))


def _escalate(complaint: Complaint, which: str, now: datetime) -> bool:
    """Flag one passed deadline, once: the version check lets only one run win."""
    column = "ack_escalated_at" if which == "ack" else "resolve_escalated_at"
    try:
        with db.session.begin_nested():
            setattr(complaint, column, now)
            # The code ("ack" / "resolve"), not a sentence in the job's language: the
            # complaint's page says it in the reader's (``messages.escalation_text``).
            complaint.events.append(ComplaintEvent(kind=EventKind.ESCALATION.value,
                                                   body=which))
            db.session.flush()
    except sa.orm.exc.StaleDataError:
        return False
    link = site_path("clients.complaint_detail", complaint_id=complaint.id)
    # Only people who may read the complaint are told (a confidential one stays so).
    people = {u.id: u for u in [complaint.assignee, *_leads_of(complaint)]
              if u is not None and can(u, Action.READ, complaint)}
    params = {"title": complaint.title, "organization": complaint.organization.name,
              "severity": complaint.severity, "which": which}
    for person in people.values():
        notify(person, "escalation", link=link, source=complaint,
               event="complaint.overdue", params=params)
    return True


def complaint_escalations(now: datetime) -> int:
    """Flag every complaint whose acknowledgement or resolution deadline has passed.

    Each deadline escalates exactly once: the *_escalated_at stamp is set with the
    record's version check, so a second run (or a simultaneous one) finds nothing to do.
    """
    due_ack = sa.and_(Complaint.acknowledged_at.is_(None), Complaint.ack_due_at < now,
                      Complaint.ack_escalated_at.is_(None))
    due_resolve = sa.and_(state_not_in(Complaint.status, ComplaintStatus.is_paused),
                          Complaint.resolve_due_at < now,
                          Complaint.resolve_escalated_at.is_(None))
    rows = db.session.scalars(sa.select(Complaint).where(
        state_in(Complaint.status, ComplaintStatus.is_open), Complaint.archived_at.is_(None),
        sa.or_(due_ack, due_resolve)).options(sa.orm.selectinload(Complaint.assignee)))
    count = 0
    for complaint in rows:
        if (complaint.acknowledged_at is None and complaint.ack_due_at < now
                and complaint.ack_escalated_at is None):
            count += _escalate(complaint, "ack", now)
        if (not complaint.is_paused and complaint.resolve_due_at
                and complaint.resolve_due_at < now and complaint.resolve_escalated_at is None):
            count += _escalate(complaint, "resolve", now)
    return count
