"""Every real export gives every report section its columns allow, in zh and in en.

One case per real file in ``../shared/realdata`` (see its README). For each: read it
with the preset a user would pick (or auto-detection), build the report in both
languages, write HTML and XLSX, scan the written files for personal data, and check
which sections were built. The expectations say what the file's columns allow; a
section that should be built and is skipped fails the check with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

import commlib as cl


@dataclass(frozen=True)
class Case:
    name: str
    paths: tuple[str, ...]
    columns: object
    built: frozenset[str]  # sections the file's columns allow: must be built
    lang_data: str  # language of the file's text


CASES = (
    Case(
        "nyc311",
        ("nyc311_2026_sample/nyc311_sample.csv",),
        "311",
        # no address and descriptors that name no place: no hot issues (skipped with
        # the reason), no sources, no near-miss alerts
        frozenset({"overview", "pareto", "communities", "trend", "themes", "service", "quality"}),
        "en",
    ),
    Case(
        "boston311",
        ("boston311_2015/*.csv",),
        "boston",
        frozenset(
            {"overview", "pareto", "communities", "trend", "themes", "sources", "near_misses"}
            | {"hot_issues", "service", "replies", "quality"}
        ),
        "en",
    ),
    Case(
        "tipdm_hot",
        ("tipdm2020_messages/messages_hot_issues.xlsx",),
        "board",
        # no category: the Pareto ranks the themes found in the text
        frozenset({"overview", "pareto", "trend", "themes", "hot_issues", "quality"}),
        "zh",
    ),
    Case(
        "tipdm_replies",
        ("tipdm2020_messages/messages_with_replies.xlsx",),
        "board",
        frozenset({"overview", "pareto", "trend", "themes", "hot_issues", "replies", "quality"}),
        "zh",
    ),
)


def _read(realdata: Path, case: Case) -> pd.DataFrame:
    frames = []
    for pattern in case.paths:
        files = sorted(realdata.glob(pattern))
        assert files, f"{realdata / pattern}: no file"
        frames += [cl.read_tickets(f, columns=case.columns) for f in files]
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module", params=CASES, ids=lambda c: c.name)
def case_data(request, realdata):
    case = request.param
    raw = _read(realdata, case)
    res = cl.clean_tickets(raw, lang=case.lang_data)
    return case, raw, res


def test_rows_reconcile(case_data):
    _, raw, res = case_data
    assert len(res.tickets) + len(res.rejected) + len(res.duplicates) == len(raw)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_builds_every_section_its_columns_allow(case_data, lang, tmp_path):
    case, _, res = case_data
    report = cl.build_report(res, lang=lang)
    skipped = {s.id: s.skipped for s in report.sections if s.skipped}
    built = {s.id for s in report.sections if not s.skipped}
    missing = {sid: skipped.get(sid, "absent") for sid in case.built if sid not in built}
    assert not missing, f"{case.name} ({lang}): sections not built: {missing}"
    html = report.to_html(tmp_path / f"{case.name}-{lang}.html")
    xlsx = report.to_xlsx(tmp_path / f"{case.name}-{lang}.xlsx")
    found = cl.scan_outputs([html, xlsx])
    assert found["ok"].all(), f"{case.name} ({lang}): personal data in outputs:\n{found}"
