"""The one access layer: ``visible`` for lists, ``can`` for one record, ``explain`` for why.

Every list, count, search, export and lookup starts from ``visible(user, Model)``;
every record page and every button asks ``can(user, action, record)``. A record
outside a user's scope is answered with 404 by ``get_visible_or_404``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from sqlalchemy.sql.elements import ColumnElement, True_
from sqlalchemy.sql.util import ClauseAdapter

from tracker.access.defaults import builtin_role_label
from tracker.access.permissions import permissions_of
from tracker.access.scopes import (
    KIND_AREAS,
    PARENTS,
    RESTRICTIONS,
    SCOPES,
    SOURCES,
    Scope,
    parent_chain,
    probe,
)
from tracker.access.vocabulary import Action, Area, Capability, Level
from tracker.extensions import db
from tracker.kept import Kept
from tracker.models import FollowUp, Organization, User
from tracker.models.base import Base, Tracked

M = TypeVar("M", bound=Base)
WRITE_ACTIONS = {Action.CREATE, Action.EDIT, Action.ARCHIVE, Action.RESTORE}
# Creating records of these areas shapes everybody's access, so it needs the full level.
CREATE_LEVEL = {Area.ADMIN: Level.ALL}


def _area_clause(user: User, model: type[Base], write: bool,
                 kind: str | None = None, per_row: bool = False) -> ColumnElement[bool]:
    clause = _scope_clause(user, model, write, kind, per_row)
    if model in RESTRICTIONS:
        clause = sa.and_(clause, RESTRICTIONS[model].clause(user))
    return clause


def _scope_clause(user: User, model: type[Base], write: bool,
                  kind: str | None = None, per_row: bool = False) -> ColumnElement[bool]:
    perms = permissions_of(user)
    if model in PARENTS:
        parent, _rel, fk = PARENTS[model]
        # correlate(None): the parent subquery stands alone even inside an outer query on
        # the parent table (a list of organizations with a "last contact" column, say).
        reach = _area_clause(user, parent, write)
        if isinstance(reach, True_):
            # Every parent: "IN (SELECT id FROM every parent)" would list them all (20,000
            # organizations) for each statement; the foreign key says as much by itself.
            return fk().is_not(None)
        if per_row:
            # One row's parent, by primary key: "IN (SELECT id …)" would list every parent
            # the user may see (10,000 partners) to answer for a handful of rows. The
            # parent is aliased: the outer query may read the parent's table too.
            other = sa.orm.aliased(parent)
            mine = ClauseAdapter(sa.inspect(other).selectable).traverse(reach)
            return probe(sa.select(other.id).where(other.id == fk(), mine))
        parent_ids = sa.select(parent.id).where(reach).correlate(None)
        return fk().in_(parent_ids)
    if model is Organization:
        kinds = [k for k in KIND_AREAS if kind is None or k == kind]
        if kind is None and all(perms.level(KIND_AREAS[k], write) >= Level.ALL for k in kinds):
            return sa.true()
        # A flat OR of (kind AND one way in): each alternative is one index range, where
        # "kind AND (owner OR team)" left SQLite's planner with the kind alone to seek on.
        parts = [part for k in kinds for part in _ways_in(user, k, write)]
        return sa.or_(*parts) if parts else sa.false()
    return SCOPES[model].clause(user, perms.level(_model_area(model), write))


def _ways_in(user: User, kind: str, write: bool = False) -> list[ColumnElement[bool]]:
    """Each way ``user`` reaches organizations of ``kind`` (owner, team, every one), as
    ``kind AND <way>``: the alternatives of ``visible()`` and of ``visible_apart``."""
    level = permissions_of(user).level(KIND_AREAS[kind], write)
    return [sa.and_(Organization.kind == kind, part)
            for part in SCOPES[Organization].parts(user, level)]


def _model_area(model: type[Base]) -> Area:
    return SCOPES[model].area_of(None)


# Built clauses by (model, write, kind, everything they depend on): building one costs up
# to a millisecond of Python (a follow-up's sources span ten models) and a page asks for
# the same ones on every request. The key holds all the clause reads: the user's id, teams,
# merged levels and capabilities; so a changed role or team simply makes a new key.
_CLAUSES: Kept[ColumnElement[bool]] = Kept(4096)


def _cached_clause(user: User, model: type[Base], write: bool,
                   kind: str | None) -> ColumnElement[bool]:
    if user is None or not getattr(user, "is_authenticated", False):
        return _area_clause(user, model, write, kind)
    return _kept((model, write, kind, permissions_of(user).key(user)),
                 lambda: _area_clause(user, model, write, kind))


def _kept(key: tuple, build: Callable[[], ColumnElement[bool]]) -> ColumnElement[bool]:
    return _CLAUSES.get_or_build(key, build)


def reader_clause(user: User, name: str,
                  build: Callable[[], ColumnElement[bool]]) -> ColumnElement[bool]:
    """``build()``, kept under ``name`` for every reader with the same access (see above):
    for clauses composed from the access layer's parts outside ``visible()``."""
    return _kept((name, permissions_of(user).key(user)), build)


def visible(user: User, model: type[M], *, include_archived: bool = False,
            write: bool = False, kind: str | None = None) -> sa.Select[tuple[M]]:
    """The select of every ``model`` row the user may read (or write, with ``write``).

    ``kind`` narrows organizations to partners or clients inside the access clause itself,
    so each alternative is one index range (``kind, owner_id`` / ``kind, team_id``): a
    ``kind`` added outside it would leave SQLite seeking on the kind alone.
    """
    if kind is not None and model is not Organization:
        raise ValueError("kind narrows organizations only")
    stmt = sa.select(model).where(_cached_clause(user, model, write, kind))
    if issubclass(model, Tracked) and not include_archived:
        stmt = stmt.where(model.archived_at.is_(None))
    return stmt


def visible_rows(user: User, model: type[Base]) -> ColumnElement[bool]:
    """The access clause of ``visible(user, model)`` (archived rows aside) for a query that
    asks about a few rows of ``model`` by id, correlated to ``model``: a child's parent
    is probed per row by primary key rather than listed whole (``IN (every visible
    parent)``). Follow-ups are read as ``visible_followups`` reads them."""
    if model is FollowUp:
        return reader_clause(user, "rows:followups", lambda: _followup_reach(user))
    return reader_clause(user, f"rows:{model.__tablename__}",
                         lambda: _area_clause(user, model, False, per_row=True))


def sees_every(user: User, model: type[Base]) -> bool:
    """Does ``visible_rows(user, model)`` reach every live row (read level *all* on the
    model's area, or its parent's, and no restriction up the chain applies)? A search
    then need not probe each candidate's record."""
    chain = parent_chain(model)
    if any(m in RESTRICTIONS and not isinstance(RESTRICTIONS[m].clause(user), True_)
           for m in chain):
        return False
    perms = permissions_of(user)
    root = chain[-1]
    if root is Organization:
        return all(perms.level(area) >= Level.ALL for area in KIND_AREAS.values())
    return perms.level(_model_area(root)) >= Level.ALL


def _chain(record: Any) -> list[Any]:
    """The record, its parent, the parent's parent … up to the record that has a scope."""
    chain = [record]
    while type(chain[-1]) in PARENTS:
        chain.append(getattr(chain[-1], PARENTS[type(chain[-1])][1]))
    return chain


def seen_through_source(user: User) -> ColumnElement[bool]:
    """The outer follow-up's source record is one the user may see.

    Asked per follow-up on its one source row by primary key: ``source_id IN (every
    visible source)`` would first list every conversation, complaint … the user may see
    (a scan of a million conversations to show one page). A ``CASE`` on the source type
    picks the one probe that applies: an ``OR`` of ``source_type = … AND EXISTS …`` let
    PostgreSQL read the source-type index for all ten types (every follow-up, as a
    BitmapOr) before looking at the organization's few hundred; a ``probe`` rather than
    ``EXISTS`` keeps it from hashing whole source tables (see ``scopes.probe``).
    """
    return reader_clause(user, "followup-sources", lambda: sa.case(
        {name: probe(
            # Correlated to the follow-up only: the outer query may read the source
            # table too (a meeting page's agenda items), which must stay inside.
            sa.select(model).where(_area_clause(user, model, False, per_row=True),
                                   model.id == FollowUp.source_id).correlate(FollowUp))
         for name, model in SOURCES.items()},
        value=FollowUp.source_type, else_=sa.false()))


def visible_own_followups(user: User, column: Any) -> sa.Select[tuple[FollowUp]]:
    """The user's own follow-ups by ``column`` (``owner_id`` or ``created_by_id``): the
    same rows as ``visible(user, FollowUp).where(column == user.id)``, as one index range.

    Both columns are "own" columns of the follow-up scope, and the confidentiality
    restriction never hides a follow-up from its owner or creator: among these rows the
    rule reduces to the user's follow-up level (at least "own", or none). The full clause
    cost My day more to plan on PostgreSQL (eight subqueries, each with the restriction's
    probes) than to run.
    """
    if not any(column is col() for col in SCOPES[FollowUp].owner_cols):
        raise ValueError("an owner column of the follow-up scope")
    level = permissions_of(user).level(_model_area(FollowUp))
    return sa.select(FollowUp).where(column == user.id if level >= Level.OWN else sa.false(),
                                     FollowUp.archived_at.is_(None))


def may_edit_own_followups(user: User) -> bool:
    """``can(user, EDIT, f)`` for every live follow-up ``f`` the user owns or asked for
    (the rows of ``visible_own_followups``): both are "own" columns, so the rule reduces
    to the user's follow-up write level, once per page instead of once per row (My day
    asked ``can`` 50 times a page)."""
    return permissions_of(user).level(_model_area(FollowUp), write=True) >= Level.OWN


def visible_owned_organizations(user: User, kind: str) -> sa.Select[tuple[Organization]]:
    """Organizations of ``kind`` the user owns: the same rows as ``visible(user,
    Organization, kind=kind).where(Organization.owner_id == user.id)``, as one index range
    (kind, owner_id). Owning one is a way in at every level but none, and no restriction
    applies to organizations; the full clause made the dashboard's "mine" count walk every
    organization of the user's teams."""
    level = permissions_of(user).level(KIND_AREAS[kind])
    return sa.select(Organization).where(
        sa.and_(Organization.kind == kind, Organization.owner_id == user.id)
        if level >= Level.OWN else sa.false(), Organization.archived_at.is_(None))


_APART: Kept[list[ColumnElement[bool]]] = Kept(1024)


def visible_apart(user: User, kind: str, *,
                  include_archived: bool = False) -> list[sa.Select[tuple[Organization]]]:
    """``visible(user, Organization, kind=kind)`` as disjoint selects: every row the user
    may see is in exactly one of them, so their counts add up to its count.

    Each select is one way in (owner, team, or every one) with the ways before it
    excluded (``IS NOT TRUE``: a NULL owner or team is "not this way"). Counted one by one,
    each reads its own index range; counted as one OR, SQLite (without statistics) walked
    every live organization of the kind to find a team member's few hundred.
    """
    if Organization in RESTRICTIONS:  # the parts below would leave it out
        raise RuntimeError("organizations gained a restriction: visible_apart must apply it")

    def build() -> list[ColumnElement[bool]]:
        ways = _ways_in(user, kind)
        return [sa.and_(way, *(earlier.is_not(sa.true()) for earlier in ways[:i]))
                for i, way in enumerate(ways)]

    clauses = _APART.get_or_build(("apart", kind, permissions_of(user).key(user)), build)
    archived = () if include_archived else (Organization.archived_at.is_(None),)
    return [sa.select(Organization).where(clause, *archived) for clause in clauses]


def visible_followups_of(user: User) -> sa.Select[tuple[FollowUp]]:
    """Follow-ups whose source record the user may see (what a source page lists).

    A follow-up of a confidential round stays hidden with its round.
    """
    return sa.select(FollowUp).where(seen_through_source(user))


def _followup_reach(user: User) -> ColumnElement[bool]:
    """A follow-up is read by its grants or through its source (``visible_followups``)."""
    return sa.or_(_cached_clause(user, FollowUp, False, None), seen_through_source(user))


def visible_followups(user: User, *,
                      include_archived: bool = False) -> sa.Select[tuple[FollowUp]]:
    """Follow-ups the user may read: by the follow-up grants (``visible(user, FollowUp)``:
    owner or creator at *own*, the follow-up's team at *team*, every one at *all*; one of
    a confidential round or complaint only for its owner, its creator and those who may
    read that source) **or** because the user may read the record that produced it
    (``seen_through_source``).

    Every follow-up list, count and lookup starts here rather than at ``visible``: a
    follow-up of a meeting is seen by whoever sees the meeting, whatever their follow-up
    grants.
    """
    stmt = sa.select(FollowUp).where(_followup_reach(user))
    if not include_archived:
        stmt = stmt.where(FollowUp.archived_at.is_(None))
    return stmt


def _scope_and_record(record: Any) -> tuple[Scope, Any]:
    root = _chain(record)[-1]
    return SCOPES[type(root)], root


def _restricted(user: User, record: Any) -> bool:
    """Does a restriction (confidentiality) anywhere up the chain hide this record?"""
    return any(type(r) in RESTRICTIONS and not RESTRICTIONS[type(r)].allows(user, r)
               for r in _chain(record))


def area_of(record: Any) -> Area:
    """The area a record (or its parent) belongs to."""
    scope, root = _scope_and_record(record)
    return scope.area_of(root)


def can(user: User | None, action: Action | str, record: Any) -> bool:
    """May ``user`` do ``action`` on ``record``? ``record`` may also be an Area (for create)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    action = Action(action)
    perms = permissions_of(user)
    if isinstance(record, Area):
        needed = CREATE_LEVEL.get(record, Level.OWN) if action is Action.CREATE else Level.OWN
        return perms.level(record, write=action in WRITE_ACTIONS) >= needed
    scope, root = _scope_and_record(record)
    area = scope.area_of(root)
    if _restricted(user, record):
        return False
    if action is Action.RESTORE:
        return perms.level(area, write=True) >= Level.ALL and record.archived_at is not None
    if action in (Action.EDIT, Action.ARCHIVE) and getattr(record, "archived_at", None):
        return False
    granted = perms.level(area, write=action in WRITE_ACTIONS)
    return granted > Level.NONE and granted >= scope.needed(user, root)


def may_create_teams(user: User | None) -> bool:
    """Founding a team shapes who sees what, so it needs full write access to teams.

    (Recording a meeting or a report *in* a team needs only the usual create right.)
    """
    return user is not None and permissions_of(user).level(Area.TEAMS, write=True) >= Level.ALL


def has(user: User | None, capability: Capability | str) -> bool:
    """Does the user hold a cross-area capability?"""
    return user is not None and permissions_of(user).has(Capability(capability))


def may_enter(user: User | None, area: Area) -> bool:
    """May the user open an area at all (it reads at least their own records there)?"""
    return user is not None and permissions_of(user).level(area) >= Level.OWN


def get_visible_or_404(user: User, model: type[M], record_id: int,
                       **filters: Any) -> M:
    """One record by id if the user may read it; 404 otherwise, never 403."""
    stmt = visible(user, model, include_archived=True).where(model.id == record_id)
    for name, value in filters.items():
        stmt = stmt.where(getattr(model, name) == value)
    record = db.session.scalar(stmt)
    if record is None:
        abort(404)
    return record


@dataclass(frozen=True)
class Reason:
    """One role's grant that allows (or the lack that refuses) an action."""

    allowed: bool
    text: str


def explain(user: User, action: Action | str, record: Any) -> list[Reason]:
    """Why ``user`` may (or may not) do ``action`` on ``record``, role by role."""
    action = Action(action)
    perms = permissions_of(user)
    scope, root = _scope_and_record(record)
    area = scope.area_of(root)
    write = action in WRITE_ACTIONS
    needed = scope.needed(user, root)
    sources = (perms.write_from if write else perms.read_from).get(area, [])
    reasons = [
        Reason(level >= needed, _("Role “%(role)s” grants %(mode)s on %(area)s: %(level)s.",
                                  role=builtin_role_label(label),
                                  mode=_("write") if write else _("read"),
                                  area=area.label, level=level.label))
        for label, level in sources
    ]
    relation = {Level.OWN: _("the record is theirs"),
                Level.TEAM: _("the record belongs to their team"),
                Level.ALL: _("the record is neither theirs nor their team's")}[needed]
    reasons.append(Reason(can(user, action, record), _("Needed here: %(level)s, because %(why)s.",
                                                       level=needed.label, why=relation)))
    if not sources:
        reasons.insert(0, Reason(False, _("No role of this user grants %(area)s.",
                                          area=area.label)))
    return reasons
