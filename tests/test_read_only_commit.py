"""A request that only read ends its transaction with COMMIT (so psycopg keeps its
prepared statements); one that wrote anything it did not commit is still rolled back."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event

from tests import factories
from tracker.db import end_read_only
from tracker.extensions import db
from tracker.models import Organization


def test_a_page_that_only_reads_commits_and_never_rolls_back(users, login_as):
    client = login_as("team_member")
    ends: list[str] = []
    engine = db.engine
    on_commit = lambda *_a: ends.append("commit")  # noqa: E731
    on_rollback = lambda *_a: ends.append("rollback")  # noqa: E731
    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", on_rollback)
    try:
        assert client.get("/followups/").status_code == 200
    finally:
        event.remove(engine, "commit", on_commit)
        event.remove(engine, "rollback", on_rollback)
    assert ends == ["commit"]


def test_what_was_written_and_not_committed_is_not_committed_at_the_end(users):
    org = factories.make_org("client", "Kept Co")
    db.session.execute(sa.update(Organization).where(Organization.id == org.id)
                       .values(name="Changed by a bulk UPDATE"))
    end_read_only()
    assert db.session().in_transaction()  # left for the rollback
    db.session.rollback()
    assert db.session.get(Organization, org.id).name == "Kept Co"

    db.session.add(Organization(kind="client", name="Flushed Co"))
    db.session.flush()
    end_read_only()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).where(
        Organization.name == "Flushed Co")) == 0

    db.session.add(Organization(kind="client", name="Pending Co"))  # not even flushed
    end_read_only()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).where(
        Organization.name == "Pending Co")) == 0

    db.session.execute(sa.select(Organization.name)).all()  # a read: committed
    assert db.session().in_transaction()
    end_read_only()
    assert not db.session().in_transaction()
