"""Time and size link_sources on generated tickets, against the plain pandas self-merge.

Usage::

    python benchmarks/bench_attribution.py [n_rows ...]        (default 100000 400000 800000)

Tickets come from ``commlib.datasets.make_tickets(n, random_state=0)`` cleaned by
``commlib.clean_tickets`` (cached as Parquet under ``$TMPDIR/commlib_bench``). Each
measurement runs in a fresh child process, so peak memory is the child's peak RSS
(``resource.getrusage``) minus its RSS after loading the tickets: the memory the step
itself needed. tracemalloc is not used: it slows pandas' per-row string work several-fold.

Rows printed per size:

- ``link_sources(n_permutations=0)``: ranking only;
- ``link_sources(n_permutations=4)``: with a small permutation null;
- ``pandas self-merge``: the plain way to count tickets, categories and departments in
  every ticket's window (merge the table with itself on the place, keep the pairs inside
  the window, group by the window's first ticket). It materialises every pair of tickets
  at one place, so it only runs where those pairs fit (about 60 million rows).

Wall time is printed, but ratios use CPU time (``time.process_time``): on a shared
machine wall time mostly measures the other processes. ``vs pandas`` is the CPU-time
ratio to the pandas way at the same size; ``scaling`` is cpu(n) / cpu(first n) divided
by n / first n (1.0 is linear).

To compare with another checkout of commlib, put it first on ``PYTHONPATH``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CACHE = Path(tempfile.gettempdir()) / "commlib_bench"
MAX_PAIRS = 60_000_000
WINDOW = "14D"


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def tickets_path(n: int) -> Path:
    """Generate, clean and cache n tickets; return the Parquet path."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"tickets_{n}.parquet"
    if not path.exists():
        import commlib as cl
        from commlib.datasets import make_tickets

        clean = cl.clean_tickets(make_tickets(n, random_state=0)).tickets
        clean.to_parquet(path)
    return path


def _pandas_windows(df):
    """The plain pandas way: self-merge on place, filter to the window, group."""
    import pandas as pd

    d = pd.DataFrame(
        {
            "place": df["address_key"].astype("category").cat.codes,
            "t": df["created_at"],
            "cat": df["category"].astype("category").cat.codes,
            "dep": df["department"].astype("category").cat.codes,
        }
    ).reset_index(names="rid")
    m = d.merge(d, on="place", suffixes=("", "_w"))
    width = pd.Timedelta(WINDOW)
    m = m[(m["t_w"] >= m["t"]) & (m["t_w"] < m["t"] + width)]
    return m.groupby("rid").agg(n=("rid", "size"), k=("cat_w", "nunique"), d=("dep_w", "nunique"))


def _place_pairs(path: Path) -> int:
    import pandas as pd

    sizes = pd.read_parquet(path, columns=["address_key"])["address_key"].value_counts()
    return int((sizes.astype("int64") ** 2).sum())


def child(kind: str, path: str) -> None:
    """Run one measurement in this (fresh) process and print JSON."""
    import pandas as pd

    df = pd.read_parquet(path)
    base = _rss_mb()
    c0 = time.process_time()
    t0 = time.perf_counter()
    if kind == "pandas":
        _pandas_windows(df)
    else:
        from commlib.attribution import link_sources

        link_sources(df, window=WINDOW, n_permutations=int(kind))
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": dt, "cpu": cpu, "peak_mb": peak - base}))


def run(kind: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "killed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(sizes: list[int]) -> None:
    first: dict[str, tuple[int, float]] = {}
    print(
        f"{'rows':>9} {'step':<28} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'vs pandas':>10} "
        f"{'scaling':>8}"
    )
    for n in sizes:
        path = tickets_path(n)
        pairs = _place_pairs(path)
        results = {}
        for kind in ("0", "4", "pandas"):
            if kind == "pandas" and pairs > MAX_PAIRS:
                results[kind] = None
                continue
            results[kind] = run(kind, path)
        for kind, label in (
            ("0", "link_sources (no null)"),
            ("4", "link_sources (4 perms)"),
            ("pandas", "pandas self-merge"),
        ):
            r = results[kind]
            if r is None:
                print(
                    f"{n:>9,} {label:<28} {'skipped: ' + format(pairs, ',') + ' place pairs':>40}"
                )
                continue
            if "error" in r:
                print(f"{n:>9,} {label:<28} failed: {r['error']}")
                continue
            ref = results.get("pandas")
            vs = (
                f"{r['cpu'] / ref['cpu']:.2f}x"
                if ref and "error" not in ref and kind != "pandas"
                else ""
            )
            n0, t0 = first.setdefault(kind, (n, r["cpu"]))
            scaling = (r["cpu"] / t0) / (n / n0)
            print(
                f"{n:>9,} {label:<28} {r['seconds']:8.2f} {r['cpu']:8.2f} {r['peak_mb']:8.0f} {vs:>10} "
                f"{scaling:8.2f}",
                flush=True,
            )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main([int(a) for a in sys.argv[1:]] or [100_000, 400_000, 800_000])
