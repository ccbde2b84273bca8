"""teams: the weekday their weekly report is sent to the leads

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 00:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('teams', sa.Column('weekly_report_day', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('teams') as batch:
        batch.drop_column('weekly_report_day')
