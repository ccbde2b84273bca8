"""Demo team story: weekly meetings with minutes and action items, progress reports,
problems, resource requests, goals with check-ins, retrospectives, recognition and posts."""

# Chinese text uses full-width punctuation on purpose; it is not a confusable typo.

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from tracker.extensions import db
from tracker.models import (
    AgendaItem,
    FollowUp,
    FollowUpStatus,
    Goal,
    GoalCheckIn,
    Meeting,
    Post,
    PostComment,
    Problem,
    ProgressReport,
    Recognition,
    ResourceRequest,
    Retrospective,
    Team,
    User,
)

ZONE = ZoneInfo("Asia/Shanghai")  # the office's clock: meeting times and report periods
SERIES = "周例会 Weekly ops"
DAILY_TEAMS = frozenset({"complaints", "east"})  # the others report weekly
MEETING_LANG = {"client_success": "en"}  # minutes in the lead's language; the rest in Chinese
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
END = {"zh": "。", "en": "."}

# -- meetings ----------------------------------------------------------------------------
# weekday (Monday 0), hour, minute, place.
MEETING_SETUP = {
    "partner_dev": (0, 10, 0, "5F 大会议室 / 腾讯会议"),
    "client_success": (1, 10, 30, "5F 会议室 B / Zoom"),
    "complaints": (0, 9, 30, "客服中心 2F 培训室"),
    "analytics": (2, 14, 0, "5F 小会议室 / 飞书会议"),
    "east": (3, 9, 0, "华东运营中心 3F 会议室 / 腾讯会议"),
}

# The standing first item: title, discussion with this week's figures, decision, figure ranges.
REVIEW = {
    "partner_dev": (
        "上周行动项与数据回顾",
        "本周新增接洽伙伴 {a} 家，推进中的谈判 {b} 项，新签 {c} 项。上周行动项逐项过了一遍。",
        "未完成的行动项顺延，负责人会后更新截止日期。", ((2, 6), (4, 9), (0, 2))),
    "client_success": (
        "Last week's numbers and actions",
        "Client calls: {a}. Renewals signed: {b}. Escalations from the complaint desk: {c}. "
        "Went through last week's action items one by one.",
        "Anything still open carries over; owners update the due dates after the meeting.",
        ((18, 30), (1, 4), (0, 3))),
    "complaints": (
        "本周工单数据回顾",
        "本周受理投诉 {a} 起，按时关闭率 {b}%，平均首次响应 {c} 小时。退款类仍是主要来源。",
        "继续按类别跟踪，超时工单逐单复盘。", ((38, 65), (86, 97), (2, 6))),
    "analytics": (
        "交付情况与行动项回顾",
        "本周交付报表 {a} 份，临时取数需求 {b} 个，发现数据质量问题 {c} 个。",
        "数据质量问题统一记入问题清单，由提出人跟到关闭。", ((6, 12), (5, 14), (0, 3))),
    "east": (
        "华东运营指标回顾",
        "本周华东发货 {a} 万单，次日达率 {b}%，破损率 0.{c}%。",
        "次日达率低于 97% 的城市下周单独复盘。", ((18, 32), (94, 97), (5, 8))),
}

# title, discussion, decisions, action items.
Topic = tuple[str, str, str, tuple[str, ...]]
TOPICS: dict[str, tuple[Topic, ...]] = {
    "partner_dev": (
        ("云途物流续约谈判", "上海云途物流提出服务费下调 5%，我方测算后最多可接受 3%。"
         "对方要求月底前答复。",
         "按 3% 的让步上限报价；对方坚持 5% 则升级给李娜审批。",
         ("发送云途物流续约修订报价（下调 3%）", "整理云途物流近半年 SLA 数据")),
        ("华南冷链服务商引入", "华南客户冷链需求增长，目前只有武汉长江冷链覆盖华中。"
         "已初步接触两家广州冷链服务商。",
         "两周内完成两家的资质审核和报价比对。", ("完成两家广州冷链服务商资质审核",)),
        ("合作伙伴季度评分", "本季度共评分 22 家，平均 81 分；深圳智联客服连续两个季度低于 70 分。",
         "智联客服进入 60 天整改观察期，期满未达标不再续约。", ("向智联客服发送整改通知函",)),
        ("Northwind Logistics onboarding", "Contract signed and the API sandbox is ready. "
         "Their team needs our label format spec and a 200-order test batch.",
         "Go live in East China first; the UK returns flow follows next month.",
         ("Send the label format spec to Northwind", "Run the 200-order test batch")),
        ("电子合同平台续费", "易签电子合同年费下月到期，500 个账号的使用率只有 62%。",
         "续费时账号数降到 350 个，预计每年节省约 4 万元。", ("与易签确认 350 个账号的续费报价",)),
        ("伙伴信息库清理", "系统中有 40 多位伙伴联系人超过一年未更新，部分邮件已被退回。",
         "每人认领自己负责的伙伴，两周内更新联系人和决策链。",
         ("更新负责伙伴的联系人及决策链",)),
    ),
    "client_success": (
        ("Renewals due next quarter", "Seven clients renew next quarter; 悦家超市 and 木子电商 "
         "are 40% of the group's revenue. 木子 asked for a dedicated support contact.",
         "Offer 木子 a named contact at no extra cost if they sign for two years.",
         ("Send 木子电商 the two-year renewal offer", "Renewal health check for 悦家超市")),
        ("NPS results", "NPS this month is 36, down from 39. Detractors mostly mention slow "
         "refunds.", "Share the refund verbatims with the complaint desk; track refund time "
         "weekly.", ("Send the refund verbatims to the complaint desk",)),
        ("QBR schedule", "Eight QBRs this quarter; three are not booked yet.",
         "Book the rest before month end, using the new deck template.",
         ("Book QBRs with 博雅教育, 紫金医药 and 晨光母婴",)),
        ("New client onboarding", "Two clients signed last month. Kick-off calls are done; "
         "申美化妆品's data feed is still pending.",
         "Olivia owns the data feed set-up with product.",
         ("Confirm the go-live date of the 申美化妆品 data feed",)),
        ("Churn risk: 天府茶饮", "Volumes down 30% for two months; their new head of "
         "operations is talking to competitors.",
         "Visit them in Chengdu with the regional manager within two weeks.",
         ("Arrange the on-site visit to 天府茶饮",)),
        ("Case study with Harbor & Pine", "Draft approved by their operations team; their "
         "legal team still has to review it.", "Publish once legal signs off; no changes "
         "to the numbers.", ("Chase Harbor & Pine legal for sign-off",)),
    ),
    "complaints": (
        ("超时工单复盘", "本周超时关闭工单 7 起，集中在退款类，平均超时 5 小时。",
         "退款类首次响应时限改为 4 小时，超时自动升级给组长。", ("更新退款类工单处理 SOP",)),
        ("悦家超市重复投诉", "悦家超市本月重复投诉 3 次，均为同一门店配送延误。",
         "与客户成功组联合回访，并要求配送商给出整改方案。",
         ("联合客户成功组回访悦家超市", "收集配送商整改方案")),
        ("Complaint categories", "18% of tickets are tagged 'Other', so the monthly category "
         "report says little.", "Merge into 8 categories and retag last month's 'Other' "
         "tickets.", ("Retag last month's 'Other' tickets",)),
        ("周末值班安排", "周末工单量占全周 22%，目前只有一人值班，超时率是工作日的两倍。",
         "周末改为两人轮值，试行一个月。", ("排出下月周末两人轮值表",)),
        ("退货政策话术", "新退货政策上线后，客服回复口径不一致，已有客户投诉说法前后矛盾。",
         "黄婷整理 10 条标准话术，周五前发到群里。", ("整理退货政策标准话术 10 条",)),
        ("满意度回访抽检", "本周回访抽检 60 单，满意度 89%，5 单明确不满意。",
         "不满意的 5 单由组长逐一二次回访。", ("完成 5 单不满意工单的二次回访",)),
    ),
    "analytics": (
        ("周报自动化", "周报目前手工汇总约需 4 小时，60% 的指标已能直接从数据库取数。",
         "两周内写完剩余指标的取数脚本，周报改为自动发送。", ("完成周报剩余指标取数脚本",)),
        ("SLA 口径统一", "客户成功组和客诉组对“按时关闭”的口径不一致：一个按自然日，一个按工作日。",
         "统一按工作小时计算，文档更新后同步两组。", ("更新 SLA 指标口径文档",)),
        ("Dashboard performance", "The client dashboard takes 12 s to load; the complaints "
         "query scans the whole table.", "Add a nightly summary table; target under 3 s.",
         ("Build the nightly complaints summary table",)),
        ("月报数据核对", "上月月报中华东区订单量与财务口径相差 1.8%，原因是退货单的统计时点不同。",
         "以财务口径为准，月报中注明差异原因。", ("与财务核对华东区订单量差异",)),
        ("数据需求排期", "本周新增临时取数需求 9 个，积压 14 个，最长的已等 3 周。",
         "按影响的客户数排优先级，每周三统一排期。", ("整理数据需求积压清单并排优先级",)),
    ),
    "east": (
        ("大促备战", "预计大促期间华东日均单量约 5.6 万单，是平时的两倍；苏州仓库位缺口约 "
         "1,500 平方米。", "向恒信仓储临时租用 1,500 平方米，合同期两个月。",
         ("与恒信仓储签订临时库位协议", "确认大促期间临时人手排班")),
        ("杭州区域配送时效",
         "杭州区域次日达率 94.1%，低于 97% 的目标，主要是末端站点分拣能力不足。",
         "与云途物流协商增加一个晚班分拣。", ("与云途物流确认增加晚班分拣",)),
        ("Shanghai returns hub", "Returns wait 3.5 days on average before inspection; two "
         "VIP clients have complained about slow refunds.",
         "Pilot same-day inspection for VIP clients' returns.",
         ("Draft the same-day returns inspection pilot plan",)),
        ("合肥新仓选址", "候选两处：经开区租金低、离高速近；高新区离主要客户近。",
         "下周实地考察两处，月底前提交选址建议。", ("实地考察合肥两处候选仓库",)),
        ("仓库安全检查", "月度消防检查发现南京仓两处消防通道被货物占用。",
         "当天清理，仓库主管每日巡检并拍照上报。", ("南京仓消防通道每日巡检",)),
    ),
}

# Other business: title, discussion, decision.
AOB = {
    "zh": (("其他事项", "下周三下午公司消防演练，请提前安排好手头工作。",
            "全员参加，值班同事除外。"),
           ("其他事项", "新同事下周一入职，需要准备系统账号和培训计划。", "组长安排带教人。"),
           ("其他事项", "季度团建初定月底，地点待投票。", "周五前在群里投票。")),
    "en": (("Any other business", "Fire drill next Wednesday afternoon.",
            "Everyone takes part except whoever is on duty."),
           ("Any other business", "A new colleague starts on Monday; accounts and training "
            "plan needed.", "The lead names a buddy for the first month.")),
}
UPCOMING_NOTES = {"zh": "议程已发出，会前请更新各自行动项的进展。",
                  "en": "Agenda sent; please update your action items before the meeting."}
PAST_NOTES = {"zh": "记录：{who}。缺席：{absent}（请假）。",
              "en": "Minutes: {who}. Apologies: {absent}."}

# Recurring action items agreed in the oldest meeting: title, every, unit, the decision.
RECURRING = {
    "partner_dev": ("每周一提交周报", 1, "weeks", "从本周起每人每周一 12:00 前在系统里提交周报。"),
    "analytics": ("每周一 10:00 发送运营周报", 1, "weeks",
                  "运营周报每周一 10:00 前发出，孙浩审核。"),
    "complaints": ("每日 10:00 复盘前一天的超时工单", 1, "days",
                   "每天 10:00 站会复盘前一天的超时工单。"),
}

# -- progress reports ----------------------------------------------------------------------
# language -> (done, next, blockers) for each team.
Pools = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
REPORTS: dict[str, dict[str, Pools]] = {
    "partner_dev": {
        "zh": (("完成云途物流续约修订报价并发给对方", "与两家广州冷链服务商完成首轮沟通",
                "整理本季度合作伙伴评分表", "陪同对方商务总监参观苏州仓",
                "更新 6 家伙伴的联系人与决策链信息", "完成易签电子合同续费报价比对",
                "跟进港联货代补充协议的法务审核"),
               ("跟进云途物流对修订报价的反馈", "准备冷链服务商资质审核材料",
                "约智联客服沟通整改计划", "起草华南试点合作方案", "完成本月伙伴对账"),
               ("云途物流法务迟迟未回复补充协议，可能影响月底签约。",
                "冷链服务商要求预付 30%，需要财务审批。",
                "智联客服对接人离职，新对接人尚未确定。")),
        "en": (("Sent Northwind the label format spec",
                "Ran the 200-order test batch with Northwind; fixed 3 errors",
                "Updated contacts and decision makers for my partners",
                "Reviewed Blue Harbor's settlement report"),
               ("Northwind go-live checklist", "Prepare the Summit Cloud renewal pack",
                "Chase Meridian Freight on the amended SLA"),
               ("Northwind's IT team is away until Wednesday; the API switch-over waits.",
                "Still no signed NDA from Redwood Analytics.")),
    },
    "client_success": {
        "zh": (("完成悦家超市续约健康度检查", "回访紫金医药新任采购经理",
                "整理本月 NPS 反馈中的退款相关意见", "协助晨光母婴开通数据看板",
                "与天府茶饮运营负责人电话沟通单量下滑原因"),
               ("准备木子电商两年期续约方案", "预约博雅教育季度业务回顾",
                "跟进申美化妆品数据对接上线", "整理客户流失风险清单"),
               ("天府茶饮新任运营负责人一直未回复，拜访时间定不下来。",
                "申美化妆品数据对接要等产品组排期。")),
        "en": (("Renewal health check for 悦家超市 done", "Booked QBRs with 博雅教育 and 紫金医药",
                "Sent the refund-related NPS verbatims to the complaint desk",
                "Kick-off call with 申美化妆品", "Updated the renewal forecast"),
               ("Two-year renewal offer for 木子电商", "Churn-risk visit to 天府茶饮",
                "Case study sign-off with Harbor & Pine"),
               ("Product has not scheduled the 申美化妆品 data feed yet.",
                "Harbor & Pine legal has not replied in two weeks.")),
    },
    "complaints": {
        "zh": (("处理退款类投诉 12 起，全部按时关闭", "完成悦家超市门店配送延误的联合回访",
                "更新退款类工单处理 SOP", "整理退货政策标准话术 10 条",
                "二次回访不满意工单 5 单，3 单转为满意", "协助客户成功组核对月度投诉数据"),
               ("跟进配送商整改方案", "排好下月周末轮值表", "处理积压的 3 单跨部门投诉",
                "抽检昨日已关闭工单的回复质量"),
               ("两单跨境退款等财务审批，已超时 1 天。",
                "配送商未按时提供延误说明，工单无法关闭。",
                "工单系统下午宕机 40 分钟，部分工单超时。")),
        "en": (("Retagged 46 'Other' tickets into the new categories",
                "Closed 9 refund complaints within SLA",
                "Drafted English reply templates for overseas clients",
                "Reviewed yesterday's escalations with 刘洋"),
               ("Finish retagging the remaining 'Other' tickets",
                "Call Greenfield Retail back about the damaged shipment",
                "Update the category guide"),
               ("Need finance sign-off for two cross-border refunds.",
                "Waiting for the carrier's damage report for Greenfield Retail.")),
    },
    "analytics": {
        "zh": (("完成周报 8 项指标的取数脚本", "统一 SLA“按时关闭”口径并更新文档",
                "与财务核对华东区订单量差异", "交付客户成功组的续约预测表",
                "修复投诉看板的重复计数问题"),
               ("完成剩余 4 项指标的取数脚本", "整理数据需求积压清单并排优先级", "月报初稿",
                "评估夜间汇总表方案"),
               ("财务口径调整尚未书面确认，月报数据暂时无法定稿。",
                "生产库只读账号还在审批中。")),
        "en": (("Built the nightly complaints summary table in staging",
                "Dashboard load time down from 12 s to 5 s in staging",
                "Reviewed the SLA definitions document", "Answered 5 ad-hoc data requests"),
               ("Ship the summary table to production",
                "Add the refund-time chart to the client dashboard",
                "Document the data refresh schedule"),
               ("Waiting for DBA approval to add indexes in production.",)),
    },
    "east": {
        "zh": (("与恒信仓储确认临时库位 1,500 平方米",
                "杭州站点晚班分拣试运行，次日达率回升到 94.6%",
                "完成南京仓消防通道巡检", "实地考察合肥经开区候选仓库",
                "协调云途物流增加两台干线车辆", "处理苏州仓 3 单错发件"),
               ("跟进临时库位合同用印", "考察合肥高新区候选仓库", "整理大促临时人手排班",
                "复盘杭州区域时效"),
               ("恒信仓储合同还在法务审核，库位最晚需下周三前确认。",
                "临时工招聘进度慢，缺口约 12 人。",
                "合肥候选仓库业主不同意两年以下的租期。")),
        "en": (("Drafted the same-day returns inspection pilot plan",
                "Walked the Shanghai returns hub with the site manager",
                "Checked VIP clients' return volumes for the pilot"),
               ("Start the returns pilot with two VIP clients",
                "Measure returns waiting time daily"),
               ("The returns hub is two inspectors short this week.",)),
    },
}
LEAD_COMMENTS = {
    "zh": ("辛苦了，进展很好。", "收到。下周重点盯一下进度，有困难随时说。",
           "这个事项记得同步给相关同事。", "好的，周例会上再对一下优先级。",
           "数据核对得很细，谢谢。"),
    "en": ("Thanks, good progress.", "Let's pick this up in the weekly meeting.",
           "Nice work; please share it with the team.", "Good. Keep the client posted."),
}
BLOCKER_COMMENTS = {
    "zh": ("这个阻塞我来协调，今天找对方负责人沟通。", "已升级给部门负责人，明天给答复。"),
    "en": ("I'll chase this today.", "Escalated to the department head; expect an answer "
           "tomorrow."),
}
WEEKLY_HISTORY = 5  # earlier weekly periods, all reported
DAILY_HISTORY = 6  # earlier working days, all reported

# -- problems and requests -------------------------------------------------------------------
# language, title, impact, urgency, status, solution.
ProblemRow = tuple[str, str, str, str, str, str]
PROBLEMS: dict[str, tuple[ProblemRow, ...]] = {
    "partner_dev": (
        ("zh", "合同到期提醒不及时",
         "上季度有 2 份合同过了通知期才发现，只能被动自动续约，多付约 8 万元。",
         "high", "solved", "为所有伙伴合同设置通知期前 30 天的跟进提醒，每周例会检查。"),
        ("zh", "冷链服务商资质审核周期长", "平均 3 周才能完成审核，华南客户上线因此推迟。",
         "medium", "in_progress", ""),
        ("en", "Partner contact data is out of date", "About 40 partner contacts have not "
         "been updated in a year; emails bounce.", "low", "open", ""),
    ),
    "client_success": (
        ("en", "Renewal reminders come too late", "Two renewals were flagged only two weeks "
         "before expiry, too late for a proper review.", "high", "solved",
         "Renewal follow-ups now start 90 days out and are checked in the weekly meeting."),
        ("zh", "客户数据看板字段不全", "客户反馈看板缺少签收时间和签收人，每周要手工补一份报表。",
         "medium", "in_progress", ""),
        ("zh", "大客户对接人变动频繁", "本季度 5 家客户更换对接人，交接信息经常遗漏。",
         "medium", "open", ""),
        ("en", "QBR decks take too long", "Each QBR deck takes about a day of manual data "
         "pulls.", "low", "open", ""),
    ),
    "complaints": (
        ("zh", "退款类投诉首次响应慢", "退款类平均首次响应 9 小时，是满意度下降的主要原因。",
         "high", "in_progress", ""),
        ("zh", "投诉分类不统一", "18% 的工单被标为“其他”，无法分析投诉原因。", "medium", "solved",
         "合并为 8 个标准分类，历史“其他”工单已重新归类，新工单必须选择分类。"),
        ("en", "No English reply templates", "Overseas clients get machine-translated "
         "replies; two complained about the tone.", "medium", "solved",
         "Wrote 15 English reply templates, reviewed by a professional translator."),
        ("zh", "周末只有一人值班", "周末工单占全周 22%，单人值班时超时率翻倍。", "high",
         "open", ""),
    ),
    "analytics": (
        ("zh", "周报手工汇总耗时", "每周约 4 小时手工汇总，而且容易出错。", "medium",
         "in_progress", ""),
        ("en", "Client dashboard is slow", "It took 12 s to load; account managers stopped "
         "using it in client calls.", "high", "solved",
         "A nightly summary table and two indexes; it now loads in under 3 s."),
    ),
    "east": (
        ("zh", "杭州区域次日达率不达标", "近四周次日达率 94.6%，低于 97% 的目标，相关投诉增加。",
         "high", "in_progress", ""),
        ("zh", "南京仓消防通道被占用", "月度检查发现两处通道堆货，存在安全隐患。", "high", "solved",
         "当天清理；仓库主管每日巡检拍照上报，已连续三周无问题。"),
        ("en", "Returns wait too long before inspection", "3.5 days on average in Shanghai; "
         "VIP clients complain about slow refunds.", "medium", "open", ""),
    ),
}

# language, kind, title, amount, unit, reason, status, granted (partly), approver's note.
RequestRow = tuple[str, str, str, int, str, str, str, int | None, str]
REQUESTS: dict[str, tuple[RequestRow, ...]] = {
    "partner_dev": (
        ("zh", "budget", "华南冷链服务商实地考察差旅费", 12000, "CNY",
         "两人三天，到广州、东莞实地考察两家冷链服务商。", "approved", None,
         "同意，注意控制住宿标准。"),
        ("zh", "budget", "年度合作伙伴大会场地及餐饮", 80000, "CNY",
         "邀请 30 家核心伙伴参加年度合作伙伴大会。", "partly_approved", 50000,
         "预算紧张，先批 5 万元，规模控制在 20 家以内。"),
    ),
    "client_success": (
        ("en", "people", "One more customer success manager", 1, "persons",
         "Accounts per manager went from 18 to 26 this year; renewals are slipping.",
         "requested", None, ""),
        ("zh", "budget", "客户满意度调研礼品", 6000, "CNY",
         "NPS 调研回复率只有 12%，计划给填写问卷的客户寄小礼品。", "rejected", None,
         "不建议用礼品换回复，先缩短问卷、调整发送时间。"),
    ),
    "complaints": (
        ("zh", "people", "周末值班兼职客服", 2, "人",
         "周末工单量占全周 22%，需增加两名周末兼职客服。",
         "partly_approved", 1, "先增加 1 人试行一个月，看超时率再定。"),
        ("zh", "equipment", "降噪耳机", 6, "副", "客服中心开放办公区噪音大，通话质量差。",
         "fulfilled", None, "同意，行政统一采购。"),
        ("en", "budget", "Professional review of English templates", 3000, "CNY",
         "A translator reviews the 15 English reply templates before they go live.",
         "approved", None, ""),
    ),
    "analytics": (
        ("zh", "equipment", "数据分析用高配笔记本", 1, "台",
         "现有电脑内存 8G，跑月报脚本经常卡死。",
         "fulfilled", None, ""),
        ("en", "budget", "BI tool licences", 4, "licences",
         "Four more seats so the team leads can build their own reports.", "requested",
         None, ""),
    ),
    "east": (
        ("zh", "people", "大促临时拣货打包人员", 15, "人",
         "大促期间苏州仓日均单量翻倍，需临时增加 15 名拣货打包人员。", "partly_approved", 12,
         "先批 12 人，其余与恒信仓储协商由对方调配。"),
        ("zh", "budget", "合肥仓选址考察费用", 8000, "CNY", "三人两天赴合肥考察两处候选仓库。",
         "approved", None, ""),
        ("zh", "equipment", "手持 PDA 扫描枪", 10, "台", "现有 PDA 故障率高，入库扫描经常要重扫。",
         "rejected", None, "IT 下月统一采购新一代设备，这次先维修现有设备。"),
    ),
}

# -- goals -----------------------------------------------------------------------------------
# title, metric, unit, baseline, target, why, started days ago, due in days,
# check-ins (days ago, value), index of the parent goal or None.
GoalRow = tuple[str, str, str, str, str, str, int, int, tuple[tuple[int, str], ...], int | None]
GOALS: dict[str, tuple[GoalRow, ...]] = {
    "partner_dev": (
        ("本季度新签合作伙伴 8 家", "新签合作伙伴数", "家", "0", "8",
         "华东、华南客户增长快，现有服务商产能不足。", 60, 30,
         ((45, "2"), (25, "4"), (8, "6")), None),
        ("华南新签冷链服务商 2 家", "华南新签冷链服务商数", "家", "0", "2",
         "华南生鲜客户需要冷链，目前只能由华中服务商跨区支持。", 45, 12,
         ((35, "0"), (20, "0"), (5, "1")), 0),
    ),
    "client_success": (
        ("Raise NPS from 32 to 45", "NPS", "", "32", "45",
         "Detractors churn at three times the rate of promoters.", 75, 45,
         ((60, "34"), (40, "36"), (20, "37"), (5, "39")), None),
        ("Renewal rate from 85% to 92%", "Renewal rate", "%", "85", "92",
         "Each point of renewal rate is worth about 1.2 million CNY a year.", 60, 30,
         ((45, "86.5"), (25, "88"), (8, "90")), 0),
        ("Cut onboarding time from 21 to 14 days", "Days from signing to first order", "days",
         "21", "14", "Clients judge us in their first month; slow starts lead to early churn.",
         80, 20, ((60, "19"), (35, "16"), (12, "14")), None),
    ),
    "complaints": (
        ("投诉率从 5% 降到 2%", "投诉率（投诉数/订单数）", "%", "5", "2",
         "投诉率是客户续约时最看重的服务指标。", 70, 50,
         ((56, "4.6"), (35, "4.0"), (14, "3.5"), (3, "3.1")), None),
        ("退款类首次响应从 9 小时缩短到 4 小时", "退款类平均首次响应时长", "小时", "9", "4",
         "退款类占投诉的 40%，响应慢是客户不满的首要原因。", 50, 10,
         ((40, "7.5"), (25, "5.5"), (10, "4.2"), (2, "3.8")), 0),
        ("客户满意度从 88% 提升到 95%", "回访满意度", "%", "88", "95",
         "满意度低于 90% 的客户续约率明显偏低。", 60, 60,
         ((45, "88.5"), (30, "89.5"), (10, "90.5")), None),
    ),
    "analytics": (
        ("周报指标自动化率从 40% 到 100%", "自动取数的周报指标占比", "%", "40", "100",
         "手工汇总每周占用 4 小时，而且容易出错。", 50, 10,
         ((40, "55"), (25, "75"), (10, "90"), (3, "100")), None),
        ("临时取数平均交付时间从 5 天缩短到 2 天", "临时取数平均交付天数", "天", "5", "2",
         "业务组等数据的时间太长，很多决策只能凭感觉。", 40, 20,
         ((30, "4.6"), (15, "4.3"), (4, "4.1")), 0),
    ),
    "east": (
        ("华东次日达率从 95.5% 提升到 97.5%", "华东次日达率", "%", "95.5", "97.5",
         "次日达是华东客户选择我们的首要原因。", 60, 30,
         ((45, "95.8"), (25, "96.2"), (8, "96.6")), None),
        ("杭州次日达率从 93% 提升到 97%", "杭州次日达率", "%", "93", "97",
         "杭州是华东时效最差的城市，拉低了整体指标。", 45, 15,
         ((35, "93.4"), (20, "94.1"), (5, "94.6")), 0),
        ("破损率从 0.8% 降到 0.5%", "华东包裹破损率", "%", "0.8", "0.5",
         "破损理赔每月约 6 万元，也是客户投诉的第三大原因。", 30, 60,
         ((20, "0.74"), (6, "0.66")), None),
    ),
}
CHECKIN_NOTES = {
    "zh": ("按月度数据更新。", "新流程上线后改善明显。", "本期受大促影响，进度放缓。",
           "与财务、客诉组对齐口径后重新统计。", "进展符合预期。"),
    "en": ("Updated from the monthly figures.", "Clear improvement since the new process "
           "started.", "Slower this period because of the peak season.", "On plan."),
}

# -- retrospectives --------------------------------------------------------------------------
# title, went well, fell short, lessons, actions (title, done).
RetroRow = tuple[str, str, str, str, tuple[tuple[str, bool], ...]]
RETROS: dict[str, RetroRow] = {
    "partner_dev": (
        "季度续约谈判复盘",
        "提前 60 天启动续约谈判，5 家主要伙伴均按时续签；"
        "法务提前介入，补充协议审核从 2 周缩短到 5 天。",
        "云途物流谈判拖了 6 周，主要是我方让步上限没有事先定好；两份合同险些错过通知期。",
        "谈判前先在内部确定让步上限和审批人；所有合同的通知期都要有提醒。",
        (("为所有伙伴合同设置通知期提醒", True), ("整理谈判让步审批流程", False))),
    "client_success": (
        "Retro: autumn renewal campaign",
        "18 of 21 renewals signed on time; the 90-day health checks surfaced two risks early.",
        "Three renewals slipped because pricing approval took over a week; QBR decks were "
        "rushed.",
        "Get pricing pre-approved for standard renewals; start QBR preparation two weeks ahead.",
        (("Agree a pre-approved renewal price band with finance", False),
         ("Build a QBR deck template with the data filled in", True))),
    "complaints": (
        "上月客诉高峰复盘",
        "高峰期日均受理 95 起，按时关闭率仍保持 91%；提前准备的退款话术减少了重复沟通。",
        "周末单人值班，超时工单集中在周末；跨境退款等财务审批平均多等 1.5 天。",
        "高峰期提前排双人轮值；跨境退款与财务约定 24 小时审批时限。",
        (("与财务约定跨境退款 24 小时审批时限", False), ("高峰期双人轮值写入排班规则", True))),
    "analytics": (
        "月报自动化项目复盘",
        "月报出数时间从 3 天缩短到半天；口径文档第一次做到全组一致。",
        "财务口径变更没有提前通知，导致两次返工；测试只覆盖了华东数据。",
        "口径变更要走变更登记；自动化脚本上线前要覆盖全部区域的数据。",
        (("建立指标口径变更登记表", False),)),
    "east": (
        "月末大促华东运营复盘",
        "大促期间华东共发货 46 万单，次日达率 96.1%；临时库位和人手提前一周到位。",
        "杭州站点分拣能力不足，高峰两天积压约 8,000 单；临时工培训不足，错发率升高。",
        "大促前两周做分拣压测；临时工上岗前必须完成半天培训并通过考核。",
        (("制定大促前分拣压测方案", False), ("编写临时工上岗培训清单", True))),
}

# -- recognition and posts -------------------------------------------------------------------
PRAISE: dict[str, dict[str, tuple[str, ...]]] = {
    "partner_dev": {
        "zh": ("感谢{name}连续两周加班整理云途物流近半年的 SLA 数据，谈判时对方没有再坚持降价 5%。",
               "{name}主动梳理了 20 多家伙伴的合同通知期，帮我们避免了两份合同被动续约。",
               "谢谢{name}周末陪同冷链服务商参观苏州仓，对方当场确认了合作意向。",
               "{name}把伙伴评分表做成了模板，这个季度的评分只用了半天。"),
        "en": ("Thanks {name} for turning the Northwind test batch around in a day; we went "
               "live a week early.",
               "{name} rewrote the partner onboarding checklist; new partners are set up in "
               "half the time."),
    },
    "client_success": {
        "zh": ("感谢{name}连夜帮木子电商排查数据看板问题，客户第二天的周会顺利用上了数据。",
               "{name}发现悦家超市合同里的账期条款与系统不一致，避免了一次对账纠纷。",
               "谢谢{name}替我跑了一趟紫金医药，新任采购经理对我们的服务印象很好。"),
        "en": ("Thanks {name} for the QBR deck template; it saves everyone a day per review.",
               "{name} spotted the churn signal at 天府茶饮 three weeks before anyone else.",
               "Great job {name} handling the 悦家超市 escalation calmly and closing it the "
               "same day."),
    },
    "complaints": {
        "zh": ("感谢{name}周末加班处理积压的 30 多单退款投诉，周一工单清零。",
               "{name}整理的退货政策话术非常实用，新同事当天就能上手。",
               "谢谢{name}耐心二次回访了 5 位不满意的客户，其中 3 位改成了满意。",
               "{name}发现工单系统的超时提醒有漏洞并及时反馈，避免了更多超时。"),
        "en": ("Thanks {name} for retagging hundreds of 'Other' tickets; the category report "
               "finally makes sense.",
               "{name} wrote the English reply templates in record time, and overseas "
               "clients noticed."),
    },
    "analytics": {
        "zh": ("感谢{name}周末加班完成大促的对账数据，财务当天就确认了。",
               "{name}把周报取数脚本写得很规范，其他人可以直接复用。",
               "谢谢{name}耐心地给客户成功组讲解 SLA 新口径。"),
        "en": ("Thanks {name} for getting the client dashboard under 3 seconds; account "
               "managers use it in calls again.",
               "{name} found the double counting in the complaints board before the monthly "
               "report went out."),
    },
    "east": {
        "zh": ("感谢{name}大促期间连续三天驻守苏州仓，错发率控制在 0.05% 以内。",
               "{name}协调云途物流临时加了两台干线车，杭州的积压当晚就清掉了。",
               "谢谢{name}当天就处理完南京仓消防通道的问题，还建立了每日巡检。",
               "{name}去合肥跑了两天看仓库，选址报告写得很扎实。"),
        "en": ("Thanks {name} for drafting the returns pilot plan so quickly; VIP clients "
               "start next week.",
               "{name} stayed late to fix the PDA scanners at the Shanghai hub."),
    },
}

# kind, language, title, body, link, comments (language, text).
PostRow = tuple[str, str, str, str, str, tuple[tuple[str, str], ...]]
POSTS: dict[str, tuple[PostRow, ...]] = {
    "partner_dev": (
        ("finding", "zh", "竞品动态：迅达供应链华东仓配降价 8%",
         "迅达供应链官网公布了华东区域仓配新价格，整体下调约 8%，并推出 60 天账期。"
         "我们在谈的两家伙伴可能会拿这个价格来比较。",
         "https://www.xunda-scm.cn/news/east-china-pricing",
         (("zh", "云途物流上周也提到了这件事，续约时对方可能会拿来压价。"),
          ("zh", "建议整理一份服务质量对比，不只比价格。"),
          ("en", "Northwind mentioned a similar move in the UK market."))),
        ("announcement", "zh", "年度合作伙伴大会定于下月中旬",
         "初定下月第三周周四在上海举行，邀请 20 家核心伙伴。请各位周五前提交邀请名单。", "",
         (("zh", "收到，我负责的 5 家周四前发给你。"),)),
        ("finding", "en", "Freight market update: ocean rates to Europe down 12%",
         "Ocean rates to Europe fell 12% this quarter while air freight stayed flat. "
         "Useful background for the Meridian and 港联 renewals.",
         "https://www.meridianfreight.com/insights/quarterly-rates", ()),
    ),
    "client_success": (
        ("announcement", "en", "New renewal process from next month",
         "Renewal health checks now start 90 days before expiry. Prices within the approved "
         "band no longer need finance sign-off.", "",
         (("zh", "收到，这样续约会快很多。"), ("en", "Could we have the price band on one page?"))),
        ("finding", "en", "Competitor launches a client self-service portal",
         "迅达供应链 launched a portal where clients track orders, returns and invoices. "
         "Several of our clients have asked whether we plan something similar.",
         "https://www.xunda-scm.cn/portal",
         (("zh", "木子电商上周就问过这个问题。"),
          ("en", "Worth raising with product; our dashboard already covers half of it."),
          ("zh", "下次季度业务回顾时可以主动介绍我们的看板。"))),
        ("finding", "zh", "客户访谈小结：零售客户最关心退款时效",
         "整理了本季度 40 份客户访谈：零售客户最关心退款时效和售后响应，其次才是价格。", "", ()),
    ),
    "complaints": (
        ("announcement", "zh", "退款类工单首次响应时限调整为 4 小时",
         "从下周一起，退款类工单首次响应时限由 8 小时调整为 4 小时，超时自动升级给组长。"
         "SOP 已更新。", "",
         (("zh", "收到。周末值班也按这个标准吗？"),
          ("zh", "是的，周末同样执行，已安排双人轮值。"))),
        ("finding", "en", "Carrier changes its damage claim process",
         "顺达快运 now needs photos within 24 hours of delivery for damage claims. We should "
         "tell clients and update the reply templates.",
         "https://www.shunda-express.cn/service/claims",
         (("en", "English templates updated."), ("zh", "中文话术我来改。"))),
    ),
    "analytics": (
        ("announcement", "zh", "运营周报改为每周一 10:00 自动发送",
         "从下周起运营周报由脚本自动生成，每周一 10:00 发到各组邮箱。"
         "发现数据问题请在问题清单里登记。",
         "", (("zh", "太好了，终于不用周日晚上赶周报了。"),)),
        ("finding", "en", "A data quality library worth trying",
         "Tried an open-source data quality library on the complaints table: it caught three "
         "rows without a category in a minute. Worth adding to the nightly job.",
         "https://greatexpectations.io/", (("zh", "可以先在月报的数据上试一下。"),)),
    ),
    "east": (
        ("finding", "zh", "竞品动态：迅达供应链在合肥新开 3 万平方米仓库",
         "迅达供应链在合肥经开区新开仓库，主打华东次日达。我们的合肥选址需要加快。",
         "https://www.xunda-scm.cn/news/hefei-warehouse",
         (("zh", "经开区那块我们也看过，租金确实便宜。"), ("zh", "建议月底前给出选址结论。"))),
        ("announcement", "zh", "南京仓消防通道每日巡检",
         "即日起仓库主管每天 17:00 前拍照上报消防通道情况，连续两次不合格将通报。", "", ()),
        ("announcement", "en", "Returns pilot starts next week",
         "Same-day inspection of returns from two VIP clients starts on Monday at the "
         "Shanghai hub.", "", (("zh", "需要客服配合的话提前说一声。"),)),
    ),
}


class Action(NamedTuple):
    """An action item to become a follow-up once its source has an id."""

    source: AgendaItem | Retrospective
    team: Team
    owner: User
    title: str
    due: date
    created: datetime
    completed: datetime | None
    repeat: tuple[int, str] | None = None


def add_team_story(teams: dict[str, Team], users: dict[str, User], now: datetime,
                   seed: int) -> dict[str, int]:
    """Meetings, reports, problems, requests, goals, retros, praise and posts for ``teams``
    (keyed as in ``demo.TEAMS``, already in the session with ids, as are ``users``).

    Flushes once, for the ids the action items point at. Returns how many of each were added.
    """
    rng = random.Random(seed)
    today = now.astimezone(ZONE).date()
    manager = users["manager@example.com"]
    records: list[object] = []
    actions: list[Action] = []
    counts = dict.fromkeys(("meetings", "agenda_items", "progress_reports", "problems",
                            "resource_requests", "goals", "goal_checkins", "retrospectives",
                            "recognitions", "posts", "post_comments"), 0)
    for key, team in teams.items():
        team.report_cadence = "daily" if key in DAILY_TEAMS else "weekly"
        people = [m.user for m in team.memberships]
        lead = team.leads[0]
        meetings, meeting_actions = _meetings(key, team, lead, people, now, today, rng)
        reports = _reports(key, team, lead, people, now, today, rng)
        problems = _problems(key, team, lead, people, now, rng)
        requests = _requests(key, team, lead, people, manager, now, rng)
        goals = _goals(key, team, lead, people, today, rng)
        retro, retro_actions = _retro(key, team, lead, people, now, today, rng)
        praise = _praise(key, team, people, now, rng)
        posts = _posts(key, team, people, now, rng)
        records += [*meetings, *reports, *problems, *requests, *goals, retro, *praise, *posts]
        actions += meeting_actions + retro_actions
        counts["meetings"] += len(meetings)
        counts["agenda_items"] += sum(len(m.items) for m in meetings)
        counts["progress_reports"] += len(reports)
        counts["problems"] += len(problems)
        counts["resource_requests"] += len(requests)
        counts["goals"] += len(goals)
        counts["goal_checkins"] += sum(len(g.checkins) for g in goals)
        counts["retrospectives"] += 1
        counts["recognitions"] += len(praise)
        counts["posts"] += len(posts)
        counts["post_comments"] += sum(len(p.comments) for p in posts)
    db.session.add_all(records)
    db.session.flush()
    followups = [_followup(a) for a in actions]
    db.session.add_all(followups)
    counts["team_followups"] = len(followups)
    return counts


# -- helpers ---------------------------------------------------------------------------------

def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """Office time on ``day``, as an aware UTC datetime."""
    return datetime.combine(day, time(hour, minute), ZONE).astimezone(UTC)


def _between(start: datetime, end: datetime, rng: random.Random) -> datetime:
    return start + (end - start) * rng.random()


def _lang(user: User) -> str:
    return "en" if user.locale == "en" else "zh"


def _speaker(people: list[User], lang: str, rng: random.Random,
             leave_out: User | None = None) -> User:
    """Someone who writes in ``lang`` (anyone if nobody does), not ``leave_out``."""
    others = [p for p in people if p is not leave_out] or people
    return rng.choice([p for p in others if _lang(p) == lang] or others)


def _lines(items: list[str], lang: str) -> str:
    return "\n".join(item + END[lang] for item in items)


def _next_weekday(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _followup(action: Action) -> FollowUp:
    done = action.completed is not None
    every, unit = action.repeat or (None, None)
    return FollowUp(
        title=action.title[:200], owner_id=action.owner.id, due_on=action.due,
        status=(FollowUpStatus.DONE if done else FollowUpStatus.OPEN).value,
        completed_at=action.completed, source_type=action.source.__tablename__,
        source_id=action.source.id, team_id=action.team.id, repeat_every=every,
        repeat_unit=unit, created_at=action.created,
        updated_at=action.completed or action.created, created_by_id=action.team.leads[0].id)


def _action(source: AgendaItem | Retrospective, team: Team, owner: User, title: str,
            held: datetime, due: date, done: bool, now: datetime, today: date,
            rng: random.Random) -> Action:
    """An action item written down at ``held``; if done, completed by a day after its due."""
    created = min(now, held + timedelta(minutes=rng.randint(30, 240)))
    completed = None
    if done:
        latest = min(now, _at(min(due + timedelta(days=1), today), 18))
        completed = _between(created, max(created, latest), rng)
    return Action(source, team, owner, title, due, created, completed)


# -- meetings --------------------------------------------------------------------------------

def _meetings(key: str, team: Team, lead: User, people: list[User], now: datetime,
              today: date, rng: random.Random) -> tuple[list[Meeting], list[Action]]:
    """Four weekly meetings with minutes and action items, and next week's, agenda only."""
    weekday, hour, minute, place = MEETING_SETUP[key]
    lang = MEETING_LANG.get(key, "zh")
    upcoming = _next_weekday(today, weekday)
    if _at(upcoming, hour, minute) <= now:
        upcoming += timedelta(days=7)
    days = [upcoming - timedelta(weeks=k) for k in (4, 3, 2, 1, 0)]
    topics = list(TOPICS[key])
    rng.shuffle(topics)
    spare = len(topics) - 1  # at least one topic is left for next week's agenda
    shares = []
    for _ in range(4):
        n = min(1 + (rng.random() < 0.45), max(spare - 3 + len(shares), 1))
        shares.append(n)
        spare -= n
    other_business = list(AOB[lang])
    rng.shuffle(other_business)
    meetings, actions = [], []
    for i, day in enumerate(days):
        past = i < 4
        picked = [topics.pop() for _ in range(shares[i] if past else min(2, len(topics)))]
        meeting = _meeting(team, lead, people, lang, day, hour, minute, place, past, now, rng)
        meeting.items = _agenda(key, picked, past, other_business, rng)
        if past:
            actions += _meeting_actions(meeting, team, people, picked, now, today, rng)
            if i == 0 and key in RECURRING:
                actions.append(_recurring(key, meeting, team, people, now, today, rng))
        meetings.append(meeting)
    _make_one_overdue(actions, meetings, today, rng)
    return meetings, actions


def _meeting(team: Team, lead: User, people: list[User], lang: str, day: date, hour: int,
             minute: int, place: str, past: bool, now: datetime, rng: random.Random) -> Meeting:
    starts = _at(day, hour, minute)
    ends = starts + timedelta(minutes=rng.choice((45, 60, 60, 75)))
    if lang == "zh":
        title = f"{team.name.split()[0]}周例会（{day.month}月{day.day}日）"
    else:
        name = team.name.split(maxsplit=1)[1]
        title = f"{name} weekly ops – {day.day} {EN_MONTHS[day.month - 1]}"
    attendees = list(people)
    notes = UPCOMING_NOTES[lang]
    if past:
        absent = rng.choice([p for p in people if p is not lead]) if rng.random() < 0.35 else None
        if absent is not None:
            attendees.remove(absent)
            notes = PAST_NOTES[lang].format(who=lead.name, absent=absent.name)
        else:
            notes = ""
    created = min(now - timedelta(hours=1), starts - timedelta(days=rng.uniform(1, 3)))
    updated = min(now, ends + timedelta(hours=rng.uniform(1, 6))) if past else created
    return Meeting(team=team, title=title, series=SERIES, starts_at=starts, ends_at=ends,
                   place=place, notes=notes, organizer=lead, attendees=attendees,
                   created_at=created, updated_at=updated, created_by=lead)


def _agenda(key: str, topics: list[Topic], past: bool, other_business: list[tuple[str, ...]],
            rng: random.Random) -> list[AgendaItem]:
    """The standing review item, the meeting's topics, sometimes other business (each of
    ``other_business`` comes up once)."""
    title, discussion, decision, ranges = REVIEW[key]
    figures = {name: rng.randint(*span) for name, span in zip("abc", ranges, strict=True)}
    rows = [(title, discussion.format(**figures), decision)]
    rows += [(t[0], t[1], t[2]) for t in topics]
    if past and len(rows) < 4 and other_business and rng.random() < 0.35:
        rows.append(other_business.pop())
    if not past:  # still to be held: the agenda only
        rows = [(row[0], "", "") for row in rows]
    return [AgendaItem(position=pos, title=t, discussion=d, decisions=dec)
            for pos, (t, d, dec) in enumerate(rows)]


def _meeting_actions(meeting: Meeting, team: Team, people: list[User], topics: list[Topic],
                     now: datetime, today: date, rng: random.Random) -> list[Action]:
    """Each topic's action items, owned by members; older ones mostly done."""
    found = []
    held = meeting.ends_at or meeting.starts_at
    day = held.astimezone(ZONE).date()
    for item, topic in zip(meeting.items[1:], topics, strict=False):
        for title in topic[3]:
            owner = _speaker(people, "en" if title.isascii() else "zh", rng)
            due = day + timedelta(days=rng.randint(3, 10))
            done = rng.random() < (0.75 if due < today else 0.2) and held < now
            found.append(_action(item, team, owner, title, held, due, done, now, today, rng))
    return found


def _recurring(key: str, meeting: Meeting, team: Team, people: list[User], now: datetime,
               today: date, rng: random.Random) -> Action:
    """A repeating action agreed in the first item of the oldest meeting, due next time."""
    title, every, unit, decision = RECURRING[key]
    item = meeting.items[0]
    item.decisions = f"{item.decisions}\n{decision}"
    owner = rng.choice([p for p in people if p not in team.leads])
    due = today if unit == "days" else _next_weekday(today, 0)
    held = meeting.ends_at or meeting.starts_at
    return _action(item, team, owner, title, held, due, False, now, today,
                   rng)._replace(repeat=(every, unit))


def _make_one_overdue(actions: list[Action], meetings: list[Meeting], today: date,
                      rng: random.Random) -> None:
    """Make sure an older meeting left one item open past its due date (carried over)."""
    if any(a.completed is None and a.due < today for a in actions):
        return
    older = {id(item) for m in meetings[:3] for item in m.items}
    for i, action in enumerate(actions):
        if id(action.source) in older and action.repeat is None:
            held = action.source.meeting.starts_at.astimezone(ZONE).date()
            due = max(held + timedelta(days=2), today - timedelta(days=rng.randint(1, 4)))
            actions[i] = action._replace(due=min(due, today - timedelta(days=1)),
                                         completed=None)
            return


# -- progress reports ------------------------------------------------------------------------

def _periods(cadence: str, today: date) -> list[date]:
    """The current period first, then the earlier ones that are all reported."""
    if cadence == "weekly":
        monday = today - timedelta(days=today.weekday())
        return [monday - timedelta(weeks=k) for k in range(WEEKLY_HISTORY + 1)]
    days, day = [today], today
    while len(days) <= DAILY_HISTORY:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


def _reports(key: str, team: Team, lead: User, people: list[User], now: datetime,
             today: date, rng: random.Random) -> list[ProgressReport]:
    """Every member's report for earlier periods; this period one or two still missing."""
    weekly = team.report_cadence == "weekly"
    members = [p for p in people if p is not lead]
    missing = set(rng.sample(members, 2 if len(people) > 4 else 1))
    reports = []
    for n, start in enumerate(_periods(team.report_cadence, today)):
        current = n == 0
        blocked_one = current  # this period, one report carries a blocker
        for author in people:
            if current and author in missing:
                continue
            if current:
                low = _at(start, 9)
                low = low if low < now else _at(start, 0)
                written = low + (now - low) * rng.uniform(0.5, 1.0)
            elif weekly:
                written = _at(start + timedelta(days=4), rng.randint(16, 19), rng.randint(0, 59))
            else:
                written = _at(start, rng.randint(17, 20), rng.randint(0, 59))
            blocked = (blocked_one and author is not lead) or rng.random() < 0.08
            blocked_one = blocked_one and not blocked
            report = _report(key, team, lead, author, start, written, blocked, now, rng)
            reports.append(report)
    return reports


def _report(key: str, team: Team, lead: User, author: User, start: date, written: datetime,
            blocked: bool, now: datetime, rng: random.Random) -> ProgressReport:
    lang = _lang(author)
    done, nexts, blockers = REPORTS[key][lang]
    report = ProgressReport(
        team=team, author=author, period_start=start,
        done=_lines(rng.sample(done, 2), lang),
        next=_lines(rng.sample(nexts, rng.randint(1, 2)), lang),
        blockers=rng.choice(blockers) if blocked else "",
        created_at=written, updated_at=written, created_by=author)
    commented = min(now, written + timedelta(hours=rng.uniform(0.5, 20)))
    if author is not lead and (blocked or rng.random() < 0.3) and commented > written:
        pool = BLOCKER_COMMENTS if blocked else LEAD_COMMENTS
        report.lead_comment = rng.choice(pool[_lang(lead)])
        report.commented_by = lead
        report.commented_at = commented
        report.updated_at = commented
    return report


# -- problems and requests -------------------------------------------------------------------

def _problems(key: str, team: Team, lead: User, people: list[User], now: datetime,
              rng: random.Random) -> list[Problem]:
    problems = []
    for lang, title, impact, urgency, status, solution in PROBLEMS[key]:
        reporter = _speaker(people, lang, rng)
        created = now - timedelta(days=rng.uniform(4, 45))
        solved = _between(created + timedelta(days=2), now, rng) if status == "solved" else None
        owner = None if status == "open" and rng.random() < 0.5 else rng.choice((lead, reporter))
        problems.append(Problem(
            team=team, reporter=reporter, owner=owner, title=title, impact=impact,
            urgency=urgency, status=status, solution=solution, solved_at=solved,
            created_at=created, updated_at=solved or created, created_by=reporter))
    return problems


def _requests(key: str, team: Team, lead: User, people: list[User], manager: User,
              now: datetime, rng: random.Random) -> list[ResourceRequest]:
    found = []
    for lang, kind, title, amount, unit, reason, status, part, note in REQUESTS[key]:
        requester = _speaker(people, lang, rng, leave_out=lead)
        approver = manager if lead is manager or rng.random() < 0.4 else lead
        created = now - timedelta(days=rng.uniform(3, 40))
        decided = fulfilled = granted = None
        if status != "requested":
            decided = _between(created + timedelta(hours=4), now - timedelta(hours=2), rng)
        if status in ("approved", "fulfilled"):
            granted = Decimal(amount)
        elif status == "partly_approved":
            granted = Decimal(part)
        if status == "fulfilled":
            fulfilled = _between(decided, now, rng)
        found.append(ResourceRequest(
            team=team, requester=requester, approver=approver, kind=kind, title=title,
            amount=Decimal(amount), unit=unit, reason=reason, status=status,
            granted_amount=granted, approver_note=note, decided_at=decided,
            fulfilled_at=fulfilled, created_at=created,
            updated_at=fulfilled or decided or created, created_by=requester))
    return found


# -- goals -----------------------------------------------------------------------------------

def _goals(key: str, team: Team, lead: User, people: list[User], today: date,
           rng: random.Random) -> list[Goal]:
    """Goals with check-ins whose trend makes them on track, at risk, off track or achieved."""
    lang = MEETING_LANG.get(key, "zh")
    goals: list[Goal] = []
    for title, metric, unit, base, target, why, ago, due_in, checkins, parent in GOALS[key]:
        owner = lead if parent is None else _speaker(people, lang, rng, leave_out=lead)
        starts = today - timedelta(days=ago)
        created = _at(starts - timedelta(days=rng.randint(1, 4)), 11)
        goal = Goal(team=team, owner=owner, title=title, metric=metric, unit=unit,
                    baseline=Decimal(base), target=Decimal(target), why=why, starts_on=starts,
                    due_on=today + timedelta(days=due_in),
                    parent=goals[parent] if parent is not None else None,
                    created_at=created, updated_at=created, created_by=lead)
        notes = CHECKIN_NOTES[lang]
        for days, value in checkins:
            goal.checkins.append(GoalCheckIn(
                at=_at(today - timedelta(days=days), rng.randint(9, 17)), value=Decimal(value),
                note=rng.choice(notes) if rng.random() < 0.7 else "", author=owner))
        goal.updated_at = goal.checkins[-1].at
        goals.append(goal)
    return goals


# -- retrospectives --------------------------------------------------------------------------

def _retro(key: str, team: Team, lead: User, people: list[User], now: datetime, today: date,
           rng: random.Random) -> tuple[Retrospective, list[Action]]:
    title, went_well, fell_short, lessons, items = RETROS[key]
    held_on = today - timedelta(days=rng.randint(8, 20))
    held = _at(held_on, 16)
    written = held + timedelta(hours=1)
    retro = Retrospective(team=team, title=title, held_on=held_on, went_well=went_well,
                          fell_short=fell_short, lessons=lessons, facilitator=lead,
                          created_at=written, updated_at=written, created_by=lead)
    actions = []
    for action_title, done in items:
        owner = _speaker(people, "en" if action_title.isascii() else "zh", rng, leave_out=lead)
        due = held_on + timedelta(days=rng.randint(5, 14))
        actions.append(_action(retro, team, owner, action_title, held, due, done, now, today,
                               rng))
    return retro, actions


# -- recognition and posts -------------------------------------------------------------------

def _praise(key: str, team: Team, people: list[User], now: datetime,
            rng: random.Random) -> list[Recognition]:
    """Three to six thanks between members, each in the giver's language."""
    messages = [(lang, text) for lang, texts in PRAISE[key].items() for text in texts]
    rng.shuffle(messages)
    found = []
    for lang, text in messages[:rng.randint(3, 6)]:
        giver = _speaker(people, lang, rng)
        recipient = rng.choice([p for p in people if p is not giver])
        at = now - timedelta(days=rng.uniform(0.2, 45))
        found.append(Recognition(team=team, giver=giver, recipient=recipient,
                                 message=text.format(name=recipient.name), created_at=at,
                                 updated_at=at, created_by=giver))
    return found


def _posts(key: str, team: Team, people: list[User], now: datetime,
           rng: random.Random) -> list[Post]:
    posts = []
    for kind, lang, title, body, link, comments in POSTS[key]:
        author = _speaker(people, lang, rng)
        at = now - timedelta(days=rng.uniform(1, 30))
        post = Post(team=team, author=author, kind=kind, title=title, body=body, link=link,
                    created_at=at, updated_at=at, created_by=author)
        when = at
        for c_lang, text in comments:
            when = min(now, when + timedelta(hours=rng.uniform(0.3, 20)))
            post.comments.append(PostComment(author=_speaker(people, c_lang, rng, author),
                                             at=when, body=text))
        posts.append(post)
    return posts
