"""complaints: categories as managed data (English and Chinese labels) instead of free text;
indexes for the queue's "all" view and the dashboards

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 00:10:00

``complaint_categories`` was the list of words typed into the category box; it becomes the
administrators' list, each with an English (``name``) and a Chinese (``name_zh``) label,
an order, an archive mark and a history. Complaints point at one by ``category_id``.

The words in use are mapped: a word that is either label of a default category, or one of
its synonyms, goes to that category (账单错误 and "Billing error" become one); any other
word becomes a category of its own, labelled with the word in both languages, for an
administrator to relabel or merge. The search index holds a complaint's category labels,
so it is emptied: ``flask search reindex`` rebuilds it (``make run`` does when empty).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

# Frozen here (the app's list, tracker.clients.complaints.categories, may change later).
DEFAULTS = (
    ("Delivery delay", "配送延迟"), ("Damaged goods", "货物破损"), ("Lost parcel", "丢件"),
    ("Wrong item shipped", "发错货"), ("Returns and refunds", "退货退款"),
    ("Billing error", "账单错误"), ("Invoice issue", "发票问题"),
    ("System outage", "系统故障"), ("Reporting", "数据报表"), ("Cold chain", "冷链温控"),
    ("Staff conduct", "服务态度"), ("Response time", "客服响应"), ("Installation", "安装服务"),
    ("Contract terms", "合同执行"), ("Data privacy", "隐私数据"), ("Other", "其他"),
)
SYNONYMS = {
    "billing": "billing error", "delivery": "delivery delay", "late delivery": "delivery delay",
    "service attitude": "staff conduct", "送货延误": "delivery delay", "账单": "billing error",
    "outage": "system outage", "damaged": "damaged goods", "invoice": "invoice issue",
}
TRACKED = ('created_at', 'updated_at', 'archived_at', 'version', 'created_by_id',
           'updated_by_id')


def _fold(word):
    return " ".join((word or "").split()).casefold()


def _empty_search_index(conn):
    if conn.dialect.name == "postgresql":
        op.execute("TRUNCATE search_documents")
    else:
        op.execute("INSERT INTO search_grams(search_grams) VALUES ('delete-all')")
        op.execute("DELETE FROM search_documents")


def upgrade():
    conn = op.get_bind()
    with op.batch_alter_table('complaint_categories') as batch:
        batch.add_column(sa.Column('name_zh', sa.String(60), nullable=False,
                                   server_default=''))
        batch.add_column(sa.Column('position', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('created_at', sa.DateTime(timezone=True), nullable=False,
                                   server_default=sa.func.current_timestamp()))
        batch.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False,
                                   server_default=sa.func.current_timestamp()))
        batch.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                   server_default='1'))
        batch.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('updated_by_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_complaint_categories_created_by_id_users', 'users',
                                 ['created_by_id'], ['id'])
        batch.create_foreign_key('fk_complaint_categories_updated_by_id_users', 'users',
                                 ['updated_by_id'], ['id'])
    with op.batch_alter_table('complaint_categories') as batch:
        for column in ('name_zh', 'position', 'created_at', 'updated_at', 'version'):
            batch.alter_column(column, server_default=None)
    # complaints is large and has partial indexes: altered in place, never copied (SQLite
    # adds a column with its reference, and drops one, without rebuilding the table).
    if conn.dialect.name == "sqlite":
        op.execute("ALTER TABLE complaints ADD COLUMN category_id INTEGER "
                   "CONSTRAINT fk_complaints_category_id_complaint_categories "
                   "REFERENCES complaint_categories (id)")
    else:
        op.add_column('complaints', sa.Column('category_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_complaints_category_id_complaint_categories', 'complaints',
                              'complaint_categories', ['category_id'], ['id'])
    op.create_index('ix_complaints_category_id', 'complaints', ['category_id'])
    # the queue's new "all" view: every complaint in deadline order
    op.create_index('ix_complaints_due_next', 'complaints', ['due_next_at', 'id'])
    # the dashboards: complaints resolved in a week, conversations of a few weeks
    op.create_index('ix_complaints_resolved_at', 'complaints', ['resolved_at'])
    op.create_index('ix_conversations_time_org', 'conversations',
                    ['occurred_at', 'organization_id'])

    # The defaults, reusing a word row that already is one of their labels. Words that
    # differ only in case or spacing ("Billing error", "billing error") are one.
    rows = {}  # folded word -> the ids of its rows
    for row_id, name in conn.execute(sa.text(
            "SELECT id, name FROM complaint_categories ORDER BY id")):
        rows.setdefault(_fold(name), []).append(row_id)

    def delete(ids):
        for row_id in ids:
            conn.execute(sa.text("DELETE FROM complaint_categories WHERE id = :id"),
                         {"id": row_id})

    target = {}  # folded word -> category id
    for position, (name, name_zh) in enumerate(DEFAULTS, start=1):
        found = [i for label in dict.fromkeys((_fold(name), _fold(name_zh)))
                 for i in rows.pop(label, [])]
        if found:
            keep, *merged = found
            delete(merged)
            conn.execute(sa.text("UPDATE complaint_categories SET name = :name, "
                                 "name_zh = :zh, position = :pos WHERE id = :id"),
                         {"name": name, "zh": name_zh, "pos": position, "id": keep})
        else:
            keep = conn.execute(sa.text(
                "INSERT INTO complaint_categories (name, name_zh, position, created_at, "
                "updated_at, version) VALUES (:name, :zh, :pos, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, 1) RETURNING id"),
                {"name": name, "zh": name_zh, "pos": position}).scalar_one()
        target[_fold(name)] = target[_fold(name_zh)] = keep
    # Words that are no default's label: synonyms go to theirs, the rest stay as they are.
    position = len(DEFAULTS)
    for word, (row_id, *same) in rows.items():
        delete(same)
        if SYNONYMS.get(word) in target:
            delete([row_id])
            target[word] = target[SYNONYMS[word]]
        else:
            position += 1
            conn.execute(sa.text("UPDATE complaint_categories SET name_zh = name, "
                                 "position = :pos WHERE id = :id"),
                         {"pos": position, "id": row_id})
            target[word] = row_id
    for (word,) in conn.execute(sa.text(
            "SELECT DISTINCT category FROM complaints WHERE category <> ''")).all():
        key = _fold(word)
        key = SYNONYMS.get(key, key)
        if key not in target:  # a word the old list had missed
            position += 1
            target[key] = conn.execute(sa.text(
                "INSERT INTO complaint_categories (name, name_zh, position, created_at, "
                "updated_at, version) VALUES (:name, :name, :pos, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, 1) RETURNING id"),
                {"name": " ".join(word.split())[:60], "pos": position}).scalar_one()
        conn.execute(sa.text("UPDATE complaints SET category_id = :id WHERE category = :word"),
                     {"id": target[key], "word": word})
    op.execute("ALTER TABLE complaints DROP COLUMN category")
    _empty_search_index(conn)


def downgrade():
    conn = op.get_bind()
    op.add_column('complaints', sa.Column('category', sa.String(60), nullable=False,
                                          server_default=''))
    conn.execute(sa.text(
        "UPDATE complaints SET category = (SELECT CASE WHEN c.name_zh <> '' "
        "THEN c.name_zh ELSE c.name END FROM complaint_categories c "
        "WHERE c.id = complaints.category_id) WHERE category_id IS NOT NULL"))
    op.drop_index('ix_conversations_time_org', table_name='conversations')
    op.drop_index('ix_complaints_resolved_at', table_name='complaints')
    op.drop_index('ix_complaints_due_next', table_name='complaints')
    op.drop_index('ix_complaints_category_id', table_name='complaints')
    if conn.dialect.name == "postgresql":
        op.drop_constraint('fk_complaints_category_id_complaint_categories', 'complaints',
                           type_='foreignkey')
    if conn.dialect.name == "postgresql":
        op.drop_column("complaints", "category_id")
    else:  # a column with a reference is dropped by copying the table
        with op.batch_alter_table("complaints") as batch:
            batch.drop_column("category_id")
    with op.batch_alter_table('complaint_categories') as batch:
        batch.drop_constraint('fk_complaint_categories_created_by_id_users',
                              type_='foreignkey')
        batch.drop_constraint('fk_complaint_categories_updated_by_id_users',
                              type_='foreignkey')
        for column in ('name_zh', 'position', *TRACKED):
            batch.drop_column(column)
    # The old list was the words in use.
    conn.execute(sa.text("DELETE FROM complaint_categories"))
    conn.execute(sa.text("INSERT INTO complaint_categories (name) SELECT DISTINCT category "
                         "FROM complaints WHERE category <> ''"))
    _empty_search_index(conn)
