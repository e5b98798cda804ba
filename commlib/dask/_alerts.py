"""Near-miss alerts of a Dask frame: :func:`commlib.near_miss_alerts` per community partition."""

from __future__ import annotations

import numpy as np
import pandas as pd

from commlib.dask._community import (
    GROUP,
    PLACE,
    POS,
    aliases_and_offsets,
    in_order,
    merged_places,
    regroup,
    shared_arg,
)
from commlib.errors import require_columns


def _tiers(part: pd.DataFrame, tier: str, rules) -> pd.Series:
    from commlib.heinrich._pyramid import _with_tiers

    return _with_tiers(part, tier, rules)[tier].astype("str")


def _ok_places(part, *, date, by, community, aliases):
    when = part[date]
    places = merged_places(part, by, aliases) if by == "address_key" else part[by].astype("str")
    ok = when.notna().to_numpy() & places.notna().to_numpy()
    return places, ok


def _place_facts(part, opts: dict, aliases: dict):
    """Rows per (place, community) and the first and last date, over the rows counted."""
    places, ok = _ok_places(part, aliases=aliases, **opts)
    comm = opts["community"]
    c = (
        part[comm].fillna("").astype(str).to_numpy()[ok]
        if comm is not None
        else np.full(int(ok.sum()), "", dtype=object)
    )
    counts = pd.DataFrame({"p": places.to_numpy()[ok], "c": c}).groupby(["p", "c"]).size()
    when = part[opts["date"]][ok]
    return counts.rename("n").reset_index(), (when.min(), when.max()) if len(when) else None


def _prep(part, offset, opts: dict, aliases: dict, group_of: dict, tier: str, rules):
    """The columns near_miss_alerts reads, for the rows it counts, with their group."""
    places, ok = _ok_places(part, aliases=aliases, **opts)
    date, comm = opts["date"], opts["community"]
    out = pd.DataFrame(
        {
            POS: np.arange(offset, offset + len(part), dtype=np.int64),
            PLACE: places.to_numpy(),
            date: part[date].to_numpy(),
            tier: _tiers(part, tier, rules).to_numpy(),
        }
    )
    if comm is not None:
        out[comm] = part[comm].to_numpy()
    out = out.loc[ok]
    out[GROUP] = out[PLACE].map(group_of).astype("str")
    return out.reset_index(drop=True)


def _run(part, dtypes: dict, kwargs: dict):
    """near_miss_alerts on one regrouped partition: its weekly rows and place order."""
    from commlib.heinrich import near_miss_alerts

    if len(part) == 0:
        return None
    part = in_order(part, dtypes)
    res = near_miss_alerts(part, by=PLACE, **kwargs)
    first = part.groupby(PLACE, sort=False)[POS].min()
    return res.weekly, first


def near_miss_alerts(
    ddf,
    *,
    by: str = "address_key",
    freq: str = "W",
    window: int = 4,
    history: int = 52,
    prior_periods: float = 26.0,
    min_history: int = 8,
    alpha: float = 1e-4,
    min_count: int = 3,
    tier: str = "tier",
    date: str = "created_at",
    community: str | None = "community",
    merge_aliases: bool = True,
    rules=None,
    periods=None,
):
    """:func:`commlib.near_miss_alerts` of a Dask frame, one community at a time.

    Every place is compared with its own history and with the other places of its
    community, so a community's alerts need only its own rows. The rows are given
    their place as on the whole table (building aliases learned from counts over all
    partitions), each place its community (its most frequent one), and then shuffled
    so that a community lives in one partition; there the pandas function runs on
    the global period grid (``periods=``) and the weekly rows are gathered and cut
    into alerts as on one machine. The result equals the pandas path's on the same
    rows.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Clean tickets; ``date`` must be a datetime column (as
        :func:`commlib.dask.clean_tickets` gives it).
    by, freq, window, history, prior_periods, min_history, alpha, min_count, tier, date,
    community, merge_aliases, rules, periods
        As in :func:`commlib.near_miss_alerts`.

    Returns
    -------
    commlib.heinrich.AlertResult
        As :func:`commlib.near_miss_alerts` (pandas frames).

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd
    >>> weeks = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    >>> quiet = [f"青枫路350弄{i}号" for i in range(1, 11)]
    >>> rows = [(w, "楼道堆物", quiet[i % 10]) for i, w in enumerate(weeks[::3])]
    >>> rows += [(w, "有人飞线充电", "青枫路350弄7号") for w in weeks[34:38] for _ in (0, 1)]
    >>> df = pd.DataFrame(rows, columns=["created_at", "text", "address"])
    >>> res = near_miss_alerts(dd.from_pandas(df, npartitions=3))
    >>> str(res.alerts.iloc[0]["first_fired"].date())
    '2024-09-08'
    """
    import dask

    from commlib.dask._clean import _check_dask
    from commlib.heinrich import AlertResult
    from commlib.heinrich._alerts import _empty_alerts, _episodes

    _check_dask(ddf, "near_miss_alerts")
    if window < 1 or history < 1:
        raise ValueError("window and history must be at least 1 period.")
    meta = ddf._meta
    require_columns(meta, [date], where="near_miss_alerts")
    if not pd.api.types.is_datetime64_any_dtype(meta[date]):
        raise TypeError(
            f"near_miss_alerts on Dask needs {date!r} as datetimes, got dtype "
            f"{meta[date].dtype}: clean the tickets first (commlib.dask.clean_tickets)."
        )
    if by != "address_key":
        require_columns(meta, [by], where="near_miss_alerts")
    elif "address_key" not in meta.columns and "address" not in meta.columns:
        require_columns(meta, ["address_key"], where="near_miss_alerts")
    has_comm = community is not None and community in meta.columns
    comm = community if has_comm else None
    opts = {"date": date, "by": by, "community": comm}

    # 1. building aliases from the whole table (one row per key and its community)
    aliases, offsets = aliases_and_offsets(ddf, by, comm, merge_aliases)

    # 2. each place's community, and the period grid of the whole table
    facts = dask.compute(
        *[dask.delayed(_place_facts)(p, opts, shared_arg(aliases)) for p in ddf.to_delayed()]
    )
    counts = [f[0] for f in facts if len(f[0])]
    spans = [f[1] for f in facts if f[1] is not None]
    params = {
        "by": by,
        "freq": freq,
        "window": window,
        "history": history,
        "prior_periods": prior_periods,
        "min_history": min_history,
        "alpha": alpha,
        "min_count": min_count,
        "periods": periods,
    }
    if not counts:
        return AlertResult(_empty_alerts(), pd.DataFrame(), params)
    total = pd.concat(counts).groupby(["p", "c"])["n"].sum().reset_index()
    total = total.sort_values(["p", "n"], ascending=[True, False], kind="stable")
    group_of = total.drop_duplicates("p").set_index("p")["c"].to_dict()
    grid = periods
    if grid is None:
        grid = (min(s[0] for s in spans), max(s[1] for s in spans))

    # 3. a community per partition, the pandas function on each
    tier_rules = (tier, rules)
    parts, dtypes = regroup(ddf, _prep, offsets, (opts, aliases, group_of, *tier_rules))
    kwargs = {
        "freq": freq,
        "window": window,
        "history": history,
        "prior_periods": prior_periods,
        "min_history": min_history,
        "alpha": alpha,
        "min_count": min_count,
        "tier": tier,
        "date": date,
        "community": comm,
        "merge_aliases": False,
        "periods": grid,
    }
    done = [d for d in dask.compute(*[dask.delayed(_run)(p, dtypes, kwargs) for p in parts]) if d]
    first = pd.concat([d[1] for d in done])
    weekly = pd.concat([d[0] for d in done], ignore_index=True)
    # the whole table's order: places by their first counted row, then periods
    rank = weekly["place"].map(first).to_numpy()
    order = np.lexsort((weekly["period_end"].to_numpy(), rank))
    weekly = weekly.iloc[order].reset_index(drop=True)
    return AlertResult(_episodes(weekly), weekly, params)
