"""Every word the ``commlib`` command prints: progress lines, hints and errors."""

MESSAGES = {
    # progress (stderr)
    "cli.reading": {"zh": "读取 {path} …", "en": "reading {path} …"},
    "cli.rows": {"zh": "  共 {rows} 行", "en": "  {rows} rows"},
    "cli.files": {"zh": "  共 {files} 个文件", "en": "  {files} files"},
    "cli.dask_cluster": {
        "zh": "  Dask 集群：{address}",
        "en": "  Dask cluster: {address}",
    },
    "cli.partitions": {
        "zh": "  共 {parts} 个分区（每个文件一个）",
        "en": "  {parts} partitions (one per file)",
    },
    "cli.error.no_dask": {
        "zh": "--engine dask 需要 Dask（缺少模块 {module}）：请运行 pip install 'commlib[dask]'，"
        "或去掉 --engine dask 在单个进程中生成报告。",
        "en": "--engine dask needs Dask (module {module} is missing): run "
        "pip install 'commlib[dask]', or leave out --engine dask to build the report in "
        "one process.",
    },
    "cli.skipped": {"zh": "  未生成 {title}：{reason}", "en": "  skipped {title}: {reason}"},
    "cli.written": {"zh": "已写入：{path}", "en": "written: {path}"},
    "cli.seconds": {"zh": "（用时 {seconds} 秒）", "en": "({seconds} s)"},
    "cli.interrupted": {"zh": "commlib：已中断", "en": "commlib: interrupted"},
    # error lines
    "cli.error_line": {"zh": "commlib：错误：{message}", "en": "commlib: error: {message}"},
    "cli.unexpected_line": {
        "zh": "commlib：意外错误：{message}",
        "en": "commlib: unexpected error: {message}",
    },
    "cli.usage_line": {
        "zh": "commlib {command}：错误：{message}",
        "en": "commlib {command}: error: {message}",
    },
    "cli.unexpected": {
        "zh": "意外的 {kind}：{error}。这是 commlib 的缺陷，不是您文件的问题。请加 --debug "
        "重新运行同一命令，并把输出发给 commlib 维护者。",
        "en": "unexpected {kind}: {error}. This is a bug in commlib, not in your file. Run "
        "the same command again with --debug and send what it prints to the commlib "
        "maintainers.",
    },
    "cli.hint.input_file": {
        "zh": "请确认这是您要用的工单导出文件，并且文件完整。",
        "en": "Check that this is the ticket export you meant and that it is complete.",
    },
    "cli.hint.missing_columns": {
        "zh": "在命令行上可用 --columns 12345、--columns 311、--columns boston 或 --columns board 指明导出格式，"
        '或给出一个表头对照 JSON 文件：--columns mapping.json，内容如 {{"您的表头": "created_at", ...}}。',
        "en": "On the command line, name the export's layout with --columns 12345, --columns boston, "
        "--columns 311 or --columns board, or give a JSON file that maps your headers: "
        '--columns mapping.json holding {{"your header": "created_at", ...}}.',
    },
    "cli.error.write": {
        "zh": "无法把报告写入 {place}：{reason}。请用 --output 换一个文件夹。",
        "en": "cannot write the report to {place}: {reason}. Choose another folder with --output.",
    },
    # usage errors
    "cli.usage.sections": {
        "zh": "未知的部分 {names}；可选：{choices}。",
        "en": "unknown section(s) {names}; choose from {choices}.",
    },
    "cli.usage.none_given": {"zh": "（未给出）", "en": "(none given)"},
    "cli.usage.columns": {
        "zh": "--columns {value} 既不是预设格式（{presets}），也不是 JSON 文件。",
        "en": "--columns {value} is neither a preset ({presets}) nor a JSON file.",
    },
    "cli.usage.date": {
        "zh": "{option} {value} 不是日期；请写成 2024-01-31 的形式。",
        "en": "{option} {value} is not a date; write it as 2024-01-31.",
    },
    "cli.usage.period": {
        "zh": "--from {start} 晚于 --to {end}。",
        "en": "--from {start} is after --to {end}.",
    },
    # column mapping file
    "cli.mapping.missing": {
        "zh": "表头对照文件 {path} 不存在。请检查文件名，或使用预设格式：--columns {presets}。",
        "en": "column mapping file {path} does not exist. Check the name, or use a preset: "
        "--columns {presets}.",
    },
    "cli.mapping.unreadable": {
        "zh": "表头对照文件 {path} 无法按 JSON 读取（{reason}）。它必须是一个对象，"
        '如 {{"受理时间": "created_at", "诉求内容": "text"}}，以 UTF-8 保存。',
        "en": "column mapping file {path} cannot be read as JSON ({reason}). It must hold "
        'one object, e.g. {{"Created Date": "created_at", "Descriptor": "text"}}, saved as UTF-8.',
    },
    "cli.mapping.shape": {
        "zh": "表头对照文件 {path} 必须是一个“文字对文字”的 JSON 对象，"
        '如 {{"受理时间": "created_at", "诉求内容": "text"}}。',
        "en": "column mapping file {path} must hold one JSON object of text to text, e.g. "
        '{{"Created Date": "created_at", "Descriptor": "text"}}.',
    },
    # scan
    "cli.scan.found": {
        "zh": "发现个人信息（{kinds}）：{file}",
        "en": "personal data ({kinds}): {file}",
    },
    "cli.scan.checked": {
        "zh": "已检查 {n} 个文件；{bad} 个含个人信息",
        "en": "checked {n} file(s); {bad} with personal data",
    },
    # notes while reading and writing
    "cli.sheet_chosen": {
        "zh": "文件 {name}：工单在工作表 {sheet}（表头最匹配），而不是第一个工作表 {first}；"
        "要读其他工作表，请用 --sheet。",
        "en": "file {name}: read sheet {sheet}, whose headers match best, not the first "
        "sheet {first}; to read another, use --sheet.",
    },
    "cli.masked_at_output": {
        "zh": "  输出前的最终检查又脱敏了 {n} 处个人信息（{kinds}）",
        "en": "  the final check masked {n} more piece(s) of personal data ({kinds})",
    },
    # output checks (before any work)
    "cli.usage.output_type": {
        "zh": "--output {value}：报告是 HTML 文件（加 --xlsx 另存 Excel 工作簿），不能写成 {suffix} 文件。"
        "请给出以 .html 结尾的文件名，或一个文件夹（文件夹名带点时请以 / 结尾）。",
        "en": "--output {value}: the report is an HTML file (and an Excel workbook with "
        "--xlsx), not a {suffix} file. Give a name ending in .html, or a folder (end it "
        "with / if its name has a dot).",
    },
    "cli.error.same_path": {
        "zh": "输出文件 {output} 就是输入文件 {input}：写入报告会覆盖您的数据，因此未做任何处理。"
        "请用 --output 另选文件名或文件夹。",
        "en": "the output file {output} is the input file {input}: writing the report would "
        "overwrite your data, so nothing was done. Choose another name or folder with "
        "--output.",
    },
    "cli.error.output_blocked": {
        "zh": "无法把报告写入 {folder}：{blocker} 是文件而不是文件夹。请用 --output 换一个文件夹。",
        "en": "cannot write the report to {folder}: {blocker} is a file, not a folder. "
        "Choose another folder with --output.",
    },
    # --by
    "cli.error.by_missing_close": {
        "zh": "--by {by}：文件 {name} 没有这一列。最接近的列：{close}。文件的列：{columns}。"
        "请用 --by 指定其中一列。",
        "en": "--by {by}: file {name} has no such column. Closest: {close}. The file's "
        "columns: {columns}. Name one of them with --by.",
    },
    "cli.error.by_missing": {
        "zh": "--by {by}：文件 {name} 没有这一列（也没有相近的列）。文件的列：{columns}。"
        "请用 --by 指定其中一列。",
        "en": "--by {by}: file {name} has no such column (nor one close to it). The "
        "file's columns: {columns}. Name one of them with --by.",
    },
    # library errors whose advice names a Python keyword: the command line's words
    "cli.io.unknown_extension": {
        "zh": "文件 {name} 的扩展名 {ext} 无法读取。支持的格式：{formats}。"
        "如果文件其实是其中一种，请把扩展名改成对应的再运行。",
        "en": "file {name} has an extension commlib does not read ({ext}). Supported "
        "formats: {formats}. If the file is one of these under another name, rename it "
        "with that extension and run again.",
    },
    "cli.io.undecodable": {
        "zh": "无法把文件 {name} 解码为文本：已尝试编码 {tried}（GB18030 也涵盖 GBK 和 GB2312），"
        "均失败（{details}）。请用 Excel 或 WPS 另存为“CSV UTF-8”后再运行。",
        "en": "cannot decode file {name} as text: tried the encodings {tried} (GB18030 "
        "also covers GBK and GB2312), and each failed ({details}). Re-save the file as "
        "UTF-8 (Excel/WPS: Save As > 'CSV UTF-8') and run again.",
    },
    "cli.io.bad_encoding": {
        "zh": "文件 {name} 不是有效的 {encoding} 编码：第 {line} 行的字节 0x{byte} 无法解码。"
        "请用 Excel 或 WPS 另存为“CSV UTF-8”后再运行。",
        "en": "file {name} is not valid {encoding}: byte 0x{byte} on line {line} cannot be "
        "decoded. Re-save the file as UTF-8 (Excel/WPS: Save As > 'CSV UTF-8') and run "
        "again.",
    },
    "cli.io.json_invalid": {
        "zh": "文件 {name} 不是有效的 JSON（第 {line} 行：{reason}）。如果每行一个对象，"
        "请把文件改名为 .jsonl 再运行。",
        "en": "file {name} is not valid JSON ({reason} on line {line}). If it holds one "
        "object per line, rename it .jsonl and run again.",
    },
}
