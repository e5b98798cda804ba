"""Words of commlib.hotspots: weekday names and the heatmap / street-profile charts."""

_DAYS_ZH = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
_DAYS_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

MESSAGES = {
    **{
        f"hotspots.weekday.{i}": {"zh": zh, "en": en}
        for i, (zh, en) in enumerate(zip(_DAYS_ZH, _DAYS_EN, strict=True))
    },
    "hotspots.heatmap.xlabel": {"zh": "小时", "en": "Hour of day"},
    "hotspots.heatmap.cbar": {"zh": "工单数", "en": "Tickets"},
    "hotspots.heatmap.title": {
        "zh": "工单时间分布（星期 × 小时）",
        "en": "Tickets by weekday and hour",
    },
    "hotspots.street.xlabel": {"zh": "{street}门牌号", "en": "House number on {street}"},
    "hotspots.street.ylabel": {"zh": "工单数", "en": "Tickets"},
    "hotspots.street.title": {"zh": "{street}沿街工单分布", "en": "Tickets along {street}"},
}
