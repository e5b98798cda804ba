"""near_miss_alerts reads every period alias of commlib._util.PERIOD_ALIASES ("MS"
failed before: it went to pandas' Period, which has no "MS"), weeks keeping their anchor."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from commlib._util import PERIOD_ALIASES, period_alias
from commlib.heinrich import near_miss_alerts


def _near_misses() -> pd.DataFrame:
    """Three years of near misses at ten places, one of which gets a burst."""
    rng = np.random.default_rng(0)
    days = pd.date_range("2022-01-01", "2024-12-31", freq="D")
    when = rng.choice(days, 600)
    place = rng.choice([f"楼{i}" for i in range(10)], 600).astype(object)
    burst = pd.date_range("2024-10-01", periods=12, freq="D").repeat(2)
    return pd.DataFrame(
        {
            "created_at": np.concatenate([when, burst.to_numpy()]),
            "place": np.concatenate([place, np.full(len(burst), "楼7", dtype=object)]),
            "tier": "near_miss",
        }
    )


@pytest.mark.parametrize("freq", sorted(PERIOD_ALIASES))
def test_every_period_alias_is_accepted(freq):
    df = _near_misses()
    res = near_miss_alerts(df, by="place", freq=freq, community=None, history=4, min_history=2)
    assert res.params["freq"] == freq
    # the period ends are those of the alias' calendar bins
    alias = freq.upper() if freq.upper().startswith("W") else period_alias(freq)
    want = pd.to_datetime(df["created_at"]).dt.to_period(alias).dt.end_time.dt.normalize()
    assert set(res.weekly["period_end"]) >= set(want.drop_duplicates())


@pytest.mark.parametrize("same", [["MS", "ME", "M"], ["QS", "QS-JAN", "QE", "Q"], ["W", "W-SUN"]])
def test_aliases_of_one_period_give_the_same_alerts(same):
    df = _near_misses()
    runs = [
        near_miss_alerts(df, by="place", freq=f, community=None, history=4, min_history=2)
        for f in same
    ]
    for r in runs[1:]:
        pd.testing.assert_frame_equal(r.weekly, runs[0].weekly)
        pd.testing.assert_frame_equal(r.alerts, runs[0].alerts)


def test_weeks_keep_their_anchor():
    df = _near_misses()
    sunday = near_miss_alerts(df, by="place", freq="W", community=None)
    monday = near_miss_alerts(df, by="place", freq="W-MON", community=None)
    assert (sunday.weekly["period_end"].dt.day_of_week == 6).all()
    assert (monday.weekly["period_end"].dt.day_of_week == 0).all()


def test_unknown_freq_names_the_choices():
    with pytest.raises(ValueError, match="freq must be one of"):
        near_miss_alerts(_near_misses(), by="place", freq="fortnight", community=None)
