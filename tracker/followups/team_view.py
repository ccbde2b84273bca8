"""The team view of follow-ups: each member's open follow-ups the viewer may see, the first
few of each and their counts, in two statements whatever the number of people or rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from tracker.access import may_see_every_team_board, visible_followups
from tracker.extensions import db
from tracker.models import FollowUp, FollowUpStatus, Team, TeamMembership, User

TEAM_LIST_LIMIT = 10


@dataclass
class Person:
    user: User
    shown: list[FollowUp] = field(default_factory=list)
    open: int = 0
    overdue: int = 0

    @property
    def items(self) -> list[FollowUp]:
        return self.shown


@dataclass
class TeamBoard:
    team: Team
    leads: bool
    people: list[Person]

    @property
    def overdue(self) -> int:
        return sum(p.overdue for p in self.people)

    @property
    def open(self) -> int:
        return sum(p.open for p in self.people)


def _teams_with_people(user: User) -> list[tuple[Team, list[User]]]:
    """The teams of the view and their active members, by name: one statement."""
    stmt = (sa.select(Team, User).where(Team.archived_at.is_(None))
            .outerjoin(TeamMembership, TeamMembership.team_id == Team.id)
            .outerjoin(User, sa.and_(User.id == TeamMembership.user_id,
                                     User.archived_at.is_(None))))
    if not may_see_every_team_board(user):
        stmt = stmt.where(Team.id.in_(sorted(user.team_ids) or [-1]))
    teams: dict[int, tuple[Team, list[User]]] = {}
    for team, member in db.session.execute(stmt):
        people = teams.setdefault(team.id, (team, []))[1]
        if member is not None:
            people.append(member)
    for _team, people in teams.values():
        people.sort(key=lambda u: (u.sort_name, u.id))
    return list(teams.values())


def _first_of_each(user: User, people: set[int], today: date
                   ) -> dict[int, tuple[list[FollowUp], int, int]]:
    """owner id -> (their first open follow-ups the user may see, how many open, how many
    overdue), in one statement: window functions number and count each owner's rows."""
    by_owner = {"partition_by": FollowUp.owner_id}
    ranked = visible_followups(user).where(FollowUp.status == FollowUpStatus.OPEN.value).where(
        FollowUp.owner_id.in_(sorted(people))).add_columns(
        sa.func.row_number().over(order_by=(FollowUp.due_on, FollowUp.id), **by_owner)
        .label("rn"),
        sa.func.count().over(**by_owner).label("n_open"),
        sa.func.count(sa.case((FollowUp.due_on < today, 1))).over(**by_owner).label("n_late"),
    ).subquery("ranked")
    row = sa.orm.aliased(FollowUp, ranked)
    found: dict[int, tuple[list[FollowUp], int, int]] = {}
    for f, n_open, n_late in db.session.execute(
            sa.select(row, ranked.c.n_open, ranked.c.n_late)
            .where(ranked.c.rn <= TEAM_LIST_LIMIT).order_by(ranked.c.due_on, ranked.c.id)):
        found.setdefault(f.owner_id, ([], n_open, n_late))[0].append(f)
    return found


def team_boards(user: User, today: date) -> list[TeamBoard]:
    """For each team the user leads (then each other team of theirs; every team for those
    who read all follow-ups): each member's open follow-ups the user may see, the first
    few of each and their counts."""
    led, member_of = user.led_team_ids, user.team_ids
    teams = sorted(_teams_with_people(user),
                   key=lambda t: (t[0].id not in led, t[0].id not in member_of,
                                  t[0].name.lower()))
    people_ids = {u.id for _team, members in teams for u in members}
    found = _first_of_each(user, people_ids, today) if people_ids else {}
    return [TeamBoard(team, team.id in led,
                      [Person(u, *found.get(u.id, ([], 0, 0))) for u in members])
            for team, members in teams]
