"""Words of the theme clusterer and its charts (commlib.cluster)."""

MESSAGES = {
    "cluster.misc": {"zh": "其他/未归类", "en": "Other / unassigned"},
    "cluster.theme_n": {"zh": "主题{id}", "en": "theme {id}"},
    "cluster.name_sep": {"zh": "·", "en": "·"},
    "cluster.terms_sep": {"zh": "、", "en": ", "},
    "cluster.panel_title": {"zh": "{id}: {name} ({share})", "en": "{id}: {name} ({share})"},
    "cluster.axis.period": {"zh": "月份", "en": "period"},
    "cluster.axis.share": {"zh": "占比", "en": "share"},
    "cluster.axis.count": {"zh": "工单数", "en": "tickets"},
    "cluster.k.title": {
        "zh": "主题数 k 的选择：各子样本聚类结果的一致性",
        "en": "Choosing the number of themes: agreement of k-means across subsamples",
    },
    "cluster.k.axis_k": {"zh": "主题数 k", "en": "number of themes k"},
    "cluster.k.axis_stability": {
        "zh": "稳定性（调整兰德指数均值）",
        "en": "stability (mean adjusted Rand index)",
    },
    "cluster.k.stability": {"zh": "稳定性 ± 1 标准误", "en": "stability ± 1 standard error"},
    "cluster.k.chosen": {"zh": "选定 k = {k}", "en": "chosen k = {k}"},
}
