"""Words of commlib.hotissues: the TipDM hot-issue table."""

MESSAGES = {
    "hot.range": {"zh": "{first} 至 {last}", "en": "{first} to {last}"},
    "hot.tipdm.rank": {"zh": "热度排名", "en": "Heat rank"},
    "hot.tipdm.issue_id": {"zh": "问题ID", "en": "Issue ID"},
    "hot.tipdm.heat": {"zh": "热度指数", "en": "Heat index"},
    "hot.tipdm.range": {"zh": "时间范围", "en": "Time range"},
    "hot.tipdm.place": {"zh": "地点/人群", "en": "Place / group"},
    "hot.tipdm.description": {"zh": "问题描述", "en": "Description"},
    "hot.col.tickets": {"zh": "工单数", "en": "Tickets"},
    "hot.col.callers": {"zh": "来电人数", "en": "Callers"},
    "hot.col.terms": {"zh": "关键词", "en": "Key terms"},
    "hot.col.example": {"zh": "代表性工单（已脱敏）", "en": "Representative ticket (masked)"},
}
