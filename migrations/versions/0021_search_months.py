"""search: each document's month and its organization's kind in the index

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 04:30:00

A search of a big kind on PostgreSQL reads a month at a time, newest first
(``note@202612`` among a document's postings: ``tracker.search.query._kind_part``), and
a record under an organization holds that organization's kind among its reach keys
(``kclient``: ``tracker.access.reach.org_kind_key``). Documents written before hold
neither, and a search that narrows by them would miss those documents, so the index is
emptied: `flask search reindex` rebuilds it (`make run` does when it is empty; see
docs/deployment.md).
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def _empty() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("TRUNCATE search_documents")
    else:
        op.execute("INSERT INTO search_grams(search_grams) VALUES ('delete-all')")
        op.execute("DELETE FROM search_documents")


def upgrade():
    _empty()


def downgrade():
    _empty()
