"""Demo client story: progress notes with next steps, requirements, and complaints worked
through the whole workflow (deadlines, pauses, assignments, notes and replies)."""

# Chinese text uses full-width punctuation on purpose; it is not a confusable typo.

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from tracker.clients.complaints.deadlines import set_deadlines
from tracker.clients.complaints.policy import ensure_defaults
from tracker.clients.complaints.workflow import REOPENING
from tracker.extensions import db
from tracker.models import (
    Channel,
    Complaint,
    ComplaintEvent,
    ComplaintPause,
    ComplaintStatus,
    Contact,
    Conversation,
    ConversationKind,
    EventKind,
    FollowUp,
    FollowUpStatus,
    Organization,
    OrgStatus,
    Requirement,
    Severity,
    User,
)

NOTE_DAYS = 90
K, S = ConversationKind, ComplaintStatus
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
CN_QUARTERS = "一二三四"

# -- progress notes ----------------------------------------------------------------------
# kind, fit to share with the client?, title, body, next step ("" for none).
NoteRow = tuple[ConversationKind, bool, str, str, str]
NOTES: dict[str, tuple[NoteRow, ...]] = {
    "zh": (
        (K.UPDATE, False, "{q}季度服务复盘：投诉率下降 {pct}%",
         "{q}季度共受理该客户投诉 {k} 起，环比下降 {pct}%，改善主要来自配送时效和售后响应。"
         "客户仍担心旺季爆仓，下季度需提前预留库位。", "整理{q}季度服务报告发客户确认"),
        (K.MEETING, True, "月度服务例会：{month}月时效与退货处理",
         "双方回顾{month}月运营数据：准时率 {ontime}%，退货平均处理 {days} 天，破损率 0.{low}%。"
         "客户希望大促前增加临时仓储，我方需给出方案。", "提交大促临时仓储方案"),
        (K.CALL, False, "电话沟通：{month}月对账单差异",
         "客户财务来电，{month}月对账单与其系统相差 {amount} 元，初步判断为退货运费重复计算，"
         "已请我方财务复核。", "财务复核{month}月对账差异并回复客户"),
        (K.EMAIL, True, "邮件确认：华南区域仓配服务报价",
         "已将华南区域仓配报价发送客户采购，含仓储费、操作费及干线运费三部分，报价有效期 30 天。"
         "客户表示下周内部评审。", "跟进客户内部评审结果"),
        (K.VISIT, False, "现场拜访：仓库入库与拣货流程巡检",
         "到客户仓库现场查看入库与拣货流程，高峰时段拣货排队明显，平均等待约 40 分钟。"
         "建议调整波次策略并增加一个打包台。", "提交波次拣货优化建议"),
        (K.UPDATE, False, "续约进展：客户要求增加专属客服",
         "合同下季度到期，客户采购表示续约意向明确，但希望增加 2 名专属客服并将账期延长至 60 天。"
         "内部正在评估成本。", "评估专属客服成本并准备续约报价"),
        (K.CALL, False, "电话回访：上周配送延迟投诉处理结果",
         "回访{contact}（{ctitle}），对上周配送延迟投诉的处理基本满意，"
         "希望今后出现延误时我方能提前主动通知。", ""),
        (K.UPDATE, False, "客户对接人变更：新负责人到岗",
         "客户原对接人已离职，新对接人为{contact}（{ctitle}），已发送服务介绍资料，约下周当面沟通。",
         "与新对接人见面介绍服务"),
        (K.EMAIL, False, "邮件跟进：日报增加签收时间字段",
         "客户反馈日报缺少签收时间和签收人字段，已转产品组评估，预计两周内上线。",
         "与产品组确认日报字段上线时间"),
        (K.VISIT, True, "拜访客户总部：明年合作规划",
         "与客户管理层会面，讨论明年合作规划：计划将华东以外的订单逐步交由我方配送，"
         "预计年单量增长 {pct}%。双方约定下月出具初步方案。", "出具明年合作初步方案"),
        (K.MEETING, True, "大促备战会：预计日均 {n} 单",
         "客户预计大促期间日均 {n} 单，约为平时两倍。我方已协调仓库增加临时人手，干线运力提前锁定，"
         "双方约定每天 10:00 核对一次数据。", "确认大促期间临时人手与运力安排"),
        (K.UPDATE, True, "月度服务报告：准时率 {ontime}%",
         "{month}月共处理订单 {n2} 单，准时率 {ontime}%，投诉 {k} 起均已关闭。"
         "报告已发送客户运营负责人。", ""),
    ),
    "en": (
        (K.MEETING, True, "Monthly service review: ticket backlog cleared",
         "Went through the {month_en} figures with their team: {ontime}% on time, the open ticket "
         "backlog cleared, first response averaging {hours} hours. They asked for a one-page "
         "written summary each month.", "Send the monthly one-page summary"),
        (K.UPDATE, False, "Q{qn} review: complaint rate down {pct}%",
         "Complaints down {pct}% on the previous quarter ({k} in all), mostly thanks to faster "
         "delivery in East China. They still worry about peak-season capacity.",
         "Draft the peak-season capacity plan"),
        (K.CALL, False, "Call: {month_en} invoice discrepancy",
         "Their finance team called: the {month_en} invoice is {amount} CNY above their records, "
         "probably return shipping charged twice. Our finance team is checking.",
         "Finance to check the {month_en} invoice and reply"),
        (K.EMAIL, True, "Email: quote for South China fulfilment",
         "Sent the South China fulfilment quote (storage, handling and line haul), valid for 30 "
         "days. They will review it internally next week.", "Chase their internal review"),
        (K.VISIT, False, "Site visit: picking and packing",
         "Walked their warehouse with the operations lead. Picking queues build up at peak times "
         "(about 40 minutes); suggested a new wave plan and one more packing station.",
         "Send the picking improvement proposal"),
        (K.UPDATE, False, "Renewal: they want a dedicated support contact",
         "Contract ends next quarter. Procurement wants to renew but asks for a dedicated support "
         "contact and Net 60 payment terms. Costing it internally.",
         "Cost the dedicated contact and prepare the renewal quote"),
        (K.CALL, False, "Follow-up call on last week's delivery complaint",
         "Called {contact} ({ctitle}): broadly happy with how the delay was handled, but they "
         "would like to hear about delays before their customers do.", ""),
        (K.UPDATE, False, "New main contact at the client",
         "Their previous buyer has left; {contact} ({ctitle}) is now our main contact. Sent our "
         "service overview and booked an intro call.", "Intro call with the new contact"),
        (K.MEETING, True, "Quarterly business review: volumes up {pct}%",
         "Volumes up {pct}% quarter on quarter, {ontime}% on time. Agreed to pilot Saturday "
         "deliveries and to review returns handling next quarter.",
         "Set up the Saturday delivery pilot"),
        (K.EMAIL, True, "Monthly service report: {ontime}% on time",
         "{n2} orders in {month_en}, {ontime}% on time, {k} complaints, all closed. Report sent "
         "to their operations lead.", ""),
    ),
}
KICKOFF: dict[str, NoteRow] = {
    "zh": (K.MEETING, True, "项目启动会：上线计划与双方对接人",
           "双方确认上线计划：首周试运行约 {small} 单/日，第三周起全量切换；明确了双方运营、财务、"
           "技术对接人及每周例会时间。", "发送上线计划与对接人清单"),
    "en": (K.MEETING, True, "Kick-off: go-live plan and contacts",
           "Agreed the go-live plan: a trial week at about {small} orders a day, full volume from "
           "week three. Named the operations, finance and IT contacts on both sides and set a "
           "weekly call.", "Send the go-live plan and contact list"),
}
CONFIRM_NOTE = {
    "zh": ("邮件确认需求：{title}", "{contact}（{ctitle}）邮件回复，确认以下需求：{wording}"),
    "en": ("Email: requirement confirmed: {title}", "{contact} ({ctitle}) confirmed by email: "
           "{wording}"),
}

# -- requirements ------------------------------------------------------------------------
REQUIREMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "zh": (
        ("每日 18:00 前推送前一日对账单（CSV，UTF-8）",
         "每个工作日 18:00 前，通过 SFTP 将前一日全部订单的对账单推送至客户指定目录。文件为 CSV "
         "格式、UTF-8 编码，字段包括订单号、签收时间、运费、退货运费。"),
        ("配送异常 2 小时内主动通知",
         "发生延误、破损或拒收时，2 小时内在企业微信群通知客户客服主管，24 小时内给出处理方案。"),
        ("专属客服：工作日 9:00–21:00 在线",
         "配置 2 名专属客服，工作日 9:00–21:00 在线，首次响应不超过 10 分钟；节假日安排值班。"),
        ("每月 5 日前提交上月服务报告",
         "每月 5 日前提交上月服务报告，内容包括订单量、准时率、破损率、投诉及处理结果，"
         "PDF 与 Excel 各一份。"),
        ("每月 10 日前开具增值税专用发票",
         "按上月确认的对账金额，于每月 10 日前开具税率 6% 的增值税专用发票，并邮寄至客户财务部。"),
        ("退货 48 小时内上门取件",
         "消费者发起退货后 48 小时内上门取件，取件结果实时回传客户 OMS 系统。"),
        ("订单数据境内存储，保存 3 年",
         "客户订单及收件人信息仅存储于境内服务器，保存 3 年；到期删除并出具删除证明。"),
        ("大促期间日处理能力不低于 2 万单",
         "双十一及 618 大促期间，仓库日处理能力不低于 20,000 单，超出部分须在 24 小时内发出。"),
        ("订单状态通过 API 实时回传",
         "揽收、在途、派送、签收各节点状态通过 HTTPS API 实时回传客户系统，延迟不超过 5 分钟。"),
        ("生鲜订单全程冷链 0–4℃",
         "生鲜订单自出库至签收全程冷链运输，温度保持在 0–4℃，每单温度记录保留 90 天供客户调阅。"),
    ),
    "en": (
        ("SSO login via the client's Azure AD",
         "Their staff sign in to our client portal through their Azure AD tenant (SAML 2.0). "
         "Leavers lose access within 24 hours of being disabled on their side."),
        ("Daily delivery report by 09:00",
         "A CSV of the previous day's deliveries (order number, delivered at, signed by, "
         "exceptions) sent to their operations mailbox by 09:00 local time every day."),
        ("Invoices quote their PO number",
         "Every invoice quotes the purchase order number it bills against; invoices without one "
         "are returned unpaid."),
        ("Damaged goods credited within 10 working days",
         "Goods damaged in our care are credited at cost within 10 working days of the claim, "
         "with photos attached."),
        ("Two-hour notice of delivery exceptions",
         "Any delay, damage or refused delivery is reported to their customer service lead "
         "within two hours, with a plan within one working day."),
        ("Named account manager with a backup",
         "A named account manager, and a named backup during holidays, reachable on working "
         "days 09:00–18:00."),
        ("Personal data deleted after two years",
         "Recipient names, phone numbers and addresses are deleted two years after delivery; a "
         "deletion report is sent each quarter."),
        ("Saturday deliveries in central Shanghai",
         "Orders placed by Friday 18:00 are delivered on Saturday within central Shanghai, at "
         "the weekday rate."),
    ),
}
REQ_STATUSES, REQ_WEIGHTS = (
    ("proposed", "confirmed", "changed", "withdrawn", "rejected"), (30, 40, 10, 10, 10))
REQ_REASONS = {
    ("zh", "changed"): ("客户确认后要求调整措辞，需重新确认。",),
    ("en", "changed"): ("Wording changed after they confirmed it; needs their sign-off again.",),
    ("zh", "withdrawn"): ("客户业务调整，不再需要此项。", "客户改用自有系统实现。"),
    ("en", "withdrawn"): ("No longer needed after their reorganisation.",
                          "They will handle this in-house."),
    ("zh", "rejected"): ("超出当前合同服务范围，需另行报价。",
                         "无法在约定时间内实现，已建议替代方案。"),
    ("en", "rejected"): ("Outside the contracted scope; would need a separate quote.",
                         "Not feasible in the time asked; suggested an alternative."),
}

# -- complaints --------------------------------------------------------------------------
# category, titles, description, internal notes, resolution, root cause; {placeholders}.
Kind = tuple[str, tuple[str, ...], str, tuple[str, ...], str, str]
CATEGORIES: dict[str, tuple[Kind, ...]] = {
    "zh": (
        ("配送延迟", ("{md}批次订单延迟送达", "次日达订单大面积超时", "门店补货车辆晚到 3 小时"),
         "{contact}反映：{md}发出的 {n} 单中有 {k} 单超过承诺时效，部分门店缺货，"
         "要求说明原因并按合同赔付。",
         ("已调取轨迹：延误集中在嘉兴分拨中心，当日分拣设备故障停机约 5 小时。",
          "与干线承运商确认，当晚车辆晚发 4 小时，且未及时通报。"),
         "延误原因为分拨中心分拣设备故障，已修复并增派夜班人手；受影响的 {k} 单按合同减免运费，"
         "已向客户书面说明。", "delivery"),
        ("账单错误", ("{m}月对账单金额与系统不符", "退货运费被重复计费", "发票税率开错"),
         "客户财务{contact}反映：{m}月账单比其系统多出 {amount} 元，疑似退货运费重复计算，"
         "要求更正后重开发票。",
         ("财务核对：有 {k} 笔退货运费同时出现在两张账单中。",
          "计费系统上月升级后，已取消订单未被排除在计费范围外。"),
         "确认重复计费 {amount} 元，已开具红字发票并在下期账单中抵扣；"
         "计费规则已修正并补充回归测试。",
         "billing"),
        ("服务态度", ("客服电话沟通态度生硬", "配送员与门店员工发生争执"),
         "{contact}投诉：{md}来电咨询时，我方客服多次打断、语气生硬，且未给出解决办法。",
         ("已调取通话录音，确认客服用语不当，未按标准话术处理。",
          "已与当事客服面谈，本人承认当时情绪失控。"),
         "已由客服主管致电道歉；当事客服完成服务规范复训，并列入本月质检重点。", "communication"),
        ("系统故障", ("订单接口报 500，订单无法同步", "客户门户无法登录", "轨迹推送中断约 6 小时"),
         "{contact}反映：自{md}上午起，订单推送接口持续返回 500 错误，约 {n} 单未同步，"
         "影响当日发货。",
         ("技术组确认：网关证书更新后配置遗漏，已回滚。", "积压订单已补推，正在逐单核对是否遗漏。"),
         "网关证书配置已修正，积压的 {n} 单已全部补推；新增接口错误率告警，"
         "5 分钟内通知值班工程师。",
         "product"),
        ("货物破损", ("生鲜包裹破损率偏高", "家电外箱破损遭门店拒收"),
         "{contact}反映：近一周到货破损 {k} 件，主要为外箱压损，门店拒收后需重新补货。",
         ("抽查分拨中心装车照片，重货压轻货现象明显。", "承运商承认装车未按堆码规范操作。"),
         "已要求承运商按堆码规范装车并加装护角；破损的 {k} 件按货值全额赔付。", "third_party"),
    ),
    "en": (
        ("Delivery delay", ("Next-day orders arriving two days late",
                            "Store replenishment truck missed its slot"),
         "{contact} reports that {k} of the {n} orders shipped on {md} arrived late, leaving "
         "shelves empty in several stores. They want an explanation and the contractual credit.",
         ("Tracking shows the delay at the Jiaxing hub: the sorter was down for about five hours.",
          "The line-haul carrier confirms the truck left four hours late and nobody told us."),
         "The delay came from a sorter breakdown at the hub; it is fixed and a night shift was "
         "added. Shipping fees for the {k} late orders were credited and the client was told in "
         "writing.", "delivery"),
        ("Billing error", ("Invoice charged the wrong rate card", "Return shipping billed twice"),
         "{contact} says the {m} invoice is {amount} CNY above their records, probably return "
         "shipping charged twice. They want a corrected invoice.",
         ("Finance found {k} return charges on two invoices.",
          "Since last month's billing update, cancelled orders are no longer excluded."),
         "Confirmed {amount} CNY charged twice; a credit note was issued and will be netted off "
         "the next invoice. The billing rule is fixed and covered by a test.", "billing"),
        ("Staff conduct", ("Driver rude to store staff", "Support agent cut their buyer off"),
         "{contact} complains that on {md} our driver argued with their store staff and left "
         "without unloading.",
         ("The carrier's supervisor has the driver's account; it matches the store's.",
          "Spoke to the carrier: the driver has been moved off this route."),
         "Our operations lead apologised in writing; the carrier retrained the driver and moved "
         "him off the route.", "third_party"),
        ("System outage", ("Tracking updates stopped for six hours",
                           "Portal login failing for their team"),
         "{contact} reports that tracking updates stopped reaching their system on {md}; about "
         "{n} orders show no status since the morning.",
         ("Engineering found the webhook queue stuck after a deploy; restarted.",
          "Backlog replayed; checking for any orders still missing."),
         "The stuck webhook queue was fixed and all {n} updates were replayed. An alert now "
         "pages the on-call engineer if the queue stops for five minutes.", "product"),
        ("Damaged goods", ("Cartons crushed in transit", "Glassware broken on arrival"),
         "{contact} reports {k} damaged cartons in the last week, mostly crushed; the stores "
         "refused them and had to reorder.",
         ("Loading photos from the hub show heavy cartons stacked on light ones.",
          "The carrier admits the stacking rules were not followed."),
         "The carrier now loads by the stacking rules with corner guards; the {k} damaged "
         "cartons were refunded at full value.", "delivery"),
    ),
}
CATEGORY_WEIGHTS = (34, 20, 10, 20, 16)  # delay, billing, conduct, outage, damage
STAFF_CATEGORIES = frozenset({"服务态度", "Staff conduct"})
OTHER_CAUSES = ("process", "communication", "customer", "other")
ACK_REPLIES = {
    "zh": ("您好，已收到您的反馈，我们正在核查，今天内给您初步答复。",
           "收到，已安排专人跟进，稍后电话与您联系。"),
    "en": ("Thanks for letting us know; we are looking into it and will update you today.",
           "Received; a named colleague is on it and will call you shortly."),
}
ASK_REPLIES = {
    "zh": ("麻烦提供受影响订单的完整单号清单，便于我们逐单核对。",
           "请提供现场照片及签收单，我们会尽快与承运商核实。",
           "请协助确认贵司系统侧的报错时间和日志截图。"),
    "en": ("Could you send the full list of affected order numbers so we can check each one?",
           "Could you send photos and the signed delivery notes?",
           "Could you send the error times and a screenshot from your side?"),
}
WAIT_REASON = {"zh": "等待客户补充资料", "en": "Waiting for details from the client"}
PROGRESS_REPLIES = {
    "zh": ("初步原因已查明，正在处理，预计明天给出完整方案。",
           "仍在与承运商核实，有进展第一时间告知。"),
    "en": ("We have found the likely cause and expect to send a full answer tomorrow.",
           "Still checking with the carrier; we will update you as soon as we hear."),
}
OUTCOME = {"zh": "处理结果：{summary}如有疑问请随时联系。",
           "en": "Outcome: {summary} Let us know if anything is still unclear."}
CLOSE_NOTE = {"zh": "客户确认处理结果，关闭。", "en": "Client confirmed the outcome; closing."}
REOPEN_NOTE = {"zh": "客户反馈同类问题再次出现，重新调查。",
               "en": "The client says the problem is back; investigating again."}
RESUMED = {"zh": "客户已补充资料，继续核查。", "en": "The client sent the details; carrying on."}
RECHECK = {"zh": "复查发现首次处理时遗漏了部分订单，正在逐一补救。",
           "en": "Rechecked: a few cases were missed the first time; putting them right."}
OFFICE_HOURS = (1, 10)  # the complaint desk's day in UTC: 09:00–18:00 in Shanghai
# A complaint found unfounded: title, description, internal note, rejection reason.
REJECTION = {
    "zh": ("{m}月账单加急费异议",
           "客户财务{contact}认为{m}月账单中 {k} 笔加急费不应收取，要求退还 {amount} 元。",
           "调取下单记录：{k} 笔订单均由客户在下单页自行勾选加急服务。",
           "经核对，所涉加急费为客户下单时自选的加急服务，计费正确；已向客户提供下单记录截图。"),
    "en": ("Disputed express surcharges on the {m} invoice",
           "{contact} disputes {k} express surcharges on the {m} invoice and asks for {amount} "
           "CNY back.",
           "Order logs show their team ticked express delivery on all {k} orders.",
           "The express surcharges were chosen by their team when ordering, so the billing is "
           "correct; order screenshots sent to the client."),
}
RATING_COMMENTS = {
    "zh": {5: ("处理及时，很满意。", "响应很快，谢谢。"), 4: ("结果满意，希望以后能提前通知。",),
           3: ("问题解决了，但过程有点慢。",), 2: ("拖得太久，需要改进。",), 1: ("非常不满意。",)},
    "en": {5: ("Quick and thorough, thank you.",), 4: ("Good outcome; warn us earlier next time.",),
           3: ("Fixed in the end, but it took a while.",), 2: ("Far too slow.",),
           1: ("Very disappointed.",)},
}
SEVERITIES, SEVERITY_WEIGHTS = (Severity.HIGH, Severity.MEDIUM, Severity.LOW), (30, 45, 25)
CHANNELS = (Channel.PHONE, Channel.EMAIL, Channel.CHAT, Channel.WEB, Channel.IN_PERSON)
CHANNEL_WEIGHTS = (30, 30, 20, 12, 8)
AGENTS = ("support@example.com",) * 3 + (
    "zhao.qiang@example.com", "zhao.qiang@example.com", "lucas.martin@example.com",
    "huang.ting@example.com")
LEAD = "support@example.com"

# scenario: how many, received this many days ago (range).
SCENARIOS = (
    ("new", 4, (0.01, 0.12)),  # the last few hours: the acknowledgement clock is running
    ("new_late", 2, (1.0, 3.0)),  # nobody has answered: acknowledgement overdue
    ("acknowledged", 3, (0.1, 0.35)),
    ("acknowledged_late", 2, (6.0, 12.0)),  # answered, then left: resolution overdue
    ("investigating", 8, (0.6, 14.0)),
    ("waiting", 4, (2.0, 10.0)),
    ("resolved", 10, (2.0, 20.0)),
    ("closed", 10, (6.0, 30.0)),
    ("rejected", 1, (5.0, 15.0)),
    ("reopened", 1, (8.0, 12.0)),
)
CRITICAL = frozenset({("new", 0), ("resolved", 0), ("closed", 0)})
UNASSIGNED = frozenset({("new", 1), ("new", 2), ("new_late", 0)})
TERMINAL = frozenset({S.RESOLVED, S.REJECTED})

Step = tuple[Conversation, Organization, User, str, date, bool]


def add_client_story(clients: list[Organization], users: dict[str, User], now: datetime,
                     seed: int) -> dict[str, int]:
    """Notes, requirements and complaints for ``clients`` (already in the session, with ids).

    Flushes once, for the ids the follow-ups point at. Returns how many of each were added.
    """
    rng = random.Random(seed)
    ensure_defaults()
    db.session.flush()
    live = [o for o in clients if o.archived_at is None and o.contacts
            and o.status in (OrgStatus.ACTIVE, OrgStatus.ON_HOLD)]
    fallback = users["accounts@example.com"]
    notes: list[Conversation] = []
    steps: list[Step] = []
    for org in rng.sample(live, min(40, len(live))):
        org_notes, org_steps = _notes(org, fallback, now, rng)
        notes += org_notes
        steps += org_steps
    active = [o for o in live if o.status == OrgStatus.ACTIVE]
    requirements: list[Requirement] = []
    for org in rng.sample(active, min(20, len(active))):
        found, confirmations = _requirements(org, fallback, now, rng)
        requirements += found
        notes += confirmations
    with db.session.no_autoflush:  # set_deadlines reads the policy: no flush per complaint
        complaints = _complaints(live, users, now, rng)
    db.session.add_all([*notes, *requirements, *complaints])
    db.session.flush()
    followups = [_followup(*step, now, rng) for step in steps]
    db.session.add_all(followups)
    return {"client_notes": len(notes), "client_followups": len(followups),
            "requirements": len(requirements), "complaints": len(complaints),
            "complaint_events": sum(len(c.events) for c in complaints)}


def _lang(org: Organization) -> str:
    return "en" if org.name.isascii() else "zh"


def _at_work(moment: datetime, lang: str, now: datetime, rng: random.Random) -> datetime:
    """A time in working hours on ``moment``'s day (Shanghai, or Europe for English clients)."""
    hour = rng.randint(1, 9) if lang == "zh" else rng.randint(7, 15)
    when = datetime.combine(moment.date(), time(hour, rng.choice((0, 10, 20, 30, 40, 50))), UTC)
    return when if when <= now else when - timedelta(days=1)


def _figures(when: datetime, contact: Contact, rng: random.Random) -> dict[str, object]:
    """The numbers and names a note or complaint quotes."""
    month = (when.month - 2) % 12 + 1  # last month
    quarter = (when.month - 1) // 3 or 4  # last quarter
    return {
        "q": CN_QUARTERS[quarter - 1], "qn": quarter, "month": month,
        "month_en": EN_MONTHS[month - 1], "pct": rng.randint(8, 25), "k": rng.randint(3, 12),
        "n": rng.choice((3500, 5200, 8000, 12000)), "n2": f"{rng.randint(18, 96) * 1000:,}",
        "small": rng.choice((200, 300, 500)), "ontime": rng.choice((96.8, 97.5, 98.2, 98.9)),
        "days": rng.choice((1.5, 2, 2.5, 3)), "hours": rng.choice((2, 3, 4)),
        "low": rng.randint(2, 9), "amount": f"{rng.randint(8, 95) * 100 + rng.choice((0, 50)):,}",
        "contact": contact.name, "ctitle": contact.title,
        "orders": rng.choice((120, 260, 480, 860, 1300)),
    }


def _people(org: Organization, author: User, kind: ConversationKind,
            rng: random.Random) -> tuple[list[User], list[Contact]]:
    members = [m.user for m in org.team.memberships if m.user is not author] if org.team else []
    ours = [author, *rng.sample(members, min(len(members), rng.randint(0, 2)))]
    wanted = rng.randint(0, 1) if kind == K.UPDATE else rng.randint(1, 2)  # updates: often none
    return ours, rng.sample(org.contacts, min(len(org.contacts), wanted))


def _note(org: Organization, author: User, row: NoteRow, when: datetime, values: dict,
          now: datetime, rng: random.Random) -> Conversation:
    kind, shareable, title, body, _step = row
    logged = min(now, when + timedelta(hours=rng.uniform(0.3, 20)))
    note = Conversation(
        organization=org, kind=kind.value, occurred_at=when, title=title.format(**values)[:200],
        body=body.format(**values), author=author,
        visibility="shared" if shareable and rng.random() < 0.5 else "internal",
        created_at=logged, updated_at=logged, created_by=author)
    note.our_people, note.their_people = _people(org, author, kind, rng)
    return note


def _notes(org: Organization, fallback: User, now: datetime,
           rng: random.Random) -> tuple[list[Conversation], list[Step]]:
    """One to five progress notes over the last 90 days, and next steps from recent ones."""
    lang, author = _lang(org), org.owner or fallback
    start = max(org.created_at + timedelta(hours=12), now - timedelta(days=NOTE_DAYS))
    end = now - timedelta(hours=2)
    if end <= start:
        return [], []
    rows = rng.sample(NOTES[lang], rng.randint(1, 5))
    times = sorted(max(start, _at_work(start + (end - start) * rng.random(), lang, now, rng))
                   for _ in rows)
    if org.created_at > now - timedelta(days=NOTE_DAYS) and rng.random() < 0.6:
        rows = [KICKOFF[lang], *rows[1:]]  # a newer client: the first note is the kick-off
        times[0] = min(times[0], start + timedelta(days=rng.uniform(0, 3)))
    notes, steps = [], []
    today = now.date()
    for row, when in zip(rows, sorted(times), strict=True):
        values = _figures(when, rng.choice(org.contacts), rng)
        note = _note(org, author, row, when, values, now, rng)
        notes.append(note)
        step, skip = row[4], rng.random() < 0.5
        if not step or when < now - timedelta(days=21) or skip:
            continue
        earliest = max(today - timedelta(days=7), when.date() + timedelta(days=1))
        due = earliest + timedelta(days=rng.randint(0, max(0, (today - earliest).days + 14)))
        done = rng.random() < (0.55 if due < today else 0.1) and when < now - timedelta(days=1)
        members = [m.user for m in org.team.memberships] if org.team else [author]
        owner = author if rng.random() < 0.6 else rng.choice(members)
        steps.append((note, org, owner, step.format(**values), due, done))
    return notes, steps


def _followup(note: Conversation, org: Organization, owner: User, title: str, due: date,
              done: bool, now: datetime, rng: random.Random) -> FollowUp:
    """The next step, entered with its note, perhaps done since."""
    created = note.created_at
    completed = None
    if done:
        latest = min(now, datetime.combine(due, time(10), UTC) + timedelta(days=2))
        completed = created + (latest - created) * rng.uniform(0.4, 1.0)
    return FollowUp(
        title=title[:200], owner_id=owner.id, due_on=due,
        status=(FollowUpStatus.DONE if done else FollowUpStatus.OPEN).value,
        completed_at=completed, source_type=note.__tablename__, source_id=note.id,
        organization_id=org.id, team_id=org.team_id, created_at=created,
        updated_at=completed or created, created_by_id=note.created_by_id)


def _requirements(org: Organization, fallback: User, now: datetime, rng: random.Random
                  ) -> tuple[list[Requirement], list[Conversation]]:
    """One to three requirements the client asked for, and emails confirming some of them."""
    lang, owner = _lang(org), org.owner or fallback
    start = max(org.created_at + timedelta(hours=6), now - timedelta(days=NOTE_DAYS))
    end = now - timedelta(days=1)
    if end <= start:
        return [], []
    found, notes = [], []
    for title, wording in rng.sample(REQUIREMENTS[lang], rng.randint(1, 3)):
        created = start + (end - start) * rng.random()
        status = rng.choices(REQ_STATUSES, REQ_WEIGHTS)[0]
        requirement = Requirement(
            organization=org, title=title, wording=wording, status=status,
            asked_by=rng.choice(org.contacts), owner=owner, created_at=created,
            updated_at=created, created_by=owner)
        if status in ("confirmed", "changed"):
            confirmer = rng.choice(org.contacts)
            confirmed = created + (now - created) * rng.uniform(0.1, 0.6)
            requirement.confirmed_by, requirement.confirmed_at = confirmer, confirmed
            requirement.updated_at = confirmed
            if status == "confirmed" and rng.random() < 0.5:
                subject, body = CONFIRM_NOTE[lang]
                values = {"title": title, "wording": wording, "contact": confirmer.name,
                          "ctitle": confirmer.title}
                note = Conversation(
                    organization=org, kind=K.EMAIL.value, occurred_at=confirmed,
                    title=subject.format(**values)[:200], body=body.format(**values),
                    author=owner, visibility="shared", created_at=confirmed,
                    updated_at=confirmed, created_by=owner)
                note.our_people, note.their_people = [owner], [confirmer]
                notes.append(note)
        if status in ("changed", "withdrawn", "rejected"):
            requirement.status_reason = rng.choice(REQ_REASONS[lang, status])
            since = requirement.confirmed_at or created
            requirement.updated_at = since + (now - since) * rng.uniform(0.3, 0.9)
        found.append(requirement)
    return found, notes


def _complaints(clients: list[Organization], users: dict[str, User], now: datetime,
                rng: random.Random) -> list[Complaint]:
    """About 45 complaints over the last 30 days, each in a state its scenario describes."""
    hot = set(rng.sample(range(len(clients)), min(6, len(clients))))
    weights = [4 if i in hot else 1 for i in range(len(clients))]
    complaints = []
    for scenario, count, (low, high) in SCENARIOS:
        for nth in range(count):
            received = now - timedelta(days=rng.uniform(low, high))
            if (scenario, nth) in CRITICAL and scenario == "new":  # half an hour to answer
                received = now - timedelta(minutes=rng.uniform(8, 25))
            if low >= 1:  # older ones came in during the (Shanghai) day
                received = min(now - timedelta(days=low), datetime.combine(
                    received.date(), time(rng.randint(0, 11), rng.randint(0, 59)), UTC))
            candidates = [(o, w) for o, w in zip(clients, weights, strict=True)
                          if o.created_at < received - timedelta(days=1)] or [
                (o, 1) for o in clients]
            org = rng.choices([c[0] for c in candidates], [c[1] for c in candidates])[0]
            complaints.append(_complaint(org, scenario, nth, received, users, now, rng))
    # Two confidential ones: personnel matters first, they stay with the complaint desk.
    staff = [c for c in complaints if c.category in STAFF_CATEGORIES]
    closed = [c for c in complaints if c.status == S.CLOSED and c not in staff]
    for complaint in (staff + closed)[:2]:
        complaint.is_confidential = True
    return complaints


def _path(scenario: str, rng: random.Random) -> list[ComplaintStatus]:
    """The statuses a complaint went through, first to current."""
    start = [S.NEW, S.ACKNOWLEDGED]
    if scenario.startswith("new"):
        return [S.NEW]
    if scenario.startswith("acknowledged"):
        return start
    if scenario == "investigating":
        paused = rng.random() < 0.3
        return start + ([S.INVESTIGATING, S.WAITING, S.INVESTIGATING] if paused
                        else [S.INVESTIGATING])
    if scenario == "waiting":
        return start + ([S.INVESTIGATING, S.WAITING] if rng.random() < 0.7 else [S.WAITING])
    if scenario == "rejected":
        return [*start, S.INVESTIGATING, S.REJECTED]
    if scenario == "reopened":
        return [*start, S.INVESTIGATING, S.RESOLVED, S.INVESTIGATING]
    roll = rng.random()
    work = ([S.RESOLVED] if roll < 0.2
            else [S.INVESTIGATING, S.WAITING, S.INVESTIGATING, S.RESOLVED] if roll < 0.45
            else [S.INVESTIGATING, S.RESOLVED])
    return start + work + ([S.CLOSED] if scenario == "closed" else [])


def _office(moment: datetime, low: datetime, high: datetime, rng: random.Random) -> datetime:
    """``moment`` moved into the desk's office hours that day or the next, within (low, high);
    unchanged if it is in office hours already or no office time falls in between."""
    share = rng.uniform(0.05, 0.95)  # drawn always: the sequence must not depend on the clock
    if OFFICE_HOURS[0] <= moment.hour < OFFICE_HOURS[1]:
        return moment
    for day in (moment.date(), moment.date() + timedelta(days=1)):
        opens = max(low, datetime.combine(day, time(OFFICE_HOURS[0]), UTC))
        closes = min(high, datetime.combine(day, time(OFFICE_HOURS[1]), UTC))
        if opens < closes:
            return opens + (closes - opens) * share
    return moment


def _spread(start: datetime, end: datetime, count: int, rng: random.Random) -> list[datetime]:
    """``count`` increasing times after ``start`` (mostly in office hours), the last by ``end``."""
    cuts = sorted(rng.uniform(0.1, 0.9) for _ in range(count - 1))
    times = [start + (end - start) * c for c in cuts] + [end]
    return sorted(_office(t, start, end + timedelta(seconds=1), rng) for t in times)


def _times(path: list[ComplaintStatus], received: datetime, complaint: Complaint,
           fresh: bool, now: datetime, rng: random.Random) -> list[datetime]:
    """When each status of the path was reached, consistent with the deadlines."""
    times = [received]
    if len(path) == 1:
        return times
    ack_due = complaint.ack_due_at or received
    if fresh:
        ack = received + min(ack_due - received, now - received) * rng.uniform(0.2, 0.8)
    elif rng.random() < 0.15:  # answered late
        ack = min(now - timedelta(minutes=5), ack_due + timedelta(minutes=rng.uniform(10, 180)))
    else:
        ack = _office(received + (ack_due - received) * rng.uniform(0.15, 0.85), received,
                      min(ack_due, now), rng)
    times.append(ack)
    rest = path[2:]
    if not rest:
        return times
    ends = [i for i, status in enumerate(rest) if status in TERMINAL]
    if not ends:  # still open: the last move was a while ago
        return times + _spread(ack, ack + (now - ack) * rng.uniform(0.2, 0.8), len(rest), rng)
    last = ends[0]
    after = len(rest) - last - 1  # closing or reopening after the resolution
    room = now - (timedelta(days=1) if after else timedelta(minutes=20))
    due = complaint.resolve_due_at or room
    target = (due + timedelta(hours=rng.uniform(2, 30)) if rng.random() < 0.2
              else received + (due - received) * rng.uniform(0.35, 0.95))
    end = min(target, room)
    if end <= ack + timedelta(minutes=20):
        end = ack + (room - ack) * 0.6
    times += _spread(ack, end, last + 1, rng)
    for _ in range(after):
        then = times[-1] + min(timedelta(days=rng.uniform(1, 4)),
                               (now - times[-1]) * rng.uniform(0.5, 0.9))
        times.append(_office(then, times[-1], now, rng))
    return times


def _complaint(org: Organization, scenario: str, nth: int, received: datetime,
               users: dict[str, User], now: datetime, rng: random.Random) -> Complaint:
    """One complaint, its pauses and its timeline, as the workflow would have left them."""
    lang = _lang(org)
    kinds = CATEGORIES[lang]
    category, titles, description, notes, summary, cause = (
        kinds[1] if scenario == "rejected"  # rejected: a disputed bill
        else rng.choices(kinds, CATEGORY_WEIGHTS)[0])
    reason = ""
    if scenario == "rejected":
        title, description, note, reason = REJECTION[lang]
        titles, notes = (title,), (note,)
    contact = rng.choice(org.contacts)
    values = _figures(received, contact, rng)
    values["n"] = values.pop("orders")
    values["m"] = values["month"] if lang == "zh" else values["month_en"]
    values["md"] = (f"{received.month}月{received.day}日" if lang == "zh"
                    else f"{received.day} {EN_MONTHS[received.month - 1]}")
    severity = (Severity.CRITICAL if (scenario, nth) in CRITICAL
                else Severity.HIGH if scenario == "new_late"
                else Severity.MEDIUM if scenario == "acknowledged_late"
                else rng.choices(SEVERITIES, SEVERITY_WEIGHTS)[0])
    lead = users[LEAD]
    assignee = None if (scenario, nth) in UNASSIGNED else users[rng.choice(AGENTS)]
    logger = assignee if assignee is not None and rng.random() < 0.4 else lead
    title = rng.choice(titles)
    created = min(now, received + timedelta(minutes=rng.uniform(1, 15)))
    complaint = Complaint(
        organization=org, contact=contact, title=title.format(**values)[:200],
        description=description.format(**values), category=category, severity=severity.value,
        channel=rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0].value, status=S.NEW.value,
        assignee=assignee, team=org.team, received_at=received, reopen_count=0,
        created_at=created, created_by=logger)
    set_deadlines(complaint)
    path = _path(scenario, rng)
    times = _times(path, received, complaint, scenario == "acknowledged", now, rng)
    events: list[tuple[datetime, dict]] = [(received, {"kind": EventKind.STATUS, "actor": logger,
                                                       "to_status": S.NEW.value})]
    if assignee is not None:
        events.append((min(now, received + timedelta(minutes=rng.uniform(2, 20))), {
            "kind": EventKind.ASSIGNMENT, "actor": logger, "assignee": assignee}))
    first = later = assignee or lead
    handover = now
    if len(path) > 3 and rng.random() < 0.15:  # handed over during the investigation
        later = users[rng.choice([a for a in AGENTS if a != first.email])]
        handover = _office(times[1] + (times[2] - times[1]) / 2, times[1], times[2], rng)
        events.append((handover, {"kind": EventKind.ASSIGNMENT, "actor": lead,
                                  "assignee": later}))
        complaint.assignee = later
    for i in range(1, len(path)):
        before, status, at = path[i - 1], path[i], times[i]
        handler = first if at < handover else later
        body = ""
        if status == S.ACKNOWLEDGED:
            complaint.acknowledged_at = at
            if rng.random() < 0.6:
                events.append((at, {"kind": EventKind.REPLY, "actor": handler,
                                    "body": rng.choice(ACK_REPLIES[lang])}))
        elif status.is_paused:
            body = WAIT_REASON[lang]
            events.append((at, {"kind": EventKind.REPLY, "actor": handler,
                                "body": rng.choice(ASK_REPLIES[lang])}))
            complaint.pauses.append(ComplaintPause(
                started_at=at, ended_at=times[i + 1] if i + 1 < len(path) else None))
        elif REOPENING.applies(before, status):
            body = REOPEN_NOTE[lang]
            complaint.reopen_count += 1
            complaint.resolved_at = complaint.closed_at = None
        elif status == S.RESOLVED:
            body = summary.format(**values)
            complaint.resolved_at, complaint.resolution_summary = at, body
            complaint.root_cause = cause if rng.random() < 0.8 else rng.choice(OTHER_CAUSES)
        elif status == S.REJECTED:
            body = complaint.rejection_reason = reason.format(**values)
            complaint.resolved_at = at
        elif status == S.CLOSED:
            body = CLOSE_NOTE[lang]
            complaint.closed_at = at
        events.append((at, {"kind": EventKind.STATUS, "actor": handler,
                            "from_status": before.value, "to_status": status.value,
                            "body": body}))
        if status == S.RESOLVED:
            events.append((at + timedelta(minutes=rng.uniform(1, 30)), {
                "kind": EventKind.REPLY, "actor": handler,
                "body": OUTCOME[lang].format(summary=body)}))
        if status == S.INVESTIGATING:  # what the digging found, before the next move
            nxt = times[i + 1] if i + 1 < len(path) else now
            found = (notes[:rng.randint(1, 2)] if before == S.ACKNOWLEDGED
                     else (RESUMED[lang],) if before.is_paused else (RECHECK[lang],))
            for j, text in enumerate(found):
                events.append((_office(at + (nxt - at) * (0.3 + 0.3 * j), at, nxt, rng), {
                    "kind": EventKind.NOTE, "actor": handler, "body": text.format(**values)}))
            if i + 1 == len(path) and rng.random() < 0.5:
                events.append((_office(at + (nxt - at) * 0.8, at, nxt, rng), {
                    "kind": EventKind.REPLY, "actor": handler,
                    "body": rng.choice(PROGRESS_REPLIES[lang])}))
    complaint.status = path[-1].value
    if complaint.is_resolved and rng.random() < 0.6:
        score = rng.choices((5, 4, 3, 2, 1), (40, 35, 15, 7, 3))[0]
        complaint.satisfaction = score
        if rng.random() < 0.7:
            complaint.satisfaction_comment = rng.choice(RATING_COMMENTS[lang][score])
    if complaint.pauses:
        set_deadlines(complaint)
    events.sort(key=lambda event: event[0])  # stable: same-time events keep their order
    for at, fields in events:
        complaint.events.append(ComplaintEvent(at=min(at, now), **{
            k: v.value if k == "kind" else v for k, v in fields.items()}))
    complaint.updated_at = max(created, min(now, events[-1][0]))
    return complaint
