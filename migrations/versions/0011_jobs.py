"""the outbox: jobs written with the change that causes them, run by the job queue

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 06:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('dedupe_key', sa.String(length=200), nullable=True),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
        sa.UniqueConstraint('dedupe_key', name=op.f('uq_jobs_dedupe_key')),
    )
    op.create_index('ix_jobs_state_updated', 'jobs', ['state', 'updated_at', 'id'], unique=False)
    # The working week is a row every deadline reads: made here, so no page inserts it.
    op.execute("INSERT INTO business_calendars (timezone, workdays, start_time, end_time, "
               "holidays, extra_workdays, reopen_days, version, created_at, updated_at) "
               "SELECT 'Asia/Shanghai', '0,1,2,3,4', '09:00', '18:00', '', '', 14, 1, "
               "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP "
               "WHERE NOT EXISTS (SELECT 1 FROM business_calendars)")


def downgrade():
    op.drop_index('ix_jobs_state_updated', table_name='jobs')
    op.drop_table('jobs')
