"""What partners and clients share in the demo: the organization with its contacts, its
archiving, and the follow-ups a record's next steps became."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from tracker.demo.story import Story
from tracker.extensions import db
from tracker.followups.services import complete
from tracker.models import FollowUp, Organization, User
from tracker.orgs.services import ContactInput, OrganizationInput, create_organization, save_contact
from tracker.records import archive


def writer(story: Story, row: dict) -> User | None:
    """Who keeps an organization's records: its owner, else the operations manager."""
    return story.user(row.get("owner") or "manager@example.com")


def add_organization(story: Story, kind: str, row: dict) -> Organization:
    """The organization as its owner enters it, then its contacts."""
    clock, by = story.clock, writer(story, row)
    created = clock.at(row["created"])
    with story.step(by, created):
        org = create_organization(kind, OrganizationInput(
            name=row["name"], status=row["status"], industry=row.get("industry", ""),
            website=row.get("website", ""), owner_id=story.uid(row.get("owner")),
            team_id=story.teams[row["team"]].id if row.get("team") else None,
            tags=tuple(row.get("tags", ())), notes=row.get("notes", "")))
    for contact in row.get("contacts", ()):
        with story.step(by, clock.at(contact["added"], after=created)):
            save_contact(org, ContactInput(
                name=contact["name"], title=contact.get("title", ""),
                email=contact.get("email", ""), phone=contact.get("phone", ""),
                notes=contact.get("notes", "")))
    story.orgs[org.name] = org
    return org


def contact_id(org: Organization, name: str | None) -> int | None:
    """The id of the contact of ``org`` called ``name`` (the data names people)."""
    if not name:
        return None
    return next(c.id for c in org.contacts if c.name == name)


def contact_ids(org: Organization, names: list[str]) -> tuple[int, ...]:
    return tuple(contact_id(org, name) for name in names)


def archive_if_ended(story: Story, org: Organization, row: dict) -> None:
    """An ended relationship leaves the lists last of all (delete means archive)."""
    if row.get("archived"):
        with story.step(writer(story, row), story.clock.at(row["archived"])):
            archive(org)


def complete_done(story: Story, source: object, steps: list[dict], since: datetime,
                  base: datetime | None = None) -> None:
    """The follow-ups ``source``'s next steps became (in their order), each completed by
    its owner when the data says it was done (a "+…" time counts from ``base``), never
    before ``since``."""
    made = db.session.scalars(sa.select(FollowUp).where(
        FollowUp.source_type == source.__tablename__, FollowUp.source_id == source.id)
        .order_by(FollowUp.id)).all()
    for followup, step in zip(made, steps, strict=True):
        if step.get("done"):
            with story.step(story.user(step["owner"]),
                            story.clock.at(step["done"], base=base, after=since)):
                complete(followup, followup.version)
