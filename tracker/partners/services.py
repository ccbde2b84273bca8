"""Writes of the partners blueprint, from plain values (a form, an import, a job or the CLI
turns its input into them). Callers own the transaction: these never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.access import Action, can
from tracker.extensions import db
from tracker.followups import give_followup
from tracker.models import (
    MONEY_FIELDS,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Contact,
    Conversation,
    ConversationKind,
    ConversationTopic,
    Organization,
    PartnerStage,
    Proposer,
    TopicStatus,
    User,
)
from tracker.partners.workflow import check_move, check_stage_move
from tracker.records import ensure_current

# -- negotiation rounds ------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Topic:
    """One topic of a round: where each side stands and what came of it."""

    subject: str
    our_position: str = ""
    their_position: str = ""
    status: str = TopicStatus.OPEN.value
    resolution: str = ""


@dataclass(frozen=True, kw_only=True)
class NextStep:
    """A next step agreed in a round; saving the round makes it a follow-up."""

    title: str
    owner_id: int | None
    due_on: date


@dataclass(frozen=True, kw_only=True)
class RoundInput:
    """A negotiation round as a form, an import or an API gives it."""

    kind: str
    occurred_at: datetime  # aware, UTC
    title: str
    body: str = ""
    outcome: str = ""
    is_confidential: bool = False
    our_people: tuple[int, ...] = ()  # user ids
    their_people: tuple[int, ...] = ()  # contact ids of the partner
    topics: tuple[Topic, ...] = ()  # in their order on the round
    next_steps: tuple[NextStep, ...] = ()  # new ones only: each becomes a follow-up


def _sync_topics(conversation: Conversation, topics: tuple[Topic, ...]) -> None:
    """The round's topics become ``topics``, in order; existing rows are reused in place so
    an unchanged topic records no change."""
    rows = [t for t in topics if (t.subject or "").strip()]
    existing = list(conversation.topics)
    for position, row in enumerate(rows):
        topic = existing[position] if position < len(existing) else ConversationTopic()
        if position >= len(existing):
            conversation.topics.append(topic)
        topic.position = position
        topic.subject = row.subject.strip()
        topic.our_position = row.our_position or ""
        topic.their_position = row.their_position or ""
        topic.status = TopicStatus(row.status).value
        topic.resolution = row.resolution or ""
    for topic in existing[len(rows):]:
        conversation.topics.remove(topic)


class NextStepRefused(ValueError):
    """A next step given to someone who may not read the round its follow-up comes from
    (a confidential round they take no part in, a partner out of their reach): it would
    sit in their day as "a record you cannot see". Nothing is kept; the caller rolls back.
    ``position`` counts the steps with a title, from 0."""

    def __init__(self, position: int, owner: User | None) -> None:
        self.position = position
        self.owner = owner
        super().__init__(_("%(name)s may not see this round: choose someone who may, or add "
                           "them to our participants.",
                           name=owner.name if owner else _("This person")))


def save_round(org: Organization, data: RoundInput, author: User,
               conversation: Conversation | None = None, *,
               version: int | str | None = None) -> Conversation:
    """Create a negotiation round (``conversation`` None) or update one; its next steps
    become follow-ups, each for an owner who may read the round (NextStepRefused if not).

    Updating needs ``version``, the one the caller's view of the round had (StaleRecord if
    older). Participants are taken only among existing users and the partner's own
    contacts. Everything is read before the round changes, so the save is one flush: one
    version, one history entry.
    """
    if data.occurred_at.tzinfo is None:
        raise ValueError("occurred_at must be an aware (UTC) datetime")
    kind = ConversationKind(data.kind).value  # refused (ValueError) before anything changes
    for topic in data.topics:
        TopicStatus(topic.status)
    if conversation is None:
        conversation = Conversation(organization=org, author_id=author.id)
        db.session.add(conversation)
    else:
        ensure_current(conversation, version)
    with db.session.no_autoflush:
        people = list(db.session.scalars(sa.select(User).where(
            User.id.in_(list(data.our_people)))))
        contacts = list(db.session.scalars(sa.select(Contact).where(
            Contact.id.in_(list(data.their_people)), Contact.organization_id == org.id)))
        conversation.kind = kind
        conversation.occurred_at = data.occurred_at
        conversation.title = data.title.strip()
        conversation.body = data.body or ""
        conversation.outcome = data.outcome or ""
        conversation.is_confidential = bool(data.is_confidential)
        if [p.id for p in conversation.our_people] != [p.id for p in people]:
            conversation.our_people = people
        if [c.id for c in conversation.their_people] != [c.id for c in contacts]:
            conversation.their_people = contacts
        _sync_topics(conversation, data.topics)
    db.session.flush()
    steps = [step for step in data.next_steps if (step.title or "").strip()]
    for position, step in enumerate(steps):
        owner = db.session.get(User, step.owner_id) if step.owner_id is not None else None
        if step.owner_id is not None and (owner is None
                                          or not can(owner, Action.READ, conversation)):
            raise NextStepRefused(position, owner)
    for step in steps:
        give_followup(conversation, step.title, step.owner_id, step.due_on, organization=org)
    return conversation


# -- partner stage -----------------------------------------------------------------------

def move_stage(org: Organization, stage: str, reason: str = "", *,
               version: int | str | None = None) -> None:
    """Move a partner to another relationship stage (the history records the move); the
    reason is needed and kept only for an ended partnership. Raises MoveRefused (nothing
    changed then) for an unknown stage or an ending without a reason, and StaleRecord
    when a ``version`` is given (a page's move; "" for a page that sent none) and is not
    the partner's current one."""
    if version is not None:
        ensure_current(org, version)
    wanted = check_stage_move(org, stage, reason)
    org.stage = wanted.value
    org.stage_reason = (reason or "").strip() if wanted.is_ended else ""


# -- agreements --------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Fees:
    """The money terms of a version, given only by a caller allowed to see money."""

    fee_amount: Decimal | None = None
    currency: str = "CNY"
    payment_terms: str = ""


@dataclass(frozen=True, kw_only=True)
class TermsInput:
    """The terms of one version of an agreement."""

    proposed_by: str  # Proposer: "us" or "them"
    scope: str = ""
    cooperation: str = ""
    start_on: date | None = None
    end_on: date | None = None
    notice_on: date | None = None
    auto_renew: bool = False
    notes: str = ""
    # None: the caller may not see money, so the new version keeps the previous one's.
    fees: Fees | None = None


@dataclass(frozen=True, kw_only=True)
class AgreementInput:
    """What an agreement has besides its terms."""

    title: str
    owner_id: int | None = None
    team_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class NewAgreement(AgreementInput):
    """A new agreement with the terms of its first version."""

    terms: TermsInput


def _apply_terms(version: AgreementVersion, terms: TermsInput,
                 previous: AgreementVersion | None) -> None:
    version.proposed_by = Proposer(terms.proposed_by).value
    version.scope = terms.scope or ""
    version.cooperation = terms.cooperation or ""
    version.start_on = terms.start_on
    version.end_on = terms.end_on
    version.notice_on = terms.notice_on
    version.auto_renew = bool(terms.auto_renew)
    version.notes = terms.notes or ""
    if terms.fees is not None:
        version.fee_amount = terms.fees.fee_amount
        version.currency = terms.fees.currency
        version.payment_terms = terms.fees.payment_terms
    elif previous is not None:  # money the caller may not see keeps its last value
        for name in MONEY_FIELDS:
            setattr(version, name, getattr(previous, name))
    version.payment_terms = version.payment_terms or ""
    version.currency = version.currency or "CNY"


def _sync_dates(agreement: Agreement) -> None:
    source = agreement.signed_version or agreement.latest
    agreement.end_on = source.end_on if source else None
    agreement.notice_on = source.notice_on if source else None


def create_agreement(org: Organization, data: NewAgreement, *,
                     propose: bool = False) -> Agreement:
    """A new draft agreement of ``org`` with its first version of the terms; ``propose``:
    the terms are put to the other side at once (proposed), in the same save."""
    agreement = Agreement(organization=org, title=data.title.strip(),
                          owner_id=data.owner_id, team_id=data.team_id,
                          status=AgreementStatus.DRAFT)
    db.session.add(agreement)
    add_version(agreement, data.terms, propose=propose)
    return agreement


def update_agreement(agreement: Agreement, data: AgreementInput, *,
                     version: int | str | None) -> None:
    """Title, owner and team; the terms change only through new versions.

    ``version`` is the one the caller's view of the agreement had (StaleRecord if older).
    """
    ensure_current(agreement, version)
    agreement.title = data.title.strip()
    agreement.owner_id = data.owner_id
    agreement.team_id = data.team_id


def add_version(agreement: Agreement, terms: TermsInput, *,
                propose: bool = False) -> AgreementVersion:
    """A new proposal or counter-proposal; the latest terms set the agreement's dates.
    ``propose`` on a draft puts these terms to the other side (proposed) in the same save,
    one step instead of a version and then a status change (MoveRefused as that would)."""
    previous = agreement.latest
    version = AgreementVersion(number=(previous.number + 1) if previous else 1)
    _apply_terms(version, terms, previous)
    agreement.versions.append(version)
    _sync_dates(agreement)
    if agreement.status in AgreementStatus.is_negotiating and previous:
        # A new version from the other side is a counter; from us, a new proposal.
        agreement.status = (AgreementStatus.COUNTERED if version.proposed_by == "them"
                            else AgreementStatus.PROPOSED)
    elif propose:  # a draft's terms put forward (the workflow refuses it elsewhere)
        move_status(agreement, AgreementStatus.PROPOSED.value)
    return version


def move_status(agreement: Agreement, target: str, reason: str = "") -> None:
    """Move through the workflow; raises MoveRefused with the reason when not allowed."""
    agreement.status = check_move(agreement, target).value
    agreement.status_reason = reason.strip()


def sign(agreement: Agreement, version: AgreementVersion, signed_on: date,
         signatories: str) -> bool:
    """Mark one version as the signed one; the agreement becomes signed, and its partner
    moves on to the "signed" stage unless it stands there or beyond already (True then)."""
    agreement.signed_version = version
    agreement.signed_version_id = version.id
    agreement.signed_on = signed_on
    agreement.signatories = signatories.strip()
    move_status(agreement, AgreementStatus.SIGNED.value)
    _sync_dates(agreement)
    org = agreement.organization
    # A partner without a stage is a prospect (the board shows it so).
    if not PartnerStage(org.stage or PartnerStage.PROSPECT).is_before_signing:
        return False
    move_stage(org, PartnerStage.SIGNED.value)  # in the partner's history, as any move
    return True


def hidden_terms(money: bool) -> frozenset[str]:
    """Version fields a user may not see."""
    return frozenset() if money else MONEY_FIELDS
