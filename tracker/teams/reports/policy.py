"""Who may write a report, reply as the lead, raise a problem, ask for or decide resources.

Reading always goes through ``visible``/``get_visible_or_404`` and editing through
``can``; these add the rules that belong to teamwork itself (membership, the lead, the
named approver). Templates call the same functions.

Raising a problem or asking for resources needs write access to internal teams at
*own* level or more (the new record is the raiser's own). ``can(user, "create",
Area.TEAMS)`` is not used for that: it asks for *all*, the level needed to create teams.
"""

from __future__ import annotations

from tracker.access import Action, Area, Level, can, permissions_of
from tracker.models import ProgressReport, ResourceRequest, Team, User
from tracker.teams.reports.workflow import RequestStatus


def _write(user: User | None, area: Area) -> Level:
    return permissions_of(user).level(area, write=True)


def is_member(user: User | None, team: Team) -> bool:
    return user is not None and team.id in user.team_ids


def is_lead(user: User | None, team_id: int) -> bool:
    return user is not None and team_id in user.led_team_ids


def may_read_reports(user: User | None) -> bool:
    """Progress reports have an area of their own: without it their pages answer 403."""
    return can(user, Action.READ, Area.REPORTS)


def may_report(user: User | None, team: Team) -> bool:
    """Members write their own report for each period of an active team."""
    return (can(user, Action.CREATE, Area.REPORTS) and is_member(user, team)
            and team.archived_at is None)


def may_comment(user: User | None, report: ProgressReport) -> bool:
    """The team's lead replies (or whoever writes every report)."""
    if report.archived_at is not None or _write(user, Area.REPORTS) < Level.OWN:
        return False
    return is_lead(user, report.team_id) or _write(user, Area.REPORTS) >= Level.ALL


def may_escalate(user: User | None, report: ProgressReport) -> bool:
    """Its author or the lead turns a report's blockers into a follow-up or a problem."""
    return can(user, Action.EDIT, report) or may_comment(user, report)


def may_raise(user: User | None, team: Team) -> bool:
    """Members raise problems and ask for resources (so does whoever writes every team's)."""
    level = _write(user, Area.TEAMS)
    return (team.archived_at is None and level >= Level.OWN
            and (is_member(user, team) or level >= Level.ALL))


def may_follow_up(user: User | None) -> bool:
    return can(user, Action.CREATE, Area.FOLLOWUPS)


def may_edit_request(user: User | None, request: ResourceRequest) -> bool:
    """Its requester changes a request while it waits for a decision (the approver decides
    instead; whoever writes the whole team's records may also correct it)."""
    return (request.status == RequestStatus.REQUESTED.value
            and can(user, Action.EDIT, request)
            and (user.id == request.requester_id or _write(user, Area.TEAMS) >= Level.TEAM))


def may_decide(user: User | None, request: ResourceRequest) -> bool:
    """Only the named approver decides (or whoever writes every team's records)."""
    if user is None or not can(user, Action.EDIT, request):
        return False
    return user.id == request.approver_id or _write(user, Area.TEAMS) >= Level.ALL


def may_fulfil(user: User | None, request: ResourceRequest) -> bool:
    return can(user, Action.EDIT, request)
