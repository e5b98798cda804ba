"""Words of the three lists and the duty list (commlib.ledger): validation and drafts."""

MESSAGES = {
    "ledger.kind.problems": {"zh": "问题清单", "en": "problems list"},
    "ledger.kind.needs": {"zh": "需求清单", "en": "needs list"},
    "ledger.kind.services": {"zh": "服务清单", "en": "services list"},
    "ledger.kind.departments": {"zh": "权责清单", "en": "departments list"},
    "ledger.header": {
        "zh": "{list}有 {n} 个问题：",
        "en": "{list} has {n} problem(s):",
    },
    "ledger.list_sep": {"zh": "、", "en": ", "},
    "ledger.more": {"zh": "等（另有 {n} 个）", "en": " and {n} more"},
    "ledger.issue.empty_id": {
        "zh": "{column} 为空：第 {rows} 行",
        "en": "empty {column} in row(s) {rows}",
    },
    "ledger.issue.duplicate_id": {
        "zh": "{column} 重复：{items}",
        "en": "duplicate {column}: {items}",
    },
    "ledger.item.duplicate": {"zh": "{value}（第 {rows} 行）", "en": "{value} (rows {rows})"},
    "ledger.issue.unknown_problem": {
        "zh": "problem_id 不在问题清单上：{items}",
        "en": "problem_id not on the problems list: {items}",
    },
    "ledger.item.unknown_problem": {
        "zh": "{id} -> {ref}（第 {row} 行）",
        "en": "{id} -> {ref} (row {row})",
    },
    "ledger.issue.not_whole": {
        "zh": "{column} 应为非负整数：{items}（第 {rows} 行）",
        "en": "{column} must be a non-negative whole number: {items} (rows {rows})",
    },
    "ledger.issue.not_date": {
        "zh": "{column} 不是日期：{items}（第 {rows} 行）",
        "en": "{column} is not a date: {items} (rows {rows})",
    },
    "ledger.item.value": {"zh": "{id}：{value}", "en": "{id}: {value}"},
    "ledger.draft.description": {
        "zh": "{n}张12345工单，常见词：{terms}",
        "en": "{n} 12345 tickets, common words: {terms}",
    },
    "ledger.draft.terms_sep": {"zh": "、", "en": ", "},
    "ledger.draft.source": {"zh": "12345工单", "en": "12345 tickets"},
    "ledger.draft.status": {"zh": "待核实", "en": "to check"},
    "ledger.draft.priority.high": {"zh": "高", "en": "high"},
    "ledger.draft.priority.medium": {"zh": "中", "en": "medium"},
}
