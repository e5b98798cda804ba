"""The pooled AR(1) correction of share_trend (issue 14, item 3): month-to-month memory
in the categories' noise must not make a flat share look like a trend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from commlib.trends import _autocorr
from commlib.trends._share import share_trend_from_counts


def _ar_counts(seed, *, months=12, cats=30, rho=0.0, rise=1.0):
    """Counts with shared month shocks and each category's own lognormal noise with
    AR(1) memory ``rho`` (sd 0.1 to 0.3); category 0's rate grows by ``rise`` a month."""
    rng = np.random.default_rng(seed)
    base = 1.0 / np.arange(1, cats + 1) ** 0.8
    base = 4000 * base / base.sum()
    shock = rng.normal(0, 0.25, months)[:, None]
    sd = rng.uniform(0.1, 0.3, cats)
    u = np.zeros((months, cats))
    u[0] = rng.normal(0, 1, cats) * sd / np.sqrt(1 - rho**2)
    for m in range(1, months):
        u[m] = rho * u[m - 1] + rng.normal(0, 1, cats) * sd
    mu = base[None, :] * np.exp(shock + u)
    mu[:, 0] *= rise ** np.arange(months)
    per = pd.date_range("2022-01-01", periods=months, freq="MS")
    return pd.DataFrame(
        {
            "period": np.repeat(per, cats),
            "category": np.tile([f"c{j:02d}" for j in range(cats)], months),
            "count": rng.poisson(mu).reshape(-1),
        }
    )


def test_memory_alone_is_not_a_trend():
    """AR(1) memory 0.5, no trend, 30 categories (seed 9): without the correction a
    category is flagged (smallest Holm p 0.017); with it none is (0.16). Over seeds
    0-24 the uncorrected test flags 13 of 25, the corrected one 3."""
    counts = _ar_counts(9, rho=0.5)
    res = share_trend_from_counts(counts)
    assert 0.2 < res.autocorrelation < 0.6
    assert (res.trends["ar_factor"] > 1.5).all()
    assert not res.trends["significant"].any()
    assert res.trends["p_adj"].min() > 0.1
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_autocorr, "MIN_CATEGORIES", 10**9)
        plain = share_trend_from_counts(counts)
    assert plain.trends["p_adj"].min() < 0.025
    assert plain.autocorrelation == 0 and (plain.trends["ar_factor"] == 1).all()


def test_pooled_rho_is_zero_for_independent_residuals_and_recovers_memory():
    rng = np.random.default_rng(1)
    T = 12
    X = np.column_stack([np.ones(T), np.arange(T) - 5.5])
    M = np.eye(T) - X @ np.linalg.pinv(X)
    iid = [M @ rng.normal(size=T) for _ in range(400)]
    assert _autocorr.pooled_rho(iid, X) < 0.08
    L = np.linalg.cholesky(_autocorr.ar_corr(0.5, T))
    ar = [M @ (L @ rng.normal(size=T)) for _ in range(400)]
    # matched on the ratio of expectations, the mean of 12-month ratios reads low
    # (0.38 for 0.5): the correction is partial for strong memory
    assert 0.3 < _autocorr.pooled_rho(ar, X) < 0.6


def test_ar_factor_is_the_simulated_variance_ratio():
    """The factor is Var(slope) under AR(1) over the mean naive variance estimate, and
    tends to (1 + rho) / (1 - rho) over many periods."""
    rng = np.random.default_rng(2)
    T, rho = 12, 0.4
    X = np.column_stack([np.ones(T), np.arange(T) - 5.5])
    assert _autocorr.ar_factor(X, 0.0) == pytest.approx(1.0)
    L = np.linalg.cholesky(_autocorr.ar_corr(rho, T))
    y = (L @ rng.normal(size=(T, 20_000))).T
    coef = y @ np.linalg.pinv(X).T
    resid = y - coef @ X.T
    naive = np.sum(resid**2, axis=1) / (T - 2) * np.linalg.inv(X.T @ X)[1, 1]
    assert np.var(coef[:, 1]) / naive.mean() == pytest.approx(_autocorr.ar_factor(X, rho), rel=0.05)
    long = np.column_stack([np.ones(400), np.arange(400.0)])
    assert _autocorr.ar_factor(long, rho) == pytest.approx((1 + rho) / (1 - rho), rel=0.02)


def test_few_categories_get_no_correction():
    res = share_trend_from_counts(_ar_counts(9, rho=0.5, cats=5))
    assert res.autocorrelation == 0 and (res.trends["ar_factor"] == 1).all()


@pytest.mark.slow
def test_month_memory_false_alarms_bounded_with_correction_not_without():
    """AR(1) memory 0.5 in every category's month noise, no trend, 30 seeds: with the
    pooled AR(1) correction at most 4 flag a category (2 measured); without it 14."""

    def flagged():
        return sum(
            share_trend_from_counts(_ar_counts(100 + s, rho=0.5)).trends["significant"].any()
            for s in range(30)
        )

    assert flagged() <= 4
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_autocorr, "MIN_CATEGORIES", 10**9)
        assert flagged() >= 10


@pytest.mark.slow
def test_planted_12_month_rise_is_still_found_with_correction(monkeypatch):
    """+8% a month over 12 months, no memory: found in 15 of 20 seeds with the AR
    correction (17 without); over-correcting (rho fixed at 0.5 instead of estimated)
    loses it."""

    def found():
        return sum(
            share_trend_from_counts(_ar_counts(s, rise=1.08))
            .trends.query("significant and odds_ratio > 1")["category"]
            .tolist()
            == ["c00"]
            for s in range(20)
        )

    assert found() >= 14
    monkeypatch.setattr(_autocorr, "pooled_rho", lambda resid, X: 0.5)
    assert found() <= 10


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.9])
def test_fast_formulas_equal_the_dense_matrices(rho):
    """expected_lag1 and ar_factor never build the T x T matrices (daily periods over
    years); they equal the dense formulas on a 24-month design with month terms."""
    T = 24
    month = np.arange(T) % 12
    X = np.column_stack(
        [np.ones(T), np.arange(T) - 11.5] + [(month == m).astype(float) for m in range(1, 12)]
    )
    M = np.eye(T) - X @ np.linalg.pinv(X)
    R = _autocorr.ar_corr(rho, T)
    MRM = M @ R @ M
    assert _autocorr.expected_lag1(X, rho) == pytest.approx(
        np.trace(np.eye(T, k=1) @ MRM) / np.trace(MRM), abs=1e-10
    )
    c = np.linalg.pinv(X)[1]
    dense = (c @ R @ c) / (c @ c) / (np.trace(M @ R) / (T - X.shape[1]))
    assert _autocorr.ar_factor(X, rho) == pytest.approx(dense, rel=1e-10)
