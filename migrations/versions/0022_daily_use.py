"""daily use: comments with mentions, a complaint's caller, notifications as codes

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 06:10:00

Comments sit on a record's page (``tracker.models.comment``). A complaint keeps who
called at intake when they are not a known contact. A notification keeps what happened
as a message code and its values, so each reader reads it in their own language.
"""
import sqlalchemy as sa
from alembic import op

import tracker.models.base

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'comments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('record_type', sa.String(length=50), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('mentions', sa.JSON(), nullable=False),
        sa.Column('created_at', tracker.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('archived_at', tracker.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('archived_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'],
                                name=op.f('fk_comments_author_id_users')),
        sa.ForeignKeyConstraint(['archived_by_id'], ['users.id'],
                                name=op.f('fk_comments_archived_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_comments')),
    )
    op.create_index('ix_comments_record', 'comments', ['record_type', 'record_id', 'id'])
    with op.batch_alter_table('complaints') as batch_op:
        batch_op.add_column(sa.Column('caller', sa.String(length=120), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('notifications') as batch_op:
        batch_op.add_column(sa.Column('event', sa.String(length=40), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('notifications') as batch_op:
        batch_op.drop_column('params')
        batch_op.drop_column('event')
    with op.batch_alter_table('complaints') as batch_op:
        batch_op.drop_column('caller')
    op.drop_index('ix_comments_record', table_name='comments')
    op.drop_table('comments')
