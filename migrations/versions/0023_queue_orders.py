"""queue orders: the complaint queue by date received and by severity

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 06:50:00

The queue's headers sort it by deadline (as before), by date received and by severity
then deadline. Each order is an index walk, keyset-paged: open complaints (the default
views) in small partial indexes of their own, every complaint (closed, all) in full ones.
The received-date index gains the id, the keyset's last key.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

# The same texts as tracker.models.complaint (SQLite matches a partial index, and an
# index on an expression, only word for word).
OPEN_WHERE = ("status IN ('acknowledged', 'investigating', 'new', 'waiting_on_client') "
              "AND archived_at IS NULL")
# Laid out as PostgreSQL prints it back, so the migrations test reads both as the same.
SEVERITY_RANK_SQL = ("(\nCASE severity\n    WHEN 'critical' THEN 0\n    WHEN 'high' THEN 1\n"
                     "    WHEN 'medium' THEN 2\n    ELSE 3\nEND)")


def upgrade():
    op.drop_index('ix_complaints_received_at', table_name='complaints')
    op.create_index('ix_complaints_received_at', 'complaints', ['received_at', 'id'])
    op.create_index('ix_complaints_open_received', 'complaints', ['received_at', 'id'],
                    sqlite_where=sa.text(OPEN_WHERE), postgresql_where=sa.text(OPEN_WHERE))
    op.create_index('ix_complaints_severity_due', 'complaints',
                    [sa.text(SEVERITY_RANK_SQL), 'due_next_at', 'id'])
    op.create_index('ix_complaints_open_severity_due', 'complaints',
                    [sa.text(SEVERITY_RANK_SQL), 'due_next_at', 'id'],
                    sqlite_where=sa.text(OPEN_WHERE), postgresql_where=sa.text(OPEN_WHERE))


def downgrade():
    op.drop_index('ix_complaints_open_severity_due', table_name='complaints')
    op.drop_index('ix_complaints_severity_due', table_name='complaints')
    op.drop_index('ix_complaints_open_received', table_name='complaints')
    op.drop_index('ix_complaints_received_at', table_name='complaints')
    op.create_index('ix_complaints_received_at', 'complaints', ['received_at'])
