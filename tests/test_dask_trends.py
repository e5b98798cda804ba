"""commlib.dask.share_trend / rising_factors equal the pandas path, bit for bit."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from _dask_frames import cut
from distributed import Client

import commlib.dask as cd
from commlib.trends import rising_factors, share_trend
from tests.test_trends import _shocked_counts


@pytest.fixture(scope="module")
def tickets() -> pd.DataFrame:
    df = _shocked_counts(3, months=12, rise=1.08, cats=12)
    rng = np.random.default_rng(3)
    df = df.assign(
        created_at=df["created_at"] + pd.to_timedelta(rng.integers(0, 20 * 24, len(df)), "h"),
        community=rng.choice(["甲", "乙", "丙"], len(df)),
    )
    df.loc[df.index[::89], "category"] = None
    df.loc[df.index[::131], "community"] = None
    return df.sample(frac=1.0, random_state=0).reset_index(drop=True)


def _parts_keep(frame: pd.DataFrame, bounds) -> dd.DataFrame:
    """Partitions keep the frame's index (the trends ignore it)."""
    return cut(frame, bounds, reset_index=False)


def _cuts(n: int, parts: int, *, empty: bool):
    if parts == 1:
        return []
    cuts = list(np.linspace(0, n, parts + 1).astype(int)[1:-1])
    if empty:  # two empty partitions: a repeated cut and one at the very start
        cuts = [0, *cuts[:1], *cuts]
    return cuts


@pytest.mark.parametrize("parts", [1, 3, 7])
@pytest.mark.parametrize("empty", [False, True])
@pytest.mark.parametrize(
    "kwargs", [{}, {"group": "community"}, {"start": "2022-03-01", "end": "2022-11-30"}]
)
def test_share_trend_equals_pandas(tickets, sync, parts, empty, kwargs):
    ddf = _parts_keep(tickets, _cuts(len(tickets), parts, empty=empty))
    got, want = cd.share_trend(ddf, **kwargs), share_trend(tickets, **kwargs)
    pd.testing.assert_frame_equal(got.trends, want.trends, check_exact=True)
    pd.testing.assert_frame_equal(got.shares, want.shares, check_exact=True)
    assert got.excluded == want.excluded and got.season == want.season
    pd.testing.assert_frame_equal(
        cd.rising_factors(ddf, **kwargs), rising_factors(tickets, **kwargs), check_exact=True
    )


def test_share_trend_equals_pandas_on_an_in_process_cluster(tickets):
    with Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=":0"):
        ddf = _parts_keep(tickets, _cuts(len(tickets), 7, empty=True))
        got = cd.share_trend(ddf, group="community")
    want = share_trend(tickets, group="community")
    pd.testing.assert_frame_equal(got.trends, want.trends, check_exact=True)
    pd.testing.assert_frame_equal(got.shares, want.shares, check_exact=True)


def test_share_trend_errors(tickets, sync):
    with pytest.raises(Exception, match="nope"):
        cd.share_trend(dd.from_pandas(tickets, npartitions=2), by="nope")
    with pytest.raises(Exception, match="Dask|dask"):
        cd.share_trend(tickets)
