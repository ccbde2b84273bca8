"""Team writes, from plain values (a form, an import, a job or the CLI turns its input into
them). Callers own the transaction: these never commit."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.extensions import db
from tracker.memberships import merge, posted_state, state_of
from tracker.models import Team, TeamMembership
from tracker.records import ensure_current


@dataclass(frozen=True, kw_only=True)
class TeamInput:
    """A team as a form, an import or an API gives it.

    ``members`` and ``leads`` are user ids (leads are members too). ``members_loaded`` is
    the membership the caller's view showed (user id -> lead?): only what the caller changed
    against it is applied, so a member added meanwhile from the user's side stays. None
    (no view, or an old form) takes ``members`` and ``leads`` as they are.
    """

    name: str
    description: str = ""
    report_cadence: str = "weekly"
    weekly_report_day: int | None = None
    members: tuple[int, ...] = ()
    leads: tuple[int, ...] = ()
    members_loaded: dict[int, bool] | None = None


def save_team(data: TeamInput, team: Team | None = None, *,
              version: int | str | None = None) -> Team:
    """Create a team or update ``team``; its members change as the input changed them
    (``tracker.memberships``).

    ``version`` is the one the caller's view of ``team`` had: an update against an older
    one is refused with StaleRecord.
    """
    if team is None:
        team = Team()
        db.session.add(team)
    else:
        ensure_current(team, version)
    # Read the memberships before touching the team, so loading them autoflushes nothing
    # half-applied: one save, one version, one history entry.
    memberships = list(team.memberships)
    current = state_of((m.user_id, m.is_lead) for m in memberships)
    wanted = merge(current, data.members_loaded, posted_state(data.members, data.leads))
    team.name = data.name.strip()
    team.description = data.description or ""
    team.report_cadence = data.report_cadence or "weekly"
    team.weekly_report_day = data.weekly_report_day
    for membership in memberships:
        if membership.user_id not in wanted:
            team.memberships.remove(membership)
        elif membership.is_lead != wanted[membership.user_id]:
            membership.is_lead = wanted[membership.user_id]
    have = {m.user_id for m in team.memberships}
    for user_id in sorted(wanted.keys() - have):
        team.memberships.append(TeamMembership(user_id=user_id, is_lead=wanted[user_id]))
    return team
