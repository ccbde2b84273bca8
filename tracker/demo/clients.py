"""The demo's clients: each client with its progress notes and requirements; then the
complaints, taken in and worked through the complaint workflow by the complaint desk."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from tracker.clients.complaints.deadline_rules import ensure_defaults
from tracker.clients.complaints.services import (
    NewComplaint,
    add_message,
    assign,
    intake,
    move,
    rate,
)
from tracker.clients.services import (
    NextStep,
    NoteInput,
    RequirementInput,
    create_requirement,
    move_requirement,
    save_note,
)
from tracker.demo.orgs import (
    add_organization,
    archive_if_ended,
    complete_done,
    contact_id,
    contact_ids,
    writer,
)
from tracker.demo.story import Story
from tracker.models import EventKind, Organization


def lang(org: Organization) -> str:
    """The language a client's records are written in: English for a foreign company."""
    return "en" if org.name.isascii() else "zh"


def load(story: Story, data: dict) -> None:
    """Each client in turn: entered with its contacts, its progress notes, its
    requirements, and last its archiving if the relationship ended."""
    for row in data["clients"]:
        org = add_organization(story, "client", row)
        for note in row.get("progress_notes", ()):
            _note(story, org, note)
        for requirement in row.get("requirements", ()):
            _requirement(story, org, row, requirement)
        archive_if_ended(story, org, row)


def _note(story: Story, org: Organization, note: dict) -> None:
    """A progress note as its author logs it; its next steps become follow-ups."""
    clock = story.clock
    occurred = clock.at(note["occurred"])
    logged = clock.at(note["logged"], after=occurred)
    fill = partial(clock.fill, when=occurred, lang=lang(org))
    steps = note.get("next_steps", [])
    author = story.user(note["author"])
    with story.step(author, logged):
        saved = save_note(org, NoteInput(
            kind=note["kind"], occurred_at=occurred, title=fill(note["title"]),
            body=fill(note.get("body", "")), visibility=note.get("visibility", "internal"),
            is_confidential=note.get("confidential", False),
            our_people=tuple(story.uid(email) for email in note.get("ours", ())),
            their_people=contact_ids(org, note.get("theirs", [])),
            next_steps=tuple(NextStep(title=fill(s["title"]), due_on=clock.day(s["due"]),
                                      owner_id=story.uid(s["owner"])) for s in steps)), author)
    complete_done(story, saved, steps, logged)


def _requirement(story: Story, org: Organization, client: dict, row: dict) -> None:
    """A requirement as the client asked for it, then its moves (confirmed by one of the
    client's people, changed, withdrawn, rejected), each by its owner."""
    clock = story.clock
    owner = story.user(row.get("owner")) or writer(story, client)
    when = clock.at(row["created"])
    with story.step(owner, when):
        requirement = create_requirement(org, RequirementInput(
            title=row["title"], wording=row.get("wording", ""),
            asked_by_id=contact_id(org, row.get("asked_by")), owner_id=story.uid(row.get("owner"))))
    for step in row.get("moves", ()):
        when = clock.at(step["at"], after=when)
        with story.step(owner, when):
            move_requirement(requirement, step["to"], reason=step.get("reason", ""),
                             confirmed_by_id=contact_id(org, step.get("by")),
                             confirmed_at=when, version=requirement.version)


def load_complaints(story: Story, data: dict) -> None:
    """Each complaint logged at intake (deadlines from the policy in force), then its
    steps: assignments, moves through the workflow, notes, replies, the client's rating."""
    from tracker.clients.complaints.categories import ensure_defaults as category_defaults

    with story.step(None, story.clock.now):
        ensure_defaults()  # the deadline policy a fresh database may still lack
    # The categories the migrations give every installation, added by the administrator
    # where a database lacks them (an agent files under one, never adds one).
    with story.step(story.user("admin@example.com"), story.clock.now):
        category_defaults()
    for row in data["complaints"]:
        _complaint(story, row)


def _category_id(word: str) -> int | None:
    from tracker.clients.complaints.categories import find_or_add

    found = find_or_add(word)
    return found.id if found else None


def _complaint(story: Story, row: dict) -> None:
    clock = story.clock
    org = story.orgs[row["client"]]
    received = clock.at(row["received"])
    when: datetime = clock.at(row["logged"], after=received)
    fill = partial(clock.fill, when=received, lang=lang(org))
    with story.step(story.user(row.get("logged_by")), when):
        complaint = intake(org, NewComplaint(
            title=fill(row["title"]), channel=row["channel"], severity=row["severity"],
            description=fill(row.get("description", "")),
            category_id=_category_id(row.get("category", "")),
            contact_id=contact_id(org, row.get("contact")),
            is_confidential=row.get("confidential", False), received_at=received),
            story.user(row.get("logged_by")))
    for step in row.get("steps", ()):
        when = clock.at(step["at"], after=when)
        actor = story.user(step["by"])
        with story.step(actor, when):
            if "assign" in step:
                assign(complaint, story.user(step["assign"]), actor)
            elif "move" in step:
                move(complaint, step["move"], actor, reason=step.get("reason", ""),
                     summary=step.get("summary", ""), root_cause=step.get("root_cause", ""),
                     now=when)
            elif "note" in step or "reply" in step:
                kind = EventKind.NOTE if "note" in step else EventKind.REPLY
                add_message(complaint, kind, step.get("note") or step["reply"], actor)
            elif "rate" in step:
                rate(complaint, step["rate"], step.get("comment", ""), actor)
