"""speed: follow-ups of an organization newest first (the timelines)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 19:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# A partner's or client's timeline reads its follow-ups newest first, (created_at, id)
# descending, thirty at a time: walked backwards on this index it stops after the page,
# where (organization_id, status, due_on) made both databases read and sort all of an
# organization's follow-ups (a thousand for a busy partner), checking each one's source.
INDEX = ('ix_followups_org_created', ['organization_id', 'created_at', 'id'])


def upgrade():
    with op.batch_alter_table('followups', schema=None) as batch_op:
        batch_op.create_index(INDEX[0], INDEX[1], unique=False)


def downgrade():
    with op.batch_alter_table('followups', schema=None) as batch_op:
        batch_op.drop_index(INDEX[0])
