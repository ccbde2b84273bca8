"""imports: uploaded files and their rows, complaints' external numbers, and how a change
came in (its history says "imported from file.xlsx, row 12")

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 03:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'imports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('headers', sa.JSON(), nullable=False),
        sa.Column('mapping', sa.JSON(), nullable=False),
        sa.Column('checked_mapping', sa.JSON(), nullable=True),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('processed', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_imports_user_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_imports'),
    )
    op.create_index('ix_imports_user_id', 'imports', ['user_id', 'id'])
    op.create_table(
        'import_rows',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('import_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('cells', sa.JSON(), nullable=False),
        sa.Column('checked', sa.String(length=12), nullable=True),
        sa.Column('outcome', sa.String(length=12), nullable=True),
        sa.Column('reason', sa.JSON(), nullable=True),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['import_id'], ['imports.id'], ondelete='CASCADE',
                                name='fk_import_rows_import_id_imports'),
        sa.PrimaryKeyConstraint('id', name='pk_import_rows'),
        sa.UniqueConstraint('import_id', 'number', name='uq_import_rows_import_number'),
    )
    # Both tables are large: columns added in place, never by copying the table.
    op.add_column('audit_events', sa.Column('via', sa.JSON(), nullable=True))
    op.add_column('complaints', sa.Column('external_ref', sa.String(length=64), nullable=True))
    op.create_index('uq_complaints_org_external_ref', 'complaints',
                    ['organization_id', 'external_ref'], unique=True)


def downgrade():
    op.drop_index('uq_complaints_org_external_ref', table_name='complaints')
    if op.get_bind().dialect.name == "sqlite":  # SQLite drops a plain column in place
        op.execute("ALTER TABLE complaints DROP COLUMN external_ref")
        op.execute("ALTER TABLE audit_events DROP COLUMN via")
    else:
        op.drop_column('complaints', 'external_ref')
        op.drop_column('audit_events', 'via')
    op.drop_table('import_rows')
    op.drop_index('ix_imports_user_id', table_name='imports')
    op.drop_table('imports')
