"""Work done after a commit, outside the request: mail, escalations, digests, reminders.

- ``later(kind, **payload)`` (``outbox``): write a job in the current transaction; the
  queue gets it when the transaction commits, never before, never for a rollback.
- ``handler(kind)``: the function that does a kind of job, given its payload.
- ``init_jobs(app)`` (``queue``): the app's huey queue, its periodic sweeps and the relay.
- ``flask jobs worker`` runs the jobs (``make run`` starts one beside the web server).

See docs/jobs.md.
"""

from tracker.jobs.outbox import HANDLERS, handler, later
from tracker.jobs.queue import JobQueue, init_jobs

__all__ = ["HANDLERS", "JobQueue", "handler", "init_jobs", "later"]
