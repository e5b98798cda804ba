"""commlib.dask gives what the pandas path gives on the same rows, bit for bit.

Dask and distributed are dev dependencies, imported directly: a missing Dask fails
these tests rather than skipping them.
"""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from _dask_frames import cut as _parts
from distributed import Client, LocalCluster

import commlib
import commlib.dask as cd
from commlib.datasets import make_tickets
from commlib.errors import CommlibError
from commlib.pareto._table import pareto_table_from_counts  # exported by the integrator

SALT = "test-salt"
LOG_FACTS = ["step", "rows_in", "rows_out", "rows_changed", "note", "note_code", "note_params"]


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """Generated tickets with rejects, copies and repeat calls (some added: the generator
    makes few), spread over the table."""
    base = make_tickets(500, random_state=3)
    again = base.iloc[5:500:25].copy()
    again["ticket_id"] = again["ticket_id"] + "R"
    again["text"] = again["text"] + "！"
    return pd.concat([base, again], ignore_index=True)


def assert_same_clean(result, expected) -> None:
    """Every table of the Dask result equals the pandas path's, index and dtypes included."""
    tickets = result.tickets.compute()
    pd.testing.assert_frame_equal(
        tickets.sort_values("source_row", kind="stable"),
        expected.tickets.sort_values("source_row", kind="stable"),
    )
    pd.testing.assert_frame_equal(tickets, expected.tickets)
    pd.testing.assert_frame_equal(result.rejected.compute(), expected.rejected)
    pd.testing.assert_frame_equal(result.duplicates.compute(), expected.duplicates)
    pd.testing.assert_frame_equal(result.log[LOG_FACTS], expected.log[LOG_FACTS])
    n_in = expected.rows_in
    assert result.rows_in == n_in
    assert len(tickets) + len(expected.rejected) + len(expected.duplicates) == n_in


@pytest.mark.parametrize("nparts", [1, 3, 7])
def test_clean_equals_pandas(raw, sync, nparts):
    expected = commlib.clean_tickets(raw, salt=SALT)
    # the data exercises every whole-table step
    assert len(expected.duplicates) and len(expected.rejected)
    assert expected.tickets["repeat_of"].notna().any()
    result = cd.clean_tickets(
        _parts(raw, np.linspace(0, len(raw), nparts + 1)[1:-1].astype(int)), salt=SALT
    )
    assert_same_clean(result, expected)
    assert result.summary() == expected.summary()
    assert result.summary(lang="en") == expected.summary(lang="en")


def test_clean_in_process_cluster(raw):
    expected = commlib.clean_tickets(raw, salt=SALT, lang="en")
    with Client(processes=False, dashboard_address=":0"):
        result = cd.clean_tickets(
            dd.from_pandas(raw, npartitions=4, sort=False), salt=SALT, lang="en"
        )
        # from_pandas may store strings as string[pyarrow]: clean_tickets gives str anyway
        assert_same_clean(result, expected)


def test_empty_partitions(raw, sync):
    frame = raw.iloc[:120]
    expected = commlib.clean_tickets(frame, salt=SALT)
    ddf = _parts(frame, [0, 0, 40, 40, 40, 120])  # empty first, middle and last partitions
    assert ddf.npartitions == 7
    assert_same_clean(cd.clean_tickets(ddf, salt=SALT), expected)


def test_all_rows_at_one_address(raw, sync):
    frame = raw.iloc[:200].assign(address="云岭西路123号", category="噪音扰民")
    frame["text"] = frame["text"].where(frame.index % 3 > 0, "楼下酒吧深夜噪音很大影响休息")
    expected = commlib.clean_tickets(frame, salt=SALT)
    assert expected.tickets["repeat_of"].notna().sum() > 5
    assert_same_clean(cd.clean_tickets(_parts(frame, [50, 100, 150]), salt=SALT), expected)


def test_only_passing_repeat_pairs_reach_the_driver(raw, sync, monkeypatch):
    """Candidate pairs are compared where the shuffled keys lie; the driver gets the
    pairs that pass (the log still counts every candidate)."""
    from commlib.clean import _parts as parts_module

    frame = raw.iloc[:200].assign(address="云岭西路123号", category="噪音扰民")
    frame["text"] = frame["text"].where(frame.index % 3 > 0, "楼下酒吧深夜噪音很大影响休息")
    linked = []
    link_hits = parts_module.link_hits

    def recording(hits, *args, **kwargs):
        linked.append(len(hits))
        return link_hits(hits, *args, **kwargs)

    monkeypatch.setattr(parts_module, "link_hits", recording)
    expected = commlib.clean_tickets(frame, salt=SALT)
    result = cd.clean_tickets(_parts(frame, [50, 100, 150]), salt=SALT)
    assert_same_clean(result, expected)
    params = result.log.set_index("step").loc["mark_repeat_calls", "note_params"]
    assert linked[-1] < params["pairs"]
    assert linked[-1] >= params["repeats"] > 5


def test_duplicates_split_across_partitions(raw, sync):
    head = raw.iloc[:60]
    # copies of the first partition's rows land in the last one, and a copy of a copy
    frame = pd.concat([head, raw.iloc[60:100], head.iloc[:10], head.iloc[:3]], ignore_index=True)
    expected = commlib.clean_tickets(frame, salt=SALT)
    assert len(expected.duplicates) >= 13
    result = cd.clean_tickets(_parts(frame, [30, 60, 100]), salt=SALT)
    assert_same_clean(result, expected)
    dups = result.duplicates.compute()
    assert (dups["source_row"] > 100).sum() >= 13 and (dups["duplicate_of"] <= 60).all()


def test_reused_ticket_ids_are_not_gathered(raw, sync, monkeypatch):
    """Rows that only share a ticket_id (an id reused by another year or office) are not
    copy candidates: only rows that also agree on time, address and category are taken
    to be compared (10M generated tickets made in pieces share ids: 21% of the rows)."""
    from commlib.clean import _parts as parts_module

    head = raw.iloc[:100]
    reused = raw.iloc[100:200].copy()
    reused["ticket_id"] = head["ticket_id"].to_numpy()  # same ids, other tickets
    near = head.iloc[:2].copy()
    near["text"] = near["text"] + "另"  # same id, time, address, category; not a copy
    frame = pd.concat([head, reused, head.iloc[10:14], near], ignore_index=True)
    expected = commlib.clean_tickets(frame, salt=SALT)
    taken = []
    take = parts_module.take

    def counting_take(*args):
        rows = take(*args)
        taken.append(len(rows))
        return rows

    monkeypatch.setattr(parts_module, "take", counting_take)
    result = cd.clean_tickets(_parts(frame, [60, 150, 204]), salt=SALT)
    assert_same_clean(result, expected)
    n_dup = len(commlib.clean_tickets(head, salt=SALT).duplicates) + 4
    assert len(expected.duplicates) == n_dup
    # the copies, their originals, the 2 near copies and their 2 originals
    assert sum(taken) == 2 * n_dup + 4


def test_identity_columns_and_no_ticket_id(raw, sync):
    frame = raw.iloc[:150].drop(columns="ticket_id").copy()
    frame["联系电话"] = raw["caller_id"].iloc[:150].to_numpy()  # by header
    frame["备用"] = "139" + raw["caller_id"].iloc[:150].str[-8:].to_numpy()  # by content
    frame["备注"] = "无"
    for policy in ("hash", "drop"):
        expected = commlib.clean_tickets(frame, salt=SALT, pii_columns=policy)
        assert "identity_" in expected.log["note_code"].iloc[-1]
        assert len(expected.duplicates)  # found by the row hash: there is no ticket_id
        result = cd.clean_tickets(_parts(frame, [70, 71]), salt=SALT, pii_columns=policy)
        assert_same_clean(result, expected)


def test_unmasked(raw, sync):
    expected = commlib.clean_tickets(raw.iloc[:100], mask=False)
    assert_same_clean(cd.clean_tickets(_parts(raw.iloc[:100], [33]), mask=False), expected)


def test_salt_is_required(raw):
    with pytest.raises(CommlibError, match="salt") as err:
        cd.clean_tickets(dd.from_pandas(raw.iloc[:10], npartitions=1))
    assert "盐" in err.value.render("zh")


def test_needs_a_dask_frame(raw):
    with pytest.raises(CommlibError, match="Dask DataFrame"):
        cd.clean_tickets(raw, salt=SALT)


@pytest.fixture(scope="module")
def archive(tmp_path_factory, raw):
    """The generated tickets as Parquet files, one per month of creation."""
    folder = tmp_path_factory.mktemp("archive")
    when = pd.to_datetime(raw["created_at"], format="mixed", errors="coerce")
    month = when.dt.strftime("%Y-%m").fillna("unknown")  # unreadable dates in one file
    for m in sorted(month.unique()):
        raw.loc[month == m].to_parquet(folder / f"{m}.parquet", index=False)
    return folder


def test_read_tickets_by_month(archive, sync):
    files = sorted(archive.glob("*.parquet"))
    ddf = cd.read_tickets(archive / "*.parquet")
    assert ddf.npartitions == len(files) > 5
    expected = pd.concat([commlib.read_tickets(f) for f in files], ignore_index=True)
    got = ddf.compute()
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected)
    assert got.index[0] == 0 and (got.index == 0).sum() == len(files)  # index per file
    assert cd.read_tickets(archive).npartitions == len(files)  # a folder reads the same
    assert_same_clean(cd.clean_tickets(ddf, salt=SALT), commlib.clean_tickets(expected, salt=SALT))


def test_read_tickets_errors(archive, tmp_path, sync):
    with pytest.raises(commlib.errors.InputFileError):
        cd.read_tickets(tmp_path / "*.parquet")
    first = sorted(archive.glob("*.parquet"))[0]
    pd.read_parquet(first).to_parquet(tmp_path / "a.parquet")
    pd.read_parquet(first).drop(columns="status").to_parquet(tmp_path / "b.parquet")
    with pytest.raises(CommlibError, match="b.parquet.*missing: status"):
        cd.read_tickets(tmp_path / "*.parquet").compute()


@pytest.fixture(scope="module")
def clean(raw) -> pd.DataFrame:
    out = commlib.clean_tickets(raw, salt=SALT).tickets
    out.loc[out.index[::7], "category"] = None  # a "(缺失)" row
    return out.assign(
        hours=np.arange(len(out)) % 5, community=out["community"].where(out.index % 11 > 0)
    )


def _same_table(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs == expected.attrs


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"dropna": True},
        {"weight": "hours", "max_categories": 4, "lang": "en"},
        {"by": "community", "threshold": 0.5},
    ],
)
def test_pareto_table_equals_pandas(clean, sync, kwargs):
    ddf = _parts(clean, [90, 200, 201, 350])
    _same_table(cd.pareto_table(ddf, **kwargs), commlib.pareto_table(clean, **kwargs))
    # Dask's own frames hold string[pyarrow]: equal to pandas on the same frame
    ddf = dd.from_pandas(clean, npartitions=5, sort=False)
    _same_table(cd.pareto_table(ddf, **kwargs), commlib.pareto_table(ddf.compute(), **kwargs))


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"weight": "hours", "dropna": True, "max_categories": 3},
        {"group": "created_at", "freq": "MS", "lang": "en"},
    ],
)
def test_pareto_by_equals_pandas(clean, sync, kwargs):
    ddf = _parts(clean, [0, 100, 300])
    _same_table(cd.pareto_by(ddf, **kwargs), commlib.pareto_by(clean, **kwargs))


def test_pareto_table_from_counts_is_the_shared_ranking(clean):
    counts = clean["category"].value_counts(dropna=False).rename("count").reset_index()
    _same_table(pareto_table_from_counts(counts), commlib.pareto_table(clean))


def test_pareto_errors(clean, sync):
    with pytest.raises(ValueError, match="empty table"):
        cd.pareto_table(dd.from_pandas(clean.iloc[:0], npartitions=1))
    with pytest.raises(ValueError, match="negative"):
        cd.pareto_table(dd.from_pandas(clean.assign(hours=-1), npartitions=2), weight="hours")


@pytest.mark.slow
def test_worker_processes(archive):
    files = sorted(archive.glob("*.parquet"))
    expected_raw = pd.concat([commlib.read_tickets(f) for f in files], ignore_index=True)
    expected = commlib.clean_tickets(expected_raw, salt=SALT)
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
        result = cd.clean_tickets(cd.read_tickets(archive / "*.parquet"), salt=SALT)
        assert_same_clean(result, expected)
        _same_table(cd.pareto_table(result.tickets), commlib.pareto_table(expected.tickets))
