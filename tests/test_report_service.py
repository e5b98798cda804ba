"""The report's service sections: hot issues, service levels and repeat callers, replies."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pytest

from commlib.datasets import make_tickets
from commlib.datasets._service import COPY_PASTE_REPLIES, HOT_EVENTS
from commlib.report import SECTIONS, build_report

SERVICE = ["hot_issues", "service", "replies"]
PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return make_tickets(3000, random_state=1, hot_events=True)


@pytest.fixture(scope="module", params=["zh", "en"])
def report(request, raw):
    return build_report(raw, lang=request.param, sections=SERVICE)


def test_sections_are_registered_before_the_appendix():
    assert SECTIONS[-4:] == ("hot_issues", "service", "replies", "quality")


def test_all_three_are_built_on_a_full_export(report):
    assert report.skipped == {}
    assert [s.id for s in report.sections] == SERVICE


def test_planted_event_ranks_first_in_the_tipdm_table(report):
    lang = report.lang
    table = report.table("hot_issues")
    headers = {
        "zh": ["热度排名", "问题ID", "热度指数", "时间范围", "地点/人群", "问题描述"],
        "en": ["Heat rank", "Issue ID", "Heat index", "Time range", "Place / group", "Description"],
    }[lang]
    assert list(table.columns) == headers
    assert len(table) == 10
    assert table.iloc[0, 4] == HOT_EVENTS[0]["address"]
    assert table.iloc[0, 5] in HOT_EVENTS[0]["titles"]
    assert table.iloc[:, 2].is_monotonic_decreasing
    sizes = report.table("hot_issue_sizes")
    assert sizes.iloc[0, 1] >= 12  # the event's 15 messages, in different words


def test_service_levels_match_a_hand_computation(report, raw):
    from commlib.clean import clean_tickets

    df = clean_tickets(raw).tickets
    due = pd.to_datetime(df["due_at"])
    closed = df["closed_at"]
    decided = closed.notna() | (due < max(df["created_at"].max(), closed.max()))
    on_time = (closed.notna() & (closed <= due))[decided]
    by_cat = on_time.groupby(df.loc[decided, "category"]).mean()
    table = report.table("service_category")
    share_col = [c for c in table.columns if "%" in c][0]
    got = table.set_index(table.columns[0])[share_col]
    for cat in got.index[:5]:
        assert got[cat] == pytest.approx(round(100 * by_cat[cat], 1))
    assert report.figures["service_category"][:8] == b"\x89PNG\r\n\x1a\n"


def test_repeat_callers_are_counted_never_shown(report, raw):
    table = report.table("repeat_callers")
    assert list(table.columns) == ["metric", "value"]
    ids = set(raw["caller_id"]) - {""}
    cells = [str(v) for t in report.tables.values() for v in t.astype("str").to_numpy().ravel()]
    cells += [p for s in report.sections for p in s.paragraphs]
    assert not ids & set(cells)
    assert not any(PHONE.search(c) for c in cells)


def test_copy_paste_reply_is_caught_and_weakest_replies_are_masked(report):
    copies = report.table("copy_paste_replies")
    # cleaning turned full-width punctuation into ASCII: compare in NFKC
    planted = [unicodedata.normalize("NFKC", r) for r in COPY_PASTE_REPLIES]
    assert copies.iloc[:2, 2].tolist() == planted
    assert copies.iloc[:2, 1].tolist() == [9, 6]
    assert (copies.iloc[2:, 1] < 6).all()
    weak = report.table("weakest_replies")
    assert weak.iloc[:, 4].isin(planted).any()  # a boilerplate is among the weakest
    assert not any(PHONE.search(str(v)) for v in weak.to_numpy().ravel())
    assert len(report.table("reply_quality")) >= 5


def test_words_are_in_the_report_language(report):
    for section in report.sections:
        words = [section.title, *section.table_titles.values()]
        for table in section.tables.values():
            words.extend(str(c) for c in table.columns if c not in ("metric", "value"))
        if report.lang == "en":
            assert not any(CJK.search(x) for x in words), section.id
            # sentences quote data (place and office names) but speak English
            for p in section.paragraphs:
                assert len(CJK.findall(p)) < 0.3 * len(p), p
        else:
            assert all(CJK.search(x) for x in [*words, *section.paragraphs]), section.id


def test_each_section_is_skipped_with_a_reason_without_its_columns(raw):
    df = raw[["created_at", "category"]]
    rep = build_report(df, sections=SERVICE)
    assert set(rep.skipped) == set(SERVICE)
    assert "诉求内容" in rep.skipped["hot_issues"]
    assert "办结时间" in rep.skipped["service"]
    assert "答复意见" in rep.skipped["replies"]
    en = build_report(df, sections=SERVICE, lang="en")
    assert all(not CJK.search(r) for r in en.skipped.values())


def test_without_due_dates_or_callers_service_still_builds(raw):
    rep = build_report(raw.drop(columns=["due_at", "caller_id"]), sections=["service"])
    sec = rep.section("service")
    assert sec.skipped is None
    assert any("办结时限" in p for p in sec.paragraphs)
    assert "repeat_callers" not in sec.tables
    # no on-time columns of blanks and zeros (the real NYC export showed them)
    for name in ("service_category", "service_department"):
        assert not [c for c in sec.tables[name].columns if "按时" in c or "判定" in c]


def test_a_same_day_service_reads_in_hours(raw):
    # NYC 311 closes in hours: "median time to close was 0.0 days" said nothing
    df = raw.drop(columns=["due_at"]).copy()
    created = pd.Series(pd.date_range("2024-01-01", periods=len(df), freq="37min"))
    df["created_at"] = created.dt.strftime("%Y-%m-%d %H:%M").to_numpy()
    df["closed_at"] = (created + pd.Timedelta(hours=3)).dt.strftime("%Y-%m-%d %H:%M").to_numpy()
    sec = build_report(df, sections=["service"], lang="en").section("service")
    assert (
        "the median time to close was 3.0 hours, the 90th percentile 3.0 hours"
        in (sec.paragraphs[0])
    )
    assert (
        "办结时长中位数 3.0 小时"
        in build_report(df, sections=["service"]).section("service").paragraphs[0]
    )


def test_tables_become_workbook_sheets(raw, tmp_path):
    from openpyxl import load_workbook

    rep = build_report(raw, sections=SERVICE)
    path = rep.to_xlsx(tmp_path / "r.xlsx")
    wb = load_workbook(path, read_only=True)
    tables = [n for s in rep.sections for n in s.tables]
    assert len(wb.sheetnames) == 1 + len(tables)  # the about sheet, then one per table
    sheet = wb.worksheets[1 + tables.index("hot_issues")]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header == ["热度排名", "问题ID", "热度指数", "时间范围", "地点/人群", "问题描述"]
    html = rep.to_html()
    assert "热度排名" in html and "按时办结率" in html


def test_any_reply_looks_through_every_slice():
    from commlib.report._sections_service import _any_reply

    def whole(df):  # the test on the whole column it replaces
        s = df["reply"].astype("str").str.strip()
        return bool(s.replace({"nan": "", "<NA>": "", "None": ""}).ne("").any())

    blank = pd.DataFrame({"reply": ["", "  ", "nan", "<NA>", "None"] * 3})
    assert not _any_reply(blank, step=4)
    late = pd.concat([blank, pd.DataFrame({"reply": ["已处理"]})], ignore_index=True)
    assert _any_reply(late, step=4)
    missing = pd.concat([blank, pd.DataFrame({"reply": [None]})], ignore_index=True)
    for df in (blank, late, missing):
        assert _any_reply(df, step=4) == whole(df)
    assert not _any_reply(pd.DataFrame({"text": ["x"]}))


def _descriptor_tickets(n: int, with_place: bool) -> pd.DataFrame:
    """A 311-style export: short descriptors, several per day, no address column."""
    kinds = ["Loud Music/Party", "Blocked Hydrant", "Banging/Pounding", "No Access"]
    text = [kinds[i % len(kinds)] for i in range(n)]
    if with_place:  # the same descriptors, each naming one of ten street addresses
        text = [f"{x} at {100 + i % 10} Main Street" for i, x in enumerate(text)]
    return pd.DataFrame(
        {
            "created_at": pd.date_range("2024-06-01", periods=n, freq="17min"),
            "category": ["Noise"] * n,
            "text": text,
        }
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hot_issues_need_places_not_just_alike_texts(lang):
    # no address column and texts that name no place: text similarity alone would make
    # "every Loud Music/Party of the city" one hot issue (NYC 311 descriptors did)
    rep = build_report(_descriptor_tickets(400, False), sections=["hot_issues"], lang=lang)
    reason = rep.skipped.get("hot_issues", "")
    assert "0.0%" in reason or "0%" in reason
    # the same texts naming their places: the section is built
    rep = build_report(_descriptor_tickets(400, True), sections=["hot_issues"], lang=lang)
    assert rep.skipped == {}
    assert len(rep.section("hot_issues").tables) > 0
