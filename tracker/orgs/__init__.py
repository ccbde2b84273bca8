"""What partners and clients share: organizations with contacts and tags.

The partners and clients blueprints each mount these routes for their own kind, so the
two lists behave alike while each blueprint grows its own stakeholder-specific pages.
"""

from tracker.orgs import rollups  # noqa: F401  (registers the rollup session hooks)
