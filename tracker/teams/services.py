"""Team writes. Views commit; these never do."""

from __future__ import annotations

from tracker.extensions import db
from tracker.models import Team, TeamMembership
from tracker.records import ensure_current
from tracker.teams.forms import TeamForm


def save_team(form: TeamForm, team: Team | None = None) -> Team:
    """Create or update a team and make its members exactly the form's."""
    if team is None:
        team = Team()
        db.session.add(team)
    else:
        ensure_current(team, form.version.data)
    team.name = form.name.data.strip()
    team.description = form.description.data or ""
    team.report_cadence = form.report_cadence.data or "weekly"
    leads = set(form.leads.data or [])
    wanted = set(form.members.data or []) | leads
    for membership in list(team.memberships):
        if membership.user_id not in wanted:
            team.memberships.remove(membership)
        elif membership.is_lead != (membership.user_id in leads):
            membership.is_lead = membership.user_id in leads
    have = {m.user_id for m in team.memberships}
    for user_id in sorted(wanted - have):
        team.memberships.append(TeamMembership(user_id=user_id, is_lead=user_id in leads))
    return team
