"""Bilingual demo data: users for every role, teams, partners, clients and their contacts.

The partner story (stages, negotiation rounds, agreements, next steps) is in demo_partners.
"""

# Chinese text uses full-width punctuation on purpose; it is not a confusable typo.

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import generate_password_hash

from tracker.access.defaults import DEFAULT_ROLES
from tracker.admin.services import seed_default_roles
from tracker.demo_clients import add_client_story
from tracker.demo_partners import add_partner_story
from tracker.demo_teams import add_team_story
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
)

SEED = 2026
DEMO_PASSWORD = "tracker-demo"
HISTORY_DAYS = 120

# One sign-in per default role: email, name, role, locale, timezone.
ROLE_USERS = (
    ("admin@example.com", "王磊", "admin", "zh", "Asia/Shanghai"),
    ("manager@example.com", "李娜", "manager", "zh", "Asia/Shanghai"),
    ("partners@example.com", "陈静", "partner_manager", "zh", "Asia/Shanghai"),
    ("accounts@example.com", "Emily Carter", "account_manager", "en", "Asia/Shanghai"),
    ("support@example.com", "刘洋", "support_agent", "zh", "Asia/Shanghai"),
    ("member@example.com", "Tom Harris", "team_member", "en", "Europe/London"),
    ("auditor@example.com", "Sarah Mitchell", "auditor", "en", "America/New_York"),
)

# Ordinary colleagues (team_member role): email, name, locale, timezone.
COLLEAGUES = (
    ("li.wei@example.com", "李伟", "zh", "Asia/Shanghai"),
    ("zhou.min@example.com", "周敏", "zh", "Asia/Shanghai"),
    ("zhao.qiang@example.com", "赵强", "zh", "Asia/Shanghai"),
    ("huang.ting@example.com", "黄婷", "zh", "Asia/Shanghai"),
    ("sun.hao@example.com", "孙浩", "zh", "Asia/Shanghai"),
    ("james.wong@example.com", "James Wong", "en", "Asia/Shanghai"),
    ("olivia.chen@example.com", "Olivia Chen", "en", "Asia/Shanghai"),
    ("lucas.martin@example.com", "Lucas Martin", "en", "Europe/London"),
)

# key, name, description, lead email, member emails.
TEAMS = (
    ("partner_dev", "合作伙伴拓展组 Partner Development",
     "负责渠道与服务商的引入、谈判和续约。Sources, negotiates and renews partners.",
     "partners@example.com",
     ("member@example.com", "li.wei@example.com", "james.wong@example.com",
      "zhou.min@example.com")),
    ("client_success", "客户成功组 Client Success",
     "维护客户关系，跟进续约与满意度。Owns client relationships, renewals and satisfaction.",
     "accounts@example.com",
     ("huang.ting@example.com", "olivia.chen@example.com", "sun.hao@example.com")),
    ("complaints", "客诉处理组 Complaint Desk",
     "受理并跟踪客户投诉，直至关闭。Takes in client complaints and sees each one closed.",
     "support@example.com",
     ("zhao.qiang@example.com", "lucas.martin@example.com", "huang.ting@example.com")),
    ("analytics", "运营数据组 Ops Analytics",
     "周报、月报与服务指标分析。Weekly and monthly reporting, service-level analysis.",
     "sun.hao@example.com",
     ("zhou.min@example.com", "lucas.martin@example.com")),
    ("east", "华东区域运营 East China Ops",
     "上海、江苏、浙江、安徽区域的日常运营。Day-to-day operations for Shanghai, Jiangsu, "
     "Zhejiang and Anhui.",
     "manager@example.com",
     ("member@example.com", "li.wei@example.com", "zhao.qiang@example.com")),
)

REGION_TAGS = ("华东", "华南", "华北", "西南")
TAG_NAMES = ("VIP", "重点客户", *REGION_TAGS, "续约中", "新签", "战略合作")

# Who owns what: (team key, owner emails, weighted by repetition).
PARTNER_OWNERS = ("partners@example.com",) * 3 + (
    "member@example.com", "li.wei@example.com", "james.wong@example.com",
    "zhou.min@example.com")
CLIENT_OWNERS = ("accounts@example.com",) * 3 + (
    "huang.ting@example.com", "olivia.chen@example.com", "sun.hao@example.com")
EAST_OWNERS = ("member@example.com", "member@example.com", "li.wei@example.com",
               "zhao.qiang@example.com")

# name, domain, industry, area (a Chinese region, or UK/US for companies abroad).
OrgRow = tuple[str, str, str, str]
PARTNERS: tuple[OrgRow, ...] = (
    ("上海云途物流有限公司", "yuntu-logistics.cn", "物流 Logistics", "华东"),
    ("深圳星河支付科技有限公司", "xinghepay.com", "支付 Payments", "华南"),
    ("杭州青禾供应链管理有限公司", "qinghe-scm.cn", "供应链 Supply Chain", "华东"),
    ("北京数联云计算有限公司", "shulian-cloud.com", "云服务 Cloud", "华北"),
    ("广州顺达快运有限公司", "shunda-express.cn", "物流 Logistics", "华南"),
    ("苏州恒信仓储服务有限公司", "hengxin-wms.cn", "仓储 Warehousing", "华东"),
    ("成都蓝鲸数据科技有限公司", "lanjing-data.com", "数据服务 Data", "西南"),
    ("南京金桥信息技术有限公司", "jinqiao-it.cn", "系统集成 IT Services", "华东"),
    ("武汉长江冷链物流有限公司", "cj-coldchain.cn", "冷链 Cold Chain", "华中"),
    ("厦门海鸥跨境电商服务有限公司", "haiou-crossborder.com", "跨境电商 Cross-border", "华南"),
    ("宁波港联国际货运代理有限公司", "ganglian-forwarding.cn", "货代 Freight Forwarding", "华东"),
    ("上海易签电子合同科技有限公司", "yiqian-esign.com", "SaaS", "华东"),
    ("深圳智联客服外包有限公司", "zhilian-bpo.cn", "客服外包 BPO", "华南"),
    ("杭州云帆短信科技有限公司", "yunfan-sms.com", "通信 Messaging", "华东"),
    ("北京安盾信息安全有限公司", "andun-sec.cn", "信息安全 Security", "华北"),
    ("天津渤海保险经纪有限公司", "bohai-insurance.cn", "保险 Insurance", "华北"),
    ("合肥智造包装材料有限公司", "zhizao-pack.cn", "包装 Packaging", "华东"),
    ("东莞宏图印务有限公司", "hongtu-print.cn", "印刷 Printing", "华南"),
    ("重庆山城同城配送有限公司", "shancheng-delivery.cn", "同城配送 Last-mile", "西南"),
    ("上海优选人力资源有限公司", "youxuan-hr.com", "人力资源 HR Services", "华东"),
    ("Northwind Logistics", "northwind-logistics.com", "物流 Logistics", "UK"),
    ("Blue Harbor Payments Ltd", "blueharborpay.com", "支付 Payments", "UK"),
    ("Summit Cloud Services", "summitcloud.com", "云服务 Cloud", "US"),
    ("Redwood Analytics Inc.", "redwood-analytics.com", "数据服务 Data", "US"),
    ("Meridian Freight Partners", "meridianfreight.com", "货代 Freight Forwarding", "华东"),
    ("Lighthouse CX Solutions", "lighthousecx.com", "客服外包 BPO", "UK"),
)

CLIENTS: tuple[OrgRow, ...] = (
    ("上海悦家连锁超市有限公司", "yuejia-mart.cn", "零售 Retail", "华东"),
    ("杭州木子电商有限公司", "muzi-ecom.com", "电商 E-commerce", "华东"),
    ("深圳拓新电子有限公司", "tuoxin-elec.cn", "制造 Manufacturing", "华南"),
    ("广州花城餐饮管理有限公司", "huacheng-food.cn", "餐饮 Food & Beverage", "华南"),
    ("北京博雅教育科技有限公司", "boya-edu.com", "教育 Education", "华北"),
    ("南京紫金医药连锁有限公司", "zijin-pharmacy.cn", "医药 Pharma", "华东"),
    ("苏州晨光母婴用品有限公司", "chenguang-baby.cn", "零售 Retail", "华东"),
    ("成都天府茶饮有限公司", "tianfu-tea.cn", "餐饮 Food & Beverage", "西南"),
    ("武汉楚天家电销售有限公司", "chutian-appliance.cn", "家电 Appliances", "华中"),
    ("西安丝路文旅发展有限公司", "silu-travel.com", "文旅 Travel", "西北"),
    ("青岛海韵食品有限公司", "haiyun-foods.cn", "食品 Food", "华东"),
    ("厦门鹭岛服饰有限公司", "ludao-apparel.cn", "服装 Apparel", "华南"),
    ("宁波甬信家居有限公司", "yongxin-home.cn", "家居 Home Furnishing", "华东"),
    ("无锡太湖新能源科技有限公司", "taihu-energy.com", "新能源 New Energy", "华东"),
    ("长沙湘味食品有限公司", "xiangwei-food.cn", "食品 Food", "华中"),
    ("郑州中原商贸城有限公司", "zhongyuan-mall.cn", "零售 Retail", "华中"),
    ("上海申美化妆品有限公司", "shenmei-beauty.com", "美妆 Beauty", "华东"),
    ("深圳前海跨境贸易有限公司", "qianhai-trade.cn", "跨境电商 Cross-border", "华南"),
    ("杭州西湖数码科技有限公司", "xihu-digital.com", "SaaS", "华东"),
    ("北京燕园健康管理有限公司", "yanyuan-health.cn", "医疗健康 Healthcare", "华北"),
    ("佛山南海五金制品有限公司", "nanhai-hardware.cn", "制造 Manufacturing", "华南"),
    ("昆明云岭鲜花供应链有限公司", "yunling-flowers.cn", "供应链 Supply Chain", "西南"),
    ("上海外滩精品酒店管理有限公司", "bund-boutique-hotels.com", "酒店 Hospitality", "华东"),
    ("广州白云汽配有限公司", "baiyun-autoparts.cn", "汽配 Auto Parts", "华南"),
    ("天津港湾进出口贸易有限公司", "gangwan-trade.cn", "贸易 Trading", "华北"),
    ("嘉兴禾木纺织有限公司", "hemu-textile.cn", "纺织 Textiles", "华东"),
    ("温州瓯江鞋业有限公司", "oujiang-shoes.cn", "服装 Apparel", "华东"),
    ("合肥徽商连锁便利店有限公司", "huishang-cvs.cn", "零售 Retail", "华东"),
    ("福州闽江茶业有限公司", "minjiang-tea.cn", "食品 Food", "华东"),
    ("南昌赣鄱农产品有限公司", "ganpo-agri.cn", "农产品 Agriculture", "华中"),
    ("大连海之星水产有限公司", "haizhixing-seafood.cn", "食品 Food", "东北"),
    ("沈阳北方重工配件有限公司", "beifang-parts.cn", "制造 Manufacturing", "东北"),
    ("济南泉城物业服务有限公司", "quancheng-pm.cn", "物业 Property Services", "华东"),
    ("上海启明星少儿教育有限公司", "qimingxing-kids.com", "教育 Education", "华东"),
    ("深圳极光智能硬件有限公司", "jiguang-iot.com", "智能硬件 Smart Devices", "华南"),
    ("杭州九溪健身俱乐部有限公司", "jiuxi-fitness.cn", "健身 Fitness", "华东"),
    ("苏州园林文创有限公司", "yuanlin-creative.cn", "文创 Creative Goods", "华东"),
    ("成都熊猫出行科技有限公司", "xiongmao-mobility.com", "出行 Mobility", "西南"),
    ("重庆火锅世家餐饮有限公司", "huoguoshijia.cn", "餐饮 Food & Beverage", "西南"),
    ("广州羊城宠物用品有限公司", "yangcheng-pets.cn", "零售 Retail", "华南"),
    ("北京智汇人力科技有限公司", "zhihui-hr.com", "SaaS", "华北"),
    ("上海浦江生鲜电商有限公司", "pujiang-fresh.com", "电商 E-commerce", "华东"),
    ("南通江海家纺有限公司", "jianghai-home.cn", "纺织 Textiles", "华东"),
    ("常州龙城汽车服务有限公司", "longcheng-auto.cn", "汽车服务 Auto Services", "华东"),
    ("东莞松湖电子科技有限公司", "songhu-tech.cn", "制造 Manufacturing", "华南"),
    ("珠海横琴文旅有限公司", "hengqin-travel.cn", "文旅 Travel", "华南"),
    ("海口椰风食品有限公司", "yefeng-foods.cn", "食品 Food", "华南"),
    ("贵阳数谷产业服务有限公司", "shugu-services.cn", "数据服务 Data", "西南"),
    ("义乌小商品供应链有限公司", "yiwu-smallgoods.com", "供应链 Supply Chain", "华东"),
    ("绍兴黄酒文化有限公司", "shaoxing-wine.cn", "食品 Food", "华东"),
    ("上海蓝海保险代理有限公司", "lanhai-insurance.cn", "保险 Insurance", "华东"),
    ("Greenfield Retail Group", "greenfieldretail.com", "零售 Retail", "UK"),
    ("Atlas Home Furnishings", "atlashome.com", "家居 Home Furnishing", "US"),
    ("Brightline Education Ltd", "brightline-edu.com", "教育 Education", "UK"),
    ("Oakridge Medical Supplies", "oakridgemedical.com", "医药 Pharma", "US"),
    ("Harbor & Pine Coffee Co.", "harborpine.com", "餐饮 Food & Beverage", "华东"),
    ("Silverleaf Cosmetics", "silverleafbeauty.com", "美妆 Beauty", "UK"),
    ("Pacific Rim Electronics", "pacificrim-electronics.com", "制造 Manufacturing", "US"),
    ("Cedar Lane Apparel", "cedarlane.com", "服装 Apparel", "UK"),
    ("Vantage Travel Group", "vantagetravel.com", "文旅 Travel", "US"),
    ("Kestrel Fitness Clubs", "kestrelfitness.com", "健身 Fitness", "华东"),
    ("Evergreen Organic Foods", "evergreen-organic.com", "食品 Food", "US"),
)

# Relationships that ended: inactive and archived, so the archive filter has something.
ARCHIVED = frozenset({"东莞宏图印务有限公司", "沈阳北方重工配件有限公司", "Cedar Lane Apparel"})

STATUSES = (OrgStatus.ACTIVE, OrgStatus.PROSPECT, OrgStatus.ON_HOLD, OrgStatus.INACTIVE)
STATUS_WEIGHTS = (70, 13, 10, 7)

# Opening sentence of an organization's notes, by language and by status (kind if active).
NOTES: dict[tuple[str, str], tuple[str, ...]] = {
    ("zh", "partner"): (
        "年度框架协议谈判中，对方希望降低服务费 5%。",
        "已完成系统对接联调，数据每日自动同步。",
        "服务质量稳定，上季度 SLA 达成率 98.6%。",
        "对方新换了商务负责人，需要重新梳理合作范围。",
        "结算周期由月结改为双周结，财务已确认。",
        "旺季资源紧张，对方承诺 11 月起增派专人支持。",
        "新合作模式先在华东区域试点三个月。",
        "合同将于下季度到期，对方有意续签三年。",
        "上月出现两次接口超时，对方已提交整改报告。",
        "对方提出联合营销方案，需市场部评估预算。",
        "服务评分连续两个季度排名第一。",
    ),
    ("zh", "client"): (
        "客户对上月配送时效不满意，已提交改进计划。",
        "新签一年期服务合同，首月订单量超出预期。",
        "客户计划扩展至华南市场，询问区域仓配方案。",
        "近期投诉集中在售后响应慢，客服主管已介入。",
        "客户采购流程较长，报价需经集团审批。",
        "续约谈判中，客户要求增加专属客服。",
        "付款一向及时，属于优质客户。",
        "客户更换了对接人，需要向新采购经理重新介绍服务。",
        "大促期间单量预计翻倍，需提前协调仓储和运力。",
        "客户反馈系统报表字段不全，已提需求给产品组。",
        "上季度回款延迟 20 天，已提醒财务关注。",
        "客户希望试用新上线的数据看板功能。",
    ),
    ("zh", "prospect"): (
        "初次接洽，已发送公司介绍与报价单。",
        "对方正在评估三家供应商，预计月底给出结论。",
        "试点方案已提交，等待对方技术评审。",
        "展会上认识的联系人，对方对华东仓配服务感兴趣。",
    ),
    ("zh", "on_hold"): (
        "因对方内部架构调整，合作暂缓。",
        "对方预算冻结至下季度，暂停推进。",
        "资质审核材料不全，补齐前暂停合作。",
    ),
    ("zh", "inactive"): (
        "合作已于去年底结束，保留联系方式以备后续。",
        "对方业务转型，不再需要相关服务。",
    ),
    ("en", "partner"): (
        "Master services agreement under renegotiation; they want a 5% fee reduction.",
        "API integration live since Q2; roughly 1,200 orders a day go through it.",
        "New account director took over last month; scope review pending.",
        "Settlement moved from monthly to bi-weekly, confirmed by finance.",
        "Two SLA breaches last quarter; remediation plan received.",
        "Interested in a joint go-to-market campaign for East China.",
    ),
    ("en", "client"): (
        "Renewal due next quarter; client asked for a dedicated support contact.",
        "Onboarded in spring; volumes are ahead of forecast.",
        "Complaints about slow refunds last month; escalated to the complaint desk.",
        "Procurement requires three quotes for any change above USD 20k.",
        "Always pays on time; good candidate for a case study.",
        "Expanding into South China; asked about regional warehousing.",
    ),
    ("en", "prospect"): (
        "First call done; sent our deck and a price sheet.",
        "Evaluating three vendors; decision expected by month end.",
    ),
    ("en", "on_hold"): (
        "Paused while they restructure their operations team.",
        "Budget frozen until next quarter.",
    ),
    ("en", "inactive"): (
        "Contract ended last year; kept for reference.",
        "Moved the work in-house; no open items.",
    ),
}

NEXT_STEPS = {
    "zh": ("下周二约对方商务总监电话沟通。", "待法务审核补充协议。", "月底前提交续约报价。",
           "已安排季度业务回顾会议。", "需跟进发票开具进度。", "请财务核对上月对账差异。",
           "计划下月实地拜访。", "每周五例行电话会。"),
    "en": ("Follow-up call booked for next Tuesday.", "Waiting on legal review of the amendment.",
           "Quarterly business review scheduled.", "Send revised pricing by month end.",
           "Weekly status call on Fridays."),
}

# Contact people. Chinese names carry their pinyin for the email address.
SURNAMES = (("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
            ("杨", "yang"), ("赵", "zhao"), ("黄", "huang"), ("周", "zhou"), ("吴", "wu"),
            ("徐", "xu"), ("孙", "sun"), ("胡", "hu"), ("朱", "zhu"), ("高", "gao"),
            ("林", "lin"), ("何", "he"), ("郭", "guo"), ("马", "ma"), ("罗", "luo"))
GIVEN_NAMES = (("伟", "wei"), ("芳", "fang"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
               ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"),
               ("艳", "yan"), ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"),
               ("晓东", "xiaodong"), ("海燕", "haiyan"), ("建华", "jianhua"), ("子涵", "zihan"),
               ("雨萱", "yuxuan"), ("浩然", "haoran"), ("思远", "siyuan"), ("佳怡", "jiayi"),
               ("志刚", "zhigang"), ("秀兰", "xiulan"), ("文博", "wenbo"))
FIRST_NAMES = ("Oliver", "Charlotte", "Daniel", "Hannah", "Michael", "Grace", "Ryan", "Chloe",
               "David", "Emma", "Matthew", "Sophie", "Andrew", "Laura", "Jack", "Megan")
LAST_NAMES = ("Thompson", "Walker", "Bennett", "Hughes", "Reid", "Foster", "Patel", "Collins",
              "Morgan", "Turner", "Ng", "Hayes", "Sullivan", "Price")
TITLES = {
    ("zh", "partner"): ("商务经理", "渠道经理", "运营总监", "客服主管", "技术负责人", "CEO",
                        "总经理", "财务经理", "大客户经理"),
    ("zh", "client"): ("采购经理", "运营总监", "客服主管", "CEO", "总经理", "物流主管",
                       "财务经理", "电商运营经理", "供应链总监"),
    ("en", "partner"): ("Partnerships Manager", "Head of Operations", "Account Director",
                        "CTO", "CEO", "Finance Manager", "Customer Service Lead"),
    ("en", "client"): ("Procurement Manager", "Head of Operations", "Customer Service Lead",
                       "CEO", "Finance Manager", "Logistics Manager", "E-commerce Manager"),
}
CONTACT_NOTES = {
    "zh": ("首选微信沟通，工作日上午回复较快。", "负责合同签署，邮件需抄送财务。",
           "周末不接电话，紧急情况请发短信。", "对账问题请找此人。", "", "", ""),
    "en": ("Prefers email; usually replies within a day.", "Signs contracts; copy finance.",
           "Prefers a short call to long emails.", "", "", ""),
}
MOBILE_PREFIXES = ("135", "136", "138", "139", "150", "158", "186", "187", "189")


def load_demo() -> dict[str, int]:
    """Add demo roles, users, teams, partners, clients and contacts to the session,
    then the partners' stages, negotiation rounds, agreements and follow-ups, and the
    clients' progress notes, requirements and complaints, and the teams' meetings, reports,
    problems, requests, goals, retrospectives, recognition and posts.

    Meant for an empty database; the caller commits. Returns how many of each were added.
    """
    rng = random.Random(SEED)
    now = datetime.now(UTC)
    created_roles, roles = _default_roles()
    users = _users(roles, now, rng)
    teams = _teams(users, now, rng)
    tags = {name: Tag(name=name) for name in TAG_NAMES}
    partners = _organizations(OrgKind.PARTNER, PARTNERS, users, teams, tags, now, rng)
    clients = _organizations(OrgKind.CLIENT, CLIENTS, users, teams, tags, now, rng)
    contacts = [c for org in partners + clients for c in org.contacts]
    db.session.add_all([*users.values(), *teams.values(), *tags.values(), *partners,
                        *clients, *contacts])
    story = add_partner_story(partners, {row[0]: row[3] for row in PARTNERS}, now, SEED + 1)
    client_story = add_client_story(clients, users, now, SEED + 2)
    team_story = add_team_story(teams, users, now, SEED + 3)
    return {"roles": len(created_roles), "users": len(users), "teams": len(teams),
            "tags": len(tags), "partners": len(partners), "clients": len(clients),
            "contacts": len(contacts), **story, **client_story, **team_story}


def _default_roles() -> tuple[list[Role], dict[str, Role]]:
    """Seed the default roles and flush for ids; returns the new ones and all by name."""
    created = seed_default_roles()
    db.session.flush()
    by_name = {r.name: r for r in created}
    if len(by_name) < len(DEFAULT_ROLES):  # some existed already: one query fetches all
        by_name = {r.name: r for r in db.session.scalars(sa.select(Role))}
    return created, by_name


def _days_ago(now: datetime, days: float) -> datetime:
    return now - timedelta(days=days)


def _between(start: datetime, end: datetime, rng: random.Random) -> datetime:
    return start + (end - start) * rng.random()


def _users(roles: dict[str, Role], now: datetime, rng: random.Random) -> dict[str, User]:
    """The seven role users and the ordinary colleagues, all sharing one password hash."""
    password_hash = generate_password_hash(
        DEMO_PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"])
    rows = [*ROLE_USERS, *((email, name, "team_member", locale, zone)
                           for email, name, locale, zone in COLLEAGUES)]
    users = {}
    for email, name, role_name, locale, zone in rows:
        created = _days_ago(now, rng.uniform(HISTORY_DAYS - 5, HISTORY_DAYS))
        user = User(email=email, name=name, password_hash=password_hash,
                    must_change_password=False, locale=locale, timezone=zone,
                    created_at=created, updated_at=created,
                    last_login_at=_days_ago(now, rng.uniform(0.1, 6)))
        user.roles = [roles[role_name]]
        users[email] = user
    return users


def _teams(users: dict[str, User], now: datetime, rng: random.Random) -> dict[str, Team]:
    """The five internal teams, each with a lead and a few members."""
    teams = {}
    for key, name, description, lead, members in TEAMS:
        created = _days_ago(now, rng.uniform(HISTORY_DAYS - 8, HISTORY_DAYS - 5))
        team = Team(name=name, description=description, created_at=created,
                    updated_at=created)
        for email in (lead, *members):
            TeamMembership(team=team, user=users[email], is_lead=email == lead,
                           joined_at=created + timedelta(hours=rng.uniform(1, 72)))
        teams[key] = team
    return teams


def _organizations(kind: OrgKind, rows: tuple[OrgRow, ...], users: dict[str, User],
                   teams: dict[str, Team], tags: dict[str, Tag], now: datetime,
                   rng: random.Random) -> list[Organization]:
    """One organization of ``kind`` per data row, placed, tagged, dated, with contacts."""
    orgs = []
    for name, domain, industry, area in rows:
        archived = name in ARCHIVED
        status = OrgStatus.INACTIVE if archived else rng.choices(STATUSES, STATUS_WEIGHTS)[0]
        created = _days_ago(now, rng.uniform(2, HISTORY_DAYS - 10))
        updated = _between(created, now, rng)
        team, owner = _placement(kind, area, users, teams, rng)
        lang = "en" if name.isascii() else "zh"
        org = Organization(
            kind=kind.value, name=name, status=status.value, industry=industry,
            website=f"https://www.{domain}", notes=_notes(kind, status, lang, rng),
            owner=owner, team=team, created_at=created, updated_at=updated,
            archived_at=updated if archived else None)
        org.tags = _tags(kind, status, area, now - created, tags, rng)
        _add_contacts(org, domain, area, now, rng)
        orgs.append(org)
    return orgs


def _placement(kind: OrgKind, area: str, users: dict[str, User], teams: dict[str, Team],
               rng: random.Random) -> tuple[Team | None, User | None]:
    """Which team holds an organization and who owns it."""
    if area == "华东" and rng.random() < 0.3:
        return teams["east"], users[rng.choice(EAST_OWNERS)]
    if kind is OrgKind.PARTNER:
        return teams["partner_dev"], users[rng.choice(PARTNER_OWNERS)]
    if rng.random() < 0.08:  # not yet handed to a team
        return None, rng.choice((users["accounts@example.com"], None))
    return teams["client_success"], users[rng.choice(CLIENT_OWNERS)]


def _notes(kind: OrgKind, status: OrgStatus, lang: str, rng: random.Random) -> str:
    """One or two sentences of working notes in the company's language."""
    key = kind.value if status is OrgStatus.ACTIVE else status.value
    text = rng.choice(NOTES[lang, key])
    if status in (OrgStatus.ACTIVE, OrgStatus.PROSPECT) and rng.random() < 0.6:
        text += ("" if lang == "zh" else " ") + rng.choice(NEXT_STEPS[lang])
    return text


def _tags(kind: OrgKind, status: OrgStatus, area: str, age: timedelta, tags: dict[str, Tag],
          rng: random.Random) -> list[Tag]:
    """Region, plus a few labels that fit the relationship."""
    names = [area] if area in REGION_TAGS else []
    live = status in (OrgStatus.ACTIVE, OrgStatus.PROSPECT)
    if kind is OrgKind.PARTNER and status is OrgStatus.ACTIVE and rng.random() < 0.3:
        names.append("战略合作")
    if kind is OrgKind.CLIENT and status is OrgStatus.ACTIVE and rng.random() < 0.15:
        names.append("VIP")
    if kind is OrgKind.CLIENT and live and rng.random() < 0.2:
        names.append("重点客户")
    if status is OrgStatus.ACTIVE and age > timedelta(days=60) and rng.random() < 0.25:
        names.append("续约中")
    if status is OrgStatus.ACTIVE and age < timedelta(days=30):
        names.append("新签")
    return [tags[n] for n in names]


def _add_contacts(org: Organization, domain: str, area: str, now: datetime,
                  rng: random.Random) -> None:
    """One to three people at ``org``, with emails on its domain."""
    lang = "en" if org.name.isascii() else "zh"
    titles = rng.sample(TITLES[lang, org.kind], rng.randint(1, 3))
    people: dict[str, str] = {}
    while len(people) < len(titles):
        name, local = _chinese_person(rng) if lang == "zh" else _english_person(rng)
        people.setdefault(name, local)
    for (name, local), title in zip(people.items(), titles, strict=True):
        created = _between(org.created_at, org.updated_at, rng)
        Contact(organization=org, name=name, title=title, email=f"{local}@{domain}",
                phone=_phone(area, rng), notes=rng.choice(CONTACT_NOTES[lang]),
                created_at=created, updated_at=_between(created, now, rng))


def _chinese_person(rng: random.Random) -> tuple[str, str]:
    (surname, s_py), (given, g_py) = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
    return surname + given, f"{s_py}.{g_py}"


def _english_person(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return f"{first} {last}", f"{first}.{last}".lower()


def _phone(area: str, rng: random.Random) -> str:
    """A plausible number: UK and US ones from the ranges kept for drama and examples."""
    if area == "UK":
        return f"+44 20 7946 0{rng.randint(100, 999)}"
    if area == "US":
        return f"+1 212 555 01{rng.randint(0, 99):02d}"
    prefix, middle, last = rng.choice(MOBILE_PREFIXES), rng.randint(0, 9999), rng.randint(0, 9999)
    return f"+86 {prefix} {middle:04d} {last:04d}"
