"""build_report and the Report writers, in process (the command line is in test_cli.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from commlib._catalogue import t
from commlib.clean import clean_tickets
from commlib.datasets import make_tickets
from commlib.errors import CommlibError
from commlib.report import (
    SECTIONS,
    Report,
    ReportPrivacyError,
    ReportSection,
    build_report,
    check_no_personal_data,
    scan_outputs,
)

# Independent of the module's own guard: what a reviewer would grep for.
PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·]?[A-Z0-9]{5,6}"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def personal_data(texts) -> list[str]:
    return [t for t in texts for p in (PHONE, ID_NUMBER, PLATE) if p.search(str(t))]


class _Page(HTMLParser):
    """Headings, texts and section ids of a report page."""

    def __init__(self):
        super().__init__()
        self.sections: dict[str, str] = {}
        self.h2: list[str] = []
        self.th: list[str] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.sections[attrs["id"]] = attrs.get("class") or ""
        self._in.append(tag)

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if not data.strip() or "style" in self._in:
            return
        self.text.append(data)
        if self._in and self._in[-1] == "h2":
            self.h2.append(data)
        if self._in and self._in[-1] == "th":
            self.th.append(data)


def parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return make_tickets(2500, random_state=0)


@pytest.fixture(scope="module")
def report(raw) -> Report:
    return build_report(raw)


@pytest.mark.slow
def test_every_section_is_built_on_a_full_export(report, raw):
    assert [s.id for s in report.sections] == list(SECTIONS)
    assert report.skipped == {}
    cleaned = clean_tickets(raw)
    overview = report.table("overview")
    assert overview.iloc[0]["value"] == f"{len(cleaned.tickets):,}"
    # the Pareto table counts every reported ticket once
    assert report.table("pareto")["count"].sum() == len(cleaned.tickets)
    assert report.table("monthly")["tickets"].sum() == len(cleaned.tickets)
    # the appendix accounts for every input row
    reasons = report.table("rejected_by_reason")
    assert reasons["count"].sum() == len(cleaned.rejected)
    for name in ("pareto", "communities", "monthly", "themes", "pyramid"):
        assert report.figures[name][:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_representative_and_rejected_texts_hold_no_personal_data(report, raw):
    assert raw["text"].str.contains(r"1[3-9]\d{9}").any()  # the input does carry phones
    cells = []
    for table in report.tables.values():
        for col in table.select_dtypes(exclude="number").columns:
            cells.extend(table[col].dropna().astype(str))
    cells.extend(p for s in report.sections for p in s.paragraphs)
    assert cells and personal_data(cells) == []
    assert personal_data(parse(report.to_html()).text) == []


def test_minimal_columns_skip_sections_with_a_reason():
    df = make_tickets(400, random_state=2)[["created_at", "address"]]
    rep = build_report(df, sections=["overview", "pareto", "communities", "sources", "quality"])
    assert set(rep.skipped) == {"pareto", "communities", "sources"}
    assert "诉求分类" in rep.skipped["pareto"]  # names the missing column, in Chinese
    page = parse(rep.to_html())
    # a section not built is one line in the short list at the end
    assert page.sections["pareto"] == "skipped" and page.sections["not-built"] == "not-built"
    assert list(page.sections)[-4:] == ["not-built", "pareto", "communities", "sources"]
    assert page.h2[-1] == "未生成的部分"
    assert any(t.startswith("二、诉求分类帕累托分析：") and "诉求分类" in t for t in page.text)
    assert page.sections["overview"] == ""


def test_english_report_has_english_headings_and_labels(raw):
    rep = build_report(raw, lang="en", sections=["overview", "pareto", "trend", "quality"])
    page = parse(rep.to_html())
    assert page.h2 == [
        "1. Overview",
        "2. Category Pareto",
        "4. Monthly trend and rising factors",
        "Appendix: data quality",
    ]
    assert page.th and not any(CJK.search(h) for h in page.th)
    for section in rep.sections:
        for paragraph in section.paragraphs:
            # category names are data and stay Chinese; the sentence around them is English
            assert CJK.sub("", paragraph).strip().startswith(tuple("0123456789ACDEINST"))
    assert 'lang="en"' in rep.to_html()


def test_period_keeps_only_tickets_in_it(raw):
    rep = build_report(raw, sections=["overview"], start="2024-03-01", end="2024-03-31")
    assert rep.meta["start"] >= pd.Timestamp("2024-03-01")
    assert rep.meta["end"] < pd.Timestamp("2024-04-01")
    assert rep.meta["end"] > pd.Timestamp("2024-03-31")  # the end day counts whole
    with pytest.raises(CommlibError, match="no tickets"):
        build_report(raw, sections=["overview"], start="2030-01-01")


def test_bad_arguments_are_refused(raw):
    with pytest.raises(ValueError, match="unknown section"):
        build_report(raw, sections=["overview", "charts"])
    with pytest.raises(ValueError, match="lang"):
        build_report(raw, lang="fr")
    with pytest.raises(CommlibError, match="created_at"):  # a period needs dates
        build_report(raw.drop(columns="created_at"), start="2024-01-01")


def test_personal_data_in_any_column_is_masked():
    df = make_tickets(300, random_state=4, stories=False)
    df.loc[:40, "community"] = "联系电话13912345678"
    df.loc[:40, "category"] = "车牌沪A12345违停"
    df.loc[:40, "address"] = "身份证310101199003071234"
    rep = build_report(df, sections=["overview", "pareto", "communities", "quality"])
    text = rep.to_html()
    assert "[电话]" in text
    assert personal_data(parse(text).text) == []


def test_cleaned_input_and_clean_result_are_used_as_they_are(raw):
    cleaned = clean_tickets(raw)
    from_result = build_report(cleaned, sections=["overview", "quality"])
    assert from_result.skipped == {}
    from_table = build_report(cleaned.tickets, sections=["overview", "quality"])
    assert "quality" in from_table.skipped  # no cleaning ran, so no log to show
    assert from_table.table("overview").equals(from_result.table("overview"))


def test_writers_mask_what_the_final_check_finds(tmp_path):
    # issue 12 item 4: one cell never stops a report; it is masked and counted
    section = ReportSection(
        "x",
        "泄露",
        paragraphs=("联系电话13812345678",),
        tables={"t": pd.DataFrame({"text": ["身份证310101199003071234"]})},
    )
    leaky = Report("报告", "zh", (section,), meta={})  # built by hand: nothing masked it
    html_text = leaky.to_html(tmp_path / "r.html").read_text(encoding="utf-8")
    assert "13812345678" not in html_text and "[电话]" in html_text
    leaky.to_xlsx(tmp_path / "r.xlsx")
    assert scan_outputs(tmp_path)["ok"].all()
    assert leaky.meta["masked_at_output"] == {"id": 1, "phone": 1}
    with pytest.raises(ReportPrivacyError, match="plate"):
        check_no_personal_data("车牌 沪A·D1234F")


def test_with_section_masks_and_places_a_custom_section(raw):
    rep = build_report(raw, sections=["overview", "pareto"])
    mine = ReportSection(
        "parcels",
        "快递驿站",
        paragraphs=("王先生来电13812345678说快递少了",),
        tables={"mine": pd.DataFrame({"category": ["快递物流"], "count": [3]})},
    )
    out = rep.with_section(mine, after="overview")
    assert [s.id for s in out.sections] == ["overview", "parcels", "pareto"]
    assert out.section("parcels").paragraphs == ("[姓名]来电[电话]说快递少了",)
    assert "mine" in out.tables and "mine" not in rep.tables


def test_html_is_escaped_and_self_contained(raw):
    df = raw.copy()
    df.loc[:300, "category"] = '<script>alert("x")</script>'
    text = build_report(df, sections=["overview", "pareto"]).to_html()
    assert "<script" not in text
    assert "&lt;script&gt;" in text
    assert not re.search(r"(?:src|href)=\"(?!data:|#)", text)
    assert "http://" not in text and "https://" not in text
    assert "@media print" in text


def test_xlsx_has_a_sheet_per_table_with_frozen_labelled_headers(raw, tmp_path):
    from openpyxl import load_workbook

    rep = build_report(raw, sections=["overview", "pareto", "quality"])
    path = rep.to_xlsx(tmp_path / "r.xlsx")
    wb = load_workbook(path)
    assert len(wb.sheetnames) == 1 + len(rep.tables)
    pareto = wb["诉求分类排序表"]
    assert pareto.freeze_panes == "A2"
    assert [c.value for c in pareto[1]][:4] == ["诉求分类", "工单数", "占比", "累计占比"]
    assert pareto["C2"].number_format == "0.0%"
    assert 8 <= pareto.column_dimensions["A"].width <= 60
    cells = [c for ws in wb for row in ws.iter_rows(values_only=True) for c in row]
    cells = [c for c in cells if isinstance(c, str)]
    assert personal_data(cells) == []


def test_chart_labels_hold_no_personal_data(monkeypatch):
    # chart tick labels and panel titles are pixels: the HTML/XLSX guard never sees them
    from commlib.report import _format as report_module  # the section builders draw through it

    drawn: list[str] = []
    png = report_module.figure_png

    def spy(fig, **kw):
        drawn.extend(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))
        return png(fig, **kw)

    monkeypatch.setattr(report_module, "figure_png", spy)
    t = clean_tickets(make_tickets(800, random_state=5)).tickets
    t.loc[t.index[:200], "category"] = "找13812345678的张先生"
    t.loc[t.index[:200], "community"] = "电话13912345678小区"
    before = t.copy()
    build_report(t, sections=["pareto", "communities"])
    assert drawn
    assert personal_data(drawn) == []
    pd.testing.assert_frame_equal(t, before)


# ------------------------------------------------------------------------- language

LATIN_WORD = re.compile(r"[A-Za-z]+")
#: Proper nouns a Chinese report may name (issue 11): everything else Latin is data.
PROPER_NOUNS = {"commlib", "Excel", "HTML", "XLSX", "CSV", "ID"}
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "tickets.csv"
NYC_311 = Path(__file__).parent / "data" / "nyc_311_sample.csv"


class _Visible(HTMLParser):
    """What a reader sees: text and the alt/title/aria-label attributes, no stylesheet."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.text.extend(v for k, v in attrs if k in ("alt", "title", "aria-label") and v)
        if tag not in ("img", "meta", "br"):
            self._in.append(tag)

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if data.strip() and "style" not in self._in:
            self.text.append(data)


def visible(html_text: str) -> list[str]:
    page = _Visible()
    page.feed(html_text)
    return page.text


def data_words(df: pd.DataFrame) -> set[str]:
    """Latin words the data itself holds (category names, texts, addresses, ids)."""
    cells = [str(v) for v in df.select_dtypes(exclude="number").to_numpy().ravel()]
    return set(LATIN_WORD.findall(" ".join(cells)))


@pytest.mark.slow
def test_chinese_report_has_no_english_word_but_data_and_proper_nouns():
    from commlib.io import read_tickets

    raw = read_tickets(SAMPLE, columns="12345").head(1200)
    rep = build_report(raw)
    assert rep.skipped == {}
    words = set(LATIN_WORD.findall(" ".join(visible(rep.to_html()))))
    file_name = set(LATIN_WORD.findall(SAMPLE.name))
    stray = words - PROPER_NOUNS - file_name - data_words(raw)
    assert stray == set()


def english_311(n: int = 400, seed: int = 0) -> pd.DataFrame:
    """An English 311-like export with description text, enough for every section."""
    import numpy as np

    rng = np.random.default_rng(seed)
    kinds = {
        "Noise - Residential": "loud music and party noise from the apartment upstairs at night",
        "Illegal Parking": "car parked in front of the hydrant blocking the driveway",
        "Street Condition": "large pothole in the road damaging cars near the crosswalk",
        "HEAT/HOT WATER": "no heat and no hot water in the building for two days",
        "Dirty Condition": "garbage and litter piled on the sidewalk attracting rats",
    }
    names = list(kinds)
    cat = rng.choice(names, n, p=[0.4, 0.25, 0.15, 0.12, 0.08])
    words = np.array(["again", "today", "please", "help", "still", "urgent", "every", "week"])
    text = [f"{kinds[c]} {' '.join(rng.choice(words, 3))}" for c in cat]
    created = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 180 * 24, n), "h")
    return pd.DataFrame(
        {
            "ticket_id": [f"SR{i:06d}" for i in range(n)],
            "created_at": created.astype("str"),
            "closed_at": (created + pd.Timedelta(days=2)).astype("str"),
            "category": cat,
            "text": text,
            "address": rng.choice(["12 MAIN STREET", "301 WEST 125 STREET", "5 PARK AVE"], n),
            "community": rng.choice(["BROOKLYN", "MANHATTAN", "QUEENS"], n),
            "status": "Closed",
        }
    )


@pytest.mark.parametrize("source", ["nyc_311_sample", "english_311"])
def test_english_report_on_english_data_has_no_chinese_character(source, tmp_path):
    from openpyxl import load_workbook

    from commlib.io import read_tickets

    raw = read_tickets(NYC_311, columns="311") if source == "nyc_311_sample" else english_311()
    rep = build_report(raw, lang="en")
    if source == "english_311":
        assert "themes" not in rep.skipped and "pareto" not in rep.skipped
    page = visible(rep.to_html())
    assert [t for t in page if CJK.search(t)] == []
    wb = load_workbook(rep.to_xlsx(tmp_path / "r.xlsx"))
    cells = [c for ws in wb for row in ws.iter_rows(values_only=True) for c in row]
    assert [c for c in [*wb.sheetnames, *cells] if isinstance(c, str) and CJK.search(c)] == []


def test_privacy_error_and_period_error_speak_both_languages(tmp_path, raw):
    table = pd.DataFrame({"text": ["联系电话13812345678"]})
    from commlib.report._guard import guard

    with pytest.raises(ReportPrivacyError) as caught:  # what masking could not mask
        guard(
            table["text"],
            where="workbook r.xlsx",
            where_key="report.where.workbook",
            where_params={"name": "r.xlsx"},
        )
    assert "workbook r.xlsx" in str(caught.value) and "phone" in str(caught.value)
    zh = caught.value.render("zh")
    assert (
        "工作簿 r.xlsx" in zh
        and "电话" in zh
        and not re.search(r"[A-Za-z]{3,}", zh.replace("r.xlsx", ""))
    )
    with pytest.raises(CommlibError) as caught:
        build_report(raw, sections=["overview"], start="2030-01-01")
    assert "the end" in str(caught.value)
    assert caught.value.render("zh").startswith("2030-01-01 至 最晚 之间没有可统计的工单")


# ---------------------------------------------------------------- issue 13: trustworthy report


def test_no_dates_builds_every_section_that_needs_none_and_says_so_once():
    df = make_tickets(400, random_state=5).drop(columns=["created_at"])
    rep = build_report(df, sections=["overview", "pareto", "communities", "trend", "sources"])
    assert set(rep.skipped) == {"trend", "sources"}  # both need dates, nothing else is lost
    assert rep.section("pareto").skipped is None and rep.section("communities").skipped is None
    assert rep.meta["start"] is None and rep.meta["as_of"] is None
    lines = [p for p in rep.section("overview").paragraphs if "需要日期" in p]
    assert len(lines) == 1 and "月度趋势" in lines[0] and "多类诉求同源" in lines[0]
    with pytest.raises(CommlibError, match="created_at"):
        build_report(df, sections=["overview"], start="2024-01-01")


def test_no_category_ranks_the_themes_labelled_as_such_without_vital_few():
    df = make_tickets(600, random_state=6)[["created_at", "text"]]
    rep = build_report(df, sections=["pareto", "themes"])
    pareto = rep.section("pareto")
    assert pareto.skipped is None and "由文本归纳" in pareto.title
    table = rep.table("pareto")
    assert "theme" in table.columns and "vital" not in table.columns
    assert table["count"].sum() == rep.table("themes")["count"].sum()
    assert "需要优先关注" not in " ".join(pareto.paragraphs)
    assert "pareto" in rep.figures and "themes" not in rep.figures  # drawn once


def _vital_and_bars(ax):
    # tick labels are wrapped onto two lines: compare them without line breaks and spaces
    labels = [t.get_text().replace("\n", "").replace(" ", "") for t in ax.get_xticklabels()]
    return labels, list(ax.patches)


def test_pareto_chart_gives_every_vital_category_its_own_bar_and_other_last():
    from matplotlib.colors import to_hex

    from commlib.pareto import pareto_chart, pareto_table
    from commlib.plotting import OTHER_COLOR

    # 30 categories of near-equal size: about 24 are vital at 80%
    counts = {f"类{i:02d}": 100 - i for i in range(30)}
    df = pd.DataFrame({"category": [c for c, n in counts.items() for _ in range(n)]})
    vital = pareto_table(df).query("vital")["category"].tolist()
    assert len(vital) > 12
    ax = pareto_chart(df, max_categories=12)
    labels, bars = _vital_and_bars(ax)
    assert labels[: len(vital)] == vital  # each vital category has its own bar, in order
    merged = 30 - len(labels) + 1
    assert labels[-1] == f"其他（合并{merged}类）"
    other = bars[-1]
    assert other.get_hatch() and to_hex(other.get_facecolor()) == OTHER_COLOR.lower()
    assert all(not b.get_hatch() for b in bars[:-1])


def test_pareto_panels_give_every_vital_category_its_own_bar():
    from commlib.pareto import pareto_by, pareto_by_chart

    rows = []
    for g, k in (("甲", 10), ("乙", 3)):  # 甲: 10 equal categories, 8 vital
        rows += [(g, f"{g}{i}") for i in range(k) for _ in range(10)]
    df = pd.DataFrame(rows, columns=["community", "category"])
    long = pareto_by(df)
    fig = pareto_by_chart(df, max_categories=6)
    for ax, g in zip(fig.axes[:2], ("乙", "甲"), strict=True):
        labels, _ = _vital_and_bars(ax)
        vital = long[(long["community"] == g) & long["vital"]]["category"].tolist()
        assert set(vital) <= set(labels)
        if g == "甲":  # 8 bars for the vital + Other for the 2 merged in this panel
            assert labels[-1] == "其他（合并2类）"


def test_shortened_tables_show_the_most_important_rows_and_the_workbook_count(report):
    per_group = report.table("community_pareto")
    sizes = report.table("communities").set_index("community")["tickets"]
    order = per_group["community"].drop_duplicates().map(sizes).tolist()
    assert order == sorted(order, reverse=True)  # largest compound first
    months = report.table("monthly")["month"].tolist()
    assert months == sorted(months, reverse=True)  # latest month first
    page = parse(report.to_html())
    notes = [t for t in page.text if "Excel" in t]
    assert any(f"共 {len(per_group)} 行" in t for t in notes)


def test_alerts_carry_hazard_date_and_whether_active_at_the_end():
    from commlib.report._sections_time import _alert_table

    ends = pd.date_range("2024-01-07", periods=10, freq="W")
    weekly = pd.DataFrame({"place": "x", "period_end": ends})
    alerts = pd.DataFrame(
        {
            "place": ["旧楼", "新楼"],
            "community": ["甲", "乙"],
            "first_fired": [ends[1], ends[8]],
            "last_fired": [ends[2], ends[9]],
            "periods_flagged": [2, 2],
            "count": [4, 5],
            "expected": [0.5, 0.6],
        }
    )
    data = pd.DataFrame(
        {
            "address_key": ["旧楼", "旧楼", "新楼"],
            "tier": ["near_miss"] * 3,
            "hazard": ["电气", "电气", "燃气"],
        }
    )
    result = type("R", (), {"weekly": weekly})()
    out = _alert_table(alerts, data, result, by="address_key", lang="zh")
    assert out["place"].tolist() == ["新楼", "旧楼"]  # active first
    assert out["active"].tolist() == [True, False]
    assert out["hazard"].tolist() == ["燃气", "电气"]
    assert {"first_fired", "last_fired"} <= set(out.columns)


def test_report_states_its_as_of_date_and_front_page_actions(report):
    as_of = report.meta["as_of"]
    assert as_of == report.meta["end"]
    html_text = report.to_html()
    assert f"数据截至 {as_of:%Y-%m-%d}" in html_text
    actions = report.meta["actions"]
    kinds = [a["kind"] for a in actions]
    assert "vital" in kinds and "alerts" in kinds and "backlog" in kinds
    for a in actions:  # each line links to its section
        assert f'href="#{a["section"]}"' in html_text
    tables = report.section("overview").tables
    assert {"overview_service_category", "overview_service_department"} <= set(tables)
    assert {"median_days_to_close", "satisfied_share"} <= set(
        tables["overview_service_category"].columns
    )


def test_theme_names_use_distinctive_phrases_not_fragments():
    from commlib.report._sections import _theme_name

    assert _theme_name(["倒", "云岭", "路面", "a"], "主题1", "·") == "云岭·路面"
    assert _theme_name(["公交", "公交 线路", "a", "轨道交通"], "x", "·") == "公交·轨道交通"
    assert _theme_name(["a", "1"], "主题3", "·") == "主题3"


def test_themes_show_no_vital_few_and_examples_nearest_the_centre(report):
    themes = report.section("themes")
    assert "vital" not in report.table("themes").columns
    assert "关键少数" not in " ".join(themes.paragraphs)
    examples = report.table("theme_examples")
    assert examples.groupby("theme", sort=False)["rank"].first().eq(1).all()
    assert "其他" not in set(examples["theme"])


def test_print_layout_lists_sections_not_built_at_the_end():
    df = make_tickets(300, random_state=7)[["created_at", "category", "address"]]
    rep = build_report(df, sections=["overview", "pareto", "themes", "near_misses"])
    text = rep.to_html()
    assert "@page" in text and "size: A4" in text
    page = parse(text)
    assert page.h2[-1] == "未生成的部分"
    # one short line each, in the list at the end (no heading, no page of their own)
    assert list(page.sections)[-3:] == ["not-built", "themes", "near_misses"]
    assert page.h2.count("五、投诉主题（文字聚类）") == 0


def test_two_sections_cannot_share_a_table_name():
    import pandas as pd

    one = ReportSection("a", "A", tables={"t": pd.DataFrame({"x": [1]})})
    two = ReportSection("b", "B", tables={"t": pd.DataFrame({"x": [2]})})
    with pytest.raises(ValueError, match="table name 't'"):
        Report(title="r", lang="zh", sections=(one, two))


def _action_ctx(lang):
    from commlib.report._model import _Context

    return _Context(
        tickets=pd.DataFrame(),
        lang=lang,
        by="community",
        random_state=0,
        options={},
        cleaned=None,
        excluded=0,
        as_of=pd.Timestamp("2024-06-30"),
    )


def _sources_section(strong):
    from commlib.report._model import ReportSection

    table = pd.DataFrame(
        {"place": ["甲路1号", "乙路2号"], "n_categories": [4, 3], "strong": strong}
    )
    table.attrs.update(n_candidates=57, n_strong=int(sum(strong)))
    return ReportSection("sources", "源头", tables={"sources": table})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_front_page_states_only_sources_beyond_chance_as_findings(lang):
    from commlib.report._sections import action_lines

    ctx = _action_ctx(lang)
    weak = action_lines([_sources_section([False, False])], ctx)[0]["text"]
    strong = action_lines([_sources_section([False, True])], ctx)[0]["text"]
    # no strong source: the line says none beat chance and counts every candidate
    assert "57" in weak and ("随机" in weak if lang == "zh" else "chance" in weak)
    # one strong source: the count is the strong ones, the place named is the strong one
    assert "57" not in strong and "乙路2号" in strong and "甲路1号" not in strong
    assert weak != strong


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_front_page_does_not_call_zero_open_tickets_a_backlog(lang):
    from commlib.report._model import ReportSection
    from commlib.report._sections import action_lines

    ctx = _action_ctx(lang)
    label = t("report.kpi_backlog", lang, as_of="2024-06-30")
    for n, closed in (("0", True), ("12", False)):
        kpi = pd.DataFrame({"metric": [label], "value": [n]})
        sec = ReportSection("overview", "总体", tables={"overview": kpi})
        text = action_lines([sec], ctx)[0]["text"]
        assert (text == t("report.act_no_backlog", lang, as_of="2024-06-30")) is closed


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_says_nothing_of_addresses_a_file_does_not_have(lang):
    """NYC 311's API export has no address column: the overview names the communities
    only, with no dash standing for the missing count ("and – distinct addresses")."""
    df = make_tickets(300, random_state=3)
    no_address = build_report(df.drop(columns=["address"]), lang=lang, sections=["overview"])
    text = " ".join(no_address.sections[0].paragraphs)
    assert "–" not in text
    assert (
        t("report.ov_places_only", lang, places=df["community"].nunique(), by_label="")[:4] in text
    )
    full = build_report(df, lang=lang, sections=["overview"])
    assert any(
        ("地址" in p) if lang == "zh" else ("addresses" in p) for p in full.sections[0].paragraphs
    )


def _embedded_font(text: str):
    """The fontTools font embedded in a page's stylesheet, or None."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    m = re.search(
        r'@font-face\{font-family:"commlib CJK";src:url\(data:font/woff;base64,([^)]+)\)', text
    )
    if m is None:
        return None
    data = base64.b64decode(m.group(1))
    assert data[:4] == b"wOFF"
    return TTFont(io.BytesIO(data))


def test_html_embeds_the_glyphs_of_its_chinese_text(report):
    # a machine with no CJK font showed the page's Chinese as boxes (session 19)
    from commlib.report._guard import visible_text

    text = report.to_html()
    font = _embedded_font(text)
    assert font is not None
    cmap = font.getBestCmap()
    seen = {c for part in visible_text(text) for c in part if ord(c) > 127}
    assert {c for c in seen if "\u4e00" <= c <= "\u9fff"} <= {chr(u) for u in cmap}
    assert "\u9f98" not in seen and 0x9F98 not in cmap  # only the page's characters
    assert len(set(cmap) - {ord(c) for c in seen}) <= 5  # (glyphs shared by two code points)
    # listed after the system CJK fonts, before the Latin ones
    assert re.search(r'"WenQuanYi Micro Hei", "commlib CJK", "Helvetica Neue"', text)
    assert report.to_html() == text  # same page, same bytes


def test_html_without_chinese_text_embeds_no_font(raw):
    from commlib.report._html import embed_font

    assert embed_font("<style>\nbody{}</style><p>only ASCII · –</p>", "only ASCII · –") == (
        "<style>\nbody{}</style><p>only ASCII · –</p>"
    )
    text = build_report(raw, sections=["overview"], lang="en").to_html()
    assert (_embedded_font(text) is None) == (not re.search(r"[\u4e00-\u9fff]", text))


def test_trend_of_under_three_months_is_charted_per_day(raw):
    # a two-day real NYC export drew one monthly bar filling the chart
    df = raw.head(400).copy()
    days = pd.Series(pd.to_datetime(["2024-03-28", "2024-04-02", "2024-04-05"]))
    df["created_at"] = (
        days.iloc[[i % 3 for i in range(len(df))]].dt.strftime("%Y-%m-%d 10:00").to_numpy()
    )
    df["closed_at"] = ""
    short = build_report(df, sections=["trend"])
    sec = short.section("trend")
    assert list(sec.figures) == ["daily"] and sec.figures["daily"][:4] == b"\x89PNG"
    assert "每日工单数" in sec.figure_titles.values()
    text = " ".join(sec.paragraphs)
    assert "按天统计" in text and "日均 44 件" in text  # 400 tickets over 9 days, zeros included
    assert short.table("monthly")["month"].tolist() == ["2024-04", "2024-03"]  # table kept
    en = build_report(df, sections=["trend"], lang="en").section("trend")
    assert "Tickets per day" in en.figure_titles.values()


def test_trend_of_under_a_week_is_charted_per_hour_unless_it_has_no_times(raw):
    df = raw.head(300).copy()
    hours = [f"2024-05-0{1 + i % 2} {8 + i % 10:02d}:15" for i in range(len(df))]
    df["created_at"], df["closed_at"] = hours, ""
    sec = build_report(df, sections=["trend"], lang="en").section("trend")
    assert list(sec.figures) == ["hourly"]
    text = " ".join(sec.paragraphs)
    # 300 tickets over the 34 hours from 05-01 08:00 to 05-02 17:00, 30 in each busy hour
    assert "8.8 tickets an hour" in text and "2024-05-01 08:00 (30)" in text
    df["created_at"] = [h[:10] for h in hours]  # dates only: per day, not 48 hours of zeros
    sec = build_report(df, sections=["trend"], lang="en").section("trend")
    assert list(sec.figures) == ["daily"] and "150.0" not in " ".join(sec.paragraphs)


def test_trend_of_three_months_or_more_is_charted_per_month(report):
    sec = report.section("trend")
    assert "monthly" in sec.figures and "daily" not in sec.figures
