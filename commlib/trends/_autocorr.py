"""Month-to-month memory in share trends: one AR(1) coefficient pooled across categories.

The quasi-binomial test of :func:`commlib.trends.share_trend` takes a category's
periods as independent given the trend. Real ticket shares have memory (a backlog
carries over, a campaign lasts two months), and then the slope's variance is larger
than the residuals say, twice over: the slope itself varies more, and positively
correlated residuals hug the fitted line, so the Pearson dispersion reads low.

The correction (a feasible-GLS-style variance inflation for the ordinary slope):

1. one lag-1 autocorrelation ``rho`` for all categories of the table, from their
   standardised (Pearson) residuals in time order: the mean over categories of
   ``sum r_t r_{t+1} / sum r_t^2`` is matched to its exact expectation under AR(1)
   residuals of the same design (:func:`expected_lag1`), so the downward bias of
   fitted residuals (about ``-1/T`` per fitted term) is removed and independent
   residuals give ``rho`` about 0. It is truncated to ``[0, 0.95]``: a negative value
   never shrinks a variance. With twelve periods a single category's ``rho`` is
   hopeless (standard error about 0.3); pooled over 40 categories it is about 0.05.
   The mean of per-category ratios is matched to a ratio of expectations, so strong
   memory reads low (about 0.38 for 0.5 over 12 periods): the correction is partial,
   never an over-correction.
2. the slope's variance is multiplied by the exact AR(1) factor of the design
   (:func:`ar_factor`): the variance of the slope under AR(1) errors over the
   expectation of its naive estimate (the residual variance times ``(X'X)^-1``).
   For a linear trend over many periods this tends to the textbook
   ``(1 + rho) / (1 - rho)``; over 12 periods it also carries the low reading of the
   dispersion. The binomial weights are left out of the factor (the period totals of
   one table vary little).

Measured (benchmarks/bench_trends_calibration.py, 30 runs each, without -> with): false
alarms with AR(1) 0.3 month noise 23% -> 3%, negative-binomial wandering shares over 12
months 7% -> 3%, the other nulls unchanged (0-3%); power for +8% a month over 12 months
70/37/53% -> 63/33/47%, over 18 months 100/93/97% both, over 24 months 100/100/97% ->
100/100/93%. Under independent noise the pooled rho is 0 in 60% of tables (30 seeds, 30
categories x 12 months; mean 0.027), so no further shrinkage toward 0 is applied: the
bias correction and the floor at 0 already do it.
"""

from __future__ import annotations

import numpy as np

#: fewer tested categories than this: no correction (the shares of a few categories
#: are strongly dependent, and their pooled rho is noise)
MIN_CATEGORIES = 8

#: the largest rho used
MAX_RHO = 0.95


def ar_corr(rho: float, T: int) -> np.ndarray:
    """The ``T x T`` correlation matrix of a stationary AR(1) series, ``rho**|i-j|``."""
    i = np.arange(T)
    return rho ** np.abs(i[:, None] - i[None, :])


def _ar_times(rho: float, V: np.ndarray) -> np.ndarray:
    """``ar_corr(rho, T) @ V`` in O(T) per column, without the ``T x T`` matrix: the sum
    of a forward and a backward first-order filter (daily periods over years stay cheap)."""
    from scipy.signal import lfilter

    fwd = lfilter([1.0], [1.0, -rho], V, axis=0)
    bwd = lfilter([1.0], [1.0, -rho], V[::-1], axis=0)[::-1]
    return fwd + bwd - V


def _basis(X: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the columns of ``X`` (its rank may be short: a
    time-of-year column that is all zero in a group's periods)."""
    U, sv, _ = np.linalg.svd(X, full_matrices=False)
    return U[:, sv > sv.max() * max(X.shape) * np.finfo(float).eps]


def ar_factor(X: np.ndarray, rho: float) -> float:
    """Var(slope) under AR(1) ``rho`` over its expected naive (independent) estimate.

    The slope is column 1 of ``X``; the naive estimate is the residual variance (on
    ``T - rank`` degrees of freedom) times ``(X'X)^-1``. 1 at ``rho = 0``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.column_stack([np.ones(12), np.arange(12) - 5.5])
    >>> round(ar_factor(X, 0.0), 3), round(ar_factor(X, 0.3), 2)
    (1.0, 1.79)
    """
    T = X.shape[0]
    Q = _basis(X)
    c = np.linalg.pinv(X)[1]
    # trace(M R) = T - trace(Q' R Q), M the residual maker, R the AR(1) correlation
    tr_mr = T - float(np.sum(Q * _ar_times(rho, Q)))
    return float((c @ _ar_times(rho, c)) / (c @ c) / (tr_mr / (T - Q.shape[1])))


def expected_lag1(X: np.ndarray, rho: float) -> float:
    """Expected lag-1 ratio ``sum r_t r_{t+1} / sum r_t^2`` of the residuals of ``X``
    under AR(1) ``rho`` (as a ratio of expectations); negative at ``rho = 0``.

    With ``M = I - QQ'`` and the lag operator ``L``, the ratio is
    ``trace(L M R M) / trace(M R M)``, expanded so that only ``R Q`` is needed.
    """
    T = X.shape[0]
    Q = _basis(X)
    RQ = _ar_times(rho, Q)
    A = Q.T @ RQ
    den = T - np.trace(A)
    num = (
        (T - 1) * rho
        - np.sum(RQ[:-1] * Q[1:])
        - np.sum(Q[:-1] * RQ[1:])
        + np.sum((Q[:-1].T @ Q[1:]) * A.T)
    )
    return float(num / den)


def pooled_rho(resid: list[np.ndarray], X: np.ndarray) -> float:
    """One lag-1 autocorrelation for the categories whose residuals ``resid`` (in time
    order) were fitted on design ``X``: the bias-corrected pooled estimate in [0, 0.95].

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = np.column_stack([np.ones(12), np.arange(12) - 5.5])
    >>> M = np.eye(12) - X @ np.linalg.pinv(X)
    >>> pooled_rho([M @ rng.normal(size=12) for _ in range(400)], X) < 0.08
    True
    """
    ratios = [float(np.sum(r[1:] * r[:-1]) / np.sum(r**2)) for r in resid if np.sum(r**2) > 0]
    if not ratios:
        return 0.0
    obs = float(np.mean(ratios))
    lo, hi = 0.0, MAX_RHO
    if obs <= expected_lag1(X, lo):
        return 0.0
    if obs >= expected_lag1(X, hi):
        return hi
    for _ in range(40):  # the expectation rises with rho: bisection
        mid = (lo + hi) / 2
        if expected_lag1(X, mid) < obs:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def variance_factors(
    designs: list[np.ndarray], resid: list[np.ndarray]
) -> tuple[np.ndarray, float]:
    """Per tested category, the factor its slope variance is multiplied by, and the rho.

    ``designs[i]`` is category ``i``'s design (the same object for the categories of one
    group), ``resid[i]`` its Pearson residuals in time order. One rho is pooled over all
    categories (per design, then averaged weighted by the number of categories); the
    factors are at least 1. Fewer than :data:`MIN_CATEGORIES` categories: factors 1.
    """
    m = len(designs)
    if m < MIN_CATEGORIES:
        return np.ones(m), 0.0
    by_design: dict[int, tuple[np.ndarray, list]] = {}
    for X, r in zip(designs, resid, strict=True):
        by_design.setdefault(id(X), (X, []))[1].append(r)
    rhos = [pooled_rho(rs, X) for X, rs in by_design.values()]
    rho = float(np.average(rhos, weights=[len(rs) for _, rs in by_design.values()]))
    if rho <= 0:
        return np.ones(m), 0.0
    cache = {key: max(1.0, ar_factor(X, rho)) for key, (X, _) in by_design.items()}
    return np.array([cache[id(X)] for X in designs]), rho
