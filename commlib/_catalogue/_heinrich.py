"""Words of the safety pyramid chart (commlib.heinrich)."""

MESSAGES = {
    "heinrich.tier.serious": {"zh": "严重", "en": "serious"},
    "heinrich.tier.minor": {"zh": "轻微", "en": "minor"},
    "heinrich.tier.near_miss": {"zh": "隐患（未遂）", "en": "near miss"},
    "heinrich.textbook_would_be": {
        "zh": "按 1:29:300 应为 {n}",
        "en": "{n} at 1:29:300",
    },
    "heinrich.group_prefix": {"zh": "{group}：", "en": "{group}: "},
    "heinrich.title": {
        "zh": "{group}观察到的 严重:轻微:隐患 = {ratio}（宽度为对数刻度）",
        "en": "{group}observed serious : minor : near miss = {ratio} (log-scale widths)",
    },
}
