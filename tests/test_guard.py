"""The final check of every output, and files that are safe to open and share.

Issue 12 items 4-6: what the check finds is masked (one detector) and counted, never a
refusal; no cell of a workbook or CSV is a formula; outputs are written whole or not at
all; control characters never crash; ``scan_outputs`` reads every encoding and every
place a person or a tool sees.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

import openpyxl
import pandas as pd
import pytest

from commlib._files import csv_safe, formula_like, printable, same_file, staged_outputs, write_csv
from commlib.datasets import make_tickets
from commlib.report import ReportSection, build_report, scan_outputs
from commlib.report._guard import OutputMasker, html_texts, mask_html
from commlib.report._xlsx import _sheet_name, shorten

PHONE = "13812345678"


@pytest.fixture(scope="module")
def small_report():
    return build_report(make_tickets(300, random_state=1), sections=["overview", "pareto"])


def _with(report, section, **changes):
    # bypasses with_section's masking on purpose: what reaches the writers unmasked
    return dataclasses.replace(report, sections=(*report.sections, section), **changes)


# ----------------------------------------------------------------- item 4: mask, count


def test_final_check_masks_and_counts_instead_of_refusing(small_report, tmp_path):
    leaky = ReportSection(
        "leak", "leak", tables={"leak": pd.DataFrame({f"联系{PHONE}": ["车主沪A12345"]})}
    )
    report = _with(small_report, leaky, title=f"报告 电话{PHONE}", meta=dict(small_report.meta))
    html_path = report.to_html(tmp_path / "r.html")
    xlsx_path = report.to_xlsx(tmp_path / "r.xlsx")
    text = html_path.read_text(encoding="utf-8")
    assert PHONE not in text and "沪A12345" not in text and "[电话]" in text
    counts = report.meta["masked_at_output"]
    assert counts["phone"] >= 2 and counts["plate"] == 1
    assert scan_outputs([html_path, xlsx_path])["ok"].all()


def test_masking_html_leaves_images_and_markup_alone():
    m = OutputMasker()
    raw = (
        '<img src="data:image/png;base64,MTM4MTIzNDU2Nzg=" alt="电话13812345678">'
        '<a href="tel:13812345678">拨打</a><!-- 联系人王女士 --><p>a &lt; b</p>'
    )
    out = mask_html(raw, m)
    assert "base64,MTM4MTIzNDU2Nzg=" in out and "&lt; b" in out
    assert PHONE not in out and "王女士" not in out
    assert m.counts == {"phone": 2, "name": 1}


# ----------------------------------------------------------- item 5: formula injection


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"],
)
def test_formula_like_texts(text):
    assert formula_like(text)


@pytest.mark.parametrize("value", ["-12", "-3.5", "+7", "噪音", -4, 2.5, None, ""])
def test_numbers_and_plain_text_are_not_formulas(value):
    assert not formula_like(value)


def test_csv_cells_get_an_apostrophe(tmp_path):
    df = pd.DataFrame({"text": ["=1+1", "-12", "@x", "ok"], "n": [-1, -2, 3, 4]})
    assert csv_safe(df)["text"].tolist() == ["'=1+1", "-12", "'@x", "ok"]
    assert df["text"].iloc[0] == "=1+1"  # input untouched
    path = write_csv(df, tmp_path / "t.csv")
    back = pd.read_csv(path, encoding="utf-8-sig", dtype={"text": str})
    assert back["text"].tolist() == ["'=1+1", "-12", "'@x", "ok"]
    assert back["n"].tolist() == [-1, -2, 3, 4]


def test_workbook_cells_are_values_never_formulas(small_report, tmp_path):
    table = pd.DataFrame(
        {
            "category": ['=HYPERLINK("http://evil","点我")', "+cmd", "@SUM(A1)", "\tx", "噪音"],
            "count": [-3, 2, 1, 0, 5],
            "share": [0.1, 0.2, 0.3, 0.2, 0.2],
            "month": ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"],
            "vital": [True, False, True, False, True],
            "value": ["1,482", "45.3%", "3.2 天", "-7", "x"],
        }
    )
    sec = ReportSection("mine", "mine", tables={"mine": table}, table_titles={"mine": "mine"})
    path = _with(small_report, sec).to_xlsx(tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(path)["mine"]
    col = {c.value: c.column for c in ws[1]}
    cells = [ws.cell(row=r, column=col["诉求分类"]) for r in range(2, 7)]
    assert [c.data_type for c in cells] == ["s"] * 5
    assert [c.quotePrefix for c in cells] == [True, True, True, True, False]
    counts = [ws.cell(row=r, column=col["工单数"]).value for r in range(2, 7)]
    assert counts == [-3, 2, 1, 0, 5]  # real negative numbers stay numbers
    share = ws.cell(row=2, column=col["占比"])
    assert share.value == pytest.approx(0.1) and share.number_format == "0.0%"
    month = ws.cell(row=2, column=col["月份"])
    assert month.value == dt.datetime(2024, 1, 1) and month.number_format == "yyyy-mm"
    assert [ws.cell(row=r, column=5).value for r in (2, 3)] == ["是", "否"]
    values = [ws.cell(row=r, column=6).value for r in range(2, 7)]
    assert values[:2] == [1482, pytest.approx(0.453)] and values[2] == "3.2 天"
    assert values[3] == -7


def test_control_characters_never_crash(small_report, tmp_path):
    sec = ReportSection(
        "ctl",
        "控制\x07字符\x1b",
        paragraphs=("第一\x00段",),
        tables={"ctl": pd.DataFrame({"category": ["噪\x01音", "\x0b"], "count": [1, 2]})},
        table_titles={"ctl": "表\x02格:名/字*?"},
    )
    report = _with(small_report, sec, title="标题\x08")
    report.to_html(tmp_path / "r.html")
    wb = openpyxl.load_workbook(report.to_xlsx(tmp_path / "r.xlsx"))
    assert "表格_名_字__" in wb.sheetnames
    assert printable("a\x00b\tc\n") == "ab\tc\n"


def test_sheet_names_are_cut_at_word_boundaries():
    taken: set[str] = set()
    name = _sheet_name("Categories ranked by number of tickets per community", taken)
    assert name == "Categories ranked by number of" and len(name) <= 31
    zh = _sheet_name("各小区前五类诉求及其占比与累计占比变化趋势分析表格汇总情况说明", taken)
    assert len(
        zh
    ) <= 31 and "各小区前五类诉求及其占比与累计占比变化趋势分析表格汇总情况说明".startswith(zh)
    # the cut falls between words: 情况 / 说明 are not split
    assert not zh.endswith(("情", "说"))
    again = _sheet_name("Categories ranked by number of tickets per week", taken)
    assert again.endswith("_2") and len(again) <= 31 and " numbe_" not in again
    assert shorten("short", 31) == "short"


# ------------------------------------------------------------- item 5: both or neither


def test_staged_outputs_write_both_or_neither(tmp_path):
    html, xlsx = tmp_path / "a.html", tmp_path / "a.xlsx"
    with pytest.raises(RuntimeError):
        with staged_outputs([html, xlsx]) as (h, x):
            h.write_text("half")
            raise RuntimeError("workbook failed")
    assert list(tmp_path.iterdir()) == []
    html.write_text("old html")
    xlsx.write_text("old xlsx")
    real_replace = os.replace
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if str(dst) == str(xlsx) and str(src).endswith(".tmp.xlsx") and len(calls) < 5:
            raise OSError("disk full")
        return real_replace(src, dst)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "replace", flaky)
        with pytest.raises(OSError):
            with staged_outputs([html, xlsx]) as (h, x):
                h.write_text("new html")
                x.write_text("new xlsx")
    assert html.read_text() == "old html" and xlsx.read_text() == "old xlsx"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "a.xlsx"]


def test_a_failed_write_leaves_no_file(small_report, tmp_path, monkeypatch):
    import commlib.report._xlsx as xlsx_mod

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(xlsx_mod, "write_xlsx", boom)
    with pytest.raises(OSError):
        small_report.to_xlsx(tmp_path / "r.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_same_file_follows_symlinks(tmp_path):
    real = tmp_path / "工单.xlsx"
    real.write_bytes(b"x")
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    assert same_file(link, real) and same_file(tmp_path / "sub" / ".." / "工单.xlsx", real)
    assert not same_file(tmp_path / "other.xlsx", real)


# --------------------------------------------------------------------- item 6: scan


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-le", "big5", "utf-8-sig"])
def test_scan_reads_every_encoding_read_tickets_reads(tmp_path, encoding):
    path = tmp_path / "t.csv"
    text = "受理時間,訴求內容\n2024-01-01,聯繫電話13812345678 噪音擾民\n" * 5
    path.write_bytes(text.encode(encoding))
    assert scan_outputs(path)["kinds"].iloc[0] == "phone"


def _workbook(tmp_path, fill) -> os.PathLike:
    wb = openpyxl.Workbook()
    wb.active.append(["诉求内容"])
    wb.active.append(["噪音扰民"])
    fill(wb)
    path = tmp_path / "w.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize(
    "place",
    ["formula", "sheet_name", "comment", "title", "creator", "hyperlink"],
)
def test_scan_reads_every_place_of_a_workbook(tmp_path, place):
    from openpyxl.comments import Comment

    def fill(wb):
        ws = wb.active
        if place == "formula":
            ws["B2"] = '=CONCATENATE("138","12345678")&" 13912345678"'
        elif place == "sheet_name":
            ws.title = "电话13812345678"
        elif place == "comment":
            ws["A2"].comment = Comment("联系电话13812345678", "王")
        elif place == "title":
            wb.properties.title = "联系电话13812345678"
        elif place == "creator":
            wb.properties.creator = "电话13812345678"
        elif place == "hyperlink":
            ws["A2"].hyperlink = "tel:13812345678"

    path = _workbook(tmp_path, fill)
    assert "phone" in scan_outputs(path)["kinds"].iloc[0]
    assert scan_outputs(_workbook(tmp_path, lambda wb: None))["ok"].iloc[0]


@pytest.mark.parametrize(
    ("html", "kind"),
    [
        ('<p title="联系电话13812345678">噪音</p>', "phone"),
        ('<img alt="车主沪A12345" src="data:image/png;base64,AAAA">', "plate"),
        ('<a href="tel:13812345678">拨打</a>', "phone"),
        ('<a href="tel:%2B86%20138%201234%205678">拨打</a>', "phone"),
        ('<a href="mailto:zhang.san@163.com">写信</a>', "email"),
        ("<!-- 身份证 310101199003071234 -->", "id"),
    ],
)
def test_scan_reads_html_attributes_and_links(tmp_path, html, kind):
    path = tmp_path / "r.html"
    path.write_text(f"<html><body>{html}</body></html>", encoding="utf-8")
    assert kind in scan_outputs(path)["kinds"].iloc[0]


def test_html_texts_skip_images_and_styles():
    raw = '<style>p{color:red}</style><img src="data:image/png;base64,MTM4MTIzNDU2Nzg=">'
    assert html_texts(raw) == []
