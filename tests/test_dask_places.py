"""commlib.dask themes, near-miss alerts and source links equal the pandas path's, bit for bit."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from _dask_frames import cut as _parts
from distributed import Client

import commlib
import commlib.dask as cd
from commlib.attribution import place_aliases
from commlib.cluster import TicketClusterer, assign_themes
from commlib.datasets import make_tickets
from commlib.errors import CommlibError

# alerts fire on the small generated archive with these
ALERTS = {"alpha": 0.05, "min_history": 2, "min_count": 1}
CUTS = {1: [], 3: [400, 900], 7: [0, 200, 200, 600, 900, 1400]}  # 7: empty partitions


@pytest.fixture(scope="module")
def clean() -> pd.DataFrame:
    """Clean generated tickets with building aliases, missing communities, a place in
    two communities and tickets without text."""
    out = commlib.clean_tickets(make_tickets(1500, random_state=3), salt="s").tickets
    key = out["address_key"].value_counts().index[0]
    at = np.flatnonzero(out["address_key"].to_numpy() == key)[:3]
    out.loc[out.index[at], "community"] = "兰亭苑"  # one place, two communities
    out.loc[out.index[::40], "text"] = None
    return out


@pytest.fixture(scope="module")
def spread(clean) -> pd.DataFrame:
    """The tickets with a community: link_sources' groups spread over the partitions
    (tickets without one form one community "" across the city, one group)."""
    return clean.dropna(subset=["community"])


def test_fixture_has_what_the_shuffle_must_keep_together(clean):
    assert len(place_aliases(clean)) > 10
    assert (clean.groupby("address_key")["community"].nunique() > 1).any()
    assert clean["community"].isna().any()


# ---------------------------------------------------------------------- themes
def _hash_sample(df: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """The pandas reference: the n rows with the smallest seeded hash of id, row and text."""
    key = hashlib.blake2b(str(seed).encode(), digest_size=8).hexdigest()
    cols = ["ticket_id", "source_row", "text"]
    frame = pd.DataFrame({c: df[c].astype("str").to_numpy() for c in cols})
    h = pd.Series(pd.util.hash_pandas_object(frame, index=False, hash_key=key).to_numpy())
    h = h[df["text"].notna().to_numpy()]
    picked = np.sort(h.sort_values(kind="stable").index[:n])
    return df.iloc[picked]


@pytest.mark.parametrize("nparts", [1, 3, 7])
def test_themes_equal_pandas_fit_on_the_same_sample(clean, sync, nparts):
    ddf = _parts(clean, CUTS[nparts])
    frame = ddf.compute()
    expected_sample = _hash_sample(frame, 400)
    pd.testing.assert_frame_equal(cd.theme_sample(ddf, n=400), expected_sample)
    tc = TicketClusterer(8, n_components=20, progress=False)
    fitted = TicketClusterer(8, n_components=20, progress=False).fit(expected_sample["text"])
    expected = assign_themes(frame, fitted)
    assert expected["theme_id"].nunique() > 4
    pd.testing.assert_frame_equal(cd.assign_themes(ddf, tc, n=400).compute(), expected)
    # a fitted model places the tickets as it does on one machine
    pd.testing.assert_frame_equal(cd.assign_themes(ddf, fitted).compute(), expected)


def test_theme_sample_ignores_partitioning_and_ties(clean, sync):
    twice = pd.concat([clean.iloc[:100], clean.iloc[:100]], ignore_index=True)
    one = cd.theme_sample(_parts(twice, []), n=50)
    assert len(one) == 50 and one["ticket_id"].duplicated().any()  # both copies of some
    cut = cd.theme_sample(_parts(twice, [30, 100, 170]), n=50)
    pd.testing.assert_frame_equal(cut.reset_index(drop=True), one.reset_index(drop=True))
    odd = cd.theme_sample(_parts(twice, [30, 100, 170]), n=51)  # one copy of a pair
    pd.testing.assert_frame_equal(
        odd.reset_index(drop=True), cd.theme_sample(_parts(twice, []), n=51).reset_index(drop=True)
    )
    assert (
        len(cd.theme_sample(_parts(clean.iloc[:20], [10]), n=50))
        == clean["text"].iloc[:20].notna().sum()
    )
    other = cd.theme_sample(_parts(clean, [500]), n=50, random_state=1)
    assert set(other["ticket_id"]) != set(cd.theme_sample(_parts(clean, [500]), n=50)["ticket_id"])


def test_fit_themes_leaves_the_model_unfitted(clean, sync):
    tc = TicketClusterer(5, n_components=20, progress=False)
    fitted = cd.fit_themes(_parts(clean, [700]), tc, n=300)
    assert hasattr(fitted, "labels_") and len(fitted.labels_) == 300
    assert not hasattr(tc, "labels_")


# ---------------------------------------------------------------------- alerts
def _same_alerts(got, expected) -> None:
    pd.testing.assert_frame_equal(got.weekly, expected.weekly)
    pd.testing.assert_frame_equal(got.alerts, expected.alerts)
    assert got.params == expected.params


@pytest.mark.parametrize("nparts", [1, 3, 7])
def test_alerts_equal_pandas(clean, sync, nparts):
    ddf = _parts(clean, CUTS[nparts])
    expected = commlib.near_miss_alerts(clean, **ALERTS)
    assert len(expected.alerts) > 20
    _same_alerts(cd.near_miss_alerts(ddf, **ALERTS), expected)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"freq": "M", "window": 2, "history": 6},
        {"community": None},
        {"merge_aliases": False, "periods": ("2023-12-01", "2025-08-01")},
        {"by": "community"},
    ],
)
def test_alerts_options_equal_pandas(clean, sync, kwargs):
    ddf = _parts(clean, [300, 301, 1000])
    expected = commlib.near_miss_alerts(clean, **ALERTS, **kwargs)
    _same_alerts(cd.near_miss_alerts(ddf, **ALERTS, **kwargs), expected)


def test_alerts_in_process_cluster(clean):
    expected = commlib.near_miss_alerts(clean, **ALERTS)
    with Client(processes=False, dashboard_address=":0"):
        _same_alerts(cd.near_miss_alerts(_parts(clean, [500, 1000]), **ALERTS), expected)


def test_alerts_periods_fix_the_grid(clean):
    days = (clean["created_at"].min(), clean["created_at"].max())
    default = commlib.near_miss_alerts(clean, **ALERTS)
    same = commlib.near_miss_alerts(clean, **ALERTS, periods=days)
    _same_alerts(same, default.__class__(default.alerts, default.weekly, same.params))
    wider = commlib.near_miss_alerts(clean, **ALERTS, periods=("2023-01-01", days[1]))
    assert wider.weekly["period_end"].min() == default.weekly["period_end"].min()
    assert not wider.alerts.equals(default.alerts)  # a longer quiet history changes the baseline
    with pytest.raises(CommlibError, match="outside periods"):
        commlib.near_miss_alerts(clean, **ALERTS, periods=("2024-03-01", "2025-06-01"))


def test_empty_alerts_in_microseconds(clean):
    res = commlib.near_miss_alerts(clean.iloc[:50], alpha=1e-12)
    assert res.alerts.empty
    real = commlib.near_miss_alerts(clean, **ALERTS).alerts
    assert res.alerts["first_fired"].dtype == real["first_fired"].dtype == "datetime64[us]"


# ---------------------------------------------------------------------- sources
def _same_links(got, expected) -> None:
    pd.testing.assert_frame_equal(got.sources, expected.sources)
    pd.testing.assert_frame_equal(got.mapping, expected.mapping)
    np.testing.assert_array_equal(got.null_scores, expected.null_scores)
    np.testing.assert_array_equal(got.null_candidates, expected.null_candidates)
    assert got.params == expected.params


@pytest.mark.parametrize("frame", ["clean", "spread"])
@pytest.mark.parametrize("nparts", [1, 3, 7])
def test_sources_equal_pandas(request, sync, nparts, frame):
    ddf = _parts(request.getfixturevalue(frame), CUTS[nparts])
    expected = commlib.link_sources(ddf.compute(), n_permutations=9)
    assert len(expected.sources) > 20 and expected.mapping["joined"].any()
    _same_links(cd.link_sources(ddf, n_permutations=9), expected)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kinds": "auto", "n_permutations": 4},
        {"community": None, "n_permutations": 4, "window": "7D"},
        {"merge_aliases": False, "join_entities": False, "n_permutations": 0},
        {"control": "fwer", "n_permutations": 19},
        {"visit_gap": "3D", "caller": "channel", "n_permutations": 9},
        {"visit_gap": None, "control": "fwer", "n_permutations": 4},
    ],
)
def test_sources_options_equal_pandas(spread, sync, kwargs):
    ddf = _parts(spread, [250, 700, 701])
    expected = commlib.link_sources(ddf.compute(), **kwargs)
    if kwargs.get("control") == "fwer" and kwargs["n_permutations"] == 19:
        assert expected.sources["strong"].any()  # a family-wise strong source to agree on
    _same_links(cd.link_sources(ddf, **kwargs), expected)


@pytest.mark.parametrize("control", ["fdr", "fwer"])
def test_sources_visits_and_control(spread, sync, control):
    """One caller's tickets within visit_gap count once, and strong follows control."""
    ddf = _parts(spread, CUTS[7])
    kwargs = {"visit_gap": "3D", "n_permutations": 19, "control": control}
    expected = commlib.link_sources(ddf.compute(), **kwargs)
    got = cd.link_sources(ddf, **kwargs)
    _same_links(got, expected)
    assert got.params["caller"] == "caller_id"
    assert (got.sources["n_visits"] < got.sources["n_tickets"]).any()
    test = got.sources["q_value" if control == "fdr" else "p_value"]
    np.testing.assert_array_equal(got.sources["strong"], test <= 0.05)
    assert got.sources["strong"].any()


def _busy_and_quiet() -> pd.DataFrame:
    """One weak source in a long history, and quiet communities with no source whose
    permutations make strong ones. The null moves a visit only to the time of another
    visit of its community and kind: in each quiet community a place of one kind has a
    burst (three noise visits in three days, no source: one kind), and a second place
    has spread noise visits and one sewage visit just after the burst, so the null
    often gives it two of the burst's times, a source."""
    t0 = pd.Timestamp("2024-01-01 09:00")
    busy = [(100, "噪音扰民"), (102, "环境卫生"), (104, "噪音扰民")]
    busy += [(d, "噪音扰民") for d in range(0, 300, 30)]
    rows = [(t0 + pd.Timedelta(days=d), c, "部门A", "甲小区", "甲路1号") for d, c in busy]
    for q in range(6):
        burst = [(100, "噪音扰民"), (101, "噪音扰民"), (102, "噪音扰民")]
        spread = [(0, "噪音扰民"), (200, "噪音扰民"), (250, "噪音扰民"), (103, "环境卫生")]
        for place, visits in ((f"乙路{q}弄1号", burst), (f"乙路{q}弄2号", spread)):
            for d, cat in visits:
                when = t0 + pd.Timedelta(days=d + 5 * q)
                rows.append((when, cat, f"部门{cat}", f"小区{q}", place))
    cols = ["created_at", "category", "department", "community", "address_key"]
    frame = pd.DataFrame(rows, columns=cols)
    return frame.sample(frac=1, random_state=0).reset_index(drop=True)


def test_sources_null_of_a_partition_without_sources(sync, monkeypatch):
    """A partition where no source is found still adds its permutations to the null."""
    import commlib.dask._sources as ds

    calls = []
    real = ds._null_without_sources
    monkeypatch.setattr(ds, "_null_without_sources", lambda *a: calls.append(1) or real(*a))
    frame = _busy_and_quiet()
    expected = commlib.link_sources(frame, n_permutations=19)
    assert len(expected.sources) == 1
    alone = frame[frame["community"] == "甲小区"]
    span = (frame["created_at"].min(), frame["created_at"].max())
    busy = commlib.link_sources(alone, n_permutations=19, periods=span)
    assert expected.null_scores.max() > busy.null_scores.max()  # the quiet communities count
    assert len(expected.null_candidates) > len(busy.null_candidates)
    for bounds in ([25], [10, 25, 40], [0, 5, 20, 20, 35, 50]):
        ddf = _parts(frame, bounds)
        got = cd.link_sources(ddf, n_permutations=19)
        _same_links(got, commlib.link_sources(ddf.compute(), n_permutations=19))
        np.testing.assert_array_equal(got.null_scores, expected.null_scores)
    assert calls


def test_sources_in_process_cluster(spread):
    ddf = _parts(spread, [700])
    expected = commlib.link_sources(ddf.compute(), n_permutations=4)
    with Client(processes=False, dashboard_address=":0"):
        _same_links(cd.link_sources(ddf, n_permutations=4), expected)


def test_needs_parsed_dates(clean):
    ddf = _parts(clean.assign(created_at=clean["created_at"].astype("str")), [100])
    with pytest.raises(TypeError, match="datetimes"):
        cd.near_miss_alerts(ddf)
    with pytest.raises(TypeError, match="datetimes"):
        cd.link_sources(ddf)


@pytest.mark.slow
def test_worker_processes(spread):
    """The functions and the fitted model travel to real worker processes."""
    from distributed import LocalCluster

    ddf = _parts(spread, [300, 800])
    frame = ddf.compute()
    tc = TicketClusterer(6, n_components=20, progress=False)
    fitted = TicketClusterer(6, n_components=20, progress=False).fit(
        _hash_sample(frame, 300)["text"]
    )
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
        ) as cluster,
        Client(cluster),
    ):
        themed = cd.assign_themes(ddf, tc, n=300).compute()
        pd.testing.assert_frame_equal(themed, assign_themes(frame, fitted))
        _same_alerts(cd.near_miss_alerts(ddf, **ALERTS), commlib.near_miss_alerts(frame, **ALERTS))
        _same_links(
            cd.link_sources(ddf, n_permutations=4), commlib.link_sources(frame, n_permutations=4)
        )
