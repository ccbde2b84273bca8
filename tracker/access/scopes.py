"""How each access-controlled model maps onto areas, owners and teams.

A scope answers two questions about one model: which rows a level reaches (a SQL
clause, for lists) and which level one record needs (for a single lookup). Both come
from the same description, so a list and a detail page cannot disagree. Restrictions
narrow a model further (confidential records), again as a clause and a check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from tracker.access.permissions import permissions_of
from tracker.access.vocabulary import Area, Capability, Level
from tracker.models import (
    ORG_KINDS,
    AgendaItem,
    Agreement,
    AgreementVersion,
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    Contact,
    Conversation,
    ConversationTopic,
    FollowUp,
    Goal,
    GoalCheckIn,
    Meeting,
    Organization,
    Post,
    PostComment,
    Problem,
    ProgressReport,
    Recognition,
    Requirement,
    ResourceRequest,
    Retrospective,
    Team,
    User,
    conversation_users,
)
from tracker.models.base import Base

KIND_AREAS = {kind: Area(info.area) for kind, info in ORG_KINDS.items()}


def probe(stmt: sa.Select) -> ColumnElement[bool]:
    """Does the correlated ``stmt`` find a row? Asked per outer row, always.

    ``EXISTS`` means the same, but PostgreSQL may instead hash *every* row the subquery
    could match (all the visible conversations, all agreements, every round a user took
    part in) when it guesses the outer query reads many rows; it guesses so even under a
    LIMIT that stops after thirty, and then spends 5-150 ms per statement building the
    hash. A scalar subquery (``(SELECT 1 … LIMIT 1) IS NOT NULL``) is never hashed: each
    outer row costs one primary-key probe, on SQLite as on PostgreSQL.
    """
    return (stmt.with_only_columns(sa.literal(1), maintain_column_froms=True).limit(1)
            .scalar_subquery().is_not(None))


@dataclass(frozen=True)
class Scope:
    """Describes one model: its area, the columns that make it "own", its team column."""

    area_of: Callable[[Any], Area]
    owner_cols: tuple[Callable[[], ColumnElement], ...] = ()
    team_col: Callable[[], ColumnElement] | None = None
    owners_of: Callable[[Any], set[int | None]] = field(default=lambda r: set())
    team_of: Callable[[Any], int | None] = lambda r: None

    def parts(self, user: User, level: Level) -> list[ColumnElement[bool]]:
        """The alternatives of ``clause``, each one an index can answer on its own."""
        if level >= Level.ALL:
            return [sa.true()]
        parts: list[ColumnElement[bool]] = []
        if level >= Level.OWN:
            parts.extend(col() == user.id for col in self.owner_cols)
        if level >= Level.TEAM and self.team_col is not None and user.team_ids:
            parts.append(self.team_col().in_(sorted(user.team_ids)))
        return parts

    def keys(self, user: User, level: Level) -> list[str] | None:
        """``parts`` as reach keys (``tracker.access.reach``): ``u<id>`` for "own", a
        ``t<team>`` per team for "team"; None at *all*, where no key bounds the rows."""
        if level >= Level.ALL:
            return None
        keys: list[str] = []
        if level >= Level.OWN and self.owner_cols:
            keys.append(f"u{user.id}")
        if level >= Level.TEAM and self.team_col is not None:
            keys.extend(f"t{t}" for t in sorted(user.team_ids))
        return keys

    def clause(self, user: User, level: Level) -> ColumnElement[bool]:
        """Rows of this model that ``level`` reaches for ``user``."""
        parts = self.parts(user, level)
        return sa.or_(*parts) if parts else sa.false()

    def needed(self, user: User, record: Any) -> Level:
        """The lowest level that reaches ``record`` for ``user``."""
        if user.id is not None and user.id in self.owners_of(record):
            return Level.OWN
        team_id = self.team_of(record)
        if team_id is not None and team_id in user.team_ids:
            return Level.TEAM
        return Level.ALL


@dataclass(frozen=True)
class Restriction:
    """A further condition on one model's rows, on top of its scope."""

    clause: Callable[[User], ColumnElement[bool]]
    allows: Callable[[User, Any], bool]


ORGANIZATION = Scope(
    area_of=lambda r: KIND_AREAS[r.kind],
    owner_cols=(lambda: Organization.owner_id,),
    team_col=lambda: Organization.team_id,
    owners_of=lambda r: {r.owner_id},
    team_of=lambda r: r.team_id,
)

AGREEMENT = Scope(
    area_of=lambda r: Area.AGREEMENTS,
    owner_cols=(lambda: Agreement.owner_id,),
    team_col=lambda: Agreement.team_id,
    owners_of=lambda r: {r.owner_id},
    team_of=lambda r: r.team_id,
)

FOLLOWUP = Scope(
    area_of=lambda r: Area.FOLLOWUPS,
    owner_cols=(lambda: FollowUp.owner_id, lambda: FollowUp.created_by_id),
    team_col=lambda: FollowUp.team_id,
    owners_of=lambda r: {r.owner_id, r.created_by_id},
    team_of=lambda r: r.team_id,
)

COMPLAINT = Scope(
    area_of=lambda r: Area.COMPLAINTS,
    owner_cols=(lambda: Complaint.assignee_id, lambda: Complaint.created_by_id),
    team_col=lambda: Complaint.team_id,
    owners_of=lambda r: {r.assignee_id, r.created_by_id},
    team_of=lambda r: r.team_id,
)

def team_record(model: type[Base], area: Area, *owners: str) -> Scope:
    """A record that belongs to one internal team: "own" through the named user columns."""
    return Scope(
        area_of=lambda r: area,
        owner_cols=tuple((lambda name=name: getattr(model, name)) for name in owners),
        team_col=lambda: model.team_id,
        owners_of=lambda r: {getattr(r, name) for name in owners},
        team_of=lambda r: r.team_id,
    )


TEAM = Scope(area_of=lambda r: Area.TEAMS, team_col=lambda: Team.id, team_of=lambda r: r.id)

USER = Scope(area_of=lambda r: Area.ADMIN)

SCOPES: dict[type[Base], Scope] = {
    Organization: ORGANIZATION, Agreement: AGREEMENT, FollowUp: FOLLOWUP, Team: TEAM,
    Complaint: COMPLAINT,
    Meeting: team_record(Meeting, Area.TEAMS, "organizer_id", "created_by_id"),
    ProgressReport: team_record(ProgressReport, Area.REPORTS, "author_id"),
    Problem: team_record(Problem, Area.TEAMS, "reporter_id", "owner_id"),
    ResourceRequest: team_record(ResourceRequest, Area.TEAMS, "requester_id", "approver_id"),
    Goal: team_record(Goal, Area.TEAMS, "owner_id", "created_by_id"),
    Retrospective: team_record(Retrospective, Area.TEAMS, "facilitator_id", "created_by_id"),
    Recognition: team_record(Recognition, Area.TEAMS, "giver_id", "recipient_id"),
    Post: team_record(Post, Area.TEAMS, "author_id"),
    User: USER,
    # Administration's own lists: what the admin area's levels allow.
    ComplaintCategory: USER,
}

# Records that live inside another one are seen exactly when their parent is.
# model -> (parent model, relationship name, foreign-key column)
PARENTS: dict[type[Base], tuple[type[Base], str, Callable[[], ColumnElement]]] = {
    Contact: (Organization, "organization", lambda: Contact.organization_id),
    Conversation: (Organization, "organization", lambda: Conversation.organization_id),
    ConversationTopic: (Conversation, "conversation", lambda: ConversationTopic.conversation_id),
    AgreementVersion: (Agreement, "agreement", lambda: AgreementVersion.agreement_id),
    Requirement: (Organization, "organization", lambda: Requirement.organization_id),
    ComplaintEvent: (Complaint, "complaint", lambda: ComplaintEvent.complaint_id),
    AgendaItem: (Meeting, "meeting", lambda: AgendaItem.meeting_id),
    GoalCheckIn: (Goal, "goal", lambda: GoalCheckIn.goal_id),
    PostComment: (Post, "post", lambda: PostComment.post_id),
}


def parent_chain(model: type[Base]) -> list[type[Base]]:
    """``model``, its parent, the parent's parent … up to the model whose scope decides."""
    chain = [model]
    while chain[-1] in PARENTS:
        chain.append(PARENTS[chain[-1]][0])
    return chain


def _sees_confidential(user: User) -> bool:
    return permissions_of(user).has(Capability.SEE_CONFIDENTIAL)


def _confidential_clause(user: User) -> ColumnElement[bool]:
    if _sees_confidential(user):
        return sa.true()
    # "Took part" probed on the (conversation_id, user_id) key, per confidential round:
    # ``id IN (the user's rounds)`` made PostgreSQL hash every round the user took part in
    # (thousands) on each statement, and made a per-row check of one round look so dear
    # that it hashed every visible conversation instead (see ``probe``).
    took_part = probe(sa.select(conversation_users).where(
        conversation_users.c.conversation_id == Conversation.id,
        conversation_users.c.user_id == user.id).correlate(Conversation))
    return sa.or_(Conversation.is_confidential.is_(False), Conversation.author_id == user.id,
                  Conversation.created_by_id == user.id, took_part)


def _confidential_allows(user: User, record: Conversation) -> bool:
    return (not record.is_confidential or _sees_confidential(user)
            or user.id in {record.author_id, record.created_by_id}
            or any(p.id == user.id for p in record.our_people))


# Records a follow-up can come from; a follow-up is shown with its source's page.
SOURCES: dict[str, type[Base]] = {
    "conversations": Conversation,
    "agreements": Agreement,
    "complaints": Complaint,
    "requirements": Requirement,
    "meetings": Meeting,
    "agenda_items": AgendaItem,
    "progress_reports": ProgressReport,
    "problems": Problem,
    "retrospectives": Retrospective,
    "goals": Goal,
}

# A confidential conversation: only the capability, its author and its participants.
def _confidential_complaint_clause(user: User) -> ColumnElement[bool]:
    if _sees_confidential(user):
        return sa.true()
    return sa.or_(Complaint.is_confidential.is_(False), Complaint.created_by_id == user.id)


def _confidential_complaint_allows(user: User, record: Complaint) -> bool:
    return (not record.is_confidential or _sees_confidential(user)
            or record.created_by_id == user.id)


# Sources that can be confidential, and the clause that lets a user read them.
CONFIDENTIAL_SOURCES: dict[str, tuple[type[Base], Callable[[User], ColumnElement[bool]]]] = {
    "conversations": (Conversation, _confidential_clause),
    "complaints": (Complaint, _confidential_complaint_clause),
}


def _followup_clause(user: User) -> ColumnElement[bool]:
    """A follow-up of a confidential source: its owner, its creator, or who may read it.

    Asked per follow-up on its one source row (EXISTS by primary key), never by listing
    every confidential record first: that would read a million conversations per page.
    """
    hidden = [
        sa.and_(FollowUp.source_type == name, sa.exists(
            sa.select(sa.literal(1)).select_from(model).where(
                model.id == FollowUp.source_id, model.is_confidential.is_(True),
                # Readable only where the clause is TRUE: a NULL creator makes it NULL,
                # and NOT NULL would be NULL too, which would hide nothing.
                sa.not_(sa.func.coalesce(clause(user), sa.false()))).correlate(FollowUp)))
        for name, (model, clause) in CONFIDENTIAL_SOURCES.items()
    ]
    return sa.or_(FollowUp.owner_id == user.id, FollowUp.created_by_id == user.id,
                  sa.not_(sa.or_(*hidden)))


def _followup_allows(user: User, record: FollowUp) -> bool:
    if user.id in {record.owner_id, record.created_by_id}:
        return True
    entry = CONFIDENTIAL_SOURCES.get(record.source_type)
    if entry is None:
        return True
    from tracker.extensions import db

    source = db.session.get(entry[0], record.source_id)
    if source is None or not source.is_confidential:
        return True
    restriction = RESTRICTIONS[entry[0]]
    return restriction.allows(user, source)


# A confidential complaint: only roles that see confidential records, and who filed it.
# A follow-up of a confidential round or complaint stays with it (owner and creator aside).
RESTRICTIONS: dict[type[Base], Restriction] = {
    Conversation: Restriction(_confidential_clause, _confidential_allows),
    Complaint: Restriction(_confidential_complaint_clause, _confidential_complaint_allows),
    FollowUp: Restriction(_followup_clause, _followup_allows),
}
