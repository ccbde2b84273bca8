"""lists: saved views (filters, sort and columns under a name) and each person's default

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 00:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'saved_views',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('endpoint', sa.String(length=80), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('query', sa.String(length=2000), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name='fk_saved_views_user_id_users'),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'],
                                name='fk_saved_views_team_id_teams'),
        sa.PrimaryKeyConstraint('id', name='pk_saved_views'),
    )
    op.create_index('ix_saved_views_endpoint_user', 'saved_views', ['endpoint', 'user_id'])
    op.create_index('ix_saved_views_endpoint_team', 'saved_views', ['endpoint', 'team_id'])
    op.create_table(
        'default_views',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('endpoint', sa.String(length=80), nullable=False),
        sa.Column('view_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name='fk_default_views_user_id_users'),
        sa.ForeignKeyConstraint(['view_id'], ['saved_views.id'], ondelete='CASCADE',
                                name='fk_default_views_view_id_saved_views'),
        sa.PrimaryKeyConstraint('id', name='pk_default_views'),
        sa.UniqueConstraint('user_id', 'endpoint', name='uq_default_views_user_endpoint'),
    )


def downgrade():
    op.drop_table('default_views')
    op.drop_index('ix_saved_views_endpoint_team', table_name='saved_views')
    op.drop_index('ix_saved_views_endpoint_user', table_name='saved_views')
    op.drop_table('saved_views')
