"""Reach keys: the owners and team through which a record's scope lets people in, as
short words ("u12", "t5") a search index can hold beside a record's text.

They are a narrowing, never a grant: a reader's keys (``reader_keys``) cover every
record ``visible_rows`` lets them see, and more (a confidential round of their team, a
record of a kind their role reads only when they own it). The search still probes each
candidate through the access layer; the keys only spare it the candidates nobody on the
reader's side owns, which for a team member are 29 of every 30.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from tracker.access.permissions import permissions_of
from tracker.access.scopes import KIND_AREAS, PARENTS, SCOPES, parent_chain
from tracker.access.scopes import SOURCES as FOLLOWUP_SOURCES
from tracker.models import FollowUp, Organization, User
from tracker.models.base import Base


def root_of(model: type[Base]) -> type[Base] | None:
    """The model whose scope decides who sees ``model``'s rows: itself, or the parent at
    the top of its chain. (A follow-up is its own root, and is also seen through the
    record it comes from: its keys are its own and its source's.)"""
    root = parent_chain(model)[-1]
    return root if root in SCOPES else None


def keys_of(conn: sa.Connection, model: type[Base], ids: list[int]) -> dict[int, list[str]]:
    """The reach keys of these rows of ``model`` (their root's owners and team), read
    through the chain of parents in one statement."""
    root = root_of(model)
    if root is None or not ids:
        return {}
    owners, team = scope_columns(root)
    names = [*owners, *([team] if team else [])]
    kinds = [root.kind] if root is Organization else []
    stmt = sa.select(model.id, *(getattr(root, n) for n in names), *kinds).select_from(model)
    for child in parent_chain(model)[:-1]:
        parent, _relation, fk = PARENTS[child]
        stmt = stmt.join(parent, parent.id == fk())
    found = {}
    for row in conn.execute(stmt.where(model.id.in_(ids))):
        values = dict(zip(names, row[1:len(names) + 1], strict=True))
        found[row[0]] = record_keys((values[n] for n in owners),
                                    values[team] if team else None,
                                    [org_kind_key(row[-1])] if kinds else [])
    return found


def org_kind_key(kind: str) -> str:
    """The key of every record under an organization of ``kind`` ("kclient"): a reader
    who sees all of one kind of organization and not all of another reads the first
    kind's records by it (a support agent, all clients' contacts and no partners')."""
    return f"k{kind}"


def source_keys(conn: sa.Connection, sources: Iterable[tuple[str, int]]
                ) -> dict[tuple[str, int], list[str]]:
    """The reach keys of the records follow-ups come from, by (source type, id)."""
    wanted: dict[str, set[int]] = {}
    for source_type, source_id in sources:
        if source_type in FOLLOWUP_SOURCES and source_id is not None:
            wanted.setdefault(source_type, set()).add(source_id)
    return {(source_type, record_id): keys
            for source_type, ids in wanted.items()
            for record_id, keys in keys_of(conn, FOLLOWUP_SOURCES[source_type],
                                           sorted(ids)).items()}


def scope_columns(model: type[Base]) -> tuple[list[str], str | None]:
    """The attribute names of ``model``'s owners and team (its scope's columns)."""
    scope = SCOPES[model]
    team = scope.team_col().key if scope.team_col is not None else None
    return [col().key for col in scope.owner_cols], team


def record_keys(owners: Iterable[Any], team: Any, *more: list[str]) -> list[str]:
    """The keys of a record whose scope columns hold these values (and ``more`` keys, a
    follow-up's source's): owners first, then teams, each sorted."""
    keys = {f"u{o}" for o in owners if o is not None}
    keys.update(k for found in more for k in found)
    if team is not None:
        keys.add(f"t{team}")
    return sorted(keys, key=lambda k: (k[0] != "u", k))


def reader_keys(user: User, model: type[Base], org_kinds: Iterable[str] = ()
                ) -> list[str] | None:
    """Keys one of which every record of ``model`` that ``user`` may see holds; None when
    no keys bound them (a read level of *all*: for follow-ups, on theirs or on any record
    they come from), [] when none may be seen.
    ``org_kinds`` are the organization kinds the records can hang under (all when
    empty): each kind's area has its own level, and the widest wins."""
    root = root_of(model)
    if root is None:
        return None
    perms = permissions_of(user)
    scope = SCOPES[root]
    if root is FollowUp:
        # by its own grants, or through whichever record it comes from
        found = scope.keys(user, perms.level(scope.area_of(None)))
        if found is None:
            return None
        for source in FOLLOWUP_SOURCES.values():
            keys = reader_keys(user, source)
            if keys is None:
                return None
            found += keys
        return sorted(set(found))
    if root is not Organization:
        return scope.keys(user, perms.level(scope.area_of(None)))
    kinds = [k for k in (org_kinds or KIND_AREAS) if k in KIND_AREAS]
    if not kinds or len(kinds) < len(list(org_kinds or KIND_AREAS)):
        return None  # a kind nobody registered: no area says who sees it
    found: set[str] = set()
    whole = 0
    for kind in kinds:
        keys = scope.keys(user, perms.level(KIND_AREAS[kind]))
        if keys is None:  # all of this kind: its kind's key
            whole += 1
            keys = [org_kind_key(kind)]
        found.update(keys)
    return None if whole == len(kinds) else sorted(found)
