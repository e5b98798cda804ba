"""Logit-scale extra-binomial variance pooled across categories (Williams 1982).

An alternative to the per-category Pearson dispersion of :func:`share_trend`, kept
behind :data:`METHOD` (``"pearson"``, the default, leaves share_trend as it was).

Model: the share of category ``j`` in period ``t`` is binomial given a logit-normal
random share, ``logit p_tj = x_t' b_j + e_tj`` with ``e_tj ~ N(0, s2_j)`` (Williams'
"method III", the logistic-normal model). On the logit scale the variance of the
observed log-odds is ``a_tj + s2_j``, where ``a_tj = 1 / (n_t mu_tj (1 - mu_tj))`` is
the known binomial part; this is the quasi-likelihood variance function
``mu (1 - mu) (1 + (n - 1) phi)`` of Williams (1982) written on the logit scale. A
small category is dominated by ``a`` and a large one by ``s2``, but ``s2`` is in the
same units for both, so categories of every size can share it (the Pearson
dispersion ``1 + n mu s2`` cannot be shared without a size trend).

Per category ``s2_j`` is estimated by the method of moments from the Pearson
residuals of the binomial fit (``sum e_t^2 = sum (1 - h_t)(1 + w_t s2)``), on
``d_j = periods - p`` degrees of freedom. The estimates of all tested categories
are then moderated as in limma (Smyth 2004; :func:`commlib.trends._moderate.fit_prior`,
with the robust outlier step), but on this logit scale and without a size trend;
the binomial GLM's slope is kept and its variance computed under the Williams
variance, ``(X'WX)^-1 X'W diag(a + s2_post) W X (X'WX)^-1`` (``W`` the binomial
weights), tested with Student's t on ``d_j + d0``. (Re-fitting the slope by weighted
least squares on the working log-odds, :data:`WLS`, flagged 37% of Boston runs with
shuffled months: bursty small categories' working log-odds are no basis for a fit.)

Measured (benchmarks/bench_trends_calibration.py, 30 runs each): moderated, 12-month
power rises (70/43/63% against 70/37/53%) but false alarms rise on two nulls (7% vs
3%, 10% vs 7%); with the AR(1) correction false alarms fall (AR(1) null 23% to 0%)
and the power gain is gone. So :data:`METHOD` stays ``"pearson"``.

With :data:`AR_CORRECTION` the variance is also inflated for month-to-month memory:
one lag-1 autocorrelation ``rho`` is estimated from the standardised residuals of all
categories (bias-corrected for the fitted terms, so 0 when the residuals are
independent), and the slope's variance multiplied by the exact AR(1) factor of the
design (the true variance of the slope over the expected naive estimate). A rho
below 0 gives no correction (never a smaller variance).

References: D. A. Williams (1982), "Extra-binomial variation in logistic linear
models", Applied Statistics 31(2), 144-148; G. K. Smyth (2004), Statistical
Applications in Genetics and Molecular Biology 3(1), article 3.
"""

from __future__ import annotations

import numpy as np

#: "pearson" (per-category Pearson dispersion, t on periods - p: the default) or
#: "williams" (logit-scale extra-binomial variance moderated across categories)
METHOD = "pearson"

#: with METHOD == "williams": pool a lag-1 autocorrelation and inflate for it
AR_CORRECTION = False

#: with METHOD == "williams": borrow degrees of freedom across categories (limma prior)
MODERATE = True

#: re-estimate the slope by weighted least squares on the working log-odds (True) or
#: keep the binomial GLM's slope with its variance under the Williams variance (False:
#: a bursty small category's working log-odds are no basis for a re-fit)
WLS = False

#: let the prior follow the categories' log mean count (pool with similar sizes)
SIZE_TREND = True


def _ar_corr(rho: float, T: int) -> np.ndarray:
    i = np.arange(T)
    return rho ** np.abs(i[:, None] - i[None, :])


def _ar_factor(X: np.ndarray, rho: float) -> float:
    """Var(slope) under AR(1) ``rho`` over its expected naive (independent) estimate."""
    T, p = X.shape
    XtX_inv = np.linalg.pinv(X.T @ X)
    c = (XtX_inv @ X.T)[1]
    M = np.eye(T) - X @ XtX_inv @ X.T
    R = _ar_corr(rho, T)
    return float((c @ R @ c) / (c @ c) / (np.trace(M @ R) / (T - p)))


def _expected_lag1(X: np.ndarray, rho: float) -> float:
    """Expected pooled lag-1 ratio sum r_t r_{t+1} / sum r_t^2 of OLS residuals."""
    T = X.shape[0]
    XtX_inv = np.linalg.pinv(X.T @ X)
    M = np.eye(T) - X @ XtX_inv @ X.T
    L = np.eye(T, k=1)
    R = _ar_corr(rho, T)
    MRM = M @ R @ M
    return float(np.trace(L @ MRM) / np.trace(MRM))


def pooled_rho(resid: list[np.ndarray], X: np.ndarray) -> float:
    """One lag-1 autocorrelation for all categories measured on design ``X``.

    ``resid`` are the categories' standardised residuals in time order; the observed
    pooled ratio is matched to its expectation under AR(1) (which is negative at
    rho = 0: fitted terms use up degrees of freedom), by bisection on [0, 0.95].
    The expectation is the ratio of expected sums, the observation a mean of
    12-month ratios, so strong memory reads low (about 0.38 for 0.5 over 12 months):
    the correction is partial, never an over-correction.
    """
    num = sum(float(np.sum(r[1:] * r[:-1]) / np.sum(r**2)) for r in resid if np.sum(r**2) > 0)
    obs = num / max(len(resid), 1)
    lo, hi = 0.0, 0.95
    if obs <= _expected_lag1(X, lo):
        return 0.0
    if obs >= _expected_lag1(X, hi):
        return hi
    for _ in range(40):
        mid = (lo + hi) / 2
        if _expected_lag1(X, mid) < obs:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def logit_tests(fits: list[dict]):
    """Slope, its variance and the t degrees of freedom per category.

    ``fits`` holds per tested category ``k`` (counts), ``n`` (period totals), ``mu``
    (binomial fitted shares), ``X`` (design, slope in column 1), ``beta`` (binomial
    estimates). Returns arrays ``(b, var_b, df, s2_raw, rho)``.
    """
    from commlib.trends._moderate import fit_prior, outliers

    m = len(fits)
    s2 = np.empty(m)
    d = np.empty(m)
    for i, f in enumerate(fits):
        k, n, mu, X = f["k"], f["n"], f["mu"], f["X"]
        w = n * mu * (1 - mu)
        WX = X * w[:, None]
        h = np.einsum("ij,jk,ik->i", X, np.linalg.pinv(X.T @ WX), WX)
        e2 = (k - n * mu) ** 2 / np.where(w > 0, w, np.inf)
        d[i] = len(k) - X.shape[1]
        denom = float(np.sum((1 - h) * w))
        s2[i] = max(0.0, float(np.sum(e2)) - d[i]) / denom if denom > 0 else 0.0
    # limma prior on the logit-scale extra variance, no size trend, robust step
    d0, s0 = 0.0, np.zeros(m)
    if MODERATE and m:
        s2f = np.maximum(s2, 1e-6)
        size = np.log([max(float(np.mean(f["k"])), 0.1) for f in fits]) if SIZE_TREND else None
        d0, s0 = fit_prior(s2f, d, size)
        out = outliers(s2f, d, d0, s0)
        if out.any() and (~out).sum() >= 8:
            keep = ~out
            d0, s0_in = fit_prior(s2f[keep], d[keep], None if size is None else size[keep])
            if size is None:
                s0 = np.full(m, float(s0_in[0]))
            else:  # the prior's trend at the outliers' sizes, by interpolation
                o = np.argsort(size[keep])
                s0 = np.interp(size, size[keep][o], s0_in[o])
            out = out | outliers(s2f, d, d0, s0)
    else:
        out = np.ones(m, dtype=bool)
    if d0 == 0 or not np.isfinite(np.sum(s0)):
        post, df = s2, d.copy()
        if np.isinf(d0):
            post, df = s0, d + 1e6
    else:
        post = (d0 * s0 + d * s2) / (d0 + d)
        post = np.where(out, s2, post)
        df = np.where(out, d, d + d0)
    # the slope and its variance under a + s2_post per period
    b = np.empty(m)
    var = np.empty(m)
    resid_by_design: dict[int, tuple[np.ndarray, list]] = {}
    for i, f in enumerate(fits):
        k, n, mu, X = f["k"], f["n"], f["mu"], f["X"]
        w = n * mu * (1 - mu)
        a = 1.0 / np.maximum(w, 1e-12)
        r = (k - n * mu) * a / np.sqrt(a + post[i])  # standardised logit residuals
        if WLS:
            z = X @ f["beta"] + (k - n * mu) * a
            v = 1.0 / (a + post[i])
            XtV = X.T * v
            cov = np.linalg.pinv(XtV @ X)
            beta = cov @ (XtV @ z)
            r = (z - X @ beta) * np.sqrt(v)
            b[i], var[i] = beta[1], cov[1, 1]
        else:
            # the binomial GLM's slope, its variance under the Williams variance
            # function: (X'WX)^-1 X'W diag(a + s2) W X (X'WX)^-1
            bread = np.linalg.pinv(X.T @ (X * w[:, None]))
            meat = (X * (w**2 * (a + post[i]))[:, None]).T @ X
            b[i], var[i] = f["beta"][1], (bread @ meat @ bread)[1, 1]
        if not MODERATE:
            # total variance scale from the residuals when it exceeds the model's
            var[i] *= max(1.0, float(np.sum(r**2)) / d[i])
        resid_by_design.setdefault(id(X), (X, []))[1].append(r)
    rho = 0.0
    if AR_CORRECTION and m >= 8:
        # one rho for all categories: pooled over every design (group) in the table
        rhos = [pooled_rho(rs, X) for X, rs in resid_by_design.values()]
        sizes = [len(rs) for _, rs in resid_by_design.values()]
        rho = float(np.average(rhos, weights=sizes))
        if rho > 0:
            for i, f in enumerate(fits):
                var[i] *= max(1.0, _ar_factor(f["X"], rho))
    return b, var, df, s2, rho
