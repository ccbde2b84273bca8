"""The weekly report (周报) of a team or of the whole department, made from what was
recorded that week: partners contacted and rounds held, agreements proposed, signed and
ending; client notes and confirmed requirements; complaints received, resolved, overdue
and the deadlines kept; follow-ups done and overdue by person.

Every figure is counted by the database through the access layer, as the reader: a lead
who gets it by mail reads what their own roles let them see. A team's report counts the
team's organizations, complaints and agreements, and its members' follow-ups; the
department's counts everything the reader may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.access import Area, may_enter, visible, visible_followups
from tracker.clients.complaints import queries as complaint_queries
from tracker.extensions import db
from tracker.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Complaint,
    ComplaintStatus,
    Conversation,
    FollowUp,
    FollowUpStatus,
    Organization,
    OrgKind,
    Requirement,
    Team,
    TeamMembership,
    User,
)
from tracker.workflow import state_in, state_not_in

ENDING_DAYS = 30  # agreements ending within this many days after the week are listed


@dataclass(frozen=True)
class Line:
    label: str
    value: int | str | None


@dataclass
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)


@dataclass
class WeeklyReport:
    team: Team | None
    monday: date
    sunday: date
    sections: list[Section] = field(default_factory=list)
    # (person, follow-ups done in the week, open ones overdue at the week's end)
    people: list[tuple[str, int, int]] = field(default_factory=list)


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def _bounds(monday: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(monday, time.min, tzinfo=zone).astimezone(UTC)
    end = datetime.combine(monday + timedelta(days=7), time.min, tzinfo=zone).astimezone(UTC)
    return start, end


def _count(stmt: sa.Select) -> int:
    return db.session.scalar(stmt.with_only_columns(sa.func.count()).order_by(None)) or 0


def _orgs(kind: str, team: Team | None) -> sa.Select:
    orgs = sa.select(Organization.id).where(Organization.kind == kind,
                                            Organization.archived_at.is_(None))
    return orgs.where(Organization.team_id == team.id) if team is not None else orgs


def _partners(user: User, team: Team | None, start: datetime, end: datetime,
              sunday: date) -> Section:
    section = Section(_("Partners"))
    rounds = visible(user, Conversation).where(
        Conversation.organization_id.in_(_orgs(OrgKind.PARTNER.value, team)),
        Conversation.occurred_at >= start, Conversation.occurred_at < end)
    contacted = db.session.scalar(rounds.with_only_columns(
        sa.func.count(sa.distinct(Conversation.organization_id)))) or 0
    section.lines += [Line(_("Partners contacted"), contacted),
                      Line(_("Negotiation rounds held"), _count(rounds))]
    if may_enter(user, Area.AGREEMENTS):
        agreements = visible(user, Agreement)
        if team is not None:
            agreements = agreements.where(Agreement.team_id == team.id)
        proposed = agreements.where(Agreement.id.in_(sa.select(AgreementVersion.agreement_id)
                                                     .where(AgreementVersion.proposed_at >= start,
                                                            AgreementVersion.proposed_at < end)))
        signed = agreements.where(Agreement.signed_on >= sunday - timedelta(days=6),
                                  Agreement.signed_on <= sunday)
        ending = agreements.where(state_in(Agreement.status, AgreementStatus.is_binding),
                                  Agreement.end_on > sunday,
                                  Agreement.end_on <= sunday + timedelta(days=ENDING_DAYS))
        section.lines += [
            Line(_("Agreements with new terms proposed"), _count(proposed)),
            Line(_("Agreements signed"), _count(signed)),
            Line(_("Agreements ending within %(days)s days", days=ENDING_DAYS),
                 _count(ending))]
    return section


def _clients(user: User, team: Team | None, start: datetime, end: datetime) -> Section:
    clients = _orgs(OrgKind.CLIENT.value, team)
    notes = visible(user, Conversation).where(
        Conversation.organization_id.in_(clients), Conversation.occurred_at >= start,
        Conversation.occurred_at < end)
    confirmed = visible(user, Requirement).where(
        Requirement.organization_id.in_(clients), Requirement.confirmed_at >= start,
        Requirement.confirmed_at < end)
    return Section(_("Clients"), [
        Line(_("Clients with progress notes"), db.session.scalar(notes.with_only_columns(
            sa.func.count(sa.distinct(Conversation.organization_id)))) or 0),
        Line(_("Progress notes"), _count(notes)),
        Line(_("Requirements confirmed"), _count(confirmed))])


def _complaints(user: User, team: Team | None, start: datetime, end: datetime,
                now: datetime) -> Section:
    base = visible(user, Complaint)
    if team is not None:
        base = base.where(Complaint.team_id == team.id)
    received = base.where(Complaint.received_at >= start, Complaint.received_at < end)
    resolved = base.where(complaint_queries.view_clause("closed", user, now, 0),
                          Complaint.resolved_at >= start, Complaint.resolved_at < end)
    met = _count(resolved.where(complaint_queries.deadline_clause("met")))
    missed = _count(resolved.where(complaint_queries.deadline_clause("missed")))
    # Past its resolution deadline at the week's end and not resolved by then (whatever
    # happened since): the week as it was, also for a report read weeks later.
    at_end = min(now, end)
    overdue = base.where(Complaint.received_at < at_end, Complaint.resolve_due_at < at_end,
                         sa.or_(Complaint.resolved_at.is_(None), Complaint.resolved_at >= at_end),
                         # rejected ones never had to be resolved; waiting on the client,
                         # the resolution clock stands still (as the queue counts them)
                         Complaint.status != ComplaintStatus.REJECTED.value,
                         state_not_in(Complaint.status, ComplaintStatus.is_paused))
    return Section(_("Complaints"), [
        Line(_("Complaints received"), _count(received)),
        Line(_("Complaints resolved"), _count(resolved)),
        Line(_("Past their resolution deadline at the end of the week"), _count(overdue)),
        Line(_("Resolution deadlines kept"),
             f"{round(100 * met / (met + missed))}%" if met + missed else "—")])


def _people(user: User, team: Team | None, start: datetime, end: datetime,
            sunday: date) -> list[tuple[str, int, int]]:
    """Per owner: follow-ups completed in the week, and open ones overdue at its end."""
    followups = visible_followups(user)
    if team is not None:
        followups = followups.where(FollowUp.owner_id.in_(
            sa.select(TeamMembership.user_id).where(TeamMembership.team_id == team.id)))
    one = sa.literal(1)
    done = sa.and_(FollowUp.completed_at >= start, FollowUp.completed_at < end)
    # Due by the week's end and still open then (done later, or not yet).
    late = sa.and_(FollowUp.due_on <= sunday, FollowUp.created_at < end, sa.or_(
        FollowUp.status == FollowUpStatus.OPEN.value, FollowUp.completed_at >= end))
    rows = db.session.execute(
        followups.join(User, User.id == FollowUp.owner_id)
        .where(sa.or_(done, late))
        .with_only_columns(User.name, User.sort_name,
                           sa.func.sum(sa.case((done, one), else_=0)),
                           sa.func.sum(sa.case((late, one), else_=0)))
        .group_by(User.id, User.name, User.sort_name).order_by(User.sort_name)).all()
    return [(name, int(n_done or 0), int(n_late or 0)) for name, _key, n_done, n_late in rows]


def weekly_report(user: User, team: Team | None, monday: date, zone: ZoneInfo,
                  now: datetime) -> WeeklyReport:
    """The week from ``monday`` (in ``zone``) for ``team`` (None: the department)."""
    sunday = monday + timedelta(days=6)
    start, end = _bounds(monday, zone)
    report = WeeklyReport(team, monday, sunday)
    if may_enter(user, Area.PARTNERS):
        report.sections.append(_partners(user, team, start, end, sunday))
    if may_enter(user, Area.CLIENTS):
        report.sections.append(_clients(user, team, start, end))
        if may_enter(user, Area.COMPLAINTS):
            report.sections.append(_complaints(user, team, start, end, now))
    if may_enter(user, Area.FOLLOWUPS):
        report.people = _people(user, team, start, end, sunday)
    return report


def report_rows(report: WeeklyReport) -> list[tuple[Any, Any, Any]]:
    """The report as rows for a spreadsheet: (section, measure, value), then the people."""
    rows: list[tuple[Any, Any, Any]] = []
    for section in report.sections:
        rows += [(section.title, line.label, line.value) for line in section.lines]
    for name, done, late in report.people:
        rows.append((_("Follow-ups"), _("%(name)s: done", name=name), done))
        rows.append((_("Follow-ups"), _("%(name)s: overdue", name=name), late))
    return rows
