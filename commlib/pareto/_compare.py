"""Before/after comparison of two periods (see :mod:`commlib.pareto`)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib._compat import renamed_parameters
from commlib._util import holm, missing_label
from commlib.errors import require_columns
from commlib.pareto._charts import _category_ticks
from commlib.pareto._table import _aggregate, _label_key
from commlib.schema import label

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
