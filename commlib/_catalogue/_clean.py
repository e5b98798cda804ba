"""Words of the cleaning pipeline: step names, rejection reasons, log notes, summary.

``clean.reason.<code>`` renders one rejected row's reason (``reason_code`` in
:attr:`commlib.clean.CleanResult.rejected`); ``clean.note.<code>`` renders one log line
(``note_code`` and ``note_params`` in :attr:`commlib.clean.CleanResult.log`);
``clean.step.<step>`` names a step. Column names and data values are filled in as they
are; everything else is written here, once per language.
"""

MESSAGES = {
    # ------------------------------------------------------------------ step names
    "clean.step.normalize_text": {"zh": "文本规范化", "en": "Text normalisation"},
    "clean.step.mask": {"zh": "脱敏", "en": "Masking"},
    "clean.step.mask_caller_id": {"zh": "正文中的来电人标识脱敏", "en": "Caller ID masked in text"},
    "clean.step.mask_cells": {"zh": "其他列脱敏", "en": "Other columns masked"},
    "clean.step.identity_columns": {"zh": "身份信息列处理", "en": "Identity columns"},
    "clean.step.parse_dates": {"zh": "日期解析", "en": "Date parsing"},
    "clean.step.reject_empty_text": {"zh": "剔除空内容", "en": "Empty text removed"},
    "clean.step.strip_boilerplate": {"zh": "去除套话", "en": "Boilerplate removed"},
    "clean.step.map_categories": {"zh": "分类归并", "en": "Category merging"},
    "clean.step.normalize_community": {"zh": "小区名规范化", "en": "Compound names tidied"},
    "clean.step.add_address_key": {"zh": "地址键", "en": "Address key"},
    "clean.step.hash_caller_id": {"zh": "来电人标识加密", "en": "Caller ID hashed"},
    "clean.step.drop_duplicate_tickets": {"zh": "去除重复", "en": "Duplicates removed"},
    "clean.step.mark_repeat_calls": {"zh": "标记重复来电", "en": "Repeat calls marked"},
    # ------------------------------------------------------------ rejection reasons
    "clean.reason.missing_date": {
        "zh": "{column} 为空 (行 {row})",
        "en": "{column} is empty (row {row})",
    },
    "clean.reason.bad_date": {
        "zh": "{column} 无法识别的日期 '{value}' (行 {row})",
        "en": "{column} unreadable date '{value}' (row {row})",
    },
    "clean.reason.date_out_of_range": {
        "zh": "{column} 日期超出合理范围 '{value}' (行 {row})",
        "en": "{column} date outside the plausible range '{value}' (row {row})",
    },
    "clean.reason.empty_text": {
        "zh": "{column} 为空 (行 {row})",
        "en": "{column} is empty (row {row})",
    },
    # several columns checked, all empty: "text 与 title 均为空"
    "clean.reason.empty_text.all": {
        "zh": "{column} 均为空 (行 {row})",
        "en": "{column} both empty (row {row})",
    },
    "clean.reason.and": {"zh": " 与 ", "en": " and "},
    "clean.reason.sep": {"zh": "; ", "en": "; "},
    # ----------------------------------------------------------------- log notes
    "clean.note.normalized": {"zh": "已规范化列：{columns}", "en": "columns: {columns}"},
    "clean.note.no_text_columns": {"zh": "无文本列", "en": "no text columns"},
    "clean.note.masked": {"zh": "已脱敏 {columns}", "en": "masked {columns}"},
    "clean.note.mask_no_columns": {
        "zh": "无需要脱敏的文本列",
        "en": "no text columns to mask",
    },
    "clean.note.mask_off": {
        "zh": "已跳过：未开启脱敏，个人信息保留在数据中",
        "en": "skipped (mask=False): personal data left in",
    },
    "clean.note.caller_id_in_text": {
        "zh": "{rows} 行的 {columns} 中出现本行来电人标识，已替换为 {placeholder}",
        "en": "{rows} rows quoted their own caller ID in {columns}; replaced by {placeholder}",
    },
    "clean.note.cells_masked": {
        "zh": "已检查 {columns}：{cells} 个单元格含个人信息，已脱敏{details}",
        "en": "checked {columns}: {cells} cells held personal data, masked{details}",
    },
    "clean.note.cells_detail": {"zh": "（{values}）", "en": " ({values})"},
    "clean.note.identity_hash": {
        "zh": '身份信息列已加盐加密（pii_columns="hash"）：{details}',
        "en": 'identity columns hashed, salted (pii_columns="hash"): {details}',
    },
    "clean.note.identity_drop": {
        "zh": '身份信息列已删除（pii_columns="drop"）：{details}',
        "en": 'identity columns dropped (pii_columns="drop"): {details}',
    },
    "clean.note.identity_by_header": {"zh": "{column}（按表头）", "en": "{column} (by header)"},
    "clean.note.identity_by_content": {
        "zh": "{column}（按内容：{share}% 的单元格为电话、证件号或邮箱）",
        "en": "{column} (by content: {share}% of cells are phones, ID numbers or e-mails)",
    },
    "clean.note.no_identity_columns": {
        "zh": "未发现姓名、电话、证件号等身份信息列",
        "en": "no identity columns (names, phones, ID numbers) found",
    },
    "clean.note.dates_parsed": {
        "zh": "已解析 {columns}；剔除 {rejected} 行（{missing} 行缺少 {required}；{details}）；"
        "合理日期范围 {start} 至 {end}",
        "en": "parsed {columns}; rejected {rejected} ({missing} missing {required}; "
        "{details}); plausible dates {start} to {end}",
    },
    "clean.note.dates_column": {
        "zh": "{column}：{unreadable} 个无法识别，{out_of_range} 个超出范围",
        "en": "{column}: {unreadable} unreadable, {out_of_range} out of range",
    },
    "clean.note.sep": {"zh": "；", "en": "; "},
    "clean.note.no_date_columns": {"zh": "已跳过：无日期列", "en": "skipped: no date columns"},
    "clean.note.empty_rejected": {"zh": "剔除 {rejected} 行", "en": "rejected {rejected}"},
    "clean.note.no_text_or_title": {
        "zh": "已跳过：无诉求内容或标题列",
        "en": "skipped: no text or title column",
    },
    "clean.note.boilerplate": {
        "zh": "{patterns} 条套话规则；{rows} 行含套话；其中 {only} 行只有套话（正文已空，保留）",
        "en": "{patterns} patterns; {rows} rows had boilerplate; {only} rows were boilerplate "
        "only (text now empty, kept)",
    },
    "clean.note.no_patterns": {"zh": "无套话规则", "en": "no patterns"},
    "clean.note.categories": {
        "zh": "{relabelled} 行类别已归并；{unknown} 个未收录的类别保持原样（{unknown_rows} 行）"
        "{examples}",
        "en": "{relabelled} rows relabelled; {unknown} unknown labels kept as they are "
        "({unknown_rows} rows){examples}",
    },
    "clean.note.examples": {"zh": "：{values}", "en": ": {values}"},
    "clean.note.more": {"zh": " 等", "en": " ..."},
    "clean.note.community": {"zh": "{rows} 个小区名已规范化", "en": "{rows} names tidied"},
    "clean.note.address_key": {
        "zh": "{addresses} 个不同地址 → {keys} 个地址键",
        "en": "{addresses} distinct addresses -> {keys} distinct keys",
    },
    "clean.note.no_column": {"zh": "已跳过：无 {column} 列", "en": "skipped: no {column} column"},
    "clean.note.caller_id_hashed": {
        "zh": "来电人标识已加盐加密",
        "en": "caller_id hashed (salted)",
    },
    "clean.note.hash_off": {"zh": "已跳过：未开启脱敏", "en": "skipped: mask=False"},
    "clean.note.duplicates": {
        "zh": "去除 {removed} 行完全重复的记录（比较除 原始行号 外的所有列）；"
        "{reused} 行沿用了内容不同的 工单编号（保留）",
        "en": "removed {removed} exact duplicate rows (all columns but source_row); "
        "{reused} rows reuse a ticket_id with different content (kept)",
    },
    "clean.note.repeats": {
        "zh": "{repeats} 次重复来电，共 {chains} 组（时间窗 {window}，文本相似度 ≥ {similarity}；"
        "{pairs} 对候选）",
        "en": "{repeats} repeat calls in {chains} chains (window {window}, bigram Jaccard "
        ">= {similarity}; {pairs} candidate pairs)",
    },
    "clean.window.days": {"zh": "{n} 天", "en": "{n} days"},
    "clean.window.hours": {"zh": "{n} 小时", "en": "{n} hours"},
    "clean.window.minutes": {"zh": "{n} 分钟", "en": "{n} minutes"},
    "clean.window.seconds": {"zh": "{n} 秒", "en": "{n} seconds"},
    # --------------------------------------------------------------------- errors
    "clean.error.pii_columns": {
        "zh": 'pii_columns 只能是 "hash"（加盐加密身份信息列）或 "drop"（删除这些列），'
        "收到 {value}。",
        "en": 'pii_columns must be "hash" (hash identity columns with a salt) or "drop" '
        "(remove them), not {value}.",
    },
    # -------------------------------------------------------------------- summary
    "clean.summary.head": {
        "zh": "输入 {rows_in} 行：保留 {clean} 行，剔除 {rejected} 行，去除重复 {duplicates} 行。",
        "en": "{rows_in} rows in: {clean} clean, {rejected} rejected, "
        "{duplicates} duplicates removed.",
    },
    "clean.summary.step": {
        "zh": "{step}：剔除 {count} 行",
        "en": "{step}: {count} rejected",
    },
}
