"""Routes of the follow-up hub (being written)."""
