"""Every word the ``commlib`` command prints: progress lines, hints and errors."""

MESSAGES = {
    # progress (stderr)
    "cli.reading": {"zh": "读取 {path} …", "en": "reading {path} …"},
    "cli.rows": {"zh": "  共 {rows} 行", "en": "  {rows} rows"},
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
        "zh": "在命令行上可用 --columns 12345、--columns 311 或 --columns board 指明导出格式，"
        '或给出一个表头对照 JSON 文件：--columns mapping.json，内容如 {{"您的表头": "created_at", ...}}。',
        "en": "On the command line, name the export's layout with --columns 12345, "
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
}
