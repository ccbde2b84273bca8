"""Bilingual demo data: the data files in ``data/`` replayed through the services.

Each area's file (people, partners, clients, complaints, teams) says who did what and
when, relative to the moment of loading; the loader signs in as each of those people in
turn and calls the same services the forms call, so the demo obeys every rule the app
does (deadlines from the policy, workflow moves, history with who did it, follow-ups from
next steps). ``flask demo load`` runs it; the caller commits.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tracker.demo import clients, partners, people, teams
from tracker.demo.story import Clock, Story
from tracker.extensions import db
from tracker.models import (
    AgendaItem,
    Agreement,
    AgreementVersion,
    Complaint,
    ComplaintEvent,
    Contact,
    Conversation,
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
    Role,
    Tag,
    Team,
    User,
    utcnow,
)

DATA = Path(__file__).parent / "data"

Counted = tuple[str, Any, tuple[Any, ...]]


def _of(kind: str) -> Any:
    return Organization.kind == kind


def _in_orgs(column: Any, kind: str) -> Any:
    return column.in_(sa.select(Organization.id).where(_of(kind)))


# Each area: its data file, its loader, and what it adds (name, model, filters).
AREAS: tuple[tuple[str, Callable[[Story, dict], None], tuple[Counted, ...]], ...] = (
    ("people", people.load, (("roles", Role, ()), ("users", User, ()), ("teams", Team, ()))),
    ("partners", partners.load, (
        ("partners", Organization, (_of("partner"),)),
        ("contacts", Contact, (_in_orgs(Contact.organization_id, "partner"),)),
        ("tags", Tag, ()),
        ("rounds", Conversation, (_in_orgs(Conversation.organization_id, "partner"),)),
        ("agreements", Agreement, ()), ("agreement_versions", AgreementVersion, ()),
        ("followups", FollowUp, ()))),
    ("clients", clients.load, (
        ("clients", Organization, (_of("client"),)),
        ("contacts", Contact, (_in_orgs(Contact.organization_id, "client"),)),
        ("tags", Tag, ()),
        ("client_notes", Conversation, (_in_orgs(Conversation.organization_id, "client"),)),
        ("requirements", Requirement, ()), ("followups", FollowUp, ()))),
    ("complaints", clients.load_complaints, (
        ("complaints", Complaint, ()), ("complaint_events", ComplaintEvent, ()))),
    ("teams", teams.load, (
        ("meetings", Meeting, ()), ("agenda_items", AgendaItem, ()),
        ("progress_reports", ProgressReport, ()), ("problems", Problem, ()),
        ("resource_requests", ResourceRequest, ()), ("goals", Goal, ()),
        ("goal_checkins", GoalCheckIn, ()), ("retrospectives", Retrospective, ()),
        ("recognitions", Recognition, ()), ("posts", Post, ()),
        ("post_comments", PostComment, ()), ("followups", FollowUp, ()))),
)


@cache
def read(area: str) -> dict:
    """One area's data file (read once per process: the files ship with the code)."""
    return json.loads((DATA / f"{area}.json").read_text(encoding="utf-8"))


def _counts(counted: tuple[Counted, ...]) -> dict[str, int]:
    return {name: db.session.scalar(sa.select(sa.func.count()).select_from(model)
                                    .where(*where)) or 0
            for name, model, where in counted}


def load_demo(progress: Callable[[str, dict[str, int]], None] | None = None
              ) -> dict[str, int]:
    """Replay every area's data through the services, as the people in it, into the
    session (meant for an empty database; the caller commits).

    ``progress`` hears each area's name and what it added as soon as it is done. Returns
    what was added in all, by kind.
    """
    story = Story(Clock(utcnow().replace(second=0, microsecond=0), read("people")["zone"]))
    summary: dict[str, int] = {}
    try:
        for area, load, counted in AREAS:
            before = _counts(counted)
            load(story, read(area))
            added = {name: count - before[name] for name, count in _counts(counted).items()}
            if progress is not None:
                progress(area, added)
            for name, count in added.items():
                summary[name] = summary.get(name, 0) + count
    finally:
        story.close()
    return summary
