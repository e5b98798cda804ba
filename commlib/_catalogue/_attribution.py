"""Words of commlib.attribution: the source timeline chart and the set-aside reasons."""

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
    # why a ticket took no part in link_sources (SourceLinks.mapping["set_aside"] codes)
    "attribution.set_aside.no_date": {"zh": "无受理时间", "en": "no date"},
    "attribution.set_aside.no_place": {"zh": "无地址", "en": "no address"},
    "attribution.set_aside.no_category": {"zh": "无诉求分类", "en": "no category"},
    "attribution.set_aside.street": {
        "zh": "只有路名、没有门牌号，不算一个地点",
        "en": "a bare street name without a house number is not one place",
    },
    "attribution.set_aside.workflow": {
        "zh": "流程类工单（检查、回访、咨询等），不是一类问题",
        "en": "a workflow type (inspection, call log, survey), not a kind of problem",
    },
}
