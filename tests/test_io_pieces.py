"""Reading in pieces (commlib.io._pieces) and cleaning the pieces: the results of the
whole-table path, for one file and for several (issue 16: the report's raw table is
never held whole; a Boston export is 158 CSV files)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import commlib.io._pieces as pieces_mod
from commlib.clean import clean_tickets
from commlib.clean._pieces import clean_read_pieces
from commlib.cli import EXIT_INPUT, EXIT_OK, main
from commlib.datasets import make_tickets
from commlib.errors import InputFileError
from commlib.io import read_tickets
from commlib.io._pieces import expand_inputs, input_stem, read_pieces

LOG = ["step", "rows_in", "rows_out", "rows_changed", "note_code", "note_params"]


def _odd_parquet(path, n=1200):
    """Generated 12345 tickets with columns of every kind Parquet may hold."""
    raw = make_tickets(n, random_state=4, headers="12345")
    rng = np.random.default_rng(0)
    raw["备注"] = [f"138{i:08d}" if i % 3 else None for i in range(n)]  # identity by content
    raw["说明"] = rng.choice(["急", "无", None], n)  # not identity
    raw["数值"] = np.where(np.arange(n) % 5 == 0, np.nan, np.arange(n) * 1.5)
    raw["整数"] = np.arange(n)
    # midnight everywhere but the last row: pandas writes the whole column with times
    raw["日期"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(n) % 7, unit="D")
    raw.loc[n - 1, "日期"] = pd.Timestamp("2024-01-01 10:00")
    raw.loc[100:103, :] = None  # blank rows inside: kept
    raw.loc[n - 9 :, [c for c in raw.columns if c != "日期"]] = None
    raw.loc[n - 9 : n - 2, "日期"] = None  # but the last row's date: not a trailing blank
    raw.iloc[-1] = None  # one trailing blank row: dropped, as read_tickets drops it
    raw.to_parquet(path)
    return path


def _assert_same_clean(a, b):
    assert a.tickets.equals(b.tickets)
    assert a.rejected.equals(b.rejected)
    assert a.duplicates.equals(b.duplicates)
    assert a.log[LOG].equals(b.log[LOG])


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(pieces_mod, "BATCH_ROWS", 170)


def test_parquet_pieces_are_the_whole_file_read(tmp_path, small_batches):
    path = _odd_parquet(tmp_path / "t.parquet")
    whole = read_tickets(path)
    plan = read_pieces(path)
    parts = list(plan)
    assert len(parts) > 5
    assert pd.concat(parts, ignore_index=True).equals(whole)
    assert plan.attrs == whole.attrs
    assert plan.names == tuple(whole.columns)


def test_cleaning_parquet_pieces_equals_cleaning_the_whole_table(tmp_path, small_batches):
    path = _odd_parquet(tmp_path / "t.parquet")
    expected = clean_tickets(read_tickets(path), salt="s")
    got = clean_read_pieces(read_pieces(path), piece_rows=90, salt="s", n_jobs=1)
    _assert_same_clean(got, expected)
    ident = got.log.set_index("step").loc["identity_columns", "note_params"]
    assert list(ident["found"]) == ["备注"]  # chosen from the cells of every piece
    assert got.tickets.attrs == expected.tickets.attrs


def test_several_files_are_cleaned_as_their_rows_one_after_the_other(tmp_path):
    raw = make_tickets(900, random_state=5, headers="12345")
    raw = pd.concat([raw, raw.iloc[[3, 400]]], ignore_index=True)  # copies across files
    folder = tmp_path / "export"
    folder.mkdir()
    raw.iloc[:300].to_csv(folder / "a.csv", index=False)
    raw.iloc[300:650].to_parquet(folder / "b.parquet")
    raw.iloc[650:].to_csv(folder / "c.csv", index=False)
    whole = pd.concat([read_tickets(p) for p in sorted(folder.iterdir())], ignore_index=True)
    whole.attrs = {"first_data_row": 2}  # rows numbered on from the first file's
    expected = clean_tickets(whole, salt="s")
    for given in (folder, str(folder / "*"), sorted(folder.iterdir())):
        plan = read_pieces(given)
        assert [p.split("/")[-1] for p in plan.files] == ["a.csv", "b.parquet", "c.csv"]
        got = clean_read_pieces(plan, piece_rows=120, salt="s", n_jobs=1)
        _assert_same_clean(got, expected)
    assert {902, 903} <= set(expected.duplicates["source_row"])  # copies across files
    assert plan.attrs["source"] == "a" and len(plan.attrs["files"]) == 3  # a list: 1st file
    assert read_pieces(folder).attrs["source"] == "export"  # a folder: its name


def test_a_file_whose_headers_differ_is_named(tmp_path):
    raw = make_tickets(40, random_state=1, headers="12345")
    raw.to_csv(tmp_path / "a.csv", index=False)
    raw.drop(columns=["所属小区"]).to_csv(tmp_path / "b.csv", index=False)
    with pytest.raises(InputFileError) as err:
        read_pieces(str(tmp_path / "*.csv"))
    assert err.value.key == "io.columns_differ"
    text = str(err.value)
    assert "b.csv" in text and "a.csv" in text and "community" in text
    assert "--columns" in text


def test_inputs_glob_folder_and_missing(tmp_path):
    with pytest.raises(InputFileError) as err:
        expand_inputs(str(tmp_path / "*.csv"))
    assert err.value.key == "io.no_files"
    (tmp_path / "x.csv").write_text("a\n1\n")
    assert expand_inputs([tmp_path / "x.csv"]) == [str(tmp_path / "x.csv")]
    assert input_stem(str(tmp_path / "*.csv")) == tmp_path.name
    assert input_stem([tmp_path / "x.csv", tmp_path / "y.csv"]) == "x"


def test_report_command_takes_a_glob_of_files(tmp_path, capsys):
    folder = tmp_path / "boston311_2015"
    folder.mkdir()
    raw = make_tickets(300, random_state=2, headers="12345")
    for k in range(3):
        raw.iloc[k * 100 : (k + 1) * 100].to_csv(folder / f"type{k}.csv", index=False)
    out = tmp_path / "out"
    args = ["report", str(folder / "*.csv"), "-o", str(out), "--sections", "overview"]
    assert main([*args, "--lang", "en"]) == EXIT_OK
    assert (out / "boston311_2015-report.html").exists()
    assert "3 files" in capsys.readouterr().err
    raw.iloc[:5].drop(columns=["承办部门"]).to_csv(folder / "type9.csv", index=False)
    assert main([*args, "--lang", "en", "--quiet"]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "type9.csv" in err and "type0.csv" in err


@pytest.mark.slow
@pytest.mark.parametrize("window", [{}, {"start": "2024-03-01", "end": "2024-04-30"}])
def test_dictionary_columns_leave_every_report_table_unchanged(window):
    from commlib.report import build_report
    from commlib.report._model import DICTIONARY_COLUMNS, _dictionary_encoded, _without_unread

    clean = _without_unread(clean_tickets(make_tickets(4000, random_state=0), salt="s"))
    encoded = _dictionary_encoded(clean)
    held = [c for c in encoded.tickets.columns if encoded.tickets[c].dtype == "category"]
    assert held == list(DICTIONARY_COLUMNS)
    a = build_report(clean, random_state=0, **window)
    b = build_report(encoded, random_state=0, **window)
    assert a.skipped == b.skipped == {}
    assert a.tables.keys() == b.tables.keys()
    for name, table in a.tables.items():
        assert table.equals(b.tables[name]), name


def test_a_parquet_file_of_blank_rows_has_no_rows(tmp_path):
    path = tmp_path / "blank.parquet"
    pd.DataFrame({"受理时间": [None, None], "诉求内容": [None, None]}, dtype="str").to_parquet(path)
    with pytest.raises(InputFileError) as err:
        read_tickets(path)
    with pytest.raises(InputFileError) as err2:
        list(read_pieces(path))
    assert err.value.key == err2.value.key == "io.no_rows"


@pytest.mark.parametrize("second", ["b.csv", "b.parquet"])
def test_the_same_headers_in_another_order_are_read_in_the_first_files_order(tmp_path, second):
    # an export whose columns come in another order is the same table (as on the Dask
    # path, which shares the check)
    raw = make_tickets(40, random_state=1, headers="12345")
    raw.iloc[:20].to_csv(tmp_path / "a.csv", index=False)
    other = raw.iloc[20:, ::-1]
    if second.endswith(".csv"):
        other.to_csv(tmp_path / second, index=False)
    else:
        other.to_parquet(tmp_path / second)
    plan = read_pieces(sorted(tmp_path.iterdir()))
    got = clean_read_pieces(plan, salt="s", n_jobs=1)
    whole = pd.concat(
        [read_tickets(tmp_path / "a.csv"), read_tickets(tmp_path / second)[list(plan.names)]],
        ignore_index=True,
    )
    whole.attrs = {"first_data_row": 2}
    _assert_same_clean(got, clean_tickets(whole, salt="s"))
