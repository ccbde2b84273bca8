"""Creating follow-ups from any source record, the ones a source page lists, and the way
back from a follow-up to the record that produced it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from tracker.access import may_own_followup_of, reader_choices, visible_followups_of
from tracker.access.scopes import SOURCES
from tracker.extensions import db
from tracker.followups.source_rows import SourceRow, source_rows
from tracker.models import FollowUp, FollowUpStatus, Organization, OrgKind, User
from tracker.urls import url_for

# A follow-up somebody wrote down by hand, produced by no record.
MANUAL = "manual"


class OwnerMayNotSee(ValueError):
    """A follow-up given to someone who may not read the record it comes from (or to
    nobody who exists): it would wait in their day as "a record you cannot see". Nothing
    is kept; the caller rolls back and says so on the owner field (``owner_id``)."""

    def __init__(self, owner_id: int | None, owner: User | None) -> None:
        self.owner_id = owner_id
        self.owner = owner
        super().__init__(f"user {owner_id} may not read the follow-up's source")

    def __str__(self) -> str:
        # Said in the language of whoever reads it (the form's user), not at raise time.
        if self.owner is None:
            return gettext("This person may not see this record: choose someone who may.")
        return gettext("%(name)s may not see this record: choose someone who may.",
                       name=self.owner.name)


def check_owner(source: object | None, owner_id: int | None) -> None:
    """Refuse (OwnerMayNotSee) a follow-up owner who may not read ``source`` (None: a
    follow-up of no record, which any active person may own). No owner is no refusal."""
    if owner_id is None:
        return
    owner = db.session.get(User, owner_id)
    if owner is None or not may_own_followup_of(owner, source):
        raise OwnerMayNotSee(owner_id, owner)


def owner_choices(source: object) -> list[tuple[int, str]]:
    """(id, name) of the people a follow-up of ``source`` may be given to: those who may
    read it (``reader_choices``, the same check as ``check_owner``), by name."""
    return reader_choices(source)


def source_of(followup: FollowUp) -> object | None:
    """The record ``followup`` came from; None when written by hand or the record is gone."""
    model = SOURCES.get(followup.source_type)
    if model is None:
        return None
    # Its organization with it: the read check of a round reads it (one statement less).
    joined = model.__mapper__.relationships.get("organization")
    options = [sa.orm.joinedload(joined.class_attribute)] if joined is not None else []
    return db.session.get(model, followup.source_id, options=options)


def add_followup(source: object, title: str, owner_id: int | None, due_on: date,
                 organization: Organization | None = None, notes: str = "",
                 dedupe_key: str | None = None, repeat_every: int | None = None,
                 repeat_unit: str | None = None) -> FollowUp:
    """A new open follow-up linked to ``source`` (any record with a table and an id), its
    owner taken as given: for data whose owner is decided already (tests, the demo). Every
    page, import and job gives one with ``give_followup`` instead, which refuses an owner
    who may not read ``source`` (tests/test_followup_owners.py fails on another caller)."""
    followup = FollowUp(
        title=title.strip(), owner_id=owner_id, due_on=due_on, notes=notes,
        source_type=source.__tablename__, source_id=source.id,
        organization_id=organization.id if organization else None,
        team_id=organization.team_id if organization else None, dedupe_key=dedupe_key,
        repeat_every=repeat_every if repeat_unit else None,
        repeat_unit=repeat_unit or None)
    db.session.add(followup)
    return followup


def give_followup(source: object, title: str, owner_id: int | None, due_on: date,
                  **kwargs: object) -> FollowUp:
    """``add_followup`` for an owner who may read ``source``; OwnerMayNotSee, before
    anything is added, for anyone else."""
    check_owner(source, owner_id)
    return add_followup(source, title, owner_id, due_on, **kwargs)


def followups_for(user: User, source: object) -> list[FollowUp]:
    """The follow-ups a source record produced, for its page (the user already sees it)."""
    return list(db.session.scalars(
        sa.select(FollowUp).where(FollowUp.source_type == source.__tablename__,
                                  FollowUp.source_id == source.id,
                                  FollowUp.archived_at.is_(None))
        .options(sa.orm.selectinload(FollowUp.owner))
        .order_by(FollowUp.status != FollowUpStatus.OPEN, FollowUp.due_on)))


def open_followups_of_org(user: User, org: Organization) -> sa.Select:
    """Open follow-ups of an organization whose source the user may see."""
    return (visible_followups_of(user).where(
        FollowUp.organization_id == org.id, FollowUp.status == FollowUpStatus.OPEN,
        FollowUp.archived_at.is_(None)))


# -- the way back to the source ----------------------------------------------------------

@dataclass(frozen=True)
class SourceKind:
    """How to name a kind of source record and which page shows it."""

    label: Callable[[SourceRow], object]
    page: Callable[[SourceRow], tuple[str, dict[str, int]]]


def _is_partner(row: SourceRow) -> bool:
    return row.org_kind == OrgKind.PARTNER.value


# source_type -> label and page (every page must exist: tests/test_endpoints.py).
SOURCE_KINDS: dict[str, SourceKind] = {
    "conversations": SourceKind(
        lambda r: _l("Negotiation round") if _is_partner(r) else _l("Client note"),
        lambda r: (("partners.round_detail", {"round_id": r.id}) if _is_partner(r)
                   else ("clients.note_detail", {"note_id": r.id}))),
    "agreements": SourceKind(lambda r: _l("Agreement"),
                             lambda r: ("partners.agreement_detail", {"agreement_id": r.id})),
    "complaints": SourceKind(lambda r: _l("Complaint"),
                             lambda r: ("clients.complaint_detail", {"complaint_id": r.id})),
    "requirements": SourceKind(lambda r: _l("Requirement"),
                               lambda r: ("clients.requirement_detail", {"req_id": r.id})),
    "meetings": SourceKind(lambda r: _l("Meeting"),
                           lambda r: ("teams.meeting_detail", {"meeting_id": r.id})),
    "agenda_items": SourceKind(lambda r: _l("Meeting agenda item"),
                               lambda r: ("teams.meeting_detail", {"meeting_id": r.meeting_id})),
    "retrospectives": SourceKind(lambda r: _l("Retrospective"),
                                 lambda r: ("teams.retro_detail", {"retro_id": r.id})),
    "progress_reports": SourceKind(lambda r: _l("Progress report"),
                                   lambda r: ("teams.report_detail", {"report_id": r.id})),
    "problems": SourceKind(lambda r: _l("Problem"),
                           lambda r: ("teams.problem_detail", {"problem_id": r.id})),
    "goals": SourceKind(lambda r: _l("Goal"),
                        lambda r: ("teams.goal_detail", {"goal_id": r.id})),
}


@dataclass(frozen=True)
class SourceView:
    """What a follow-up's page may say about its source.

    ``state``: "none" (written by hand), "shown" (label, title and maybe a link),
    "hidden" (the user may not see it: nothing about it is given), "gone" (deleted).
    """

    state: str
    label: str = ""
    title: str = ""
    url: str | None = None
    archived: bool = False


NO_SOURCE = SourceView("none")
HIDDEN = SourceView("hidden")
GONE = SourceView("gone")


def _url(kind: SourceKind, row: SourceRow) -> str:
    endpoint, values = kind.page(row)
    return url_for(endpoint, **values)  # a renamed page fails loudly (tests/test_endpoints.py)


def _view(source_type: str, row: SourceRow | None,
          labels: dict[tuple[str, str | None], str]) -> SourceView:
    if row is None:
        return GONE
    if not row.seen:
        return HIDDEN
    kind = SOURCE_KINDS.get(source_type)
    if kind is None:
        return SourceView("shown", str(_l("Record")), row.title)
    # A page names dozens of sources of a few kinds: each kind's label translated once.
    key = (source_type, row.org_kind)
    label = labels.get(key)
    if label is None:
        label = labels[key] = str(kind.label(row))
    return SourceView("shown", label, row.title, _url(kind, row), row.archived)


def describe_sources(user: User, followups: Iterable[FollowUp]) -> dict[int, SourceView]:
    """Each follow-up's source as ``user`` may see it, read in one statement."""
    rows = list(followups)
    wanted: dict[str, set[int]] = {}
    for f in rows:
        if f.source_type in SOURCES:
            wanted.setdefault(f.source_type, set()).add(f.source_id)
    loaded = source_rows(user, wanted)
    labels: dict[tuple[str, str | None], str] = {}
    result: dict[int, SourceView] = {}
    for f in rows:
        if f.source_type not in SOURCES:
            # Written by hand, or a kind no page knows: nothing to point at.
            result[f.id] = NO_SOURCE if f.source_type == MANUAL else HIDDEN
        else:
            result[f.id] = _view(f.source_type, loaded.get((f.source_type, f.source_id)),
                                 labels)
    return result


def describe_source(user: User, followup: FollowUp) -> SourceView:
    """One follow-up's source as ``user`` may see it."""
    return describe_sources(user, [followup])[followup.id]
