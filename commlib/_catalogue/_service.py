"""Words of commlib.service: service levels, repeat callers and their chart."""

MESSAGES = {
    "service.chart.median": {"zh": "办结天数中位数", "en": "Median days to close"},
    "service.chart.p90": {"zh": "办结天数第90百分位", "en": "90th percentile days to close"},
    "service.chart.xlabel": {"zh": "办结天数", "en": "Days to close"},
    "service.chart.title": {"zh": "各类别办结时长", "en": "Time to close by group"},
    "service.col.tickets": {"zh": "工单数", "en": "Tickets"},
    "service.col.closed": {"zh": "已办结", "en": "Closed"},
    "service.col.open": {"zh": "未办结", "en": "Open"},
    "service.col.open_median_age_days": {
        "zh": "未办结工单已等待天数（中位数）",
        "en": "Open: median age (days)",
    },
    "service.col.open_max_age_days": {"zh": "未办结工单最长等待天数", "en": "Open: oldest (days)"},
    "service.col.median_days_to_close": {"zh": "办结天数中位数", "en": "Median days to close"},
    "service.col.p90_days_to_close": {
        "zh": "办结天数第90百分位",
        "en": "90th percentile days to close",
    },
    "service.col.on_time_share": {"zh": "按时办结率", "en": "On-time share"},
    "service.col.on_time_n": {
        "zh": "可判定按时与否的工单",
        "en": "Tickets with an on-time verdict",
    },
    "service.col.satisfied_share": {"zh": "满意率", "en": "Satisfied share"},
    "service.col.rated": {"zh": "有满意度评价的工单", "en": "Rated tickets"},
    "service.col.per_10k": {"zh": "每万人工单数", "en": "Tickets per 10,000 residents"},
    "service.col.max_in_window": {"zh": "窗口内最多工单数", "en": "Most tickets in one window"},
    "service.col.first": {"zh": "首次", "en": "First"},
    "service.col.last": {"zh": "最近", "en": "Last"},
    "service.col.peak_end": {"zh": "高峰窗口结束", "en": "Busiest window ends"},
}
