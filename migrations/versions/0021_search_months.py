"""search: each document's month among its postings (PostgreSQL)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 04:30:00

A search of a big kind reads a month at a time, newest first (``note@202612`` beside
``note:客户``: ``tracker.search.query._kind_part``). The element is added to every
document in place, with the GIN index dropped and built again once (kept up row by row,
a GIN index makes a large update take many times longer). SQLite's FTS5 postings walk
newest first by themselves and are left as they are.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

# ``normalize.kind_key`` and ``normalize.month_element`` in SQL
_KEY = "kind || (ARRAY['', 'm', 'n'])[money + 1]"
_MONTH = f"{_KEY} || '@' || to_char(at AT TIME ZONE 'UTC', 'YYYYMM')"


def _rewrite(grams: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_search_documents_grams")
    op.execute(f"UPDATE search_documents SET grams = {grams}")
    op.execute("SET LOCAL maintenance_work_mem = '512MB'")
    op.execute("CREATE INDEX ix_search_documents_grams ON search_documents USING gin (grams)")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        _rewrite(f"array_append(grams, {_MONTH})")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _rewrite(f"array_remove(grams, {_MONTH})")
