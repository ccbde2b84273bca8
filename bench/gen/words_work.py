"""Bilingual vocabulary for complaints, follow-ups, agreements and team records.

Chinese text uses full-width punctuation on purpose; it is not a confusable typo.
"""

from __future__ import annotations

# -- complaints: ~15 categories, each in both languages ------------------------------------
# (Chinese name, English name, weight, root cause, Chinese titles, English titles)
CATEGORIES = (
    ("配送延迟", "Delivery delay", 22, "delivery",
     ("{md}批次订单延迟送达", "次日达订单大面积超时"), ("Next-day orders arriving late",
                                          "Store replenishment missed its slot")),
    ("账单错误", "Billing error", 11, "billing",
     ("{m}月对账单金额与系统不符", "退货运费被重复计费"), ("Return shipping billed twice",
                                           "Invoice used the wrong rate card")),
    ("货物破损", "Damaged goods", 9, "delivery",
     ("生鲜包裹破损率偏高", "家电外箱破损遭门店拒收"), ("Cartons crushed in transit",
                                           "Glassware broken on arrival")),
    ("系统故障", "System outage", 8, "product",
     ("订单接口报错，订单无法同步", "轨迹推送中断约 6 小时"), ("Tracking updates stopped",
                                              "Order API returning errors")),
    ("服务态度", "Staff conduct", 6, "communication",
     ("客服电话沟通态度生硬", "配送员与门店员工发生争执"), ("Driver rude to store staff",
                                              "Support agent cut their buyer off")),
    ("丢件", "Lost parcel", 7, "delivery",
     ("包裹显示签收但客户未收到", "整箱货物在分拨中心丢失"), ("Parcel marked delivered, never arrived",
                                               "A whole carton lost at the hub")),
    ("发错货", "Wrong item shipped", 6, "process",
     ("订单发错型号", "多发少发，数量不符"), ("Wrong model shipped", "Quantities do not match the order")),
    ("退货退款", "Returns and refunds", 7, "process",
     ("退货取件超时未上门", "退款迟迟未到账"), ("Return pickup never came", "Refund still not received")),
    ("发票问题", "Invoice issue", 4, "billing",
     ("发票税率开错", "发票抬头错误需重开"), ("Invoice has the wrong tax rate",
                                     "Invoice addressed to the wrong entity")),
    ("数据报表", "Reporting", 4, "product",
     ("日报缺少签收时间字段", "月度报表数据与实际不符"), ("Daily report missing fields",
                                             "Monthly report figures wrong")),
    ("冷链温控", "Cold chain", 3, "third_party",
     ("冷链温度记录超标", "生鲜到货温度过高"), ("Cold-chain temperature breach",
                                     "Chilled goods arrived warm")),
    ("安装服务", "Installation", 3, "third_party",
     ("上门安装预约多次改期", "安装师傅未按约定时间到达"), ("Installer missed the appointment",
                                                "Installation rescheduled three times")),
    ("客服响应", "Response time", 5, "communication",
     ("客服热线长时间无人接听", "工单 48 小时未回复"), ("Hotline unanswered for an hour",
                                         "Ticket unanswered for two days")),
    ("合同执行", "Contract terms", 2, "process",
     ("未按合同约定提供专属客服", "服务范围与合同不符"), ("Dedicated contact not provided",
                                             "Service outside the agreed scope")),
    ("隐私数据", "Data privacy", 3, "product",
     ("收件人信息疑似泄露", "短信发送给错误收件人"), ("Recipient details exposed",
                                          "Text messages sent to the wrong people")),
)
DESCRIPTIONS = {
    "zh": ("{contact}反映：{md}发出的 {n} 单中有 {k} 单出现问题，要求说明原因并按合同处理。",
           "客户来电投诉，情况紧急，影响门店正常营业，要求今天内给出答复。",
           "客户邮件反馈问题已持续数日，附订单清单与截图。"),
    "en": ("{contact} reports {k} of {n} orders affected since {md}; they want an explanation "
           "and the contractual remedy.",
           "Urgent call from the client: their stores are affected and they want an answer today.",
           "The client emailed a list of affected orders with screenshots."),
}
ACK_REPLIES = {
    "zh": ("您好，已收到您的反馈，我们正在核查，今天内给您初步答复。", "收到，已安排专人跟进，稍后电话与您联系。"),
    "en": ("Thanks for letting us know; we are looking into it and will update you today.",
           "Received; a named colleague is on it and will call you shortly."),
}
ASK_REPLIES = {
    "zh": ("麻烦提供受影响订单的完整单号清单，便于我们逐单核对。", "请提供现场照片及签收单。"),
    "en": ("Could you send the full list of affected order numbers?",
           "Could you send photos and the signed delivery notes?"),
}
WAIT_REASONS = {"zh": "等待客户补充资料", "en": "Waiting for details from the client"}
INTERNAL_NOTES = {
    "zh": ("已调取轨迹：问题集中在嘉兴分拨中心。", "财务核对中，预计明天有结论。",
           "已与承运商确认，当晚车辆晚发 4 小时。", "技术组确认为配置遗漏，已回滚。"),
    "en": ("Tracking shows the problem at the Jiaxing hub.", "Finance is checking; answer tomorrow.",
           "The carrier confirms the truck left four hours late.",
           "Engineering found a missed config change; rolled back."),
}
RESOLUTIONS = {
    "zh": ("原因已查明并修复，受影响订单按合同减免运费，已书面告知客户。",
           "确认重复计费，已开具红字发票并在下期账单抵扣。", "已致电道歉，当事人完成复训。",
           "已补发货物并承担往返运费。"),
    "en": ("Cause found and fixed; affected orders credited under the contract, client told in "
           "writing.", "Double charge confirmed; credit note issued against the next invoice.",
           "Apologised by phone; the person involved was retrained.",
           "Replacement shipped at our cost."),
}
REJECTIONS = {
    "zh": ("经核查，延误系客户提供地址错误所致。", "问题发生在合同服务范围之外。"),
    "en": ("The delay came from a wrong address on their side.", "Outside the contracted scope."),
}
SATISFACTION = {"zh": "客户满意度：{s} / 5。", "en": "Client satisfaction: {s} / 5."}
ESCALATION = {"zh": "已超时，升级至组长。", "en": "Overdue: escalated to the team lead."}

# -- follow-ups, by source ------------------------------------------------------------------
FOLLOWUP_TITLES = {
    "conversations": {"zh": ("发送会议纪要并确认{topic}", "整理修改稿发对方", "跟进对方内部审批结果",
                             "准备续约报价", "回复客户对账差异"),
                      "en": ("Send the minutes and confirm {topic}", "Send the revised draft",
                             "Chase their internal approval", "Prepare the renewal quote")},
    "complaints": {"zh": ("回访客户确认处理结果", "向承运商索赔", "更新操作规范并培训"),
                   "en": ("Call the client back about the resolution", "Claim from the carrier",
                          "Update the procedure and train the team")},
    "agreements": {"zh": ("法务审核合同文本", "准备续约谈判材料", "寄送盖章合同"),
                   "en": ("Legal review of the contract", "Prepare the renewal pack",
                          "Send the signed copies")},
    "requirements": {"zh": ("与产品组确认上线时间", "请客户书面确认需求"),
                     "en": ("Confirm the release date with product", "Get written sign-off")},
    "meetings": {"zh": ("发送会议纪要",), "en": ("Send the meeting notes",)},
    "agenda_items": {"zh": ("落实会议决定：{topic}", "整理数据并在下次例会汇报"),
                     "en": ("Act on the decision: {topic}", "Bring the figures to the next meeting")},
    "progress_reports": {"zh": ("协助解决周报中的阻塞问题",), "en": ("Help clear the blocker",)},
    "problems": {"zh": ("评估问题影响范围", "提交解决方案"),
                 "en": ("Size the problem's impact", "Propose a fix")},
    "retrospectives": {"zh": ("落实复盘改进项",), "en": ("Carry out the retro action",)},
    "goals": {"zh": ("更新目标进度数据",), "en": ("Update the goal's figures",)},
    "manual": {"zh": ("整理本周待办", "约客户喝咖啡", "更新联系人信息"),
               "en": ("Tidy this week's list", "Coffee with the client", "Update contact details")},
}
FOLLOWUP_TOPICS = {"zh": ("服务费", "账期", "SLA", "上线计划", "报价"),
                   "en": ("fees", "payment terms", "service levels", "go-live plan", "the quote")}

# -- agreements -----------------------------------------------------------------------------
AGREEMENT_TITLES = {
    "zh": ("{y}年度{service}框架协议", "{service}合作协议（{y}）", "{service}补充协议"),
    "en": ("{y} {service} Master Agreement", "{service} Agreement {y}", "{service} Addendum"),
}
SERVICES = {"zh": ("物流配送服务", "仓储服务", "支付通道", "客服外包", "系统集成", "数据服务"),
            "en": ("Logistics Services", "Warehousing", "Payment Processing", "Customer Care",
                   "Systems Integration", "Data Services")}
PAYMENT_TERMS = {"zh": ("月结 30 天", "月结 45 天", "月结 60 天", "预付 50%，验收后付清"),
                 "en": ("Net 30", "Net 45", "Net 60", "50% upfront, balance on acceptance")}
COOPERATION = {"zh": ("按单计费", "包年服务", "阶梯价格"),
               "en": ("Per order", "Annual fee", "Tiered pricing")}
CURRENCIES = (("CNY", 80), ("USD", 12), ("EUR", 4), ("HKD", 4))

# -- team records ---------------------------------------------------------------------------
MEETING_SERIES = {"zh": "周例会", "en": "Weekly sync"}
AGENDA = {"zh": ("上周投诉复盘", "本周重点客户跟进", "大促备战安排", "续约进展", "流程优化建议"),
          "en": ("Last week's complaints", "Key accounts this week", "Peak season plan",
                 "Renewals", "Process improvements")}
DECISIONS = {"zh": ("由组长牵头，下周五前完成。", "暂缓，下次例会再议。", "同意按方案执行。"),
             "en": ("The lead owns it; done by next Friday.", "Parked until next week.",
                    "Go ahead as proposed.")}
REPORT_DONE = {"zh": ("完成 {n} 起投诉回访，跟进 3 家客户续约。", "完成对账差异核对，提交月报。"),
               "en": ("Called back {n} clients; moved three renewals forward.",
                      "Closed the invoice discrepancy; sent the monthly report.")}
REPORT_NEXT = {"zh": ("推进重点客户续约谈判。", "准备季度复盘材料。"),
               "en": ("Push the key renewals.", "Prepare the quarterly review.")}
REPORT_BLOCKERS = {"zh": ("等待法务审核。", "", ""), "en": ("Waiting on legal.", "", "")}
PROBLEMS = {"zh": ("分拨中心旺季爆仓风险", "计费系统升级后数据异常", "客服排班不足"),
            "en": ("Hub capacity at peak season", "Billing data wrong after the upgrade",
                   "Not enough support shifts")}
GOALS = {"zh": (("投诉首次响应时间", "分钟", 120, 30), ("准时率", "%", 95, 98.5),
                ("客户满意度", "分", 3.8, 4.5), ("续约率", "%", 80, 90)),
         "en": (("First response time", "min", 120, 30), ("On-time rate", "%", 95, 98.5),
                ("Client satisfaction", "pts", 3.8, 4.5), ("Renewal rate", "%", 80, 90))}
RETRO = {"zh": ("{m}月复盘", "流程顺畅，跨组协作及时。", "大促期间人手不足。", "提前两周排班。"),
         "en": ("{m} retrospective", "Handovers worked well.", "Short-staffed at peak.",
                "Plan shifts two weeks ahead.")}
PRAISE = {"zh": ("感谢{name}连夜协调运力，保障了大促发货。", "{name}主动回访客户，挽回了续约。"),
          "en": ("Thanks to {name} for sorting the trucks overnight.",
                 "{name} called the client back and saved the renewal.")}
POSTS = {"zh": ("行业动态：快递新规下月实施", "竞品调价通知", "本月服务之星"),
         "en": ("Industry news: new parcel rules next month", "Competitor price change",
                "Colleague of the month")}
NOTIFICATIONS = {"zh": ("{name}给了你一个跟进事项：{title}", "投诉已超时：{title}"),
                 "en": ("{name} gave you a follow-up: {title}", "Overdue complaint: {title}")}
