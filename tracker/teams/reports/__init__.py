"""Progress reports with the lead's replies, problems raised, and resource requests."""
