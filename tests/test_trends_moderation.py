"""Empirical-Bayes moderated dispersion in share_trend (issue 14, item 3) and the
counts entry point that share_trend and the Dask path share (issue 16)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from commlib.trends import _moderate, rising_factors, share_trend
from commlib.trends._share import (
    rising_factors_from_counts,
    share_trend_from_counts,
    ticket_counts,
)
from tests.test_trends import _shocked_counts


def test_prior_is_recovered_from_scaled_inverse_chi_square_dispersions():
    """fit_prior is limma's fitFDist: true dispersions drawn from a scaled inverse
    chi-square (d0 = 8, s0^2 = 2), observed on 10 df; both are recovered."""
    rng = np.random.default_rng(0)
    n, d0, s0 = 4000, 8.0, 2.0
    sigma2 = s0 * d0 / rng.chisquare(d0, n)
    s2 = sigma2 * rng.chisquare(10, n) / 10
    got_d0, got_s0 = _moderate.fit_prior(s2, np.full(n, 10.0))
    assert got_d0 == pytest.approx(d0, rel=0.2)
    assert np.allclose(got_s0, s0, rtol=0.1)
    # identical dispersions: no scatter beyond sampling noise, d0 is infinite
    same = np.full(n, 3.0) * rng.chisquare(10, n) / 10
    d0_same, s0_same = _moderate.fit_prior(same, np.full(n, 10.0))
    assert d0_same > 100
    assert np.allclose(s0_same, 3.0, rtol=0.05)
    # too few categories: no moderation
    assert _moderate.fit_prior(s2[:5], np.full(5, 10.0))[0] == 0


def test_an_outlying_category_keeps_its_own_dispersion():
    rng = np.random.default_rng(1)
    s2 = 2.0 * rng.chisquare(10, 40) / 10
    s2[7] = 40.0  # a spike month
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_moderate, "ENABLED", True)
        post, df, d0, out = _moderate.moderate(s2, np.full(40, 10.0))
    assert out[7] and post[7] == s2[7] and df[7] == 10
    assert d0 > 0 and (df[~out] > 10).all()


@pytest.mark.slow
@pytest.mark.xfail(
    reason="moderation is off by default (_moderate.ENABLED): switched on it found 11 of "
    "12 but flagged 5 of 30 null seeds in the test below (2 without). The logit-scale "
    "alternative (_williams, Williams 1982 variance moderated across categories) is off "
    "too: 12-month power 70/43/63% vs 70/37/53% but false alarms 7% vs 3% (24 seasonal "
    "months) and 10% vs 7% (NB null); see benchmarks/bench_trends_calibration.py",
    strict=True,
)
def test_planted_rise_over_12_months_is_found_more_often_than_by_the_plain_t_test(monkeypatch):
    """+8% a month over 12 months in one of 30 overdispersed categories with shared
    month shocks: the moderated test finds it in 11 of 12 seeds; each category's own
    dispersion on 10 df (the test before moderation) found it in 9."""

    def found():
        return sum(
            rising_factors(_shocked_counts(s, months=12, rise=1.08, cats=30))["category"].tolist()
            == ["类00"]
            for s in range(12)
        )

    assert found() >= 11
    monkeypatch.setattr(_moderate, "MIN_CATEGORIES", 10**9)
    assert found() <= 9


@pytest.mark.slow
def test_null_with_shared_shocks_false_alarms_stay_bounded():
    """No trend, month shocks shared by all 30 categories, each category's own lognormal
    noise: over 30 seeds at most 3 flag any category (family-wise level 5%)."""
    flagged = [
        share_trend(_shocked_counts(1000 + s, months=12, cats=30)).trends["significant"].any()
        for s in range(30)
    ]
    assert sum(flagged) <= 3


def _tickets(seed: int = 0) -> pd.DataFrame:
    df = _shocked_counts(seed, months=12, rise=1.08, cats=12)
    rng = np.random.default_rng(seed)
    df = df.assign(
        created_at=df["created_at"] + pd.to_timedelta(rng.integers(0, 20 * 24, len(df)), "h"),
        community=rng.choice(["甲", "乙"], len(df)),
    )
    df.loc[df.index[::97], "category"] = None
    return df


@pytest.mark.parametrize("group", [None, "community"])
def test_share_trend_equals_its_counts_entry_point(group):
    df = _tickets()
    counts, n_out = ticket_counts(df, group=group, start="2022-02-01")
    assert n_out == len(df) - int(counts["count"].sum())
    got = share_trend_from_counts(
        counts.sample(frac=1.0, random_state=0),  # row order does not matter
        group=group,
        excluded={"rows_outside_or_missing": n_out},
    )
    want = share_trend(df, group=group, start="2022-02-01")
    pd.testing.assert_frame_equal(got.trends, want.trends)
    pd.testing.assert_frame_equal(got.shares, want.shares)
    assert got.excluded == want.excluded and got.season == want.season
    # counts of slices add up to the counts of the whole
    halves = pd.concat(
        [ticket_counts(df.iloc[:500], group=group)[0], ticket_counts(df.iloc[500:], group=group)[0]]
    )
    again = share_trend_from_counts(halves, group=group)
    pd.testing.assert_frame_equal(again.trends, share_trend(df, group=group).trends)
    pd.testing.assert_frame_equal(
        rising_factors_from_counts(halves, group=group), rising_factors(df, group=group)
    )


def test_counts_entry_point_errors():
    counts = pd.DataFrame(
        {
            "period": pd.date_range("2024-01-01", periods=4, freq="MS"),
            "category": "a",
            "count": [1, 2, -1, 3],
        }
    )
    with pytest.raises(ValueError, match="negative at row 2"):
        share_trend_from_counts(counts)
    with pytest.raises(ValueError, match="'category' is missing at row 1"):
        share_trend_from_counts(counts.assign(count=1, category=["a", None, "b", "a"]))
