"""speed: a counter of changes to who may see what (the signed-in user's access is kept);
live organizations counted from an index alone

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 19:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'access_generations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('generation', sa.BigInteger(), nullable=False, server_default='0'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_access_generations')),
    )
    op.execute("INSERT INTO access_generations (id, generation) VALUES (1, 0)")
    op.create_index('ix_organizations_live_kind_owner_team', 'organizations',
                    ['kind', 'owner_id', 'team_id'], unique=False,
                    sqlite_where=sa.text('archived_at IS NULL'),
                    postgresql_where=sa.text('archived_at IS NULL'))


def downgrade():
    op.drop_index('ix_organizations_live_kind_owner_team', table_name='organizations')
    op.drop_table('access_generations')
