"""Files in, clean tickets out: the paths the issue promises work on real exports."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

import commlib as cl

DATA = Path(__file__).parent / "data"


def _board_xlsx(path: Path) -> Path:
    """A message-board export as governments publish them: text full of tabs and _x000D_."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "附件2"
    ws.append(["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "一级分类"])
    rows = [
        [
            "188006",
            "A0000123",
            "小区门口道路坑洼",
            "2019-05-15 14:20:11",
            "\n\t\t\t\t\t\t\n\t\t\t\t\t\t小区门口道路坑洼_x000D_\n积水严重，联系电话13812345678。\n\t\t",
            "城乡建设",
        ],
        [
            "188007",
            "A0000456",
            "噪音扰民",
            "2019/5/16 9:03",
            "\n\t\t夜里施工_x000D_\n\t\t",
            "环境保护",
        ],
        [
            "188008",
            "A0000789",
            "违章搭建",
            "2019年5月17日10时05分",
            "\t\t楼顶违章搭建\n",
            "城乡建设",
        ],
        ["188009", "A0000789", "无效时间", "昨天", "\t\t反映内容\n", "其他"],
        [
            "188006",
            "A0000123",
            "小区门口道路坑洼",
            "2019-05-15 14:20:11",
            "\n\t\t\t\t\t\t\n\t\t\t\t\t\t小区门口道路坑洼_x000D_\n积水严重，联系电话13812345678。\n\t\t",
            "城乡建设",
        ],
    ]
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_board_xlsx_reads_with_one_dict_and_every_row_is_accounted_for(tmp_path):
    path = _board_xlsx(tmp_path / "留言板.xlsx")
    mapping = {
        "留言编号": "ticket_id",
        "留言用户": "caller_id",
        "留言主题": "title",
        "留言时间": "created_at",
        "留言详情": "text",
        "一级分类": "category",
    }
    res = cl.clean_tickets(cl.read_tickets(path, columns=mapping))
    assert len(res.tickets) + len(res.rejected) + len(res.duplicates) == 5
    assert len(res.duplicates) == 1 and len(res.rejected) == 1
    assert "昨天" in res.rejected["reason"].iloc[0]
    assert res.rejected["source_row"].iloc[0] == 5  # header is row 1 in Excel
    text = res.tickets["text"]
    assert not text.str.contains("_x000D_|\t|\n", regex=True).any()
    assert text.iloc[0].startswith("小区门口道路坑洼")
    assert "[电话]" in text.iloc[0] and "13812345678" not in " ".join(text)
    assert res.tickets["created_at"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2019-05-15 14:20",
        "2019-05-16 09:03",
        "2019-05-17 10:05",
    ]


def test_nyc_311_csv_reads_with_the_preset_and_cleans():
    raw = cl.read_tickets(DATA / "nyc_311_sample.csv", columns="311")
    res = cl.clean_tickets(raw)
    assert len(res.tickets) + len(res.rejected) + len(res.duplicates) == len(raw)
    assert pd.api.types.is_datetime64_any_dtype(res.tickets["created_at"])
    first = res.tickets.loc[res.tickets["ticket_id"] == "59893219", "created_at"].iloc[0]
    assert first == pd.Timestamp("2024-01-15 22:23:45")
    table = cl.pareto_table(res.tickets, by="category")
    assert table["count"].sum() == len(res.tickets)


def test_bundled_gb18030_and_xlsx_subsets_clean_like_the_csv():
    for name in ("tickets_gb18030", "tickets_xlsx"):
        raw = cl.load_sample(name)
        res = cl.clean_tickets(raw)
        assert len(res.tickets) + len(res.rejected) + len(res.duplicates) == len(raw) == 2000
        assert not res.tickets["text"].str.contains("_x000D_", regex=False).any()


def test_board_export_with_label_headers_is_detected(tmp_path):
    # message-board exports also name the category column 一级标签
    wb = openpyxl.Workbook()
    wb.active.append(["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "一级标签"])
    wb.active.append([24, "A00074011", "噪音", "2020/1/6 12:09:38", "\n\t\t夜里施工\n", "城乡建设"])
    wb.save(tmp_path / "附件2.xlsx")
    df = cl.read_tickets(tmp_path / "附件2.xlsx")
    assert df.attrs["preset"] == "board"
    assert df.loc[0, "category"] == "城乡建设" and df.loc[0, "ticket_id"] == "24"
    res = cl.clean_tickets(df)
    assert res.tickets.loc[0, "text"] == "夜里施工"
