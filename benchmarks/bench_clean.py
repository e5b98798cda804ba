"""Time clean_tickets on a synthetic dirty frame and compare with the plain way.

Usage: ``python benchmarks/bench_clean.py [n_rows] [--no-mask]`` (default 1,000,000).

The frame has ~150-character Chinese texts with boilerplate, full-width digits,
``_x000D_``, HTML entities and phone numbers; dates in ten formats with a few bad
ones; exact duplicate rows; addresses written several ways; repeat calls.
The "plain way" is what a first notebook does: ``apply`` with per-row regex,
``html.unescape``, ``unicodedata`` and ``dateutil``; it is timed on a sample and
scaled per row.
"""

from __future__ import annotations

import html
import logging
import re
import sys
import time
import unicodedata

import numpy as np
import pandas as pd

import commlib.clean as cc

HEADS = ["市民来电反映：", "来电人称：", "市民反映，", "诉求：", "", "来电反映："]
TAILS = ["希望相关部门尽快处理。", "要求尽快处理。", "请相关部门核实处理。", "", "望尽快处理！"]
BODY = [
    "小区门口快递堆放严重，占用消防通道",
    "楼下饭店油烟很大，晚上十点以后还在营业",
    "夜间施工噪音很大，影响居民休息",
    "电瓶车在楼道内充电，存在火灾隐患",
    "小区内乱停车现象严重，消防车无法通行",
    "物业不作为，多次反映无果",
    "垃圾桶满了没人清理，气味很大",
    "路灯不亮已经一周，晚上出行不便",
    "群租房人员复杂，噪音扰民",
    "共享单车乱停乱放堵塞人行道",
    "楼上漏水导致天花板发霉",
    "广场舞音响声音过大，老人孩子无法休息",
]
DIRT = ["", "", "", "_x000D_\n", "&nbsp;", "　", "  ", "&amp;", "\t"]
CATS = [
    "噪音扰民",
    "噪声扰民",
    "噪音",
    "乱停车",
    "违章停车",
    "停车管理",
    "油烟",
    "物业问题",
    "漏水",
]
CATS += ["群租", "消防隐患", "垃圾乱堆", "路灯不亮", "共享单车", "施工扰民", "某个新类别"]
ROADS = ["云岭西路", "长寿路", "兰亭苑", "桂香小区", "桐荫路", "金沙江路", "曹杨路", "中山北路"]


def _full_width(s: str) -> str:
    return s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})


def make_dirty(n: int, seed: int = 0) -> pd.DataFrame:
    """A dirty 12345-style frame of ``n`` rows (vectorised construction)."""
    rng = np.random.default_rng(seed)

    def pick(pool, size=n):
        return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), size)]

    phones = np.char.add("1", rng.integers(3_000_000_000, 9_999_999_999, n).astype(str))
    body = pd.Series(pick(HEADS), dtype="str")
    for _ in range(4):
        body = body + pd.Series(pick(BODY), dtype="str") + pd.Series(pick(DIRT), dtype="str")
        body = body + "，"
    has_phone = rng.random(n) < 0.3
    body = body + pd.Series(
        np.where(has_phone, "联系电话" + phones.astype(object), ""), dtype="str"
    )
    body = body + "，" + pd.Series(pick(TAILS), dtype="str")
    nums = rng.integers(1, 400, n)
    num_txt = nums.astype(str).astype(object)
    fw = rng.random(n) < 0.2
    num_txt[fw] = [_full_width(v) for v in num_txt[fw]]
    addr = pd.Series(pick(ROADS), dtype="str") + pd.Series(num_txt, dtype="str") + "号"
    addr = addr + pd.Series(pick(["", "", "", "底商", "门口", "附近", "3楼", "601室"]), dtype="str")
    base = np.datetime64("2024-01-01T00:00") + rng.integers(0, 365 * 24 * 60, n).astype(
        "timedelta64[m]"
    )
    ts = pd.Series(base)
    fmt = rng.integers(0, 10, n)
    created = np.empty(n, dtype=object)
    forms = [
        ts.dt.strftime("%Y-%m-%d %H:%M"),
        ts.dt.strftime("%Y-%m-%d %H:%M:%S"),
        ts.dt.strftime("%Y/%-m/%-d %H:%M"),
        ts.dt.strftime("%Y/%-m/%-d"),
        ts.dt.strftime("%Y年%-m月%-d日%H时%M分"),
        ts.dt.strftime("%Y年%-m月%-d日 %H:%M"),
        ts.dt.strftime("%Y-%m-%dT%H:%M:%S"),
        ts.dt.strftime("%Y%m%d"),
        ((ts - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)).round(5).astype(str),
        ts.dt.strftime("%m/%d/%Y %I:%M:%S %p"),
    ]
    for k, form in enumerate(forms):
        sel = fmt == k
        created[sel] = form.to_numpy(dtype=object)[sel]
    bad = rng.random(n) < 0.001
    created[bad] = "2024-13-45"
    closed = (ts + pd.to_timedelta(rng.integers(60, 10_000, n), unit="m")).dt.strftime(
        "%Y-%m-%d %H:%M"
    )
    closed = closed.to_numpy(dtype=object)
    closed[rng.random(n) < 0.1] = None
    text = body.to_numpy(dtype=object)
    text[rng.random(n) < 0.001] = ""
    df = pd.DataFrame(
        {
            "ticket_id": [f"GD{i:08d}" for i in range(n)],
            "created_at": pd.Series(created, dtype="str"),
            "closed_at": pd.Series(closed, dtype="str"),
            "channel": pick(["电话", "网站", "微信", "APP"]),
            "category": pick(CATS),
            "title": pd.Series(pick(BODY), dtype="str"),
            "text": pd.Series(text, dtype="str"),
            "address": addr,
            "community": pick(ROADS),
            "department": pick(["街道办", "城管中队", "房管办", "派出所"]),
            "status": pick(["已办结", "处理中"]),
            "caller_id": pd.Series(phones, dtype="str"),
        }
    )
    # Exact duplicate rows (1 %) and repeat calls (5 %: same place and text, next day).
    dup = rng.choice(n, n // 100, replace=False)
    rep = rng.choice(n, n // 20, replace=False)
    repeats = df.iloc[rep].copy()
    repeats["ticket_id"] = [f"RP{i:08d}" for i in range(len(rep))]
    later = pd.to_datetime(ts.iloc[rep].to_numpy()) + pd.Timedelta(hours=20)
    repeats["created_at"] = later.strftime("%Y-%m-%d %H:%M")
    df = pd.concat([df, df.iloc[dup], repeats], ignore_index=True)
    return df.iloc[:n].reset_index(drop=True) if len(df) > n * 1.2 else df


# ----------------------------------------------------------------------------- plain way
_WS = re.compile(r"\s+")
_CTRL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\u200b-\u200d\ufeff]")
_BOILER = re.compile("|".join(cc._load_patterns(None)))


def _plain_text(v):
    if not isinstance(v, str):
        return v
    v = v.replace("_x000D_", " ")
    v = html.unescape(v)
    v = unicodedata.normalize("NFKC", v)
    v = _CTRL.sub("", v)
    v = _WS.sub(" ", v).strip()
    return v or None


def _plain_date(v):
    from dateutil import parser

    if not isinstance(v, str) or not v:
        return pd.NaT
    v2 = re.sub("[年月]", "-", v)
    v2 = re.sub("日", " ", v2)
    v2 = re.sub("[时分]", ":", v2).rstrip(":")
    try:
        if re.fullmatch(r"\d{5}(\.\d+)?", v2):
            return pd.Timestamp("1899-12-30") + pd.Timedelta(days=float(v2))
        return pd.Timestamp(parser.parse(v2))
    except (ValueError, OverflowError):
        return pd.NaT


def plain_clean(df: pd.DataFrame) -> pd.DataFrame:
    """Row-wise cleaning as a first notebook writes it (no masking)."""
    out = df.copy()
    for col in ["channel", "category", "title", "text", "address", "community", "department"]:
        out[col] = out[col].apply(_plain_text)
    for col in ["created_at", "closed_at"]:
        out[col] = out[col].apply(_plain_date)
    out = out[out["created_at"].notna() & out["text"].notna()]
    out["text_original"] = out["text"]
    out["boilerplate"] = out["text"].apply(lambda t: "|".join(_BOILER.findall(t)))
    out["text"] = out["text"].apply(lambda t: _BOILER.sub("", t))
    syn = cc._synonym_table(None)
    out["category"] = out["category"].apply(lambda c: syn.get(cc._norm_label(c), c))
    out["address_key"] = out["address"].apply(
        lambda a: re.sub(r"(底商|门口|附近|\d+楼|\d+室)$", "", unicodedata.normalize("NFKC", a))
    )
    return out.drop_duplicates(subset=[c for c in out.columns if c != "source_row"])


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 1_000_000
    mask = "--no-mask" not in sys.argv
    t = time.perf_counter()
    df = make_dirty(n)
    print(f"built {len(df):,} rows in {time.perf_counter() - t:.1f} s")
    for n_jobs in (1, None):
        t, c = time.perf_counter(), time.process_time()
        res = cc.clean_tickets(df, mask=mask, n_jobs=n_jobs)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        print(res.log[["step", "rows_in", "rows_out", "seconds", "cpu_seconds"]].to_string())
        print(res.summary())
        print(
            f"clean_tickets n_jobs={n_jobs}: {wall:.1f} s wall, {cpu:.1f} s CPU in the main "
            f"process, {len(df):,} rows (mask={mask})"
        )
    # The plain way on a sample against commlib on all rows, same steps, no masking,
    # one process; CPU time, so other jobs on the machine do not skew the ratio.
    m = 20_000
    c = time.process_time()
    plain_clean(df.iloc[:m])
    plain = (time.process_time() - c) / m
    c = time.process_time()
    cc.clean_tickets(df, mask=False, n_jobs=1)
    ours = (time.process_time() - c) / len(df)
    print(
        f"per row, no masking, CPU: plain {plain * 1e6:.1f} us, commlib {ours * 1e6:.1f} us "
        f"-> {plain / ours:.1f}x faster"
    )


if __name__ == "__main__":
    main()
