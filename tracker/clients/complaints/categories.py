"""Complaint categories: the administrators' list, and finding one from a word.

A category has an English and a Chinese label; complaints point at it by id. Words typed
elsewhere (demo data, imported ledgers, old free-text values) are matched to a category by
either label, ignoring case and surrounding space, and by the synonyms both languages use
for the same thing (``SYNONYMS``), so 账单错误 and "Billing error" are one category.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from tracker.extensions import db
from tracker.jobs import handler, later
from tracker.models import Complaint, ComplaintCategory
from tracker.records import ensure_current

# The categories a new installation starts with (English, Chinese), in the order offered.
DEFAULTS: tuple[tuple[str, str], ...] = (
    ("Delivery delay", "配送延迟"),
    ("Damaged goods", "货物破损"),
    ("Lost parcel", "丢件"),
    ("Wrong item shipped", "发错货"),
    ("Returns and refunds", "退货退款"),
    ("Billing error", "账单错误"),
    ("Invoice issue", "发票问题"),
    ("System outage", "系统故障"),
    ("Reporting", "数据报表"),
    ("Cold chain", "冷链温控"),
    ("Staff conduct", "服务态度"),
    ("Response time", "客服响应"),
    ("Installation", "安装服务"),
    ("Contract terms", "合同执行"),
    ("Data privacy", "隐私数据"),
    ("Other", "其他"),
)

# Other words people used for a default category (folded: lower case, no outer space).
SYNONYMS: dict[str, str] = {
    "billing": "Billing error", "delivery": "Delivery delay", "late delivery": "Delivery delay",
    "service attitude": "Staff conduct", "送货延误": "Delivery delay", "账单": "Billing error",
    "outage": "System outage", "damaged": "Damaged goods", "invoice": "Invoice issue",
}


def fold(word: str) -> str:
    return " ".join((word or "").split()).casefold()


def find(word: str) -> ComplaintCategory | None:
    """The category a typed word stands for (either label or a synonym), archived ones too."""
    key = fold(word)
    if not key:
        return None
    keys = [fold(SYNONYMS[key]), key] if key in SYNONYMS else [key]
    found = {fold(c.name): c for c in db.session.scalars(sa.select(ComplaintCategory).where(
        sa.or_(sa.func.lower(ComplaintCategory.name).in_(keys),
               ComplaintCategory.name_zh.in_(keys)))
        .order_by(ComplaintCategory.archived_at.is_(None), ComplaintCategory.id.desc()))}
    for c in list(found.values()):
        found.setdefault(fold(c.name_zh), c)
    return next((found[k] for k in keys if k in found), None)


def find_or_add(word: str) -> ComplaintCategory | None:
    """``find``, else a new category labelled with the word in both languages (for data
    that arrives with words of its own: the demo, tests)."""
    if not fold(word):
        return None
    found = find(word)
    if found is None:
        found = ComplaintCategory(name=" ".join(word.split()), name_zh=" ".join(word.split()),
                                  position=_next_position())
        db.session.add(found)
        db.session.flush()
    return found


def _next_position() -> int:
    return (db.session.scalar(sa.select(sa.func.max(ComplaintCategory.position))) or 0) + 1


def ensure_defaults() -> int:
    """Add the default categories that are missing (by English label); returns how many."""
    have = {fold(n) for n in db.session.scalars(sa.select(ComplaintCategory.name))}
    added = 0
    for position, (name, name_zh) in enumerate(DEFAULTS, start=1):
        if fold(name) not in have:
            db.session.add(ComplaintCategory(name=name, name_zh=name_zh, position=position))
            added += 1
    db.session.flush()
    return added


def ordered(include_archived: bool = False) -> list[ComplaintCategory]:
    stmt = sa.select(ComplaintCategory).order_by(ComplaintCategory.position,
                                                 ComplaintCategory.id)
    if not include_archived:
        stmt = stmt.where(ComplaintCategory.archived_at.is_(None))
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class CategoryInput:
    name: str
    name_zh: str
    position: int = 0


class DuplicateLabel(ValueError):
    """Another category already has this label (``field``: "name" or "name_zh")."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def save_category(category: ComplaintCategory | None, data: CategoryInput, *,
                  version: int | str | None = None) -> ComplaintCategory:
    """Create or relabel a category; a new label refiles its complaints' search entries."""
    name, name_zh = " ".join(data.name.split()), " ".join(data.name_zh.split())
    other = ComplaintCategory.id != (category.id if category else -1)
    for field, clash in (("name", sa.func.lower(ComplaintCategory.name) == name.casefold()),
                         ("name_zh", ComplaintCategory.name_zh == name_zh)):
        if db.session.scalar(sa.select(ComplaintCategory.id).where(clash, other).limit(1)):
            raise DuplicateLabel(field)
    if category is None:
        category = ComplaintCategory(position=data.position or _next_position())
        db.session.add(category)
    else:
        ensure_current(category, version)
        if (category.name, category.name_zh) != (name, name_zh):
            later("search.refile_category", category_id=category.id)
    category.name, category.name_zh = name, name_zh
    if data.position:
        category.position = data.position
    return category


REFILE_BATCH = 2000


@handler("search.refile_category")
def refile_category(category_id: int) -> None:
    """Rewrite the search entries of a category's complaints (their text holds its labels),
    in batches, committed with the job's "done" mark."""
    from tracker.search.index import rewrite

    last = 0
    while True:
        ids = list(db.session.scalars(
            sa.select(Complaint.id).where(Complaint.category_id == category_id,
                                          Complaint.id > last)
            .order_by(Complaint.id).limit(REFILE_BATCH)))
        if not ids:
            break
        rewrite(db.session.connection(), "complaints", ids)
        last = ids[-1]


MERGE_BATCH = 500


def merge_category(source: ComplaintCategory, target: ComplaintCategory, actor_id: int) -> None:
    """Move every complaint of ``source`` to ``target`` and archive ``source``, as a job:
    each complaint's history says who moved it (a category has thousands at volume)."""
    if source.id == target.id:
        raise ValueError("a category cannot be merged into itself")
    archive_category = source.archived_at is None
    if archive_category:
        from tracker.records import archive

        archive(source)  # no longer offered while its complaints move
    later("categories.merge", source_id=source.id, target_id=target.id, actor_id=actor_id)


@handler("categories.merge")
def _merge(source_id: int, target_id: int, actor_id: int) -> None:
    from tracker.audit import set_actor

    set_actor(db.session, actor_id)
    try:
        while True:
            batch = list(db.session.scalars(sa.select(Complaint).where(
                Complaint.category_id == source_id).order_by(Complaint.id)
                .limit(MERGE_BATCH)))
            if not batch:
                break
            for complaint in batch:
                complaint.category_id = target_id
            db.session.flush()  # each one's history entry, and its search entry refiled
    finally:
        set_actor(db.session, None)
