"""search: postings filed per kind (and money part)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 21:40:00

A search reads only the postings of the kinds it shows: ``note:客户`` rather than
``客户`` intersected with every note's ``k:note`` (see ``tracker.search.normalize``).
Documents written before hold the old postings, which no search reads, so the index is
emptied: `flask search reindex` rebuilds it (`make run` does when it is empty).
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
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
