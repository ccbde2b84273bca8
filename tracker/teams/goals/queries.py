"""Reads for goals: a team's tree, choices for the form, a goal's assessment."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import get_timezone
from sqlalchemy.orm import joinedload

from tracker.access import visible
from tracker.extensions import db
from tracker.models import Goal, Team, TeamMembership, User
from tracker.teams.goals.progress import Assessment, GoalState, assess


def today() -> date:
    """Today in the user's time zone (the dates on a goal are the user's dates)."""
    return datetime.now(ZoneInfo(str(get_timezone()))).date()


def assessment(goal: Goal, on: date | None = None) -> Assessment:
    """Progress and state of one goal (its check-ins are loaded with it)."""
    start = goal.starts_on or (goal.created_at.date() if goal.created_at else None)
    return assess(goal.baseline, goal.target, [(c.at, c.value) for c in goal.checkins],
                  start, goal.due_on, on or today())


def _with_details(stmt: sa.Select) -> sa.Select:
    """Check-ins and owner joined: one statement whether there are goals or not."""
    return stmt.options(joinedload(Goal.checkins), joinedload(Goal.owner))


def team_goals(user: User, team: Team) -> list[Goal]:
    """The team's goals the user may see, not archived, by due date."""
    return list(db.session.scalars(_with_details(
        visible(user, Goal).where(Goal.team_id == team.id)
        .order_by(Goal.due_on.is_(None), Goal.due_on, Goal.title, Goal.id))).unique())


@dataclass
class Node:
    """A goal in the tree, with its assessment and the sub-goals shown under it."""

    goal: Goal
    assessment: Assessment
    children: list[Node] = field(default_factory=list)


def tree(goals: list[Goal], on: date | None = None) -> list[Node]:
    """Goals nested under their parents; a goal whose parent is not shown is a root."""
    on = on or today()
    nodes = {g.id: Node(g, assessment(g, on)) for g in goals}
    roots = []
    for goal in goals:
        parent = nodes.get(goal.parent_id) if goal.parent_id is not None else None
        if parent is not None and not _is_cycle(goal, nodes):
            parent.children.append(nodes[goal.id])
        else:
            roots.append(nodes[goal.id])
    return roots


def _is_cycle(goal: Goal, nodes: dict[int, Node]) -> bool:
    """Would walking up from ``goal`` come back to it (only possible in damaged data)?"""
    seen = {goal.id}
    current = goal.parent_id
    while current is not None and current in nodes:
        if current in seen:
            return True
        seen.add(current)
        current = nodes[current].goal.parent_id
    return False


def descendant_ids(goal: Goal) -> set[int]:
    """Ids of every goal under ``goal``, archived ones included."""
    rows = db.session.execute(
        sa.select(Goal.id, Goal.parent_id).where(Goal.team_id == goal.team_id)).all()
    children: dict[int, list[int]] = {}
    for goal_id, parent_id in rows:
        if parent_id is not None:
            children.setdefault(parent_id, []).append(goal_id)
    found: set[int] = set()
    todo = [goal.id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found and child != goal.id:
                found.add(child)
                todo.append(child)
    return found


def eligible_parents(user: User, team: Team, goal: Goal | None = None) -> list[Goal]:
    """Goals a goal of ``team`` may sit under: the team's visible ones, not itself or below."""
    stmt = visible(user, Goal).where(Goal.team_id == team.id).order_by(Goal.title, Goal.id)
    if goal is not None:
        stmt = stmt.where(Goal.id.not_in([goal.id, *descendant_ids(goal)]))
    return list(db.session.scalars(stmt))


def goal_by_id(goal_id: int) -> Goal | None:
    """A goal by id, for the form's explanation of a refused parent (never shown)."""
    return db.session.get(Goal, goal_id) if goal_id > 0 else None


def owner_candidates(team: Team, user: User, current_owner_id: int | None) -> list[User]:
    """Who may own a goal of ``team``: its active members, the user, the current owner."""
    members = sa.select(TeamMembership.user_id).where(TeamMembership.team_id == team.id)
    stmt = sa.select(User).where(sa.or_(
        sa.and_(User.id.in_(members), User.archived_at.is_(None), User.is_enabled),
        User.id == user.id, User.id == current_owner_id)).order_by(User.sort_name, User.id)
    return list(db.session.scalars(stmt))


def children_of(user: User, goal: Goal) -> list[Goal]:
    """The visible sub-goals of a goal, not archived."""
    return list(db.session.scalars(_with_details(
        visible(user, Goal).where(Goal.parent_id == goal.id).order_by(Goal.title, Goal.id)))
        .unique())


def owned_by(user: User, person: User) -> list[Goal]:
    """Goals ``person`` owns that ``user`` may see, not archived."""
    return list(db.session.scalars(_with_details(
        visible(user, Goal).where(Goal.owner_id == person.id)
        .options(joinedload(Goal.team))
        .order_by(Goal.due_on.is_(None), Goal.due_on, Goal.id))).unique())


@dataclass(frozen=True)
class Summary:
    """For the team page: how many goals are in each state, and the top-level ones."""

    counts: dict[GoalState, int]
    roots: list[Node]
    total: int


def summary(user: User, team: Team) -> Summary:
    """Goal counts by state and the top-level goals, for a team's page."""
    roots = tree(team_goals(user, team))
    counts: Counter[GoalState] = Counter()

    def count(nodes: list[Node]) -> None:
        for node in nodes:
            counts[node.assessment.state] += 1
            count(node.children)

    count(roots)
    return Summary({s: counts[s] for s in GoalState if counts[s]}, roots,
                   sum(counts.values()))
