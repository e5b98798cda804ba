"""Words of the theme clusterer and its charts (commlib.cluster)."""

MESSAGES = {
    "cluster.misc": {"zh": "其他", "en": "misc"},
    "cluster.theme_n": {"zh": "主题{id}", "en": "theme {id}"},
    "cluster.name_sep": {"zh": "·", "en": "·"},
    "cluster.terms_sep": {"zh": "、", "en": ", "},
    "cluster.panel_title": {"zh": "{id}: {name} ({share})", "en": "{id}: {name} ({share})"},
    "cluster.axis.period": {"zh": "月份", "en": "period"},
    "cluster.axis.share": {"zh": "占比", "en": "share"},
    "cluster.axis.count": {"zh": "工单数", "en": "tickets"},
}
