"""Dashboards: every number counted by the database through the access layer, each with
the link to the list that shows the same records (the list's own filters, so the count on
the dashboard and the count on the list are one count).

- ``period``: the date range and its weekly (or monthly) buckets, in the reader's zone.
- ``complaints``, ``partners``: the figures of each area's dashboard, as chart specs
  (``templates/_macros/charts.html``).
"""
