"""sorting: names of organizations, contacts, people and teams in dictionary order

Each gets ``sort_name`` (``tracker.search.names.sort_key``: pinyin, tone and character
for Chinese, Latin among it), compared byte by byte ("C" on PostgreSQL). The lists'
name orders move from ``name`` to it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 08:00:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

TABLES = ('organizations', 'contacts', 'users', 'teams')
SORT_NAME = sa.String(255).with_variant(postgresql.VARCHAR(255, collation='C'), 'postgresql')
OLD_INDEXES = [
    ('ix_organizations_kind_name_id', ['kind', 'name', 'id']),
    ('ix_organizations_kind_status_name_id', ['kind', 'status', 'name', 'id']),
]
NEW_INDEXES = [
    ('ix_organizations_kind_sort_name_id', ['kind', 'sort_name', 'id']),
    ('ix_organizations_kind_status_sort_name_id', ['kind', 'status', 'sort_name', 'id']),
]


def _backfill(table: str) -> None:
    # The app's own key, so rows written before and after the upgrade sort alike.
    from tracker.search.names import sort_key

    conn = op.get_bind()
    rows = conn.execute(sa.text(f"SELECT id, name FROM {table}")).all()
    if rows:
        conn.execute(sa.text(f"UPDATE {table} SET sort_name = :key WHERE id = :id"),
                     [{"id": id_, "key": sort_key(name)} for id_, name in rows])


def upgrade():
    for table in TABLES:
        op.add_column(table, sa.Column('sort_name', SORT_NAME, nullable=False,
                                       server_default=''))
        _backfill(table)
    for name, _cols in OLD_INDEXES:
        op.drop_index(name, table_name='organizations')
    for name, cols in NEW_INDEXES:
        op.create_index(name, 'organizations', cols)


def downgrade():
    for name, _cols in NEW_INDEXES:
        op.drop_index(name, table_name='organizations')
    for name, cols in OLD_INDEXES:
        op.create_index(name, 'organizations', cols)
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('sort_name')
