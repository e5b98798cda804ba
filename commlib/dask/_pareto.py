"""Pareto tables of a Dask frame: counts per partition, the ranking of :mod:`commlib.pareto`."""

from __future__ import annotations

import pandas as pd

from commlib._catalogue import check_lang
from commlib._util import period_alias
from commlib.errors import require_columns
from commlib.pareto._table import (
    _check_max_categories,
    _check_threshold,
    pareto_table_from_counts,
)


def _periods(s: pd.Series, alias: str) -> pd.Series:
    return s.dt.to_period(alias).dt.start_time


def _counts(ddf, *, by, weight, group, freq, dropna, where):
    """Counts (and weight sums) per label and group, and the rows left out by reason."""
    import dask

    from commlib.dask._clean import _check_dask

    _check_dask(ddf, where)
    needed = [by] + ([weight] if weight else []) + ([group] if group else [])
    require_columns(ddf._meta, needed, where=f"{where} input")
    if weight is not None and weight == by:
        raise ValueError(f"weight and by are the same column ({by!r}).")
    if group is not None and group == by:
        raise ValueError(f"group and by are the same column ({by!r}).")
    cols = list(dict.fromkeys(needed))
    sub = ddf[cols]
    lazy: dict = {"n_rows": sub.shape[0]}
    drop = None
    if weight is not None:
        w = sub[weight]
        if not (pd.api.types.is_numeric_dtype(w.dtype) or pd.api.types.is_bool_dtype(w.dtype)):
            raise TypeError(
                f"weight column {weight!r} must be numeric (hours, cost, a count), "
                f"got dtype {w.dtype}."
            )
        lazy["negative"] = (w < 0).any()
        drop = w.isna()
        lazy["missing_weight"] = drop.sum()
    if group is not None:
        miss = sub[group].isna()
        lazy["missing_group"] = (miss & ~drop).sum() if drop is not None else miss.sum()
        drop = miss if drop is None else drop | miss
    if dropna:
        miss = sub[by].isna()
        lazy["missing_by"] = (miss & ~drop).sum() if drop is not None else miss.sum()
        drop = miss if drop is None else drop | miss
    work = sub if drop is None else sub[~drop]
    if freq:
        work = work.assign(**{group: work[group].map_partitions(_periods, period_alias(freq))})
    keys = [group, by] if group else [by]
    if weight is None and group is None:
        # split_out=1: the counts are small; more output partitions would start a shuffle.
        lazy["count"] = work[by].value_counts(dropna=False, sort=False, split_out=1)
    else:
        grouped = work.groupby(keys, dropna=False)
        lazy["count"] = grouped.size(split_out=1)
        if weight is not None:
            lazy["value"] = grouped[weight].sum(split_out=1)
    (done,) = dask.compute(lazy)
    if done["n_rows"] == 0:
        raise ValueError(f"{where} input got an empty table: there are no tickets to rank.")
    if done.get("negative"):
        raise ValueError(
            f"weight column {weight!r} has negative values; a Pareto chart needs "
            "non-negative amounts."
        )
    counts = done["count"].rename("count").to_frame()
    if weight is not None:
        counts["value"] = done["value"].reindex(counts.index)
    counts = counts.reset_index()
    if group is None and by not in counts.columns:
        counts = counts.rename(columns={counts.columns[0]: by})
    excluded = {
        k: int(done[k]) for k in ("missing_weight", "missing_group", "missing_by") if k in done
    }
    return counts, excluded


def pareto_table(
    ddf,
    *,
    by: str = "category",
    weight: str | None = None,
    threshold: float = 0.8,
    max_categories: int | None = None,
    other_label: str | None = None,
    dropna: bool = False,
    lang: str = "zh",
) -> pd.DataFrame:
    """:func:`commlib.pareto_table` of a Dask frame, from counts made per partition.

    The labels are counted (and weights summed) on each partition and the sums ranked
    by :func:`commlib.pareto.pareto_table_from_counts`, the ranking
    :func:`commlib.pareto_table` itself uses: the table and its ``attrs`` equal the
    pandas path's on the same rows (for a float ``weight``, sums may differ in the
    last bit, as summing in another order does).

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Ticket rows (or pre-counted rows with ``weight``).
    by, weight, threshold, max_categories, other_label, dropna, lang
        As in :func:`commlib.pareto_table`.

    Returns
    -------
    pandas.DataFrame
        As :func:`commlib.pareto_table`.

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd
    >>> df = pd.DataFrame({"category": ["快递", "快递", "快递", "噪音", "噪音", "绿化"]})
    >>> pareto_table(dd.from_pandas(df, npartitions=2))[["category", "count", "vital"]]
      category  count  vital
    0       快递      3   True
    1       噪音      2   True
    2       绿化      1  False
    """
    check_lang(lang)
    _check_threshold(threshold)
    _check_max_categories(max_categories)
    counts, excluded = _counts(
        ddf, by=by, weight=weight, group=None, freq=None, dropna=dropna, where="pareto_table"
    )
    return pareto_table_from_counts(
        counts,
        by=by,
        weight=weight,
        threshold=threshold,
        max_categories=max_categories,
        other_label=other_label,
        excluded=excluded,
        lang=lang,
    )


def pareto_by(
    ddf,
    *,
    by: str = "category",
    group: str = "community",
    weight: str | None = None,
    threshold: float = 0.8,
    max_categories: int | None = None,
    freq: str | None = None,
    other_label: str | None = None,
    dropna: bool = False,
    lang: str = "zh",
) -> pd.DataFrame:
    """:func:`commlib.pareto_by` of a Dask frame: one Pareto table per group, from counts.

    Counted per partition (per group and label), ranked by
    :func:`commlib.pareto.pareto_table_from_counts`: equal to the pandas path's
    table and ``attrs``.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Ticket rows.
    by, group, weight, threshold, max_categories, freq, other_label, dropna, lang
        As in :func:`commlib.pareto_by`.

    Returns
    -------
    pandas.DataFrame
        As :func:`commlib.pareto_by`.

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd
    >>> df = pd.DataFrame({"community": ["甲"] * 5 + ["乙"] * 2,
    ...                    "category": ["快递"] * 4 + ["噪音"] * 3})
    >>> pareto_by(dd.from_pandas(df, npartitions=3))[["community", "category", "count"]]
      community category  count
    0         乙       噪音      2
    1         甲       快递      4
    2         甲       噪音      1
    """
    check_lang(lang)
    _check_threshold(threshold)
    _check_max_categories(max_categories)
    if freq is not None:
        require_columns(ddf._meta, [group], where="pareto_by input")
        if not pd.api.types.is_datetime64_any_dtype(ddf._meta[group]):
            raise TypeError(
                f"freq={freq!r} needs a datetime column as group; {group!r} has dtype "
                f"{ddf._meta[group].dtype}. Parse it first (pd.to_datetime)."
            )
    counts, excluded = _counts(
        ddf, by=by, weight=weight, group=group, freq=freq, dropna=dropna, where="pareto_by"
    )
    return pareto_table_from_counts(
        counts,
        by=by,
        group=group,
        weight=weight,
        threshold=threshold,
        max_categories=max_categories,
        other_label=other_label,
        excluded=excluded,
        freq=freq,
        lang=lang,
    )
