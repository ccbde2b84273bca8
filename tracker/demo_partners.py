"""Demo partner story: stages, negotiation rounds with topics, next steps and agreements."""

# Chinese text uses full-width punctuation on purpose; it is not a confusable typo.

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from tracker.extensions import db
from tracker.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Contact,
    Conversation,
    ConversationKind,
    ConversationTopic,
    FollowUp,
    FollowUpStatus,
    Organization,
    OrgStatus,
    PartnerStage,
    Proposer,
    TopicStatus,
    User,
)

HISTORY_DAYS = 120
St, A = PartnerStage, AgreementStatus
K = ConversationKind
KINDS, KIND_WEIGHTS = (K.MEETING, K.CALL, K.EMAIL, K.CHAT, K.VISIT), (30, 25, 20, 15, 10)
CN_NUMBERS = "一二三四五六七八"

# Share of the active partners at each stage; the rest are live ("active") partnerships.
LIVE_SHARES = ((St.NEGOTIATING, 0.3), (St.TERMS_AGREED, 0.18), (St.SIGNED, 0.18))
ROUNDS = {St.FIRST_CONTACT: (1, 1), St.NEGOTIATING: (2, 6), St.TERMS_AGREED: (3, 6),
          St.SIGNED: (3, 6), St.ACTIVE: (2, 5), St.PAUSED: (2, 3), St.ENDED: (2, 2)}
# How likely a topic is agreed: a base per stage, rising as the talks go on.
AGREED_BASE = {St.FIRST_CONTACT: 0.0, St.NEGOTIATING: 0.1, St.TERMS_AGREED: 0.3,
               St.SIGNED: 0.3, St.ACTIVE: 0.3, St.PAUSED: 0.0, St.ENDED: 0.4}

ENDED_REASONS = {
    "zh": ("对方业务转型，双方协商一致终止合作。",
           "服务质量连续两个季度未达 SLA，合同到期不再续签。",
           "对方被集团收购，相关业务并入母公司自有体系。"),
    "en": ("They moved the work in-house; the contract was not renewed.",
           "Acquired by a competitor; the relationship was wound down."),
}

# industry key: Chinese service, English service, Chinese scope, English scope, yearly fee (kCNY).
SERVICES = {
    "物流": ("物流配送服务", "Logistics Services", "华东区域仓到门配送，日均约 8,000 单",
           "Warehouse-to-door delivery in East China, about 8,000 orders a day", 1800),
    "支付": ("支付通道合作", "Payment Processing", "线上收单、分账与退款服务",
           "Online acquiring, split settlement and refunds", 600),
    "供应链": ("供应链管理服务", "Supply Chain Services", "采购协同、库存管理与补货计划",
            "Purchasing, inventory management and replenishment planning", 900),
    "云服务": ("云服务采购", "Cloud Services", "云主机、对象存储与专属技术支持",
            "Compute, object storage and dedicated technical support", 1200),
    "仓储": ("仓储服务", "Warehousing Services", "苏州仓 12,000 平方米仓储、分拣及包装",
           "12,000 m² of storage, picking and packing in Suzhou", 1500),
    "数据服务": ("数据服务合作", "Data Services", "订单与物流数据清洗、报表及预测模型",
             "Order and logistics data cleansing, reporting and forecasting", 450),
    "系统集成": ("系统集成服务", "Systems Integration", "WMS 与 OMS 系统对接及运维",
             "WMS and OMS integration and support", 700),
    "冷链": ("冷链运输服务", "Cold Chain Services", "华中区域冷藏干线及城配",
           "Refrigerated line haul and city delivery in Central China", 1600),
    "跨境电商": ("跨境电商服务", "Cross-border Services", "跨境清关、海外仓及尾程配送",
             "Customs clearance, overseas warehousing and last-mile delivery", 1100),
    "货代": ("国际货运代理服务", "Freight Forwarding", "宁波港出口订舱、报关及拖车",
           "Export booking, customs and trucking out of Ningbo", 1300),
    "SaaS": ("电子合同 SaaS 订阅", "SaaS Subscription", "电子签约平台 500 个账号及 API 调用",
             "E-signature platform for 500 seats with API access", 180),
    "客服外包": ("客服外包服务", "Customer Service Outsourcing",
             "7×12 小时在线及电话客服，40 个坐席",
             "Chat and phone support, 7 days, 40 seats", 2000),
    "通信": ("短信通道服务", "Messaging Services", "验证码与物流通知短信，月均 300 万条",
           "OTP and delivery notifications, about 3 million a month", 360),
    "信息安全": ("信息安全服务", "Security Services", "渗透测试、等保测评辅导及安全运营",
             "Penetration testing, compliance support and security operations", 520),
    "保险": ("保险经纪合作", "Insurance Brokerage", "货运险与雇主责任险方案及理赔协助",
           "Cargo and employer's liability cover with claims support", 400),
    "包装": ("包装材料供应", "Packaging Supply", "纸箱、缓冲材料及定制印刷包装",
           "Cartons, cushioning and custom printed packaging", 800),
    "印刷": ("印刷服务", "Printing Services", "面单、宣传册及包装印刷",
           "Shipping labels, brochures and packaging print", 260),
    "同城配送": ("同城配送合作", "Last-mile Delivery", "重庆主城区当日达配送",
             "Same-day delivery across central Chongqing", 950),
    "人力资源": ("人力外包服务", "Staffing Services", "仓库旺季临时用工及驻场管理",
             "Peak-season warehouse staffing with on-site supervisors", 1400),
}
DEFAULT_SERVICE = ("合作服务", "Services", "双方约定的合作服务", "Agreed services", 500)
SCOPE_EXTRAS = {"zh": "；新增华南区域试点三个月", "en": "; adds a three-month South China pilot"}
COOPERATION = {
    "zh": ("按单计费，月度对账", "固定年费 + 超量部分按单计费", "收入分成：对方 70%，我方 30%",
           "年度框架协议 + 季度订单"),
    "en": ("Per-order pricing, reconciled monthly", "Annual fixed fee plus usage above the cap",
           "Revenue share, 70/30", "Framework agreement with quarterly purchase orders"),
}
PAYMENT = {  # what we ask for, what they ask for, where it settles
    ("zh", "us"): ("月结30天", "预付30%，余款月结30天"),
    ("zh", "them"): ("月结60天", "月结90天", "季度结算"),
    ("zh", "settled"): ("月结45天", "双周结算", "月结30天"),
    ("en", "us"): ("Net 30", "30% upfront, balance Net 30"),
    ("en", "them"): ("Net 60", "Net 90", "Quarterly in arrears"),
    ("en", "settled"): ("Net 45", "Net 30"),
}
VERSION_NOTES = {
    "zh": ("首版报价，按去年单量测算。", "对方反馈：费率偏高，账期需延长。",
           "根据上轮洽谈调整费率与账期。",
           "法务已审核条款。", "对方书面回复，接受主要条款。", "对方提交的首版方案。"),
    "en": ("First offer, priced on last year's volumes.",
           "Their reply: fee too high, longer terms.",
           "Revised after the last round: fee and payment terms.", "Reviewed by legal.",
           "Written reply accepting the main terms.", "Their first proposal."),
}

# subject, our position, their position, resolution, follow-up; {placeholders} from _numbers.
TOPICS = {
    "zh": (
        ("服务费率", "维持 {fee_ours}% 服务费率，年单量超过 50 万单后再议",
         "要求降至 {fee_theirs}%，并按季度阶梯返点",
         "按 {fee_mid}% 执行，年度达量后返点 0.3%", "发送修订版报价单（{fee_mid}%）"),
        ("账期", "月结 30 天，逾期按日万分之五计息", "月结 {days_theirs} 天，取消逾期利息",
         "月结 45 天，保留逾期利息条款", "请财务评估 {days_theirs} 天账期的资金占用"),
        ("数据对接方式", "通过 API 实时推送订单与轨迹数据",
         "先用 SFTP 每日批量文件，三个月后再上 API",
         "首期 SFTP 日结文件，下季度切换 API", "确认接口字段清单并发给对方技术负责人"),
        ("SLA", "次日达率不低于 98%，未达标按单赔付", "承诺 96%，旺季（11 月、春节前）豁免",
         "常规月份 97.5%，旺季 95%，按月考核", "整理 SLA 考核口径，发对方确认"),
        ("独家条款", "华东区域独家合作两年", "不接受独家，可给予优先供应权",
         "华东区域优先合作权，不设独家", "请法务评估独家条款风险"),
        ("联合营销预算", "双方各出 50%，首期共 {budget} 万元", "对方出 40%，其余由我方承担",
         "按 55:45 分摊，首期 {budget} 万元", "提交联合营销预算申请给市场部"),
        ("违约责任", "违约金上限为合同年度总额的 20%", "上限 10%，且不含间接损失",
         "上限 15%，间接损失除外", "请法务出具违约条款修订稿"),
        ("数据安全与保密", "需通过等保三级，数据境内存储", "已通过 ISO 27001，等保三级年内完成",
         "年内完成等保三级，逾期我方可解约", "索取对方 ISO 27001 证书及审计报告"),
        ("合同期限与续约", "三年期，到期自动续约一年", "先签一年，效果好再续",
         "两年期，提前 60 天书面通知不续约", "起草续约条款"),
        ("发票与结算", "每月 5 日前对账，10 日前开具增值税专票", "合并季度开票，税率 6%",
         "按月开具 6% 专票", "与财务确认开票信息"),
    ),
    "en": (
        ("Service fee", "Hold the fee at {fee_ours}% until volumes pass 500k a year",
         "Cut to {fee_theirs}% with quarterly volume rebates",
         "{fee_mid}%, with a 0.3% rebate once the yearly volume is reached",
         "Send the revised price sheet ({fee_mid}%)"),
        ("Payment terms", "Net 30, late interest at 0.05% a day",
         "Net {days_theirs}, no late interest",
         "Net 45, late interest kept", "Ask finance to cost Net {days_theirs}"),
        ("Data integration", "Real-time API for orders and tracking",
         "Daily SFTP files first, API in three months",
         "SFTP files for the first quarter, then the API", "Send the API field list to their CTO"),
        ("SLA", "98% next-day delivery, per-order credits below it", "96%, peak season exempt",
         "97.5% normally, 95% in peak season, measured monthly",
         "Write up how the SLA is measured"),
        ("Exclusivity", "Exclusive in East China for two years",
         "No exclusivity; preferred supplier", "Preferred supplier in East China, no exclusivity",
         "Legal review of the exclusivity clause"),
        ("Joint marketing budget", "50/50 split, {budget}0k CNY for the first campaign",
         "They fund 40%, we fund the rest", "55/45 split, {budget}0k CNY to start",
         "Submit the joint campaign budget to marketing"),
        ("Liability cap", "Cap at 20% of the yearly contract value", "10%, excluding indirect loss",
         "15%, indirect loss excluded", "Legal to redraft the liability clause"),
        ("Data protection", "Data stays in China; security audit required",
         "ISO 27001 certified; audit later this year", "Audit by year end or we may terminate",
         "Request their ISO 27001 certificate and audit report"),
        ("Term and renewal", "Three years, renewing yearly", "One year first, then see",
         "Two years, 60 days' written notice to end", "Draft the renewal clause"),
    ),
}
INTRO_TOPIC = {
    "zh": ("合作模式", "希望以年度框架协议合作，先在华东试点", "先了解我方单量与服务要求再报价", "",
           "发送公司介绍与需求清单"),
    "en": ("How we would work together", "A yearly framework agreement, piloting in East China",
           "Need our volumes and service requirements before quoting", "",
           "Send our deck and requirements list"),
}
EXIT_TOPIC = {
    "zh": ("结算与数据交接", "月底前完成最后一期对账，数据 30 天内交接", "希望分两期结清尾款",
           "尾款分两期结清，数据 30 天内交接完毕", "跟进尾款结算"),
    "en": ("Final settlement and data handover", "Settle by month end; hand data over in 30 days",
           "Pay the balance in two instalments", "Two instalments; data handed over in 30 days",
           "Chase the final settlement"),
}
COLOR = {
    "zh": ("对方希望月底前确定主要商务条款。", "对方财务负责人首次参会，重点关注结算细节。",
           "整体氛围积极，对方认可试点效果。", "对方表示需走内部审批，预计一周内回复。",
           "我方介绍了华东仓网布局和系统能力。", "对方反馈旺季运力紧张，希望提前锁定资源。"),
    "en": ("They want the main terms settled by month end.", "Their finance lead joined for the "
           "first time and focused on settlement.", "Positive tone; they like the pilot results.",
           "They need internal approval and expect to reply within a week.",
           "We walked them through our East China network and systems."),
}
GENERIC_STEPS = {
    "zh": ("整理会议纪要并发对方确认", "准备下一轮洽谈材料", "内部同步洽谈结果并更新报价测算",
           "更新对方联系人及决策链信息"),
    "en": ("Send the minutes for sign-off", "Prepare the pack for the next round",
           "Brief the team and update the pricing model"),
}
SIGN_STEP = {"zh": "安排用印并寄回合同原件", "en": "Arrange signatures and return the signed copy"}
SIGNING_TITLES = frozenset({"CEO", "总经理", "运营总监", "Account Director", "Head of Operations"})
OUR_SIGNATORY = {"zh": "我方：王磊（运营总监）", "en": "Us: Wang Lei (Director of Operations)"}


def add_partner_story(partners: list[Organization], areas: dict[str, str], now: datetime,
                      seed: int) -> dict[str, int]:
    """Stages, rounds, agreements and follow-ups for ``partners`` (already in the session).

    Flushes once, for the ids the follow-ups point at. Returns how many of each were added.
    """
    rng = random.Random(seed)
    _assign_stages(partners, rng)
    rounds: list[Conversation] = []
    agreements: list[Agreement] = []
    steps: list[tuple[Conversation | Agreement, Organization, User, str, date, bool]] = []
    live = 0  # how many live (stage "active") partners so far: decides their dates
    for org in partners:
        lang = "zh" if not org.name.isascii() else "en"
        numbers = _numbers(rng)
        org_rounds = _rounds(org, lang, numbers, now, rng)
        rounds += org_rounds
        steps += _round_steps(org, org_rounds, lang, numbers, now, rng)
        usd = areas.get(org.name) == "US"
        org_agreements = _agreements(org, lang, usd, org_rounds, live, now, rng)
        live += org.stage == St.ACTIVE
        agreements += org_agreements
        steps += [(a, org, org.owner, SIGN_STEP[lang],
                   now.date() + timedelta(days=rng.randint(2, 14)), False)
                  for a in org_agreements if a.status == A.AGREED]
    for rnd in rounds[5::12]:  # about one round in twelve is confidential
        rnd.is_confidential = True
    db.session.add_all([*rounds, *agreements])
    db.session.flush()
    followups = [_followup(*step, now, rng) for step in steps]
    db.session.add_all(followups)
    return {"rounds": len(rounds), "agreements": len(agreements), "followups": len(followups)}


def _assign_stages(partners: list[Organization], rng: random.Random) -> None:
    """A stage that fits each partner's status; ended ones say why."""
    live = [o for o in partners if o.status == OrgStatus.ACTIVE]
    pool = [stage for stage, share in LIVE_SHARES for _ in range(round(len(live) * share))]
    pool += [St.ACTIVE] * (len(live) - len(pool))
    rng.shuffle(pool)
    for org, stage in zip(live, pool, strict=True):
        org.stage = stage.value
    prospects = [o for o in partners if o.status == OrgStatus.PROSPECT]
    for i, org in enumerate(prospects):  # about three in five have had a first talk
        org.stage = (St.FIRST_CONTACT if i % 5 in (0, 2, 4) else St.PROSPECT).value
    for org in partners:
        lang = "zh" if not org.name.isascii() else "en"
        if org.status == OrgStatus.ON_HOLD:
            org.stage = St.PAUSED.value
        elif org.status == OrgStatus.INACTIVE or org.archived_at is not None:
            org.stage = St.ENDED.value
            org.stage_reason = rng.choice(ENDED_REASONS[lang])


def _numbers(rng: random.Random) -> dict[str, object]:
    """The figures one partner's talks revolve around, so every round quotes the same ones."""
    ours = rng.choice((5.5, 6.0, 6.5, 7.0, 7.5))
    theirs = round(ours - rng.choice((0.8, 1.0, 1.2, 1.5)), 1)
    return {"fee_ours": ours, "fee_theirs": theirs, "fee_mid": round((ours + theirs) / 2, 1),
            "days_theirs": rng.choice((60, 90)), "budget": rng.choice((20, 30, 50, 80))}


def _window(org: Organization, now: datetime, rng: random.Random) -> tuple[datetime, datetime]:
    """When this partner's rounds happened: while it was live, within the history."""
    stage = PartnerStage(org.stage)
    end = now - timedelta(hours=rng.uniform(2, 48))
    if stage == St.ENDED:  # talks stopped when it ended
        end = org.archived_at or org.updated_at
    elif stage == St.PAUSED:
        end = now - timedelta(days=rng.uniform(15, 40))
    start = max(org.created_at, now - timedelta(days=HISTORY_DAYS))
    if end - start < timedelta(days=14):  # too new for a history: it started earlier
        start = end - timedelta(days=rng.uniform(20, 45))
        org.created_at = min(org.created_at, start - timedelta(days=1))
    return start, end


def _at_work(day: datetime, lang: str, now: datetime, rng: random.Random) -> datetime:
    """A time in working hours (Shanghai for Chinese partners, Europe for others), not future."""
    hour = rng.randint(1, 9) if lang == "zh" else rng.randint(8, 15)
    when = datetime.combine(day.date(), time(hour, rng.choice((0, 15, 30, 45))), day.tzinfo)
    return when if when <= now else when - timedelta(days=1)


def _rounds(org: Organization, lang: str, numbers: dict[str, object], now: datetime,
            rng: random.Random) -> list[Conversation]:
    """Negotiation rounds with this partner, oldest first."""
    stage = PartnerStage(org.stage)
    if stage not in ROUNDS:
        return []
    start, end = _window(org, now, rng)
    count = rng.randint(*ROUNDS[stage])
    times = sorted(_at_work(start + (end - start) * rng.random(), lang, now, rng)
                   for _ in range(count))
    if stage not in (St.PAUSED, St.ENDED):  # live talks: the latest round is recent
        times[-1] = _at_work(now - timedelta(days=rng.uniform(0.5, 18)), lang, now, rng)
        times.sort()
    agenda = rng.sample(TOPICS[lang], 5)
    members = [m.user for m in org.team.memberships] if org.team else []
    rounds, meetings = [], 0
    for i, when in enumerate(times):
        if stage == St.FIRST_CONTACT or (i == 0 and stage == St.NEGOTIATING and count > 2):
            picked = [INTRO_TOPIC[lang]]
        elif stage == St.ENDED and i == count - 1:
            picked = [EXIT_TOPIC[lang]]
        else:
            picked = rng.sample(agenda, rng.randint(1, 3))
        progress = (i + 1) / count
        settled = stage in (St.TERMS_AGREED, St.SIGNED) and i == count - 1
        p_agreed = 1.0 if settled else AGREED_BASE[stage] + 0.5 * progress
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        meetings += kind in (K.MEETING, K.VISIT)
        ours = [org.owner, *rng.sample([u for u in members if u is not org.owner],
                                       max(0, min(rng.randint(0, 2), len(members) - 1)))]
        theirs = rng.sample(org.contacts, rng.randint(1, min(2, len(org.contacts))))
        logged = min(now, when + timedelta(hours=rng.uniform(0.5, 26)))
        rnd = Conversation(
            organization=org, kind=kind.value, occurred_at=when, author=org.owner,
            created_at=logged, updated_at=logged,
            created_by=org.owner)
        rnd.our_people = [u for u in ours if u is not None]
        rnd.their_people = theirs
        for pos, (subject, our_pos, their_pos, resolution, _step) in enumerate(picked):
            agreed = bool(resolution) and rng.random() < p_agreed
            ConversationTopic(
                conversation=rnd, position=pos, subject=subject,
                our_position=our_pos.format(**numbers), their_position=their_pos.format(**numbers),
                status=(TopicStatus.AGREED if agreed else TopicStatus.OPEN).value,
                resolution=resolution.format(**numbers) if agreed else "")
        last = i == count - 1
        rnd.title = _title(stage, kind, meetings, last, [t[0] for t in picked], lang)[:200]
        rnd.body, rnd.outcome = _body(rnd, lang, rng)
        rounds.append(rnd)
    return rounds


def _title(stage: PartnerStage, kind: ConversationKind, meetings: int, last: bool,
           subjects: list[str], lang: str) -> str:
    """A title a colleague would write: what kind of contact, which round, which subjects."""
    zh = lang == "zh"
    both = ("、" if zh else ", ").join(subjects[:2])
    if stage == St.FIRST_CONTACT:
        return "首次沟通：了解需求与合作模式" if zh else "First contact: needs and ways of working"
    if stage == St.ENDED and last:
        return f"合作收尾沟通：{both}" if zh else f"Wind-down: {both}"
    if stage == St.PAUSED and last:
        return f"暂缓合作沟通：{both}" if zh else f"Putting things on hold: {both}"
    meeting = kind in (K.MEETING, K.VISIT)
    if meeting and stage in (St.ACTIVE, St.ENDED):
        return f"季度业务回顾：{both}" if zh else f"Quarterly business review: {both}"
    if meeting:
        n = CN_NUMBERS[min(meetings, len(CN_NUMBERS)) - 1]
        place = ("（现场拜访）" if zh else " (site visit)") if kind == K.VISIT else ""
        return (f"年度框架协议第{n}轮洽谈：{both}{place}" if zh
                else f"Framework agreement, round {meetings}: {both}{place}")
    first = subjects[0]
    return {
        K.CALL: (f"电话沟通：{first}", f"Call: {first}"),
        K.EMAIL: (f"邮件确认：{both}", f"Email: {both}"),
        K.CHAT: (f"微信沟通：{first}进展", f"Chat: {first} update"),
    }[kind][0 if zh else 1]


def _body(rnd: Conversation, lang: str, rng: random.Random) -> tuple[str, str]:
    """The notes of a round and its outcome, from its people and topics."""
    agreed = [t.subject for t in rnd.topics if t.status == TopicStatus.AGREED]
    open_ = [t.subject for t in rnd.topics if t.status == TopicStatus.OPEN]
    subjects = [t.subject for t in rnd.topics]
    if lang == "zh":
        theirs = "、".join(f"{c.name}（{c.title}）" for c in rnd.their_people)
        body = (f"参与人员：我方{'、'.join(u.name for u in rnd.our_people)}；对方{theirs}。"
                f"本轮围绕{'、'.join(subjects)}展开。{rng.choice(COLOR['zh'])}")
        outcome = "".join((f"已达成一致：{'、'.join(agreed)}。" if agreed else "",
                           f"待定：{'、'.join(open_)}，下轮继续讨论。" if open_ else ""))
        return body, outcome
    theirs = ", ".join(f"{c.name} ({c.title})" for c in rnd.their_people)
    body = (f"With us: {', '.join(u.name for u in rnd.our_people)}. With them: {theirs}. "
            f"Covered {', '.join(s.lower() for s in subjects)}. {rng.choice(COLOR['en'])}")
    outcome = " ".join(p for p in (f"Agreed: {', '.join(agreed)}." if agreed else "",
                                   f"Still open: {', '.join(open_)}." if open_ else "") if p)
    return body, outcome


def _round_steps(org: Organization, rounds: list[Conversation], lang: str,
                 numbers: dict[str, object], now: datetime, rng: random.Random) -> list[tuple]:
    """Next steps from recent rounds: one per open topic (at most two), else the minutes."""
    members = [m.user for m in org.team.memberships] if org.team else [org.owner]
    today = now.date()
    topics = {t[0]: t[4] for t in (*TOPICS[lang], INTRO_TOPIC[lang], EXIT_TOPIC[lang])}
    steps = []
    for rnd in rounds:
        if rnd.occurred_at < now - timedelta(days=30) or rng.random() < 0.25:
            continue
        titles = [topics[t.subject] for t in rnd.topics if t.status == TopicStatus.OPEN][:2]
        for title in titles or [rng.choice(GENERIC_STEPS[lang])]:
            earliest = max(today - timedelta(days=10), rnd.occurred_at.date() + timedelta(days=2))
            past = (today - earliest).days  # days from the earliest due date to today
            if past > 0 and rng.random() < 0.45:
                due = earliest + timedelta(days=rng.randrange(past))
            else:
                due = today + timedelta(days=rng.randint(0, 21))
            done = (rng.random() < (0.55 if due < today else 0.15)
                    and rnd.occurred_at < now - timedelta(days=1))
            owner = org.owner if rng.random() < 0.5 else rng.choice(members)
            steps.append((rnd, org, owner, title.format(**numbers), due, done))
    return steps


def _followup(source: Conversation | Agreement, org: Organization, owner: User, title: str,
              due: date, done: bool, now: datetime, rng: random.Random) -> FollowUp:
    """The next step, entered when its source was last written, perhaps done since."""
    created = source.updated_at
    completed = None
    if done:
        latest = min(now, datetime.combine(due, time(10), now.tzinfo) + timedelta(days=2))
        completed = created + (latest - created) * rng.uniform(0.4, 1.0)
    return FollowUp(
        title=title[:200], owner_id=owner.id, due_on=due,
        status=(FollowUpStatus.DONE if done else FollowUpStatus.OPEN).value,
        completed_at=completed, source_type=source.__tablename__, source_id=source.id,
        organization_id=org.id, team_id=org.team_id, created_at=created,
        updated_at=completed or created, created_by_id=source.created_by_id)


Terms = tuple[date, date | None, bool]  # end, notice, auto-renew


def _agreements(org: Organization, lang: str, usd: bool, rounds: list[Conversation],
                live: int, now: datetime, rng: random.Random) -> list[Agreement]:
    """The partner's agreement (a few have two), its versions and a status fitting the stage.

    ``live`` counts the live partners before this one: they take turns ending soon, reaching
    their notice date soon, or running on, so the expiring panel and reminders have work.
    """
    stage, today = PartnerStage(org.stage), now.date()
    if stage not in (St.NEGOTIATING, St.TERMS_AGREED, St.SIGNED, St.ACTIVE, St.ENDED) or (
            stage == St.NEGOTIATING and len(rounds) < 4):  # too early for terms on paper
        return []
    service = SERVICES.get(org.industry.split()[0], DEFAULT_SERVICE)
    fee = service[4] * 1000 * rng.uniform(0.85, 1.25)
    if stage in (St.NEGOTIATING, St.TERMS_AGREED, St.SIGNED):
        first = rounds[0].occurred_at + timedelta(days=1)
        last = min(now - timedelta(hours=2), rounds[-1].occurred_at + timedelta(hours=20))
        signed_on = (min(today, last.date() + timedelta(days=rng.randint(1, 6)))
                     if stage == St.SIGNED else None)
        start = _month_start(signed_on or today, 1 if signed_on else 2)
        status = {St.TERMS_AGREED: A.AGREED, St.SIGNED: A.SIGNED}.get(stage)
        count = rng.randint(1, 3) if status is None else rng.randint(2, 4)
        status = status or (A.PROPOSED if count == 1 else A.COUNTERED)
        years = rng.choice((1, 2))
        end = _add_years(start, years) - timedelta(days=1)
        final: Terms = (end, end - timedelta(days=rng.choice((30, 60, 90))), rng.random() < 0.5)
        main = _agreement(org, lang, service, start, status, count, fee, usd, final,
                          (first, last), now, rng, signed_on=signed_on)
        return [main]
    # Live or ended: signed a while ago.
    mode, soon = live % 3, rng.randint(20, 30) if live < 3 else rng.randint(31, 60)
    if stage == St.ENDED:
        end, notice = today + timedelta(days=rng.randint(90, 240)), None
    elif mode == 0:  # ends soon, no automatic renewal
        end, notice = today + timedelta(days=soon), None
    elif mode == 1:  # the notice date comes soon, then it renews by itself
        notice = today + timedelta(days=soon)
        end, notice = notice + timedelta(days=rng.choice((30, 60, 90))), notice
    else:
        end = today + timedelta(days=rng.randint(150, 600))
        notice = end - timedelta(days=60)
    years = 1 if end - today < timedelta(days=365) else 2
    start = _add_years(end + timedelta(days=1), -years)
    signed_on = start - timedelta(days=rng.randint(3, 15))
    signed_at = datetime.combine(signed_on, time(6), now.tzinfo)
    status = A.TERMINATED if stage == St.ENDED else A.ACTIVE
    main = _agreement(org, lang, service, start, status, rng.randint(1, 3), fee, usd,
                      (end, notice, mode == 1), (signed_at - timedelta(days=60), signed_at),
                      now, rng, signed_on=signed_on)
    if status == A.TERMINATED:
        main.status_reason = org.stage_reason
    found = [main]
    if stage == St.ACTIVE and mode == 2 and live < 6:  # an amendment under negotiation
        count = 2 if live < 3 else 1
        amendment = _agreement(
            org, lang, service, _month_start(today, 1), A.COUNTERED if count > 1 else A.PROPOSED,
            count, fee * 0.2, usd, (end, notice, mode == 1),
            (now - timedelta(days=25), now - timedelta(days=1)), now, rng, amendment=True)
        found.append(amendment)
    elif stage == St.ACTIVE and live == 1:  # last term's agreement, renewed by this one
        before = start - timedelta(days=1)
        old_signed = _add_years(start, -1) - timedelta(days=rng.randint(3, 15))
        old_at = datetime.combine(old_signed, time(6), now.tzinfo)
        found.append(_agreement(
            org, lang, service, _add_years(start, -1), A.RENEWED, rng.randint(1, 2), fee * 0.92,
            usd, (before, before - timedelta(days=60), False),
            (old_at - timedelta(days=45), old_at), now, rng, signed_on=old_signed))
    return found


def _agreement(org: Organization, lang: str, service: tuple, start: date, status: AgreementStatus,
               count: int, fee: float, usd: bool, final: Terms, span: tuple[datetime, datetime],
               now: datetime, rng: random.Random, signed_on: date | None = None,
               amendment: bool = False) -> Agreement:
    """One agreement with ``count`` versions proposed within ``span``, alternating sides."""
    zh = lang == "zh"
    if amendment:
        title = (f"{service[0]}补充协议：华南区域扩展" if zh
                 else f"{service[1]}: South China amendment")
    else:
        year = (start + timedelta(days=182)).year  # the year most of the term falls in
        title = f"{year}年度{service[0]}框架协议" if zh else f"{service[1]} Agreement {year}"
    lo, hi = span
    if hi - lo < timedelta(days=2):
        lo = hi - timedelta(days=10)
    times = sorted(lo + (hi - lo) * rng.random() for _ in range(count))
    entered = min(now, max(times[0], org.created_at + timedelta(hours=rng.uniform(1, 48))))
    agreement = Agreement(organization=org, title=title, owner=org.owner, team=org.team,
                          status=status.value, created_at=entered, created_by=org.owner)
    scope = service[2] if zh else service[3]
    if amendment:
        scope = ("服务范围扩展至华南区域（广州、深圳）" if zh
                 else "Extends the service to South China")
    cooperation = rng.choice(COOPERATION[lang])
    asks = {side: rng.choice(PAYMENT[lang, side]) for side in ("us", "them", "settled")}
    settled = not status.is_negotiating
    side = Proposer.US if rng.random() < 0.7 else Proposer.THEM
    fees: list[float] = []
    for number, when in enumerate(times, start=1):
        last = number == count
        if number == 1:
            fees.append(fee)
        elif number == 2:
            fees.append(fees[-1] * (rng.uniform(0.88, 0.95) if side == Proposer.THEM
                                    else rng.uniform(1.04, 1.1)))
        else:  # meet somewhere between the last two offers
            fees.append(fees[-1] + (fees[-2] - fees[-1]) * rng.uniform(0.3, 0.6))
        if side == Proposer.THEM and number > 1 and rng.random() < 0.3:
            if not amendment and SCOPE_EXTRAS[lang] not in scope:
                scope += SCOPE_EXTRAS[lang]
            else:
                cooperation = rng.choice(COOPERATION[lang])
        years = 2 if side == Proposer.US else 1
        end = _add_years(start, years) - timedelta(days=1)
        terms: Terms = (final if amendment or (last and settled)
                        else (end, end - timedelta(days=60), years > 1))
        note = VERSION_NOTES[lang][(0 if side == Proposer.US else 5) if number == 1
                                   else 1 if side == Proposer.THEM else 2]
        if last and settled:
            note = VERSION_NOTES[lang][4 if side == Proposer.THEM else 3]
        AgreementVersion(
            agreement=agreement, number=number, proposed_by=side.value, proposed_at=when,
            scope=scope, cooperation=cooperation, fee_amount=_money(fees[-1], usd),
            currency="USD" if usd else "CNY",
            payment_terms=asks["settled" if last and settled else side.value],
            start_on=start, end_on=terms[0], notice_on=terms[1], auto_renew=terms[2], notes=note,
            created_at=max(when, entered), created_by=org.owner)
        side = Proposer.THEM if side == Proposer.US else Proposer.US
    latest = agreement.versions[-1]
    if signed_on is not None:
        agreement.signed_version = latest
        agreement.signed_on = signed_on
        agreement.signatories = _signatories(org, lang)
    agreement.end_on, agreement.notice_on = latest.end_on, latest.notice_on
    agreement.updated_at = min(now, max(latest.created_at, datetime.combine(
        signed_on or entered.date(), time(8), now.tzinfo)))
    return agreement


def _signatories(org: Organization, lang: str) -> str:
    bosses = [c for c in org.contacts if c.title in SIGNING_TITLES]
    them: Contact = (bosses or org.contacts)[0]
    if lang == "zh":
        return f"{OUR_SIGNATORY['zh']}；对方：{them.name}（{them.title}）"
    return f"{OUR_SIGNATORY['en']}; Them: {them.name} ({them.title})"


def _money(amount: float, usd: bool) -> Decimal:
    """A round figure: whole thousands of yuan, or hundreds of dollars at about 7.1 yuan."""
    if usd:
        return Decimal(round(amount / 7.1 / 100) * 100)
    return Decimal(round(amount / 1000) * 1000)


def _month_start(day: date, months_ahead: int) -> date:
    month = day.month - 1 + months_ahead
    return date(day.year + month // 12, month % 12 + 1, 1)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
