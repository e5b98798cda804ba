"""Time and size link_sources and near_miss_alerts on large synthetic ticket tables.

Usage: python benchmarks/bench_attribution.py [n_rows ...]   (default 100000 1000000)

The table repeats the bundled sample's structure: many places, a city-sized number of
rows, random categories, departments and texts. Prints wall time and peak memory
(process peak RSS after each step; tracemalloc is not used because it slows
pandas' per-row string work several-fold); the permutation null is timed separately, per permutation.
"""

from __future__ import annotations

import resource
import sys
import time

import numpy as np
import pandas as pd

from commlib.attribution import link_sources
from commlib.heinrich import near_miss_alerts, severity_tiers

CATS = [f"类{i}" for i in range(22)]
DEPS = [f"部门{i}" for i in range(18)]
TEXTS = [
    "楼上很吵",
    "楼道堆物很多",
    "有人飞线充电",
    "面馆油烟直排",
    "车乱停",
    "垃圾没人清",
    "工地夜间施工",
]


def make(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n_places = max(n // 40, 10)
    place = rng.integers(0, n_places, n)
    return pd.DataFrame(
        {
            "created_at": pd.Timestamp("2022-01-01")
            + pd.to_timedelta(rng.uniform(0, 3 * 365, n), unit="D"),
            "category": np.asarray(CATS, dtype=object)[rng.integers(0, len(CATS), n)],
            "department": np.asarray(DEPS, dtype=object)[rng.integers(0, len(DEPS), n)],
            "text": np.asarray(TEXTS, dtype=object)[rng.integers(0, len(TEXTS), n)],
            "address_key": pd.Series(place).map(lambda p: f"某路{p // 50}弄{p % 50 + 1}号"),
            "community": pd.Series(place // 500).map(lambda c: f"小区{c}"),
        }
    )


def timed(label, fn):
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<42} {dt:8.2f} s   peak RSS so far {peak:8.0f} MB", flush=True)
    return out


def main(sizes):
    for n in sizes:
        df = make(n)
        print(f"--- {n:,} rows, {df['address_key'].nunique():,} places")
        timed("link_sources (no permutations)", lambda df=df: link_sources(df, n_permutations=0))
        timed("link_sources (2 permutations)", lambda df=df: link_sources(df, n_permutations=2))
        tiers = timed("severity_tiers", lambda df=df: severity_tiers(df))
        timed("near_miss_alerts (weekly)", lambda tiers=tiers: near_miss_alerts(tiers))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000])
