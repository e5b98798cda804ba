"""link_sources on the real Boston 311 year (2015), and on nulls with no source.

Run from the project root: ``python benchmarks/eval_sources.py [folder] [--null N]``.
Reads every CSV of ``boston311_2015`` (one per request type; from ``$COMMLIB_REALDATA``
or ``../shared/realdata``) with ``read_tickets(columns="boston")``, cleans them with
``clean_tickets`` (repeat calls marked) and runs ``link_sources(kinds="auto")``. Prints
the candidates, the strong sources, the ten best places with their kinds, visits,
tickets and dates, and the time taken. Then, as a false-alarm check, it runs the same
call ``N`` times (default 5) on the year with the request types (with their
departments) shuffled across all tickets: no place has a multi-problem source there, so
every strong source is a false alarm. Skips with a message when the folder is absent.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _realdata import realdata  # noqa: E402


def _folder() -> Path:
    args = [a for a in sys.argv[1:] if not a.startswith("--") and not a.isdigit()]
    if args:
        return Path(args[0])
    return realdata("boston311_2015")


def load(folder: Path) -> pd.DataFrame | None:
    import commlib as cl

    files = sorted(folder.glob("*.csv"))
    if not files:
        return None
    raw = pd.concat([cl.read_tickets(f, columns="boston") for f in files], ignore_index=True)
    return cl.clean_tickets(raw, salt="eval_sources", n_jobs=1, lang="en").tickets


def main() -> None:
    from commlib.attribution import link_sources

    folder = _folder()
    n_null = int(sys.argv[sys.argv.index("--null") + 1]) if "--null" in sys.argv else 5
    df = load(folder)
    if df is None:
        print(f"skip: no Boston 311 CSV files in {folder}")
        return
    kw = {"kinds": "auto", "n_permutations": 19, "random_state": 0}
    t0 = time.perf_counter()
    links = link_sources(df, **kw)
    dt = time.perf_counter() - t0
    s = links.sources
    print(f"{len(df):,} tickets; {links!r}; {dt:.1f} s")
    print("set aside:", links.set_aside.to_dict())
    best_q = s["q_value"].min() if len(s) else float("nan")
    print(f"candidates {len(s):,}, strong {int(s['strong'].sum())}, best q {best_q:.3f}")
    pd.set_option("display.width", 200)
    pd.set_option("display.max_colwidth", 200)
    for _, row in s.head(10).iterrows():
        print(
            f"\n{row['source_id']} {row['place']}  strong={row['strong']} q={row['q_value']:.3f} "
            f"score={row['score']:.1f}\n  {row['n_tickets']} tickets, {row['n_visits']} visits, "
            f"{row['n_kinds']} kinds, {row['n_departments']} depts, "
            f"{row['first']:%Y-%m-%d %H:%M} .. {row['last']:%Y-%m-%d %H:%M} ({row['days']} d)"
        )
        members = links.mapping.index[links.mapping["source_id"] == row["source_id"]]
        m = df.loc[members, ["created_at", "category", "department", "channel"]]
        print(m.sort_values("created_at").to_string(header=False))

    # null: request types shuffled across all tickets (kinds and departments move together)
    rates = []
    for seed in range(n_null):
        rng = np.random.default_rng(seed)
        perm = rng.permutation(len(df))
        shuffled = df.copy()
        for col in ("category", "department"):
            shuffled[col] = df[col].to_numpy()[perm]
        null = link_sources(shuffled, **kw).sources
        rates.append((len(null), int(null["strong"].sum())))
        print(f"null seed {seed}: {len(null):,} candidates, {int(null['strong'].sum())} strong")
    n_strong = sum(r[1] for r in rates)
    print(
        f"null: {n_strong} strong in {n_null} runs ({n_strong / max(n_null, 1):.1f} a run); "
        f"runs with any strong: {sum(r[1] > 0 for r in rates)}/{n_null}; "
        f"against {int(s['strong'].sum())} strong on the real year"
    )


if __name__ == "__main__":
    main()
