"""Routes (being written)."""
