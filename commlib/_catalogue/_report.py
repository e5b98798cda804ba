"""Every word of the automatic report: headings, sentences, captions, labels, reasons."""

MESSAGES = {
    "report.title": {
        "zh": "工单统计分析报告",
        "en": "Ticket statistics report",
    },
    "report.generated": {
        "zh": "生成时间 {when}",
        "en": "Generated {when}",
    },
    "report.source": {
        "zh": "数据来源 {source}",
        "en": "Source {source}",
    },
    "report.period": {
        "zh": "统计期间 {start} 至 {end}",
        "en": "Period {start} to {end}",
    },
    "report.contents": {
        "zh": "目录",
        "en": "Contents",
    },
    "report.skipped_line": {
        "zh": "本部分未生成：{reason}",
        "en": "This section was not built: {reason}",
    },
    "report.rows_note": {
        "zh": "按重要性显示前 {shown} 行，共 {total} 行；全部 {total} 行见 Excel 工作簿同名工作表。",
        "en": "Showing the {shown} most important of {total} rows; the Excel workbook's sheet of the same name has all {total}.",
    },
    "report.footer": {
        "zh": "由 commlib {version} 自动生成。报告中的文字均已脱敏（电话、身份证号、车牌、姓名等替换为占位符）；数据为统计结果，请结合实地情况判断。",
        "en": "Generated automatically by commlib {version}. Every text in this report is masked (phone numbers, ID numbers, plates and names replaced by placeholders); the figures are statistics, to be read with knowledge of the place.",
    },
    "report.progress": {
        "zh": "[{i}/{n}] {title}",
        "en": "[{i}/{n}] {title}",
    },
    "report.section.overview": {
        "zh": "一、总体情况",
        "en": "1. Overview",
    },
    "report.section.pareto": {
        "zh": "二、诉求分类帕累托分析",
        "en": "2. Category Pareto",
    },
    "report.section.communities": {
        "zh": "三、分小区帕累托分析",
        "en": "3. Pareto by community",
    },
    "report.section.trend": {
        "zh": "四、月度趋势与上升因素",
        "en": "4. Monthly trend and rising factors",
    },
    "report.section.themes": {
        "zh": "五、投诉主题（文字聚类）",
        "en": "5. Complaint themes (text clustering)",
    },
    "report.section.sources": {
        "zh": "六、多类诉求同源问题",
        "en": "6. Multi-category sources",
    },
    "report.section.near_misses": {
        "zh": "七、未遂先兆预警",
        "en": "7. Near-miss alerts",
    },
    "report.section.quality": {
        "zh": "附录：数据质量",
        "en": "Appendix: data quality",
    },
    "report.need_columns": {
        "zh": "数据中没有{cols}列。",
        "en": "the data has no {cols} column.",
    },
    "report.no_rows": {
        "zh": "统计期间内没有工单。",
        "en": "there are no tickets in the period.",
    },
    "report.no_groups": {
        "zh": "“{col}”列全部为空。",
        "en": "column '{col}' is empty.",
    },
    "report.few_texts": {
        "zh": "有文字内容的工单只有 {n} 件，主题聚类至少需要 {min} 件。",
        "en": "only {n} tickets have text; themes need at least {min}.",
    },
    "report.few_months": {
        "zh": "数据只覆盖 {n} 个月，判断上升趋势至少需要 3 个月。",
        "en": "the data covers {n} month(s); a rising trend needs at least 3.",
    },
    "report.module_missing": {
        "zh": "本版本 commlib 尚未包含 {module} 模块。",
        "en": "this version of commlib has no {module} module yet.",
    },
    "report.not_cleaned": {
        "zh": "输入数据已清洗过，没有本次清洗记录。",
        "en": "the input was already cleaned, so there is no cleaning log.",
    },
    "report.failed": {
        "zh": "计算出错（{error}），详情见日志。",
        "en": "it could not be computed ({error}); the log has the details.",
    },
    "report.hot.latest": {
        "zh": "本节只读取最近的 {n} 件工单（共 {total} 件，自 {start} 起）。",
        "en": "This section reads the latest {n} of the {total} tickets (from {start}).",
    },
    "report.rq.sampled": {
        "zh": "本节基于随机抽取的 {n} 件工单（共 {total} 件）：复制粘贴答复只在样本内查找。",
        "en": "This section scores a random sample of {n} of the {total} tickets; copy-paste replies are searched within the sample.",
    },
    "report.out_of_memory": {
        "zh": "计算到 {rows} 件工单时内存不足，本节未生成。可用 --from/--to 缩短统计期间、用 --sections 只生成需要的部分，或换用内存更大的电脑。",
        "en": "it ran out of memory at {rows} tickets. Report a shorter period (--from/--to), fewer sections (--sections), or use a machine with more memory.",
    },
    "report.memory_short": {
        "zh": "{rows} 件工单约需 {need} GB 内存，本机现在只有 {free} GB 可用，为免程序被系统终止，本节未生成。可用 --from/--to 缩短统计期间、关闭其他程序，或换用内存更大的电脑。",
        "en": "needs about {need} GB for {rows} tickets and only {free} GB is free now, so it was skipped rather than risk the run being killed. Report a shorter period (--from/--to), close other programs, or use a machine with more memory.",
    },
    "report.out_of_time": {
        "zh": "用时 {seconds} 秒，超过设定的 {limit} 秒上限，已停止。可调高 max_seconds 或缩短统计期间。",
        "en": "stopped after {seconds} s, past its limit of {limit} s. Raise max_seconds or report a shorter period.",
    },
    "report.kpi_tickets": {
        "zh": "工单数",
        "en": "Tickets",
    },
    "report.kpi_period": {
        "zh": "统计期间",
        "en": "Period",
    },
    "report.kpi_places": {
        "zh": "小区数",
        "en": "Communities",
    },
    "report.kpi_addresses": {
        "zh": "地址数",
        "en": "Addresses",
    },
    "report.kpi_closure": {
        "zh": "办结率",
        "en": "Closure rate",
    },
    "report.kpi_close_time": {
        "zh": "办结时长中位数",
        "en": "Median time to close",
    },
    "report.kpi_satisfaction": {
        "zh": "满意率",
        "en": "Satisfied",
    },
    "report.kpi_rated": {
        "zh": "参与评价工单",
        "en": "Rated tickets",
    },
    "report.days": {
        "zh": "{x} 天",
        "en": "{x} days",
    },
    "report.hours": {
        "zh": "{x} 小时",
        "en": "{x} hours",
    },
    "report.ov_intro": {
        "zh": "本报告统计 {start} 至 {end} 期间的 {n} 件工单。",
        "en": "This report covers {n} tickets created from {start} to {end}.",
    },
    "report.ov_places": {
        "zh": "工单来自 {places} 个{by_label}、{addresses} 个不同地址。",
        "en": "They come from {places} {by_label} and {addresses} distinct addresses.",
    },
    "report.ov_places_only": {
        "zh": "工单来自 {places} 个{by_label}。",
        "en": "They come from {places} {by_label}.",
    },
    "report.ov_addresses_only": {
        "zh": "工单来自 {addresses} 个不同地址。",
        "en": "They come from {addresses} distinct addresses.",
    },
    "report.ov_closure": {
        "zh": "已办结 {closed} 件，办结率 {rate}；办结时长中位数 {median}。",
        "en": "{closed} tickets are closed, a closure rate of {rate}; the median time to close is {median}.",
    },
    "report.ov_no_closure": {
        "zh": "数据中没有办结时间或办理状态，无法计算办结率。",
        "en": "The data has no closing date or status, so no closure rate.",
    },
    "report.ov_satisfaction": {
        "zh": "{rated} 件工单有满意度评价，其中满意（含基本满意）占 {rate}。",
        "en": "{rated} tickets were rated; {rate} of them satisfied (fully or mostly).",
    },
    "report.ov_satisfaction_mean": {
        "zh": "{rated} 件工单有满意度评分，平均 {mean} 分。",
        "en": "{rated} tickets were rated, {mean} on average.",
    },
    "report.ov_no_satisfaction": {
        "zh": "数据中没有满意度评价。",
        "en": "The data has no satisfaction rating.",
    },
    "report.ov_excluded": {
        "zh": "另有 {n} 件工单不在统计期间内，未计入。",
        "en": "{n} further tickets fall outside the period and are not counted.",
    },
    "report.pa_text": {
        "zh": "共 {k} 类诉求。其中 {v} 类（{names}）合计占全部工单的 {share}，是需要优先关注的“关键少数”。",
        "en": "There are {k} categories. The top {v} ({names}) make up {share} of all tickets: the vital few to act on first.",
    },
    "report.pa_chart": {
        "zh": "诉求分类帕累托图（柱：工单数；折线：累计占比）",
        "en": "Category Pareto chart (bars: tickets; line: cumulative share)",
    },
    "report.pa_table": {
        "zh": "诉求分类排序表",
        "en": "Categories ranked",
    },
    "report.co_text": {
        "zh": "按{by_label}分别排序，每个{by_label}有自己的关键少数。工单最多的{by_label}是{top}（{n} 件），其首要诉求为{cat}（占 {share}）。",
        "en": "Each {by_label} is ranked on its own tickets and has its own vital few. The {by_label} with most tickets is {top} ({n}); its first category is {cat} ({share}).",
    },
    "report.co_chart": {
        "zh": "工单最多的 {k} 个{by_label}：各自的帕累托图",
        "en": "One Pareto chart for each of the {k} largest groups by {by_label}",
    },
    "report.co_summary": {
        "zh": "各{by_label}工单数与首要诉求",
        "en": "Tickets and first category per {by_label}",
    },
    "report.co_table": {
        "zh": "各{by_label}前 5 类诉求",
        "en": "Top 5 categories per {by_label}",
    },
    "report.tr_text": {
        "zh": "月均 {mean} 件工单；最多的月份是 {peak}（{peak_n} 件），最少的是 {low}（{low_n} 件）。",
        "en": "{mean} tickets a month on average; the busiest month is {peak} ({peak_n}), the quietest {low} ({low_n}).",
    },
    "report.tr_one": {
        "zh": "全部 {n} 件工单都在 {month} 一个月内。",
        "en": "All {n} tickets fall in one month, {month}.",
    },
    "report.tr_partial": {
        "zh": "首尾月份可能不完整（统计期间从 {start} 到 {end}）。",
        "en": "The first and last months may be incomplete (the period runs from {start} to {end}).",
    },
    "report.tr_chart": {
        "zh": "每月工单数",
        "en": "Tickets per month",
    },
    "report.tr_daily": {
        "zh": "数据不足三个月，下图按天统计：日均 {mean} 件，最多的一天是 {peak}（{peak_n} 件）。",
        "en": "With under three months of data the chart counts days: {mean} tickets a day on average, the busiest day {peak} ({peak_n}).",
    },
    "report.tr_daily_chart": {
        "zh": "每日工单数",
        "en": "Tickets per day",
    },
    "report.tr_daily_axis": {
        "zh": "日期（月-日）",
        "en": "Date (month-day)",
    },
    "report.tr_hourly": {
        "zh": "数据不足一周，下图按小时统计：每小时平均 {mean} 件，最多的一小时从 {peak} 起（{peak_n} 件）。",
        "en": "With under a week of data the chart counts hours: {mean} tickets an hour on average, the busiest hour from {peak} ({peak_n}).",
    },
    "report.tr_hourly_chart": {
        "zh": "每小时工单数",
        "en": "Tickets per hour",
    },
    "report.tr_hourly_axis": {
        "zh": "时间（月-日 时）",
        "en": "Time (month-day hour)",
    },
    "report.tr_table": {
        "zh": "每月工单数",
        "en": "Tickets per month",
    },
    "report.tr_rising": {
        "zh": "占比显著上升的诉求类别（逻辑回归趋势检验，经多重比较校正）：{names}。",
        "en": "Categories whose share is rising significantly (logistic trend test, Holm-adjusted): {names}.",
    },
    "report.tr_none": {
        "zh": "没有占比显著上升的诉求类别。",
        "en": "No category's share is rising significantly.",
    },
    "report.tr_rising_table": {
        "zh": "占比上升的诉求类别",
        "en": "Categories with a rising share",
    },
    "report.tr_rising_chart": {
        "zh": "上升最快的诉求类别：月度占比与趋势线",
        "en": "The fastest-rising categories: monthly share and trend",
    },
    "report.tr_no_trends": {
        "zh": "无法判断上升因素：{reason}",
        "en": "Rising factors not computed: {reason}",
    },
    "report.th_text": {
        "zh": "根据工单文字自动归纳出 {k} 个主题（{method}）。最大的主题“{name}”有 {n} 件工单（占 {share}）。代表性工单均已脱敏。",
        "en": "{k} themes were found in the ticket texts ({method}). The largest, '{name}', holds {n} tickets ({share}). Example tickets are masked.",
    },
    "report.th_fixed": {
        "zh": "聚类，{k} 类",
        "en": "clustering, {k} clusters",
    },
    "report.th_auto": {
        "zh": "聚类，按划分稳定性自动选择类数（取与最稳定者相差不超过一个标准误的最少类数）",
        "en": "clustering, number of clusters chosen by partition stability (the fewest within one standard error of the most stable)",
    },
    "report.th_chart": {
        "zh": "投诉主题帕累托图",
        "en": "Complaint themes, Pareto chart",
    },
    "report.th_table": {
        "zh": "投诉主题及关键词",
        "en": "Themes and their key terms",
    },
    "report.th_examples": {
        "zh": "各主题代表性工单（已脱敏）",
        "en": "Representative tickets per theme (masked)",
    },
    "report.so_text": {
        "zh": "找到 {n} 个候选源头（同一地点短期内出现多类诉求），其中 {strong} 个明显高于随机水平。排名第一的是 {place}：{k} 天内 {t} 件工单，涉及 {c} 类诉求。",
        "en": "{n} candidate sources (one place drawing several kinds of complaint in a short time); {strong} stand out beyond chance. The first is {place}: {t} tickets in {k} days, in {c} categories.",
    },
    "report.so_none": {
        "zh": "没有发现同一地点短期内集中出现多类诉求的情况。",
        "en": "No place draws several kinds of complaint in a short time.",
    },
    "report.so_table": {
        "zh": "多类诉求同源地点排名",
        "en": "Places behind several kinds of complaint, ranked",
    },
    "report.nm_text": {
        "zh": "统计期间共触发 {n} 条未遂先兆预警，涉及 {places} 个地点：预警触发时，该地点此前 4 周的隐患类工单明显多于其自身历史和周边水平。截至 {as_of}（数据截止日）仍在持续的有 {active} 条。",
        "en": "{n} near-miss alerts fired over the period, at {places} places: when an alert fired, the place's hazard tickets over the 4 weeks before clearly exceeded its own history and its neighbourhood's. {active} were still active on {as_of}, the day the data ends.",
    },
    "report.nm_pyramid_text": {
        "zh": "按关键词规则分级：严重 {serious} 起、轻微 {minor} 起、隐患（未遂）{near} 起，观察到的比例为 {ratio}（海因里希教科书比例为 1 : 29 : 300）。这些规则在真实留言上实测：被分级的工单约九成分对了级，但约三分之二的隐患和伤害用日常说法描述，没有被分到任何一级，所以各级数量都应看作下限。",
        "en": "By the keyword rules: {serious} serious events, {minor} minor, {near} near misses, an observed ratio of {ratio} (Heinrich's textbook ratio is 1 : 29 : 300). Measured on real messages, about nine in ten tiered tickets get the right tier, but about two in three hazards and injuries, told in everyday words, get no tier: read each count as a lower bound.",
    },
    "report.nm_no_tiers": {
        "zh": "没有工单符合隐患、轻微或严重事件的关键词规则。",
        "en": "no ticket matched the keyword rules for hazards, minor or serious events (the bundled rules are Chinese).",
    },
    "report.nm_none": {
        "zh": "没有需要预警的地点。",
        "en": "No place calls for an alert.",
    },
    "report.nm_table": {
        "zh": "未遂先兆预警（仍在持续的在前；截至 {as_of}）",
        "en": "Near-miss alerts (active ones first; as of {as_of})",
    },
    "report.nm_pyramid": {
        "zh": "海因里希安全金字塔：严重、轻微与隐患（宽度为对数刻度，虚线为 1:29:300）",
        "en": "Heinrich's safety pyramid: serious, minor, near misses (log widths; dashed: 1:29:300)",
    },
    "report.qu_text": {
        "zh": "输入 {rows_in} 行：{clean} 行可用，{rejected} 行因数据问题被剔除，{dups} 行为完全重复记录已去除。每一行的去向都有记录。",
        "en": "{rows_in} rows in: {clean} usable, {rejected} set aside for data problems, {dups} exact duplicates removed. Every row is accounted for.",
    },
    "report.qu_log": {
        "zh": "清洗步骤记录",
        "en": "Cleaning steps",
    },
    "report.qu_reasons": {
        "zh": "被剔除的行：按原因统计",
        "en": "Rows set aside, by reason",
    },
    "report.qu_examples": {
        "zh": "被剔除的行：示例（已脱敏）",
        "en": "Rows set aside, examples (masked)",
    },
    "report.qu_none": {
        "zh": "没有被剔除的行。",
        "en": "No row was set aside.",
    },
    "report.col.metric": {
        "zh": "指标",
        "en": "Metric",
    },
    "report.col.value": {
        "zh": "数值",
        "en": "Value",
    },
    "report.col.rank": {
        "zh": "排名",
        "en": "Rank",
    },
    "report.col.vital": {
        "zh": "关键少数",
        "en": "Vital few",
    },
    "report.col.is_other": {
        "zh": "合并项",
        "en": "Merged",
    },
    "report.col.month": {
        "zh": "月份",
        "en": "Month",
    },
    "report.col.tickets": {
        "zh": "工单数",
        "en": "Tickets",
    },
    "report.col.share_of_all": {
        "zh": "占全部工单",
        "en": "Share of all",
    },
    "report.col.top_category": {
        "zh": "首要诉求",
        "en": "First category",
    },
    "report.col.top_share": {
        "zh": "首要诉求占比",
        "en": "First category's share",
    },
    "report.col.n_vital": {
        "zh": "关键少数类数",
        "en": "Vital categories",
    },
    "report.col.vital_categories": {
        "zh": "关键少数",
        "en": "Vital few",
    },
    "report.col.theme": {
        "zh": "主题",
        "en": "Theme",
    },
    "report.col.theme_id": {
        "zh": "主题编号",
        "en": "Theme no.",
    },
    "report.col.top_terms": {
        "zh": "关键词",
        "en": "Key terms",
    },
    "report.col.example": {
        "zh": "代表性工单",
        "en": "Example ticket",
    },
    "report.col.share_start": {
        "zh": "期初占比",
        "en": "Share at start",
    },
    "report.col.share_end": {
        "zh": "期末占比",
        "en": "Share at end",
    },
    "report.col.change": {
        "zh": "占比变化",
        "en": "Change in share",
    },
    "report.col.odds_ratio": {
        "zh": "每期优势比",
        "en": "Odds ratio per period",
    },
    "report.col.ci_low": {
        "zh": "置信下限",
        "en": "CI low",
    },
    "report.col.ci_high": {
        "zh": "置信上限",
        "en": "CI high",
    },
    "report.col.p_value": {
        "zh": "概率值",
        "en": "p-value",
    },
    "report.col.p_adj": {
        "zh": "校正后概率值",
        "en": "Adjusted p",
    },
    "report.col.periods": {
        "zh": "期数",
        "en": "Periods",
    },
    "report.col.total": {
        "zh": "总数",
        "en": "Total",
    },
    "report.col.direction": {
        "zh": "方向",
        "en": "Direction",
    },
    "report.col.step": {
        "zh": "步骤",
        "en": "Step",
    },
    "report.col.rows_in": {
        "zh": "输入行数",
        "en": "Rows in",
    },
    "report.col.rows_out": {
        "zh": "输出行数",
        "en": "Rows out",
    },
    "report.col.rows_changed": {
        "zh": "改动行数",
        "en": "Rows changed",
    },
    "report.col.seconds": {
        "zh": "耗时（秒）",
        "en": "Seconds",
    },
    "report.col.note": {
        "zh": "说明",
        "en": "Note",
    },
    "report.col.reason": {
        "zh": "原因",
        "en": "Reason",
    },
    "report.col.source_row": {
        "zh": "原文件行号",
        "en": "Row in file",
    },
    "report.col.excerpt": {
        "zh": "内容摘录",
        "en": "Excerpt",
    },
    "report.col.place": {
        "zh": "地点",
        "en": "Place",
    },
    "report.col.entity": {
        "zh": "涉及对象",
        "en": "Named source",
    },
    "report.col.n_tickets": {
        "zh": "工单数",
        "en": "Tickets",
    },
    "report.col.n_categories": {
        "zh": "诉求类数",
        "en": "Categories",
    },
    "report.col.n_departments": {
        "zh": "部门数",
        "en": "Departments",
    },
    "report.col.categories": {
        "zh": "诉求类别",
        "en": "Categories",
    },
    "report.col.departments": {
        "zh": "承办部门",
        "en": "Departments",
    },
    "report.col.first": {
        "zh": "首次",
        "en": "First",
    },
    "report.col.last": {
        "zh": "最近",
        "en": "Last",
    },
    "report.col.days": {
        "zh": "天数",
        "en": "Days",
    },
    "report.col.score": {
        "zh": "得分",
        "en": "Score",
    },
    "report.col.strong": {
        "zh": "显著",
        "en": "Stands out",
    },
    "report.col.examples": {
        "zh": "示例工单",
        "en": "Example tickets",
    },
    "report.col.serious": {
        "zh": "严重",
        "en": "Serious",
    },
    "report.col.minor": {
        "zh": "轻微",
        "en": "Minor",
    },
    "report.col.near_miss": {
        "zh": "隐患（未遂）",
        "en": "Near misses",
    },
    "report.col.untiered": {
        "zh": "未分级工单",
        "en": "Untiered tickets",
    },
    "report.col.observed_ratio": {
        "zh": "观察比例",
        "en": "Observed ratio",
    },
    "report.col.first_fired": {
        "zh": "首次预警",
        "en": "First alert",
    },
    "report.col.last_fired": {
        "zh": "最近预警",
        "en": "Last alert",
    },
    "report.col.periods_flagged": {
        "zh": "预警周数",
        "en": "Periods flagged",
    },
    "report.col.expected": {
        "zh": "预期数",
        "en": "Expected",
    },
    "report.col.item": {
        "zh": "项目",
        "en": "Item",
    },
    "report.col.about": {
        "zh": "说明",
        "en": "About",
    },
    # words around the sections
    "report.cleaning": {"zh": "清洗数据", "en": "Cleaning the data"},
    "report.need_columns_many": {
        "zh": "数据中没有{cols}列。",
        "en": "the data has no {cols} columns.",
    },
    "report.quoted": {"zh": "“{name}”", "en": "'{name}'"},
    "report.by_noun.community": {"zh": "小区", "en": "communities"},
    "report.by_noun.other": {"zh": "{label}", "en": "'{label}' groups"},
    "report.source_label": {"zh": "数据来源", "en": "Source"},
    # errors
    "report.error.no_tickets": {
        "zh": "没有可统计的工单：表中 {rows} 行有日期。",
        "en": "no tickets to report: the table has {rows} rows with a date.",
    },
    "report.error.no_tickets_period": {
        "zh": "{start} 至 {end} 之间没有可统计的工单：表中 {rows} 行有日期，都不在这段时间内。"
        "请检查 --from/--to（start/end）。",
        "en": "no tickets to report between {start} and {end}: the table has {rows} rows "
        "with a date, none in that period. Check --from/--to (start/end).",
    },
    "report.error.period_open_start": {"zh": "最早", "en": "the start"},
    "report.error.period_open_end": {"zh": "最晚", "en": "the end"},
    "report.error.dates_are_text": {
        "zh": "created_at 列是文字而不是日期：请用 clean=True 生成报告，"
        "或先用 commlib.clean_tickets 清洗表格。",
        "en": "created_at holds text, not dates: build the report with clean=True, "
        "or clean the table first with commlib.clean_tickets.",
    },
    "report.error.privacy": {
        "zh": "在{where}中发现个人信息（{kinds}），未写入任何文件。脱敏遗漏了它：请查明是哪一列带有"
        "个人信息（例如诉求分类或地址单元格里填了姓名或电话），先清洗该列。",
        "en": "personal data ({kinds}) found in {where}; nothing was written. Masking "
        "missed it: check which column carries it (a name or phone number typed into a "
        "category or address cell) and clean that column first.",
    },
    "report.where.report": {"zh": "报告", "en": "the report"},
    "report.where.html": {"zh": "HTML 报告", "en": "the HTML report"},
    "report.where.workbook": {"zh": "工作簿 {name}", "en": "workbook {name}"},
    "report.pii.email": {"zh": "电子邮箱", "en": "email"},
    "report.pii.id": {"zh": "身份证号", "en": "id"},
    "report.pii.bank_card": {"zh": "银行卡号", "en": "bank_card"},
    "report.pii.phone": {"zh": "电话", "en": "phone"},
    "report.pii.plate": {"zh": "车牌", "en": "plate"},
    "report.pii.name": {"zh": "姓名", "en": "name"},
    "report.error.scan_missing": {
        "zh": "{path} 不存在；请给出要检查的文件或文件夹。",
        "en": "{path} does not exist; give the files or folders to check.",
    },
    "report.error.scan_type": {
        "zh": "{path}：commlib 无法读取 {suffix} 文件；可检查的类型为 {types}。",
        "en": "{path}: commlib cannot read {suffix} files; it checks {types}.",
    },
    "report.error.period_no_dates": {
        "zh": "数据中没有受理时间（created_at）列，无法按起止日期筛选；请去掉起止日期，或在数据中加入受理时间列。",
        "en": "the data has no created_at (date) column, so it cannot be cut to a period; drop start/end, or add a date column.",
    },
    "report.need_dates": {
        "zh": "需要受理时间（日期）列。",
        "en": "needs a date (created_at) column.",
    },
    "report.ov_intro_no_dates": {
        "zh": "本报告统计 {n} 件工单（数据中没有日期）。",
        "en": "This report covers {n} tickets (the data carries no dates).",
    },
    "report.ov_no_dates": {
        "zh": "数据中没有受理时间（日期）列，以下部分需要日期、未生成：{names}。",
        "en": "The data has no date (created_at) column; these sections need one and were not built: {names}.",
    },
    "report.kpi_backlog": {
        "zh": "截至 {as_of} 未办结",
        "en": "Open on {as_of}",
    },
    "report.ov_service_table": {
        "zh": "按{by}的办理时长与满意度（工单最多的在前）",
        "en": "Days to close and satisfaction by {by} (most tickets first)",
    },
    "report.theme_name_sep": {
        "zh": "·",
        "en": " / ",
    },
    "report.theme_axis": {
        "zh": "主题（由文本归纳）",
        "en": "Theme (found in the text)",
    },
    "report.pa_no_category": {
        "zh": "数据中没有诉求分类列，也无法由文本归纳主题：{reason}",
        "en": "the data has no category column, and no themes could be found in the text: {reason}",
    },
    "report.section.pareto_themes": {
        "zh": "二、主题帕累托分析（由文本归纳）",
        "en": "2. Theme Pareto (themes found in the text)",
    },
    "report.pa_themes_text": {
        "zh": "数据中没有诉求分类列，以下为按工单文字自动归纳的 {k} 个主题（由文本归纳，不是人工分类；主题的划分取决于聚类数，故不标“关键少数”）。最大的主题“{name}”占 {share}。",
        "en": "The data has no category column: the {k} themes below were found in the ticket texts, not assigned by staff (themes depend on the number of clusters, so no vital few is marked). The largest, '{name}', holds {share}.",
    },
    "report.pa_themes_table": {
        "zh": "主题（由文本归纳）排序表",
        "en": "Themes (found in the text), ranked",
    },
    "report.pa_themes_chart": {
        "zh": "主题（由文本归纳）帕累托图（柱：工单数；折线：累计占比）",
        "en": "Themes (found in the text), Pareto chart (bars: tickets; line: cumulative share)",
    },
    "report.act_vital": {
        "zh": "关键少数：{v} 类诉求（{names}）合计占 {share}，优先处理。",
        "en": "The vital few make up {share}: {names} (categories: {v}); act on them first.",
    },
    "report.act_rising": {
        "zh": "占比上升的诉求 {n} 类：{names}。",
        "en": "Categories rising in share ({n}): {names}.",
    },
    "report.act_place": {
        "zh": "{place}（{c} 类）",
        "en": "{place} ({c} kinds)",
    },
    "report.act_sources": {
        "zh": "{n} 个地点短期内出现多类诉求，最突出：{places}。",
        "en": "Places drawing several kinds of complaint at once, beyond chance ({n}); first: {places}.",
    },
    "report.act_alerts": {
        "zh": "截至 {as_of} 仍在持续的隐患预警 {n} 条：{places}，建议上门查看。",
        "en": "Near-miss alerts still active on {as_of} ({n}): {places}; someone should go and look.",
    },
    "report.act_no_alerts": {
        "zh": "截至 {as_of} 没有仍在持续的隐患预警。",
        "en": "No near-miss alert is active on {as_of}.",
    },
    "report.hot.no_places": {
        "zh": "需要地点（热点是同一地点、同一时段的事件）：数据没有地址列，工单文字中能读出地点的只有 {share}（至少需要 {min}）；可用 --columns 指定地址列。",
        "en": "needs places (a hot issue is an event at one place and time): the data has no address column and only {share} of the tickets name a place in their text ({min} needed); map an address column, e.g. with --columns.",
    },
    "report.act_sources_weak": {
        "zh": "{n} 个候选源头（同一地点短期内多类诉求），均未明显高于随机水平；可先核查：{places}。",
        "en": "Candidate sources (one place, several kinds of complaint): {n}, none beyond chance; worth a look first: {places}.",
    },
    "report.act_no_backlog": {
        "zh": "截至 {as_of} 所有工单均已办结。",
        "en": "Every ticket was closed by {as_of}.",
    },
    "report.act_backlog": {
        "zh": "截至 {as_of} 仍有 {n} 件工单未办结。",
        "en": "Tickets still open on {as_of}: {n}.",
    },
    "report.nm_active": {
        "zh": "仍在持续的 {n} 条预警排在表首，建议尽快上门查看。",
        "en": "The {n} active alerts head the table; someone should go and look soon.",
    },
    "report.nm_none_active": {
        "zh": "截至 {as_of} 没有仍在持续的预警；最近一次预警在 {last}，表中均为历史预警。",
        "en": "No alert is active on {as_of}; the latest fired on {last}, so the table is history.",
    },
    "report.as_of": {
        "zh": "数据截至 {date}",
        "en": "Data as of {date}",
    },
    "report.actions_title": {
        "zh": "要点与建议行动",
        "en": "What to act on",
    },
    "report.not_built_title": {
        "zh": "未生成的部分",
        "en": "Sections not built",
    },
    "report.not_built_line": {
        "zh": "{title}：{reason}",
        "en": "{title}: {reason}",
    },
    "report.col.hazard": {
        "zh": "隐患类型",
        "en": "Hazard",
    },
    "report.col.active": {
        "zh": "截至数据末仍在持续",
        "en": "Active at data end",
    },
    "report.col.open": {
        "zh": "未办结",
        "en": "Open",
    },
    "report.col.median_days_to_close": {
        "zh": "办结天数中位数",
        "en": "Median days to close",
    },
    "report.col.p90_days_to_close": {
        "zh": "办结天数 90% 分位",
        "en": "90th pct. days to close",
    },
    "report.col.satisfied_share": {
        "zh": "满意率",
        "en": "Satisfied",
    },
}
