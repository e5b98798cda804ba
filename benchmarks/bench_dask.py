"""Time commlib.dask on a LocalCluster against the single-process pandas path, same run.

Usage: ``python benchmarks/bench_dask.py [--n 1000000] [--workers 2] [--skip-pandas]
[--analyses] [--memory-limit 6GB]``.

Generates ``n`` tickets (``make_tickets(n, random_state=0)``; above 2,000,000 in pieces
of 1,000,000 with ``random_state`` 0, 1, ...), writes them as Parquet, one file per
month of creation (``archive/2024-01.parquet`` ...; unreadable dates in
``unknown.parquet``; one file per month and piece when generated in pieces), then runs, each in its own process so peak memory is its own:

- pandas: ``commlib.read_tickets`` per file, concatenated, ``commlib.clean_tickets``
  (default threads), ``commlib.pareto_table`` of the clean tickets;
- dask: a ``LocalCluster`` of ``--workers`` single-threaded worker processes on
  127.0.0.1, ``commlib.dask.read_tickets``, ``clean_tickets`` (the clean tickets made
  on the workers and hashed there; persisted only with ``--analyses``),
  ``pareto_table``.

With ``--analyses`` both paths then run, on the clean tickets, ``share_trend``
(monthly), ``near_miss_alerts`` (weekly), ``link_sources`` (9 permutations) and themes
(a ``TicketClusterer`` with k = 20 fitted on the 10,000 tickets with the smallest row
hash, then every ticket assigned: ``commlib.dask.assign_themes`` on the cluster, fit
and ``predict`` in pandas), each timed, and their results compared.

Prints wall time, CPU seconds (driver and workers), peak memory (driver plus the sum of
the workers' peaks), rows per second per core, rows per CPU-second, the load average
before and after (the machine may be shared: ratios from one run survive a busy
machine better than seconds), and whether both paths gave the same tables (hashes of
tickets, rejected rows, duplicates, the log's counts and notes, the Pareto table and
its attrs).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SALT = "bench-salt"
LOG_FACTS = ["step", "rows_in", "rows_out", "rows_changed", "note", "note_code", "note_params"]


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _peak_mb() -> float:
    """This process's peak resident memory since it started (``VmHWM`` on Linux).

    Not ``ru_maxrss``: Linux keeps a forked child's ``ru_maxrss`` across ``exec``, so a
    child started after generating the archive would report the parent's size (2.9 GB
    at 1M; the 7.6 GB "driver" of an earlier 5M run was mostly that).
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = next(x for x in status.splitlines() if x.startswith("VmHWM"))
    return int(line.split()[1]) / 1024


def _digest(frame) -> str:
    """Order-sensitive hash of a pandas frame: values, index, columns and dtypes."""
    import hashlib

    import pandas as pd

    h = hashlib.sha256()
    h.update(repr([(c, str(t)) for c, t in frame.dtypes.items()]).encode())
    rows = pd.util.hash_pandas_object(frame.astype(str), index=True).to_numpy()
    h.update(rows.tobytes())
    return h.hexdigest()[:16]


def _text_digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _part_hash(part):
    """One partition's row hashes as bytes (run on the workers)."""
    import pandas as pd

    rows = pd.util.hash_pandas_object(part.astype(str), index=True).to_numpy()
    return pd.DataFrame({"h": [rows.tobytes()]})


#: Above this many tickets the archive is generated in pieces of this size (piece i with
#: ``random_state=i``), so that generating 10,000,000 tickets does not need them all in
#: memory at once; each piece adds its own file per month (``2024-01-p03.parquet``).
GENERATE_PIECE = 1_000_000


def generate(n: int, folder: Path) -> dict:
    import pandas as pd

    from commlib.datasets import make_tickets

    t0 = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [n] if n <= 2 * GENERATE_PIECE else [GENERATE_PIECE] * (n // GENERATE_PIECE)
    if sum(sizes) < n:
        sizes.append(n - sum(sizes))
    months = set()
    for i, size in enumerate(sizes):
        raw = make_tickets(size, random_state=i)
        when = pd.to_datetime(raw["created_at"], format="mixed", errors="coerce")
        month = when.dt.strftime("%Y-%m").fillna("unknown")
        part = "" if len(sizes) == 1 else f"-p{i:02d}"
        for m in sorted(month.unique()):
            raw.loc[month == m].to_parquet(folder / f"{m}{part}.parquet", index=False)
        months |= set(month.unique())
        del raw, when, month
    return {
        "files": len(_files(folder)),
        "months": len(months),
        "pieces": len(sizes),
        "seconds": round(time.perf_counter() - t0, 1),
    }


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.parquet"))


def run_pandas(folder: Path) -> dict:
    import pandas as pd

    import commlib

    c0, t0 = _cpu(), time.perf_counter()
    raw = pd.concat([commlib.read_tickets(f) for f in _files(folder)], ignore_index=True)
    t_read = time.perf_counter()
    result = commlib.clean_tickets(raw, salt=SALT)
    t_clean = time.perf_counter()
    table = commlib.pareto_table(result.tickets)
    t_end = time.perf_counter()
    analyses = _pandas_analyses(result.tickets) if ANALYSES else {}
    return {
        "analyses": analyses,
        "rows": len(raw),
        "read_s": round(t_read - t0, 1),
        "clean_s": round(t_clean - t_read, 1),
        "pareto_s": round(t_end - t_clean, 2),
        "total_s": round(t_end - t0, 1),
        "cpu_s": round(_cpu() - c0, 1),
        "peak_mb": round(_peak_mb()),
        "digests": _digests(result.tickets, result, table),
    }


#: Set by ``--analyses`` (in the child processes too).
ANALYSES = False
THEME_K = 20
THEME_N = 10_000


def _analysis_digests(trend, alerts, links, themes) -> dict:
    return {
        "share_trend": _digest(trend.trends),
        "near_miss_alerts": _digest(alerts.alerts) + "/" + _digest(alerts.weekly),
        "link_sources": _digest(links.sources) + "/" + _digest(links.mapping),
        "themes": _digest(themes),
    }


def _timed(out: dict, name: str, fn):
    c0, t0 = _cpu(), time.perf_counter()
    value = fn()
    out[name + "_s"] = round(time.perf_counter() - t0, 1)
    out[name + "_driver_cpu_s"] = round(_cpu() - c0, 1)
    return value


def _pandas_analyses(tickets) -> dict:
    import numpy as np

    import commlib
    from commlib.cluster import TicketClusterer, assign_themes
    from commlib.dask._themes import _below, _smallest

    out: dict = {}
    trend = _timed(out, "share_trend", lambda: commlib.share_trend(tickets))
    alerts = _timed(out, "near_miss_alerts", lambda: commlib.near_miss_alerts(tickets))
    links = _timed(out, "link_sources", lambda: commlib.link_sources(tickets, n_permutations=9))

    def themes():
        # the sample commlib.dask draws (smallest row hashes), drawn in this process
        opts = {"text": "text", "key": None, "random_state": 0}
        cut = _smallest(tickets, THEME_N, opts)[-1]
        sample = _below(tickets, cut, opts)
        model = TicketClusterer(n_clusters=THEME_K, random_state=0).fit(sample["text"])
        return assign_themes(tickets, model)["theme_id"]

    labels = _timed(out, "themes", themes)
    import pandas as pd

    out["digests"] = _analysis_digests(
        trend, alerts, links, pd.DataFrame({"theme_id": np.asarray(labels, dtype=np.int64)})
    )
    return out


def _dask_analyses(tickets) -> dict:
    import numpy as np
    import pandas as pd

    import commlib.dask as cd
    from commlib.cluster import TicketClusterer

    out: dict = {}
    trend = _timed(out, "share_trend", lambda: cd.share_trend(tickets))
    alerts = _timed(out, "near_miss_alerts", lambda: cd.near_miss_alerts(tickets))
    links = _timed(out, "link_sources", lambda: cd.link_sources(tickets, n_permutations=9))

    def themes():
        model = TicketClusterer(n_clusters=THEME_K, random_state=0)
        assigned = cd.assign_themes(tickets, model, n=THEME_N)
        return assigned["theme_id"].compute()

    labels = _timed(out, "themes", themes)
    out["digests"] = _analysis_digests(
        trend, alerts, links, pd.DataFrame({"theme_id": np.asarray(labels, dtype=np.int64)})
    )
    return out


def _digests(tickets, result, table) -> dict:
    rejected = result.rejected if not hasattr(result.rejected, "compute") else None
    duplicates = result.duplicates if not hasattr(result.duplicates, "compute") else None
    if rejected is None:
        rejected, duplicates = result.rejected.compute(), result.duplicates.compute()
    return {
        "tickets": tickets if isinstance(tickets, str) else _digest(tickets),
        "rejected": _digest(rejected),
        "duplicates": _digest(duplicates),
        "log": _digest(result.log[LOG_FACTS]),
        "pareto": _digest(table) + "/" + _text_digest(json.dumps(table.attrs, default=str)),
        "counts": [len(rejected), len(duplicates)],
    }


def _worker_stats() -> dict:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu": r.ru_utime + r.ru_stime, "peak_mb": _peak_mb()}


#: Set by ``--memory-limit`` (per worker; "0": none, the workers never spill to disk).
MEMORY_LIMIT = "0"


def run_dask(folder: Path, workers: int) -> dict:
    import hashlib

    from distributed import Client, LocalCluster

    import commlib.dask as cd

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        memory_limit=0 if MEMORY_LIMIT == "0" else MEMORY_LIMIT,
    )
    client = Client(cluster)
    before = client.run(_worker_stats)
    c0, t0 = _cpu(), time.perf_counter()
    ddf = cd.read_tickets(folder / "*.parquet")
    result = cd.clean_tickets(ddf, salt=SALT)
    t_log = time.perf_counter()
    peak_at_log = _peak_mb()
    # Persisted only for the analyses, which read the clean tickets several times;
    # otherwise each clean partition is made, hashed and let go (the workers hold the
    # cleaned rows once, not twice).
    tickets = result.tickets.persist() if ANALYSES else result.tickets
    # The tickets' digest is made on the workers, partition by partition, then joined.
    parts = tickets.map_partitions(_part_hash, meta={"h": object}).compute()
    dtypes = tickets._meta.dtypes
    t_clean = time.perf_counter()
    table = cd.pareto_table(tickets)
    t_end = time.perf_counter()
    analyses = _dask_analyses(tickets) if ANALYSES else {}
    after = client.run(_worker_stats)
    h = hashlib.sha256()
    h.update(repr([(c, str(t)) for c, t in dtypes.items()]).encode())
    h.update(b"".join(parts["h"].tolist()))
    # a worker restarted by its nanny (over its --memory-limit) is a new process: its
    # figures start again, and the restart is counted
    restarted = sum(w not in before for w in after)
    worker_cpu = sum(after[w]["cpu"] - before.get(w, {"cpu": 0.0})["cpu"] for w in after)
    worker_peak = sum(after[w]["peak_mb"] for w in after)
    out = {
        "analyses": analyses,
        "rows": result.rows_in,
        "partitions": ddf.npartitions,
        "clean_to_log_s": round(t_log - t0, 1),
        "clean_s": round(t_clean - t0, 1),
        "pareto_s": round(t_end - t_clean, 2),
        "total_s": round(t_end - t0, 1),
        "driver_cpu_s": round(_cpu() - c0, 1),
        "worker_cpu_s": round(worker_cpu, 1),
        "driver_peak_mb": round(_peak_mb()),
        "driver_peak_at_log_mb": round(peak_at_log),
        "workers_restarted": restarted,
        "worker_peak_mb": round(worker_peak),
        "digests": _digests(h.hexdigest()[:16], result, table),
        "log_seconds": dict(zip(result.log["step"], result.log["seconds"], strict=True)),
    }
    client.close()
    cluster.close()
    return out


def _child(kind: str, folder: Path, workers: int) -> dict:
    """Run one path in a fresh Python process; its own peak memory, its own CPU."""
    cmd = [sys.executable, __file__, "--child", kind, "--folder", str(folder)]
    cmd += ["--workers", str(workers)] + (["--analyses"] if ANALYSES else [])
    cmd += ["--memory-limit", MEMORY_LIMIT]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        print(done.stderr[-3000:])
        raise SystemExit(f"{kind} run failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--child", choices=["pandas", "dask"], default=None)
    parser.add_argument(
        "--analyses",
        action="store_true",
        help="also time share_trend, near_miss_alerts, link_sources and themes",
    )
    parser.add_argument(
        "--memory-limit",
        default="0",
        help="memory of each worker before Dask spills to disk, e.g. 6GB (default 0: none)",
    )
    args = parser.parse_args()
    global ANALYSES, MEMORY_LIMIT
    ANALYSES = args.analyses
    MEMORY_LIMIT = args.memory_limit
    if args.child:
        run = (
            run_pandas(args.folder)
            if args.child == "pandas"
            else run_dask(args.folder, args.workers)
        )
        print(json.dumps(run))
        return

    load0 = os.getloadavg()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="bench_dask_")) / "archive"
    if not _files(folder):
        print(f"generating {args.n:,} tickets into {folder} ...", flush=True)
        print("  ", generate(args.n, folder), flush=True)
    cores = os.cpu_count()
    print(f"cores {cores}, load average before {load0}", flush=True)
    pandas_run = None if args.skip_pandas else _child("pandas", folder, args.workers)
    dask_run = _child("dask", folder, args.workers)
    load1 = os.getloadavg()
    n = dask_run["rows"]
    if pandas_run:
        p = pandas_run
        print(
            f"pandas (1 process): read {p['read_s']} s, clean {p['clean_s']} s, pareto "
            f"{p['pareto_s']} s, total {p['total_s']} s, CPU {p['cpu_s']} s, peak "
            f"{p['peak_mb']} MB; {n / p['total_s']:,.0f} rows/s, "
            f"{n / p['cpu_s']:,.0f} rows per CPU-second"
        )
    d = dask_run
    cpu = d["driver_cpu_s"] + d["worker_cpu_s"]
    print(
        f"dask ({args.workers} workers x 1 thread, {d['partitions']} partitions): log ready "
        f"{d['clean_to_log_s']} s, read+clean, tickets made and hashed {d['clean_s']} s, "
        f"pareto {d['pareto_s']} s, total {d['total_s']} s; CPU {cpu:.1f} s (driver "
        f"{d['driver_cpu_s']}, workers {d['worker_cpu_s']}); peak driver "
        f"{d['driver_peak_mb']} MB ({d['driver_peak_at_log_mb']} MB when the log was "
        f"ready) + workers {d['worker_peak_mb']} MB ({d['workers_restarted']} restarted: "
        "their CPU and peak before the restart are lost); "
        f"{n / d['total_s'] / args.workers:,.0f} rows/s per core, "
        f"{n / cpu:,.0f} rows per CPU-second"
    )
    print("dask log seconds:", d["log_seconds"])
    if pandas_run:
        same = pandas_run["digests"] == dask_run["digests"]
        print(f"dask / pandas wall time: {d['total_s'] / p['total_s']:.2f}")
        print("bit-identical (tickets, rejected, duplicates, log, pareto+attrs):", same)
        if not same:
            print(" pandas", pandas_run["digests"], "\n dask  ", dask_run["digests"])
    for name in ("share_trend", "near_miss_alerts", "link_sources", "themes"):
        if name + "_s" not in d["analyses"]:
            continue
        line = f"{name}: dask {d['analyses'][name + '_s']} s"
        if pandas_run:
            pa = pandas_run["analyses"]
            same = pa["digests"][name] == d["analyses"]["digests"][name]
            line += f", pandas {pa[name + '_s']} s, same result: {same}"
        print(line)
    print(f"load average after {load1}")


if __name__ == "__main__":
    main()
