"""Words of commlib.trends: share-trend and interrupted-time-series charts and summaries."""

MESSAGES = {
    "trends.share_chart.ylabel": {"zh": "占比", "en": "Share"},
    "trends.share_chart.title": {"zh": "各类诉求占比与趋势", "en": "Share trend"},
    "trends.share_chart.title_group": {
        "zh": "{group}：各类诉求占比与趋势",
        "en": "{group}: share trend",
    },
    "trends.its.down": {"zh": "下降", "en": "fell"},
    "trends.its.up": {"zh": "上升", "en": "rose"},
    "trends.its.summary": {
        "zh": "{date} 之后工单水平立即{direction} {pct}（率比 {rr}，{conf}% CI {lo}–{hi}，"
        "{p}；按{unit}计数，Newey-West 标准误）",
        "en": "After {date} the ticket level immediately {direction} by {pct} (rate ratio "
        "{rr}, {conf}% CI {lo}–{hi}, {p}; counts per {unit}, Newey-West standard errors)",
    },
    "trends.its_chart.tickets": {"zh": "工单数", "en": "Tickets"},
    "trends.its_chart.fitted": {"zh": "分段回归拟合", "en": "Segmented fit"},
    "trends.its_chart.counterfactual": {"zh": "若无干预（反事实）", "en": "Counterfactual"},
    "trends.its_chart.event": {"zh": "干预日期", "en": "Event"},
    "trends.its_chart.ylabel": {"zh": "每{unit}工单数", "en": "Tickets per {unit}"},
    "trends.its_chart.title": {
        "zh": "水平变化：率比 {rr}（{conf}% CI {lo}–{hi}）",
        "en": "Level change: RR {rr} ({conf}% CI {lo}–{hi})",
    },
}
