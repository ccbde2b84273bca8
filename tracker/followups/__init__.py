"""Follow-ups everywhere: creating them from any record, and what My day reads."""

from tracker.followups.sources import add_followup, followups_for, open_followups_of_org

__all__ = ["add_followup", "followups_for", "open_followups_of_org"]
