"""Time read_tickets on a large synthetic 12345 export against the plain pandas readers.

Writes a CSV of ``--rows`` tickets (150 Chinese characters of complaint text each) to a
temporary folder, in UTF-8 and GB18030, then reads it several times with:

- ``read_tickets`` (pyarrow.csv with ``newlines_in_values=True``, all columns as text);
- ``pandas.read_csv(engine="pyarrow", dtype=str)``;
- ``pandas.read_csv(engine="c", dtype=str)``.

With ``--multiline`` every text gets a line break inside its quoted cell, as real
exports do; pandas' pyarrow engine then fails on large files.

Usage::

    python benchmarks/read_tickets_speed.py --rows 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from commlib.io import read_tickets

CHARS = list(
    "小区门口快递堆放无人管理楼上装修噪音很吵夜间广场舞扰民酒吧到凌晨垃圾桶满了没人清"
    "楼道里有乱扔树枝挡住窗户需要修剪停车位被占用电梯故障物业不作为，。"
)


def make_export(rows: int, *, multiline: bool, random_state: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(random_state)
    pool = ["".join(p) for p in rng.choice(CHARS, size=(2000, 150))]
    texts = np.array(pool)[rng.integers(0, len(pool), rows)]
    if multiline:
        texts = np.char.add(np.char.add(texts, "\n\t\t"), "联系电话已隐藏")
    start = pd.Timestamp("2024-01-01")
    seconds = pd.to_timedelta(rng.integers(0, 365 * 86400, rows), unit="s")
    return pd.DataFrame(
        {
            "工单编号": [f"GD{i:08d}" for i in range(rows)],
            "受理时间": (start + seconds).strftime("%Y-%m-%d %H:%M:%S"),
            "诉求分类": rng.choice(["快递物流", "噪音扰民", "环境卫生", "绿化养护"], rows),
            "诉求内容": texts,
            "事发地址": rng.choice(["云岭西路123号", "兰亭苑3号楼", "桂香小区7号"], rows),
            "承办部门": rng.choice(["街道办", "城管", "市场监管"], rows),
        }
    )


def time_it(fn, repeat: int) -> tuple[float, float] | str:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            fn()
        except Exception as err:  # report, do not stop the benchmark
            return f"failed: {type(err).__name__}: {str(err)[:90]}"
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--multiline", action="store_true")
    args = parser.parse_args()

    frame = make_export(args.rows, multiline=args.multiline)
    kw = {"dtype": str, "keep_default_na": False, "na_values": [""]}
    with tempfile.TemporaryDirectory() as folder:
        for encoding in ("utf-8", "gb18030"):
            path = Path(folder) / f"tickets-{encoding}.csv"
            frame.to_csv(path, index=False, encoding=encoding)
            size = path.stat().st_size / 1e6
            print(f"\n{args.rows:,} rows, {encoding}, {size:,.0f} MB, multiline={args.multiline}")
            readers = {
                "read_tickets": lambda p=path: read_tickets(p),
                "pandas engine=pyarrow": lambda p=path, e=encoding: pd.read_csv(
                    p, engine="pyarrow", encoding=e, **kw
                ),
                "pandas engine=c": lambda p=path, e=encoding: pd.read_csv(
                    p, engine="c", encoding=e, **kw
                ),
            }
            for label, fn in readers.items():
                result = time_it(fn, args.repeat)
                if isinstance(result, str):
                    print(f"  {label:24s} {result}")
                else:
                    print(f"  {label:24s} min {result[0]:6.2f} s   median {result[1]:6.2f} s")


if __name__ == "__main__":
    main()
