"""The counts entry point that share_trend and the Dask path share (issue 16), and the
false alarms of share_trend on a shared-shock null (issue 14, item 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from commlib.trends import rising_factors, share_trend
from commlib.trends._share import (
    rising_factors_from_counts,
    share_trend_from_counts,
    ticket_counts,
)
from tests.test_trends import _shocked_counts


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
