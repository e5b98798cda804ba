"""Words of the notebook runner (``commlib notebook``): unknown names and bad options."""

MESSAGES = {
    "notebook.unknown": {
        "zh": "没有名为 {name} 的教学笔记本。可用的有：{available}。",
        "en": "There is no teaching notebook named {name}. Available: {available}.",
    },
    "notebook.no_folder": {
        "zh": "找不到笔记本文件夹 {path}：commlib notebook 需要从 commlib 的源码目录安装"
        "（pip install -e .），或者直接给出 .ipynb 文件的路径。",
        "en": "The notebooks folder {path} is missing: commlib notebook needs commlib "
        "installed from its source folder (pip install -e .), or the path of an .ipynb file.",
    },
    "notebook.no_data": {
        "zh": "找不到数据文件 {path}。请检查路径。",
        "en": "The data file {path} does not exist. Check the path.",
    },
    "notebook.no_papermill": {
        "zh": '运行笔记本需要 {module}：请安装 pip install "commlib[notebooks]"。',
        "en": 'Running a notebook needs {module}: install it with pip install "commlib[notebooks]".',
    },
    "notebook.failed": {
        "zh": "笔记本 {name} 在第 {cell} 个单元格出错：{error}。已执行的部分写在 {path}。",
        "en": "Notebook {name} failed in cell {cell}: {error}. What ran is in {path}.",
    },
}
