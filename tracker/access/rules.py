"""Rules beyond the grant matrix: who may do what where a level alone does not say.

``visible`` and ``can`` answer from the grants and the scopes (own, team, all). Some
decisions add something of the record's world: membership of the team, its lead, the
named approver, an archived team, a capability on top of a level. Each such rule lives
here, once, named for what it decides; routes, queries and templates ask it and never
build one themselves (``tests/test_access_home.py``). ``docs/permissions.md`` lists them
in plain words ("Rules beyond the grant matrix").

Every docstring says the rule exactly as the code decides it. "Write level" is the user's
merged write level in an area (the most permissive of their roles); "signed in" means an
authenticated, active user (anyone else holds no level at all).
"""

from __future__ import annotations

import sqlalchemy as sa

from tracker.access.permissions import permissions_of
from tracker.access.policy import area_of, can, has, visible
from tracker.access.vocabulary import Action, Area, Capability, Level
from tracker.extensions import db
from tracker.models import (
    Comment,
    Goal,
    Post,
    ProgressReport,
    Recognition,
    ResourceRequest,
    Team,
    TeamMembership,
    User,
)


def _write(user: User | None, area: Area) -> Level:
    return permissions_of(user).level(area, write=True)


def _member(user: User | None, team_id: int) -> bool:
    return user is not None and team_id in user.team_ids


def _lead(user: User | None, team_id: int) -> bool:
    return user is not None and team_id in user.led_team_ids


# -- internal teams ----------------------------------------------------------------------

def may_add_to_team(user: User | None, team: Team) -> bool:
    """May the user add goals, praise, posts, problems and resource requests to ``team``?

    Signed in, the team not archived, write level on internal teams at least *own* (what
    they add is theirs: they set the goal, give the praise, write the post, raise the
    problem, ask for the resources), and either a member of the team or write level *all*
    (any team). This is not ``can(user, "create", Area.TEAMS)``: that asks *own* too but
    leaves out membership; founding a team is ``may_create_teams`` (*all*).
    """
    if user is None or not getattr(user, "is_authenticated", False) or team.archived_at:
        return False
    level = _write(user, Area.TEAMS)
    return level >= Level.OWN and (_member(user, team.id) or level >= Level.ALL)


def may_add_subgoal(user: User | None, goal: Goal) -> bool:
    """May the user add a goal under ``goal``? ``may_add_to_team`` for the goal's team, the
    goal not archived, and the user may read the team itself (a goal seen as its owner
    does not open its team's goal list)."""
    return (may_add_to_team(user, goal.team) and goal.archived_at is None
            and can(user, Action.READ, goal.team))


def may_comment_on_post(user: User | None, post: Post) -> bool:
    """May the user reply to ``post``? The post not archived and ``may_add_to_team`` for
    its team (a reply is something added to the team)."""
    return post.archived_at is None and may_add_to_team(user, post.team)


def may_record_meeting(user: User | None, team: Team) -> bool:
    """May the user record a meeting or a retrospective for ``team`` (which they see)?

    ``can(user, "create", Area.TEAMS)``, that is signed in with write level on internal
    teams at least *own* (the meeting is theirs: they organise it), and the team not
    archived. Membership is not asked: reading the team is enough.
    """
    return can(user, Action.CREATE, Area.TEAMS) and team.archived_at is None


def may_see_person(user: User, person: User) -> bool:
    """May ``user`` open ``person``'s page? Themselves; anyone, for read level *all* on
    internal teams; else only if ``person`` belongs to a team the user may read (archived
    teams too), or gives or receives praise, owns a goal or writes a post the user may
    read (not archived). One statement in the last case, none otherwise."""
    if person.id == user.id or permissions_of(user).level(Area.TEAMS) >= Level.ALL:
        return True
    teams = visible(user, Team, include_archived=True).with_only_columns(Team.id)
    seen = sa.or_(
        sa.exists(sa.select(TeamMembership.user_id).where(
            TeamMembership.user_id == person.id, TeamMembership.team_id.in_(teams))),
        sa.exists(visible(user, Recognition).where(sa.or_(
            Recognition.giver_id == person.id, Recognition.recipient_id == person.id))
            .with_only_columns(Recognition.id)),
        sa.exists(visible(user, Goal).where(Goal.owner_id == person.id)
                  .with_only_columns(Goal.id)),
        sa.exists(visible(user, Post).where(Post.author_id == person.id)
                  .with_only_columns(Post.id)),
    )
    return bool(db.session.scalar(sa.select(seen)))


# -- comments on records ----------------------------------------------------------------

def may_comment_on(user: User | None, record: object) -> bool:
    """May the user comment on ``record`` (a round, note, requirement, complaint, agreement
    or meeting)? They may read it (``can(user, "read", record)``, confidentiality
    included), it is not archived, and their write level in the record's area is at least
    *own*: a comment is something written, so roles that only read (the auditor) read the
    comments and write none. Whoever may read the record reads its comments."""
    if user is None or getattr(record, "archived_at", None) is not None:
        return False
    return can(user, Action.READ, record) and _write(user, area_of(record)) >= Level.OWN


def may_remove_comment(user: User | None, comment: Comment, record: object) -> bool:
    """May the user remove (archive) ``comment`` on ``record``? The comment not removed
    yet, the user may read the record, and either wrote the comment or has write level
    *all* in the record's area (whoever may restore its records, as administrators and
    operations managers do)."""
    if user is None or comment.archived_at is not None or not can(user, Action.READ, record):
        return False
    return comment.author_id == user.id or _write(user, area_of(record)) >= Level.ALL


# -- progress reports, problems and resource requests ------------------------------------

def may_read_reports(user: User | None) -> bool:
    """Progress reports have an area of their own: read level on reports at least *own*
    (``can(user, "read", Area.REPORTS)``). Without it every report page answers 403 and
    team pages leave out who has reported."""
    return can(user, Action.READ, Area.REPORTS)


def may_write_report(user: User | None, team: Team) -> bool:
    """May the user write their report for ``team``? Write level on reports at least *own*
    (``can(user, "create", Area.REPORTS)``), a member of the team, the team not archived.
    Nobody reports for a team they do not belong to, whatever their level."""
    return (can(user, Action.CREATE, Area.REPORTS) and _member(user, team.id)
            and team.archived_at is None)


def may_reply_to_report(user: User | None, report: ProgressReport) -> bool:
    """May the user reply to ``report`` as its team's lead? The report not archived, write
    level on reports at least *own*, and either a lead of the report's team or write level
    *all* on reports. A member who is not a lead does not reply, even with *team*."""
    if report.archived_at is not None or _write(user, Area.REPORTS) < Level.OWN:
        return False
    return _lead(user, report.team_id) or _write(user, Area.REPORTS) >= Level.ALL


def may_escalate_report(user: User | None, report: ProgressReport) -> bool:
    """May the user turn ``report``'s blockers into a follow-up or a problem? Whoever may
    edit the report (``can(user, "edit", report)``: its author, or the scope's team or
    *all* write level) or may reply to it (``may_reply_to_report``). Creating the
    follow-up or problem is asked separately (``may_create_followups``,
    ``may_add_to_team``)."""
    return can(user, Action.EDIT, report) or may_reply_to_report(user, report)


def may_create_followups(user: User | None) -> bool:
    """May the user make a follow-up (of a report's blockers)? Write level on follow-ups
    at least *own*: ``can(user, "create", Area.FOLLOWUPS)``."""
    return can(user, Action.CREATE, Area.FOLLOWUPS)


def may_own_followup_of(person: User | None, source: object | None) -> bool:
    """May ``person`` be given a follow-up that comes from ``source`` (a round, a note, a
    requirement, a complaint, an agenda item, a report …)? Only someone who may read that
    record, ``can(person, "read", source)``: anyone else would find it in their day as "a
    record you cannot see". A follow-up of no record (``source`` None) may go to any active
    person."""
    if person is None or not person.is_active:
        return False
    return source is None or can(person, Action.READ, source)


IMPORT_AREAS = {"partners": Area.PARTNERS, "clients": Area.CLIENTS,
                "complaints": Area.COMPLAINTS}


def may_import(user: User | None, kind: str) -> bool:
    """May the user import a file of ``kind`` ("partners", "clients", "complaints")? Only
    if they may create such records: ``can(user, "create", area)``. Each row is then
    checked as the record it makes (tracker.imports.rows)."""
    area = IMPORT_AREAS.get(kind)
    return area is not None and can(user, Action.CREATE, area)


def may_edit_request(user: User | None, request: ResourceRequest) -> bool:
    """May the user change ``request``? Only while it awaits a decision (status
    "requested"), only if ``can(user, "edit", request)``, and only as its requester or
    with write level *team* or more on internal teams (someone correcting the team's
    records). The named approver decides it instead of editing it."""
    return (request.awaits_decision  # the workflow's state, declared on the model
            and can(user, Action.EDIT, request)
            and (user.id == request.requester_id or _write(user, Area.TEAMS) >= Level.TEAM))


def may_decide_request(user: User | None, request: ResourceRequest) -> bool:
    """May the user approve, partly approve or reject ``request``? ``can(user, "edit",
    request)`` and either its named approver or write level *all* on internal teams. The
    requester does not decide their own request (unless they are also one of those)."""
    if user is None or not can(user, Action.EDIT, request):
        return False
    return user.id == request.approver_id or _write(user, Area.TEAMS) >= Level.ALL


def may_fulfil_request(user: User | None, request: ResourceRequest) -> bool:
    """May the user mark ``request`` fulfilled? Whoever may edit it: ``can(user, "edit",
    request)`` (requester or approver with *own*, the team with *team*, or *all*)."""
    return can(user, Action.EDIT, request)


# -- follow-ups ----------------------------------------------------------------------------

def may_see_every_team_board(user: User | None) -> bool:
    """Does the follow-up team view list every active team? Read level *all* on
    follow-ups; anyone else sees the teams they belong to. (Each board still shows only
    the follow-ups the user may read.)"""
    return permissions_of(user).level(Area.FOLLOWUPS) >= Level.ALL


def may_see_every_reminder(user: User | None) -> bool:
    """Does the reminder log show the reminders sent to everyone? Only with the *read the
    change history* capability; anyone else sees the reminders sent to them (and the
    titles only of follow-ups they may read)."""
    return has(user, Capability.READ_AUDIT)


# -- administration ------------------------------------------------------------------------

def may_manage_accounts(user: User | None) -> bool:
    """May the user change users, roles, grants, jobs and deadline settings? Write level
    *all* on administration (``can(user, "create", Area.ADMIN)``) **and** the *manage
    users* capability, both. Reading the administration pages needs only read access."""
    return can(user, Action.CREATE, Area.ADMIN) and has(user, Capability.MANAGE_USERS)
