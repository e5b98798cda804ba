"""The report of a Dask frame equals the report of the same rows in pandas; the CLI's
``--engine dask`` writes it."""

from __future__ import annotations

import dask
import pandas as pd
import pytest
from _dask_frames import cut as _parts
from distributed import Client

import commlib
import commlib.dask as cd
from commlib.cli import main
from commlib.datasets import make_tickets

SALT = "report-salt"


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return make_tickets(900, random_state=11)


def _same_report(got, want) -> None:
    assert [s.id for s in got.sections] == [s.id for s in want.sections]
    for a, b in zip(got.sections, want.sections, strict=True):
        assert a.skipped == b.skipped, a.id
        assert a.paragraphs == b.paragraphs, a.id
        assert set(a.tables) == set(b.tables), a.id
        for name in a.tables:
            x, y = a.tables[name], b.tables[name]
            if name == "cleaning_log":  # wall-clock seconds differ between runs
                x = x.drop(columns=[c for c in x.columns if "second" in str(c).lower()])
                y = y.drop(columns=[c for c in y.columns if "second" in str(c).lower()])
            pd.testing.assert_frame_equal(x, y, obj=f"{a.id}.{name}")
        assert set(a.figures) == set(b.figures), a.id


@pytest.mark.parametrize("cuts", [[], [300, 300, 610]], ids=["1 partition", "empty partition"])
def test_report_of_a_dask_frame_equals_pandas(raw, cuts):
    want = commlib.build_report(raw, salt=SALT, lang="en")
    with dask.config.set(scheduler="synchronous"):
        got = commlib.build_report(_parts(raw, cuts), salt=SALT, lang="en")
    _same_report(got, want)
    assert got.meta["rows"] == want.meta["rows"]


def test_report_of_a_dask_clean_result(raw):
    """A DaskCleanResult is gathered and used as it is (its log fills the appendix)."""
    with dask.config.set(scheduler="synchronous"):
        cleaned = cd.clean_tickets(_parts(raw, [450]), salt=SALT)
        got = commlib.build_report(cleaned, sections=["overview", "quality"])
    want = commlib.build_report(
        commlib.clean_tickets(raw, salt=SALT), sections=["overview", "quality"]
    )
    _same_report(got, want)


def test_cli_engine_dask_on_a_parquet_archive(raw, tmp_path, capsys):
    archive = tmp_path / "archive"
    archive.mkdir()
    for i, part in enumerate((raw.iloc[:400], raw.iloc[400:])):
        part.to_parquet(archive / f"part-{i}.parquet", index=False)
    out = tmp_path / "out"
    with Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=":0") as c:
        code = main(
            [
                "report",
                str(archive / "*.parquet"),
                "--engine",
                "dask",
                "--scheduler",
                c.scheduler.address,
                "--sections",
                "overview,pareto",
                "--lang",
                "en",
                "-o",
                str(out),
                "--xlsx",
            ]
        )
    err = capsys.readouterr().err
    assert code == 0, err
    assert "2 partitions" in err
    # named after the archive's folder, both files written
    assert sorted(p.name for p in out.iterdir()) == ["archive-report.html", "archive-report.xlsx"]
    html = (out / "archive-report.html").read_text(encoding="utf-8")
    assert f"{len(commlib.clean_tickets(raw, salt=SALT).tickets):,}" in html
