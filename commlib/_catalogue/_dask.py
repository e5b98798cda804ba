"""Words of commlib.dask: reading archives and cleaning them on a cluster."""

MESSAGES = {
    "dask.no_files": {
        "zh": '没有找到要读取的文件：{pattern}。请检查路径或通配符（如 "archive/*.parquet"）。',
        "en": "No files to read match {pattern}. Check the path or the glob "
        '(such as "archive/*.parquet").',
    },
    "dask.columns_differ": {
        "zh": "文件 {name} 的列与第一个文件 {first} 不同（缺少：{missing}；多出：{extra}）。"
        "请让各分区文件使用相同的列，或用 columns= 为它们指定同一映射。",
        "en": "File {name} has other columns than the first file {first} (missing: "
        "{missing}; extra: {extra}). Give every partition file the same columns, or map "
        "them to the same names with columns=.",
    },
    "dask.salt_missing": {
        "zh": "在 Dask 上清洗必须明确给出 salt=（来电人编号的哈希盐）：各分区在不同进程中运行，"
        '自动生成的盐会各不相同，同一来电人将无法关联。请传入 salt="你的秘密字符串"。',
        "en": "Cleaning on Dask needs an explicit salt= (the caller-id hash salt): partitions "
        "run in different processes, where a drawn salt would differ and one caller would "
        'no longer link up. Pass salt="your secret string".',
    },
    "dask.not_dask": {
        "zh": "{where} 需要一个 Dask DataFrame（dask.dataframe），得到的是 {kind}。"
        "pandas 表请用 commlib 中同名的函数。",
        "en": "{where} needs a Dask DataFrame (dask.dataframe), got {kind}. For a pandas "
        "table use the function of the same name in commlib.",
    },
}
