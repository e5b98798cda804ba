"""Words of the dispatch chart (commlib.dispatch) and of need matching (commlib.matching)."""

MESSAGES = {
    "dispatch.axis.suggested": {"zh": "建议部门", "en": "suggested department"},
    "dispatch.axis.true": {"zh": "实际承办部门", "en": "department that handled it"},
    "dispatch.title.share": {
        "zh": "派单混淆矩阵（按行占比）",
        "en": "Dispatch confusion matrix (share of each row)",
    },
    "dispatch.title.count": {
        "zh": "派单混淆矩阵（工单数）",
        "en": "Dispatch confusion matrix (tickets)",
    },
    "matching.reason.shared": {"zh": "共同词：{terms}", "en": "shared words: {terms}"},
    "matching.reason.similar": {
        "zh": "字面相近（无完整共同词）",
        "en": "similar wording (no whole word in common)",
    },
    "matching.terms_sep": {"zh": "、", "en": ", "},
}
