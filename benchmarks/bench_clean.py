"""Time clean_tickets on a synthetic dirty frame and compare with the plain way.

Usage: ``python benchmarks/bench_clean.py [--n 1000000] [--plain 20000] [--n-jobs N]``.

On a shared machine run it at ``--n 200000``: it prints the time extrapolated
linearly to 1M, the CPU time, the load average and the ratio to the plain way
measured in the same run (ratios survive a busy machine better than seconds).

Generates tickets with ``commlib.make_tickets``, writes them as CSV and Parquet, and
times reading, cleaning (masking on) and Pareto, with rows per second and peak memory.
In the same run it times the plain way on a slice and prints the per-row ratio.

The "plain way" is what a first notebook does: ``apply`` with per-row regex,
``html.unescape``, ``unicodedata``, ``dateutil`` and a handful of masking regexes; it
is timed on a slice and compared per row.
"""

from __future__ import annotations

import html
import logging
import re
import time
import unicodedata

import pandas as pd

from commlib.clean._text import _load_patterns, _norm_label, _synonym_table

_WS = re.compile(r"\s+")
_CTRL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\u200b-\u200d\ufeff]")
_BOILER = re.compile("|".join(_load_patterns(None)))


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
    syn = _synonym_table(None)
    out["category"] = out["category"].apply(lambda c: syn.get(_norm_label(c), c))
    out["address_key"] = out["address"].apply(
        lambda a: re.sub(r"(底商|门口|附近|\d+楼|\d+室)$", "", unicodedata.normalize("NFKC", a))
    )
    return out.drop_duplicates(subset=[c for c in out.columns if c != "source_row"])


_PLAIN_PII = [
    (re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"), "[电话]"),
    (re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"), "[电话]"),
    (re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"), "[身份证]"),
    (re.compile(r"[沪京苏浙皖][A-Z]·?[A-Z0-9]{5,6}"), "[车牌]"),
    (re.compile(r"(来电人|联系人|姓名)[:：]?[\u4e00-\u9fa5]{2,3}"), r"\1[姓名]"),
]


def _plain_mask(v):
    if not isinstance(v, str):
        return v
    for pat, rep in _PLAIN_PII:
        v = pat.sub(rep, v)
    return v


def plain_clean_masked(df: pd.DataFrame) -> pd.DataFrame:
    """The plain way including per-row masking, as a first notebook writes it."""
    out = plain_clean(df)
    for col in ("title", "text", "text_original"):
        out[col] = out[col].apply(_plain_mask)
    return out


def _peak_mb() -> float:
    """Peak resident memory so far of this process and of its finished children (MB)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


_ISOLATED = """
import resource, sys, commlib as cl
df = cl.read_tickets(sys.argv[1], columns="12345")
with open("/proc/self/statm") as fh:
    rss = int(fh.read().split()[1]) * resource.getpagesize() / 2**20
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
cl.clean_tickets(df, n_jobs=None if sys.argv[2] == "None" else int(sys.argv[2]))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{rss:.0f} {max(peak, before):.0f}")
"""


def _clean_memory(parquet, n_jobs) -> tuple[float, float]:
    """(RSS with the tickets read, peak RSS through clean_tickets) in a fresh process, MB."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", _ISOLATED, str(parquet), str(n_jobs)],
        capture_output=True,
        text=True,
        check=True,
    )
    rss, peak = map(float, out.stdout.split()[-2:])
    return rss, peak


def main() -> None:
    import argparse
    import tempfile
    from pathlib import Path

    import commlib as cl

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="tickets to generate")
    ap.add_argument("--plain", type=int, default=20_000, help="rows for the plain way")
    ap.add_argument("--n-jobs", type=int, default=None, help="clean_tickets n_jobs")
    opts = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    rows = []

    def stage(name, seconds, n_rows):
        rows.append((name, seconds, n_rows / seconds, _peak_mb()))
        print(
            f"{name:<28} {seconds:8.2f} s  {n_rows / seconds:>12,.0f} rows/s  peak {_peak_mb():,.0f} MB"
        )

    t = time.perf_counter()
    raw = cl.make_tickets(opts.n, random_state=0, headers="12345")
    stage("make_tickets", time.perf_counter() - t, opts.n)
    with tempfile.TemporaryDirectory() as tmp:
        csv, parquet = Path(tmp) / "tickets.csv", Path(tmp) / "tickets.parquet"
        raw.to_csv(csv, index=False, encoding="utf-8-sig")
        raw.to_parquet(parquet, index=False)
        del raw
        print(
            f"CSV {csv.stat().st_size / 1e6:,.0f} MB, Parquet {parquet.stat().st_size / 1e6:,.0f} MB"
        )
        t = time.perf_counter()
        df = cl.read_tickets(csv, columns="12345")
        stage("read_tickets CSV", time.perf_counter() - t, len(df))
        t = time.perf_counter()
        df = cl.read_tickets(parquet, columns="12345")
        stage("read_tickets Parquet", time.perf_counter() - t, len(df))
        t = time.perf_counter()
        df_plain_read = pd.read_csv(csv, dtype=str, encoding="utf-8-sig")
        stage("plain pd.read_csv (C engine)", time.perf_counter() - t, len(df_plain_read))
        del df_plain_read
        rss, peak = _clean_memory(parquet, opts.n_jobs)
        print(
            f"clean_tickets memory (fresh process): {rss:,.0f} MB with the tickets read, "
            f"peak {peak:,.0f} MB (+{peak - rss:,.0f} MB, "
            f"{(peak - rss) * 1_000_000 / len(df):,.0f} MB per million tickets)"
        )

    t, c = time.perf_counter(), time.process_time()
    res = cl.clean_tickets(df, n_jobs=opts.n_jobs)
    wall_ours, cpu_ours = time.perf_counter() - t, time.process_time() - c
    stage("clean_tickets (mask=True)", wall_ours, len(df))
    print(res.log[["step", "rows_in", "rows_out", "seconds", "cpu_seconds"]].to_string(index=False))
    print(res.summary())
    t = time.perf_counter()
    table = cl.pareto_table(res.tickets, by="category")
    stage("pareto_table", time.perf_counter() - t, len(res.tickets))
    t = time.perf_counter()
    res.tickets["category"].value_counts(normalize=True).cumsum()
    stage("plain value_counts+cumsum", time.perf_counter() - t, len(res.tickets))
    print(f"vital few: {int(table['vital'].sum())} of {len(table)} categories")

    # The plain way on a slice: row-wise apply with per-row regex, same steps incl. masking.
    part = df.iloc[: opts.plain]
    t = time.perf_counter()
    plain_clean_masked(part)
    plain_wall = (time.perf_counter() - t) / len(part)
    ours_wall = wall_ours / len(df)
    print(
        f"\nper row (wall): plain way {plain_wall * 1e6:.1f} us on {len(part):,} rows, "
        f"commlib {ours_wall * 1e6:.1f} us on {len(df):,} rows -> {plain_wall / ours_wall:.1f}x faster"
    )
    import os

    print(f"commlib CPU (all threads): {cpu_ours:.1f} s; load average {os.getloadavg()[0]:.1f}")
    at_1m = wall_ours * 1_000_000 / len(df)
    target = "met" if at_1m <= 10 else "MISSED"
    print(
        f"target 1,000,000 cleaned in <= 10 s: {wall_ours:.1f} s for {len(df):,} "
        f"-> {at_1m:.1f} s at 1M (linear; {target})"
    )
    print(f"peak memory of the whole benchmark run: {_peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
