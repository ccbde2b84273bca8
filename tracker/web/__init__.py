"""The web layer: one blueprint package per area (routes, forms), on top of the domain
(tracker/<area>/ services, queries, workflows; tracker/models; tracker/access).

Nothing outside tracker/web imports it, except the app factory; no blueprint package
imports another (tests/test_import_graph.py)."""
