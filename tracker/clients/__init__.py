"""Clients: notes, requirements and the complaint queue (services, queries, workflows)."""
