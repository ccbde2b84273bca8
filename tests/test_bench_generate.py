"""The benchmark generator at a tiny scale: accounts, deadlines, sources, determinism."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

import bench.generate
from bench.generate import generate
from tests import factories
from tracker.access.scopes import SOURCES
from tracker.clients.complaints.deadlines import set_deadlines
from tracker.extensions import db
from tracker.models import (
    OPEN_COMPLAINT,
    Agreement,
    Complaint,
    ComplaintStatus,
    Conversation,
    FollowUp,
    Organization,
    User,
)

SCALE = 0.0005  # the floors apply: a few dozen rows per big table


def _first_rows() -> list[tuple]:
    """Values that do not depend on when the run happened (times are relative to now)."""
    rows: list[tuple] = []
    for stmt in (sa.select(User.email, User.name).order_by(User.id).limit(12),
                 sa.select(Organization.name, Organization.kind, Organization.team_id)
                 .order_by(Organization.id).limit(5),
                 sa.select(Conversation.title, Conversation.organization_id)
                 .order_by(Conversation.id).limit(5),
                 sa.select(Complaint.title, Complaint.severity, Complaint.status)
                 .order_by(Complaint.id).limit(5),
                 sa.select(FollowUp.title, FollowUp.source_type, FollowUp.source_id)
                 .order_by(FollowUp.id).limit(5)):
        rows.extend(tuple(row) for row in db.session.execute(stmt))
    return rows


def test_generated_department_is_consistent(app: Flask, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    refreshed: list[int] = []
    monkeypatch.setattr(bench.generate, "POST_LOAD", [
        lambda: refreshed.append(db.session.scalar(sa.text("SELECT count(*) FROM complaints")))])
    result = generate(SCALE, seed=3, progress=None)
    assert refreshed == [result.counts["complaints"]]  # refreshes run after every insert

    for key, email in result.accounts.items():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        assert user is not None and key in {role.name for role in user.roles}
        assert user.check_password(result.password)
    for table in ("organizations", "complaints", "complaint_events", "followups"):
        assert db.session.scalar(sa.text(f"SELECT count(*) FROM {table}")) == \
            result.counts[table] > 0

    complaints = db.session.scalars(sa.select(Complaint)).all()
    statuses = {c.status for c in complaints}
    assert statuses & OPEN_COMPLAINT and statuses & {"resolved", "closed"}
    for c in complaints:
        assert c.ack_due_at > c.received_at
        assert c.resolve_due_at is None or c.resolve_due_at > c.received_at
        assert (c.resolve_due_at is None) == (c.status == ComplaintStatus.WAITING)
        stored = (c.ack_due_at, c.resolve_due_at)
        set_deadlines(c)  # what the app would compute from the policy and the pauses
        assert (c.ack_due_at, c.resolve_due_at) == stored, c.id
    db.session.rollback()

    for agreement in db.session.scalars(sa.select(Agreement)):
        signed = agreement.status in {"signed", "active", "expired", "terminated", "renewed"}
        assert agreement.signed_version is (agreement.versions[-1] if signed else None)
        assert 2 <= len(agreement.versions) <= 5

    for source_type, model in SOURCES.items():
        ids = set(db.session.scalars(sa.select(FollowUp.source_id).where(
            FollowUp.source_type == source_type)))
        existing = set(db.session.scalars(sa.select(model.id).where(model.id.in_(ids))))
        assert ids == existing, source_type
    kinds = set(db.session.scalars(sa.select(FollowUp.source_type).distinct()))
    assert kinds - {"manual"} <= set(SOURCES) and "conversations" in kinds

    for key, url in (("support_agent", "/clients/complaints/"), ("team_member", "/followups/")):
        user = db.session.scalar(sa.select(User).where(User.email == result.accounts[key]))
        signed_in = app.test_client()
        factories.sign_in(signed_in, user)
        assert signed_in.get(url).status_code == 200, url


def test_same_seed_same_rows(app: Flask) -> None:
    generate(SCALE, seed=5, progress=None)
    first = _first_rows()
    factories.reset_database()
    generate(SCALE, seed=5, progress=None)
    assert _first_rows() == first
