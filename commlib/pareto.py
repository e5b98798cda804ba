"""Pareto analysis: which few causes make most of the tickets, and did an action shrink them.

The functions work on raw ticket rows (one row per ticket) or on pre-counted input
(pass the count column as ``weight=``), and on any column: categories, departments,
communities or integer cluster labels.

- :func:`pareto_table` ranks the values of one column, with shares, cumulative shares
  and the "vital few"; :func:`pareto_chart` draws it.
- :func:`pareto_by` and :func:`pareto_by_chart` do the same per community or per month.
- :func:`compare_pareto` measures a change between two periods (rates per day with an
  exact Poisson test, shares with a chi-square or Fisher test, Holm-adjusted), with a
  one-sentence summary per category; :func:`compare_pareto_chart` draws it.
- :func:`vital_few_test` asks whether the top causes really stand out from what evenly
  spread causes would give (Wilkinson's Pareto dot plot, by Monte Carlo).

Conventions shared by every function here
-----------------------------------------
- The ranking is deterministic: value descending, then label ascending.
- Missing values in ``by`` are never dropped silently. With ``dropna=False`` (the
  default) they form their own row labelled "(缺失)" ("(missing)" in English) that is
  ranked like any other category; with ``dropna=True`` they are left out and counted in
  ``attrs["excluded"]["missing_by"]``. Rows whose ``weight`` is missing are always left
  out and counted in ``attrs["excluded"]["missing_weight"]``.
- The input is never mutated.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib._compat import renamed_parameters
from commlib._util import has_cjk, holm, missing_label, period_alias
from commlib.errors import require_columns
from commlib.schema import label

__all__ = [
    "pareto_table",
    "pareto_chart",
    "pareto_by",
    "pareto_by_chart",
    "compare_pareto",
    "compare_pareto_chart",
    "describe_change",
    "vital_few_test",
]

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
    missing = labels.isna().to_numpy()
    columns = {}
    if groups is not None:
        columns["_group"] = groups
    # a Series keeps the labels' dtype (str, int, category) unless "(缺失)" widens it
    columns["_label"] = _replace_labels(labels, missing, missing_label(lang))
    columns["count"] = count
    columns["value"] = value
    columns["_missing"] = missing
    agg = pd.DataFrame(columns)
    info = {
        "n_rows": n_rows,
        "n_included": n_rows - n_excluded,
        "excluded_rows": n_excluded,
        "excluded": excluded,
    }
    return agg, info


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


# ------------------------------------------------------------------------- charts


def _wrap_label(value, *, width_cjk: int = 6, width_latin: int = 14, lines: int = 2) -> str:
    """Wrap a long category name onto at most ``lines`` lines, with an ellipsis."""
    text = str(value)
    width = width_cjk if has_cjk(text) else width_latin
    parts = textwrap.wrap(text, width=width, break_long_words=True) or [text]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: max(width - 1, 1)] + "…"
    return "\n".join(parts)


def _fmt_number(x) -> str:
    x = float(x)
    if math.isfinite(x) and x == round(x):
        return f"{int(round(x)):,}"
    return f"{x:,.1f}"


def _value_label(table: pd.DataFrame, weight: str | None, lang: str) -> str:
    value = table.attrs.get("value", weight if weight is not None else None)
    if value is None:
        same = "count" in table.columns and (table["value"] == table["count"]).all()
        value = "count" if same else None
    if value is None:
        return t("pareto.value", lang)
    return label(value, lang)


def _category_ticks(ax, x, values) -> None:
    """Put wrapped category names under the bars, rotated when they would collide."""
    labels = [_wrap_label(v) for v in values]
    fig = ax.figure
    ax_width_in = ax.get_position().width * fig.get_figwidth()
    slot_in = ax_width_in / max(len(labels), 1)
    size = 9.0

    def width_in(line: str) -> float:
        return sum(1.0 if has_cjk(ch) else 0.6 for ch in line) * size / 72

    widest = max((width_in(line) for lab in labels for line in lab.split("\n")), default=0)
    rotate = widest > 0.9 * slot_in
    ax.set_xticks(x, labels, rotation=40 if rotate else 0, ha="right" if rotate else "center")
    ax.tick_params(axis="x", labelsize=size)
    if rotate:
        for tick in ax.get_xticklabels():
            tick.set_rotation_mode("anchor")


def _draw_pareto(
    ax,
    table: pd.DataFrame,
    *,
    by: str,
    lang: str,
    threshold: float,
    value_label: str,
    highlight_vital: bool = True,
    show_values: bool = True,
    title: str | None = None,
    legend: bool = True,
    footnote: str | None = None,
    xlabel: bool = True,
    ylabel: bool = True,
    y2label: bool = True,
    return_handles: bool = False,
):
    """Draw bars + cumulative line + threshold on ``ax``; return (twin, legend handles)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import PercentFormatter

    from commlib import plotting

    n = len(table)
    x = np.arange(n)
    values = table["value"].to_numpy(dtype=float)
    vital = table["vital"].to_numpy(dtype=bool)
    is_other = table["is_other"].to_numpy(dtype=bool) if "is_other" in table else np.zeros(n, bool)
    if highlight_vital:
        colors = plotting.vital_palette(vital, is_other=is_other)
    else:
        colors = [plotting.OTHER_COLOR if o else plotting.LINE_COLOR for o in is_other]
    bars = ax.bar(x, values, color=colors, width=0.78, edgecolor="white", zorder=2)
    if show_values:
        ax.bar_label(bars, labels=[_fmt_number(v) for v in values], padding=2, fontsize=8, zorder=4)
    _category_ticks(ax, x, table[by])
    ax.set_xlim(-0.6, n - 0.4)
    top = values.max() if n and values.max() > 0 else 1.0
    ax.set_ylim(0, top * 1.18)
    ax.set_xlabel(label(by, lang) if xlabel else "")
    ax.set_ylabel(value_label if ylabel else "")
    ax.grid(axis="x", visible=False)
    ax.set_axisbelow(True)

    twin = ax.twinx()
    cum = table["cum_share"].to_numpy(dtype=float) * 100
    twin.plot(x, cum, color=plotting.LINE_COLOR, marker="o", markersize=4, linewidth=1.6)
    twin.axhline(threshold * 100, color="#7F8C8D", linestyle="--", linewidth=1)
    twin.set_ylim(0, 105)
    twin.set_yticks([0, 20, 40, 60, 80, 100])
    twin.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    twin.grid(False)
    twin.set_ylabel(label("cum_share", lang) if y2label else "")

    handles = []
    if legend or return_handles:
        if highlight_vital and vital.any():
            handles.append(Patch(color=plotting.VITAL_COLOR, label=t("pareto.vital", lang)))
            if (~vital & ~is_other).any():
                handles.append(Patch(color=plotting.REST_COLOR, label=t("pareto.rest", lang)))
        if is_other.any():
            k = table.attrs.get("n_other_categories")
            other_text = t("pareto.other_k", lang, k=k) if k else t("pareto.other_merged", lang)
            handles.append(Patch(color=plotting.OTHER_COLOR, label=other_text))
        handles.append(
            Line2D([], [], color=plotting.LINE_COLOR, marker="o", label=label("cum_share", lang))
        )
        handles.append(
            Line2D(
                [],
                [],
                color="#7F8C8D",
                linestyle="--",
                label=t("pareto.threshold", lang, pct=f"{round(threshold * 100, 1):g}"),
            )
        )
    if legend:
        # Outside the plot, right of the percentage axis: a Pareto chart has no corner
        # that is reliably empty (tall bars on the left, the line high on the right).
        twin.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.12, 1.0),
            borderaxespad=0,
            fontsize=8,
            title=footnote,
            title_fontsize=8,
            frameon=False,
            alignment="left",
        )
    elif footnote:
        ax.text(
            0.98,
            0.55,
            footnote,
            transform=ax.transAxes,
            ha="right",
            va="center",
            fontsize=8,
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"},
            zorder=5,
        )
    if title:
        ax.set_title(title)
    return twin, handles


def _footnote(table: pd.DataFrame, lang: str) -> str:
    total = table.attrs.get("total", table["value"].sum())
    parts = [t("pareto.total", lang, total=_fmt_number(total))]
    if "excluded_rows" in table.attrs:
        parts.append(t("pareto.excluded", lang, n=f"{table.attrs['excluded_rows']:,}"))
    return t("pareto.sep", lang).join(parts)


def pareto_chart(
    data: pd.DataFrame,
    *,
    by: str = "category",
    weight: str | None = None,
    threshold: float = 0.8,
    max_categories: int | None = None,
    ax=None,
    lang: str = "zh",
    title: str | None = None,
    highlight_vital: bool = True,
    show_values: bool = True,
    dropna: bool = False,
):
    """Draw a Pareto chart: bars largest first, the vital few highlighted, a cumulative line.

    Bars show counts (or the weight's sums); the cumulative share is a line on a
    second y axis from 0 to 100 %, with a dashed line at ``threshold``. A legend box
    carries the total and the number of rows excluded (missing values), like SAS's
    inset. Long category names are wrapped and rotated.

    Parameters
    ----------
    data : DataFrame
        Raw rows, or the output of :func:`pareto_table` (drawn as it is: ``weight``,
        ``max_categories`` and ``dropna`` are then ignored, and the threshold is read
        from its ``attrs`` when present).
    by : str, default "category"
        Column to rank.
    weight, threshold, max_categories, dropna
        As in :func:`pareto_table`.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure is made when omitted.
    lang : {"zh", "en"}, default "zh"
        Language of the labels (工单数 / 累计占比 / 关键少数, or English).
    title : str, optional
        Chart title. Default "<label>帕累托图"; pass "" for none.
    highlight_vital : bool, default True
        Colour the vital few and mute the rest.
    show_values : bool, default True
        Print each bar's value above it.

    Returns
    -------
    matplotlib Axes
        The bar axes. The cumulative line lives on a twin axes sharing its x axis
        (``ax.figure.axes``).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"category": ["快递", "快递", "快递", "噪音", "噪音", "绿化"]})
    >>> ax = pareto_chart(df)
    >>> len(ax.patches)
    3
    """
    import matplotlib.pyplot as plt

    from commlib.plotting import use_chinese_font

    check_lang(lang)
    use_chinese_font()
    if _is_table(data, by):
        table = data
        threshold = table.attrs.get("threshold", threshold)
    else:
        table = pareto_table(
            data,
            by=by,
            weight=weight,
            threshold=threshold,
            max_categories=max_categories,
            dropna=dropna,
            lang=lang,
        )
    if ax is None:
        width = min(max(6.0, 0.55 * len(table) + 3.0), 16.0)
        _, ax = plt.subplots(figsize=(width, 4.8), layout="constrained")
    if title is None:
        title = t("pareto.title", lang, by=label(by, lang))
    _draw_pareto(
        ax,
        table,
        by=by,
        lang=lang,
        threshold=threshold,
        value_label=_value_label(table, weight, lang),
        highlight_vital=highlight_vital,
        show_values=show_values,
        title=title,
        footnote=_footnote(table, lang),
    )
    return ax


def _format_group(value) -> str:
    if isinstance(value, pd.Timestamp):
        if value == value.normalize() and value.day == 1:
            return value.strftime("%Y-%m")
        return value.strftime("%Y-%m-%d")
    return str(value)


def pareto_by_chart(
    data: pd.DataFrame,
    *,
    by: str = "category",
    group: str = "community",
    weight: str | None = None,
    threshold: float = 0.8,
    max_categories: int | None = 8,
    freq: str | None = None,
    groups=None,
    col_wrap: int = 3,
    lang: str = "zh",
    highlight_vital: bool = True,
    show_values: bool = False,
):
    """Draw one small Pareto chart per group (community, month), in a grid.

    Each panel is drawn like :func:`pareto_chart` with its own y scale (groups differ in
    size) and its own vital few; the panel title gives the group and its total.

    Parameters
    ----------
    data : DataFrame
        Raw rows, or the output of :func:`pareto_by` (drawn as it is).
    by, group, weight, threshold, freq
        As in :func:`pareto_by`.
    max_categories : int or None, default 8
        Categories kept per panel before merging the rest into "Other".
    groups : sequence, optional
        Groups to draw, in this order. Default: every group, in the table's order
        (ascending; chronological for dates).
    col_wrap : int, default 3
        Panels per row.
    lang : {"zh", "en"}, default "zh"
        Language of the labels.
    highlight_vital, show_values
        As in :func:`pareto_chart`; values are off by default to keep panels legible.

    Returns
    -------
    matplotlib Figure
        A plain Figure (not a seaborn FacetGrid: each panel needs a twin axis, which
        FacetGrid does not manage). Panels are ``fig.axes`` in group order, followed by
        their twin axes.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"community": ["甲", "甲", "乙"], "category": ["快递", "噪音", "噪音"]})
    >>> fig = pareto_by_chart(df)
    >>> len(fig.axes)
    4
    """
    import matplotlib.pyplot as plt

    from commlib.plotting import use_chinese_font

    check_lang(lang)
    if col_wrap < 1:
        raise ValueError(f"col_wrap must be at least 1, got {col_wrap!r}.")
    use_chinese_font()
    if _is_table(data, by, group):
        table = data
        threshold = table.attrs.get("threshold", threshold)
    else:
        table = pareto_by(
            data,
            by=by,
            group=group,
            weight=weight,
            threshold=threshold,
            max_categories=max_categories,
            freq=freq,
            lang=lang,
        )
    order = table[group].drop_duplicates().tolist() if groups is None else list(groups)
    unknown = [g for g in order if not (table[group] == g).any()]
    if unknown:
        raise ValueError(f"groups not found in column {group!r}: {unknown}.")
    n = len(order)
    ncol = min(col_wrap, n)
    nrow = math.ceil(n / ncol)
    fig, axes = plt.subplots(
        nrow, ncol, figsize=(4.6 * ncol, 3.6 * nrow), squeeze=False, layout="constrained"
    )
    value_label = _value_label(table, weight, lang)
    sep = t("pareto.sep", lang)
    legend_handles: dict = {}
    for i, g in enumerate(order):
        ax = axes[i // ncol][i % ncol]
        sub = table[table[group] == g].reset_index(drop=True)
        total = t("pareto.total", lang, total=_fmt_number(sub["value"].sum()))
        _, handles = _draw_pareto(
            ax,
            sub,
            by=by,
            lang=lang,
            threshold=threshold,
            value_label=value_label,
            highlight_vital=highlight_vital,
            show_values=show_values,
            title=f"{_format_group(g)}{sep}{total}",
            legend=False,
            return_handles=True,
            xlabel=False,
            ylabel=i % ncol == 0,
            y2label=(i % ncol == ncol - 1) or i == n - 1,
        )
        for h in handles:
            legend_handles.setdefault(h.get_label(), h)
    for j in range(n, nrow * ncol):
        fig.delaxes(axes[j // ncol][j % ncol])
    fig.legend(
        handles=list(legend_handles.values()),
        loc="outside lower center",
        ncol=len(legend_handles),
        fontsize=9,
        frameon=False,
    )
    return fig


# ------------------------------------------------------------------- before/after


def _span_days(dates: pd.Series) -> float:
    """Calendar days covered by the dates, counting the first and last day in full."""
    start = dates.min().normalize()
    end = dates.max().normalize() + pd.Timedelta(days=1)
    return (end - start) / pd.Timedelta(days=1)


def _as_datetime(s: pd.Series, name: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s
    try:
        return pd.to_datetime(s)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"date column {name!r} is not a datetime column and cannot be parsed: {err}"
        ) from err


def _fmt_rate(x: float) -> str:
    if not math.isfinite(x):
        return "—"
    if x == 0:
        return "0"
    if x >= 10:
        return f"{x:,.1f}"
    if x >= 0.1:
        return f"{x:.2f}"
    return f"{x:.2g}"


def _fmt_p(p: float) -> str:
    if not math.isfinite(p):
        return ""
    if p < 0.001:
        return "p < 0.001"
    if p < 0.1:
        return f"p = {p:.3f}"
    return f"p = {p:.2f}"


def _per_text(per_days: float, lang: str) -> str:
    if per_days in (1, 7, 30):
        return t(f"pareto.per.{int(per_days)}", lang)
    return t("pareto.per.n", lang, n=f"{per_days:g}")


def _summary(row, *, by, unit, per_days, conf, lang, tested) -> str:
    rb, ra = row["rate_before"], row["rate_after"]
    if ra < rb:
        kind, pct = "down", (1 - ra / rb) * 100
    elif ra > rb and rb > 0:
        kind, pct = "up", (ra / rb - 1) * 100
    elif ra > rb:
        kind, pct = "new", 0.0
    else:
        kind, pct = "flat", 0.0
    move = t(f"pareto.change.{kind}", lang, rb=_fmt_rate(rb), ra=_fmt_rate(ra), pct=f"{pct:.0f}")
    out = t(
        "pareto.change.sentence",
        lang,
        cat=row[by],
        per=_per_text(per_days, lang),
        unit=unit,
        move=move,
    )
    if tested and math.isfinite(row["p_value"]):
        ci = f"{_fmt_rate(row['ci_low'])}–{_fmt_rate(row['ci_high'])}"
        out += t(
            "pareto.change.test",
            lang,
            rr=_fmt_rate(row["rate_ratio"]),
            conf=f"{conf:g}",
            ci=ci,
            p=_fmt_p(row["p_value"]),
        )
    return out


@renamed_parameters(date_col="date")
def compare_pareto(
    before: pd.DataFrame,
    after: pd.DataFrame | None = None,
    *,
    split=None,
    date: str = "created_at",
    by: str = "category",
    weight: str | None = None,
    exposure: tuple[float, float] | None = None,
    per_days: float = 1,
    alpha: float = 0.05,
    dropna: bool = False,
    lang: str = "zh",
) -> pd.DataFrame:
    """Measure how each category changed between two periods, with tests and a summary.

    Use it to say "after the parcel station opened, parcel complaints fell by 79%
    (p < 0.001)" in one call. For each category it compares the rate (tickets per day,
    which accounts for periods of different length) and the share of all tickets.

    Call it either with two frames, ``compare_pareto(before, after)``, or with one
    frame and a split date, ``compare_pareto(df, split="2024-10-01")``: rows dated
    before ``split`` form the first period, the rest the second.

    Parameters
    ----------
    before : DataFrame
        Tickets of the first period, or all tickets when ``split`` is given.
    after : DataFrame, optional
        Tickets of the second period. Leave out when using ``split``.
    split : str or Timestamp, optional
        Date that starts the second period (with one frame). Rows with no date are left
        out and counted in ``attrs["excluded"]``.
    date : str, default "created_at"
        Date column used for ``split`` and to measure the periods' lengths. (Renamed
        from ``date``, which still works with a ``FutureWarning``.)
    by : str, default "category"
        Column to compare.
    weight : str, optional
        Numeric column to sum instead of counting rows. Tests treat values as event
        counts, so they run only when every value is a whole number (raw rows or a
        pre-counted table); for hours or costs the p-values are NaN.
    exposure : (float, float), optional
        Lengths of the two periods in days. Default: with ``split``, from the first
        day with a ticket to ``split`` and from ``split`` to the end of the last day;
        with two frames, from each frame's first to last day (inclusive). Pass it when
        the periods are known (a quiet last day would otherwise shorten a period).
    per_days : float, default 1
        Rates are per this many days (1: per day, 30: per 30 days).
    alpha : float, default 0.05
        Significance level for ``significant``; confidence intervals are 1 - alpha.
    dropna : bool, default False
        How missing values in ``by`` are handled, as in :func:`pareto_table`.
    lang : {"zh", "en"}, default "zh"
        Language of ``summary``.

    Returns
    -------
    DataFrame
        One row per category seen in either period, sorted by the first period's
        value (descending, then label). Columns: ``by``, ``count_before``,
        ``count_after`` (rows; with ``weight`` also ``value_before``/``value_after``),
        ``share_before``, ``share_after``, ``share_change`` (after minus before, as a
        fraction), ``rate_before``, ``rate_after`` (per ``per_days`` days),
        ``rate_ratio`` (after / before) with ``ci_low``/``ci_high`` (exact, from the
        Clopper-Pearson interval of the conditional binomial), ``change_pct`` (rate
        ratio - 1), ``p_value`` (exact conditional Poisson test of equal rates: given
        n = a + b tickets, a ~ Binomial(n, t_a / (t_a + t_b))), ``p_adj`` (Holm across
        categories), ``p_value_share`` (Pearson chi-square on the 2x2 table of this
        category vs the rest, Fisher's exact test when an expected count is below 5),
        ``p_adj_share`` (Holm), ``significant`` (``p_adj < alpha``: the rate changed)
        and ``summary`` (one sentence; it quotes the unadjusted p-value, right for a
        change planned in advance, like the station's target category).

    Notes
    -----
    Shares of one period sum to 1, so share tests across categories are not
    independent: a big drop in one category raises every other share. Read the rate
    columns for "did it fall", the share columns for "did the mix change". Rate tests
    assume tickets arrive as a Poisson process; repeat callers and campaigns make the
    counts overdispersed and the p-values too small: de-duplicate first.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "created_at": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03",
    ...                                   "2024-01-04", "2024-01-05", "2024-01-06"]),
    ...     "category": ["快递", "快递", "快递", "噪音", "快递", "噪音"]})
    >>> res = compare_pareto(df, split="2024-01-04")
    >>> res[["category", "count_before", "count_after"]]
      category  count_before  count_after
    0       快递             3            1
    1       噪音             0            2
    >>> res.loc[0, "summary"]
    '快递：日均工单由 1.00 降至 0.33，下降 67%（率比 0.33，95% CI 0.0063–4.15，p = 0.62）'
    """
    from scipy import stats

    check_lang(lang)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}.")
    if per_days <= 0:
        raise ValueError(f"per_days must be positive, got {per_days!r}.")
    excluded: dict[str, int] = {}
    if after is None and split is None:
        raise ValueError(
            "compare_pareto needs a second period: pass after=<frame> or "
            "split=<date> (with one frame and a date column)."
        )
    if after is not None and split is not None:
        raise ValueError("Pass either after= or split=, not both.")
    if split is not None:
        require_columns(before, [date, by], where="compare_pareto input")
        dates = _as_datetime(before[date], date)
        split_ts = pd.Timestamp(split)
        tz = getattr(dates.dt, "tz", None)
        if tz is not None and split_ts.tzinfo is None:
            split_ts = split_ts.tz_localize(tz)
        elif tz is None and split_ts.tzinfo is not None:
            # naive ticket times are local wall times (clean_tickets drops zones): compare
            # with the split date's own wall time
            split_ts = split_ts.tz_localize(None)
        nat = dates.isna().to_numpy()
        excluded["missing_date"] = int(nat.sum())
        in_before = (dates < split_ts).to_numpy()
        in_after = (dates >= split_ts).to_numpy()
        frame_b, frame_a = before[in_before], before[in_after]
        if len(frame_b) == 0 or len(frame_a) == 0:
            raise ValueError(
                f"split={split!r} leaves {len(frame_b)} rows before and {len(frame_a)} "
                f"after (dates run from {dates.min()} to {dates.max()})."
            )
        if exposure is None:
            day = pd.Timedelta(days=1)
            start = dates.min().normalize()
            end = dates.max().normalize() + day
            exposure = ((split_ts - start) / day, (end - split_ts) / day)
    else:
        frame_b, frame_a = before, after
        if exposure is None:
            if date in frame_b.columns and date in frame_a.columns:
                db = _as_datetime(frame_b[date], date).dropna()
                da = _as_datetime(frame_a[date], date).dropna()
                if len(db) == 0 or len(da) == 0:
                    raise ValueError(f"date column {date!r} has no dates in a period.")
                exposure = (_span_days(db), _span_days(da))
            else:
                raise ValueError(
                    f"No date column {date!r} to measure the periods: pass "
                    "exposure=(days_before, days_after), or exposure=(1, 1) to compare "
                    "raw counts of periods of equal length."
                )
    t_b, t_a = (float(v) for v in exposure)
    if not (t_b > 0 and t_a > 0):
        raise ValueError(f"exposure must be two positive lengths in days, got {exposure!r}.")

    agg_b, info_b = _aggregate(
        frame_b, by=by, weight=weight, dropna=dropna, lang=lang, where="compare_pareto 'before'"
    )
    agg_a, info_a = _aggregate(
        frame_a, by=by, weight=weight, dropna=dropna, lang=lang, where="compare_pareto 'after'"
    )
    cb = agg_b.set_index("_label")[["count", "value"]]
    ca = agg_a.set_index("_label")[["count", "value"]]
    j = cb.join(ca, how="outer", suffixes=("_before", "_after")).fillna(0)
    j.index.name = "_label"
    j = j.reset_index()
    for col in ("count_before", "count_after"):
        j[col] = j[col].astype(np.int64)
    vb = j["value_before"].to_numpy(dtype=float)
    va = j["value_after"].to_numpy(dtype=float)
    missing = (j["_label"] == missing_label(lang)).to_numpy()
    lkey = _label_key(j["_label"], missing)
    order = np.lexsort((lkey, -va, -vb))
    j = j.iloc[order].reset_index(drop=True)
    vb, va = vb[order], va[order]

    nb, na = vb.sum(), va.sum()
    cols: dict = {
        by: j["_label"],
        "count_before": j["count_before"],
        "count_after": j["count_after"],
    }
    if weight is not None:
        cols["value_before"] = vb
        cols["value_after"] = va
    with np.errstate(invalid="ignore", divide="ignore"):
        cols["share_before"] = vb / nb
        cols["share_after"] = va / na
        cols["share_change"] = cols["share_after"] - cols["share_before"]
        cols["rate_before"] = vb / t_b * per_days
        cols["rate_after"] = va / t_a * per_days
        rr = np.where(vb > 0, va / np.where(vb > 0, vb, 1) * (t_b / t_a), np.inf)
        rr = np.where((vb == 0) & (va == 0), np.nan, rr)

    tested = weight is None or bool(np.all(np.mod(vb, 1) == 0) and np.all(np.mod(va, 1) == 0))
    k = len(j)
    p_rate = np.full(k, np.nan)
    p_share = np.full(k, np.nan)
    lo = np.full(k, np.nan)
    hi = np.full(k, np.nan)
    if tested:
        p0 = t_a / (t_a + t_b)
        a_all = np.rint(va).astype(np.int64)
        b_all = np.rint(vb).astype(np.int64)
        n_all = a_all + b_all
        odds = t_b / t_a
        nb_i, na_i = int(b_all.sum()), int(a_all.sum())
        for i in range(k):
            a, b, n = int(a_all[i]), int(b_all[i]), int(n_all[i])
            if n > 0:
                # exact conditional test of equal rates: given n tickets, a ~ Binomial(n,
                # p0); its Clopper-Pearson interval of pi = a / n maps to the rate ratio
                # RR = pi / (1 - pi) * t_b / t_a
                test = stats.binomtest(a, n, p0)
                p_rate[i] = test.pvalue
                ci = test.proportion_ci(confidence_level=1 - alpha, method="exact")
                lo[i] = ci.low / (1 - ci.low) * odds
                hi[i] = ci.high / (1 - ci.high) * odds if ci.high < 1 else np.inf
            table = np.array([[a, na_i - a], [b, nb_i - b]])
            if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
                p_share[i] = 1.0
                continue
            expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
            if expected.min() < 5:
                p_share[i] = stats.fisher_exact(table).pvalue
            else:
                p_share[i] = stats.chi2_contingency(table, correction=False).pvalue
    p_adj = holm(p_rate)
    cols.update(
        rate_ratio=rr,
        ci_low=lo,
        ci_high=hi,
        change_pct=rr - 1,
        p_value=p_rate,
        p_adj=p_adj,
        p_value_share=p_share,
        p_adj_share=holm(p_share),
        significant=np.nan_to_num(p_adj, nan=1.0) < alpha,
    )
    out = pd.DataFrame(cols)
    unit = t("pareto.change.tickets", lang) if weight is None else label(weight, lang)
    conf_pct = round((1 - alpha) * 100, 2)
    out["summary"] = [
        _summary(row, by=by, unit=unit, per_days=per_days, conf=conf_pct, lang=lang, tested=tested)
        for row in out.to_dict("records")
    ]
    out.attrs = {
        "by": by,
        "weight": weight,
        "exposure": (t_b, t_a),
        "per_days": per_days,
        "alpha": alpha,
        "split": None if split is None else str(split),
        "n_before": int(info_b["n_included"]),
        "n_after": int(info_a["n_included"]),
        "total_before": float(nb),
        "total_after": float(na),
        "excluded": {
            **excluded,
            **{f"{key}_before": v for key, v in info_b["excluded"].items()},
            **{f"{key}_after": v for key, v in info_a["excluded"].items()},
        },
        "tested": tested,
        "lang": lang,
    }
    return out


def describe_change(result: pd.DataFrame, category) -> str:
    """Return the one-sentence summary of one category from :func:`compare_pareto`.

    Parameters
    ----------
    result : DataFrame
        Output of :func:`compare_pareto`.
    category : object
        The category's label.

    Returns
    -------
    str
        For example "快递物流：日均工单由 0.52 降至 0.11，下降 79%（率比 0.21，95% CI
        0.14–0.31，p < 0.001）".

    Examples
    --------
    >>> import pandas as pd
    >>> b = pd.DataFrame({"category": ["快递"] * 4})
    >>> a = pd.DataFrame({"category": ["快递"]})
    >>> describe_change(compare_pareto(b, a, exposure=(1, 1)), "快递")
    '快递：日均工单由 4.00 降至 1.00，下降 75%（率比 0.25，95% CI 0.0051–2.53，p = 0.38）'
    """
    by = result.attrs.get("by", result.columns[0])
    hit = result.loc[result[by] == category, "summary"]
    if hit.empty:
        raise KeyError(
            f"{category!r} is not a category of this comparison; it has: "
            f"{', '.join(map(str, result[by].tolist()))}."
        )
    return hit.iloc[0]


def compare_pareto_chart(
    result: pd.DataFrame,
    *,
    max_categories: int | None = 12,
    ax=None,
    lang: str | None = None,
    title: str | None = None,
):
    """Draw the before/after shares of each category side by side, marking significant changes.

    Parameters
    ----------
    result : DataFrame
        Output of :func:`compare_pareto`.
    max_categories : int or None, default 12
        Draw the first N categories of ``result`` (largest before).
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure is made when omitted.
    lang : {"zh", "en"}, optional
        Label language; default the one ``result`` was made with.
    title : str, optional
        Chart title; pass "" for none.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> b = pd.DataFrame({"category": ["快递"] * 4 + ["噪音"]})
    >>> a = pd.DataFrame({"category": ["快递", "噪音", "噪音"]})
    >>> ax = compare_pareto_chart(compare_pareto(b, a, exposure=(30, 30)))
    >>> len(ax.patches)
    4
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    from commlib import plotting

    lang = lang or result.attrs.get("lang", "zh")
    check_lang(lang)
    plotting.use_chinese_font()
    by = result.attrs.get("by", result.columns[0])
    require_columns(
        result,
        [by, "share_before", "share_after", "significant"],
        where="compare_pareto_chart input",
        hint="Pass the output of compare_pareto.",
    )
    res = result if max_categories is None else result.head(max_categories)
    n = len(res)
    x = np.arange(n)
    w = 0.4
    sb = res["share_before"].to_numpy(dtype=float) * 100
    sa = res["share_after"].to_numpy(dtype=float) * 100
    if ax is None:
        width = min(max(6.0, 0.7 * n + 3.0), 16.0)
        _, ax = plt.subplots(figsize=(width, 4.8), layout="constrained")
    ax.bar(
        x - w / 2, sb, width=w, color=plotting.REST_COLOR, label=t("pareto.before", lang), zorder=2
    )
    ax.bar(
        x + w / 2, sa, width=w, color=plotting.LINE_COLOR, label=t("pareto.after", lang), zorder=2
    )
    sig = res["significant"].to_numpy(dtype=bool)
    top = float(np.nanmax(np.concatenate([sb, sa]))) if n else 1.0
    for i in np.flatnonzero(sig):
        ax.text(
            x[i],
            max(sb[i], sa[i]) + top * 0.03,
            "*",
            ha="center",
            va="bottom",
            fontsize=16,
            color=plotting.VITAL_COLOR,
        )
    ax.set_ylim(0, top * 1.2 if top > 0 else 1)
    _category_ticks(ax, x, res[by])
    ax.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    ax.set_ylabel(label("share", lang))
    ax.set_xlabel(label(by, lang))
    ax.grid(axis="x", visible=False)
    handles, labs = ax.get_legend_handles_labels()
    alpha = result.attrs.get("alpha", 0.05)
    ax.legend(
        handles,
        labs,
        title=t("pareto.significant", lang, alpha=f"{alpha:g}"),
        fontsize=8,
        title_fontsize=8,
        loc="upper right",
    )
    if title is None:
        title = t("pareto.compare_title", lang, by=label(by, lang))
    if title:
        ax.set_title(title)
    return ax


# ---------------------------------------------------------------- vital few test


def vital_few_test(
    df: pd.DataFrame,
    *,
    by: str = "category",
    weight: str | None = None,
    alpha: float = 0.05,
    n_sim: int = 2000,
    random_state=0,
    simultaneous: bool = False,
    dropna: bool = False,
    lang: str = "zh",
) -> pd.DataFrame:
    """Test whether the top categories really stand out from evenly spread causes.

    Wilkinson's revision of the Pareto chart (the Pareto dot plot in SAS PROC PARETO):
    if the same number of tickets fell at random, with equal probability, into the
    same number of categories, how large would the largest, second largest, ...
    category be? The sorted counts of ``n_sim`` such multinomial draws give an
    acceptance interval at each rank; a category stands out when its count lies above
    the upper bound at its rank. A Pareto chart always shows a descending staircase,
    even for random noise: this says which steps are real.

    Parameters
    ----------
    df : DataFrame
        Raw rows, or pre-counted rows with whole-number counts in ``weight``.
    by : str, default "category"
        Column to test.
    weight : str, optional
        Column of whole-number counts (pre-counted input).
    alpha : float, default 0.05
        Upper bound = the 1 - alpha quantile of the simulated count at each rank; lower
        bound = the alpha quantile.
    n_sim : int, default 2000
        Number of Monte Carlo draws.
    random_state : int or numpy Generator, default 0
        Seed; the result is deterministic for a given seed.
    simultaneous : bool, default False
        False: pointwise bounds at each rank (as Wilkinson and SAS draw them). True:
        widen the bounds to one envelope so that, under even spread, the chance that
        any rank exceeds its bound is about ``alpha``.
    dropna, lang
        As in :func:`pareto_table`.

    Returns
    -------
    DataFrame
        One row per rank: ``rank``, ``by``, ``count``, ``expected`` (mean simulated
        count at that rank), ``lower``, ``upper``, ``p_value`` (Monte Carlo, one-sided:
        share of draws at least as large at that rank), ``above_upper`` and
        ``stands_out`` (above the bound and every higher rank also above it: the
        leading run of real "vital few"). ``attrs``: ``n_sim``, ``alpha``, ``level``
        (the quantile used), ``simultaneous``, ``total``, ``n_categories``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"category": ["快递"] * 60 + ["噪音"] * 10 + ["绿化"] * 10})
    >>> vital_few_test(df, n_sim=500)[["category", "count", "stands_out"]]
      category  count  stands_out
    0       快递     60        True
    1       噪音     10       False
    2       绿化     10       False
    """
    check_lang(lang)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}.")
    if n_sim < 100:
        raise ValueError(f"n_sim must be at least 100 for stable bounds, got {n_sim!r}.")
    agg, info = _aggregate(
        df, by=by, weight=weight, dropna=dropna, lang=lang, where="vital_few_test input"
    )
    tab, _ = _rank(agg, threshold=1.0, max_categories=None, other_label=None, lang=lang)
    counts = tab["value"].to_numpy(dtype=float)
    if not np.all(np.mod(counts, 1) == 0):
        raise ValueError(
            f"vital_few_test needs whole-number counts; weight column {weight!r} has "
            "fractions (hours, cost). Test the row counts instead (weight=None)."
        )
    counts = counts.astype(np.int64)
    k = len(counts)
    if k < 2:
        raise ValueError(f"Column {by!r} has a single category: nothing to compare.")
    total = int(counts.sum())
    rng = np.random.default_rng(random_state)
    sims = rng.multinomial(total, np.full(k, 1.0 / k), size=n_sim)
    sims = -np.sort(-sims, axis=1)  # order statistics, largest first

    level = 1 - alpha
    upper = np.quantile(sims, level, axis=0, method="higher")
    if simultaneous:
        # Smallest quantile level whose envelope is exceeded anywhere in <= alpha of draws.
        lo_q, hi_q = 1 - alpha, 1.0
        for _ in range(30):
            mid = (lo_q + hi_q) / 2
            env = np.quantile(sims, mid, axis=0, method="higher")
            if (sims > env).any(axis=1).mean() <= alpha:
                hi_q = mid
            else:
                lo_q = mid
        level = hi_q
        upper = np.quantile(sims, level, axis=0, method="higher")
    lower = np.quantile(sims, 1 - level, axis=0, method="lower")
    above = counts > upper
    out = pd.DataFrame(
        {
            "rank": tab["rank"].to_numpy(),
            by: tab["_label"].to_numpy(),
            "count": counts,
            "expected": sims.mean(axis=0),
            "lower": lower.astype(np.int64),
            "upper": upper.astype(np.int64),
            "p_value": (1 + (sims >= counts).sum(axis=0)) / (n_sim + 1),
            "above_upper": above,
            "stands_out": np.logical_and.accumulate(above),
        }
    )
    out.attrs = {
        **info,
        "by": by,
        "n_sim": n_sim,
        "alpha": alpha,
        "level": float(level),
        "simultaneous": simultaneous,
        "total": total,
        "n_categories": k,
        "random_state": random_state if isinstance(random_state, int) else None,
    }
    return out
