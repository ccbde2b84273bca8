"""search: the index of documents (one per searchable record) and their grams: an FTS5
table on SQLite, a text array with a GIN index on PostgreSQL

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 03:30:00

The index is derived data: after upgrading, `flask search reindex` fills it (`flask db
upgrade` in `make run` is followed by the demo load, which indexes what it writes).
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        'search_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=40), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('money', sa.SmallInteger(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('head', sa.String(length=300), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=True),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=40), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('grams', postgresql.ARRAY(sa.Text()) if postgres else sa.JSON(),
                  nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_documents')),
    )
    op.create_index('ix_search_documents_record', 'search_documents',
                    ['source', 'record_id'])
    if postgres:
        op.create_index('ix_search_documents_grams', 'search_documents', ['grams'],
                        postgresql_using='gin')
    else:
        # Contentless (the documents table holds the text) and without positions (a
        # match is checked against the folded text): postings only.
        op.execute("CREATE VIRTUAL TABLE search_grams USING fts5("
                   "grams, content='', detail=none, tokenize='ascii')")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE search_grams")
    op.drop_table('search_documents')
