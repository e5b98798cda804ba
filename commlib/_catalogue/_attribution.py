"""Words of the source timeline chart (commlib.attribution)."""

MESSAGES = {
    "attribution.no_tickets": {"zh": "{place}：无工单", "en": "{place}: no tickets"},
    "attribution.window": {"zh": "来源时间窗", "en": "source window"},
    "attribution.axis.time": {"zh": "受理时间", "en": "received"},
    "attribution.axis.category": {"zh": "诉求分类", "en": "category"},
    "attribution.title": {
        "zh": "{place}：{n} 张工单，{k} 类诉求",
        "en": "{place}: {n} tickets in {k} categories",
    },
    "attribution.legend": {"zh": "承办部门", "en": "department"},
}
