"""Time the report's near-miss work on generated tickets: severity tiers and alerts.

Issue 16: the near_misses section was the slowest of the report (99 s at 1M tickets).
For each size given on the command line (default 100000) it prints, for
:func:`commlib.heinrich.severity_tiers` and :func:`commlib.heinrich.near_miss_alerts`:
wall and CPU seconds, the peak resident memory of the process, and the same job done
the plain pandas way in the same run, with the ratio plain / commlib:

- tiers, plain: every rule group searched (``str.contains``), extracted
  (``str.extract`` per rule) and blanked (``str.replace``) on every text, as
  severity_tiers did before issue 16 (``_severity_tiers(fast=False)``); the results
  must be equal (``assert_frame_equal``) or the run stops.
- alerts, plain: near misses counted per place and period with ``groupby``/``unstack``,
  windows and baselines with ``rolling``, neighbourhood rates with
  ``groupby().transform``; its p-values must agree with ``weekly`` (rtol 1e-9).

Measured at 1,000,000 generated tickets (986,989 after cleaning), idle 2-core machine:
tiers 13.6 s wall and 13.7 CPU-s (plain 238 s: 17.5x), peak 1,552 MiB; alerts 0.6 s
(plain 1.9 s). The prefilters (literal words a rule needs) now run in Arrow's RE2, one
pass each, with Python's IGNORECASE classes spelled out (``i`` also matches ``İ`` and
``ı``); Python's ``re`` took about 1.2 microseconds a text per prefilter. Before and
after on the same cleaned tickets: 35.2 -> 14.4 s; same tiers, words and hazards on
the generated tickets and on every real file in ``../shared/realdata/``.

Run: ``python benchmarks/bench_near_miss.py [N ...]``, e.g. ``100000 400000 1000000``.
Each size runs in its own child process. Inputs are generated and cleaned once (names
not masked: masking is not what is measured) into ``$COMMLIB_BENCH_DIR`` (default a
temporary folder) as Parquet; that is not timed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


class PeakSampler:
    """Peak resident memory of this process, sampled every ``every`` seconds."""

    def __init__(self, every: float = 0.05):
        import psutil

        self._proc = psutil.Process()
        self.every = every
        self.peak = self._proc.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, self._proc.memory_info().rss)

    def reset(self):
        self.peak = self._proc.memory_info().rss

    def stop(self):
        self._stop.set()
        self._thread.join()


def _input(n: int, folder: Path) -> Path:
    path = folder / f"near_miss_{n}.parquet"
    if not path.exists():
        import commlib as cl

        raw = cl.make_tickets(n, random_state=0)
        cl.clean_tickets(raw, mask=False, salt="bench").tickets.to_parquet(path, index=False)
    return path


def plain_alerts(data, *, by, community, freq="W", window=4, history=52, prior=26.0):
    """The statistic of near_miss_alerts written with groupby, unstack and rolling."""
    import numpy as np
    import pandas as pd
    from scipy.special import betainc

    from commlib.attribution._places import _places

    places = _places(data, by, community, True)
    when = pd.to_datetime(data["created_at"])
    ok = when.notna() & places.notna()
    frame = pd.DataFrame(
        {
            "place": places[ok].to_numpy(),
            "period": when[ok].dt.to_period(freq).to_numpy(),
            "near": (data.loc[ok, "tier"].astype(object) == "near_miss").to_numpy(),
            "comm": data.loc[ok, community].fillna("").astype(str).to_numpy(),
        }
    )
    grid = pd.period_range(frame["period"].min(), frame["period"].max(), freq=freq)
    counts = (
        frame[frame["near"]]
        .groupby(["place", "period"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=pd.unique(frame["place"]), columns=grid, fill_value=0)
        .astype(float)
    )
    comm = (
        frame.groupby(["place", "comm"])
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["place", "n"], ascending=[True, False])
        .drop_duplicates("place")
        .set_index("place")["comm"]
        .reindex(counts.index)
    )
    recent = counts.T.rolling(window, min_periods=1).sum().T
    base = counts.T.shift(window, fill_value=0).rolling(history, min_periods=1).sum().T
    t = np.arange(len(grid))
    b_len = np.minimum(np.maximum(t - window + 1, 0), history).astype(float)
    comm_base = base.groupby(comm.to_numpy()).transform("sum")
    others = np.maximum(comm.map(comm.value_counts()).to_numpy() - 1, 1)[:, None]
    r_nb = (comm_base - base) / others / np.maximum(b_len, 1)
    a = np.maximum(base + prior * r_nb, 0.5)
    b = b_len + prior
    prob = b / (b + window)
    p = np.where(recent > 0, betainc(np.maximum(recent, 1), a, 1 - prob), 1.0)
    return pd.DataFrame(p, index=counts.index, columns=grid), recent


def one_size(n: int, folder: Path) -> dict:
    import numpy as np
    import pandas as pd

    from commlib import heinrich
    from commlib.heinrich._tiers import _severity_tiers

    df = pd.read_parquet(_input(n, folder))
    sampler = PeakSampler()
    figures: dict = {"n": n, "rows": len(df)}

    def timed(name, fn, *args, **kwargs):
        sampler.reset()
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn(*args, **kwargs)
        figures[name] = {
            "wall": round(time.perf_counter() - w0, 2),
            "cpu": round(time.process_time() - c0, 2),
            "peak_mib": round(sampler.peak / 2**20),
        }
        return out

    cols = ("title", "text")
    tiers = timed("tiers", heinrich.severity_tiers, df)
    plain = timed("tiers_plain", _severity_tiers, df, rules=None, columns=cols, fast=False)
    pd.testing.assert_frame_equal(tiers, plain)
    del plain
    result = timed("alerts", heinrich.near_miss_alerts, tiers, community="community")
    p, recent = timed("alerts_plain", plain_alerts, tiers, by="address_key", community="community")
    weekly = result.weekly
    got = p.stack().rename("p").reset_index()
    got.columns = ["place", "period", "p"]
    got["recent"] = recent.stack().to_numpy()
    got = got[got["recent"] > 0]
    got["period_end"] = got["period"].dt.end_time.dt.normalize()
    merged = weekly.merge(got, on=["place", "period_end"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all(), merged["_merge"].value_counts()
    np.testing.assert_allclose(merged["p_value"], merged["p"], rtol=1e-9)
    sampler.stop()
    figures["tiered"] = int(tiers["tier"].notna().sum())
    figures["alerts_found"] = len(result.alerts)
    return figures


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        print(json.dumps(one_size(int(argv[1]), Path(argv[2]))))
        return
    sizes = [int(a) for a in argv] or [100_000]
    folder = Path(os.environ.get("COMMLIB_BENCH_DIR") or tempfile.mkdtemp(prefix="nm_bench_"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in sizes:
        _input(n, folder)
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n), str(folder)],
            check=True,
            capture_output=True,
            text=True,
        )
        fig = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(fig)
        print(f"\n{n:,} generated tickets ({fig['rows']:,} after cleaning)")
        print(f"{'step':14} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} {'plain/commlib CPU':>18}")
        for step in ("tiers", "alerts"):
            mine, base = fig[step], fig[f"{step}_plain"]
            ratio = base["cpu"] / max(mine["cpu"], 1e-9)
            for name, f in ((step, mine), (f"{step} (plain)", base)):
                print(f"{name:14} {f['wall']:8.2f} {f['cpu']:8.2f} {f['peak_mib']:9d}", end="")
                print(f" {ratio:17.1f}x" if f is mine else "")
        print(f"tiered {fig['tiered']:,}, alerts {fig['alerts_found']}; results equal")
    for a, b in zip(rows, rows[1:], strict=False):
        for step in ("tiers", "alerts"):
            r = b[step]["cpu"] / max(a[step]["cpu"], 1e-9)
            print(f"CPU {step}: {b['n']:,} / {a['n']:,} = {r:.2f} (rows x{b['n'] / a['n']:.1f})")


if __name__ == "__main__":
    main(sys.argv[1:])
