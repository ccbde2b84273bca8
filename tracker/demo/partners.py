"""The demo's partners: each partner, its negotiation rounds with their next steps, its
relationship stage, and its agreements moved through the agreement workflow."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from tracker.demo.orgs import (
    add_organization,
    archive_if_ended,
    complete_done,
    contact_ids,
    writer,
)
from tracker.demo.story import Story
from tracker.followups import add_followup
from tracker.models import Agreement, Organization
from tracker.partners.services import (
    Fees,
    NewAgreement,
    NextStep,
    RoundInput,
    TermsInput,
    Topic,
    add_version,
    create_agreement,
    move_stage,
    move_status,
    save_round,
    sign,
)


def load(story: Story, data: dict) -> None:
    """Each partner in turn: entered with its contacts, its rounds, then its stage (the
    talks led there), its agreements, and last its archiving if the relationship ended."""
    for row in data["partners"]:
        org = add_organization(story, "partner", row)
        for talk in row.get("rounds", ()):
            _round(story, org, talk)
        if row.get("stage", "prospect") != "prospect":
            with story.step(writer(story, row), story.clock.at(row["stage_moved"])):
                move_stage(org, row["stage"], row.get("stage_reason", ""))
        for agreement in row.get("agreements", ()):
            _agreement(story, org, agreement)
        archive_if_ended(story, org, row)


def _round(story: Story, org: Organization, talk: dict) -> None:
    """A negotiation round as its author logs it; its next steps become follow-ups."""
    clock = story.clock
    occurred = clock.at(talk["occurred"])
    logged = clock.at(talk["logged"], after=occurred)
    steps = talk.get("next_steps", [])
    with story.step(story.user(talk["author"]), logged):
        conversation = save_round(org, RoundInput(
            kind=talk["kind"], occurred_at=occurred, title=talk["title"],
            body=talk.get("body", ""), outcome=talk.get("outcome", ""),
            is_confidential=talk.get("confidential", False),
            our_people=tuple(story.uid(email) for email in talk.get("ours", ())),
            their_people=contact_ids(org, talk.get("theirs", [])),
            topics=tuple(Topic(subject=t["subject"], our_position=t.get("ours", ""),
                               their_position=t.get("theirs", ""), status=t["status"],
                               resolution=t.get("resolution", ""))
                         for t in talk.get("topics", ())),
            next_steps=tuple(NextStep(title=s["title"], owner_id=story.uid(s["owner"]),
                                      due_on=clock.day(s["due"])) for s in steps)),
            story.user(talk["author"]))
    complete_done(story, conversation, steps, logged)


def _terms(story: Story, terms: dict) -> TermsInput:
    day = story.clock.day
    return TermsInput(
        proposed_by=terms["by"], scope=terms.get("scope", ""),
        cooperation=terms.get("cooperation", ""), start_on=day(terms.get("start")),
        end_on=day(terms.get("end")), notice_on=day(terms.get("notice")),
        auto_renew=terms.get("auto_renew", False), notes=terms.get("notes", ""),
        fees=Fees(fee_amount=Decimal(terms["fee"]), currency=terms.get("currency", "CNY"),
                  payment_terms=terms.get("payment_terms", "")))


def _agreement(story: Story, org: Organization, row: dict) -> Agreement:
    """An agreement replayed step by step: versions of the terms, workflow moves, the
    signing of one version, a follow-up; the first step is its first version."""
    clock, owner = story.clock, story.user(row.get("owner"))
    agreement = None
    when: datetime | None = None
    for step in row["steps"]:
        when = clock.at(step["at"], after=when)
        with story.step(owner, when):
            if agreement is None:
                # {year}: the year most of the first proposed term falls in
                start = clock.day(step["version"].get("start")) or when.date()
                title = clock.fill(row["title"], clock.local(start + timedelta(days=182),
                                                             "12:00"), "zh")
                agreement = create_agreement(org, NewAgreement(
                    title=title, owner_id=owner.id if owner else None, team_id=org.team_id,
                    terms=_terms(story, step["version"])))
            elif "version" in step:
                add_version(agreement, _terms(story, step["version"]))
            elif "to" in step:
                move_status(agreement, step["to"], step.get("reason", ""))
            elif "sign" in step:
                signing = step["sign"]
                sign(agreement, agreement.versions[signing["version"] - 1],
                     clock.day(signing["on"]), signing["signatories"])
            elif "follow_up" in step:
                todo = step["follow_up"]
                add_followup(agreement, todo["title"], story.uid(todo["owner"]),
                             clock.day(todo["due"]), organization=org)
    return agreement
