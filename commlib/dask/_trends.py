"""Share trends of a Dask frame: counts per partition, the test of :mod:`commlib.trends`."""

from __future__ import annotations

import pandas as pd

from commlib.errors import require_columns
from commlib.trends._share import (
    ShareTrend,
    _check_args,
    _rising,
    share_trend_from_counts,
    ticket_counts,
)


def _part_counts(part: pd.DataFrame, **kwargs) -> pd.DataFrame:
    return ticket_counts(part, **kwargs)[0]


def _counts(ddf, *, by, freq, group, date, start, end, where):
    """The (group, period, category) counts over all partitions and the rows left out."""
    import dask

    from commlib.dask._clean import _check_dask

    _check_dask(ddf, where)
    cols = list(dict.fromkeys([by, date] + ([group] if group else [])))
    require_columns(ddf._meta, cols, where=f"{where} input")
    kwargs = dict(by=by, freq=freq, group=group, date=date, start=start, end=end)
    sub = ddf[cols]
    meta = _part_counts(sub._meta, **kwargs)
    per_part = sub.map_partitions(_part_counts, meta=meta, **kwargs)
    keys = ([group] if group else []) + ["period", by]
    # split_out=1: the counts are small (periods x categories); more output
    # partitions would start a shuffle
    summed = per_part.groupby(keys, observed=True)["count"].sum(split_out=1)
    n_rows, counts = dask.compute(sub.shape[0], summed)
    counts = counts.rename("count").reset_index()
    return counts, int(n_rows) - int(counts["count"].sum())


def share_trend(
    ddf,
    *,
    by: str = "category",
    freq: str = "MS",
    group: str | None = None,
    date: str = "created_at",
    start=None,
    end=None,
    min_count: int = 10,
    alpha: float = 0.05,
    season="auto",
) -> ShareTrend:
    """:func:`commlib.share_trend` of a Dask frame, from counts made per partition.

    Each partition counts its tickets per (group,) period and category with the
    counting :func:`commlib.share_trend` uses, the small count tables are summed and
    tested by :func:`commlib.trends.share_trend_from_counts`: the result equals the
    pandas path's on the same rows. Give ``date`` as a datetime column (a text column
    is parsed per partition, where the format guess may differ from the whole
    column's).

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Ticket rows.
    by, freq, group, date, start, end, min_count, alpha, season
        As in :func:`commlib.share_trend`.

    Returns
    -------
    ShareTrend
        As :func:`commlib.share_trend`.

    Examples
    --------
    >>> import dask.dataframe as dd, numpy as np, pandas as pd
    >>> months = np.repeat(pd.date_range("2024-01-01", periods=6, freq="MS"), 50)
    >>> cat = np.where(np.arange(300) % 50 < np.repeat(np.arange(6) * 5 + 5, 50), "快递", "噪音")
    >>> df = pd.DataFrame({"created_at": months, "category": cat})
    >>> res = share_trend(dd.from_pandas(df, npartitions=3))
    >>> res.trends[["category", "direction"]]
      category direction
    0       快递    rising
    1       噪音   falling
    """
    _check_args(alpha, season)
    counts, n_out = _counts(
        ddf, by=by, freq=freq, group=group, date=date, start=start, end=end, where="share_trend"
    )
    return share_trend_from_counts(
        counts,
        by=by,
        freq=freq,
        group=group,
        min_count=min_count,
        alpha=alpha,
        season=season,
        excluded={"rows_outside_or_missing": n_out},
    )


def rising_factors(
    ddf,
    *,
    by: str = "category",
    freq: str = "MS",
    group: str | None = None,
    date: str = "created_at",
    start=None,
    end=None,
    min_count: int = 10,
    alpha: float = 0.05,
    min_change: float = 0.0,
    season="auto",
) -> pd.DataFrame:
    """:func:`commlib.rising_factors` of a Dask frame (see :func:`share_trend`).

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Ticket rows.
    by, freq, group, date, start, end, min_count, alpha, min_change, season
        As in :func:`commlib.rising_factors`.

    Returns
    -------
    pandas.DataFrame
        As :func:`commlib.rising_factors`.

    Examples
    --------
    >>> import dask.dataframe as dd, numpy as np, pandas as pd
    >>> months = np.repeat(pd.date_range("2024-01-01", periods=6, freq="MS"), 50)
    >>> cat = np.where(np.arange(300) % 50 < np.repeat(np.arange(6) * 5 + 5, 50), "快递", "噪音")
    >>> df = pd.DataFrame({"created_at": months, "category": cat})
    >>> rising_factors(dd.from_pandas(df, npartitions=2))[["rank", "category"]]
       rank category
    0     1       快递
    """
    res = share_trend(
        ddf,
        by=by,
        freq=freq,
        group=group,
        date=date,
        start=start,
        end=end,
        min_count=min_count,
        alpha=alpha,
        season=season,
    )
    return _rising(res, res.trends["significant"], alpha, min_change)
