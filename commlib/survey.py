"""Resident surveys: each question summarised with a confidence interval, and before/after.

A residents' survey of a few hundred people is a sample: "satisfaction rose from 2.7
to 3.9" means little without the uncertainty. :func:`survey_summary` gives, per group
(e.g. survey wave), the mean of every score question with a Student-t interval and
the share of "yes" of every yes/no question with a Wilson score interval.
:func:`survey_change` gives the difference between two groups: Welch's t interval and
test for means, Newcombe's hybrid score interval (method 10) and the two-proportion
z-test for shares. The intervals and tests are scipy's and statsmodels' (``ttest_ind``,
``proportion_confint``, ``confint_proportions_2indep``, ``proportions_ztest``).

Question types are recognised from the data: a column of numbers is a score; a column
of booleans, of 0/1, or of yes/no words (是/否, 有/没有, yes/no, y/n, true/false) is a
yes/no question. Blank answers are left out of each question's count (``n``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from commlib.errors import require_columns

__all__ = ["survey_summary", "survey_change", "wilson_interval"]

_YES = {"是", "有", "会", "yes", "y", "true", "1", "对", "同意"}
_NO = {"否", "没有", "无", "不会", "no", "n", "false", "0", "不同意"}


def wilson_interval(successes, n, *, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval for a proportion (good for small n and shares near 0 or 1).

    Computed by ``statsmodels.stats.proportion.proportion_confint(method="wilson")``.

    Examples
    --------
    >>> lo, hi = wilson_interval(30, 100)
    >>> round(float(lo), 3), round(float(hi), 3)
    (0.219, 0.396)
    """
    from statsmodels.stats.proportion import proportion_confint

    if n <= 0:
        return (float("nan"), float("nan"))
    lo, hi = proportion_confint(successes, n, alpha=alpha, method="wilson")
    return (max(0.0, float(lo)), min(1.0, float(hi)))


def _binary(s: pd.Series) -> pd.Series | None:
    """The column as 1.0/0.0/NaN when it is a yes/no question, else None."""
    if pd.api.types.is_bool_dtype(s):
        return s.astype(float)
    if pd.api.types.is_numeric_dtype(s):
        vals = set(pd.unique(s.dropna()))
        return s.astype(float) if vals and vals <= {0, 1} else None
    text = s.astype("string").str.strip().str.lower()
    vals = set(text.dropna().unique())
    if vals and vals <= (_YES | _NO):
        return text.map(lambda v: 1.0 if v in _YES else 0.0, na_action="ignore").astype(float)
    return None


def _items(df: pd.DataFrame, group: str | None, items) -> dict[str, tuple[str, pd.Series]]:
    """item -> (kind, values as float) for the questions to summarise."""
    cols = list(items) if items is not None else [c for c in df.columns if c != group]
    require_columns(df, cols, where="survey input")
    out = {}
    for c in cols:
        b = _binary(df[c])
        if b is not None:
            out[c] = ("proportion", b)
        elif pd.api.types.is_numeric_dtype(df[c]):
            out[c] = ("mean", df[c].astype(float))
        elif items is not None:
            raise TypeError(
                f"Column {c!r} is neither numbers nor yes/no answers; it cannot be summarised."
            )
    return out


def survey_summary(
    df: pd.DataFrame,
    *,
    group: str | None = "wave",
    items=None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Summarise each survey question per group with a confidence interval.

    Parameters
    ----------
    df : DataFrame
        One row per respondent.
    group : str or None, default "wave"
        Column that splits the respondents (e.g. ``"wave"`` with before/after); None for
        one overall summary.
    items : list of str, optional
        Questions to summarise. Default: every score (numeric) or yes/no column other
        than ``group``; text columns are skipped. Keep respondent numbers as text, or
        pass ``items``.
    alpha : float, default 0.05
        Intervals have confidence ``1 - alpha``.

    Returns
    -------
    DataFrame
        One row per question (x group): ``group`` value, ``item``, ``kind`` ("mean" or
        "proportion"), ``n`` (answers), ``estimate`` (mean, or share of yes),
        ``ci_low``, ``ci_high``, ``sd`` (means only).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"wave": ["前"] * 4 + ["后"] * 4,
    ...                    "satisfaction": [2, 3, 2, 3, 4, 5, 4, 4],
    ...                    "feels_safe": ["否", "否", "是", "否", "是", "是", "是", "否"]})
    >>> survey_summary(df)[["wave", "item", "n", "estimate"]]
      wave          item  n  estimate
    0    前  satisfaction  4      2.50
    1    前    feels_safe  4      0.25
    2    后  satisfaction  4      4.25
    3    后    feels_safe  4      0.75
    """
    from scipy import stats

    if group is not None:
        require_columns(df, [group], where="survey_summary input")
    parsed = _items(df, group, items)
    keys = pd.unique(df[group].dropna()) if group is not None else [None]
    rows = []
    for key in keys:
        sel = (df[group] == key).to_numpy() if group is not None else np.ones(len(df), bool)
        for item, (kind, vals) in parsed.items():
            v = vals[sel].dropna().to_numpy(dtype=float)
            n = len(v)
            row = {"item": item, "kind": kind, "n": n}
            if group is not None:
                row = {group: key, **row}
            if kind == "mean":
                m = float(v.mean()) if n else np.nan
                sd = float(v.std(ddof=1)) if n > 1 else np.nan
                half = stats.t.ppf(1 - alpha / 2, n - 1) * sd / math.sqrt(n) if n > 1 else np.nan
                row.update(estimate=m, ci_low=m - half, ci_high=m + half, sd=sd)
            else:
                k = float(v.sum())
                lo, hi = wilson_interval(k, n, alpha=alpha)
                row.update(estimate=k / n if n else np.nan, ci_low=lo, ci_high=hi, sd=np.nan)
            rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs = {"alpha": alpha, "group": group}
    return out


def survey_change(
    df: pd.DataFrame,
    *,
    group: str = "wave",
    before="before",
    after="after",
    items=None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Estimate the change of each survey question between two groups, with its interval.

    The two groups are independent samples (different respondents in each wave, as in
    most neighbourhood surveys). Means: difference ``after - before`` with Welch's t
    interval and test (no equal-variance assumption). Shares: difference with
    Newcombe's hybrid Wilson score interval, which behaves well for small samples and
    shares near 0 or 1, and the two-proportion z-test (pooled).

    Parameters
    ----------
    df : DataFrame
        One row per respondent.
    group : str, default "wave"
    before, after : object, default "before", "after"
        Values of ``group`` to compare.
    items : list of str, optional
        As in :func:`survey_summary`.
    alpha : float, default 0.05

    Returns
    -------
    DataFrame
        One row per question: ``item``, ``kind``, ``n_before``, ``n_after``,
        ``before``, ``after`` (means or shares), ``difference``, ``ci_low``,
        ``ci_high``, ``p_value``, ``significant``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"wave": ["before"] * 50 + ["after"] * 50,
    ...                    "safe": ["否"] * 35 + ["是"] * 15 + ["否"] * 10 + ["是"] * 40})
    >>> row = survey_change(df).iloc[0]
    >>> round(float(row["difference"]), 2), bool(row["ci_low"] > 0), bool(row["significant"])
    (0.5, True, True)
    """
    from scipy import stats
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    require_columns(df, [group], where="survey_change input")
    for value in (before, after):
        if not (df[group] == value).any():
            raise ValueError(
                f"No respondents with {group} == {value!r}; values present: "
                f"{', '.join(map(str, pd.unique(df[group].dropna())))}."
            )
    parsed = _items(df, group, items)
    sb = (df[group] == before).to_numpy()
    sa = (df[group] == after).to_numpy()
    z = stats.norm.ppf(1 - alpha / 2)
    rows = []
    for item, (kind, vals) in parsed.items():
        vb = vals[sb].dropna().to_numpy(dtype=float)
        va = vals[sa].dropna().to_numpy(dtype=float)
        nb, na = len(vb), len(va)
        row = {"item": item, "kind": kind, "n_before": nb, "n_after": na}
        if nb < 2 or na < 2:
            row.update(before=np.nan, after=np.nan, difference=np.nan)
            rows.append(row)
            continue
        mb, ma = float(vb.mean()), float(va.mean())
        diff = ma - mb
        if kind == "mean":
            if vb.var() + va.var() > 0:
                # Welch: interval and test of mean(after) - mean(before)
                welch = stats.ttest_ind(va, vb, equal_var=False)
                ci = welch.confidence_interval(confidence_level=1 - alpha)
                lo, hi, p = float(ci.low), float(ci.high), float(welch.pvalue)
            else:  # no spread on either side: the difference is exact, nothing to test
                lo, hi, p = diff, diff, np.nan
        else:
            kb, ka = vb.sum(), va.sum()
            lo, hi = confint_proportions_2indep(
                ka, na, kb, nb, method="newcomb", compare="diff", alpha=alpha
            )
            lo, hi = float(lo), float(hi)
            pool = (ka + kb) / (na + nb)
            if 0 < pool < 1:
                p = float(proportions_ztest([ka, kb], [na, nb])[1])
            else:
                p = np.nan
        row.update(before=mb, after=ma, difference=diff, ci_low=lo, ci_high=hi, p_value=p)
        rows.append(row)
    out = pd.DataFrame(rows)
    for col in ("ci_low", "ci_high", "p_value"):
        if col not in out.columns:
            out[col] = np.nan
    out["significant"] = out["p_value"].fillna(1.0) < alpha
    out.attrs = {"alpha": alpha, "group": group, "before": before, "after": after, "z": z}
    return out
