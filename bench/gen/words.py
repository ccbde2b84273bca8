"""Bilingual vocabulary for people, organizations and conversations (≈65% Chinese).

Chinese text uses full-width punctuation on purpose; it is not a confusable typo.
"""

from __future__ import annotations

from collections.abc import Callable

CHINESE_SHARE = 0.65

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
MOBILE_PREFIXES = ("135", "136", "138", "139", "150", "158", "186", "187", "189")

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
    ("物流", "Logistics", "物流 Logistics"), ("科技", "Technology", "科技 Technology"),
    ("供应链", "Supply Chain", "供应链 Supply Chain"), ("支付", "Payments", "支付 Payments"),
    ("电商", "E-commerce", "电商 E-commerce"), ("餐饮", "Food Service", "餐饮 Food & Beverage"),
    ("医药", "Pharma", "医药 Pharma"), ("教育", "Education", "教育 Education"),
    ("服饰", "Apparel", "服装 Apparel"), ("食品", "Foods", "食品 Food"),
    ("数据", "Analytics", "数据服务 Data"), ("信息技术", "IT Services", "系统集成 IT Services"),
    ("家居", "Home", "家居 Home Furnishing"), ("文旅", "Travel", "文旅 Travel"),
    ("新能源", "Energy", "新能源 New Energy"), ("人力资源", "HR Services", "人力资源 HR Services"),
)
ZH_SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司")
EN_SUFFIXES = ("Ltd", "Inc.", "Co.", "Group", "Partners", "Holdings")
ORG_NOTES = {
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

# Teams: region x function, 30 combinations; the function says what the team works on.
REGIONS = (("华东", "East China"), ("华南", "South China"), ("华北", "North China"),
           ("西南", "Southwest"), ("华中", "Central China"), ("西北", "Northwest"))
FUNCTIONS = (("合作伙伴拓展组", "Partner Development", "partner"),
             ("客户成功组", "Client Success", "client"),
             ("客诉处理组", "Complaint Desk", "complaint"),
             ("区域运营组", "Operations", "ops"),
             ("运营数据组", "Ops Analytics", "data"))


def person(zh: bool, r: Callable[[], float]) -> tuple[str, str]:
    """A name and the local part of an email address (pinyin for Chinese names)."""
    if zh:
        (surname, s_py) = SURNAMES[int(r() * len(SURNAMES))]
        (given, g_py) = GIVEN_NAMES[int(r() * len(GIVEN_NAMES))]
        return surname + given, f"{s_py}.{g_py}"
    first = FIRST_NAMES[int(r() * len(FIRST_NAMES))]
    last = LAST_NAMES[int(r() * len(LAST_NAMES))]
    return f"{first} {last}", f"{first}.{last}".lower()


# -- negotiation rounds ------------------------------------------------------------------
# (subject, our position, their position, resolution when agreed)
TOPICS = {
    "zh": (("服务费", "维持现行费率，年单量超 50 万单后阶梯下调 3%。", "要求整体下调 8%。",
            "同意阶梯下调：超 40 万单部分下调 5%。"),
           ("账期", "月结 30 天。", "要求延长至 60 天。", "折中为 45 天，逾期按日万分之五计息。"),
           ("SLA 与赔付", "准时率 98%，未达标按差额比例赔付。", "要求 99% 且赔付上限提高。",
            "准时率 98.5%，季度赔付上限为当季服务费 10%。"),
           ("系统对接", "对方按我方 API 规范推送订单。", "希望我方适配其现有接口。",
            "我方提供适配层，对方两周内完成联调。"),
           ("合同期限", "三年期，自动续约。", "一年期，到期重新议价。", "两年期，提前 60 天书面通知续约。"),
           ("数据安全", "订单数据境内存储，保存 3 年。", "要求保存不超过 1 年。",
            "保存 2 年，到期删除并出具证明。"),
           ("排他条款", "华东区域独家合作。", "不接受排他。", "")),
    "en": (("Fees", "Keep the current rate; 3% off above 500k orders a year.",
            "They want 8% off across the board.", "5% off the volume above 400k orders."),
           ("Payment terms", "Net 30.", "Net 60.", "Net 45, late payment interest at 0.05% a day."),
           ("Service levels", "98% on time, credits pro rata below that.",
            "99% on time and a higher credit cap.", "98.5% on time, credits capped at 10%."),
           ("Integration", "They push orders to our API.", "They want us to use theirs.",
            "We build an adapter; they test within two weeks."),
           ("Term", "Three years, auto-renewing.", "One year, then renegotiate.",
            "Two years, 60 days' written notice to renew."),
           ("Exclusivity", "Exclusive in East China.", "No exclusivity.", "")),
}
ROUND_TITLES = {
    "zh": ("第{k}轮谈判：{topic}", "{topic}专题沟通", "电话沟通：{topic}", "邮件往来：{topic}方案",
           "现场拜访：{topic}及后续安排", "高层会谈：{topic}"),
    "en": ("Round {k}: {topic}", "Call about {topic}", "Email: {topic} proposal",
           "Visit: {topic} and next steps", "Working session on {topic}"),
}
ROUND_BODIES = {
    "zh": ("双方就{topic}交换意见，对方{contact}坚持原有方案，我方表示需内部评估后答复。",
           "本轮重点讨论{topic}，已就主要条款达成一致，细节待法务确认。",
           "对方提出新的{topic}方案，差距已缩小，约定下周再谈。",
           "{contact}表示其管理层更关注{topic}，希望我方给出书面方案。"),
    "en": ("We went through {topic} with {contact}; they held their position and we will come "
           "back after an internal review.",
           "Agreed the main points on {topic}; legal to check the wording.",
           "They sent a new {topic} proposal; the gap is smaller. Next call next week.",
           "{contact} says their management cares most about {topic} and wants it in writing."),
}
ROUND_OUTCOMES = {
    "zh": ("待对方内部审批。", "我方下周提交修改稿。", "主要条款已达成一致。", ""),
    "en": ("Waiting for their internal approval.", "We send a revised draft next week.",
           "Main terms agreed.", ""),
}

# -- client progress notes ----------------------------------------------------------------
NOTE_TITLES = {
    "zh": ("{m}月服务例会：时效与退货处理", "电话沟通：{m}月对账差异", "续约进展：客户要求增加专属客服",
           "现场拜访：仓库拣货流程巡检", "月度服务报告：准时率 {pct}%", "客户对接人变更",
           "大促备战会：预计日均 {n} 单", "邮件跟进：日报字段调整", "季度复盘：投诉率下降 {pct2}%"),
    "en": ("Monthly service review: {pct}% on time", "Call: invoice discrepancy",
           "Renewal: they want a dedicated contact", "Site visit: picking and packing",
           "Quarterly business review", "New main contact at the client",
           "Peak season planning: about {n} orders a day"),
}
NOTE_BODIES = {
    "zh": ("与{contact}回顾本月运营数据：准时率 {pct}%，退货平均处理 2 天。客户希望大促前增加临时仓储。",
           "{contact}来电，对账单与其系统相差 {n} 元，初步判断为退货运费重复计算，已请财务复核。",
           "合同下季度到期，客户续约意向明确，但希望账期延长至 60 天，内部正在评估。",
           "客户原对接人已离职，新对接人为{contact}，已发送服务介绍资料。",
           "本月共处理订单 {n} 单，投诉均已关闭，报告已发送客户运营负责人。"),
    "en": ("Went through the month with {contact}: {pct}% on time, backlog cleared.",
           "{contact} called: the invoice is {n} CNY above their records; finance is checking.",
           "Contract ends next quarter; they want to renew with Net 60 terms. Costing it.",
           "Their previous buyer has left; {contact} is our new main contact.",
           "{n} orders this month, all complaints closed; report sent to their ops lead."),
}

REQUIREMENTS = {
    "zh": (("每日 18:00 前推送前一日对账单", "每个工作日 18:00 前通过 SFTP 推送前一日对账单（CSV，UTF-8）。"),
           ("配送异常 2 小时内主动通知", "发生延误、破损或拒收时，2 小时内通知客户客服主管。"),
           ("专属客服：工作日 9:00–21:00 在线", "配置 2 名专属客服，首次响应不超过 10 分钟。"),
           ("每月 5 日前提交上月服务报告", "包括订单量、准时率、破损率、投诉及处理结果。"),
           ("退货 48 小时内上门取件", "消费者发起退货后 48 小时内上门取件，结果实时回传 OMS。"),
           ("订单数据境内存储", "客户订单及收件人信息仅存储于境内服务器，保存 3 年。")),
    "en": (("Daily delivery report by 09:00", "A CSV of the previous day's deliveries by 09:00."),
           ("Invoices quote their PO number", "Invoices without a PO number are returned unpaid."),
           ("Two-hour notice of delivery exceptions", "Delays and damage reported within two hours."),
           ("SSO via their Azure AD", "Staff sign in to our portal through their Azure AD."),
           ("Named account manager with a backup", "Reachable on working days 09:00–18:00.")),
}
REQ_STATUSES = ("proposed", "confirmed", "changed", "withdrawn", "rejected")
REQ_WEIGHTS = (20, 55, 8, 9, 8)
