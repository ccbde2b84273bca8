"""The outbox: work to do after a commit, written in the same transaction as its cause."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, utcnow


class JobState(enum.StrEnum):
    PENDING = "pending"      # committed, handed to the queue (or about to be)
    RUNNING = "running"      # claimed by one worker
    RETRYING = "retrying"    # failed, the queue will try again after a pause
    DONE = "done"
    FAILED = "failed"        # failed on every try: an administrator decides


class Job(Base):
    """One unit of work for the job queue, and what became of it.

    The row is the job: the queue only carries its id. It is inserted by the change that
    causes it, so a rolled-back change leaves no job; a worker claims it with one
    conditional UPDATE, so two workers never both run it; ``dedupe_key`` makes a job
    that may be asked for twice (a periodic sweep, one mail per notification) exist once.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        # The relay's and the admin page's reads: by state, oldest first.
        sa.Index("ix_jobs_state_updated", "state", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True, default=None)
    state: Mapped[str] = mapped_column(sa.String(20), default=JobState.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.state}>"
