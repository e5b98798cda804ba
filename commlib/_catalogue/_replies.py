"""Words of commlib.replies: reply-quality tables."""

MESSAGES = {
    "replies.all": {"zh": "全部", "en": "All"},
    "replies.col.group": {"zh": "分组", "en": "Group"},
    "replies.col.replies": {"zh": "答复数", "en": "Replies"},
    "replies.col.median_working_days": {
        "zh": "答复用时中位数（工作日）",
        "en": "Median working days to reply",
    },
    "replies.col.on_time_share": {"zh": "按时答复率", "en": "Replied on time"},
    "replies.col.relevance": {"zh": "相关性", "en": "Relevance"},
    "replies.col.completeness": {"zh": "完整性", "en": "Completeness"},
    "replies.col.interpretability": {"zh": "可解释性", "en": "Interpretability"},
    "replies.col.copy_share": {"zh": "雷同答复占比", "en": "Copy-paste share"},
    "replies.col.quality": {"zh": "综合质量", "en": "Overall quality"},
    "replies.part.greeting": {"zh": "问候", "en": "Greeting"},
    "replies.part.answer": {"zh": "答复内容", "en": "Answer"},
    "replies.part.basis": {"zh": "法规政策依据", "en": "Legal or policy basis"},
    "replies.part.action": {"zh": "措施与时限", "en": "Action and timeline"},
    "replies.part.contact": {"zh": "联系方式", "en": "Contact"},
    "replies.part.actions": {"zh": "具体措施", "en": "Concrete actions"},
    "replies.part.offices": {"zh": "具名单位", "en": "Named offices"},
    "replies.part.dates": {"zh": "日期", "en": "Dates"},
}
