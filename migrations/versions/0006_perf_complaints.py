"""speed: complaint queue columns and indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# The same texts as tracker.models.complaint (SQLite matches a partial index word for word).
OPEN_SQL = "status IN ('acknowledged', 'investigating', 'new', 'waiting_on_client')"
ENDED_SQL = "status IN ('closed', 'rejected', 'resolved')"
LIVE_SQL = "archived_at IS NULL"
OPEN_WHERE = f"{OPEN_SQL} AND {LIVE_SQL}"
ENDED_WHERE = f"{ENDED_SQL} AND {LIVE_SQL}"

# tracker.clients.complaints.stored.refresh_due_next, frozen here as plain SQL.
BACKFILL = f"""
UPDATE complaints SET
  due_next_at = COALESCE(CASE WHEN acknowledged_at IS NULL THEN ack_due_at
                              ELSE resolve_due_at END, due_next_at),
  overdue_at = CASE
    WHEN NOT ({OPEN_SQL}) THEN NULL
    WHEN acknowledged_at IS NULL AND ack_due_at IS NOT NULL
         AND status <> 'waiting_on_client' AND resolve_due_at IS NOT NULL
      THEN CASE WHEN ack_due_at < resolve_due_at THEN ack_due_at ELSE resolve_due_at END
    WHEN acknowledged_at IS NULL AND ack_due_at IS NOT NULL THEN ack_due_at
    WHEN status <> 'waiting_on_client' AND resolve_due_at IS NOT NULL THEN resolve_due_at
    ELSE NULL END
"""


def upgrade():
    op.add_column('complaints', sa.Column(
        'due_next_at', sa.DateTime(timezone=True), nullable=False,
        server_default=sa.text("'9999-12-31 00:00:00'")))
    op.add_column('complaints', sa.Column('overdue_at', sa.DateTime(timezone=True),
                                          nullable=True))
    op.execute(BACKFILL)
    op.create_table('complaint_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_categories')),
    sa.UniqueConstraint('name', name=op.f('uq_complaint_categories_name'))
    )
    op.execute("INSERT INTO complaint_categories (name) SELECT DISTINCT category "
               "FROM complaints WHERE category <> ''")
    op.create_index('ix_complaints_open_due_next', 'complaints', [
        'due_next_at', 'id', 'assignee_id', 'team_id', 'created_by_id', 'is_confidential',
        'severity', 'organization_id', 'overdue_at', 'status', 'archived_at'], unique=False,
        sqlite_where=sa.text(OPEN_WHERE), postgresql_where=sa.text(OPEN_WHERE))
    op.create_index('ix_complaints_ended_due_next', 'complaints', ['due_next_at', 'id'],
                    unique=False, sqlite_where=sa.text(ENDED_WHERE),
                    postgresql_where=sa.text(ENDED_WHERE))
    op.create_index('ix_complaints_received_at', 'complaints', ['received_at'], unique=False)
    op.create_index('ix_complaints_team_status', 'complaints', ['team_id', 'status'],
                    unique=False)
    op.create_index('ix_complaints_created_by_status', 'complaints',
                    ['created_by_id', 'status'], unique=False)


def downgrade():
    op.drop_index('ix_complaints_created_by_status', table_name='complaints')
    op.drop_index('ix_complaints_team_status', table_name='complaints')
    op.drop_index('ix_complaints_received_at', table_name='complaints')
    op.drop_index('ix_complaints_ended_due_next', table_name='complaints')
    op.drop_index('ix_complaints_open_due_next', table_name='complaints')
    op.drop_table('complaint_categories')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('overdue_at')
        batch_op.drop_column('due_next_at')
