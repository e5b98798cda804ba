"""Tests for commlib.io.read_tickets: formats, encodings, header presets, errors."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import commlib.io as cio
from commlib.errors import InputFileError, MissingColumnsError
from commlib.io import read_tickets
from commlib.schema import CANONICAL_COLUMNS

DATA = Path(__file__).parent / "data"

HEADER = ["工单编号", "受理时间", "诉求分类", "诉求内容", "备注"]
ROWS = [
    ["GD0001", "2024-01-03 09:00", "快递物流", "快递丢失，门口堆放无人管", "NA"],
    ["GD0002", "2024/1/5 10:30", "噪音扰民", "楼上装修噪音很吵", ""],
    ["007", "昨天", "环境卫生", "垃圾桶满了没人清", "null"],
]


def _csv_text(header=HEADER, rows=ROWS, sep=","):
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    return "\n".join(lines) + "\n"


def _write_xlsx(path, header, rows, sheet_title="Sheet1"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _assert_hotline_frame(df):
    assert df.columns.tolist() == ["ticket_id", "created_at", "category", "text", "备注"]
    assert df["ticket_id"].tolist() == ["GD0001", "GD0002", "007"]
    # dirty dates survive as text for the cleaner
    assert df["created_at"].tolist() == ["2024-01-03 09:00", "2024/1/5 10:30", "昨天"]
    assert df.loc[0, "备注"] == "NA"
    assert pd.isna(df.loc[1, "备注"])
    assert df.loc[2, "备注"] == "null"
    assert all(str(dtype) == "str" for dtype in df.dtypes)
    assert isinstance(df.index, pd.RangeIndex)


# ----------------------------------------------------------------------------- formats


def test_csv(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text(_csv_text(), encoding="utf-8")
    df = read_tickets(path)
    _assert_hotline_frame(df)
    assert df.attrs["source"] == "tickets.csv"
    assert df.attrs["format"] == "csv"
    assert df.attrs["first_data_row"] == 2
    assert df.attrs["preset"] == "12345"
    assert df.attrs["column_map"] == {
        "工单编号": "ticket_id",
        "受理时间": "created_at",
        "诉求分类": "category",
        "诉求内容": "text",
    }


def test_tsv(tmp_path):
    path = tmp_path / "tickets.tsv"
    path.write_text(_csv_text(sep="\t"), encoding="utf-8")
    _assert_hotline_frame(read_tickets(path))


def test_txt_sniffs_tab_separator(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(_csv_text(sep="\t"), encoding="utf-8")
    df = read_tickets(path)
    _assert_hotline_frame(df)
    assert df.attrs["format"] == "text"


def test_csv_with_semicolons_is_sniffed(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text(_csv_text(sep=";"), encoding="utf-8")
    _assert_hotline_frame(read_tickets(path))


def test_xlsx(tmp_path):
    path = _write_xlsx(tmp_path / "tickets.xlsx", HEADER, [[c or None for c in r] for r in ROWS])
    df = read_tickets(path)
    _assert_hotline_frame(df)
    assert df.attrs["format"] == "xlsx"
    assert df.attrs["encoding"] is None


def test_xlsx_typed_cells_become_text(tmp_path):
    import datetime

    header = ["工单编号", "受理时间", "诉求内容", "来电号码"]
    rows = [[1001, datetime.datetime(2024, 1, 15, 10, 23, 45), "噪音", 13800138000]]
    df = read_tickets(_write_xlsx(tmp_path / "t.xlsx", header, rows))
    assert df.loc[0, "ticket_id"] == "1001"
    assert df.loc[0, "created_at"] == "2024-01-15 10:23:45"
    assert df.loc[0, "caller_id"] == "13800138000"


def test_parquet(tmp_path):
    path = tmp_path / "tickets.parquet"
    frame = pd.DataFrame(
        {
            "ticket_id": ["GD1", "GD2"],
            "created_at": pd.to_datetime(["2024-01-15 10:23:45", None]),
            "text": ["噪音", None],
            "score": [1.5, np.nan],
        }
    )
    frame.to_parquet(path)
    df = read_tickets(path)
    assert df.columns.tolist() == ["ticket_id", "created_at", "text", "score"]
    assert df["created_at"].tolist()[0] == "2024-01-15 10:23:45"
    assert pd.isna(df.loc[1, "created_at"]) and pd.isna(df.loc[1, "text"])
    assert df.loc[0, "score"] == "1.5"
    assert all(str(dtype) == "str" for dtype in df.dtypes)


@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson"])
def test_json_lines(tmp_path, suffix):
    path = tmp_path / f"tickets{suffix}"
    records = [dict(zip(HEADER, row, strict=True)) for row in ROWS]
    records[0]["来电号码"] = 13800138000  # a JSON number keeps its exact digits
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    df = read_tickets(path)
    assert df["ticket_id"].tolist() == ["GD0001", "GD0002", "007"]
    assert df.loc[0, "caller_id"] == "13800138000"
    assert df.loc[2, "备注"] == "null"
    assert df.attrs["first_data_row"] == 1


def test_json_records_and_wrapped_records(tmp_path):
    # numbers written by hand: their exact text must survive (no float round trip)
    records = (
        '[{"ticket_id": 12345678901234567890, "created_at": "2024-01-01", "text": "噪音",'
        ' "urgent": true, "n": 1.50, "tags": ["a", "b"], "x": null}]'
    )
    plain = tmp_path / "plain.json"
    plain.write_text(records, encoding="utf-8")
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text('{"total": 1, "data": ' + records + "}", encoding="utf-8")
    for path in (plain, wrapped):
        df = read_tickets(path)
        assert df.loc[0, "ticket_id"] == "12345678901234567890"
        assert df.loc[0, "text"] == "噪音"
        assert df.loc[0, "urgent"] == "true"
        assert df.loc[0, "n"] == "1.50"
        assert df.loc[0, "tags"] == '["a", "b"]'
        assert pd.isna(df.loc[0, "x"])


def test_binary_stream_sniffed_and_forced():
    data = _csv_text().encode("utf-8")
    _assert_hotline_frame(read_tickets(io.BytesIO(data)))
    _assert_hotline_frame(read_tickets(io.BytesIO(data), format="csv"))
    assert read_tickets(io.BytesIO(data)).attrs["source"] == "<stream>"


def test_text_stream():
    _assert_hotline_frame(read_tickets(io.StringIO(_csv_text())))


def test_open_file_handle_keeps_its_name(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(_csv_text(), encoding="utf-8")
    with open(path, "rb") as handle:
        df = read_tickets(handle)
    assert df.attrs["source"] == "export.csv"


def test_xlsx_stream_sniffed_from_content(tmp_path):
    path = _write_xlsx(tmp_path / "t.xlsx", HEADER, ROWS)
    df = read_tickets(io.BytesIO(path.read_bytes()))
    assert df.attrs["format"] == "xlsx"
    assert df["ticket_id"].tolist() == ["GD0001", "GD0002", "007"]


def test_xls_that_is_really_tab_separated_text(tmp_path):
    # Many hotline systems export tab-separated GBK text with an .xls name.
    path = tmp_path / "export.xls"
    path.write_bytes(_csv_text(sep="\t").encode("gb18030"))
    df = read_tickets(path)
    _assert_hotline_frame(df)
    assert df.attrs["encoding"] == "gb18030"


def test_csv_that_is_really_a_workbook(tmp_path):
    path = _write_xlsx(tmp_path / "t.xlsx", HEADER, ROWS)
    renamed = tmp_path / "t.csv"
    renamed.write_bytes(path.read_bytes())
    assert read_tickets(renamed).attrs["format"] == "xlsx"


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030")],
)
def test_encoding_detected(tmp_path, encoding, expected):
    path = tmp_path / "tickets.csv"
    path.write_bytes(_csv_text().encode(encoding))
    df = read_tickets(path)
    _assert_hotline_frame(df)  # the BOM is not left on the first header
    assert df.attrs["encoding"] == expected


def test_utf16_excel_unicode_text(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes(_csv_text(sep="\t").encode("utf-16"))
    _assert_hotline_frame(read_tickets(path))


def test_encoding_override(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_bytes(_csv_text().encode("gbk"))
    df = read_tickets(path, encoding="gbk")
    _assert_hotline_frame(df)
    assert df.attrs["encoding"] == "gbk"


def test_wrong_encoding_override_is_explained(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_bytes(_csv_text().encode("gb18030"))
    with pytest.raises(InputFileError, match=r"tickets\.csv is not valid utf-8.*encoding=None"):
        read_tickets(path, encoding="utf-8")


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(_csv_text().encode("utf-8") + b"GD9,2024-01-01,\xff\xfe\xff,x,y\n")
    with pytest.raises(InputFileError) as info:
        read_tickets(path)
    message = str(info.value)
    assert "broken.csv" in message
    for name in ("utf-8", "utf-8-sig", "gb18030"):
        assert name in message
    assert "encoding=" in message and "UTF-8" in message


def test_gbk_after_an_ascii_start_falls_back_to_gb18030(tmp_path, monkeypatch):
    # The sniffed head is ASCII; the Chinese text further on is GBK.
    monkeypatch.setattr(cio._sources, "_HEAD_BYTES", 64)
    rows = [[f"GD{i:04d}", "2024-01-01", "x"] for i in range(10)] + [["GD9", "2024-01-02", "噪音"]]
    path = tmp_path / "late.csv"
    path.write_bytes(_csv_text(["ticket_id", "created_at", "text"], rows).encode("gbk"))
    df = read_tickets(path)
    assert df.attrs["encoding"] == "gb18030"
    assert df["text"].iloc[-1] == "噪音"


def test_mixed_encodings_name_the_line(tmp_path, monkeypatch):
    monkeypatch.setattr(cio._sources, "_HEAD_BYTES", 64)
    utf8_part = _csv_text(["工单编号", "受理时间", "诉求内容"], [["A", "2024", "噪音"]] * 5)
    gbk_part = "B,2024,垃圾\n".encode("gbk")
    path = tmp_path / "joined.csv"
    path.write_bytes(utf8_part.encode("utf-8") + gbk_part)
    with pytest.raises(InputFileError, match=r"joined\.csv is UTF-8 up to line 7"):
        read_tickets(path)


# ------------------------------------------------------------------------------ values


def test_na_words_stay_text_and_empty_cells_are_missing():
    text = (
        "ticket_id,created_at,text,caller_id\n001,2024,NA,null\n002,2024,无,N/A\n003,2024,,NULL\n"
    )
    df = read_tickets(io.StringIO(text))
    assert df["ticket_id"].tolist() == ["001", "002", "003"]
    assert df["text"].tolist()[:2] == ["NA", "无"]
    assert pd.isna(df.loc[2, "text"])
    assert df["caller_id"].tolist() == ["null", "N/A", "NULL"]


def test_multiline_cells_and_blank_rows_keep_row_numbers():
    text = (
        "ticket_id,created_at,text\n"
        '1,2024,"第一行\n\t\t第二行"\n'
        "\n"  # a blank row in the data is kept, so row numbers still match the file
        "3,2024,第四行\n"
        "\n\n"  # blank rows at the end are dropped
    )
    df = read_tickets(io.StringIO(text))
    assert len(df) == 3
    assert df.loc[0, "text"] == "第一行\n\t\t第二行"
    assert df.iloc[1].isna().all()
    assert df.loc[2, "ticket_id"] == "3"
    assert df.attrs["first_data_row"] + 2 == 4  # row 2 of the frame is row 4 of the file


def test_large_multiline_file_matches_the_c_engine(tmp_path):
    # Several pyarrow blocks (1 MiB each) with line breaks inside quoted cells: pandas'
    # own pyarrow engine stops with "CSV parser got out of sync with chunker" here.
    rng = np.random.default_rng(0)
    n = 12_000
    frame = pd.DataFrame(
        {
            "工单编号": [f"GD{i:06d}" for i in range(n)],
            "受理时间": ["2024-01-01 08:00"] * n,
            "诉求内容": [
                "楼上噪音" * int(k) + "\n\t\t" + "夜间施工" * 5 for k in rng.integers(1, 40, n)
            ],
        }
    )
    path = tmp_path / "multi.csv"
    frame.to_csv(path, index=False)
    df = read_tickets(path)
    expected = pd.read_csv(path, dtype=str, engine="c")
    assert df["text"].tolist() == expected["诉求内容"].tolist()
    assert df["ticket_id"].tolist() == expected["工单编号"].tolist()


def test_a_huge_cell_falls_back_to_the_c_engine():
    big = "噪" * 700_000  # one row larger than pyarrow's 1 MiB block
    text = f'ticket_id,created_at,text\n1,2024,"{big}"\n2,2024,ok\n'
    df = read_tickets(io.StringIO(text))
    assert len(df.loc[0, "text"]) == 700_000
    assert df.loc[1, "text"] == "ok"


def test_input_file_is_not_modified(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_bytes(_csv_text().encode("gb18030"))
    xlsx = _write_xlsx(tmp_path / "tickets.xlsx", HEADER, ROWS)
    before = _digest(path), _digest(xlsx)
    read_tickets(path)
    read_tickets(xlsx)
    assert (_digest(path), _digest(xlsx)) == before


# ----------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    "header",
    [
        ["工单编号", "受理时间", "诉求分类", "诉求内容"],
        ["工单号", "来电时间", "问题分类", "问题描述"],
        ["受理编号", "登记时间", "业务类别", "来电内容"],
        ["\ufeff 工单编码 ", "\u3000创建时间\u3000", "诉求类型\t", " 工单内容"],
    ],
)
def test_12345_header_spellings(header):
    rows = [["GD1", "2024-01-01 08:00", "噪音扰民", "楼上很吵"]]
    df = read_tickets(io.StringIO(_csv_text(header, rows)))
    assert df.columns.tolist() == ["ticket_id", "created_at", "category", "text"]
    assert df.attrs["preset"] == "12345"


def test_first_header_in_preset_order_wins_and_others_stay():
    header = ["来电时间", "工单编号", "受理时间", "诉求内容"]
    rows = [["2024-01-02", "GD1", "2024-01-01", "噪音"]]
    df = read_tickets(io.StringIO(_csv_text(header, rows)))
    # 受理时间 comes before 来电时间 in PRESET_12345
    assert df.loc[0, "created_at"] == "2024-01-01"
    assert df.loc[0, "来电时间"] == "2024-01-02"
    assert df.columns.tolist() == ["ticket_id", "created_at", "text", "来电时间"]


def test_canonical_headers_used_as_they_are():
    text = "text,created_at,extra,ticket_id\n噪音,2024,x,1\n"
    df = read_tickets(io.StringIO(text))
    assert df.columns.tolist() == ["ticket_id", "created_at", "text", "extra"]
    assert df.attrs["preset"] == "canonical"


def _nyc_snake_case(tmp_path):
    original = (DATA / "nyc_311_sample.csv").read_text(encoding="utf-8")
    header, rest = original.split("\n", 1)
    snake = ",".join(h.lower().replace(" ", "_") for h in header.split(","))
    path = tmp_path / "erm2-nwe9.csv"
    path.write_text(snake + "\n" + rest, encoding="utf-8")
    return path


@pytest.mark.parametrize("style", ["open data labels", "api field names"])
@pytest.mark.parametrize("columns", [None, "311"])
def test_311_preset_both_header_styles(tmp_path, style, columns):
    path = DATA / "nyc_311_sample.csv" if style == "open data labels" else _nyc_snake_case(tmp_path)
    df = read_tickets(path, columns=columns)
    assert df.attrs["preset"] == "311"
    canonical = [c for c in df.columns if c in CANONICAL_COLUMNS]
    assert canonical == [
        "ticket_id",
        "created_at",
        "closed_at",
        "channel",
        "category",
        "subcategory",
        "text",
        "address",
        "community",
        "department",
        "status",
    ]
    assert df.columns[: len(canonical)].tolist() == canonical
    # no text column: the descriptor is the text too, and that is recorded
    assert df["text"].tolist() == df["subcategory"].tolist()
    assert df.attrs["copied_columns"] == {"text": "subcategory"}
    assert len(df) == 5
    assert df.loc[0, "ticket_id"] == "59893219"
    assert df.loc[0, "created_at"] == "01/15/2024 10:23:45 PM"
    assert pd.isna(df.loc[1, "closed_at"])
    assert df.loc[0, "category"] == "Noise - Residential"
    assert df.loc[0, "department"] == "NYPD"
    # extra columns kept with their own headers, numbers kept as written
    assert df.loc[0, "latitude"] == "40.64312345"
    # the community board is finer than the borough, so it wins; the borough is kept
    assert (
        df.attrs["column_map"][
            "Community Board" if style == "open data labels" else "community_board"
        ]
        == "community"
    )
    assert ("Borough" if style == "open data labels" else "borough") in df.columns
    assert len(df.columns) == 20


def test_board_xlsx_with_a_dict(tmp_path):
    header = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "一级分类", "点赞数"]
    detail = "\n\t\t\t\t\t\t\n\t\t\t\t\t\t小区门口道路坑洼_x000D_\n积水严重。_x000D_\n\t\t\t\t\t\t\n\t\t\t\t"
    rows = [
        [
            "188006",
            "A0000123",
            "关于小区门口道路的问题",
            "2019-05-15 14:20:11",
            detail,
            "城乡建设",
            3,
        ],
        [
            "188007",
            "A0000456",
            "噪音扰民",
            "2019/5/16 9:03",
            "\n\t\t夜里施工_x000D_\n\t\t",
            "环境保护",
            0,
        ],
    ]
    path = _write_xlsx(tmp_path / "留言板.xlsx", header, rows, sheet_title="附件2")
    mapping = {
        "留言编号": "ticket_id",
        "留言用户": "caller_id",
        "留言主题": "title",
        "留言时间": "created_at",
        "留言详情": "text",
        "一级分类": "category",
    }
    df = read_tickets(path, columns=mapping)
    assert df.columns.tolist() == [
        "ticket_id",
        "created_at",
        "category",
        "title",
        "text",
        "caller_id",
        "点赞数",
    ]
    assert df.loc[0, "text"] == detail  # kept exactly; the cleaner strips it
    assert "_x000D_" in df.loc[1, "text"]
    assert df.loc[1, "created_at"] == "2019/5/16 9:03"
    assert df.loc[0, "点赞数"] == "3"
    assert df.attrs["preset"] == "custom"
    assert df.attrs["column_map"] == mapping
    # the board preset finds the same columns by itself
    assert read_tickets(path).attrs["preset"] == "board"


def test_sheet_by_name_and_position(tmp_path):
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本表为导出数据"])
    data = book.create_sheet("工单")
    data.append(HEADER)
    for row in ROWS:
        data.append(row)
    book.save(path)
    assert read_tickets(path, sheet="工单")["ticket_id"].tolist()[0] == "GD0001"
    assert read_tickets(path, sheet=1)["ticket_id"].tolist()[0] == "GD0001"


def test_dict_may_map_to_non_canonical_names():
    text = "编号,时间,内容,楼栋\n1,2024,噪音,3号楼\n"
    df = read_tickets(
        io.StringIO(text),
        columns={"编号": "ticket_id", "时间": "created_at", "内容": "text", "楼栋": "building"},
    )
    assert df.columns.tolist() == ["ticket_id", "created_at", "text", "building"]
    assert df.loc[0, "building"] == "3号楼"


def test_extra_column_named_like_a_mapped_one_is_renamed():
    text = "工单编号,受理时间,诉求内容,text\nGD1,2024,噪音,other\n"
    df = read_tickets(io.StringIO(text), columns="12345")
    assert df.loc[0, "text"] == "噪音"
    assert df.loc[0, "text.1"] == "other"


def test_required_can_be_relaxed_or_tightened():
    text = "工单编号,诉求内容\nGD1,噪音\n"
    with pytest.raises(MissingColumnsError):
        read_tickets(io.StringIO(text))
    assert len(read_tickets(io.StringIO(text), required=())) == 1
    with pytest.raises(MissingColumnsError, match="address"):
        read_tickets(io.StringIO("ticket_id,created_at,text\n1,2,3\n"), required=["address"])


# ------------------------------------------------------------------------------ errors


def test_missing_column_names_what_and_the_closest_header(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text("工单编号,受理日期,诉求内容\nGD1,2024,噪音\n", encoding="utf-8")
    with pytest.raises(MissingColumnsError) as info:
        read_tickets(path)
    message = str(info.value)
    assert "tickets.csv" in message
    assert "'created_at'" in message
    assert "'工单编号', '受理日期', '诉求内容'" in message
    assert "Closest headers: created_at ~ '受理日期'" in message
    assert "--columns" in message and "columns=" in message  # the CLI flag and Python
    assert "受理日期" in info.value.render("zh") and "缺少列" in info.value.render("zh")
    assert "columns=" in message
    assert info.value.missing == ["created_at"]
    assert info.value.available == ["工单编号", "受理日期", "诉求内容"]


def test_missing_dict_target_suggests_closest(tmp_path):
    path = _write_xlsx(
        tmp_path / "board.xlsx", ["留言编号", "留言日期", "留言详情"], [["1", "2", "3"]]
    )
    mapping = {"留言编号": "ticket_id", "留言时间": "created_at", "留言详情": "text"}
    with pytest.raises(
        MissingColumnsError, match=r"'created_at'.*Closest headers: created_at ~ '留言日期'"
    ):
        read_tickets(path, columns=mapping)


def test_missing_file():
    with pytest.raises(InputFileError, match="does not exist") as info:
        read_tickets("no/such/tickets.csv")
    assert isinstance(info.value.__cause__, FileNotFoundError)


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=r"file empty\.csv is empty"):
        read_tickets(path)


def test_header_only_csv(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("工单编号,受理时间,诉求内容\n", encoding="utf-8")
    with pytest.raises(
        InputFileError, match=r"header\.csv has headers \('工单编号'.*but no data rows"
    ):
        read_tickets(path)


def test_header_only_and_empty_sheets(tmp_path):
    path = _write_xlsx(tmp_path / "header.xlsx", HEADER, [])
    with pytest.raises(InputFileError, match="but no data rows"):
        read_tickets(path)
    blank = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(blank)
    with pytest.raises(InputFileError, match=r"blank\.xlsx is empty"):
        read_tickets(blank)


def test_unknown_extension(tmp_path):
    path = tmp_path / "tickets.docx"
    path.write_bytes(b"PK\x03\x04whatever")
    with pytest.raises(InputFileError, match=r"\.docx.*Supported formats: csv \(\.csv\)"):
        read_tickets(path)


def test_compressed_file_asks_to_extract(tmp_path):
    path = tmp_path / "tickets.csv.gz"
    path.write_bytes(b"\x1f\x8b")
    with pytest.raises(InputFileError, match="extract it first"):
        read_tickets(path)


def test_bad_sheet_name_lists_sheets(tmp_path):
    path = _write_xlsx(tmp_path / "book.xlsx", HEADER, ROWS, sheet_title="工单明细")
    with pytest.raises(InputFileError, match=r"no sheet named 'Sheet1'.*'工单明细'"):
        read_tickets(path, sheet="Sheet1")
    with pytest.raises(InputFileError, match=r"no sheet number 3.*'工单明细'"):
        read_tickets(path, sheet=3)


@pytest.mark.parametrize(
    ("bad_row", "fields"), [("GD9,2024,噪音,多出来的,x,y", 6), ("GD9,2024", 2)]
)
def test_ragged_csv_names_the_line(tmp_path, bad_row, fields):
    path = tmp_path / "ragged.csv"
    path.write_text(_csv_text() + bad_row + "\n" + "GD10,2024,a,b,c\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read_tickets(path)
    message = str(info.value)
    assert "ragged.csv" in message
    assert f"line 5 has {fields} fields but the header has 5" in message
    assert "quotes" in message


def test_unclosed_quote_is_reported():
    text = 'ticket_id,created_at,text\n1,2024,"他说\n2,2024,后面的行\n'
    with pytest.raises(InputFileError, match="never closed"):
        read_tickets(io.StringIO(text))


def test_old_xls_without_an_engine(tmp_path, monkeypatch):
    monkeypatch.setattr(cio._workbook, "_xls_engines", lambda: [])
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(InputFileError, match=r"old\.xls.*python-calamine.*save it as \.xlsx"):
        read_tickets(path)


def test_unreadable_xls_names_the_file(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(InputFileError, match=r"old\.xls cannot be opened as an XLS workbook"):
        read_tickets(path)


def test_html_saved_as_xls(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>工单编号</td></tr></table></body></html>")
    with pytest.raises(InputFileError, match="HTML page"):
        read_tickets(path)


def test_bad_arguments():
    data = io.StringIO("ticket_id,created_at,text\n1,2,3\n")
    with pytest.raises(ValueError, match="unknown preset"):
        read_tickets(data, columns="12346")
    with pytest.raises(ValueError, match="unknown format"):
        read_tickets(io.StringIO("a\n1\n"), format="sav")
    with pytest.raises(ValueError, match="unknown encoding"):
        read_tickets(io.StringIO("a\n1\n"), encoding="gb-what")
