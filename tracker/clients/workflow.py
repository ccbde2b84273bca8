"""The requirement workflow: which status may follow which, and why a move is refused."""

from __future__ import annotations

from flask_babel import gettext as _

from tracker.models import Requirement, RequirementStatus
from tracker.workflow import Workflow

R = RequirementStatus

# A requirement is confirmed by the client; a change of wording sends it back for another
# confirmation; withdrawn and rejected are final.
REQUIREMENTS = Workflow(
    RequirementStatus,
    {
        R.PROPOSED: {R.CONFIRMED, R.WITHDRAWN, R.REJECTED},
        R.CONFIRMED: {R.CHANGED, R.WITHDRAWN},
        R.CHANGED: {R.CONFIRMED, R.WITHDRAWN, R.REJECTED},
        R.WITHDRAWN: set(),
        R.REJECTED: set(),
    },
    refused=lambda current, wanted, allowed: _(
        "A requirement that is %(current)s cannot become %(wanted)s; it can become: "
        "%(allowed)s.", current=current, wanted=wanted, allowed=allowed),
    already=lambda current: _("The requirement is already %(status)s.", status=current),
)
REQUIREMENT_MOVES = REQUIREMENTS.moves


def requirement_moves(requirement: Requirement) -> list[RequirementStatus]:
    """The statuses a requirement may move to next, in workflow order."""
    return REQUIREMENTS.moves_from(requirement.status)


def check_requirement_move(requirement: Requirement, target: str | None) -> RequirementStatus:
    """The target status if the move is allowed; raises MoveRefused with the reason."""
    return REQUIREMENTS.check_move(requirement, target)
