"""Cleaning in pieces (the lean path of ``commlib report``) gives clean_tickets's results."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from commlib.clean import clean_tickets
from commlib.clean._pieces import clean_in_pieces, clean_read_pieces
from commlib.datasets import make_tickets

TIMING = ["seconds", "cpu_seconds"]


def _raw(n: int = 600, random_state: int = 7) -> pd.DataFrame:
    """Generated tickets with copies, repeat calls and rejected rows spread over the table."""
    raw = make_tickets(n, random_state=random_state)
    rng = np.random.default_rng(random_state)
    # exact copies of early rows placed at the end (other pieces), and one right
    # after its original (the same piece, or across a boundary of 100 rows)
    copies = raw.iloc[[3, n // 15, min(99, n - 1), n * 5 // 12]]
    # repeat calls: the same text at the same place a few hours later, new ticket_id,
    # placed far from the first call
    when = pd.to_datetime(raw["created_at"], format="%Y-%m-%d %H:%M", errors="coerce")
    plain = np.flatnonzero(when.notna().to_numpy())
    picks = [plain[plain >= lo][0] for lo in (n // 30, n // 5, n // 2)]
    first = raw.iloc[picks].copy()
    later = when.iloc[picks] + pd.Timedelta(hours=5)
    first["created_at"] = later.dt.strftime("%Y-%m-%d %H:%M").astype("str")
    first["ticket_id"] = [f"R{i}" for i in range(len(first))]
    out = pd.concat([raw.iloc[:100], raw.iloc[[min(99, n - 1)]], raw.iloc[100:], copies, first])
    out = out.reset_index(drop=True)
    out.loc[rng.choice(len(out), 5, replace=False), "created_at"] = "not a date"
    empty = rng.choice(len(out), 3, replace=False)
    out.loc[empty, "text"] = None
    out.loc[empty, "title"] = None
    out.attrs = {"source": "tickets.csv", "first_data_row": 2}
    return out


def _same(a, b) -> None:
    assert a.tickets.equals(b.tickets)
    assert list(a.tickets.dtypes) == list(b.tickets.dtypes)
    assert a.tickets.attrs == b.tickets.attrs
    assert a.rejected.equals(b.rejected)
    assert a.duplicates.equals(b.duplicates)
    pd.testing.assert_frame_equal(a.log.drop(columns=TIMING), b.log.drop(columns=TIMING))


@pytest.mark.parametrize("piece_rows", [13, 100, 10_000])
def test_pieces_equal_clean_tickets(piece_rows):
    raw = _raw()
    expected = clean_tickets(raw, salt="k", n_jobs=1)
    # the frame tests what it should: copies and repeat calls across pieces of 100
    dups = expected.duplicates
    assert (dups["source_row"] - dups["duplicate_of"] > 100).sum() >= 3
    tickets = expected.tickets
    rep = tickets.loc[tickets["repeat_of"].notna()]
    assert len(rep) >= 3
    pos = tickets.reset_index().set_index("ticket_id")["source_row"]
    assert ((rep["source_row"] - pos.reindex(rep["repeat_of"]).to_numpy()) > 100).sum() >= 3
    assert len(expected.rejected) >= 8

    got = clean_in_pieces(raw, piece_rows=piece_rows, salt="k", n_jobs=1)
    _same(got, expected)
    assert raw.shape[1] == 20  # not consumed


def test_consume_empties_the_frame_with_the_same_results():
    raw = _raw(400, random_state=2)
    expected = clean_tickets(raw, salt="k", n_jobs=1)
    given = raw.copy()
    got = clean_in_pieces(given, consume=True, piece_rows=64, salt="k", n_jobs=1)
    _same(got, expected)
    assert given.shape[1] == 0


def test_drawn_salt_and_worker_processes():
    # salt=None: this process's drawn salt, as clean_tickets; pieces cleaned by workers
    raw = _raw(300, random_state=4)
    expected = clean_tickets(raw, n_jobs=1)
    got = clean_in_pieces(raw, piece_rows=120, n_jobs=2)
    _same(got, expected)


def test_without_ticket_id_or_dates_and_unmasked():
    raw = _raw(300, random_state=5).drop(columns=["ticket_id"])
    _same(
        clean_in_pieces(raw, piece_rows=50, mask=False, n_jobs=1),
        clean_tickets(raw, mask=False, n_jobs=1),
    )
    no_dates = raw.drop(columns=["created_at", "closed_at"])
    _same(
        clean_in_pieces(no_dates, piece_rows=50, salt="k", n_jobs=1, lang="en"),
        clean_tickets(no_dates, salt="k", n_jobs=1, lang="en"),
    )


def test_identity_columns_found_on_the_whole_table():
    raw = _raw(200, random_state=6)
    raw["联系电话"] = "13812345678"
    raw["备用"] = [f"139{i:08d}" for i in range(len(raw))]
    for policy in ("hash", "drop"):
        _same(
            clean_in_pieces(raw, piece_rows=30, salt="k", n_jobs=1, pii_columns=policy),
            clean_tickets(raw, salt="k", n_jobs=1, pii_columns=policy),
        )


def test_empty_and_all_rejected():
    raw = _raw(50, random_state=8)
    _same(
        clean_in_pieces(raw.iloc[:0], salt="k", n_jobs=1),
        clean_tickets(raw.iloc[:0], salt="k", n_jobs=1),
    )
    bad = raw.assign(created_at="nope")
    _same(
        clean_in_pieces(bad, piece_rows=7, salt="k", n_jobs=1),
        clean_tickets(bad, salt="k", n_jobs=1),
    )


def test_facts_keep_no_buffers_of_the_cleaned_rows():
    # an Arrow slice of no row keeps the whole partition's buffers alive: the facts
    # held every cleaned piece twice while the pieces were finished (2M rows: +1.7 GB)
    from commlib.clean import _parts

    rows = pd.DataFrame({"text": pd.Series(["投诉" * 50] * 20_000, dtype="str")})
    empty = _parts.facts((rows, [], [], len(rows)))["empty"]
    assert len(empty) == 0 and list(empty.dtypes) == list(rows.dtypes)
    assert empty["text"].array._pa_array.get_total_buffer_size() < 1_000


def test_left_out_columns_are_not_held_and_copies_are_found_as_before(tmp_path):
    # commlib report leaves out the columns no section reads (the text before the
    # boilerplate was cut, and the cut part); the rows still count as copies only when
    # those columns agree too (here a copy whose opening boilerplate is another one)
    from commlib.io import read_tickets
    from commlib.io._pieces import read_pieces

    raw = _raw()
    k = int(np.flatnonzero(raw["text"].astype(str).str.startswith("市民来电称："))[0])
    near = raw.iloc[[k]].copy()
    near["text"] = near["text"].str.replace("市民来电称：", "网友反映：", regex=False)
    raw = pd.concat([raw, raw.iloc[[k + 1]], near], ignore_index=True)
    path = tmp_path / "t.parquet"
    raw.to_parquet(path)
    cols = ("text_original", "boilerplate")
    expected = clean_tickets(read_tickets(path), salt="k", n_jobs=1)
    got = clean_read_pieces(read_pieces(path), piece_rows=70, salt="k", n_jobs=1, leave_out=cols)
    assert set(cols) <= set(expected.tickets.columns)
    pd.testing.assert_frame_equal(got.tickets, expected.tickets.drop(columns=list(cols)))
    assert got.duplicates.equals(expected.duplicates)
    assert got.rejected.equals(expected.rejected)
    assert len(expected.duplicates) >= 5
    # the near copy is no copy: only its left-out columns differ
    assert (expected.tickets["ticket_id"] == raw["ticket_id"].iloc[k]).sum() == 2
