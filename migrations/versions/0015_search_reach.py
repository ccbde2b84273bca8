"""search: each document's reach keys (the owners and team its record's scope names),
also held among its grams, so a search narrows by the reader's keys first

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 19:20:00

Documents written before hold no keys, and a narrowed search would pass them by, so the
index is emptied: `flask search reindex` rebuilds it (`make run` does when it is empty).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
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
    op.add_column('search_documents', sa.Column('reach', sa.String(length=200),
                                                nullable=False, server_default=''))


def downgrade():
    _empty()
    with op.batch_alter_table('search_documents') as batch:
        batch.drop_column('reach')
