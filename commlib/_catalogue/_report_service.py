"""Words of the report's service sections: hot issues, service levels, reply quality."""

MESSAGES = {
    # section titles (report order: after near misses, before the appendix)
    "report.section.hot_issues": {"zh": "八、热点问题", "en": "8. Hot issues"},
    "report.section.service": {
        "zh": "九、办理时效与重复来电",
        "en": "9. Service levels and repeat callers",
    },
    "report.section.replies": {"zh": "十、答复质量", "en": "10. Reply quality"},
    # hot issues
    "report.hot.found": {
        "zh": "按“同一地点、同一问题、时间相近”归并后，共发现 {n} 个热点问题，涉及 {tickets} 张工单。",
        "en": "Grouping tickets about the same place and problem close in time found {n} hot "
        "issues, covering {tickets} tickets.",
    },
    "report.hot.top": {
        "zh": "热度最高的是“{place}”：{tickets} 张工单、{callers} 位来电人，时间为 {range}，"
        "点赞与反对共 {votes} 次。",
        "en": "The hottest is at {place}: {tickets} tickets from {callers} callers, {range}, "
        "with {votes} likes and dislikes.",
    },
    "report.hot.index": {
        "zh": "热度指数综合工单数、来电人数、点赞与反对数、持续天数、距数据截止日的远近和近期增长，"
        "数量的作用逐级递减。",
        "en": "The heat index adds tickets, distinct callers, likes and dislikes, duration, "
        "recency and recent growth, each with diminishing returns.",
    },
    "report.hot.none": {
        "zh": "没有发现 {min} 张以上工单讲同一件事的热点问题。",
        "en": "No event was reported in {min} or more tickets.",
    },
    "report.hot.table": {
        "zh": "热点问题前 {n} 名（泰迪杯格式，描述已脱敏）",
        "en": "Top {n} hot issues (TipDM format, descriptions masked)",
    },
    "report.hot.stats_table": {"zh": "热点问题的规模", "en": "Size of the hot issues"},
    "report.hot.col.votes": {"zh": "点赞与反对数", "en": "Likes and dislikes"},
    "report.hot.col.days": {"zh": "持续天数", "en": "Days"},
    "report.hot.col.growth": {"zh": "近期增长", "en": "Recent growth"},
    # service levels and repeat callers
    "report.svc.text": {
        "zh": "截至 {as_of}，{tickets} 张工单中已办结 {closed} 张，积压 {open} 张；办结时长中位数 {median}，"
        "第90百分位 {p90}。",
        "en": "By {as_of}, {closed} of {tickets} tickets were closed and {open} were still open; "
        "the median time to close was {median}, the 90th percentile {p90}.",
    },
    "report.svc.on_time": {
        "zh": "以办结时限为准，按时办结率为 {share}（{n} 张可判定的工单）。",
        "en": "Against the due dates, {share} were closed on time ({n} tickets with a verdict).",
    },
    "report.svc.no_due": {
        "zh": "数据中没有办结时限列，未计算按时办结率。",
        "en": "The data has no due-date column, so no on-time share is computed.",
    },
    "report.svc.slowest": {
        "zh": "按时办结率最低的{by_label}：{names}。",
        "en": "Lowest on-time share by {by_label}: {names}.",
    },
    "report.svc.table": {"zh": "各{by_label}办理时效", "en": "Service levels by {by_label}"},
    "report.svc.chart": {
        "zh": "各{by_label}办结天数（中位数与第90百分位）",
        "en": "Days to close by {by_label} (median and 90th percentile)",
    },
    "report.svc.pct": {"zh": "{name}（%）", "en": "{name} (%)"},
    "report.svc.repeat": {
        "zh": "重复来电：{callers} 位来电人在 {window} 天内来电 {min} 次及以上，共 {tickets} 张工单，"
        "占全部工单的 {share}。来电人只以加密编号计数，报告不显示是谁。",
        "en": "Repeat callers: {callers} callers called {min} or more times within {window} days, "
        "{tickets} tickets in all, {share} of all tickets. Callers are counted by a salted "
        "hash; the report does not show who they are.",
    },
    "report.svc.no_repeat": {
        "zh": "没有来电人在 {window} 天内来电 {min} 次及以上。",
        "en": "No caller called {min} or more times within {window} days.",
    },
    "report.svc.no_caller": {
        "zh": "数据中没有来电人列，未统计重复来电。",
        "en": "The data has no caller column, so repeat callers are not counted.",
    },
    "report.svc.repeat_table": {"zh": "重复来电（仅计数）", "en": "Repeat callers (counts only)"},
    "report.svc.m.callers": {"zh": "重复来电人数", "en": "Repeat callers"},
    "report.svc.m.tickets": {"zh": "他们的工单数", "en": "Their tickets"},
    "report.svc.m.share": {"zh": "占全部工单", "en": "Share of all tickets"},
    "report.svc.m.rule": {"zh": "判定规则", "en": "Rule"},
    "report.svc.rule": {
        "zh": "{window} 天内 {min} 次及以上",
        "en": "{min} or more within {window} days",
    },
    # reply quality
    "report.rq.text": {
        "zh": "共评估 {n} 条答复：答复用时中位数 {days} 个工作日，{deadline} 个工作日内答复的占 {on_time}，"
        "综合质量平均 {quality}（0 到 1）。",
        "en": "{n} replies were scored: the median reply took {days} working days, {on_time} "
        "came within {deadline} working days, and the mean overall quality was {quality} "
        "(0 to 1).",
    },
    "report.rq.parts": {
        "zh": "综合质量是及时性、相关性、完整性（问候、答复、依据、措施与时限、联系方式）和可解释性"
        "（具体措施、责任单位、日期）的平均。",
        "en": "Overall quality averages timeliness, relevance, completeness (greeting, answer, "
        "basis, action and timeline, contact) and interpretability (concrete actions, named "
        "offices, dates).",
    },
    "report.rq.copies": {
        "zh": "发现 {sets} 组雷同答复（几乎一字不差地答复内容不同的诉求），共 {replies} 条；"
        "最大的一组有 {top} 条。",
        "en": "{sets} sets of copy-paste replies (near-identical answers to different "
        "messages) hold {replies} replies; the largest set has {top}.",
    },
    "report.rq.no_copies": {"zh": "没有发现雷同答复。", "en": "No copy-paste replies were found."},
    "report.rq.weakest_group": {
        "zh": "综合质量最低的{by_label}：{names}。",
        "en": "Lowest overall quality by {by_label}: {names}.",
    },
    "report.rq.summary_table": {
        "zh": "各{by_label}答复质量",
        "en": "Reply quality by {by_label}",
    },
    "report.rq.weakest_table": {
        "zh": "质量最低的答复（已脱敏）",
        "en": "Weakest replies (masked)",
    },
    "report.rq.copies_table": {"zh": "雷同答复（已脱敏）", "en": "Copy-paste replies (masked)"},
    "report.rq.col.message": {"zh": "诉求内容", "en": "Message"},
    "report.rq.col.reply": {"zh": "答复意见", "en": "Reply"},
    "report.rq.col.copy_group": {"zh": "雷同组", "en": "Copy set"},
    "report.rq.col.example": {"zh": "答复示例", "en": "Example reply"},
    "report.rq.col.ticket_id": {"zh": "工单编号", "en": "Ticket ID"},
}
