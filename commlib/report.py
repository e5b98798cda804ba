"""The automatic statistics report: one call (or one command) from a ticket export to a
self-contained HTML page and an Excel workbook.

:func:`build_report` cleans the tickets (unless they are clean already), keeps the
period asked for and builds the sections below, each from the library's own functions.
A section whose columns are missing is skipped with a sentence saying why; it never
stops the others.

==================  ===========================================================  ==========================
section id          what it shows                                                needs
==================  ===========================================================  ==========================
``overview``        tickets, period, places, closure rate and time, satisfaction  ``created_at``
``pareto``          category Pareto table and chart (:func:`~commlib.pareto_table`) ``category``
``communities``     one Pareto per community (:func:`~commlib.pareto_by`)          ``category``, ``by``
``trend``           tickets per month; rising factors (:mod:`commlib.trends`)      ``created_at`` (+ ``category``)
``themes``          complaint themes from the text (:class:`~commlib.TicketClusterer`) ``text`` (200+ tickets)
``sources``         multi-category sources (:mod:`commlib.attribution`)            ``category``, ``address``
``near_misses``     near-miss alerts (:mod:`commlib.heinrich`)                     see the section
``quality``         data-quality appendix: cleaning log, rejected rows by reason  a cleaning run
==================  ===========================================================  ==========================

The result is a :class:`Report`: its tables (DataFrames), its figures (PNG bytes), the
skipped sections with their reasons, and two writers, :meth:`Report.to_html` (one file,
charts embedded as base64 PNG, CSS inline, no external resource, prints one section per
page) and :meth:`Report.to_xlsx` (one sheet per table, labelled headers, frozen header
row, fitted column widths).

Privacy: every string cell of every table, every narrative sentence and every example
ticket passes through :func:`commlib.privacy.mask_pii` before it is stored in the
report, and both writers scan what they wrote (the HTML's text, every workbook cell)
with :func:`commlib.privacy.find_pii` and plain phone, ID-number and plate patterns;
if anything is found the file is deleted and :class:`ReportPrivacyError` is raised.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import html
import io
import logging
import math
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from commlib.errors import CommlibError

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_SECTIONS",
    "SECTIONS",
    "Report",
    "ReportPrivacyError",
    "ReportSection",
    "build_report",
    "check_no_personal_data",
    "figure_png",
]

#: Every section :func:`build_report` knows, in report order.
SECTIONS: tuple[str, ...] = (
    "overview",
    "pareto",
    "communities",
    "trend",
    "themes",
    "sources",
    "near_misses",
    "quality",
)

#: Sections built when ``sections=None``.
DEFAULT_SECTIONS: tuple[str, ...] = SECTIONS

#: Fewest tickets with text for the themes section: below that, k-means themes are noise.
MIN_THEME_TICKETS = 200
#: The themes section fits the clusterer on at most this many tickets, then places the
#: rest with ``predict`` (same themes, a fraction of the time on a city's archive).
THEME_FIT_SAMPLES = 10_000
#: LSA dimensions of the themes section. ``benchmarks/eval_cluster.py`` found 50 as good
#: as the clusterer's default 100 (NMI 0.554 vs 0.545, within the seed noise); on this
#: two-core machine it fits about three times faster.
THEME_COMPONENTS = 50
#: Rows of a table shown in the HTML; the workbook holds every row.
HTML_MAX_ROWS = 25
#: Communities drawn as small Pareto panels (the largest ones); the table has all.
MAX_COMMUNITY_PANELS = 9

_LANGS = ("zh", "en")

# Simple patterns the final guard adds to find_pii (they overlap it on purpose: two
# independent nets). Mobile numbers, landlines with area code, 18-character ID numbers,
# number plates.
_GUARD_PATTERNS: dict[str, re.Pattern[str]] = {
    "phone": re.compile(r"(?<![0-9])(?:1[3-9][0-9]{9}|0[0-9]{2,3}-[0-9]{7,8})(?![0-9])"),
    "id": re.compile(
        r"(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])"
        r"(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])"
    ),
    "plate": re.compile(
        r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"
        r"[A-HJ-NP-Z][·・ ]?[A-HJ-NP-Z0-9]{5,6}"
    ),
}


class ReportPrivacyError(CommlibError):
    """Personal data was found in a report about to be written; nothing was written."""


# --------------------------------------------------------------------------------------
# words
# --------------------------------------------------------------------------------------

_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "title": "工单统计分析报告",
        "generated": "生成时间 {when}",
        "source": "数据来源 {source}",
        "period": "统计期间 {start} 至 {end}",
        "contents": "目录",
        "skipped_line": "本部分未生成：{reason}",
        "rows_note": "表中显示前 {shown} 行，共 {total} 行；完整表格见 Excel 工作簿。",
        "footer": "由 commlib {version} 自动生成。报告中的文字均已脱敏（电话、身份证号、车牌、姓名等替换为占位符）；数据为统计结果，请结合实地情况判断。",
        "progress": "[{i}/{n}] {title}",
        "yes": "是",
        "no": "否",
        # section titles
        "overview": "一、总体情况",
        "pareto": "二、诉求分类帕累托分析",
        "communities": "三、分小区帕累托分析",
        "trend": "四、月度趋势与上升因素",
        "themes": "五、投诉主题（文本聚类）",
        "sources": "六、多类诉求同源问题",
        "near_misses": "七、未遂先兆预警",
        "quality": "附录：数据质量",
        # skip reasons
        "need_columns": "数据中没有{cols}列。",
        "need_columns_many": "数据中没有{cols}列。",
        "no_rows": "统计期间内没有工单。",
        "no_groups": "“{col}”列全部为空。",
        "few_texts": "有文字内容的工单只有 {n} 张，主题聚类至少需要 {min} 张。",
        "few_months": "数据只覆盖 {n} 个月，判断上升趋势至少需要 3 个月。",
        "module_missing": "本版本 commlib 尚未包含 {module} 模块。",
        "not_cleaned": "输入数据已清洗过，没有本次清洗记录。",
        "failed": "计算出错（{error}），请用 --debug 查看详情。",
        "col_join": "、",
        # overview
        "kpi_tickets": "工单数",
        "kpi_period": "统计期间",
        "kpi_places": "小区数",
        "kpi_addresses": "地址数",
        "kpi_closure": "办结率",
        "kpi_close_time": "办结时长中位数",
        "kpi_satisfaction": "满意率",
        "kpi_rated": "参与评价工单",
        "days": "{x} 天",
        "hours": "{x} 小时",
        "ov_intro": "本报告统计 {start} 至 {end} 期间的 {n} 张工单。",
        "ov_places": "工单来自 {places} 个{by_label}、{addresses} 个不同地址。",
        "ov_closure": "已办结 {closed} 张，办结率 {rate}；办结时长中位数 {median}。",
        "ov_no_closure": "数据中没有办结时间或办理状态，无法计算办结率。",
        "ov_satisfaction": "{rated} 张工单有满意度评价，其中满意（含基本满意）占 {rate}。",
        "ov_satisfaction_mean": "{rated} 张工单有满意度评分，平均 {mean} 分。",
        "ov_no_satisfaction": "数据中没有满意度评价。",
        "ov_excluded": "另有 {n} 张工单不在统计期间内，未计入。",
        "metric": "指标",
        "value": "数值",
        # pareto
        "pa_text": "共 {k} 类诉求。其中 {v} 类（{names}）合计占全部工单的 {share}，是需要优先关注的“关键少数”。",
        "pa_chart": "诉求分类帕累托图（柱：工单数；折线：累计占比）",
        "pa_table": "诉求分类排序表",
        # communities
        "co_text": "按{by_label}分别排序，每个{by_label}有自己的关键少数。工单最多的{by_label}是{top}（{n} 张），其首要诉求为{cat}（占 {share}）。",
        "co_chart": "工单最多的 {k} 个{by_label}：各自的帕累托图",
        "co_summary": "各{by_label}工单数与首要诉求",
        "co_table": "各{by_label}前 5 类诉求",
        # trend
        "tr_text": "月均 {mean} 张工单；最多的月份是 {peak}（{peak_n} 张），最少的是 {low}（{low_n} 张）。",
        "tr_one": "全部 {n} 张工单都在 {month} 一个月内。",
        "tr_partial": "首尾月份可能不完整（统计期间从 {start} 到 {end}）。",
        "tr_chart": "每月工单数",
        "tr_table": "每月工单数",
        "tr_rising": "占比显著上升的诉求类别（逻辑回归趋势检验，Holm 校正）：{names}。",
        "tr_none": "没有占比显著上升的诉求类别。",
        "tr_rising_table": "占比上升的诉求类别",
        "tr_rising_chart": "上升最快的诉求类别：月度占比与趋势线",
        "tr_no_trends": "无法判断上升因素：{reason}",
        # themes
        "th_text": "根据工单文字自动归纳出 {k} 个主题（{method}）。最大的主题“{name}”有 {n} 张工单（占 {share}）。代表性工单均已脱敏。",
        "th_fixed": "k-means，{k} 类",
        "th_auto": "k-means，按轮廓系数自动选择类数",
        "th_chart": "投诉主题帕累托图",
        "th_table": "投诉主题及关键词",
        "th_examples": "各主题代表性工单（已脱敏）",
        # sources
        "so_text": "找到 {n} 个候选源头（同一地点短期内出现多类诉求），其中 {strong} 个明显高于随机水平。排名第一的是 {place}：{k} 天内 {t} 张工单，涉及 {c} 类诉求。",
        "so_none": "没有发现同一地点短期内集中出现多类诉求的情况。",
        "so_table": "多类诉求同源地点排名",
        # near misses
        "nm_text": "共 {n} 条未遂先兆预警，涉及 {places} 个地点：这些地点近 4 周的隐患类工单明显多于其自身历史和周边水平，建议尽快上门查看。",
        "nm_pyramid_text": "按关键词规则分级：严重 {serious} 起、轻微 {minor} 起、隐患（未遂）{near} 起，观察到的比例为 {ratio}（海因里希教科书比例为 1 : 29 : 300）。",
        "nm_no_tiers": "没有工单符合隐患、轻微或严重事件的关键词规则。",
        "nm_none": "没有需要预警的地点。",
        "nm_table": "未遂先兆预警",
        "nm_pyramid": "海因里希安全金字塔：严重、轻微与隐患（宽度为对数刻度，虚线为 1:29:300）",
        # quality
        "qu_text": "输入 {rows_in} 行：{clean} 行可用，{rejected} 行因数据问题被剔除，{dups} 行为完全重复记录已去除。每一行的去向都有记录。",
        "qu_log": "清洗步骤记录",
        "qu_reasons": "被剔除的行：按原因统计",
        "qu_examples": "被剔除的行：示例（已脱敏）",
        "qu_none": "没有被剔除的行。",
    },
    "en": {
        "title": "Ticket statistics report",
        "generated": "Generated {when}",
        "source": "Source {source}",
        "period": "Period {start} to {end}",
        "contents": "Contents",
        "skipped_line": "This section was not built: {reason}",
        "rows_note": "Showing the first {shown} of {total} rows; the Excel workbook has them all.",
        "footer": "Generated automatically by commlib {version}. Every text in this report is masked (phone numbers, ID numbers, plates and names replaced by placeholders); the figures are statistics, to be read with knowledge of the place.",
        "progress": "[{i}/{n}] {title}",
        "yes": "yes",
        "no": "no",
        "overview": "1. Overview",
        "pareto": "2. Category Pareto",
        "communities": "3. Pareto by community",
        "trend": "4. Monthly trend and rising factors",
        "themes": "5. Complaint themes (text clustering)",
        "sources": "6. Multi-category sources",
        "near_misses": "7. Near-miss alerts",
        "quality": "Appendix: data quality",
        "need_columns": "the data has no {cols} column.",
        "need_columns_many": "the data has no {cols} columns.",
        "no_rows": "there are no tickets in the period.",
        "no_groups": "column '{col}' is empty.",
        "few_texts": "only {n} tickets have text; themes need at least {min}.",
        "few_months": "the data covers {n} month(s); a rising trend needs at least 3.",
        "module_missing": "this version of commlib has no {module} module yet.",
        "not_cleaned": "the input was already cleaned, so there is no cleaning log.",
        "failed": "it could not be computed ({error}); run with --debug for details.",
        "col_join": ", ",
        "kpi_tickets": "Tickets",
        "kpi_period": "Period",
        "kpi_places": "Communities",
        "kpi_addresses": "Addresses",
        "kpi_closure": "Closure rate",
        "kpi_close_time": "Median time to close",
        "kpi_satisfaction": "Satisfied",
        "kpi_rated": "Rated tickets",
        "days": "{x} days",
        "hours": "{x} hours",
        "ov_intro": "This report covers {n} tickets created from {start} to {end}.",
        "ov_places": "They come from {places} {by_label} and {addresses} distinct addresses.",
        "ov_closure": "{closed} tickets are closed, a closure rate of {rate}; the median time to close is {median}.",
        "ov_no_closure": "The data has no closing date or status, so no closure rate.",
        "ov_satisfaction": "{rated} tickets were rated; {rate} of them satisfied (fully or mostly).",
        "ov_satisfaction_mean": "{rated} tickets were rated, {mean} on average.",
        "ov_no_satisfaction": "The data has no satisfaction rating.",
        "ov_excluded": "{n} further tickets fall outside the period and are not counted.",
        "metric": "Metric",
        "value": "Value",
        "pa_text": "There are {k} categories. The top {v} ({names}) make up {share} of all tickets: the vital few to act on first.",
        "pa_chart": "Category Pareto chart (bars: tickets; line: cumulative share)",
        "pa_table": "Categories ranked",
        "co_text": "Each {by_label} is ranked on its own tickets and has its own vital few. The {by_label} with most tickets is {top} ({n}); its first category is {cat} ({share}).",
        "co_chart": "One Pareto chart for each of the {k} largest groups by {by_label}",
        "co_summary": "Tickets and first category per {by_label}",
        "co_table": "Top 5 categories per {by_label}",
        "tr_text": "{mean} tickets a month on average; the busiest month is {peak} ({peak_n}), the quietest {low} ({low_n}).",
        "tr_one": "All {n} tickets fall in one month, {month}.",
        "tr_partial": "The first and last months may be incomplete (the period runs from {start} to {end}).",
        "tr_chart": "Tickets per month",
        "tr_table": "Tickets per month",
        "tr_rising": "Categories whose share is rising significantly (logistic trend test, Holm-adjusted): {names}.",
        "tr_none": "No category's share is rising significantly.",
        "tr_rising_table": "Categories with a rising share",
        "tr_rising_chart": "The fastest-rising categories: monthly share and trend",
        "tr_no_trends": "Rising factors not computed: {reason}",
        "th_text": "{k} themes were found in the ticket texts ({method}). The largest, '{name}', holds {n} tickets ({share}). Example tickets are masked.",
        "th_fixed": "k-means, {k} clusters",
        "th_auto": "k-means, number of clusters chosen by silhouette",
        "th_chart": "Complaint themes, Pareto chart",
        "th_table": "Themes and their key terms",
        "th_examples": "Representative tickets per theme (masked)",
        "so_text": "{n} candidate sources (one place drawing several kinds of complaint in a short time); {strong} stand out beyond chance. The first is {place}: {t} tickets in {k} days, in {c} categories.",
        "so_none": "No place draws several kinds of complaint in a short time.",
        "so_table": "Places behind several kinds of complaint, ranked",
        "nm_text": "{n} near-miss alerts at {places} places: their hazard tickets over the last 4 weeks clearly exceed their own history and their neighbourhood's; someone should go and look.",
        "nm_pyramid_text": "By the keyword rules: {serious} serious events, {minor} minor, {near} near misses, an observed ratio of {ratio} (Heinrich's textbook ratio is 1 : 29 : 300).",
        "nm_no_tiers": "no ticket matched the keyword rules for hazards, minor or serious events (the bundled rules are Chinese).",
        "nm_none": "No place calls for an alert.",
        "nm_table": "Near-miss alerts",
        "nm_pyramid": "Heinrich's safety pyramid: serious, minor, near misses (log widths; dashed: 1:29:300)",
        "qu_text": "{rows_in} rows in: {clean} usable, {rejected} set aside for data problems, {dups} exact duplicates removed. Every row is accounted for.",
        "qu_log": "Cleaning steps",
        "qu_reasons": "Rows set aside, by reason",
        "qu_examples": "Rows set aside, examples (masked)",
        "qu_none": "No row was set aside.",
    },
}

#: Column labels beyond :data:`commlib.schema.COLUMN_LABELS`, for report tables.
_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "metric": "指标",
        "value": "数值",
        "rank": "排名",
        "vital": "关键少数",
        "is_other": "合并项",
        "month": "月份",
        "tickets": "工单数",
        "share_of_all": "占全部工单",
        "top_category": "首要诉求",
        "top_share": "首要诉求占比",
        "n_vital": "关键少数类数",
        "vital_categories": "关键少数",
        "theme": "主题",
        "theme_id": "主题编号",
        "top_terms": "关键词",
        "example": "代表性工单",
        "share_start": "期初占比",
        "share_end": "期末占比",
        "change": "占比变化",
        "odds_ratio": "每期优势比",
        "ci_low": "置信下限",
        "ci_high": "置信上限",
        "p_value": "p 值",
        "p_adj": "校正 p 值",
        "periods": "期数",
        "total": "总数",
        "direction": "方向",
        "step": "步骤",
        "rows_in": "输入行数",
        "rows_out": "输出行数",
        "rows_changed": "改动行数",
        "seconds": "耗时（秒）",
        "note": "说明",
        "reason": "原因",
        "source_row": "原文件行号",
        "excerpt": "内容摘录",
        "place": "地点",
        "entity": "涉及对象",
        "n_tickets": "工单数",
        "n_categories": "诉求类数",
        "n_departments": "部门数",
        "categories": "诉求类别",
        "departments": "承办部门",
        "first": "首次",
        "last": "最近",
        "days": "天数",
        "score": "得分",
        "strong": "显著",
        "examples": "示例工单",
        "serious": "严重",
        "minor": "轻微",
        "near_miss": "隐患（未遂）",
        "untiered": "未分级工单",
        "observed_ratio": "观察比例",
        "first_fired": "首次预警",
        "last_fired": "最近预警",
        "periods_flagged": "预警周数",
        "expected": "预期数",
        "item": "项目",
        "about": "说明",
    },
    "en": {
        "metric": "Metric",
        "value": "Value",
        "rank": "Rank",
        "vital": "Vital few",
        "is_other": "Merged",
        "month": "Month",
        "tickets": "Tickets",
        "share_of_all": "Share of all",
        "top_category": "First category",
        "top_share": "First category's share",
        "n_vital": "Vital categories",
        "vital_categories": "Vital few",
        "theme": "Theme",
        "theme_id": "Theme no.",
        "top_terms": "Key terms",
        "example": "Example ticket",
        "share_start": "Share at start",
        "share_end": "Share at end",
        "change": "Change in share",
        "odds_ratio": "Odds ratio per period",
        "ci_low": "CI low",
        "ci_high": "CI high",
        "p_value": "p-value",
        "p_adj": "Adjusted p",
        "periods": "Periods",
        "total": "Total",
        "direction": "Direction",
        "step": "Step",
        "rows_in": "Rows in",
        "rows_out": "Rows out",
        "rows_changed": "Rows changed",
        "seconds": "Seconds",
        "note": "Note",
        "reason": "Reason",
        "source_row": "Row in file",
        "excerpt": "Excerpt",
        "place": "Place",
        "entity": "Named source",
        "n_tickets": "Tickets",
        "n_categories": "Categories",
        "n_departments": "Departments",
        "categories": "Categories",
        "departments": "Departments",
        "first": "First",
        "last": "Last",
        "days": "Days",
        "score": "Score",
        "strong": "Stands out",
        "examples": "Example tickets",
        "serious": "Serious",
        "minor": "Minor",
        "near_miss": "Near misses",
        "untiered": "Untiered tickets",
        "observed_ratio": "Observed ratio",
        "first_fired": "First alert",
        "last_fired": "Last alert",
        "periods_flagged": "Periods flagged",
        "expected": "Expected",
        "item": "Item",
        "about": "About",
    },
}

#: Columns shown as percentages.
_PERCENT_COLUMNS = frozenset(
    {"share", "cum_share", "share_of_all", "top_share", "share_start", "share_end", "change"}
)
#: Cleaning steps, as the appendix names them.
_STEP_LABELS = {
    "zh": {
        "normalize_text": "文本规范化",
        "mask": "脱敏",
        "parse_dates": "日期解析",
        "reject_empty_text": "剔除空内容",
        "strip_boilerplate": "去除套话",
        "map_categories": "分类归并",
        "normalize_community": "小区名规范化",
        "add_address_key": "地址键",
        "hash_caller_id": "来电人标识加密",
        "drop_duplicate_tickets": "去除重复",
        "mark_repeat_calls": "标记重复来电",
    },
    "en": {},
}
#: The cleaner writes its reasons in Chinese; English reports translate the fixed words.
_REASON_EN = (
    ("text 与 title 均为空", "text and title both empty"),
    ("无法识别的日期", "unreadable date"),
    ("为空", "is empty"),
    ("行 ", "row "),
)
_SATISFIED = frozenset(
    {"满意", "基本满意", "非常满意", "比较满意", "satisfied", "very satisfied", "mostly satisfied"}
)
_CLOSED_STATUS = frozenset({"已办结", "办结", "已结案", "结案", "已完成", "closed", "resolved"})


def _t(lang: str, key: str, **kw) -> str:
    text = _TEXT[lang][key]
    return text.format(**kw) if kw else text


def _label(column: str, lang: str) -> str:
    from commlib.schema import label

    own = _LABELS[lang].get(column)
    return own if own is not None else label(column, lang)


# --------------------------------------------------------------------------------------
# the report objects
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReportSection:
    """One section of a :class:`Report`: sentences, figures and tables, or a reason.

    Build your own to add an analysis of your own to a report
    (:meth:`Report.with_section`). Text is plain text (the writers escape it); figures
    are PNG bytes (:func:`figure_png`); table column names are canonical names or the
    report's own (labelled in the reader's language), other names are shown as they are.

    Attributes
    ----------
    id : str
        Short name, used as the HTML anchor (``<section id="...">``).
    title : str
        Heading.
    paragraphs : tuple of str
        Narrative sentences, one paragraph each.
    tables : dict of str to pandas.DataFrame
        Tables by name; the name is unique within a report and names the workbook sheet.
    table_titles : dict of str to str
        Caption of each table (default: its name).
    figures : dict of str to bytes
        PNG images by name.
    figure_titles : dict of str to str
        Caption of each figure.
    skipped : str or None
        Why the section was not built (then it holds nothing else).
    seconds : float
        Time spent building it.

    Examples
    --------
    >>> import pandas as pd
    >>> sec = ReportSection("mine", "我的分析", paragraphs=("快递投诉下降了一半。",),
    ...                     tables={"mine": pd.DataFrame({"category": ["快递物流"], "count": [3]})})
    >>> sec.tables["mine"].shape
    (1, 2)
    """

    id: str
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: Mapping[str, pd.DataFrame] = dataclasses.field(default_factory=dict)
    table_titles: Mapping[str, str] = dataclasses.field(default_factory=dict)
    figures: Mapping[str, bytes] = dataclasses.field(default_factory=dict)
    figure_titles: Mapping[str, str] = dataclasses.field(default_factory=dict)
    skipped: str | None = None
    seconds: float = 0.0


@dataclasses.dataclass(frozen=True)
class Report:
    """What :func:`build_report` hands back: sections, their tables and figures, writers.

    Attributes
    ----------
    title : str
    lang : {"zh", "en"}
    sections : tuple of ReportSection
        In report order, skipped ones included (they carry their reason).
    meta : dict
        ``source`` (file name or None), ``rows`` (tickets reported), ``start`` and
        ``end`` (first and last ticket date), ``generated`` (timestamp), ``by``,
        ``version``.

    Examples
    --------
    >>> from commlib.datasets import make_tickets
    >>> report = build_report(make_tickets(400, seed=1), sections=["overview", "pareto"])
    >>> list(report.tables)
    ['overview', 'satisfaction', 'pareto']
    >>> html_text = report.to_html()
    >>> html_text.startswith("<!DOCTYPE html>")
    True
    """

    title: str
    lang: str
    sections: tuple[ReportSection, ...]
    meta: Mapping[str, object] = dataclasses.field(default_factory=dict)

    # ------------------------------------------------------------------ access
    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the built sections, by name, in report order."""
        return {k: v for s in self.sections for k, v in s.tables.items()}

    @property
    def figures(self) -> dict[str, bytes]:
        """Every figure (PNG bytes) of the built sections, by name."""
        return {k: v for s in self.sections for k, v in s.figures.items()}

    @property
    def skipped(self) -> dict[str, str]:
        """Sections not built, with the reason shown in the report."""
        return {s.id: s.skipped for s in self.sections if s.skipped is not None}

    @property
    def timings(self) -> dict[str, float]:
        """Seconds spent on each section."""
        return {s.id: s.seconds for s in self.sections}

    def section(self, id: str) -> ReportSection:
        """The section called ``id``."""
        for s in self.sections:
            if s.id == id:
                return s
        raise KeyError(f"no section {id!r}; the report has {[s.id for s in self.sections]}")

    def table(self, name: str) -> pd.DataFrame:
        """The table called ``name``."""
        tables = self.tables
        if name not in tables:
            raise KeyError(f"no table {name!r}; the report has {list(tables)}")
        return tables[name]

    def with_section(self, section: ReportSection, *, after: str | None = None) -> Report:
        """A new report with ``section`` added (or replacing the one with its id).

        Its texts and string cells are masked like every built section's.

        Parameters
        ----------
        section : ReportSection
        after : str, optional
            Id of the section to insert it after; default at the end (or in place of
            the section it replaces).
        """
        section = _masked_section(section)
        ids = [s.id for s in self.sections]
        sections = list(self.sections)
        if section.id in ids and after is None:
            sections[ids.index(section.id)] = section
            return dataclasses.replace(self, sections=tuple(sections))
        sections = [s for s in sections if s.id != section.id]
        ids = [s.id for s in sections]
        if after is None:
            sections.append(section)
        elif after in ids:
            sections.insert(ids.index(after) + 1, section)
        else:
            raise KeyError(f"no section {after!r} to insert after; the report has {ids}")
        return dataclasses.replace(self, sections=tuple(sections))

    def __repr__(self) -> str:
        built = [s.id for s in self.sections if s.skipped is None]
        return (
            f"Report({self.title!r}, lang={self.lang!r}, {self.meta.get('rows', '?')} tickets, "
            f"sections={built}, skipped={list(self.skipped)})"
        )

    # ------------------------------------------------------------------ writers
    def to_html(self, path: str | Path | None = None) -> str | Path:
        """Write the report as one self-contained HTML file (or return it as a string).

        Charts are embedded as base64 PNG, the CSS is inline, nothing is fetched from
        the network, and each section starts a new page when printed. The text is
        scanned for personal data before it is written.

        Parameters
        ----------
        path : str or Path, optional
            File to write. Without it the HTML is returned as a string.

        Returns
        -------
        str or Path
            The HTML text, or the path written.

        Raises
        ------
        ReportPrivacyError
            If the page's text holds a phone number, ID number, plate or name.
        """
        text = _render_html(self)
        check_no_personal_data(_visible_text(text), where="the HTML report")
        if path is None:
            return text
        path = Path(path)
        path.write_text(text, encoding="utf-8")
        return path

    def to_xlsx(self, path: str | Path) -> Path:
        """Write every table to an Excel workbook: one sheet per table.

        A first sheet describes the report (title, source, period, skipped sections).
        Headers are labelled in the report's language, the header row is frozen and
        filtered, columns are sized to their content (at most 60 characters wide) and
        shares are formatted as percentages. Every cell is scanned for personal data
        once written; the file is deleted if anything is found.

        Parameters
        ----------
        path : str or Path

        Returns
        -------
        Path

        Raises
        ------
        ReportPrivacyError
            If any cell holds a phone number, ID number, plate or name.
        """
        path = Path(path)
        _write_xlsx(self, path)
        try:
            check_no_personal_data(_xlsx_strings(path), where=f"workbook {path.name}")
        except ReportPrivacyError:
            path.unlink(missing_ok=True)
            raise
        return path


# --------------------------------------------------------------------------------------
# privacy
# --------------------------------------------------------------------------------------


def _pii_kinds(texts: str | Iterable[str]) -> list[str]:
    """Kinds of personal data found in ``texts`` by both nets (empty list: none)."""
    from commlib.privacy import find_pii

    items = [texts] if isinstance(texts, str) else [t for t in texts if isinstance(t, str)]
    items = [t for t in items if t]
    if not items:
        return []
    found = find_pii(pd.Series(items, dtype="str"))
    kinds = [k for k in found.columns if bool(found[k].any())]
    for kind, pattern in _GUARD_PATTERNS.items():
        if kind not in kinds and any(pattern.search(t) for t in items):
            kinds.append(kind)
    return kinds


#: File types :func:`scan_outputs` reads.
SCANNABLE = (".html", ".htm", ".xlsx", ".ipynb", ".csv", ".tsv", ".txt", ".md", ".json")


def _texts_of_file(path: Path) -> list[str]:
    """The human-readable texts of an output file (no embedded images, no markup)."""
    import json

    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return [
                str(v)
                for ws in wb.worksheets
                for row in ws.iter_rows(values_only=True)
                for v in row
                if v is not None
            ]
        finally:
            wb.close()
    raw = path.read_text(encoding="utf-8", errors="replace")
    if suffix in (".html", ".htm"):
        raw = re.sub(r"data:[a-z/+.-]+;base64,[A-Za-z0-9+/=]+", "", raw)
        raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S | re.I)
        return [html.unescape(t) for t in re.split(r"<[^>]+>", raw) if t.strip()]
    if suffix == ".ipynb":
        nb = json.loads(raw)
        texts = []
        for cell in nb.get("cells", []):
            texts.append("".join(cell.get("source", [])))
            for out in cell.get("outputs", []):
                texts.append("".join(out.get("text", [])))
                for mime, value in out.get("data", {}).items():
                    if mime.startswith("text/"):
                        texts.append(value if isinstance(value, str) else "".join(value))
        return texts
    return raw.splitlines()


def scan_outputs(paths) -> pd.DataFrame:
    """Check files that are about to leave the office for residents' personal data.

    Reads each file's visible text (HTML without markup or embedded images, every cell
    of a workbook, a notebook's sources and outputs, plain text and CSV) and looks for
    phone numbers, ID numbers, plates, names, bank cards and e-mail addresses with the
    same two nets that guard the report. Folders are searched for the file types in
    :data:`SCANNABLE`.

    Parameters
    ----------
    paths : str, path-like or iterable of them
        Files or folders.

    Returns
    -------
    pandas.DataFrame
        One row per file: ``file``, ``ok`` (True when nothing was found) and ``kinds``
        (the kinds found, comma-separated).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (pathlib.Path(d) / "a.html").write_text("<p>联系电话[电话]</p>", encoding="utf-8")
    ...     _ = (pathlib.Path(d) / "b.csv").write_text("text\\n联系电话13812345678\\n", encoding="utf-8")
    ...     scan_outputs(d)[["ok", "kinds"]].to_numpy().tolist()
    [[True, ''], [False, 'phone']]
    """
    from commlib.errors import InputFileError

    if isinstance(paths, str | Path):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in SCANNABLE))
        elif p.is_file():
            files.append(p)
        else:
            raise InputFileError(f"{p} does not exist; give the files or folders to check.")
    rows = []
    for f in files:
        if f.suffix.lower() not in SCANNABLE:
            raise InputFileError(
                f"{f}: commlib cannot read {f.suffix or 'this'} files; it checks "
                f"{', '.join(SCANNABLE)}."
            )
        kinds = _pii_kinds(_texts_of_file(f))
        rows.append({"file": str(f), "ok": not kinds, "kinds": ", ".join(kinds)})
    return pd.DataFrame(rows, columns=["file", "ok", "kinds"])


def check_no_personal_data(texts: str | Iterable[str], *, where: str = "the report") -> None:
    """Raise :class:`ReportPrivacyError` if any text holds personal data.

    Two nets: :func:`commlib.privacy.find_pii` (every kind ``mask_pii`` masks) and
    plain patterns for mobile numbers, landlines with area code, 18-character ID
    numbers and number plates.

    Parameters
    ----------
    texts : str or iterable of str
    where : str
        What is being checked, for the message.

    Examples
    --------
    >>> check_no_personal_data(["来电人[姓名]反映噪音", "工单 GD2024010107699"])
    >>> try:
    ...     check_no_personal_data(["联系电话13812345678"])
    ... except ReportPrivacyError as err:
    ...     print(str(err)[:40])
    personal data (phone) found in the repor
    """
    kinds = _pii_kinds(texts)
    if kinds:
        raise ReportPrivacyError(
            f"personal data ({', '.join(kinds)}) found in {where}; nothing was written. "
            "Masking missed it: check which column carries it (a name or phone number "
            "typed into a category or address cell) and clean that column first."
        )


#: Object columns whose values are not text (numbers or dates with gaps): left as they are.
_NOT_TEXT = dict.fromkeys(
    (
        "integer",
        "floating",
        "mixed-integer-float",
        "decimal",
        "boolean",
        "datetime",
        "datetime64",
        "date",
        "timedelta",
        "timedelta64",
        "period",
        "empty",
    ),
    True,
)


def _mask_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Mask every text cell (lists of texts too) of a table; numbers are left alone."""
    from commlib.privacy import mask_pii

    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        if pd.api.types.is_bool_dtype(s) or _NOT_TEXT.get(pd.api.types.infer_dtype(s), False):
            continue
        values = s.map(_cell_text, na_action="ignore")
        out[col] = mask_pii(values.astype("str"))
    out.columns = [str(c) for c in out.columns]
    return out


#: Label columns that sections group by, name in sentences and draw on charts.
_LABEL_COLUMNS = (
    "category",
    "subcategory",
    "community",
    "address",
    "address_key",
    "department",
    "street",
    "transfer_path",
)


def _masked_labels(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """``df`` with personal data masked in its label columns (a copy only if needed)."""
    from commlib.privacy import mask_pii

    out = df
    for col in dict.fromkeys((*_LABEL_COLUMNS, by)):
        if col not in df.columns:
            continue
        s = df[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        uniq = pd.Series(pd.unique(s.dropna()), dtype=object)
        masked = mask_pii(uniq.astype("str"))
        changed = dict(
            zip(
                uniq[uniq.astype("str") != masked],
                masked[uniq.astype("str") != masked],
                strict=True,
            )
        )
        if not changed:
            continue
        if out is df:
            out = df.copy()
        hit = s.isin(list(changed))
        out[col] = s.astype(object).where(~hit, s.astype(object).map(changed))
    return out


def _cell_text(value) -> str:
    if isinstance(value, (list, tuple, np.ndarray)):
        return "；".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp):
        return _fmt_date(value)
    return str(value)


def _masked_section(section: ReportSection) -> ReportSection:
    from commlib.privacy import mask_pii

    return dataclasses.replace(
        section,
        title=mask_pii(section.title),
        paragraphs=tuple(mask_pii(p) for p in section.paragraphs),
        tables={k: _mask_frame(v) for k, v in section.tables.items()},
        table_titles={k: mask_pii(v) for k, v in section.table_titles.items()},
        figure_titles={k: mask_pii(v) for k, v in section.figure_titles.items()},
        skipped=None if section.skipped is None else mask_pii(section.skipped),
    )


# --------------------------------------------------------------------------------------
# formatting helpers
# --------------------------------------------------------------------------------------


def _fmt_int(n) -> str:
    return f"{int(n):,}"


def _fmt_pct(x) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f}%"


def _fmt_date(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def _fmt_duration(td: pd.Timedelta, lang: str) -> str:
    hours = td.total_seconds() / 3600
    if hours < 48:
        return _t(lang, "hours", x=f"{hours:.1f}")
    return _t(lang, "days", x=f"{hours / 24:.1f}")


def _join_names(values, lang: str, limit: int = 5) -> str:
    values = [str(v) for v in values]
    sep = _t(lang, "col_join")
    more = "…" if len(values) > limit else ""
    return sep.join(values[:limit]) + more


def figure_png(fig, *, dpi: int = 110) -> bytes:
    """Render a matplotlib Figure to PNG bytes and close it.

    Use it to put a chart of your own into a :class:`ReportSection`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([1, 2, 3])
    >>> figure_png(fig)[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _by_noun(by: str, lang: str) -> str:
    """How a sentence names the groups: "小区" / "communities", else the column label."""
    if by == "community":
        return "小区" if lang == "zh" else "communities"
    return _label(by, lang) if lang == "zh" else f"'{_label(by, lang)}' groups"


def _missing(lang: str, cols: Sequence[str]) -> str:
    names = _t(lang, "col_join").join(
        f"“{_label(c, lang)}”" if lang == "zh" else f"'{_label(c, lang)}'" for c in cols
    )
    return _t(lang, "need_columns" if len(cols) == 1 else "need_columns_many", cols=names)


def _usable(df: pd.DataFrame, col: str) -> bool:
    return col in df.columns and bool(df[col].notna().any())


# --------------------------------------------------------------------------------------
# context shared by the section builders
# --------------------------------------------------------------------------------------


@dataclasses.dataclass
class _Context:
    tickets: pd.DataFrame
    lang: str
    by: str
    random_state: int
    options: Mapping[str, Mapping]
    cleaned: object | None  # CleanResult, when build_report ran (or was given) a cleaning
    excluded: int  # tickets outside the period

    def opt(self, section: str, key: str, default):
        return self.options.get(section, {}).get(key, default)


# --------------------------------------------------------------------------------------
# sections
# --------------------------------------------------------------------------------------


def _section_overview(ctx: _Context) -> ReportSection:
    df, lang, by = ctx.tickets, ctx.lang, ctx.by
    created = df["created_at"]
    start, end = created.min(), created.max()
    rows: list[tuple[str, str]] = [
        (_t(lang, "kpi_tickets"), _fmt_int(len(df))),
        (_t(lang, "kpi_period"), f"{_fmt_date(start)} – {_fmt_date(end)}"),
    ]
    paras = [_t(lang, "ov_intro", n=_fmt_int(len(df)), start=_fmt_date(start), end=_fmt_date(end))]
    places = int(df[by].nunique()) if _usable(df, by) else None
    addresses = None
    for col in ("address_key", "address"):
        if _usable(df, col):
            addresses = int(df[col].nunique())
            break
    if places is not None:
        rows.append(
            (_t(lang, "kpi_places") if by == "community" else _label(by, lang), str(places))
        )
    if addresses is not None:
        rows.append((_t(lang, "kpi_addresses"), _fmt_int(addresses)))
    if places is not None or addresses is not None:
        paras.append(
            _t(
                lang,
                "ov_places",
                places=places if places is not None else "–",
                addresses=_fmt_int(addresses) if addresses is not None else "–",
                by_label=_by_noun(by, lang),
            )
        )

    closed = None
    if _usable(df, "closed_at") and pd.api.types.is_datetime64_any_dtype(df["closed_at"]):
        closed = df["closed_at"].notna()
    elif _usable(df, "status"):
        closed = df["status"].astype("str").str.strip().str.lower().isin(_CLOSED_STATUS)
    if closed is not None:
        rate = float(closed.mean())
        rows.append((_t(lang, "kpi_closure"), _fmt_pct(rate)))
        median = "–"
        if "closed_at" in df.columns and pd.api.types.is_datetime64_any_dtype(df["closed_at"]):
            took = (df["closed_at"] - created)[df["closed_at"].notna()]
            took = took[took >= pd.Timedelta(0)]
            if len(took):
                median = _fmt_duration(took.median(), lang)
                rows.append((_t(lang, "kpi_close_time"), median))
        paras.append(
            _t(
                lang,
                "ov_closure",
                closed=_fmt_int(closed.sum()),
                rate=_fmt_pct(rate),
                median=median,
            )
        )
    else:
        paras.append(_t(lang, "ov_no_closure"))

    tables: dict[str, pd.DataFrame] = {}
    titles: dict[str, str] = {}
    if _usable(df, "satisfaction"):
        sat = df["satisfaction"].dropna().astype("str").str.strip()
        sat = sat[sat != ""]
        numeric = pd.to_numeric(sat, errors="coerce")
        rows.append((_t(lang, "kpi_rated"), _fmt_int(len(sat))))
        if len(sat) and numeric.notna().mean() > 0.9:
            mean = float(numeric.mean())
            rows.append((_t(lang, "kpi_satisfaction"), f"{mean:.2f}"))
            paras.append(
                _t(lang, "ov_satisfaction_mean", rated=_fmt_int(len(sat)), mean=f"{mean:.2f}")
            )
        elif len(sat):
            rate = float(sat.str.lower().isin(_SATISFIED).mean())
            rows.append((_t(lang, "kpi_satisfaction"), _fmt_pct(rate)))
            paras.append(_t(lang, "ov_satisfaction", rated=_fmt_int(len(sat)), rate=_fmt_pct(rate)))
        counts = sat.value_counts()
        tables["satisfaction"] = pd.DataFrame(
            {
                "satisfaction": counts.index.astype("str"),
                "count": counts.to_numpy(),
                "share": counts.to_numpy() / counts.sum(),
            }
        )
        titles["satisfaction"] = _label("satisfaction", lang)
    else:
        paras.append(_t(lang, "ov_no_satisfaction"))
    if ctx.excluded:
        paras.append(_t(lang, "ov_excluded", n=_fmt_int(ctx.excluded)))
    overview = pd.DataFrame(rows, columns=["metric", "value"])
    return ReportSection(
        "overview",
        _t(lang, "overview"),
        paragraphs=tuple(paras),
        tables={"overview": overview, **tables},
        table_titles={"overview": _t(lang, "overview"), **titles},
    )


def _section_pareto(ctx: _Context) -> ReportSection:
    from commlib.pareto import pareto_chart, pareto_table

    df, lang = ctx.tickets, ctx.lang
    if not _usable(df, "category"):
        return _skip("pareto", lang, _missing(lang, ["category"]))
    threshold = ctx.opt("pareto", "threshold", 0.8)
    table = pareto_table(df, by="category", threshold=threshold, lang=lang)
    vital = table[table["vital"]]
    text = _t(
        lang,
        "pa_text",
        k=len(table),
        v=len(vital),
        names=_join_names(vital["category"], lang, limit=6),
        share=_fmt_pct(float(vital["share"].sum())),
    )
    ax = pareto_chart(
        df,
        by="category",
        threshold=threshold,
        max_categories=ctx.opt("pareto", "max_categories", 12),
        lang=lang,
        title="",
    )
    shown = table.drop(columns=["value", "is_other"])
    return ReportSection(
        "pareto",
        _t(lang, "pareto"),
        paragraphs=(text,),
        tables={"pareto": shown},
        table_titles={"pareto": _t(lang, "pa_table")},
        figures={"pareto": figure_png(ax.figure)},
        figure_titles={"pareto": _t(lang, "pa_chart")},
    )


def _section_communities(ctx: _Context) -> ReportSection:
    from commlib.pareto import pareto_by, pareto_by_chart

    df, lang, by = ctx.tickets, ctx.lang, ctx.by
    need = [c for c in ("category", by) if c not in df.columns]
    if need:
        return _skip("communities", lang, _missing(lang, need))
    if not df[by].notna().any():
        return _skip("communities", lang, _t(lang, "no_groups", col=_label(by, lang)))
    threshold = ctx.opt("communities", "threshold", 0.8)
    long = pareto_by(df, by="category", group=by, threshold=threshold, lang=lang)
    sizes = df[by].value_counts()
    firsts = long[long["rank"] == 1].set_index(by)
    vital = long[long["vital"]].groupby(by, sort=False)["category"].agg(list)
    summary = pd.DataFrame({by: sizes.index, "tickets": sizes.to_numpy()})
    summary["share_of_all"] = summary["tickets"] / len(df)
    summary["top_category"] = summary[by].map(firsts["category"])
    summary["top_share"] = summary[by].map(firsts["share"]).astype(float)
    summary["n_vital"] = summary[by].map(vital.map(len)).fillna(0).astype(int)
    summary["vital_categories"] = summary[by].map(vital.map(lambda v: _join_names(v, lang, 8)))
    top = summary.iloc[0]
    by_label = _label(by, lang) if lang == "zh" else _label(by, lang).lower()
    text = _t(
        lang,
        "co_text",
        by_label=by_label,
        top=top[by],
        n=_fmt_int(top["tickets"]),
        cat=top["top_category"],
        share=_fmt_pct(top["top_share"]),
    )
    groups = summary[by].head(ctx.opt("communities", "max_panels", MAX_COMMUNITY_PANELS)).tolist()
    fig = pareto_by_chart(
        df[df[by].isin(groups)],
        by="category",
        group=by,
        groups=groups,
        threshold=threshold,
        max_categories=6,
        lang=lang,
    )
    top5 = long[long["rank"] <= 5].drop(columns=["value", "is_other"]).reset_index(drop=True)
    return ReportSection(
        "communities",
        _t(lang, "communities"),
        paragraphs=(text,),
        tables={"communities": summary, "community_pareto": top5},
        table_titles={
            "communities": _t(lang, "co_summary", by_label=by_label),
            "community_pareto": _t(lang, "co_table", by_label=by_label),
        },
        figures={"communities": figure_png(fig)},
        figure_titles={"communities": _t(lang, "co_chart", k=len(groups), by_label=by_label)},
    )


def _monthly_chart(counts: pd.Series, lang: str):
    import matplotlib.pyplot as plt

    from commlib.plotting import LINE_COLOR, use_chinese_font

    use_chinese_font()
    width = min(max(6.0, 0.45 * len(counts) + 2.5), 14.0)
    fig, ax = plt.subplots(figsize=(width, 3.8), layout="constrained")
    labels = [p.strftime("%Y-%m") for p in counts.index]
    ax.bar(range(len(counts)), counts.to_numpy(), color=LINE_COLOR, alpha=0.85)
    ax.set_xticks(range(len(counts)), labels, rotation=45 if len(counts) > 8 else 0, ha="right")
    ax.set_ylabel(_label("tickets", lang))
    ax.set_xlabel(_label("month", lang))
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _section_trend(ctx: _Context) -> ReportSection:
    df, lang = ctx.tickets, ctx.lang
    months = df["created_at"].dt.to_period("M")
    counts = months.value_counts().sort_index()
    full = pd.period_range(counts.index.min(), counts.index.max(), freq="M")
    counts = counts.reindex(full, fill_value=0)
    counts.index = counts.index.to_timestamp()
    monthly = pd.DataFrame(
        {"month": [p.strftime("%Y-%m") for p in counts.index], "tickets": counts.to_numpy()}
    )
    peak, low = counts.idxmax(), counts.idxmin()
    if len(counts) == 1:
        paras = [_t(lang, "tr_one", n=_fmt_int(counts.iloc[0]), month=peak.strftime("%Y-%m"))]
    else:
        paras = [
            _t(
                lang,
                "tr_text",
                mean=_fmt_int(round(counts.mean())),
                peak=peak.strftime("%Y-%m"),
                peak_n=_fmt_int(counts.max()),
                low=low.strftime("%Y-%m"),
                low_n=_fmt_int(counts.min()),
            )
        ]
    start, end = df["created_at"].min(), df["created_at"].max()
    if start.day != 1 or (end + pd.Timedelta(days=1)).day != 1:
        paras.append(_t(lang, "tr_partial", start=_fmt_date(start), end=_fmt_date(end)))
    tables = {"monthly": monthly}
    titles = {"monthly": _t(lang, "tr_table")}
    figures = {"monthly": figure_png(_monthly_chart(counts, lang))}
    fig_titles = {"monthly": _t(lang, "tr_chart")}

    if not _usable(df, "category"):
        paras.append(_t(lang, "tr_no_trends", reason=_missing(lang, ["category"])))
    elif len(counts) < 3:
        paras.append(_t(lang, "tr_no_trends", reason=_t(lang, "few_months", n=len(counts))))
    else:
        try:
            from commlib import trends
        except ImportError:
            paras.append(
                _t(lang, "tr_no_trends", reason=_t(lang, "module_missing", module="trends"))
            )
        else:
            result = trends.share_trend(
                df, by="category", freq="MS", min_count=ctx.opt("trend", "min_count", 10)
            )
            rising = trends.rising_factors(result, min_change=ctx.opt("trend", "min_change", 0.0))
            if len(rising):
                paras.append(_t(lang, "tr_rising", names=_join_names(rising["category"], lang, 6)))
                keep = [
                    "rank",
                    "category",
                    "count",
                    "share_start",
                    "share_end",
                    "change",
                    "odds_ratio",
                    "p_adj",
                ]
                tables["rising"] = rising[[c for c in keep if c in rising.columns]]
                titles["rising"] = _t(lang, "tr_rising_table")
                ax = trends.share_trend_chart(
                    result, categories=rising["category"].head(3).tolist(), lang=lang, title=""
                )
                figures["rising"] = figure_png(ax.figure)
                fig_titles["rising"] = _t(lang, "tr_rising_chart")
            else:
                paras.append(_t(lang, "tr_none"))
    return ReportSection(
        "trend",
        _t(lang, "trend"),
        paragraphs=tuple(paras),
        tables=tables,
        table_titles=titles,
        figures=figures,
        figure_titles=fig_titles,
    )


def _has_cjk(texts: pd.Series) -> bool:
    sample = texts.head(500).astype("str")
    return bool(sample.str.contains(r"[\u4e00-\u9fff]", regex=True).mean() >= 0.5)


def _section_themes(ctx: _Context) -> ReportSection:
    from commlib.cluster import TicketClusterer
    from commlib.pareto import pareto_chart, pareto_table
    from commlib.privacy import mask_pii

    df, lang = ctx.tickets, ctx.lang
    if "text" not in df.columns and "title" not in df.columns:
        return _skip("themes", lang, _missing(lang, ["text"]))
    texts = df["text"] if "text" in df.columns else pd.Series(pd.NA, index=df.index, dtype="str")
    if "title" in df.columns:
        texts = texts.fillna(df["title"])
    texts = texts.dropna().astype("str")
    texts = texts[texts.str.strip() != ""]
    if len(texts) < MIN_THEME_TICKETS:
        return _skip("themes", lang, _t(lang, "few_texts", n=len(texts), min=MIN_THEME_TICKETS))
    k = ctx.opt("themes", "n_clusters", 12 if len(texts) >= 2000 else "auto")
    mode = "word" if _has_cjk(texts) else "english"
    clusterer = TicketClusterer(
        k,
        mode=mode,
        k_range=(4, 12),
        n_components=ctx.opt("themes", "n_components", THEME_COMPONENTS),
        min_cluster_size=0.01,
        n_representatives=2,
        random_state=ctx.random_state,
        n_jobs=1,  # worker processes cost more than they save on two busy cores
        verbose=False,
    )
    fit_on = texts
    if len(texts) > THEME_FIT_SAMPLES:
        fit_on = texts.sample(THEME_FIT_SAMPLES, random_state=ctx.random_state).sort_index()
    clusterer.fit(fit_on.tolist())
    ids = clusterer.labels_ if fit_on is texts else clusterer.predict(texts.tolist())
    misc = "其他" if lang == "zh" else "misc"
    names = {c: (misc if c == -1 else n) for c, n in clusterer.names_.items()}
    themed = pd.DataFrame({"theme_id": ids, "theme": pd.Series(ids).map(names).to_numpy()})
    sizes = themed["theme_id"].value_counts()
    order = [c for c in sizes.index if c != -1] + ([-1] if -1 in sizes.index else [])
    summary = clusterer.summary().set_index("cluster")
    table = pd.DataFrame(
        {
            "theme_id": order,
            "theme": [names[c] for c in order],
            "count": [int(sizes[c]) for c in order],
        }
    )
    table["share"] = table["count"] / len(texts)
    table["top_terms"] = [
        "、".join(str(summary.loc[c, "top_terms"]).split("、")[:6]) if c in summary.index else ""
        for c in order
    ]
    reps = clusterer.representatives_
    examples = reps.assign(
        theme=reps["cluster"].map(names), example=mask_pii(reps["text"].astype("str"))
    )
    examples["example"] = examples["example"].str.slice(0, 160)
    examples = examples[["theme", "rank", "example"]].reset_index(drop=True)
    examples["rank"] = examples["rank"] + 1
    method = _t(lang, "th_auto") if k == "auto" else _t(lang, "th_fixed", k=clusterer.n_clusters_)
    top = table.iloc[0]
    text = _t(
        lang,
        "th_text",
        k=int((table["theme_id"] != -1).sum()),
        method=method,
        name=top["theme"],
        n=_fmt_int(top["count"]),
        share=_fmt_pct(top["share"]),
    )
    pt = pareto_table(themed, by="theme", lang=lang)
    ax = pareto_chart(pt, by="theme", lang=lang, title="")
    ax.set_xlabel(_label("theme", lang))
    return ReportSection(
        "themes",
        _t(lang, "themes"),
        paragraphs=(text,),
        tables={"themes": table, "theme_examples": examples},
        table_titles={"themes": _t(lang, "th_table"), "theme_examples": _t(lang, "th_examples")},
        figures={"themes": figure_png(ax.figure)},
        figure_titles={"themes": _t(lang, "th_chart")},
    )


def _section_sources(ctx: _Context) -> ReportSection:
    df, lang = ctx.tickets, ctx.lang
    need = [c for c in ("category",) if not _usable(df, c)]
    if not (_usable(df, "address_key") or _usable(df, "address")):
        need.append("address")
    if need:
        return _skip("sources", lang, _missing(lang, need))
    try:
        from commlib.attribution import link_sources
    except ImportError:
        return _skip("sources", lang, _t(lang, "module_missing", module="attribution"))
    place = "address_key" if _usable(df, "address_key") else "address"
    links = link_sources(
        df,
        window=ctx.opt("sources", "window", "14D"),
        place=place,
        department="department" if "department" in df.columns else None,
        text="text" if "text" in df.columns else None,
        community="community" if "community" in df.columns else None,
        random_state=ctx.random_state,
    )
    sources = links.sources
    if not len(sources):
        return ReportSection("sources", _t(lang, "sources"), paragraphs=(_t(lang, "so_none"),))
    top = sources.iloc[0]
    text = _t(
        lang,
        "so_text",
        n=len(sources),
        strong=int(sources["strong"].sum()),
        place=top["place"],
        k=int(top["days"]) if pd.notna(top["days"]) else "–",
        t=int(top["n_tickets"]),
        c=int(top["n_categories"]),
    )
    cols = [
        "place",
        "entity",
        "community",
        "n_tickets",
        "n_categories",
        "n_departments",
        "categories",
        "departments",
        "first",
        "last",
        "score",
        "strong",
        "examples",
    ]
    shown = sources[[c for c in cols if c in sources.columns]].head(ctx.opt("sources", "top", 20))
    shown.insert(0, "rank", np.arange(1, len(shown) + 1))
    return ReportSection(
        "sources",
        _t(lang, "sources"),
        paragraphs=(text,),
        tables={"sources": shown.reset_index(drop=True)},
        table_titles={"sources": _t(lang, "so_table")},
    )


def _english_pyramid(ax) -> None:
    """Relabel :func:`commlib.heinrich.pyramid_chart`'s Chinese words in English."""
    ax.set_yticks(ax.get_yticks(), ["Near misses", "Minor", "Serious"])
    for text in ax.texts:
        words = text.get_text()
        if words.startswith("按 1:29:300 应为"):
            text.set_text(words.replace("按 1:29:300 应为", "1:29:300 would give"))


def _section_near_misses(ctx: _Context) -> ReportSection:
    df, lang = ctx.tickets, ctx.lang
    need = []
    if not (_usable(df, "text") or _usable(df, "title")):
        need.append("text")
    if not (_usable(df, "address_key") or _usable(df, "address")):
        need.append("address")
    if need:
        return _skip("near_misses", lang, _missing(lang, need))
    try:
        from commlib import heinrich
    except ImportError:
        return _skip("near_misses", lang, _t(lang, "module_missing", module="heinrich"))
    data = heinrich.severity_tiers(df)
    if not data["tier"].notna().any():
        return _skip("near_misses", lang, _t(lang, "nm_no_tiers"))
    community = "community" if "community" in data.columns else None
    pyramid = heinrich.heinrich_pyramid(data, community=community or "community")
    row = pyramid.iloc[0]
    paras = [
        _t(
            lang,
            "nm_pyramid_text",
            serious=_fmt_int(row["serious"]),
            minor=_fmt_int(row["minor"]),
            near=_fmt_int(row["near_miss"]),
            ratio=row["observed_ratio"],
        )
    ]
    ax = heinrich.pyramid_chart(pyramid)
    ax.set_title("")  # the caption under the figure says it, in the report's language
    if lang == "en":
        _english_pyramid(ax)
    figures = {"pyramid": figure_png(ax.figure)}
    result = heinrich.near_miss_alerts(
        data,
        by="address_key" if "address_key" in data.columns else "address",
        freq=ctx.opt("near_misses", "freq", "W"),
        community=community,
    )
    alerts = result.alerts
    tables = {"pyramid": pyramid[["serious", "minor", "near_miss", "untiered", "observed_ratio"]]}
    titles = {"pyramid": _t(lang, "nm_pyramid")}
    if len(alerts):
        paras.append(_t(lang, "nm_text", n=len(alerts), places=alerts["place"].nunique()))
        cols = [
            "place",
            "community",
            "first_fired",
            "last_fired",
            "periods_flagged",
            "count",
            "expected",
            "p_value",
        ]
        shown = alerts[[c for c in cols if c in alerts.columns]]
        shown = shown.sort_values("first_fired", ascending=False, kind="stable")
        tables["near_misses"] = shown.head(ctx.opt("near_misses", "top", 30)).reset_index(drop=True)
        titles["near_misses"] = _t(lang, "nm_table")
    else:
        paras.append(_t(lang, "nm_none"))
    return ReportSection(
        "near_misses",
        _t(lang, "near_misses"),
        paragraphs=tuple(paras),
        tables=tables,
        table_titles=titles,
        figures=figures,
        figure_titles={"pyramid": _t(lang, "nm_pyramid")},
    )


def _reason_kind(reasons: pd.Series, lang: str) -> pd.Series:
    kinds = reasons.astype("str").str.replace(r"\s*'[^']*'", "", regex=True)
    kinds = kinds.str.replace(r"\s*\(行 \d+\)", "", regex=True).str.strip()
    if lang == "en":
        for zh, en in _REASON_EN:
            kinds = kinds.str.replace(zh, en, regex=False)
    return kinds


def _section_quality(ctx: _Context) -> ReportSection:
    lang = ctx.lang
    res = ctx.cleaned
    if res is None:
        return _skip("quality", lang, _t(lang, "not_cleaned"))
    steps = _STEP_LABELS[lang]
    log = res.log[["step", "rows_in", "rows_out", "rows_changed", "seconds", "note"]].copy()
    log["step"] = log["step"].map(lambda s: steps.get(s, s))
    text = _t(
        lang,
        "qu_text",
        rows_in=_fmt_int(res.rows_in),
        clean=_fmt_int(len(res.tickets)),
        rejected=_fmt_int(len(res.rejected)),
        dups=_fmt_int(len(res.duplicates)),
    )
    paras = [text]
    tables = {"cleaning_log": log}
    titles = {"cleaning_log": _t(lang, "qu_log")}
    rej = res.rejected
    if len(rej):
        kinds = _reason_kind(rej["reason"], lang)
        by_reason = (
            pd.DataFrame({"step": rej["step"].map(lambda s: steps.get(s, s)), "reason": kinds})
            .value_counts()
            .rename("count")
            .reset_index()
        )
        tables["rejected_by_reason"] = by_reason
        titles["rejected_by_reason"] = _t(lang, "qu_reasons")
        n_ex = ctx.opt("quality", "examples", 5)
        sample = rej.groupby("step", sort=False).head(n_ex).head(2 * n_ex)
        text_col = next((c for c in ("text", "title") if c in sample.columns), None)
        examples = pd.DataFrame(
            {
                "source_row": sample["source_row"].to_numpy(),
                "reason": _reason_kind(sample["reason"], lang).to_numpy()
                if lang == "en"
                else sample["reason"].to_numpy(),
            }
        )
        if text_col is not None:
            examples["excerpt"] = sample[text_col].astype("str").str.slice(0, 80).to_numpy()
        tables["rejected_examples"] = examples
        titles["rejected_examples"] = _t(lang, "qu_examples")
    else:
        paras.append(_t(lang, "qu_none"))
    return ReportSection(
        "quality",
        _t(lang, "quality"),
        paragraphs=tuple(paras),
        tables=tables,
        table_titles=titles,
    )


def _skip(section_id: str, lang: str, reason: str) -> ReportSection:
    return ReportSection(section_id, _t(lang, section_id), skipped=reason)


_BUILDERS: dict[str, Callable[[_Context], ReportSection]] = {
    "overview": _section_overview,
    "pareto": _section_pareto,
    "communities": _section_communities,
    "trend": _section_trend,
    "themes": _section_themes,
    "sources": _section_sources,
    "near_misses": _section_near_misses,
    "quality": _section_quality,
}


# --------------------------------------------------------------------------------------
# build_report
# --------------------------------------------------------------------------------------


def _end_of(value) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    if ts == ts.normalize():  # a date: include the whole day
        ts = ts + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    return ts


def _check_sections(sections) -> list[str]:
    if sections is None:
        return list(DEFAULT_SECTIONS)
    if isinstance(sections, str):
        sections = [s.strip() for s in sections.split(",") if s.strip()]
    unknown = [s for s in sections if s not in _BUILDERS]
    if unknown:
        raise ValueError(
            f"unknown section(s) {', '.join(map(repr, unknown))}; choose from "
            f"{', '.join(SECTIONS)}."
        )
    return [s for s in SECTIONS if s in set(sections)]


def build_report(
    df,
    *,
    lang: str = "zh",
    by: str = "community",
    sections: Sequence[str] | str | None = None,
    start=None,
    end=None,
    title: str | None = None,
    clean: bool = True,
    random_state: int = 0,
    options: Mapping[str, Mapping] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Build the automatic statistics report of a ticket table.

    The ad-hoc report a neighbourhood office is asked for, without filling a form by
    hand: headline figures, the vital few categories overall and per community, the
    monthly trend and the rising factors, complaint themes from the text, places behind
    several kinds of complaint, near-miss alerts and a data-quality appendix. Write it
    with :meth:`Report.to_html` and :meth:`Report.to_xlsx`.

    Parameters
    ----------
    df : pandas.DataFrame or commlib.clean.CleanResult
        Tickets with canonical columns: raw (as :func:`commlib.read_tickets` returns
        them) or already cleaned. A :class:`~commlib.clean.CleanResult` is used as it
        is, and its log fills the data-quality appendix.
    lang : {"zh", "en"}, default "zh"
        Language of every heading, sentence, table header and chart label.
    by : str, default "community"
        Column of the per-group Pareto section and of the "places" count.
    sections : list of str or comma-separated str, optional
        Sections to build, from :data:`SECTIONS` (always in report order). Default
        :data:`DEFAULT_SECTIONS`.
    start, end : date-like, optional
        Keep tickets created from ``start`` up to and including ``end`` (a date
        without time includes that whole day).
    title : str, optional
        Report title. Default "工单统计分析报告" / "Ticket statistics report".
    clean : bool, default True
        Run :func:`commlib.clean_tickets` first (masking personal data), unless ``df``
        is already clean (its ``created_at`` holds dates and it has ``source_row``).
        With False the table must be clean already.
    random_state : int, default 0
        Seed of every random step (clustering, permutation tests).
    options : dict, optional
        Per-section settings, by section id:

        - ``pareto``: ``threshold`` (0.8), ``max_categories`` (12, in the chart);
        - ``communities``: ``threshold`` (0.8), ``max_panels`` (9);
        - ``trend``: ``min_count`` (10), ``min_change`` (0.0), as in
          :func:`commlib.trends.rising_factors`;
        - ``themes``: ``n_clusters`` (12, or "auto" below 2,000 tickets),
          ``n_components`` (50);
        - ``sources``: ``window`` ("14D"), ``top`` (20 rows);
        - ``near_misses``: ``freq`` ("W"), ``top`` (30 rows);
        - ``quality``: ``examples`` (5 rejected rows per step).
    progress : callable, optional
        Called with one line of text (in ``lang``) as each section starts; the command
        line prints it on stderr.

    Returns
    -------
    Report

    Raises
    ------
    commlib.errors.MissingColumnsError
        If ``df`` has no ``created_at`` column.
    commlib.errors.CommlibError
        If no ticket is left in the period.
    ValueError
        For an unknown section or language.

    Examples
    --------
    >>> from commlib.datasets import make_tickets
    >>> report = build_report(make_tickets(1500, seed=3), lang="en",
    ...                       sections=["overview", "pareto", "quality"])
    >>> report.section("pareto").title
    '2. Category Pareto'
    >>> report.table("overview").iloc[0].tolist()
    ['Tickets', '1,482']
    """
    from commlib.clean import CleanResult, clean_tickets
    from commlib.errors import require_columns

    if lang not in _LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}.")
    wanted = _check_sections(sections)
    options = dict(options or {})
    unknown = [k for k in options if k not in _BUILDERS]
    if unknown:
        raise ValueError(f"options for unknown section(s) {unknown}; sections are {SECTIONS}.")

    cleaned: CleanResult | None = None
    if isinstance(df, CleanResult):
        cleaned, tickets = df, df.tickets
    else:
        if not isinstance(df, pd.DataFrame):
            raise TypeError(
                f"build_report needs a DataFrame or CleanResult, not {type(df).__name__}."
            )
        require_columns(df, ["created_at"], where="the ticket table")
        is_clean = pd.api.types.is_datetime64_any_dtype(df["created_at"]) and (
            "source_row" in df.columns
        )
        if clean and not is_clean:
            if progress:
                progress("清洗数据" if lang == "zh" else "Cleaning the data")
            cleaned = clean_tickets(df)
            tickets = cleaned.tickets
        else:
            tickets = df
            if not pd.api.types.is_datetime64_any_dtype(tickets["created_at"]):
                raise CommlibError(
                    "created_at holds text, not dates: build the report with clean=True, "
                    "or clean the table first with commlib.clean_tickets."
                )

    keep = tickets["created_at"].notna()
    if start is not None:
        keep &= tickets["created_at"] >= pd.Timestamp(start)
    if end is not None:
        keep &= tickets["created_at"] <= _end_of(end)
    excluded = int((~keep).sum())
    tickets = tickets.loc[keep].reset_index(drop=True)
    if not len(tickets):
        when = (
            f" between {_fmt_date(start) if start is not None else 'the start'} and "
            f"{_fmt_date(end) if end is not None else 'the end'}"
            if start is not None or end is not None
            else ""
        )
        raise CommlibError(
            f"no tickets to report{when}: the table has {excluded} rows with a date"
            + (", none in that period. Check --from/--to (start/end)." if when else ".")
        )

    # labels drawn into charts (tick labels, panel titles) never pass the text guard,
    # which only reads the HTML and the workbook: mask them before any section uses them
    tickets = _masked_labels(tickets, by)
    ctx = _Context(
        tickets=tickets,
        lang=lang,
        by=by,
        random_state=random_state,
        options=options,
        cleaned=cleaned,
        excluded=excluded,
    )
    built: list[ReportSection] = []
    for i, name in enumerate(wanted, start=1):
        if progress:
            progress(_t(lang, "progress", i=i, n=len(wanted), title=_t(lang, name)))
        t0 = time.perf_counter()
        try:
            section = _BUILDERS[name](ctx)
        except CommlibError as err:
            logger.warning("section %s skipped: %s", name, err)
            section = _skip(name, lang, _t(lang, "failed", error=str(err)))
        except Exception as err:  # a section's failure must not lose the others
            logger.exception("section %s failed", name)
            section = _skip(name, lang, _t(lang, "failed", error=f"{type(err).__name__}: {err}"))
        section = _masked_section(section)
        built.append(dataclasses.replace(section, seconds=round(time.perf_counter() - t0, 3)))
        logger.info("report section %s: %.2f s", name, built[-1].seconds)

    from commlib import __version__

    source = tickets.attrs.get("source") or (
        df.attrs.get("source") if isinstance(df, pd.DataFrame) else None
    )
    meta = {
        "source": source,
        "rows": len(tickets),
        "start": tickets["created_at"].min(),
        "end": tickets["created_at"].max(),
        "generated": pd.Timestamp.now().floor("s"),
        "by": by,
        "version": __version__,
    }
    return Report(
        title=title if title is not None else _t(lang, "title"),
        lang=lang,
        sections=tuple(built),
        meta=meta,
    )


# --------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------


def _css() -> str:
    return resources.files("commlib.resources").joinpath("report.css").read_text(encoding="utf-8")


def _html_cell(value, column: str, lang: str) -> tuple[str, bool]:
    """Escaped cell text and whether it is numeric (right-aligned)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "", False
    if isinstance(value, (bool, np.bool_)):
        return html.escape(_t(lang, "yes") if value else ""), False
    if isinstance(value, (pd.Timestamp, _dt.datetime, np.datetime64)):
        return _fmt_date(value), True
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}", True
    if isinstance(value, (float, np.floating)):
        if column in _PERCENT_COLUMNS:
            return _fmt_pct(float(value)), True
        if column in ("p_value", "p_adj"):
            return (f"{value:.3g}" if value >= 0.001 else "&lt; 0.001"), True
        return f"{value:,.2f}", True
    return html.escape(str(value)).replace("\n", "<br>"), False


def _html_table(name: str, df: pd.DataFrame, caption: str, lang: str) -> str:
    shown = df.head(HTML_MAX_ROWS)
    head = "".join(f"<th>{html.escape(_label(str(c), lang))}</th>" for c in shown.columns)
    body = []
    vital = shown["vital"].to_numpy() if "vital" in shown.columns else None
    columns = [str(c) for c in shown.columns]
    for i, row in enumerate(shown.itertuples(index=False, name=None)):
        cells = []
        for col, value in zip(columns, row, strict=True):
            text, numeric = _html_cell(value, col, lang)
            cells.append(f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>")
        cls = ' class="vital"' if vital is not None and bool(vital[i]) else ""
        body.append(f"<tr{cls}>{''.join(cells)}</tr>")
    note = ""
    if len(df) > len(shown):
        note = f'<p class="note">{html.escape(_t(lang, "rows_note", shown=len(shown), total=len(df)))}</p>'
    return (
        f'<div class="table-wrap" id="table-{html.escape(name)}"><table>'
        f"<caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>{note}"
    )


def _html_kpis(table: pd.DataFrame) -> str:
    items = "".join(
        f'<li><span class="v">{html.escape(str(v))}</span><span class="k">{html.escape(str(k))}</span></li>'
        for k, v in zip(table["metric"], table["value"], strict=True)
    )
    return f'<ul class="kpis">{items}</ul>'


def _html_section(section: ReportSection, lang: str) -> str:
    sid = html.escape(section.id)
    parts = [f"<h2>{html.escape(section.title)}</h2>"]
    if section.skipped is not None:
        line = _t(lang, "skipped_line", reason=section.skipped)
        parts.append(f'<p class="reason">{html.escape(line)}</p>')
        return f'<section id="{sid}" class="skipped">{"".join(parts)}</section>'
    if section.id == "overview" and "overview" in section.tables:
        parts.append(_html_kpis(section.tables["overview"]))
    parts.extend(f"<p>{html.escape(p)}</p>" for p in section.paragraphs)
    for name, png in section.figures.items():
        import base64

        caption = html.escape(section.figure_titles.get(name, name))
        data = base64.b64encode(png).decode("ascii")
        parts.append(
            f'<figure id="figure-{html.escape(name)}"><img src="data:image/png;base64,{data}" '
            f'alt="{caption}"><figcaption>{caption}</figcaption></figure>'
        )
    for name, table in section.tables.items():
        if section.id == "overview" and name == "overview":
            continue
        parts.append(_html_table(name, table, section.table_titles.get(name, name), lang))
    return f'<section id="{sid}">{"".join(parts)}</section>'


def _render_html(report: Report) -> str:
    lang = report.lang
    meta = report.meta
    lines = []
    if meta.get("source"):
        lines.append(_t(lang, "source", source=meta["source"]))
    if meta.get("start") is not None:
        lines.append(_t(lang, "period", start=_fmt_date(meta["start"]), end=_fmt_date(meta["end"])))
    generated = meta.get("generated")
    if generated is not None:
        lines.append(_t(lang, "generated", when=pd.Timestamp(generated).strftime("%Y-%m-%d %H:%M")))
    meta_line = " · ".join(html.escape(x) for x in lines)
    toc = "".join(
        f'<li><a href="#{html.escape(s.id)}">{html.escape(s.title)}</a></li>'
        for s in report.sections
    )
    body = "\n".join(_html_section(s, lang) for s in report.sections)
    footer = html.escape(_t(lang, "footer", version=meta.get("version", "")))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="commlib">\n'
        f"<title>{html.escape(report.title)}</title>\n<style>\n{_css()}</style>\n</head>\n<body>\n"
        f'<header><h1>{html.escape(report.title)}</h1><p class="meta">{meta_line}</p></header>\n'
        f'<nav aria-label="{html.escape(_t(lang, "contents"))}"><ol>{toc}</ol></nav>\n'
        f"<main>\n{body}\n</main>\n<footer><p>{footer}</p></footer>\n</body>\n</html>\n"
    )


def _visible_text(text: str) -> list[str]:
    """The text a reader sees (and attribute values), without the embedded images."""
    stripped = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", "", text)
    stripped = re.sub(r"<style>.*?</style>", "", stripped, flags=re.S)
    chunks = re.split(r"<[^>]*>", stripped)
    attrs = re.findall(r'(?:alt|title|aria-label)="([^"]*)"', stripped)
    return [html.unescape(c) for c in [*chunks, *attrs] if c.strip()]


# --------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("_", name)[:31] or "sheet"
    candidate, k = base, 1
    while candidate.lower() in taken:
        k += 1
        suffix = f"_{k}"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def _xlsx_value(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).to_pydatetime()
    if isinstance(value, (list, tuple, np.ndarray)):
        return "；".join(str(v) for v in value)
    return str(value)


def _write_sheet(ws, df: pd.DataFrame, lang: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns = [str(c) for c in df.columns]
    headers = [_label(c, lang) for c in columns]
    ws.append(headers)
    for row in df.itertuples(index=False, name=None):
        ws.append([_xlsx_value(v) for v in row])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE3EA")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    ws.freeze_panes = "A2"
    if len(df):
        ws.auto_filter.ref = ws.dimensions
    for j, col in enumerate(columns, start=1):
        letter = get_column_letter(j)
        sample = (
            df[col].head(500).map(lambda v: "" if _xlsx_value(v) is None else str(_xlsx_value(v)))
        )
        width = max([_display_width(headers[j - 1])] + [_display_width(s) for s in sample])
        ws.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        if col in _PERCENT_COLUMNS or pd.api.types.is_datetime64_any_dtype(df[col]) or width > 60:
            fmt = "0.0%" if col in _PERCENT_COLUMNS else "yyyy-mm-dd"
            for cell in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                if width > 60:
                    cell[0].alignment = Alignment(wrap_text=True, vertical="top")
                elif cell[0].value is not None:
                    cell[0].number_format = fmt


def _write_xlsx(report: Report, path: Path) -> None:
    from openpyxl import Workbook

    lang = report.lang
    wb = Workbook()
    about = wb.active
    taken: set[str] = set()
    about.title = _sheet_name(_label("about", lang), taken)
    meta = report.meta
    rows = [(_label("item", lang), _label("value", lang)), (_label("about", lang), report.title)]
    if meta.get("source"):
        rows.append((_t(lang, "source", source="").strip(), str(meta["source"])))
    if meta.get("start") is not None:
        rows.append(
            (_t(lang, "kpi_period"), f"{_fmt_date(meta['start'])} – {_fmt_date(meta['end'])}")
        )
    for s in report.sections:
        rows.append((s.title, _t(lang, "skipped_line", reason=s.skipped) if s.skipped else "✓"))
    about_df = pd.DataFrame(rows[1:], columns=["item", "value"])
    _write_sheet(about, about_df, lang)
    for s in report.sections:
        for name, table in s.tables.items():
            title = s.table_titles.get(name, name)
            ws = wb.create_sheet(_sheet_name(title, taken))
            _write_sheet(ws, table, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _xlsx_strings(path: Path) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        out = list(wb.sheetnames)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                out.extend(v for v in row if isinstance(v, str))
    finally:
        wb.close()
    return out
