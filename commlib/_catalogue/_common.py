"""Words shared by every area: missing values, yes/no, units, errors."""

MESSAGES = {
    "common.missing": {"zh": "(缺失)", "en": "(missing)"},
    "common.other": {"zh": "其他", "en": "Other"},
    "common.yes": {"zh": "是", "en": "yes"},
    "common.no": {"zh": "否", "en": "no"},
    "common.list_sep": {"zh": "、", "en": ", "},
    "common.unit.D": {"zh": "日", "en": "day"},
    "common.unit.W": {"zh": "周", "en": "week"},
    "common.unit.M": {"zh": "月", "en": "month"},
    "common.unit.Q": {"zh": "季度", "en": "quarter"},
    "common.unit.Y": {"zh": "年", "en": "year"},
    "error.no_columns": {"zh": "无列", "en": "no columns"},
}
MESSAGES["error.missing_columns_hint"] = {
    "zh": "{where} 缺少列 {missing}。现有列：{available}。{hint}",
    "en": "{where} is missing column(s) {missing}. It has: {available}. {hint}",
}
