"""Pareto tables: counting, ranking and the vital few (see :mod:`commlib.pareto`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib._util import missing_label, period_alias
from commlib.errors import require_columns

_TABLE_COLUMNS = ("count", "value", "share", "cum_share", "rank", "vital", "is_other")


# --------------------------------------------------------------------------- helpers


def _check_threshold(threshold: float) -> None:
    if not (isinstance(threshold, int | float) and 0 < threshold <= 1):
        raise ValueError(f"threshold must be a share in (0, 1], got {threshold!r}.")


def _check_max_categories(max_categories) -> None:
    if max_categories is not None and (
        not isinstance(max_categories, int | np.integer) or max_categories < 1
    ):
        raise ValueError(f"max_categories must be a positive integer, got {max_categories!r}.")


def _label_key(labels: pd.Series, is_missing: np.ndarray) -> np.ndarray:
    """Integer key that sorts like the labels (ascending), missing labels last."""
    key = np.zeros(len(labels), dtype=np.int64)
    present = labels[~is_missing]
    try:
        codes, uniques = pd.factorize(present, sort=True)
    except TypeError:  # mixed, unorderable labels (say ints and strings): sort as text
        codes, uniques = pd.factorize(present.astype(str), sort=True)
    key[~is_missing] = codes
    key[is_missing] = len(uniques)
    return key


def _replace_labels(labels: pd.Series, mask, new_label) -> pd.Series:
    """Put ``new_label`` where ``mask`` is true, widening the dtype only when needed."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return labels
    if pd.api.types.is_string_dtype(labels.dtype) and not isinstance(
        labels.dtype, pd.CategoricalDtype
    ):
        if isinstance(new_label, str):
            return labels.where(~mask, new_label)
    return labels.astype(object).where(~mask, new_label)


def _aggregate(
    df: pd.DataFrame,
    *,
    by: str,
    weight: str | None,
    group: str | None = None,
    freq: str | None = None,
    dropna: bool,
    lang: str,
    where: str,
) -> tuple[pd.DataFrame, dict]:
    """Count rows (and sum ``weight``) per label, and per group when given.

    Returns a frame with columns ``_group`` (if grouped), ``_label``, ``count``,
    ``value``, ``_missing`` and a dict of bookkeeping for ``attrs``.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{where} needs a pandas DataFrame, got {type(df).__name__}.")
    needed = [by] + ([weight] if weight else []) + ([group] if group else [])
    require_columns(df, needed, where=where)
    if weight is not None and weight == by:
        raise ValueError(f"weight and by are the same column ({by!r}).")
    if group is not None and group == by:
        raise ValueError(f"group and by are the same column ({by!r}).")
    n_rows = len(df)
    if n_rows == 0:
        raise ValueError(f"{where} got an empty table: there are no tickets to rank.")

    drop = np.zeros(n_rows, dtype=bool)
    excluded: dict[str, int] = {}
    if weight is not None:
        w = df[weight]
        if not (pd.api.types.is_numeric_dtype(w) or pd.api.types.is_bool_dtype(w)):
            raise TypeError(
                f"weight column {weight!r} must be numeric (hours, cost, a count), "
                f"got dtype {w.dtype}."
            )
        if (w < 0).any():
            raise ValueError(
                f"weight column {weight!r} has negative values; a Pareto chart needs "
                "non-negative amounts."
            )
        miss = w.isna().to_numpy()
        excluded["missing_weight"] = int(miss.sum())
        drop |= miss
    if group is not None:
        miss = df[group].isna().to_numpy()
        excluded["missing_group"] = int((miss & ~drop).sum())
        drop |= miss
    miss_by = df[by].isna().to_numpy()
    if dropna:
        excluded["missing_by"] = int((miss_by & ~drop).sum())
        drop |= miss_by
    n_excluded = int(drop.sum())
    cols = list(dict.fromkeys(needed))
    work = df.loc[~drop, cols] if n_excluded else df[cols]
    if len(work) == 0:
        raise ValueError(
            f"{where}: all {n_rows} rows were excluded ({excluded}); nothing left to rank."
        )

    # One pass over the rows: factorize the labels (missing values get their own code)
    # and sum with bincount. groupby would factorize the column twice.
    lab_codes, lab_uniques = pd.factorize(work[by], use_na_sentinel=False)
    n_lab = len(lab_uniques)
    w = None
    if weight is not None:
        w = work[weight].to_numpy(dtype=float)
    if group is None:
        count = np.bincount(lab_codes, minlength=n_lab)
        value = count if w is None else np.bincount(lab_codes, weights=w, minlength=n_lab)
        labels = pd.Series(lab_uniques, copy=False)
        groups = None
    else:
        gser = work[group]
        if freq:
            gser = gser.dt.to_period(period_alias(freq)).dt.start_time
        g_codes, g_uniques = pd.factorize(gser)
        combo = g_codes.astype(np.int64) * n_lab + lab_codes
        cells = len(g_uniques) * n_lab
        if cells <= 4 * len(work) + 1_000_000:
            count = np.bincount(combo, minlength=cells)
            keep = np.flatnonzero(count)
            count = count[keep]
            if w is not None:
                value = np.bincount(combo, weights=w, minlength=cells)[keep]
        else:  # many groups x many labels: count only the pairs that occur
            keep, inverse = np.unique(combo, return_inverse=True)
            count = np.bincount(inverse)
            if w is not None:
                value = np.bincount(inverse, weights=w)
        if w is None:
            value = count
        labels = pd.Series(lab_uniques.take(keep % n_lab), copy=False)
        groups = g_uniques.take(keep // n_lab)
    count = count.astype(np.int64)
    wdtype = None if weight is None else work[weight].dtype
    if w is not None and (
        pd.api.types.is_integer_dtype(wdtype) or pd.api.types.is_bool_dtype(wdtype)
    ):
        value = np.rint(value).astype(np.int64)  # integer weights keep integer totals
    info = {
        "n_rows": n_rows,
        "n_included": n_rows - n_excluded,
        "excluded_rows": n_excluded,
        "excluded": excluded,
    }
    return _count_frame(groups, labels, count, value, lang), info


def _count_frame(groups, labels: pd.Series, count, value, lang: str) -> pd.DataFrame:
    """The counts as the ranking takes them: ``_group``, ``_label``, ``count``, ``value``."""
    missing = labels.isna().to_numpy()
    columns = {}
    if groups is not None:
        columns["_group"] = groups
    # a Series keeps the labels' dtype (str, int, category) unless "(缺失)" widens it
    columns["_label"] = _replace_labels(labels, missing, missing_label(lang))
    columns["count"] = count
    columns["value"] = value
    columns["_missing"] = missing
    return pd.DataFrame(columns)


def _rank(
    agg: pd.DataFrame,
    *,
    threshold: float,
    max_categories: int | None,
    other_label: str | None,
    lang: str,
) -> tuple[pd.DataFrame, dict]:
    """Sort, accumulate and flag the vital few (per ``_group`` when present)."""
    grouped = "_group" in agg.columns
    value = agg["value"].to_numpy()
    lkey = _label_key(agg["_label"], agg["_missing"].to_numpy())
    if grouped:
        gcode, _ = pd.factorize(agg["_group"], sort=True)
        order = np.lexsort((lkey, -value, gcode))
    else:
        order = np.lexsort((lkey, -value))
    tab = agg.iloc[order].reset_index(drop=True)
    n = len(tab)
    value = tab["value"].to_numpy()
    if grouped:
        codes = gcode[order]
        starts = np.r_[True, codes[1:] != codes[:-1]]
        group_id = np.cumsum(starts) - 1
        start_idx = np.flatnonzero(starts)
        end_idx = np.r_[start_idx[1:], n] - 1
        cum = tab["value"].groupby(group_id, sort=False).cumsum().to_numpy()
        total = cum[end_idx][group_id]
        prev = np.where(starts, 0, np.r_[0, cum[:-1]])
        rank = np.arange(n) - start_idx[group_id] + 1
    else:
        cum = np.cumsum(value)
        total = np.full(n, cum[-1])
        prev = np.r_[0, cum[:-1]]
        rank = np.arange(1, n + 1)
    total_f = total.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = value.astype(float) / total_f
        cum_share = cum.astype(float) / total_f
    # A row is vital when the categories ranked above it have not yet reached the
    # threshold: the category that crosses the threshold is the last vital one.
    vital = (prev.astype(float) < threshold * total_f * (1 - 1e-12)) & (total_f > 0)
    tab = tab.assign(
        share=share,
        cum_share=cum_share,
        rank=rank.astype(np.int64),
        vital=vital,
        is_other=np.zeros(n, dtype=bool),
    )
    info = {"n_categories": int(len(tab)) if not grouped else None}
    if not grouped:
        info["n_vital"] = int(tab["vital"].sum())

    info["other_label"] = None
    info["n_other_categories"] = 0
    if max_categories is not None and (tab["rank"] > max_categories).any():
        tail_mask = (tab["rank"] > max_categories).to_numpy()
        head, tail = tab[~tail_mask], tab[tail_mask]
        kept = set(head["_label"].tolist())
        if other_label is None:
            other_label = t("common.other", lang)
            if other_label in kept:
                other_label = t("pareto.other_merged", lang)
        elif other_label in kept:
            raise ValueError(
                f"other_label {other_label!r} is also a category kept in the table; "
                "choose another label."
            )
        if grouped:
            other = tail.groupby("_group", sort=False, observed=True).agg(
                count=("count", "sum"),
                value=("value", "sum"),
                share=("share", "sum"),
                cum_share=("cum_share", "last"),
            )
            other = other.reset_index()
        else:
            other = pd.DataFrame(
                {
                    "count": [tail["count"].sum()],
                    "value": [tail["value"].sum()],
                    "share": [tail["share"].sum()],
                    "cum_share": [tail["cum_share"].iloc[-1]],
                }
            )
        other["_label"] = other_label
        other["_missing"] = False
        other["rank"] = np.int64(max_categories + 1)
        other["vital"] = False
        other["is_other"] = True
        head = head.copy()
        head["_label"] = head["_label"].astype(object)
        tab = pd.concat([head, other[head.columns]], ignore_index=True)
        if grouped:
            gcode, _ = pd.factorize(tab["_group"], sort=True)
            tab = tab.iloc[np.lexsort((tab["rank"].to_numpy(), gcode))].reset_index(drop=True)
        try:  # keep a plain string dtype when every label is text
            if all(isinstance(v, str) for v in tab["_label"]):
                tab["_label"] = tab["_label"].astype("str")
        except (TypeError, ValueError):  # pragma: no cover - defensive
            pass
        info["other_label"] = other_label
        info["n_other_categories"] = int(tail_mask.sum())
    tab["count"] = tab["count"].astype(np.int64)
    tab["rank"] = tab["rank"].astype(np.int64)
    tab["vital"] = tab["vital"].astype(bool)
    tab["is_other"] = tab["is_other"].astype(bool)
    return tab, info


def _is_table(data: pd.DataFrame, by: str, group: str | None = None) -> bool:
    need = {by, "value", "share", "cum_share", "rank", "vital"}
    if group is not None:
        need.add(group)
    return need.issubset(data.columns)


# ------------------------------------------------------------------------ the table


def pareto_table(
    df: pd.DataFrame,
    *,
    by: str = "category",
    weight: str | None = None,
    threshold: float = 0.8,
    max_categories: int | None = None,
    other_label: str | None = None,
    dropna: bool = False,
    lang: str = "zh",
) -> pd.DataFrame:
    """Rank the values of one column by how many tickets (or hours, cost) they account for.

    One row per category, largest first, with its share, the cumulative share and a
    ``vital`` flag for the "vital few": the smallest set of top categories whose
    cumulative share reaches ``threshold``. The category whose share crosses the
    threshold is vital; the one after it is not.

    Parameters
    ----------
    df : DataFrame
        Raw rows (one per ticket), or pre-counted rows with a count column passed as
        ``weight`` (``pareto_table(counts, weight="n")``).
    by : str, default "category"
        Column to rank: a category, department, community, or integer cluster labels.
    weight : str, optional
        Numeric column to sum instead of counting rows (hours, cost, or the count of a
        pre-counted table). Rows with a missing weight are left out and counted in
        ``attrs["excluded"]``; negative weights raise ``ValueError``.
    threshold : float, default 0.8
        Cumulative share that defines the vital few, in (0, 1].
    max_categories : int, optional
        Keep the top N categories and merge the rest into one "Other" row, placed last
        whatever its size and never vital (the vital flags of the kept rows are those
        of the full ranking).
    other_label : str, optional
        Label of the merged row. Default "其他" (``lang="zh"``) or "Other"; when a kept
        category already has that name, "其他（合并）" / "Other (merged)" is used.
    dropna : bool, default False
        False: missing values in ``by`` form a "(缺失)" / "(missing)" row, ranked like
        any other. True: they are left out and counted in ``attrs``.
    lang : {"zh", "en"}, default "zh"
        Language of the generated labels ("其他", "(缺失)").

    Returns
    -------
    DataFrame
        Columns: ``by`` (the category), ``count`` (number of rows), ``value`` (what the
        ranking uses: equal to ``count`` without ``weight``, the weight's sum with
        it), ``share`` and ``cum_share`` (of the total ``value``; the last ``cum_share``
        is exactly 1), ``rank`` (1 = largest; the Other row gets N + 1), ``vital`` and
        ``is_other``. ``attrs`` holds ``n_rows`` (input rows), ``n_included``,
        ``excluded_rows`` and ``excluded`` (rows left out, by reason), ``total`` (sum of
        ``value``), ``threshold``, ``n_categories`` (before merging), ``n_vital``,
        ``other_label``, ``n_other_categories``, ``by``, ``weight``, ``value`` (the
        name of what was summed: "count" or the weight column) and ``lang``.

    Raises
    ------
    MissingColumnsError
        If ``by`` or ``weight`` is not a column of ``df``.
    ValueError
        If ``df`` has no rows (or none left once missing values are excluded), or the
        total weight is 0.

    See Also
    --------
    pareto_chart : draw the table.
    pareto_by : one table per community or month.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"category": ["快递", "快递", "快递", "噪音", "噪音", "绿化"]})
    >>> pareto_table(df)[["category", "count", "cum_share", "vital"]]
      category  count  cum_share  vital
    0       快递      3   0.500000   True
    1       噪音      2   0.833333   True
    2       绿化      1   1.000000  False
    >>> pareto_table(df, max_categories=1)["category"].tolist()
    ['快递', '其他']
    """
    check_lang(lang)
    _check_threshold(threshold)
    _check_max_categories(max_categories)
    agg, info = _aggregate(
        df, by=by, weight=weight, dropna=dropna, lang=lang, where="pareto_table input"
    )
    return _table_from_agg(
        agg,
        info,
        by=by,
        weight=weight,
        threshold=threshold,
        max_categories=max_categories,
        other_label=other_label,
        lang=lang,
    )


def _table_from_agg(
    agg, info, *, by, weight, threshold, max_categories, other_label, lang
) -> pd.DataFrame:
    """:func:`pareto_table` from the counts: the ranking and the ``attrs`` (both paths)."""
    if float(agg["value"].sum()) <= 0:
        raise ValueError(f"The total of weight column {weight!r} is 0: shares are undefined.")
    tab, rinfo = _rank(
        agg,
        threshold=threshold,
        max_categories=max_categories,
        other_label=other_label,
        lang=lang,
    )
    out = tab.rename(columns={"_label": by})[[by, *_TABLE_COLUMNS]]
    total = agg["value"].sum()
    out.attrs = {
        **info,
        "total": total.item() if hasattr(total, "item") else total,
        "threshold": float(threshold),
        **rinfo,
        "missing_label": missing_label(lang),
        "by": by,
        "weight": weight,
        "value": weight if weight is not None else "count",
        "lang": lang,
    }
    return out


def pareto_by(
    df: pd.DataFrame,
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
    """One Pareto table per group (community, department, month), as one long table.

    Each group's rows are exactly what :func:`pareto_table` gives on that group's rows
    alone, so a community's vital few are its own, not the city's.

    Parameters
    ----------
    df : DataFrame
        Raw or pre-counted rows (see :func:`pareto_table`).
    by : str, default "category"
        Column to rank within each group.
    group : str, default "community"
        Column that splits the rows. With ``freq``, a datetime column binned into
        calendar periods (``freq="MS"``: months, labelled by their first day).
    weight, threshold, max_categories, other_label, dropna, lang
        As in :func:`pareto_table`, applied within each group.
    freq : str, optional
        Bin a datetime ``group`` column into calendar periods, each labelled by its
        first day: "MS" or "M" (months), "QS"/"Q" (quarters), "YS"/"Y" (years), "W"
        (weeks Monday to Sunday, labelled by the Monday), "D" (days).

    Returns
    -------
    DataFrame
        Columns ``group``, ``by``, ``count``, ``value``, ``share``, ``cum_share``,
        ``rank``, ``vital``, ``is_other``; sorted by group (ascending; chronological for
        dates), then rank. Rows with a missing group are left out and counted in
        ``attrs["excluded"]["missing_group"]``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"community": ["甲"] * 5 + ["乙"] * 2,
    ...                    "category": ["快递"] * 4 + ["噪音"] * 3})
    >>> pareto_by(df)[["community", "category", "count", "vital"]]
      community category  count  vital
    0         乙       噪音      2   True
    1         甲       快递      4   True
    2         甲       噪音      1  False
    """
    check_lang(lang)
    _check_threshold(threshold)
    _check_max_categories(max_categories)
    if freq is not None:
        require_columns(df, [group], where="pareto_by input")
        if not pd.api.types.is_datetime64_any_dtype(df[group]):
            raise TypeError(
                f"freq={freq!r} needs a datetime column as group; {group!r} has dtype "
                f"{df[group].dtype}. Parse it first (pd.to_datetime)."
            )
    agg, info = _aggregate(
        df,
        by=by,
        weight=weight,
        group=group,
        freq=freq,
        dropna=dropna,
        lang=lang,
        where="pareto_by input",
    )
    return _by_from_agg(
        agg,
        info,
        by=by,
        group=group,
        weight=weight,
        threshold=threshold,
        max_categories=max_categories,
        freq=freq,
        other_label=other_label,
        lang=lang,
    )


def _by_from_agg(
    agg, info, *, by, group, weight, threshold, max_categories, freq, other_label, lang
) -> pd.DataFrame:
    """:func:`pareto_by` from the counts: the ranking and the ``attrs`` (both paths)."""
    tab, rinfo = _rank(
        agg,
        threshold=threshold,
        max_categories=max_categories,
        other_label=other_label,
        lang=lang,
    )
    out = tab.rename(columns={"_group": group, "_label": by})[[group, by, *_TABLE_COLUMNS]]
    out.attrs = {
        **info,
        "threshold": float(threshold),
        "other_label": rinfo["other_label"],
        "missing_label": missing_label(lang),
        "by": by,
        "group": group,
        "freq": freq,
        "weight": weight,
        "value": weight if weight is not None else "count",
        "lang": lang,
    }
    return out


def pareto_table_from_counts(
    counts: pd.DataFrame,
    *,
    by: str = "category",
    group: str | None = None,
    weight: str | None = None,
    threshold: float = 0.8,
    max_categories: int | None = None,
    other_label: str | None = None,
    excluded: dict[str, int] | None = None,
    freq: str | None = None,
    lang: str = "zh",
) -> pd.DataFrame:
    """A Pareto table from counts made elsewhere (a database, Dask, one partition at a time).

    What :func:`pareto_table` (or, with ``group``, :func:`pareto_by`) gives on the rows
    that were counted, column for column and ``attrs`` included: both functions count
    their rows and then call the ranking this function calls, so the statistics have
    one home. :mod:`commlib.dask` counts each partition and hands the sums here.

    Parameters
    ----------
    counts : DataFrame
        One row per category (per group and category with ``group``): the category in
        ``by`` (a missing value is the "(缺失)" row), ``count`` (rows) and, with
        ``weight``, ``value`` (the sum of the weight over those rows). Rows with a
        count of 0 are ignored (a categorical's unobserved categories).
    by : str, default "category"
        Column of ``counts`` holding the categories.
    group : str, optional
        Column of ``counts`` holding the groups: the result is :func:`pareto_by`'s.
    weight : str, optional
        Name of the summed weight column, recorded in ``attrs``; ``counts`` must then
        have ``value``.
    threshold, max_categories, other_label, lang
        As in :func:`pareto_table`.
    excluded : dict, optional
        Rows left out before counting, by reason (``missing_by``, ``missing_weight``,
        ``missing_group``), recorded in ``attrs`` as :func:`pareto_table` does.
    freq : str, optional
        The period the groups were binned by, recorded in ``attrs`` (with ``group``).

    Returns
    -------
    DataFrame
        As :func:`pareto_table` (or :func:`pareto_by` with ``group``).

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({"category": ["噪音", "快递", "绿化"], "count": [2, 3, 1]})
    >>> tab = pareto_table_from_counts(counts)
    >>> tab[["category", "count", "cum_share", "vital"]]
      category  count  cum_share  vital
    0       快递      3   0.500000   True
    1       噪音      2   0.833333   True
    2       绿化      1   1.000000  False
    >>> df = pd.DataFrame({"category": ["快递", "快递", "快递", "噪音", "噪音", "绿化"]})
    >>> tab.equals(pareto_table(df)) and tab.attrs == pareto_table(df).attrs
    True
    """
    check_lang(lang)
    _check_threshold(threshold)
    _check_max_categories(max_categories)
    where = "pareto_table_from_counts input"
    needed = [by, "count"] + (["value"] if weight is not None else []) + ([group] if group else [])
    require_columns(counts, [c for c in needed if c is not None], where=where)
    counts = counts.loc[counts["count"].to_numpy() > 0]
    excluded = dict(excluded or {})
    n_excluded = int(sum(excluded.values()))
    n_included = int(counts["count"].sum())
    if n_included == 0:
        if n_excluded == 0:
            raise ValueError(f"{where} got an empty table: there are no tickets to rank.")
        raise ValueError(
            f"{where}: all {n_excluded} rows were excluded ({excluded}); nothing left to rank."
        )
    count = counts["count"].to_numpy().astype(np.int64)
    value = count if weight is None else counts["value"].to_numpy()
    labels = counts[by].reset_index(drop=True)
    groups = None if group is None else counts[group].reset_index(drop=True)
    agg = _count_frame(groups, labels, count, value, lang)
    info = {
        "n_rows": n_included + n_excluded,
        "n_included": n_included,
        "excluded_rows": n_excluded,
        "excluded": excluded,
    }
    opts = {"threshold": threshold, "max_categories": max_categories, "lang": lang}
    if group is None:
        return _table_from_agg(agg, info, by=by, weight=weight, other_label=other_label, **opts)
    return _by_from_agg(
        agg, info, by=by, group=group, weight=weight, freq=freq, other_label=other_label, **opts
    )
