"""speed: the access counter joins counters of the vocabulary, complaints and agreements
(one row read with the signed-in user; workers keep filter lists, view counts and the
expiring agreements while they stand)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 17:00:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'generations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('epoch', sa.String(length=16), nullable=False),
        sa.Column('access', sa.BigInteger(), nullable=False, server_default='0'),
        sa.Column('vocabulary', sa.BigInteger(), nullable=False, server_default='0'),
        sa.Column('complaints', sa.BigInteger(), nullable=False, server_default='0'),
        sa.Column('agreements', sa.BigInteger(), nullable=False, server_default='0'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_generations')),
    )
    op.execute(sa.text(
        "INSERT INTO generations (id, epoch, access) "
        "SELECT id, :epoch, generation FROM access_generations").bindparams(
            epoch=secrets.token_hex(8)))
    op.drop_table('access_generations')


def downgrade():
    op.create_table(
        'access_generations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('generation', sa.BigInteger(), nullable=False, server_default='0'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_access_generations')),
    )
    op.execute("INSERT INTO access_generations (id, generation) "
               "SELECT id, access FROM generations")
    op.drop_table('generations')
