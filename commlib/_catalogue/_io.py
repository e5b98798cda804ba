"""Words of commlib.io: errors and notes of ``read_tickets``.

Every error that advises an option names both the Python keyword (``sheet=``) and the
command line's flag (``--sheet``), or an action that needs neither (re-saving the file).
"""

_SAVE_UTF8_ZH = "用 Excel 或 WPS 另存为“CSV UTF-8”"
_SAVE_UTF8_EN = "re-save the file as UTF-8 (Excel/WPS: Save As > 'CSV UTF-8')"

MESSAGES = {
    # ------------------------------------------------------------------ opening
    "io.not_found": {
        "zh": "文件 {path} 不存在（查找位置：{absolute}）。请检查文件名和文件夹，或给出完整路径。",
        "en": "file {path} does not exist (looked for {absolute}). "
        "Check the name and the folder, or pass the full path.",
    },
    "io.no_files": {
        "zh": '没有找到要读取的文件：{pattern}。请检查文件夹或通配符（如 "boston311_2015/*.csv"）。',
        "en": "No ticket files match {pattern}. Check the folder or the glob "
        '(such as "boston311_2015/*.csv").',
    },
    "io.columns_differ": {
        "zh": "文件 {name} 的列与第一个文件 {first} 不同（缺少：{missing}；多出：{extra}）。"
        "一次报告的所有文件须有相同的表头：请把这个文件单独分析，或把它的表头改成与 {first} 相同，"
        "或用 --columns 映射.json（Python 用 columns=）为所有文件指定同一映射。",
        "en": "File {name} has other columns than the first file {first} (missing: "
        "{missing}; extra: {extra}). All files of one report need the same headers: "
        "report this file on its own, give it the headers of {first}, or map every "
        "file's headers with --columns MAP.json (columns= in Python).",
    },
    "io.is_folder": {
        "zh": "{path} 是文件夹，不是文件：请给出一个文件。",
        "en": "{path} is a folder, not a file: pass one file.",
    },
    "io.cannot_open": {
        "zh": "无法打开文件 {path}：{reason}。",
        "en": "cannot open file {path}: {reason}.",
    },
    "io.empty_bytes": {
        "zh": "文件 {name} 是空文件（0 字节）。",
        "en": "file {name} is empty (0 bytes).",
    },
    "io.empty": {"zh": "文件 {name} 是空文件。", "en": "file {name} is empty."},
    "io.empty_blank": {
        "zh": "文件 {name} 是空文件：只有空行。",
        "en": "file {name} is empty: it holds only blank lines.",
    },
    "io.no_columns": {
        "zh": "文件 {name} 是空文件：没有列也没有行。",
        "en": "file {name} is empty: it has no columns and no rows.",
    },
    "io.no_rows": {
        "zh": "文件 {name} 有表头（{headers}）但没有数据行。请确认导出已完成，"
        "或选对了工作表（Python 用 sheet=，命令行用 --sheet）。",
        "en": "file {name} has headers ({headers}) but no data rows. Check that the export "
        "finished, or that you picked the right sheet (sheet= in Python, --sheet on the "
        "command line).",
    },
    # ------------------------------------------------------------------- format
    "io.html_page": {
        "zh": "文件 {name} 是网页（HTML），不是表格文件（有些系统把网页存成 .xls）。"
        "请用 Excel 或 WPS 打开，另存为 .xlsx 或“CSV UTF-8”后再读取。",
        "en": "file {name} is an HTML page, not a table file (some systems save web pages "
        "with an .xls extension). Open it in Excel or WPS and save it as .xlsx or CSV "
        "UTF-8, then read that.",
    },
    "io.unknown_extension": {
        "zh": "文件 {name} 的扩展名 {ext} 无法读取。支持的格式：{formats}。"
        "如果文件其实是其中一种，请把扩展名改成对应的（命令行同样适用），"
        "或在 Python 中传入 format=...，例如 format='csv'。",
        "en": "file {name} has an extension commlib does not read ({ext}). Supported "
        "formats: {formats}. If the file is one of these under another name, rename it "
        "with that extension (this works on the command line too), or pass format=..., "
        "e.g. format='csv', in Python.",
    },
    "io.archive": {
        "zh": "文件 {name} 是压缩包（{ext}）：请先解压，再读取里面的文件。支持的格式：{formats}。",
        "en": "file {name} is an archive ({ext}): extract it first, then read the file "
        "inside. Supported formats: {formats}.",
    },
    # ----------------------------------------------------------------- encoding
    "io.undecodable": {
        "zh": "无法把文件 {name} 解码为文本：已尝试编码 {tried}（GB18030 也涵盖 GBK 和 GB2312），"
        "均失败（{details}）。请" + _SAVE_UTF8_ZH + "；如果知道文件的编码，"
        "也可以在 Python 中传入 encoding='...'。",
        "en": "cannot decode file {name} as text: tried the encodings {tried} (GB18030 "
        "also covers GBK and GB2312), and each failed ({details}). Please "
        + _SAVE_UTF8_EN
        + "; or, in Python, pass encoding='...' if you know the file's encoding.",
    },
    "io.bad_encoding": {
        "zh": "文件 {name} 不是有效的 {encoding} 编码：第 {line} 行的字节 0x{byte} 无法解码。"
        "不传 encoding，让 commlib 自动识别；或传入正确的编码；或" + _SAVE_UTF8_ZH + "。",
        "en": "file {name} is not valid {encoding}: byte 0x{byte} on line {line} cannot be "
        "decoded. Leave encoding=None to let commlib detect it, pass the right encoding, "
        "or " + _SAVE_UTF8_EN + ".",
    },
    "io.mixed_encodings": {
        "zh": "文件 {name} 在第 {line} 行之前是 UTF-8，但第 {line} 行含有非 UTF-8 字节"
        "（第 {offset} 字节处的 0x{byte}）。文件混用了编码，常见于把两份导出拼接在一起："
        "请把从该行起的部分另存为 UTF-8，或修正该行。",
        "en": "file {name} is UTF-8 up to line {line}, but line {line} holds bytes that "
        "are not UTF-8 (0x{byte} at byte {offset}). The file mixes encodings, as happens "
        "when two exports are joined together: re-save the part from that line on as "
        "UTF-8, or fix that line.",
    },
    "io.pyarrow_rejected": {
        "zh": "文件 {name}：pyarrow 无法读取其 {encoding} 文本。请" + _SAVE_UTF8_ZH + "。",
        "en": "file {name}: pyarrow rejected its {encoding} text. Please " + _SAVE_UTF8_EN + ".",
    },
    # ---------------------------------------------------------------- delimited
    "io.ragged": {
        "zh": "文件 {name}：第 {line} 行有 {actual} 个字段，而表头有 {expected} 个"
        "（该行开头为 {start}）。单元格以 {sep} 分隔；单元格内未加引号的 {sep} 或换行会把一行拆开。"
        "请修正该行，或重新导出并让文本单元格带双引号（Excel 和 WPS 另存为“CSV UTF-8”时会这样做）。",
        "en": "file {name}: line {line} has {actual} fields but the header has {expected} "
        "(the row starts {start}). Cells are separated by {sep}; an unquoted {sep} or line "
        "break inside a cell splits a row. Fix that line, or re-export the file with text "
        "cells in double quotes (Excel and WPS do this when saving as CSV UTF-8).",
    },
    "io.unclosed_quote": {
        "zh": "文件 {name}：第 {row} 行（读到的最后一行，表头算第 1 行）的某个单元格以双引号开头却没有闭合，"
        "于是文件余下部分都被读进了这个单元格。请补上引号，或重新导出并让文本单元格带双引号。",
        "en": "file {name}: a cell in row {row} (the last row read, counting the header as "
        "row 1) opens a double quote that is never closed, so the rest of the file was "
        "read into that cell. Close the quote, or re-export the file with text cells in "
        "double quotes.",
    },
    "io.unparseable": {
        "zh": "文件 {name} 无法解析为表格：{reason}。通常是某个单元格含有未加引号的分隔符或换行；"
        "请修正该行，或重新导出并让文本单元格带双引号。",
        "en": "file {name} cannot be parsed as a table: {reason}. Usually a cell holds an "
        "unquoted separator or line break; fix that line, or re-export the file with text "
        "cells in double quotes.",
    },
    # ---------------------------------------------------------------- workbooks
    "io.xls_needs_xlrd": {
        "zh": "文件 {name} 是旧版 Excel 工作簿（.xls），读取它需要 python-calamine 或 xlrd 包"
        "（pip install python-calamine）；或用 Excel/WPS 打开后另存为 .xlsx（或“CSV UTF-8”）再读取。",
        "en": "file {name} is an old binary Excel workbook (.xls), which needs the "
        "'python-calamine' or 'xlrd' package (pip install python-calamine); or open it in "
        "Excel or WPS, save it as .xlsx (or as CSV UTF-8) and read that file.",
    },
    "io.workbook_unreadable": {
        "zh": "文件 {name} 无法作为 {fmt} 工作簿打开（{reason}）。如果它能在 Excel 或 WPS 中打开，"
        "请另存为 .xlsx 后读取副本。",
        "en": "file {name} cannot be opened as an {fmt} workbook ({reason}). If it opens "
        "in Excel or WPS, save it again as .xlsx and read that copy.",
    },
    "io.sheet_out_of_range": {
        "zh": "文件 {name} 只有 {count} 个工作表，没有编号为 {sheet} 的工作表（编号从 0 开始）。"
        "它的工作表：{sheets}。请用 sheet=（Python）或 --sheet（命令行）选择其中一个。",
        "en": "file {name} has {count} sheet(s), so there is no sheet number {sheet} "
        "(numbers start at 0). Its sheets are: {sheets}. Choose one with sheet= (Python) "
        "or --sheet (command line).",
    },
    "io.sheet_not_found": {
        "zh": "文件 {name} 没有名为 {sheet} 的工作表。它的工作表：{sheets}。"
        "请用 sheet=（Python）或 --sheet（命令行）选择其中一个。",
        "en": "file {name} has no sheet named {sheet}. Its sheets are: {sheets}. Choose "
        "one with sheet= (Python) or --sheet (command line).",
    },
    "io.sheet_not_found_close": {
        "zh": "文件 {name} 没有名为 {sheet} 的工作表。它的工作表：{sheets}。是否指 {close}？"
        "请用 sheet=（Python）或 --sheet（命令行）选择其中一个。",
        "en": "file {name} has no sheet named {sheet}. Its sheets are: {sheets}. Did you "
        "mean {close}? Choose one with sheet= (Python) or --sheet (command line).",
    },
    "io.sheet_chosen": {
        "zh": "文件 {name}：工单在工作表 {sheet}（表头最匹配），而不是第一个工作表 {first}。"
        "要读其他工作表，请用 sheet=（Python）或 --sheet（命令行）。",
        "en": "file {name}: read sheet {sheet}, whose headers match best, not the first "
        "sheet {first}. To read another sheet, pass sheet= (Python) or --sheet (command "
        "line).",
    },
    "io.formula_without_value": {
        "zh": "文件 {name}：工作表 {sheet} 有 {count} 个公式单元格没有保存计算结果（如 {cells}），"
        "读出来是空值。请用 Excel 或 WPS 打开并保存一次（会算出并保存结果），再读取。",
        "en": "file {name}: sheet {sheet} has {count} formula cell(s) without a saved "
        "value (e.g. {cells}), which read as empty. Open the file in Excel or WPS and "
        "save it once (that computes and stores the values), then read it again.",
    },
    # ----------------------------------------------------------- parquet / json
    "io.parquet_unreadable": {
        "zh": "文件 {name} 无法作为 Parquet 读取（{reason}）。",
        "en": "file {name} cannot be read as Parquet ({reason}).",
    },
    "io.jsonl_bad_line": {
        "zh": "文件 {name}：第 {line} 行不是有效的 JSON（{reason}）。JSON lines 文件每行必须是一个对象 {{...}}。",
        "en": "file {name}: line {line} is not valid JSON ({reason}). Each line of a "
        "JSON-lines file must hold one object {{...}}.",
    },
    "io.json_invalid": {
        "zh": "文件 {name} 不是有效的 JSON（第 {line} 行：{reason}）。如果每行一个对象，"
        "请把文件改名为 .jsonl（命令行同样适用），或在 Python 中传入 format='jsonl'。",
        "en": "file {name} is not valid JSON ({reason} on line {line}). If it holds one "
        "object per line, rename it .jsonl (this works on the command line too), or pass "
        "format='jsonl' in Python.",
    },
    "io.json_not_records": {
        "zh": "文件 {name} 必须由记录组成（每列一个键的 JSON 对象）。",
        "en": "file {name} must hold records (JSON objects with one key per column).",
    },
    "io.json_no_records": {
        "zh": "文件 {name} 是空的：没有任何记录。",
        "en": "file {name} is empty: it holds no records.",
    },
    "io.json_not_list": {
        "zh": "文件 {name} 不是记录列表：应为 [{{...}}, {{...}}]，或内含一个记录列表的对象。",
        "en": "file {name} does not hold a list of records: expected [{{...}}, {{...}}] or "
        "an object with one list of records inside.",
    },
    # ------------------------------------------------------------------ columns
    "io.preset_chosen": {
        "zh": "文件 {name}：按表头自动选用预设 {preset}（匹配 {matched} 列）。",
        "en": "file {name}: headers matched with preset {preset} ({matched} columns).",
    },
    "io.column_copied": {
        "zh": "文件 {name} 没有 {target} 列：用 {source} 列代替。",
        "en": "file {name} has no {target} column: {source} is used in its place.",
    },
}

# The missing-columns error, once per way the headers were matched (each a whole
# sentence, so neither language is assembled from the other's fragments).
_HOW = {
    "custom": ("表头按你给的列映射匹配", "Headers were matched with your column mapping"),
    "preset": ("表头按预设 {preset} 匹配", "Headers were matched with preset {preset}"),
    "none": (
        "没有任何预设（{presets}）或标准列名与表头匹配",
        "Headers were matched with none of the presets ({presets}) or canonical names",
    ),
}
for _how, (_zh, _en) in _HOW.items():
    MESSAGES[f"io.missing_columns.{_how}"] = {
        "zh": "文件 {name} 缺少列 {missing}。" + _zh + "。最接近的表头：{closest}。"
        "能对应这些列的表头如：{expected}。文件现有表头：{headers}。"
        "请说明哪个表头对应哪一列：命令行用 --columns 映射.json（文件内容如 "
        "{{\"<你的表头>\": \"{example}\"}}），Python 用 columns={{'<你的表头>': '{example}'}}。",
        "en": "file {name} is missing column(s) {missing}. " + _en + ". Closest headers: "
        "{closest}. Headers that would be recognised for them: {expected}. It has: "
        "{headers}. Say which header holds each column: on the command line, --columns "
        'MAP.json with {{"<your header>": "{example}"}} in the file; in Python, '
        "columns={{'<your header>': '{example}'}}.",
    }
    # The same, for a workbook with several sheets: which sheet was read and how to pick.
    MESSAGES[f"io.missing_columns.{_how}.sheet"] = {
        "zh": MESSAGES[f"io.missing_columns.{_how}"]["zh"]
        + "读取的是工作表 {sheet}（共有：{sheets}）；要读其他工作表，请用 sheet=（Python）或 --sheet（命令行）。",
        "en": MESSAGES[f"io.missing_columns.{_how}"]["en"]
        + " This was sheet {sheet} (the file has {sheets}); to read another, pass sheet= "
        "(Python) or --sheet (command line).",
    }
