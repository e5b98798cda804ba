"""Empirical-Bayes moderation of per-category dispersions (limma's ``squeezeVar``).

Each category's quasi-binomial dispersion is a Pearson chi-square over a dozen residual
degrees of freedom: honest, but so noisy that its t test needs a very large statistic
to reject after Holm. All categories of one table are measured over the same months,
so their dispersions inform each other. Following Smyth (2004), the per-category
estimates ``s2_j`` on ``d_j`` degrees of freedom are taken to scatter around a prior
``s0_2`` (here a smooth function of the category's size, as limma's ``trend=TRUE``:
on ticket data the dispersion grows with the count) as a scaled inverse chi-square
with ``d0`` degrees of freedom. ``d0`` and the trend are estimated from all the
categories by the moments of ``log s2_j``; the posterior dispersion

    s2_post_j = (d0 * s0_2_j + d_j * s2_j) / (d0 + d_j)

gives a moderated t statistic with ``d0 + d_j`` degrees of freedom. When the
categories' dispersions differ much more than sampling noise explains, ``d0`` is
small and the test is the plain quasi-likelihood t test; when they agree, the test
borrows their degrees of freedom (edgeR's quasi-likelihood F test, Lund et al. 2012,
Chen, Lun & Smyth 2016, uses the same squeeze).

References: G. K. Smyth (2004), "Linear models and empirical Bayes methods for
assessing differential expression in microarray experiments", Statistical Applications
in Genetics and Molecular Biology 3(1), article 3; limma's ``fitFDist`` and
``squeezeVar``.
"""

from __future__ import annotations

import numpy as np

#: fewer tested categories than this: no moderation (plain t test). The shares of a
#: few categories are strongly dependent (with two, both have the same dispersion),
#: which would make them look alike and overstate ``d0``.
MIN_CATEGORIES = 8

#: upper-tail probability below which a category's dispersion is an outlier of the prior
OUTLIER_P = 0.05

#: at most this many coefficients in the trend of the prior over log size
MAX_TREND_DF = 2

#: never moderate a dispersion downward (the prior only adds degrees of freedom)
UPWARD_ONLY = False

#: moderation on or off. Off in share_trend: on a null of lognormal month noise with
#: shared shocks (tests/test_trends_moderation.py) it flagged 5 of 30 seeds against 2
#: for the plain t test; the t(periods - p) tails were absorbing non-chi-square noise.
ENABLED = False


def _trigamma_inverse(x: float) -> float:
    """The y with trigamma(y) = x (limma's Newton iteration)."""
    from scipy.special import polygamma

    if x > 1e7:
        return 1.0 / np.sqrt(x)
    if x < 1e-6:
        return 1.0 / x
    y = 0.5 + 1.0 / x
    for _ in range(50):
        tri = float(polygamma(1, y))
        dif = tri * (1 - tri / x) / float(polygamma(2, y))
        y += dif
        if -dif / y < 1e-8:
            break
    return y


def fit_prior(s2: np.ndarray, d: np.ndarray, covariate: np.ndarray | None = None):
    """Prior degrees of freedom ``d0`` and prior dispersion per category (limma ``fitFDist``).

    ``s2`` are the per-category dispersions on ``d`` degrees of freedom; ``covariate``
    (e.g. log mean count) lets the prior follow a polynomial trend of up to degree 3
    (limma's spline degrees of freedom: 1 + [n >= 3] + [n >= 6] + [n >= 30]).
    Returns ``(d0, s0_2)``; ``d0`` is 0 when there are fewer than :data:`MIN_CATEGORIES`
    categories and ``inf`` when the dispersions scatter no more than sampling noise.
    """
    from scipy.special import digamma, polygamma

    s2 = np.asarray(s2, dtype=float)
    d = np.asarray(d, dtype=float)
    n = len(s2)
    if n < MIN_CATEGORIES:
        return 0.0, np.full(n, np.nan)
    m = float(np.median(s2))
    if m <= 0:
        m = 1.0
    x = np.maximum(s2, 1e-5 * m)
    e = np.log(x) - digamma(d / 2) + np.log(d / 2)
    k = min(MAX_TREND_DF, 1 + (n >= 3) + (n >= 6) + (n >= 30))
    if covariate is not None:
        c = np.asarray(covariate, dtype=float)
        k = min(k, len(np.unique(c)))
        span = c.max() - c.min()
        u = (2 * (c - c.min()) / span - 1) if span > 0 else np.zeros(n)
        basis = np.polynomial.legendre.legvander(u, k - 1)
    else:
        k = 1
        basis = np.ones((n, 1))
    coef, *_ = np.linalg.lstsq(basis, e, rcond=None)
    emean = basis @ coef
    evar = float(np.sum((e - emean) ** 2) / (n - k) - np.mean(polygamma(1, d / 2)))
    if evar > 0:
        d0 = 2 * _trigamma_inverse(evar)
        s0_2 = np.exp(emean + digamma(d0 / 2) - np.log(d0 / 2))
    else:
        d0 = np.inf
        s0_2 = np.exp(emean)
    return float(d0), s0_2


def outliers(s2: np.ndarray, d: np.ndarray, d0: float, s0_2: np.ndarray) -> np.ndarray:
    """Categories whose dispersion is too large for the prior (upper tail below
    :data:`OUTLIER_P`): a one-off spike month, a category with its own dynamics."""
    from scipy import stats

    if d0 == 0:
        return np.zeros(len(s2), dtype=bool)
    ratio = np.asarray(s2, dtype=float) / s0_2
    if np.isinf(d0):
        tail = stats.chi2.sf(ratio * d, d)
    else:
        tail = stats.f.sf(ratio, d, d0)
    return tail < OUTLIER_P


def moderate(s2: np.ndarray, d: np.ndarray, covariate: np.ndarray | None = None):
    """Moderated dispersions and their degrees of freedom, robust to outlying categories.

    The prior is fitted (:func:`fit_prior`), categories whose own dispersion is
    improbably large under it are set aside and the prior fitted again without them
    (in the spirit of limma's ``robust=TRUE``, Phipson et al. 2016, Annals of Applied
    Statistics 10(2)); those categories keep their own dispersion and ``d`` degrees of
    freedom (the plain quasi-likelihood t test), the others get the posterior
    dispersion on ``d0 + d``. Returns ``(dispersion, df, d0, is_outlier)``.
    """
    s2 = np.asarray(s2, dtype=float)
    d = np.asarray(d, dtype=float)
    if not ENABLED:
        return s2, d, 0.0, np.zeros(len(s2), dtype=bool)
    d0, s0_2 = fit_prior(s2, d, covariate)
    out = outliers(s2, d, d0, s0_2)
    if out.any() and (~out).sum() >= MIN_CATEGORIES:
        cov_in = None if covariate is None else np.asarray(covariate)[~out]
        d0, s0_in = fit_prior(s2[~out], d[~out], cov_in)
        # the prior's trend at the outliers' sizes: refit on all points' covariate
        s0_2 = np.interp(
            np.asarray(covariate, dtype=float) if covariate is not None else np.zeros(len(s2)),
            np.sort(cov_in) if cov_in is not None else np.zeros(1),
            s0_in[np.argsort(cov_in)] if cov_in is not None else s0_in[:1],
        )
        out = out | outliers(s2, d, d0, s0_2)
    if d0 == 0:
        return s2, d, 0.0, out
    post = s0_2 if np.isinf(d0) else (d0 * s0_2 + d * s2) / (d0 + d)
    post = np.where(out, s2, np.maximum(post, s2) if UPWARD_ONLY else post)
    df = np.where(out, d, d + d0)
    return post, df, float(d0), out
