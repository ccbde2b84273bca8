"""Follow-ups everywhere: creating them from any record, and what My day reads."""

from tracker.followups.sources import (
    OwnerMayNotSee,
    add_followup,
    check_owner,
    followups_for,
    give_followup,
    open_followups_of_org,
    owner_choices,
    source_of,
)

__all__ = ["OwnerMayNotSee", "add_followup", "check_owner", "followups_for",
           "give_followup", "open_followups_of_org", "owner_choices", "source_of"]
