"""Goal writes. Views commit; these never do."""

from __future__ import annotations

from tracker.access import Area, Level, permissions_of
from tracker.extensions import db
from tracker.models import Goal, GoalCheckIn, Team, User, utcnow
from tracker.records import ensure_current
from tracker.teams.goals.forms import CheckInForm, GoalForm


def may_add(user: User | None, team: Team) -> bool:
    """May the user add goals, praise, posts and replies to ``team`` (which they see)?

    As for partners and clients, and as for problems and resource requests: write access to
    internal teams at "own" level or more (what they add is theirs: they created the goal,
    give the praise, write the post), as a member of the team, or at "all" level for any
    team. ``can(user, "create", Area.TEAMS)`` asks for "all", the level for creating teams.
    An archived team takes nothing new.
    """
    if user is None or not getattr(user, "is_authenticated", False) or team.archived_at:
        return False
    level = permissions_of(user).level(Area.TEAMS, write=True)
    return level >= Level.OWN and (team.id in user.team_ids or level >= Level.ALL)


def save_goal(form: GoalForm, team: Team, goal: Goal | None = None) -> Goal:
    """Create a goal of ``team`` or update one (refused with StaleRecord if out of date)."""
    if goal is None:
        goal = Goal(team_id=team.id)
        db.session.add(goal)
    else:
        ensure_current(goal, form.version.data)
    goal.title = form.title.data
    goal.metric = form.metric.data
    goal.unit = form.unit.data or ""
    goal.baseline = form.baseline.data
    goal.target = form.target.data
    goal.why = form.why.data
    goal.parent_id = form.parent_id.data
    goal.starts_on = form.starts_on.data
    goal.due_on = form.due_on.data
    goal.owner_id = form.owner_id.data
    return goal


def add_checkin(goal: Goal, form: CheckInForm, author: User) -> GoalCheckIn:
    """A new check-in. Added by id, not through ``goal.checkins``: the goal itself does not
    change, so an edit form open on it does not go stale."""
    checkin = GoalCheckIn(goal_id=goal.id, at=utcnow(), value=form.value.data,
                          note=form.note.data or "", author_id=author.id)
    db.session.add(checkin)
    return checkin
