"""The statistics of :func:`commlib.trends.share_trend`: one binomial GLM per category.

- :func:`trend_design`: intercept, centred time and (from two years, or on request)
  time-of-year terms;
- :func:`logistic_trend`: the binomial-logit GLM of a category's counts out of the
  period totals (statsmodels);
- :func:`slope_tests`: the binomial and quasi-binomial Wald tests of the slope, the
  latter with the Pearson dispersion, the pooled AR(1) inflation of
  :mod:`commlib.trends._autocorr` and Student's t on ``periods - p`` degrees of freedom.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def _exp(x: float) -> float:
    """``exp`` that gives inf instead of raising OverflowError (separated categories)."""
    with np.errstate(over="ignore"):
        return float(np.exp(x))


#: periods per year of each period alias (weeks and days: the calendar average)
_PER_YEAR = {"D": 365.25, "W": 365.25 / 7, "M": 12.0, "Q": 4.0, "Y": 1.0}


def covers_two_years(periods: pd.DatetimeIndex, alias: str) -> bool:
    """Whether ``periods`` (consecutive period starts) span at least two full years."""
    return alias != "Y" and len(periods) >= 2 * _PER_YEAR[alias] - 1e-9


def seasonal_columns(periods: pd.DatetimeIndex, alias: str, pairs: int = 2):
    """Design columns for the time of year of each period, and their names.

    Months and quarters get one indicator per month (quarter) of the year except the
    first present, so every calendar month has its own level; weeks and days get
    ``pairs`` annual sine/cosine pairs at the middle of the period.
    """
    periods = pd.DatetimeIndex(periods)
    if alias in ("M", "Q"):
        slot = periods.month.to_numpy() if alias == "M" else periods.quarter.to_numpy()
        levels = np.unique(slot)[1:]
        cols = [(slot == v).astype(float) for v in levels]
        names = [f"{'month' if alias == 'M' else 'quarter'}{int(v)}" for v in levels]
    else:
        half = 3.5 if alias == "W" else 0.5
        doy = (periods + pd.Timedelta(days=half)).day_of_year.to_numpy(dtype=float)
        cols, names = [], []
        for k in range(1, int(pairs) + 1):
            cols += [np.sin(2 * np.pi * k * doy / 365.25), np.cos(2 * np.pi * k * doy / 365.25)]
            names += [f"sin{k}", f"cos{k}"]
    if not cols:
        return np.empty((len(periods), 0)), []
    return np.column_stack(cols), names


def logistic_trend(k: np.ndarray, n: np.ndarray, X: np.ndarray):
    """Binomial-logit GLM of ``k`` successes out of ``n`` on ``X`` (statsmodels).

    Returns (params, fitted shares, unscaled covariance, Pearson chi-square, residual
    degrees of freedom). Raises ``np.linalg.LinAlgError`` or ``ValueError`` when the
    model cannot be fitted.
    """
    import warnings

    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        DomainWarning,
        PerfectSeparationWarning,
    )

    with warnings.catch_warnings():
        # a category absent at the start is (quasi-)separated: the slope is large and
        # its interval wide, which the table shows; no console warning is needed
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", DomainWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        res = sm.GLM(np.column_stack([k, n - k]), X, family=sm.families.Binomial()).fit(
            tol=1e-10, maxiter=100
        )
    cov = np.asarray(res.normalized_cov_params)
    if not np.all(np.isfinite(cov)) or not np.all(np.isfinite(res.params)):
        raise np.linalg.LinAlgError("singular logistic trend")
    return (
        np.asarray(res.params),
        np.asarray(res.fittedvalues),
        cov,
        float(res.pearson_chi2),
        float(res.df_resid),
    )


def trend_design(ti: np.ndarray, periods: pd.DatetimeIndex, alias: str, season: bool):
    """The design of one group's periods: intercept, centred time index ``ti`` (slope in
    column 1) and, with ``season``, time-of-year terms when at least two residual
    degrees of freedom remain."""
    tc = ti - ti.mean()
    X = np.column_stack([np.ones_like(tc), tc])
    if season and alias != "Y":
        S, _ = seasonal_columns(periods, alias)
        if len(ti) - X.shape[1] - S.shape[1] >= 2:
            X = np.column_stack([X, S])
    return X


def slope_tests(b, v, s2, dof, designs, resid, *, alpha: float) -> tuple[list[dict], float]:
    """The test of each tested category's slope, and the pooled lag-1 autocorrelation.

    ``b`` slopes, ``v`` their binomial variances, ``s2`` Pearson dispersions on ``dof``
    residual degrees of freedom; ``designs`` and ``resid`` (Pearson residuals in time
    order) per category feed the AR(1) correction. Returns one dict of statistics per
    category (``odds_ratio``, ``ci_low``, ``ci_high``, ``dispersion``,
    ``dispersion_raw``, ``ar_factor``, ``df_resid``, ``p_value``) and ``rho``.
    """
    from scipy import stats

    from commlib.trends._autocorr import variance_factors

    # month-to-month memory: one AR(1) rho pooled over every tested category
    ar, rho = variance_factors(designs, resid)
    z_crit = float(stats.norm.ppf(1 - alpha / 2))
    out = []
    for i in range(len(b)):
        # two tests, both must reject: the binomial Wald test (known variance,
        # normal reference) and the quasi-binomial one (Pearson dispersion, the
        # variance inflated for memory, t reference on periods - p degrees of
        # freedom). Each is valid under its own model, so the larger p-value is
        # valid under either.
        se_b = math.sqrt(v[i])
        se_q = math.sqrt(v[i] * s2[i] * ar[i])
        p_b = float(2 * stats.norm.sf(abs(b[i]) / se_b)) if se_b > 0 else 1.0
        p_q = float(2 * stats.t.sf(abs(b[i]) / se_q, dof[i])) if se_q > 0 else 1.0
        half = max(z_crit * se_b, float(stats.t.ppf(1 - alpha / 2, dof[i])) * se_q)
        out.append(
            dict(
                odds_ratio=_exp(b[i]),
                ci_low=_exp(b[i] - half),
                ci_high=_exp(b[i] + half),
                dispersion=max(1.0, float(s2[i])),
                dispersion_raw=float(s2[i]),
                ar_factor=float(ar[i]),
                df_resid=int(dof[i]),
                p_value=max(p_b, p_q),
            )
        )
    return out, rho
