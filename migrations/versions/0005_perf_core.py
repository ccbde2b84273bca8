"""speed: agreements' end-date sort key and per-status date indexes

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('end_sort_on', sa.Date(), nullable=False,
                                      server_default='9999-12-31'))
    op.execute("UPDATE agreements SET end_sort_on = coalesce(end_on, '9999-12-31')")
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.create_index('ix_agreements_end_sort_on_id', ['end_sort_on', 'id'], unique=False)
        batch_op.create_index('ix_agreements_status_end_on', ['status', 'end_on'], unique=False)
        batch_op.create_index('ix_agreements_status_notice_on', ['status', 'notice_on'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index('ix_agreements_status_notice_on')
        batch_op.drop_index('ix_agreements_status_end_on')
        batch_op.drop_index('ix_agreements_end_sort_on_id')
        batch_op.drop_column('end_sort_on')
