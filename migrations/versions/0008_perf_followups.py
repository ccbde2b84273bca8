"""speed: follow-up, dashboard and team indexes

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 16:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# (table, index name, columns): My day's "waiting on others", the keyset lists of
# meetings, reports and the reminder log (the dashboard's "recently changed" uses 0007's).
INDEXES = (
    ('followups', 'ix_followups_created_by_status_due',
     ['created_by_id', 'status', 'due_on', 'id']),
    ('meetings', 'ix_meetings_team_starts_at', ['team_id', 'starts_at', 'id']),
    ('progress_reports', 'ix_progress_reports_team_period', ['team_id', 'period_start']),
    ('reminder_log', 'ix_reminder_log_user_sent_at', ['user_id', 'sent_at', 'id']),
    ('reminder_log', 'ix_reminder_log_sent_at', ['sent_at', 'id']),
)


# My day reads each bucket in (due_on, id) order: with "id" in the index PostgreSQL need
# not sort, nor pick the primary key's order and filter every row.
OWNER_DUE = ('ix_followups_owner_status_due', ['owner_id', 'status', 'due_on'])


def upgrade():
    with op.batch_alter_table('followups', schema=None) as batch_op:
        batch_op.drop_index(OWNER_DUE[0])
        batch_op.create_index(OWNER_DUE[0], [*OWNER_DUE[1], 'id'], unique=False)
    for table, name, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    for table, name, _columns in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
    with op.batch_alter_table('followups', schema=None) as batch_op:
        batch_op.drop_index(OWNER_DUE[0])
        batch_op.create_index(OWNER_DUE[0], OWNER_DUE[1], unique=False)
