"""Team writes. Views commit; these never do."""

from __future__ import annotations

from tracker.extensions import db
from tracker.memberships import decode, merge, posted_state, state_of
from tracker.models import Team, TeamMembership
from tracker.records import ensure_current
from tracker.teams.forms import TeamForm


def save_team(form: TeamForm, team: Team | None = None) -> Team:
    """Create or update a team; its members change as the form changed them
    (``tracker.memberships``: a member added meanwhile from the user's side stays)."""
    if team is None:
        team = Team()
        db.session.add(team)
    else:
        ensure_current(team, form.version.data)
    team.name = form.name.data.strip()
    team.description = form.description.data or ""
    team.report_cadence = form.report_cadence.data or "weekly"
    current = state_of((m.user_id, m.is_lead) for m in team.memberships)
    wanted = merge(current, decode(form.members_loaded.data),
                   posted_state(form.members.data, form.leads.data))
    for membership in list(team.memberships):
        if membership.user_id not in wanted:
            team.memberships.remove(membership)
        elif membership.is_lead != wanted[membership.user_id]:
            membership.is_lead = wanted[membership.user_id]
    have = {m.user_id for m in team.memberships}
    for user_id in sorted(wanted.keys() - have):
        team.memberships.append(TeamMembership(user_id=user_id, is_lead=wanted[user_id]))
    return team
