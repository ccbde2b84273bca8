"""Accounts, roles and grants (the administration domain)."""
