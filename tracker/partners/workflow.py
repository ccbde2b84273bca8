"""The agreement workflow: which status may follow which, and why a move is refused."""

from __future__ import annotations

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _

from tracker.models import Agreement, AgreementStatus

S = AgreementStatus

# Negotiation goes back and forth between proposed and countered until both sides agree;
# only a signed agreement becomes active, and only an active one expires or renews.
TRANSITIONS: dict[AgreementStatus, frozenset[AgreementStatus]] = {
    S.DRAFT: frozenset({S.PROPOSED, S.TERMINATED}),
    S.PROPOSED: frozenset({S.COUNTERED, S.AGREED, S.TERMINATED}),
    S.COUNTERED: frozenset({S.PROPOSED, S.AGREED, S.TERMINATED}),
    S.AGREED: frozenset({S.COUNTERED, S.SIGNED, S.TERMINATED}),
    S.SIGNED: frozenset({S.ACTIVE, S.TERMINATED}),
    S.ACTIVE: frozenset({S.EXPIRED, S.TERMINATED, S.RENEWED}),
    S.EXPIRED: frozenset({S.RENEWED}),
    S.TERMINATED: frozenset(),
    S.RENEWED: frozenset(),
}


class MoveRefused(ValueError):
    """A status change the workflow does not allow; the message says why."""


def allowed_moves(agreement: Agreement) -> list[AgreementStatus]:
    """The statuses the agreement may move to next, in workflow order."""
    nexts = TRANSITIONS[AgreementStatus(agreement.status)]
    return [s for s in AgreementStatus if s in nexts]


def check_move(agreement: Agreement, target: str) -> AgreementStatus:
    """The target status if the move is allowed; raises MoveRefused with the reason."""
    if target not in AgreementStatus._value2member_map_:
        raise MoveRefused(_("There is no status “%(status)s”.", status=target))
    current, wanted = AgreementStatus(agreement.status), AgreementStatus(target)
    if wanted == current:
        raise MoveRefused(_("The agreement is already %(status)s.", status=current.label))
    if wanted not in TRANSITIONS[current]:
        labels = [s.label for s in allowed_moves(agreement)]
        allowed = format_list(labels, locale=get_locale()) if labels else _("nothing")
        raise MoveRefused(_("An agreement that is %(current)s cannot become %(wanted)s; it can "
                            "become: %(allowed)s.", current=current.label, wanted=wanted.label,
                            allowed=allowed))
    if wanted == S.SIGNED and agreement.signed_version_id is None:
        raise MoveRefused(_("Mark the signed version (with date and signatories) to sign."))
    if wanted in (S.PROPOSED, S.COUNTERED, S.AGREED) and not agreement.versions:
        raise MoveRefused(_("Add the terms first: an agreement without terms cannot be %("
                            "status)s.", status=wanted.label))
    return wanted
