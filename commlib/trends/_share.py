"""Share trends and rising factors (see :mod:`commlib.trends`): the tables.

Counting tickets per period and category, assembling the trend table, ranking the
rising factors and drawing them; the statistics (the binomial GLM per category, the
time-of-year design, the slope tests) are in :mod:`commlib.trends._share_model`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib._util import holm, period_alias
from commlib.errors import require_columns
from commlib.trends._share_model import (
    covers_two_years,
    logistic_trend,
    slope_tests,
    trend_design,
)

# --------------------------------------------------------------------------- helpers


def _dates(df: pd.DataFrame, date: str, where: str) -> pd.Series:
    require_columns(df, [date], where=where)
    s = df[date]
    if not pd.api.types.is_datetime64_any_dtype(s):
        s = pd.to_datetime(s, errors="coerce")
    return s


# ----------------------------------------------------------------------- share trend


@dataclass(frozen=True)
class ShareTrend:
    """Result of :func:`share_trend`.

    Attributes
    ----------
    trends : DataFrame
        One row per category (per group): the fitted trend and its test, largest rise
        first. See :func:`share_trend` for the columns.
    shares : DataFrame
        One row per period x category (x group): ``period``, ``count``, ``total``,
        ``share`` and ``fitted`` (the trend's share; NaN for categories not tested).
    by, group, freq : str or None
        The arguments used.
    alpha : float
        Significance level of ``significant``.
    season : bool
        Whether time-of-year terms were in the model (see ``season`` of
        :func:`share_trend`).
    excluded : dict
        Rows left out, by reason.
    autocorrelation : float
        The lag-1 autocorrelation of the categories' month-to-month noise, pooled over
        all tested categories (0 when none is found or fewer than 8 are tested); the
        quasi-binomial variances were inflated for it (column ``ar_factor``).
    """

    trends: pd.DataFrame
    shares: pd.DataFrame
    by: str
    group: str | None
    freq: str
    alpha: float
    excluded: dict = field(default_factory=dict)
    season: bool = False
    autocorrelation: float = 0.0

    def __repr__(self) -> str:
        n_sig = int(self.trends["significant"].sum()) if len(self.trends) else 0
        return (
            f"ShareTrend(by={self.by!r}, group={self.group!r}, freq={self.freq!r}, "
            f"{len(self.trends)} trends, {n_sig} significant)"
        )


def share_trend(
    df: pd.DataFrame,
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
    """Follow each category's share of tickets over time and test whether it is trending.

    For every category (in every group, e.g. compound, when ``group`` is given) the
    share of that category among all tickets of the period is modelled as a binomial
    proportion whose log-odds change linearly with time::

        logit P(ticket t is in the category) = a + b * period_index

    fitted by maximum likelihood on the period counts (a logistic regression of the
    counts ``k_t`` out of ``n_t``). ``exp(b)`` is the odds ratio per period: 1.25
    means the odds that a ticket belongs to the category grow by a quarter every
    month. Modelling the share given the period's total already removes the shocks
    that move every category together (a busy month, a holiday week).

    What remains is month-to-month variation beyond the binomial (overdispersion: a
    storm month for one category, a campaign, a backlog), which on real tickets is
    large (Pearson dispersion 2 to 150 on a year of Boston 311). Two Wald tests of
    ``b`` are made and both must reject (the p-value is the larger): the binomial one,
    with the model's variance and the normal reference, and the quasi-binomial one,
    with the variance multiplied by the Pearson chi-square over its ``periods - p``
    residual degrees of freedom and Student's t with those degrees of freedom (the
    quasi-likelihood F test of one coefficient; ``p`` = 2 without seasonal terms).
    Each is valid under its own model, so the pair holds under either: binomial data
    keep the power of the binomial test, overdispersed data get a dispersion that is
    honest about being estimated from a dozen months. The interval is the wider of
    the two. The p-values are Holm-adjusted across every category (and group) tested,
    so a table of 200 trends does not "find" ten by chance.

    Memory from one period to the next (a backlog carried over, a campaign that lasts
    two months) makes a flat share wander like a trend, and its residuals hug the
    fitted line so the dispersion reads low. One lag-1 autocorrelation ``rho`` is
    estimated from the Pearson residuals of all tested categories together (matched to
    its exact expectation under AR(1) residuals of the design, so independent noise
    gives about 0; never below 0; at least 8 categories), and each quasi-binomial
    slope variance is multiplied by the exact AR(1) factor of its design: the slope's
    variance under AR(1) over the expectation of its naive estimate, which tends to
    ``(1 + rho) / (1 - rho)`` over many periods (column ``ar_factor``, ``rho`` in
    ``ShareTrend.autocorrelation``; see ``commlib.trends._autocorr``).

    Calibration (``benchmarks/bench_trends_calibration.py``, 30 runs each; share of
    runs with at least one category flagged, where none trends): the real Boston 311
    year with its months shuffled (148 categories) 0% (25% with the normal reference
    and the dispersion floored at 1 of commlib 0.1); synthetic nulls with month
    shocks shared by 40 categories and lognormal overdispersion 3% over 12 months and
    3% over 24 months with seasonal categories; the same with AR(1) memory 0.3 in
    every category's monthly noise 3% (23% without the AR(1) factor); negative
    binomial counts around wandering shares with spikes 3% over 12 and 24 months (7%
    and 3% without). The price is power in short noisy series: a +8% per month rise
    in one category is found in 93-100% of 18- and 24-month runs, but in 33 to 63% of
    12-month runs (37 to 70% without the AR(1) factor), and rarely within one Boston
    year, whose categories swing more from month to month than such a rise.
    ``dispersion_raw`` is each category's own Pearson dispersion (``dispersion`` is
    the same floored at 1). The counting and the test are split:
    :func:`share_trend_from_counts` takes a long table of counts (the Dask path sums
    per-partition counts and calls it).

    Seasonality: with ``season="auto"`` and at least two years of periods the model
    gets time-of-year terms (an indicator per calendar month or quarter; two annual
    sine/cosine pairs for weeks and days), so a category that is simply more common
    in summer is not a trend. With less than two years seasonality cannot be told
    apart from a trend: a category more common in summer shows a rising share from
    January to August. Compare the same category across groups, or look at a full
    year, before calling it a new problem.

    Parameters
    ----------
    df : DataFrame
        One row per ticket.
    by : str, default "category"
        The factor whose shares are followed.
    freq : {"MS", "W", "QS", "D", ...}, default "MS"
        Period length: months (``"MS"``), weeks (``"W"``, Monday to Sunday), quarters.
    group : str, optional
        Compute shares and trends within each value of this column (e.g.
        ``"community"``); shares are then of the group's tickets.
    date : str, default "created_at"
        Date column (parsed with ``pd.to_datetime`` if it is text).
    start, end : date-like, optional
        Keep tickets created from ``start`` up to and including ``end``.
    min_count : int, default 10
        Test only categories with at least this many tickets in the window (per group);
        fewer carry no evidence of a trend. Their shares are still reported.
    alpha : float, default 0.05
        Level for ``significant`` and for the confidence interval.
    season : {"auto", True, False}, default "auto"
        Time-of-year terms in the model: ``"auto"`` adds them when the window covers
        at least two years, ``True`` whenever the residual degrees of freedom allow,
        ``False`` never.

    Returns
    -------
    ShareTrend
        ``trends`` has one row per category (per group): ``group`` (if given), ``by``,
        ``count``, ``total``, ``share`` (over the window), ``periods``,
        ``share_start`` and ``share_end`` (fitted share in the first and last period),
        ``change`` (``share_end - share_start``), ``odds_ratio`` (per period),
        ``ci_low``, ``ci_high``, ``dispersion``, ``dispersion_raw``, ``ar_factor``
        (the slope variance's inflation for memory), ``df_resid`` (degrees of freedom
        of the t reference), ``p_value``, ``p_adj`` (Holm),
        ``significant`` and ``direction`` ("rising", "falling" or "flat"). Categories
        below ``min_count`` have NaN statistics and direction "untested". Sorted by
        ``change`` descending. ``shares`` holds the period table.

    Raises
    ------
    MissingColumnsError
        If ``by``, ``date`` or ``group`` is not a column.
    ValueError
        If fewer than 3 periods remain in the window.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> months = np.repeat(pd.date_range("2024-01-01", periods=12, freq="MS"), 100)
    >>> p = np.repeat(np.linspace(0.05, 0.30, 12), 100)  # the share of 快递 rises
    >>> cat = np.where(rng.random(1200) < p, "快递", rng.choice(["噪音", "卫生"], 1200))
    >>> res = share_trend(pd.DataFrame({"created_at": months, "category": cat}))
    >>> res.trends[["category", "direction", "significant"]]
      category direction  significant
    0       快递    rising         True
    1       噪音   falling         True
    2       卫生   falling         True
    >>> round(float(res.trends.loc[0, "share_end"]), 2)  # fitted share in the last month
    0.32
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"share_trend needs a pandas DataFrame, got {type(df).__name__}.")
    _check_args(alpha, season)
    counts, n_out = ticket_counts(
        df, by=by, freq=freq, group=group, date=date, start=start, end=end
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


def _check_args(alpha, season) -> None:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}.")
    if not (season == "auto" or isinstance(season, bool | np.bool_)):
        raise ValueError(f"season must be 'auto', True or False, got {season!r}.")


def ticket_counts(
    df: pd.DataFrame,
    *,
    by: str = "category",
    freq: str = "MS",
    group: str | None = None,
    date: str = "created_at",
    start=None,
    end=None,
) -> tuple[pd.DataFrame, int]:
    """Tickets per (group,) period and category: the counts :func:`share_trend` tests.

    Returns the long table (``group`` if given, ``period`` (period start), ``by``,
    ``count``; only non-zero counts) and the number of rows left out (outside
    ``start``/``end`` or missing a date, a category or a group). Works on any slice of
    the rows: counts of slices add up to the counts of the whole (the Dask path counts
    each partition with it).
    """
    where = "share_trend input"
    require_columns(df, [by, date] + ([group] if group else []), where=where)
    alias = period_alias(freq)
    when = _dates(df, date, where)
    keep = when.notna() & df[by].notna()
    if group is not None:
        keep &= df[group].notna()
    if start is not None:
        keep &= when >= pd.Timestamp(start)
    if end is not None:
        end_ts = pd.Timestamp(end)
        if end_ts == end_ts.normalize():
            end_ts = end_ts + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
        keep &= when <= end_ts
    work = pd.DataFrame(
        {
            **({group: df.loc[keep, group].to_numpy()} if group else {}),
            "period": when[keep].dt.to_period(alias).dt.start_time.to_numpy(),
            by: df.loc[keep, by].to_numpy(),
        }
    )
    keys = ([group] if group else []) + ["period", by]
    counts = work.groupby(keys, sort=True, observed=True).size().rename("count").reset_index()
    return counts, int((~keep).sum())


def share_trend_from_counts(
    counts: pd.DataFrame,
    *,
    by: str = "category",
    freq: str = "MS",
    group: str | None = None,
    min_count: int = 10,
    alpha: float = 0.05,
    season="auto",
    excluded: dict | None = None,
) -> ShareTrend:
    """:func:`share_trend` from counts made elsewhere (a database, Dask, one partition at a time).

    :func:`share_trend` counts its tickets per period and category and calls this
    function, so both give the same result on the same tickets; :mod:`commlib.dask`
    counts each partition and hands the sums here.

    Parameters
    ----------
    counts : DataFrame
        Long table: ``period`` (any timestamp in the period; it is moved to the
        period's start), the category in ``by``, ``count`` (tickets, >= 0) and, with
        ``group``, the group. Repeated keys are added up; zero counts are allowed.
    by, freq, group, min_count, alpha, season
        As in :func:`share_trend`.
    excluded : dict, optional
        Rows left out before counting, by reason; stored in the result.

    Returns
    -------
    ShareTrend
        As :func:`share_trend`.

    Raises
    ------
    MissingColumnsError
        If a needed column is missing.
    ValueError
        If a key is missing, a count is negative or fewer than 3 periods have tickets.

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({
    ...     "period": pd.date_range("2024-01-01", periods=6, freq="MS").repeat(2),
    ...     "category": ["快递", "噪音"] * 6,
    ...     "count": [5, 95, 10, 90, 20, 80, 30, 70, 45, 55, 60, 40]})
    >>> share_trend_from_counts(counts).trends[["category", "direction"]]
      category direction
    0       快递    rising
    1       噪音   falling
    """
    _check_args(alpha, season)
    where = "share_trend_from_counts input"
    keys = ([group] if group else []) + ["period", by]
    require_columns(counts, keys + ["count"], where=where)
    for col in keys + ["count"]:
        if counts[col].isna().any():
            row = int(np.flatnonzero(counts[col].isna().to_numpy())[0])
            raise ValueError(
                f"{where}: column {col!r} is missing at row {row}; drop or fill such "
                "rows before counting (share_trend counts them as left out)."
            )
    n = pd.to_numeric(counts["count"], errors="raise")
    if (n < 0).any():
        row = int(np.flatnonzero((n < 0).to_numpy())[0])
        raise ValueError(f"{where}: column 'count' is negative at row {row}.")
    alias = period_alias(freq)
    counts = counts[n > 0]
    period = pd.to_datetime(counts["period"]).dt.to_period(alias).dt.start_time
    periods = pd.Index(np.sort(period.unique()))
    if len(periods) < 3:
        raise ValueError(
            f"share_trend needs at least 3 periods of data, got {len(periods)}; widen "
            "start/end or use a shorter freq."
        )
    # time counts every period, also those without a ticket: a gap must not shorten it
    periods = pd.period_range(periods[0], periods[-1], freq=alias).start_time
    use_season = covers_two_years(periods, alias) if season == "auto" else bool(season)
    t_index = pd.Series(np.arange(len(periods)), index=periods)
    work = pd.DataFrame(
        {
            "_g": counts[group].to_numpy() if group else "_all",
            "_p": period.to_numpy(),
            "_c": counts[by].to_numpy(),
            "_n": counts["count"].to_numpy(dtype=np.int64),
        }
    )
    summed = work.groupby(["_g", "_p", "_c"], sort=True, observed=True)["_n"].sum()
    cube = summed.unstack("_c", fill_value=0)  # (group, period) x category
    totals = cube.sum(axis=1)
    rows, share_rows, fits, designs, resid = [], [], [], [], []
    for g, block in cube.groupby(level="_g", sort=True):
        block = block.droplevel("_g")
        tot = totals.loc[g].to_numpy(dtype=float)
        ti = t_index.loc[block.index].to_numpy(dtype=float)
        X = trend_design(ti, pd.DatetimeIndex(block.index), alias, use_season)
        n_per = len(ti)
        for cat in block.columns:
            k = block[cat].to_numpy(dtype=float)
            n_cat = int(k.sum())
            if n_cat == 0:
                continue
            row = {
                "_g": g,
                by: cat,
                "count": n_cat,
                "total": int(tot.sum()),
                "share": n_cat / tot.sum(),
                "periods": n_per,
            }
            fitted = np.full(n_per, np.nan)
            stats_ok = n_cat >= min_count and n_per - X.shape[1] >= 1 and n_cat < tot.sum()
            if stats_ok:
                try:
                    beta, mu, cov, chi2, dof = logistic_trend(k, tot, X)
                except (np.linalg.LinAlgError, ValueError):
                    stats_ok = False
            if stats_ok:
                fitted = mu
                row.update(
                    share_start=float(mu[0]),
                    share_end=float(mu[-1]),
                    change=float(mu[-1] - mu[0]),
                )
                fits.append((len(rows), beta[1], cov[1, 1], chi2 / dof, dof))
                designs.append(X)
                resid.append((k - tot * mu) / np.sqrt(np.maximum(tot * mu * (1 - mu), 1e-12)))
            rows.append(row)
            share_rows.append(
                pd.DataFrame(
                    {
                        "_g": g,
                        "period": block.index,
                        by: cat,
                        "count": k.astype(np.int64),
                        "total": tot.astype(np.int64),
                        "share": np.divide(k, tot, out=np.full(n_per, np.nan), where=tot > 0),
                        "fitted": fitted,
                    }
                )
            )
    rho = 0.0
    if fits:
        idx, b, v, s2, dof = (np.array(col) for col in zip(*fits, strict=True))
        stats_rows, rho = slope_tests(b, v, s2, dof, designs, resid, alpha=alpha)
        for j, st in zip(idx, stats_rows, strict=True):
            rows[j].update(st)
    stat_cols = [
        "share_start",
        "share_end",
        "change",
        "odds_ratio",
        "ci_low",
        "ci_high",
        "dispersion",
        "dispersion_raw",
        "ar_factor",
        "df_resid",
        "p_value",
    ]
    trends = pd.DataFrame(rows)
    for col in stat_cols:
        if col not in trends.columns:
            trends[col] = np.nan
    trends["p_adj"] = holm(trends["p_value"].to_numpy(dtype=float))
    trends["significant"] = trends["p_adj"].fillna(1.0).to_numpy() < alpha
    direction = np.where(
        trends["p_value"].isna(),
        "untested",
        np.where(
            trends["significant"],
            np.where(trends["odds_ratio"] > 1, "rising", "falling"),
            "flat",
        ),
    )
    trends["direction"] = direction
    key = trends["change"].fillna(-np.inf)
    trends = (
        trends.assign(_k=-key)
        .sort_values(["_k", "_g", by], kind="stable")
        .drop(columns="_k")
        .reset_index(drop=True)
    )
    shares = pd.concat(share_rows, ignore_index=True)
    if group is None:
        trends = trends.drop(columns="_g")
        shares = shares.drop(columns="_g")
    else:
        trends = trends.rename(columns={"_g": group})
        shares = shares.rename(columns={"_g": group})
    columns = ([group] if group else []) + [by, "count", "total", "share", "periods"]
    trends = trends[columns + stat_cols + ["p_adj", "significant", "direction"]]
    return ShareTrend(
        trends=trends,
        shares=shares,
        by=by,
        group=group,
        freq=freq,
        alpha=alpha,
        excluded=dict(excluded or {}),
        season=bool(use_season),
        autocorrelation=float(rho),
    )


def rising_factors(
    df,
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
    """List the factors whose share of tickets is significantly rising, largest rise first.

    The question of the Pareto worker: not only "which few categories are biggest" but
    "which one is growing". It runs :func:`share_trend` and keeps the rows whose trend
    is upward and significant after the Holm adjustment, ranked by how much the fitted
    share grew over the window (``change``), so a small category that doubled from 1%
    to 2% does not outrank one that went from 5% to 20%.

    Parameters
    ----------
    df : DataFrame or ShareTrend
        Ticket rows, or a result of :func:`share_trend` (then the other arguments except
        ``alpha`` and ``min_change`` are ignored).
    by, freq, group, date, start, end, min_count, alpha, season
        As in :func:`share_trend`. Use ``start``/``end`` for a recent window: "rising in
        the last nine months".
    min_change : float, default 0.0
        Keep only rises of at least this much share (0.05 = five percentage points).

    Returns
    -------
    DataFrame
        The rising rows of ``share_trend(...).trends`` with a ``rank`` column (1 = the
        largest rise). Empty when nothing rises significantly.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> months = np.repeat(pd.date_range("2024-01-01", periods=9, freq="MS"), 150)
    >>> p = np.repeat(np.linspace(0.04, 0.25, 9), 150)
    >>> cat = np.where(rng.random(len(p)) < p, "快递", rng.choice(["噪音", "卫生", "停车"], len(p)))
    >>> rising_factors(pd.DataFrame({"created_at": months, "category": cat}))[
    ...     ["rank", "category"]]
       rank category
    0     1       快递
    """
    if isinstance(df, ShareTrend):
        return _rising(df, df.trends["p_adj"].fillna(1.0) < alpha, alpha, min_change)
    res = share_trend(
        df,
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


def _rising(res: ShareTrend, sig: pd.Series, alpha: float, min_change: float) -> pd.DataFrame:
    trends = res.trends
    out = trends[sig & (trends["odds_ratio"] > 1) & (trends["change"] >= min_change)]
    out = out.sort_values("change", ascending=False, kind="stable").reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1, dtype=np.int64))
    out.attrs = {"by": res.by, "group": res.group, "freq": res.freq, "alpha": alpha}
    return out


def rising_factors_from_counts(
    counts: pd.DataFrame,
    *,
    by: str = "category",
    freq: str = "MS",
    group: str | None = None,
    min_count: int = 10,
    alpha: float = 0.05,
    min_change: float = 0.0,
    season="auto",
) -> pd.DataFrame:
    """:func:`rising_factors` from counts made elsewhere (see :func:`share_trend_from_counts`).

    Parameters
    ----------
    counts : DataFrame
        As :func:`share_trend_from_counts`: ``period``, ``by``, ``count`` (and
        ``group``).
    by, freq, group, min_count, alpha, min_change, season
        As in :func:`rising_factors`.

    Returns
    -------
    DataFrame
        As :func:`rising_factors`.

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({
    ...     "period": pd.date_range("2024-01-01", periods=6, freq="MS").repeat(2),
    ...     "category": ["快递", "噪音"] * 6,
    ...     "count": [5, 95, 10, 90, 20, 80, 30, 70, 45, 55, 60, 40]})
    >>> rising_factors_from_counts(counts)[["rank", "category"]]
       rank category
    0     1       快递
    """
    res = share_trend_from_counts(
        counts, by=by, freq=freq, group=group, min_count=min_count, alpha=alpha, season=season
    )
    return _rising(res, res.trends["significant"], alpha, min_change)


def share_trend_chart(
    result: ShareTrend,
    *,
    categories=None,
    group=None,
    top: int = 3,
    ax=None,
    lang: str = "zh",
    title: str | None = None,
):
    """Draw the period shares of a few categories with their fitted trend curves.

    Parameters
    ----------
    result : ShareTrend
        Output of :func:`share_trend`.
    categories : list, optional
        Categories to draw; default the ``top`` largest rises (in ``group`` if given).
    group : object, optional
        The group to draw when the result has groups; default the group of the largest
        rise.
    top : int, default 3
        How many categories to draw when ``categories`` is not given.
    ax : matplotlib Axes, optional
    lang : {"zh", "en"}, default "zh"
    title : str, optional
        Pass "" for none.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> months = np.repeat(pd.date_range("2024-01-01", periods=6, freq="MS"), 50)
    >>> cat = np.where(np.arange(300) % 50 < np.repeat(np.arange(6) * 5 + 5, 50), "快递", "噪音")
    >>> ax = share_trend_chart(share_trend(pd.DataFrame({"created_at": months, "category": cat})))
    >>> len(ax.get_lines())
    4
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    from commlib import plotting

    check_lang(lang)
    plotting.use_chinese_font()
    trends, shares = result.trends, result.shares
    by, gcol = result.by, result.group
    if gcol is not None:
        if group is None:
            group = trends[gcol].iloc[0]
        trends = trends[trends[gcol] == group]
        shares = shares[shares[gcol] == group]
    if categories is None:
        categories = trends[by].head(top).tolist()
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    colors = [plotting.VITAL_COLOR, plotting.LINE_COLOR, "#2E86AB", "#F18F01", "#6C757D"]
    for i, cat in enumerate(categories):
        s = shares[shares[by] == cat].sort_values("period")
        c = colors[i % len(colors)]
        ax.plot(s["period"], s["share"] * 100, "o", color=c, alpha=0.7, label=str(cat))
        ax.plot(s["period"], s["fitted"] * 100, "-", color=c, lw=2)
    ax.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    ax.set_ylabel(t("trends.share_chart.ylabel", lang))
    ax.legend(fontsize=9)
    if title is None:
        if gcol is not None:
            title = t("trends.share_chart.title_group", lang, group=group)
        else:
            title = t("trends.share_chart.title", lang)
    if title:
        ax.set_title(title)
    ax.figure.autofmt_xdate()
    return ax
