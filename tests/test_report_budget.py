"""A section that runs out of memory or time says so, in the report and on the console."""

from __future__ import annotations

import pytest

from commlib.cli import EXIT_OK, main
from commlib.datasets import make_tickets
from commlib.report import _budget, build_report
from commlib.report._sections import BUILDERS

SECTIONS = ["overview", "pareto", "themes", "quality"]


@pytest.fixture(scope="module")
def tickets():
    return make_tickets(600, random_state=4)


def _no_memory(ctx):
    raise MemoryError


def test_a_section_out_of_memory_is_marked_and_the_others_are_built(tickets, monkeypatch, caplog):
    monkeypatch.setitem(BUILDERS, "themes", _no_memory)
    for lang, words in (("en", "ran out of memory at"), ("zh", "内存不足")):
        rep = build_report(tickets, sections=SECTIONS, lang=lang)
        assert set(rep.skipped) == {"themes"}
        reason = rep.skipped["themes"]
        assert words in reason and "--from/--to" in reason
        assert f"{rep.meta['rows']:,}" in reason  # at how many tickets
        assert {"overview", "pareto", "quality"} <= {
            s.id for s in rep.sections if s.skipped is None
        }
        assert words in rep.to_html()
    assert any("ran out of memory" in r.getMessage() for r in caplog.records)


def test_a_section_that_would_not_fit_is_skipped_before_it_starts(tickets, monkeypatch):
    called = []
    monkeypatch.setitem(BUILDERS, "themes", lambda ctx: called.append(1))
    monkeypatch.setattr(_budget, "available_bytes", lambda: 1024**2)  # 1 MB free
    rep = build_report(tickets, sections=SECTIONS, lang="en")
    assert not called
    reason = rep.skipped["themes"]
    assert "GB" in reason and "only 0.0 GB is free" in reason
    assert set(rep.skipped) == {"themes"}  # the light sections have no estimate


def test_memory_check_reads_the_system_figures():
    free = _budget.available_bytes()
    assert free is None or free > 0
    assert _budget.memory_shortfall("themes", 10, "en", available=10**9) is None
    assert "10,000,000" in _budget.memory_shortfall("themes", 10**7, "en", available=10**9)


def test_themes_stop_at_their_time_budget(tickets):
    rep = build_report(
        tickets, sections=["overview", "themes"], lang="en", options={"themes": {"max_seconds": 0}}
    )
    assert "past its limit of 0 s" in rep.skipped["themes"]
    assert rep.section("overview").skipped is None
    rep = build_report(tickets, sections=["themes"], options={"themes": {"max_seconds": 600}})
    assert rep.skipped == {}


def test_the_command_line_prints_the_section_out_of_memory(tickets, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(BUILDERS, "themes", _no_memory)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    tickets.to_csv(tmp_path / "t.csv", index=False)
    code = main(
        [
            "report",
            str(tmp_path / "t.csv"),
            "--lang",
            "en",
            "--sections",
            ",".join(SECTIONS),
            "--output",
            str(tmp_path / "out.html"),
        ]
    )
    assert code == EXIT_OK
    err = capsys.readouterr().err
    assert "skipped" in err and "ran out of memory at" in err
    assert (tmp_path / "out.html").exists()
    assert "ran out of memory" in (tmp_path / "out.html").read_text(encoding="utf-8")


def test_hot_issues_and_replies_say_when_they_read_part_of_the_tickets(tickets):
    opts = {"hot_issues": {"max_tickets": 300}, "replies": {"max_tickets": 250}}
    rep = build_report(tickets, sections=["hot_issues", "replies"], lang="en", options=opts)
    assert rep.skipped == {}
    n = f"{rep.meta['rows']:,}"
    assert (
        rep.section("hot_issues")
        .paragraphs[0]
        .startswith(f"This section reads the latest 300 of the {n}")
    )
    assert f"random sample of 250 of the {n}" in rep.section("replies").paragraphs[0]
    whole = build_report(tickets, sections=["replies"], lang="en")
    assert "random sample" not in " ".join(whole.section("replies").paragraphs)
