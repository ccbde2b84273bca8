"""speed: organization, timeline and agreement list indexes

Organizations get two sort-only rollups (the latest non-confidential contact, the nearest
open follow-up of a non-confidential source), kept by ``tracker.orgs.rollups``, and one
index per keyset order of the lists. Agreements get the list's keyset indexes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

ORG_INDEXES = [
    ('ix_organizations_kind_name_id', ['kind', 'name', 'id']),
    ('ix_organizations_kind_updated_at_id', ['kind', 'updated_at', 'id']),
    ('ix_organizations_kind_created_at_id', ['kind', 'created_at', 'id']),
    ('ix_organizations_kind_status_name_id', ['kind', 'status', 'name', 'id']),
    ('ix_organizations_kind_last_contact_at_id', ['kind', 'last_contact_at', 'id']),
    ('ix_organizations_kind_next_followup_on_id', ['kind', 'next_followup_on', 'id']),
    ('ix_organizations_kind_last_contact_all_at_id', ['kind', 'last_contact_all_at', 'id']),
    ('ix_organizations_kind_next_followup_all_on_id', ['kind', 'next_followup_all_on', 'id']),
]
AGREEMENT_INDEXES = [
    ('ix_agreements_updated_at_id', ['updated_at', 'id']),
    ('ix_agreements_title_id', ['title', 'id']),
    ('ix_agreements_status_id', ['status', 'id']),
]

# The same rollups as tracker.orgs.rollups.refresh_org_rollups, for rows already there.
BACKFILL = """
UPDATE organizations SET
  last_contact_at = COALESCE((
    SELECT max(c.occurred_at) FROM conversations c
    WHERE c.organization_id = organizations.id AND c.archived_at IS NULL
      AND c.is_confidential = {false}), {no_contact}),
  next_followup_on = COALESCE((
    SELECT min(f.due_on) FROM followups f
    WHERE f.organization_id = organizations.id AND f.status = 'open'
      AND f.archived_at IS NULL
      AND NOT (f.source_type = 'conversations' AND f.source_id IN (
        SELECT c.id FROM conversations c WHERE c.is_confidential = {true}))
      AND NOT (f.source_type = 'complaints' AND f.source_id IN (
        SELECT k.id FROM complaints k WHERE k.is_confidential = {true}))), '9999-12-31'),
  last_contact_all_at = COALESCE((
    SELECT max(c.occurred_at) FROM conversations c
    WHERE c.organization_id = organizations.id AND c.archived_at IS NULL), {no_contact}),
  next_followup_all_on = COALESCE((
    SELECT min(f.due_on) FROM followups f
    WHERE f.organization_id = organizations.id AND f.status = 'open'
      AND f.archived_at IS NULL), '9999-12-31')
"""


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def upgrade():
    no_contact = ("'1900-01-01 00:00:00.000000'" if _sqlite()
                  else "'1900-01-01 00:00:00+00'")
    op.add_column('organizations', sa.Column(
        'last_contact_at', sa.DateTime(timezone=True), nullable=False,
        server_default=sa.text(no_contact)))
    op.add_column('organizations', sa.Column(
        'next_followup_on', sa.Date(), nullable=False,
        server_default=sa.text("'9999-12-31'")))
    op.add_column('organizations', sa.Column(
        'last_contact_all_at', sa.DateTime(timezone=True), nullable=False,
        server_default=sa.text(no_contact)))
    op.add_column('organizations', sa.Column(
        'next_followup_all_on', sa.Date(), nullable=False,
        server_default=sa.text("'9999-12-31'")))
    true, false = ('1', '0') if _sqlite() else ('true', 'false')
    op.execute(BACKFILL.format(true=true, false=false, no_contact=no_contact))
    op.drop_index('ix_organizations_kind_name', table_name='organizations')
    for name, cols in ORG_INDEXES:
        op.create_index(name, 'organizations', cols)
    for name, cols in AGREEMENT_INDEXES:
        op.create_index(name, 'agreements', cols)
    op.create_index('ix_conversation_users_user_id', 'conversation_users',
                    ['user_id', 'conversation_id'])
    op.create_index('ix_organization_tags_tag_id', 'organization_tags',
                    ['tag_id', 'organization_id'])


def downgrade():
    op.drop_index('ix_organization_tags_tag_id', table_name='organization_tags')
    op.drop_index('ix_conversation_users_user_id', table_name='conversation_users')
    for name, _cols in reversed(AGREEMENT_INDEXES):
        op.drop_index(name, table_name='agreements')
    for name, _cols in reversed(ORG_INDEXES):
        op.drop_index(name, table_name='organizations')
    op.create_index('ix_organizations_kind_name', 'organizations', ['kind', 'name'])
    with op.batch_alter_table('organizations') as batch:
        batch.drop_column('next_followup_all_on')
        batch.drop_column('last_contact_all_at')
        batch.drop_column('next_followup_on')
        batch.drop_column('last_contact_at')
