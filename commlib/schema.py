"""Canonical ticket columns, header presets and display labels.

Every commlib function works on the canonical column names below. ``read_tickets``
maps a file's own headers onto them with a preset (``"12345"``, ``"board"``,
``"311"``, ``"boston"``) or a user's dict.
"""

from __future__ import annotations

#: Canonical ticket columns, in display order. A table carries those it has.
CANONICAL_COLUMNS: tuple[str, ...] = (
    "ticket_id",
    "created_at",
    "closed_at",
    "channel",
    "category",
    "subcategory",
    "title",
    "text",
    "address",
    "community",
    "department",
    "status",
    "satisfaction",
    "caller_id",
)

#: Further named columns some exports carry; ``read_tickets`` maps them when a preset
#: knows their headers, and places them after the canonical ones. They are not part of
#: :data:`CANONICAL_COLUMNS`, so tables without them (the bundled sample) are unchanged.
#: ``reply``: the department's answer or closure note; ``reply_at``: when it was given;
#: ``due_at``: the deadline the ticket had to be closed by; ``on_time``: the export's own
#: on-time flag (e.g. ``ONTIME``/``OVERDUE``); ``likes``/``dislikes``: a message board's
#: vote counts; ``latitude``/``longitude``: the location in degrees.
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "reply",
    "reply_at",
    "due_at",
    "on_time",
    "likes",
    "dislikes",
    "latitude",
    "longitude",
)

#: Columns the bundled sample carries beyond the canonical ones (kept as they are).
#: ``transfer_path``: departments a ticket bounced through before the final one, "|"-separated.
EXTRA_SAMPLE_COLUMNS: tuple[str, ...] = ("transfer_path",)

#: Chinese 12345-hotline export headers -> canonical names. Several real-world spellings
#: map to one name; the first header found in a file wins.
PRESET_12345: dict[str, str] = {
    "工单编号": "ticket_id",
    "工单号": "ticket_id",
    "工单编码": "ticket_id",
    "受理编号": "ticket_id",
    "受理时间": "created_at",
    "来电时间": "created_at",
    "登记时间": "created_at",
    "创建时间": "created_at",
    "派单时间": "created_at",
    "发布时间": "created_at",
    "日期": "created_at",
    "办结时间": "closed_at",
    "结案时间": "closed_at",
    "完成时间": "closed_at",
    "来源渠道": "channel",
    "来源": "channel",
    "受理渠道": "channel",
    "诉求分类": "category",
    "问题分类": "category",
    "诉求类型": "category",
    "一级分类": "category",
    "业务类别": "category",
    "二级分类": "subcategory",
    "诉求子类": "subcategory",
    "问题子类": "subcategory",
    "标题": "title",
    "工单标题": "title",
    "诉求标题": "title",
    "诉求内容": "text",
    "问题描述": "text",
    "来电内容": "text",
    "工单内容": "text",
    "诉求描述": "text",
    "事发地址": "address",
    "诉求地址": "address",
    "事发地点": "address",
    "地址": "address",
    "所属小区": "community",
    "小区名称": "community",
    "所属居委": "community",
    "居委会": "community",
    "承办部门": "department",
    "处置部门": "department",
    "承办单位": "department",
    "主办单位": "department",
    "办理状态": "status",
    "工单状态": "status",
    "状态": "status",
    "满意度": "satisfaction",
    "满意度评价": "satisfaction",
    "回访满意度": "satisfaction",
    "来电号码": "caller_id",
    "来电人电话": "caller_id",
    "联系电话": "caller_id",
    "答复意见": "reply",
    "回复内容": "reply",
    "办理结果": "reply",
    "处理结果": "reply",
    "答复内容": "reply",
    "答复时间": "reply_at",
    "回复时间": "reply_at",
    "办结时限": "due_at",
    "办理时限": "due_at",
    "截止时间": "due_at",
    "是否超期": "on_time",
    "是否按时办结": "on_time",
    "点赞数": "likes",
    "反对数": "dislikes",
    "流转部门": "transfer_path",
}

#: Government message-board exports (留言板). A board's reply closes the message, so
#: ``答复时间`` is its ``closed_at`` here (the 12345 preset maps it to ``reply_at``).
PRESET_BOARD: dict[str, str] = {
    "留言编号": "ticket_id",
    "留言用户": "caller_id",
    "留言主题": "title",
    "留言时间": "created_at",
    "发布时间": "created_at",
    "日期": "created_at",
    "留言详情": "text",
    "留言内容": "text",
    "一级分类": "category",
    "一级标签": "category",
    "二级分类": "subcategory",
    "二级标签": "subcategory",
    "答复时间": "closed_at",
    "回复时间": "closed_at",
    "答复意见": "reply",
    "回复内容": "reply",
    "点赞数": "likes",
    "反对数": "dislikes",
}

#: NYC-style 311 service-request exports. Keys are normalised headers (lower case,
#: spaces to underscores), so both the API's ``unique_key`` and the portal's
#: ``Unique Key`` styles match. The community board is finer than the borough, so it
#: wins when a file has both; ``descriptor`` also fills ``text`` when the file has no
#: text column (see :data:`PRESET_FALLBACKS`).
PRESET_311: dict[str, str] = {
    "unique_key": "ticket_id",
    "service_request_id": "ticket_id",
    "srnumber": "ticket_id",
    "created_date": "created_at",
    "createddate": "created_at",
    "requested_datetime": "created_at",
    "closed_date": "closed_at",
    "closeddate": "closed_at",
    "open_data_channel_type": "channel",
    "requestsource": "channel",
    "complaint_type": "category",
    "requesttype": "category",
    "service_name": "category",
    "descriptor": "subcategory",
    "incident_address": "address",
    "address": "address",
    "community_board": "community",
    "ncname": "community",
    "borough": "community",
    "agency": "department",
    "agency_responsible": "department",
    "agency_name": "department",
    "status": "status",
    "description": "text",
    "resolution_description": "reply",
    "resolution_action_updated_date": "reply_at",
    "due_date": "due_at",
    "latitude": "latitude",
    "longitude": "longitude",
}

#: Boston's 311 CRM export (the city's open-data "311 service requests"), and CRM
#: exports of the same shape. ``TYPE`` is the request type (about 200 of them);
#: ``REASON`` groups types and ``QUEUE`` names the team, both kept as extra columns.
PRESET_BOSTON: dict[str, str] = {
    "case_enquiry_id": "ticket_id",
    "open_dt": "created_at",
    "closed_dt": "closed_at",
    "target_dt": "due_at",
    "ontime_status": "on_time",
    "ontime": "on_time",
    "case_status": "status",
    "closure_reason": "reply",
    "case_title": "title",
    "subject": "department",
    "department": "department",
    "type": "category",
    "location": "address",
    "location_street_name": "address",
    "neighborhood": "community",
    "source": "channel",
    "latitude": "latitude",
    "longitude": "longitude",
}

PRESETS: dict[str, dict[str, str]] = {
    "12345": PRESET_12345,
    "311": PRESET_311,
    "board": PRESET_BOARD,
    "boston": PRESET_BOSTON,
}

#: Columns a preset fills from another mapped column when the file lacks them:
#: ``{preset: {missing column: column copied}}``. A NYC 311 export has no free text;
#: its ``descriptor`` ("Loud Music/Party") is the closest thing, so it also becomes
#: ``text``. ``read_tickets`` records each copy in ``df.attrs["copied_columns"]``.
PRESET_FALLBACKS: dict[str, dict[str, str]] = {
    "311": {"text": "subcategory"},
}

#: Display labels for charts and reports.
COLUMN_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "ticket_id": "工单编号",
        "created_at": "受理时间",
        "closed_at": "办结时间",
        "channel": "来源渠道",
        "category": "诉求分类",
        "subcategory": "二级分类",
        "title": "标题",
        "text": "诉求内容",
        "address": "事发地址",
        "community": "小区",
        "department": "承办部门",
        "status": "办理状态",
        "satisfaction": "满意度",
        "caller_id": "来电人标识",
        "transfer_path": "流转路径",
        "source_row": "原始行号",
        "address_key": "地址键",
        "repeat_of": "重复来电于",
        "duplicate_of": "重复于",
        "boilerplate": "套话",
        "reply": "答复意见",
        "reply_at": "答复时间",
        "due_at": "办结时限",
        "on_time": "是否按时",
        "likes": "点赞数",
        "dislikes": "反对数",
        "latitude": "纬度",
        "longitude": "经度",
        "count": "工单数",
        "share": "占比",
        "cum_share": "累计占比",
    },
    "en": {
        "ticket_id": "Ticket ID",
        "created_at": "Created",
        "closed_at": "Closed",
        "channel": "Channel",
        "category": "Category",
        "subcategory": "Subcategory",
        "title": "Title",
        "text": "Text",
        "address": "Address",
        "community": "Community",
        "department": "Department",
        "status": "Status",
        "satisfaction": "Satisfaction",
        "caller_id": "Caller",
        "transfer_path": "Transfer path",
        "source_row": "Source row",
        "address_key": "Address key",
        "repeat_of": "Repeat of",
        "duplicate_of": "Duplicate of",
        "boilerplate": "Boilerplate",
        "reply": "Reply",
        "reply_at": "Replied",
        "due_at": "Due",
        "on_time": "On time",
        "likes": "Likes",
        "dislikes": "Dislikes",
        "latitude": "Latitude",
        "longitude": "Longitude",
        "count": "Tickets",
        "share": "Share",
        "cum_share": "Cumulative share",
    },
}


def label(column: str, lang: str = "zh") -> str:
    """Return the display label of a column in ``lang`` ("zh" or "en").

    Unknown columns are returned unchanged.

    Examples
    --------
    >>> label("category")
    '诉求分类'
    >>> label("category", "en")
    'Category'
    >>> label("my_column")
    'my_column'
    """
    return COLUMN_LABELS.get(lang, COLUMN_LABELS["zh"]).get(column, column)
