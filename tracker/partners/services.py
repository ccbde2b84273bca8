"""Writes of the partners blueprint. Views commit; these never do."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from tracker.extensions import db
from tracker.followups import add_followup
from tracker.i18n import local_to_utc
from tracker.models import (
    MONEY_FIELDS,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Contact,
    Conversation,
    ConversationTopic,
    Organization,
    PartnerStage,
    User,
)
from tracker.partners.forms import NewAgreementForm, RoundForm, StageForm, TermsForm
from tracker.partners.workflow import check_move
from tracker.records import ensure_current

TERMS = ("proposed_by", "scope", "cooperation", "fee_amount", "currency", "payment_terms",
         "start_on", "end_on", "notice_on", "auto_renew", "notes")


def _sync_topics(conversation: Conversation, form: RoundForm) -> None:
    rows = [t for t in form.topics.entries if (t.form.subject.data or "").strip()]
    existing = list(conversation.topics)
    for position, row in enumerate(rows):
        topic = existing[position] if position < len(existing) else ConversationTopic()
        if position >= len(existing):
            conversation.topics.append(topic)
        topic.position = position
        topic.subject = row.form.subject.data.strip()
        topic.our_position = row.form.our_position.data or ""
        topic.their_position = row.form.their_position.data or ""
        topic.status = row.form.status.data
        topic.resolution = row.form.resolution.data or ""
    for topic in existing[len(rows):]:
        conversation.topics.remove(topic)


def save_round(org: Organization, form: RoundForm, author: User,
               conversation: Conversation | None = None) -> Conversation:
    """Create or update a negotiation round; its new next steps become follow-ups."""
    if conversation is None:
        conversation = Conversation(organization=org, author_id=author.id)
        db.session.add(conversation)
    else:
        ensure_current(conversation, form.version.data)
    with db.session.no_autoflush:
        people = list(db.session.scalars(sa.select(User).where(
            User.id.in_(form.our_people.data or []))))
        contacts = list(db.session.scalars(sa.select(Contact).where(
            Contact.id.in_(form.their_people.data or []), Contact.organization_id == org.id)))
        conversation.kind = form.kind.data
        conversation.occurred_at = local_to_utc(form.occurred_at.data)
        conversation.title = form.title.data.strip()
        conversation.body = form.body.data or ""
        conversation.outcome = form.outcome.data or ""
        conversation.is_confidential = bool(form.is_confidential.data)
        if [p.id for p in conversation.our_people] != [p.id for p in people]:
            conversation.our_people = people
        if [c.id for c in conversation.their_people] != [c.id for c in contacts]:
            conversation.their_people = contacts
        _sync_topics(conversation, form)
    db.session.flush()
    for row in form.next_steps.entries:
        step = row.form
        if (step.title.data or "").strip():
            add_followup(conversation, step.title.data, step.owner_id.data, step.due_on.data,
                         organization=org)
    return conversation


def move_stage(org: Organization, form: StageForm) -> None:
    """Move a partner to another relationship stage (the history records the move)."""
    org.stage = PartnerStage(form.stage.data).value
    org.stage_reason = (form.reason.data or "").strip() if org.stage == PartnerStage.ENDED else ""


def _apply_terms(version: AgreementVersion, form: TermsForm,
                 previous: AgreementVersion | None) -> None:
    for name in TERMS:
        if name in form:
            setattr(version, name, form[name].data)
        elif previous is not None:  # a field the user may not see keeps its last value
            setattr(version, name, getattr(previous, name))
    version.scope = version.scope or ""
    version.cooperation = version.cooperation or ""
    version.payment_terms = version.payment_terms or ""
    version.notes = version.notes or ""
    version.currency = version.currency or "CNY"


def _sync_dates(agreement: Agreement) -> None:
    source = agreement.signed_version or agreement.latest
    agreement.end_on = source.end_on if source else None
    agreement.notice_on = source.notice_on if source else None


def create_agreement(org: Organization, form: NewAgreementForm) -> Agreement:
    """A new draft agreement with its first version of the terms."""
    agreement = Agreement(organization=org, title=form.title.data.strip(),
                          owner_id=form.owner_id.data, team_id=form.team_id.data,
                          status=AgreementStatus.DRAFT)
    db.session.add(agreement)
    add_version(agreement, form)
    return agreement


def update_agreement(agreement: Agreement, form: object) -> None:
    """Title, owner and team; the terms change only through new versions."""
    ensure_current(agreement, form.version.data)
    agreement.title = form.title.data.strip()
    agreement.owner_id = form.owner_id.data
    agreement.team_id = form.team_id.data


def add_version(agreement: Agreement, form: TermsForm) -> AgreementVersion:
    """A new proposal or counter-proposal; the latest terms set the agreement's dates."""
    previous = agreement.latest
    version = AgreementVersion(number=(previous.number + 1) if previous else 1)
    _apply_terms(version, form, previous)
    agreement.versions.append(version)
    _sync_dates(agreement)
    if agreement.status in (AgreementStatus.PROPOSED, AgreementStatus.COUNTERED) and previous:
        # A new version from the other side is a counter; from us, a new proposal.
        agreement.status = (AgreementStatus.COUNTERED if version.proposed_by == "them"
                            else AgreementStatus.PROPOSED)
    return version


def move_status(agreement: Agreement, target: str, reason: str = "") -> None:
    """Move through the workflow; raises MoveRefused with the reason when not allowed."""
    agreement.status = check_move(agreement, target).value
    agreement.status_reason = reason.strip()


def sign(agreement: Agreement, version: AgreementVersion, signed_on: date,
         signatories: str) -> None:
    """Mark one version as the signed one; the agreement becomes signed."""
    agreement.signed_version = version
    agreement.signed_version_id = version.id
    agreement.signed_on = signed_on
    agreement.signatories = signatories.strip()
    move_status(agreement, AgreementStatus.SIGNED.value)
    _sync_dates(agreement)


def hidden_terms(money: bool) -> frozenset[str]:
    """Version fields a user may not see."""
    return frozenset() if money else MONEY_FIELDS
