"""The partner workflows: agreement statuses and partnership stages, and why a move is
refused."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from tracker.models import Agreement, AgreementStatus, Organization, PartnerStage
from tracker.workflow import Guard, Workflow

S = AgreementStatus


def _signed_version_marked(agreement: Agreement, **_context: Any) -> str | None:
    if agreement.signed_version_id is None:
        return _("Mark the signed version (with date and signatories) to sign.")
    return None


def _terms_given(agreement: Agreement, *, wanted: AgreementStatus,
                 **_context: Any) -> str | None:
    if agreement.versions:
        return None
    return _("Add the terms first: an agreement without terms cannot be %(status)s.",
             status=wanted.label)


# Negotiation goes back and forth between proposed and countered until both sides agree;
# only a signed agreement becomes active, and only an active one expires or renews.
AGREEMENTS = Workflow(
    AgreementStatus,
    {
        S.DRAFT: {S.PROPOSED, S.TERMINATED},
        S.PROPOSED: {S.COUNTERED, S.AGREED, S.TERMINATED},
        S.COUNTERED: {S.PROPOSED, S.AGREED, S.TERMINATED},
        S.AGREED: {S.COUNTERED, S.SIGNED, S.TERMINATED},
        S.SIGNED: {S.ACTIVE, S.TERMINATED},
        S.ACTIVE: {S.EXPIRED, S.TERMINATED, S.RENEWED},
        S.EXPIRED: {S.RENEWED},
        S.TERMINATED: set(),
        S.RENEWED: set(),
    },
    refused=lambda current, wanted, allowed: _(
        "An agreement that is %(current)s cannot become %(wanted)s; it can become: "
        "%(allowed)s.", current=current, wanted=wanted, allowed=allowed),
    already=lambda current: _("The agreement is already %(status)s.", status=current),
    guards=(
        Guard(frozenset({S.SIGNED}), _signed_version_marked),
        Guard(AgreementStatus.needs_terms, _terms_given),
    ),
)
TRANSITIONS = AGREEMENTS.moves


def allowed_moves(agreement: Agreement) -> list[AgreementStatus]:
    """The statuses the agreement may move to next, in workflow order."""
    return AGREEMENTS.moves_from(agreement.status)


def check_move(agreement: Agreement, target: str) -> AgreementStatus:
    """The target status if the move is allowed; raises MoveRefused with the reason."""
    return AGREEMENTS.check_move(agreement, target)


# -- partnership stages ------------------------------------------------------------------

def _end_reason_given(org: Organization, *, reason: str = "", **_context: Any) -> str | None:
    return None if (reason or "").strip() else _("Say why the partnership ended.")


# A partnership may move to any stage (the board drags it anywhere); ending one needs a
# reason. A partner without a stage stands where the board shows it: a prospect.
STAGES = Workflow(
    PartnerStage,
    {stage: set(PartnerStage) for stage in PartnerStage},
    refused=None,
    guards=(Guard(PartnerStage.is_ended, _end_reason_given, field="reason"),),
    state_of=lambda org: org.stage or PartnerStage.PROSPECT,
)


def check_stage_move(org: Organization, stage: str, reason: str = "") -> PartnerStage:
    """The stage ``org`` may move to; raises MoveRefused (an unknown stage, an ending
    without a reason)."""
    return STAGES.check_move(org, stage, reason=reason)
