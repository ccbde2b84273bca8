"""Internal teams: meetings, reports, goals and the feed (services, queries, workflows)."""
