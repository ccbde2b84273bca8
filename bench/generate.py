"""Realistic volume for the benchmark: thousands of bilingual organizations, fast.

Organizations, contacts, tags, their links and team memberships go in as core-style bulk
inserts (``db.session.execute(sa.insert(Model), rows)``); only the few roles and users go
through the ORM. Bulk inserts bypass the session's flush hooks, so these rows carry no audit
events and no ``*_by`` stamps from ``tracker.audit``: fine for benchmark data, never for
real data.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import generate_password_hash

from tracker.admin.services import seed_default_roles
from tracker.demo import (
    FIRST_NAMES,
    GIVEN_NAMES,
    LAST_NAMES,
    MOBILE_PREFIXES,
    SURNAMES,
    TITLES,
)
from tracker.extensions import db
from tracker.models import (
    Contact,
    Organization,
    OrgKind,
    OrgStatus,
    Role,
    Tag,
    Team,
    TeamMembership,
    User,
    organization_tags,
)

PASSWORD = "bench-password"
ADMIN_EMAIL = "admin@bench.example"
MEMBER_EMAIL = "member@bench.example"
HISTORY_DAYS = 730
CONTACTS_PER_ORG = 2
CHINESE_SHARE = 0.65
CLIENT_SHARE = 0.55
NO_TEAM_SHARE = 0.04
ARCHIVED_SHARE = 0.03

CITIES = ("上海", "北京", "深圳", "杭州", "广州", "苏州", "南京", "成都", "武汉", "重庆",
          "天津", "西安", "宁波", "厦门", "青岛", "合肥", "长沙", "郑州", "无锡", "佛山")
# Brand stems with their pinyin (English names reuse the pinyin, as Chinese firms abroad do).
BRANDS = (("云途", "yuntu"), ("星河", "xinghe"), ("青禾", "qinghe"), ("数联", "shulian"),
          ("顺达", "shunda"), ("恒信", "hengxin"), ("蓝鲸", "lanjing"), ("金桥", "jinqiao"),
          ("长江", "changjiang"), ("海鸥", "haiou"), ("港联", "ganglian"), ("易签", "yiqian"),
          ("智联", "zhilian"), ("云帆", "yunfan"), ("安盾", "andun"), ("渤海", "bohai"),
          ("宏图", "hongtu"), ("优选", "youxuan"), ("望京", "wangjing"), ("旺达", "wangda"),
          ("悦家", "yuejia"), ("木子", "muzi"), ("拓新", "tuoxin"), ("花城", "huacheng"),
          ("博雅", "boya"), ("紫金", "zijin"), ("晨光", "chenguang"), ("天府", "tianfu"),
          ("楚天", "chutian"), ("丝路", "silu"), ("海韵", "haiyun"), ("鹭岛", "ludao"),
          ("甬信", "yongxin"), ("太湖", "taihu"), ("湘味", "xiangwei"), ("申美", "shenmei"),
          ("前海", "qianhai"), ("西湖", "xihu"), ("燕园", "yanyuan"), ("兴旺", "xingwang"))
ENGLISH_BRANDS = ("Northwind", "Blue Harbor", "Summit", "Redwood", "Meridian", "Lighthouse",
                  "Greenfield", "Atlas", "Brightline", "Oakridge", "Silverleaf", "Pacific Rim",
                  "Cedar Lane", "Vantage", "Kestrel", "Evergreen", "Harbor & Pine", "Granite")
# Chinese word in the name, English word in the name, the industry column.
INDUSTRIES = (
    ("物流", "Logistics", "物流 Logistics"),
    ("科技", "Technology", "科技 Technology"),
    ("供应链", "Supply Chain", "供应链 Supply Chain"),
    ("支付", "Payments", "支付 Payments"),
    ("电商", "E-commerce", "电商 E-commerce"),
    ("餐饮", "Food Service", "餐饮 Food & Beverage"),
    ("医药", "Pharma", "医药 Pharma"),
    ("教育", "Education", "教育 Education"),
    ("服饰", "Apparel", "服装 Apparel"),
    ("食品", "Foods", "食品 Food"),
    ("数据", "Analytics", "数据服务 Data"),
    ("信息技术", "IT Services", "系统集成 IT Services"),
    ("家居", "Home", "家居 Home Furnishing"),
    ("文旅", "Travel", "文旅 Travel"),
    ("新能源", "Energy", "新能源 New Energy"),
    ("人力资源", "HR Services", "人力资源 HR Services"),
)
ZH_SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司")
EN_SUFFIXES = ("Ltd", "Inc.", "Co.", "Group", "Partners", "Holdings")
NOTES = {
    "zh": ("年度框架协议谈判中，对方希望降低服务费。", "已完成系统对接联调，数据每日自动同步。",
           "客户对上月配送时效不满意，已提交改进计划。", "续约谈判中，客户要求增加专属客服。",
           "付款一向及时，属于优质客户。", "因对方内部架构调整，合作暂缓。", ""),
    "en": ("Renewal due next quarter; asked for a dedicated contact.",
           "API integration live; about 1,200 orders a day go through it.",
           "Two SLA breaches last quarter; remediation plan received.",
           "Always pays on time.", "Budget frozen until next quarter.", ""),
}
# Tag name and how often it is drawn (relative weight).
TAGS = (("VIP", 8), ("重点客户", 10), ("华东", 18), ("华南", 12), ("华北", 10), ("西南", 6),
        ("华中", 6), ("续约中", 8), ("新签", 7), ("战略合作", 6), ("Key account", 5),
        ("Renewal", 5), ("At risk", 3), ("跨境", 4), ("Pilot", 3), ("长期合作", 6),
        ("Enterprise", 4), ("SMB", 4))
TAG_COUNT_WEIGHTS = ((0, 25), (1, 40), (2, 25), (3, 10))
STATUSES = (OrgStatus.ACTIVE, OrgStatus.PROSPECT, OrgStatus.ON_HOLD, OrgStatus.INACTIVE)
STATUS_WEIGHTS = (70, 13, 10, 7)
TEAM_NAMES = (("华东运营", "East China Ops"), ("华南运营", "South China Ops"),
              ("华北运营", "North China Ops"), ("合作伙伴拓展", "Partner Development"),
              ("客户成功", "Client Success"), ("客诉处理", "Complaint Desk"),
              ("运营数据", "Ops Analytics"), ("跨境业务", "Cross-border"))


@dataclass
class Generated:
    """What ``generate`` added, and who the benchmark signs in as."""

    counts: dict[str, int] = field(default_factory=dict)
    admin_email: str = ADMIN_EMAIL
    member_email: str = MEMBER_EMAIL


def generate(n_orgs: int, n_users: int, n_teams: int, seed: int = 7) -> Generated:
    """Add ``n_orgs`` organizations (two contacts each), users, teams and tags; commit.

    Meant for an empty, migrated database. Every team gets about the same share of the
    organizations, each owned by a member of its team (a few have no team), so a
    team member sees about ``1 / n_teams`` of them.
    """
    if n_users < 3 + n_teams:
        raise ValueError("need at least 3 + n_teams users (admin, manager, auditor, teams)")
    rng = random.Random(seed)
    now = datetime.now(UTC)
    team_ids = _teams(n_teams, now)
    users, members = _users(n_users, team_ids, now, rng)
    tag_ids = _tags()
    org_ids, kinds, langs = _organizations(n_orgs, team_ids, members, users, now, rng)
    n_contacts = _contacts(org_ids, kinds, langs, now, rng)
    n_links = _tag_links(org_ids, tag_ids, rng)
    db.session.commit()
    counts = {"users": len(users), "teams": len(team_ids), "organizations": len(org_ids),
              "partners": kinds.count(OrgKind.PARTNER.value),
              "clients": kinds.count(OrgKind.CLIENT.value), "contacts": n_contacts,
              "tags": len(tag_ids), "organization_tags": n_links}
    return Generated(counts=counts)


def _insert_returning_ids(model: type[Any], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Bulk insert ``rows`` and return their new ids in the order given."""
    stmt = sa.insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(stmt, rows))


def _stamps(now: datetime, rng: random.Random) -> tuple[datetime, datetime]:
    created = now - timedelta(days=rng.uniform(1, HISTORY_DAYS))
    return created, created + (now - created) * rng.random()


def _teams(n_teams: int, now: datetime) -> list[int]:
    rows = []
    for i in range(n_teams):
        zh, en = TEAM_NAMES[i % len(TEAM_NAMES)]
        number = f" {i // len(TEAM_NAMES) + 1}" if i >= len(TEAM_NAMES) else ""
        created = now - timedelta(days=HISTORY_DAYS + 30)
        rows.append({"name": f"{zh}组{number} {en}{number}", "description": "",
                     "created_at": created, "updated_at": created, "version": 1})
    return _insert_returning_ids(Team, rows)


def _person(lang: str, rng: random.Random) -> tuple[str, str]:
    """A name and the local part of an email address (pinyin for Chinese names)."""
    if lang == "zh":
        (surname, s_py), (given, g_py) = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
        return surname + given, f"{s_py}.{g_py}"
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return f"{first} {last}", f"{first}.{last}".lower()


def _users(n_users: int, team_ids: list[int], now: datetime,
           rng: random.Random) -> tuple[list[int], dict[int, list[int]]]:
    """Admin, manager, auditor, then everybody else in one team each (the first as lead).

    Roles and users go through the ORM (a handful of rows), all sharing one password hash as
    the demo does; the memberships are bulk-inserted. Returns user ids and members per team.
    """
    seed_default_roles()
    db.session.flush()
    roles = {r.name: r for r in db.session.scalars(sa.select(Role))}
    password_hash = generate_password_hash(
        PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"])
    people: list[tuple[User, int | None, bool]] = []
    fixed = (("admin", ADMIN_EMAIL), ("manager", "manager@bench.example"),
             ("auditor", "auditor@bench.example"))
    member_seen = False
    for i in range(n_users):
        name, _local = _person("zh" if rng.random() < CHINESE_SHARE else "en", rng)
        if i < len(fixed):
            role_name, email, team_id, lead = *fixed[i], None, False
        else:
            slot = i - len(fixed)
            team_id, lead = team_ids[slot % len(team_ids)], slot < len(team_ids)
            if lead:
                role_name = "partner_manager" if slot % 2 == 0 else "account_manager"
                email = f"lead{slot + 1}@bench.example"
            else:
                role_name = "team_member"
                email = MEMBER_EMAIL if not member_seen else f"user{i + 1}@bench.example"
                member_seen = True
        user = User(email=email, name=name, password_hash=password_hash,
                    must_change_password=False, created_at=now - timedelta(days=HISTORY_DAYS),
                    updated_at=now - timedelta(days=HISTORY_DAYS))
        user.roles = [roles[role_name]]
        people.append((user, team_id, lead))
    db.session.add_all([user for user, _team, _lead in people])
    db.session.flush()
    members: dict[int, list[int]] = {team_id: [] for team_id in team_ids}
    rows = []
    for user, team_id, lead in people:
        if team_id is not None:
            members[team_id].append(user.id)
            rows.append({"team_id": team_id, "user_id": user.id, "is_lead": lead,
                         "joined_at": now - timedelta(days=HISTORY_DAYS)})
    db.session.execute(sa.insert(TeamMembership), rows)
    return [user.id for user, _team, _lead in people], members


def _tags() -> list[int]:
    return _insert_returning_ids(Tag, [{"name": name} for name, _weight in TAGS])


def _org_name(lang: str, rng: random.Random) -> tuple[str, str, str]:
    """Name, website and industry of one organization."""
    zh_word, en_word, industry = rng.choice(INDUSTRIES)
    brand, pinyin = rng.choice(BRANDS)
    slug = en_word.lower().replace(" ", "-")
    if lang == "zh":
        name = f"{rng.choice(CITIES)}{brand}{zh_word}{rng.choice(ZH_SUFFIXES)}"
        return name, f"https://www.{pinyin}-{slug}.cn", industry
    stem = pinyin.title() if rng.random() < 0.5 else rng.choice(ENGLISH_BRANDS)
    name = f"{stem} {en_word} {rng.choice(EN_SUFFIXES)}"
    return name, f"https://www.{stem.lower().replace(' ', '')}-{slug}.com", industry


def _organizations(n_orgs: int, team_ids: list[int], members: dict[int, list[int]],
                   users: list[int], now: datetime,
                   rng: random.Random) -> tuple[list[int], list[str], list[str]]:
    rows, kinds, langs = [], [], []
    for _ in range(n_orgs):
        kind = OrgKind.CLIENT.value if rng.random() < CLIENT_SHARE else OrgKind.PARTNER.value
        lang = "zh" if rng.random() < CHINESE_SHARE else "en"
        name, website, industry = _org_name(lang, rng)
        if rng.random() < NO_TEAM_SHARE:
            team_id, owner_id = None, rng.choice([*users[:2], None])
        else:
            team_id = rng.choice(team_ids)
            owner_id = rng.choice(members[team_id]) if rng.random() < 0.9 else None
        created, updated = _stamps(now, rng)
        archived = rng.random() < ARCHIVED_SHARE
        status = (OrgStatus.INACTIVE if archived
                  else rng.choices(STATUSES, STATUS_WEIGHTS)[0]).value
        rows.append({"kind": kind, "name": name, "status": status, "industry": industry,
                     "website": website, "notes": rng.choice(NOTES[lang]),
                     "owner_id": owner_id, "team_id": team_id, "created_at": created,
                     "updated_at": updated, "archived_at": updated if archived else None,
                     "created_by_id": owner_id, "updated_by_id": owner_id, "version": 1})
        kinds.append(kind)
        langs.append(lang)
    return _insert_returning_ids(Organization, rows), kinds, langs


def _contacts(org_ids: list[int], kinds: list[str], langs: list[str], now: datetime,
              rng: random.Random) -> int:
    rows = []
    for org_id, kind, lang in zip(org_ids, kinds, langs, strict=True):
        titles = rng.sample(TITLES[lang, kind], CONTACTS_PER_ORG)
        for title in titles:
            name, local = _person(lang, rng)
            prefix = rng.choice(MOBILE_PREFIXES)
            created, updated = _stamps(now, rng)
            rows.append({"organization_id": org_id, "name": name, "title": title,
                         "email": f"{local}{rng.randint(1, 99)}@org{org_id}.example",
                         "phone": f"+86 {prefix} {rng.randint(0, 9999):04d} "
                                  f"{rng.randint(0, 9999):04d}",
                         "notes": "", "created_at": created, "updated_at": updated,
                         "version": 1})
    db.session.execute(sa.insert(Contact), rows)
    return len(rows)


def _tag_links(org_ids: list[int], tag_ids: list[int], rng: random.Random) -> int:
    weights = [weight for _name, weight in TAGS]
    counts = [count for count, _weight in TAG_COUNT_WEIGHTS]
    count_weights = [weight for _count, weight in TAG_COUNT_WEIGHTS]
    rows = []
    for org_id in org_ids:
        wanted = rng.choices(counts, count_weights)[0]
        chosen = set(rng.choices(tag_ids, weights, k=wanted))
        rows.extend({"organization_id": org_id, "tag_id": tag_id} for tag_id in sorted(chosen))
    if rows:
        db.session.execute(sa.insert(organization_tags), rows)
    return len(rows)
