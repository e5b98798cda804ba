"""read_tickets on the shapes real exports take: presets and their detection, Big5 and
UTF-16 text, old .xls workbooks, tickets on a later sheet, formula cells without values,
and errors that speak both languages and name the command line's flags.

Fixtures are written from code and modelled on real files (NYC 311 in both header
styles, Boston's CRM export, a Chinese message board, a 12345 export).
"""

from __future__ import annotations

import io
import logging

import openpyxl
import pandas as pd
import pytest

from commlib.errors import InputFileError, MissingColumnsError
from commlib.io import read_tickets

BOSTON_HEADER = (
    ",CASE_ENQUIRY_ID,OPEN_DT,TARGET_DT,CLOSED_DT,OnTime_Status,CASE_STATUS,CLOSURE_REASON,"
    "CASE_TITLE,SUBJECT,REASON,TYPE,QUEUE,Department,SubmittedPhoto,ClosedPhoto,Location,"
    "fire_district,pwd_district,city_council_district,police_district,neighborhood,"
    "neighborhood_services_district,ward,precinct,land_usage,LOCATION_STREET_NAME,"
    "LOCATION_ZIPCODE,Property_Type,Property_ID,LATITUDE,LONGITUDE,Source,Geocoded_Location"
)
BOSTON_ROWS = [
    "470600,101001242404,01/05/2015 12:40:41 PM,,01/06/2015 01:46:56 PM,ONTIME,Closed,"
    "Case Closed Case Noted no bicycle at this address.,Abandoned Bicycle,"
    "Mayor's 24 Hour Hotline,Abandoned Bicycle,Abandoned Bicycle,BTDT_District 06,BTDT,,,"
    "29 Hereford St  Boston  MA  02115,4.0,1C,8.0,D4,Back Bay,14.0,Ward 5,509.0,R1,"
    '29 Hereford St,2115.0,Address,72999.0,42.3504,-71.0867,City Worker App,"(42.3504, -71.0867)"',
    "470601,101001242999,03/02/2015 08:01:00 AM,03/05/2015 08:30:00 AM,,OVERDUE,Open,,"
    "Request for Pothole Repair,Public Works Department,Highway Maintenance,"
    "Pothole Repair (Internal),PWDx_District 1A: North Dorchester,PWDx,,,"
    "INTERSECTION of Park St & Dorchester Ave  Dorchester  MA,4.0,1A,3.0,C11,Dorchester,"
    "7.0,Ward 16,1603.0,,Park St,,Intersection,,42.3005,-71.0601,Constituent Call,"
    '"(42.3005, -71.0601)"',
]

NYC_API = (
    "unique_key,created_date,closed_date,agency,complaint_type,descriptor,location_type,"
    "incident_zip,city,borough,latitude,longitude\n"
    "69513421,2026-06-28T03:05:20.000,,DSNY,Graffiti,Graffiti,,11233,BROOKLYN,BROOKLYN,"
    "40.67998514857735,-73.90707158072117\n"
    "69514684,2026-06-28T03:03:48.000,2026-06-28T05:00:00.000,NYPD,Noise - Residential,"
    "Loud Music/Party,Residential Building/House,11226,BROOKLYN,BROOKLYN,40.64,-73.95\n"
)
NYC_PORTAL = (
    "Unique Key,Created Date,Closed Date,Agency,Agency Name,Complaint Type,Descriptor,"
    "Incident Address,Status,Resolution Description,Borough,Latitude,Longitude\n"
    "59893219,01/15/2024 10:23:45 PM,01/16/2024 01:02:11 AM,NYPD,New York City Police "
    "Department,Noise - Residential,Loud Music/Party,1234 FLATBUSH AVENUE,Closed,"
    '"The Police Department responded to the complaint.",BROOKLYN,40.64,-73.95\n'
)


def _workbook(path, sheets: dict[str, list[list]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


# ------------------------------------------------------------------------ presets


def test_boston_export_is_detected_and_mapped(tmp_path, caplog):
    path = tmp_path / "Abandoned Bicycle.csv"
    path.write_text(BOSTON_HEADER + "\n" + "\n".join(BOSTON_ROWS) + "\n", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="commlib.io"):
        df = read_tickets(path)
    assert df.attrs["preset"] == "boston" and df.attrs["preset_auto"] is True
    assert "'boston'" in caplog.text  # the choice is logged
    expected = {
        "CASE_ENQUIRY_ID": "ticket_id",
        "OPEN_DT": "created_at",
        "TARGET_DT": "due_at",
        "CLOSED_DT": "closed_at",
        "OnTime_Status": "on_time",
        "CASE_STATUS": "status",
        "CLOSURE_REASON": "reply",
        "CASE_TITLE": "title",
        "SUBJECT": "department",
        "TYPE": "category",
        "Location": "address",
        "neighborhood": "community",
        "LATITUDE": "latitude",
        "LONGITUDE": "longitude",
        "Source": "channel",
    }
    assert df.attrs["column_map"] == expected
    assert df.loc[1, "category"] == "Pothole Repair (Internal)"
    assert df.loc[1, "due_at"] == "03/05/2015 08:30:00 AM"
    assert df.loc[1, "community"] == "Dorchester"
    # what the preset does not map stays, under its own header
    for kept in ("REASON", "QUEUE", "Department", "LOCATION_STREET_NAME"):
        assert kept in df.columns
    assert read_tickets(path, columns="boston").attrs["column_map"] == expected


@pytest.mark.parametrize("text", [NYC_API, NYC_PORTAL], ids=["api lower case", "portal title case"])
@pytest.mark.parametrize("columns", [None, "auto", "311"])
def test_nyc_borough_descriptor_and_resolution(text, columns):
    df = read_tickets(io.StringIO(text), columns=columns)
    assert df.attrs["preset"] == "311"
    assert df.attrs["preset_auto"] is (columns != "311")
    first = df.iloc[-1]
    assert first["community"] == "BROOKLYN"  # borough: no community board in these files
    assert first["subcategory"] == "Loud Music/Party"
    assert first["text"] == "Loud Music/Party"  # no text column: the descriptor is the text
    assert df.attrs["copied_columns"] == {"text": "subcategory"}
    assert first["department"] == "NYPD"
    if "Resolution Description" in text:
        assert first["reply"] == "The Police Department responded to the complaint."
        assert first["address"] == "1234 FLATBUSH AVENUE"


def test_nyc_with_a_text_column_copies_nothing():
    text = "unique_key,created_date,complaint_type,descriptor,description\n1,2024,Noise,Loud,Music all night\n"
    df = read_tickets(io.StringIO(text))
    assert df.loc[0, "text"] == "Music all night"
    assert df.attrs["copied_columns"] == {}


def test_board_with_likes_and_replies(tmp_path):
    header = [
        "留言编号",
        "留言用户",
        "留言主题",
        "留言时间",
        "留言详情",
        "答复意见",
        "答复时间",
        "点赞数",
        "反对数",
    ]
    row = [
        "2549",
        "A00045581",
        "物业管理有问题",
        "2019/4/25 9:32:09",
        "\n\t\t小区物业乱收费\n\t",
        "已核实",
        "2019/5/10 14:56:53",
        5,
        1,
    ]
    path = _workbook(tmp_path / "board.xlsx", {"Sheet1": [header, row]})
    df = read_tickets(path)
    assert df.attrs["preset"] == "board"
    assert df.loc[0, "title"] == "物业管理有问题"
    assert df.loc[0, "caller_id"] == "A00045581"
    assert df.loc[0, "reply"] == "已核实"
    assert df.loc[0, "closed_at"] == "2019/5/10 14:56:53"  # a board's reply closes it
    assert (df.loc[0, "likes"], df.loc[0, "dislikes"]) == ("5", "1")


def test_12345_chinese_synonyms():
    text = "工单编号,日期,诉求内容,答复意见,答复时间,办结时限,点赞数\nGD1,2024-01-03,楼上噪音,已处理,2024-01-05,2024-01-10,2\n"
    df = read_tickets(io.StringIO(text))
    assert df.attrs["preset"] == "12345"
    assert df.columns.tolist() == [
        "ticket_id",
        "created_at",
        "text",
        "reply",
        "reply_at",
        "due_at",
        "likes",
    ]


def test_auto_picks_each_preset():
    files = {
        "311": NYC_API,
        "boston": BOSTON_HEADER + "\n" + BOSTON_ROWS[0] + "\n",
        "board": "留言编号,留言用户,留言主题,留言时间,留言详情\n1,u,t,2019/1/1,x\n",
        "12345": "工单编号,受理时间,诉求内容,承办部门\n1,2024-01-01,x,城管\n",
        "canonical": "ticket_id,created_at,text\n1,2024-01-01,x\n",
    }
    for preset, text in files.items():
        assert read_tickets(io.StringIO(text), columns="auto").attrs["preset"] == preset


def test_required_accepts_one_of_a_group_for_files_without_dates():
    text = "诉求分类,诉求内容\n噪音,楼上装修\n"
    with pytest.raises(MissingColumnsError, match="'created_at'"):
        read_tickets(io.StringIO(text))
    df = read_tickets(io.StringIO(text), required=[("text", "title", "category")])
    assert df.columns.tolist() == ["category", "text"]
    with pytest.raises(MissingColumnsError, match="'title' / 'status'"):
        read_tickets(io.StringIO(text), required=[("title", "status")])


def test_unknown_preset_lists_the_choices():
    with pytest.raises(ValueError, match="'boston'.*--columns"):
        read_tickets(io.StringIO("a\n1\n"), columns="chicago")


# ---------------------------------------------------------------------- encodings

TRADITIONAL = "案件編號,受理日期,陳情內容,分類\n" + "".join(
    f"A{i},2024-01-0{i + 1},路燈不亮，請儘速派員維修。巷口積水嚴重,路燈\n" for i in range(5)
)


def test_big5_is_not_read_as_gb18030(tmp_path):
    path = tmp_path / "台北.csv"
    path.write_bytes(TRADITIONAL.encode("big5"))
    df = read_tickets(
        path,
        columns={
            "案件編號": "ticket_id",
            "受理日期": "created_at",
            "陳情內容": "text",
            "分類": "category",
        },
    )
    assert df.attrs["encoding"] == "big5"
    assert df.loc[0, "text"] == "路燈不亮，請儘速派員維修。巷口積水嚴重"
    assert df.loc[0, "category"] == "路燈"


@pytest.mark.parametrize(
    ("text", "encoding", "detected"),
    [
        (TRADITIONAL, "gbk", "gb18030"),  # traditional characters saved as GBK
        ("工单编号,受理时间,诉求内容\nGD1,2024-01-01,噪音\n", "gbk", "gb18030"),  # tiny
        ("a,b\n1,路燈不亮，請派員維修\n", "big5", "big5"),  # one short line
        ("a,b\n1,café crème\n", "cp1252", "cp1252"),
        ("工单编号,诉求内容\nGD1,路灯不亮\n", "utf-16-le", "utf-16-le"),  # no BOM
        ("工单编号,诉求内容\nGD1,路灯不亮\n", "utf-16", "utf-16"),
        ("工单编号,诉求内容\nGD1,路灯不亮\n", "utf-8-sig", "utf-8-sig"),
    ],
)
def test_encodings_detected(text, encoding, detected):
    df = read_tickets(io.BytesIO(text.encode(encoding)), required=())
    assert df.attrs["encoding"] == detected
    assert df.iloc[0].tolist() == text.splitlines()[1].split(",")


# ---------------------------------------------------------------------- workbooks


def test_tickets_on_the_second_sheet(tmp_path, caplog):
    path = _workbook(
        tmp_path / "导出.xlsx",
        {
            "说明": [["本表由系统导出"], ["导出时间 2024-02-01"]],
            "工单": [["工单编号", "受理时间", "诉求内容"], ["GD1", "2024-01-03", "噪音"]],
        },
    )
    with caplog.at_level(logging.INFO, logger="commlib.io"):
        df = read_tickets(path)
    assert df.loc[0, "ticket_id"] == "GD1"
    assert df.attrs["sheet"] == "工单" and df.attrs["sheet_auto"] is True
    assert "'工单'" in caplog.text and "--sheet" in caplog.text
    # the first sheet is still read when asked for, and its error names both options
    with pytest.raises(MissingColumnsError) as info:
        read_tickets(path, sheet=0)
    for lang in ("en", "zh"):
        text = info.value.render(lang)
        assert "'说明'" in text and "'工单'" in text and "sheet=" in text and "--sheet" in text


@pytest.mark.parametrize("sheet", [5, "Tickets", "工单s"])
def test_sheet_errors_name_the_python_option_and_the_cli_flag(tmp_path, sheet):
    path = _workbook(tmp_path / "b.xlsx", {"工单": [["工单编号"], ["1"]]})
    with pytest.raises(InputFileError) as info:
        read_tickets(path, sheet=sheet)
    for lang in ("en", "zh"):
        text = info.value.render(lang)
        assert "sheet=" in text and "--sheet" in text and "'工单'" in text
    assert str(info.value) == info.value.render("en")


def test_headers_without_rows_mention_the_sheet_options(tmp_path):
    path = _workbook(tmp_path / "b.xlsx", {"Sheet1": [["工单编号", "受理时间", "诉求内容"]]})
    with pytest.raises(InputFileError, match=r"sheet=.*--sheet"):
        read_tickets(path)


def test_formula_cells_without_saved_values_are_counted(tmp_path, caplog):
    # openpyxl writes formulas without computing them, as some export tools do.
    path = _workbook(
        tmp_path / "f.xlsx",
        {
            "Sheet1": [
                ["工单编号", "受理时间", "诉求内容", "合计"],
                ["GD1", "2024-01-03", "噪音", "=1+1"],
                ["GD2", "2024-01-04", "积水", "=B2&C2"],
                ["GD3", "2024-01-05", "停水", None],
            ]
        },
    )
    with caplog.at_level(logging.WARNING, logger="commlib.io"):
        df = read_tickets(path)
    assert df["合计"].isna().all()
    assert df.attrs["formula_cells_without_value"] == 2
    assert df.attrs["formula_cells_example"] == ["D2", "D3"]
    assert "2 formula cell(s) without a saved value" in caplog.text


def test_formula_check_is_quiet_on_plain_workbooks(tmp_path):
    path = _workbook(
        tmp_path / "p.xlsx",
        {"Sheet1": [["工单编号", "受理时间", "诉求内容"], ["GD1", "2024-01-03", None]]},
    )
    assert read_tickets(path).attrs["formula_cells_without_value"] == 0


def test_old_xls_workbook(tmp_path):
    xlwt = pytest.importorskip("xlwt", reason="xlwt writes the .xls fixture")
    book = xlwt.Workbook(encoding="utf-8")
    cover = book.add_sheet("说明")
    cover.write(0, 0, "留言板导出")
    sheet = book.add_sheet("留言")
    for j, value in enumerate(["留言编号", "留言时间", "留言详情", "点赞数"]):
        sheet.write(0, j, value)
    for j, value in enumerate(["188006", "2019/2/28 11:25:05", "小区门口道路坑洼", "3"]):
        sheet.write(1, j, value)
    path = tmp_path / "old.xls"
    book.save(str(path))
    df = read_tickets(path)
    assert df.attrs["format"] == "xls" and df.attrs["preset"] == "board"
    assert df.attrs["sheet"] == "留言"
    assert df.loc[0, "text"] == "小区门口道路坑洼"
    assert df.loc[0, "likes"] == "3"


# ------------------------------------------------------------------------- errors


def test_errors_render_in_both_languages(tmp_path):
    with pytest.raises(InputFileError) as info:
        read_tickets(tmp_path / "nope.csv")
    assert info.value.key == "io.not_found"
    assert "nope.csv" in info.value.render("zh") and "不存在" in info.value.render("zh")
    assert "does not exist" in str(info.value)


def test_missing_columns_advise_the_cli_flag_too():
    with pytest.raises(MissingColumnsError) as info:
        read_tickets(io.StringIO("编号,内容\n1,x\n"))
    for lang in ("en", "zh"):
        text = info.value.render(lang)
        assert "--columns" in text and "columns=" in text and "'created_at'" in text


def test_unknown_extension_advises_renaming(tmp_path):
    path = tmp_path / "tickets.dbf"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(InputFileError) as info:
        read_tickets(path)
    assert "rename" in str(info.value) and "format=" in str(info.value)


def test_stream_result_is_the_same_as_a_dataframe_read_by_pandas():
    df = read_tickets(io.StringIO(NYC_API))
    raw = pd.read_csv(io.StringIO(NYC_API), dtype=str)
    assert df["ticket_id"].tolist() == raw["unique_key"].tolist()
