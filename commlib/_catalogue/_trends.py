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
    "trends.its.placebo": {
        "zh": "安慰剂检验：在没有干预的 {n} 个日期上同样建模，{k} 个（{rate}）也“显著”。",
        "en": "Placebo check: the same model at {n} dates without an intervention finds a "
        "significant level change at {k} ({rate}).",
    },
    "trends.its.placebo_high": {
        "zh": "这远多于偶然应有的比例，上面的效应可能只是日常波动，需谨慎解读。",
        "en": "That is far more than chance allows: the effect above may be ordinary "
        "fluctuation; read it with care.",
    },
    "trends.its.no_season": {
        "zh": "（序列不足两年，未做季节调整，季节性起落可能被误当作效应。）",
        "en": "(The series covers under two years, so it is not seasonally adjusted; a "
        "seasonal swing can pass for an effect.)",
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
