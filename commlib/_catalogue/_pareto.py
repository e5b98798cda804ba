"""Words of commlib.pareto: chart legends and titles, and compare_pareto's sentence."""

MESSAGES = {
    "pareto.vital": {"zh": "关键少数", "en": "Vital few"},
    "pareto.rest": {"zh": "其余", "en": "The rest"},
    "pareto.other_k": {"zh": "其他（合并 {k} 类）", "en": "Other ({k} merged)"},
    "pareto.other_merged": {"zh": "其他（合并）", "en": "Other (merged)"},
    "pareto.threshold": {"zh": "{pct}% 线", "en": "{pct}% line"},
    "pareto.total": {"zh": "合计 {total}", "en": "Total {total}"},
    "pareto.excluded": {"zh": "未计入 {n} 行", "en": "{n} rows excluded"},
    "pareto.sep": {"zh": "，", "en": ", "},
    "pareto.title": {"zh": "{by}帕累托图", "en": "Pareto chart of {by}"},
    "pareto.before": {"zh": "之前", "en": "Before"},
    "pareto.after": {"zh": "之后", "en": "After"},
    "pareto.significant": {
        "zh": "* 变化显著（Holm p < {alpha}）",
        "en": "* significant change (Holm p < {alpha})",
    },
    "pareto.compare_title": {"zh": "{by}构成变化", "en": "Change in {by}"},
    "pareto.value": {"zh": "数值", "en": "Value"},
    # compare_pareto's one-sentence summary: how the rate moved, the sentence, the test
    "pareto.change.down": {
        "zh": "由 {rb} 降至 {ra}，下降 {pct}%",
        "en": "fell from {rb} to {ra}, down {pct}%",
    },
    "pareto.change.up": {
        "zh": "由 {rb} 升至 {ra}，上升 {pct}%",
        "en": "rose from {rb} to {ra}, up {pct}%",
    },
    "pareto.change.new": {
        "zh": "由 0 升至 {ra}（此前没有）",
        "en": "rose from 0 to {ra} (none before)",
    },
    "pareto.change.flat": {"zh": "持平于 {rb}", "en": "stayed at {rb}"},
    "pareto.change.sentence": {
        "zh": "{cat}：{per}{unit}{move}",
        "en": "{cat}: {unit} {per} {move}",
    },
    "pareto.change.test": {
        "zh": "（率比 {rr}，{conf}% CI {ci}，{p}）",
        "en": " (rate ratio {rr}, {conf}% CI {ci}, {p})",
    },
    "pareto.change.tickets": {"zh": "工单", "en": "tickets"},
    "pareto.per.1": {"zh": "日均", "en": "per day"},
    "pareto.per.7": {"zh": "每周", "en": "per week"},
    "pareto.per.30": {"zh": "每30天", "en": "per 30 days"},
    "pareto.per.n": {"zh": "每{n}天", "en": "per {n} days"},
}
