"""Tests for commlib.clean: each step on small dirty frames, then the whole pipeline."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commlib._util import has_cjk
from commlib.clean import (
    CleanResult,
    DateParseError,
    add_address_key,
    address_key,
    clean_tickets,
    describe_log,
    describe_rejections,
    drop_duplicate_tickets,
    map_categories,
    mark_repeat_calls,
    normalize_community,
    normalize_text,
    parse_dates,
    strip_boilerplate,
)

PHONE = "13812345678"


@pytest.fixture
def dirty() -> pd.DataFrame:
    """Eight raw rows with the dirt of real exports (one problem per row)."""
    return pd.DataFrame(
        {
            "ticket_id": ["T1", "T2", "T3", "T4", "T5", "T6", "T6", "T8"],
            "created_at": [
                "2024-03-05 14:02",
                "2024年3月6日 09:10",
                "2024/3/7",
                "2024-13-45",  # bad date
                None,  # missing date
                "45356.58",
                "45356.58",
                "20240310",
            ],
            "closed_at": [
                "2024-03-06 10:00",
                None,  # open ticket: fine
                "not a date",  # bad closed_at
                "2024-03-08",
                "2024-03-08",
                "",
                "",
                "2024-03-11",
            ],
            "category": ["噪声扰民", "乱停车", "噪音", "漏水", "漏水", "新类别", "新类别", "违建"],
            "text": [
                "市民来电反映：楼上　装修噪音&nbsp;很大_x000D_\n希望相关部门尽快处理。",
                f"小区门口乱停车，联系电话{PHONE}",
                "晚上噪音",
                "漏水",
                "漏水",
                "楼顶违章搭建",
                "楼顶违章搭建",
                "   ",  # empty after normalisation
            ],
            "address": ["云岭西路１２３号", "兰亭苑3号楼", "桂香小区", "a", "b", "c", "c", "d"],
        }
    )


# ------------------------------------------------------------------------- normalize_text


def test_normalize_text_cleans_every_kind_of_dirt():
    df = pd.DataFrame(
        {
            "text": [
                "ＡＢＣ１２３，全角",
                "第一行_x000D_\n第二行",
                "A &amp; B &lt;c&gt; &#20013; &nbsp;x",
                "控制\x00字符\u200b零宽",
                " 多个\t\t空白\u3000\u3000和换行\r\n ",
                "",
                None,
            ]
        }
    )
    out = normalize_text(df)["text"].tolist()
    assert out[:5] == [
        "ABC123,全角",
        "第一行 第二行",
        "A & B <c> 中 x",
        "控制字符零宽",
        "多个 空白 和换行",
    ]
    assert pd.isna(out[5]) and pd.isna(out[6])


def test_normalize_text_leaves_input_and_date_columns_alone():
    df = pd.DataFrame({"text": ["１２３"], "created_at": ["２０２４-03-05"], "n": [1]})
    before = df.copy()
    out = normalize_text(df)
    pd.testing.assert_frame_equal(df, before)
    assert out.loc[0, "text"] == "123"
    assert out.loc[0, "created_at"] == "２０２４-03-05"
    assert out.loc[0, "n"] == 1


def test_normalize_text_on_object_column_and_chosen_columns():
    df = pd.DataFrame({"a": np.array(["ｘ ", "y"], dtype=object), "b": ["ｚ", "ｚ"]})
    out = normalize_text(df, columns=["a"])
    assert out["a"].tolist() == ["x", "y"]
    assert out["b"].tolist() == ["ｚ", "ｚ"]


def test_normalize_text_decodes_rare_entities_once():
    df = pd.DataFrame({"text": ["&eacute;t&eacute;", "&amp;nbsp;", "&hellip;"]})
    assert normalize_text(df)["text"].tolist() == ["été", "&nbsp;", "..."]


# ---------------------------------------------------------------------------- parse_dates

DATE_CASES = {
    "2024-03-05 14:02": "2024-03-05 14:02:00",
    "2024-03-05 14:02:33": "2024-03-05 14:02:33",
    "2024/3/5 14:02": "2024-03-05 14:02:00",
    "2024/3/5": "2024-03-05 00:00:00",
    "2024年3月5日14时02分": "2024-03-05 14:02:00",
    "2024年3月5日 14:02": "2024-03-05 14:02:00",
    "2024年3月5日": "2024-03-05 00:00:00",
    "2024年3月5日下午2点30分": "2024-03-05 14:30:00",
    "2024-03-05T14:02:00": "2024-03-05 14:02:00",
    "2024-03-05T14:02:00.000": "2024-03-05 14:02:00",
    "20240305": "2024-03-05 00:00:00",
    "20240305140233": "2024-03-05 14:02:33",
    "45356.58": "2024-03-05 13:55:12",
    "45356": "2024-03-05 00:00:00",
    "01/15/2024 10:23:45 PM": "2024-01-15 22:23:45",
    "01/15/2024 12:05:00 AM": "2024-01-15 00:05:00",
    "01/15/2024": "2024-01-15 00:00:00",
    "２０２４－０３－０５　１４：０２": "2024-03-05 14:02:00",
    " 2024-03-05 14:02 ": "2024-03-05 14:02:00",
}


def test_parse_dates_reads_every_export_format():
    df = pd.DataFrame({"created_at": list(DATE_CASES)})
    got = parse_dates(df)["created_at"].dt.strftime("%Y-%m-%d %H:%M:%S").tolist()
    assert dict(zip(DATE_CASES, got, strict=True)) == DATE_CASES


def test_parse_dates_dayfirst():
    df = pd.DataFrame({"created_at": ["05/03/2024"]})
    assert parse_dates(df)["created_at"][0] == pd.Timestamp("2024-05-03")
    assert parse_dates(df, dayfirst=True)["created_at"][0] == pd.Timestamp("2024-03-05")


@pytest.mark.parametrize(
    "bad",
    ["2024-13-45", "2024-02-30", "2024-03-05 25:00", "1024-03-05", "not a date", "13/45/2024"],
)
def test_parse_dates_never_returns_a_silent_nat(bad):
    df = pd.DataFrame({"created_at": ["2024-03-05", bad]})
    with pytest.raises(DateParseError) as info:
        parse_dates(df)
    assert info.value.bad.to_dict("records") == [
        {"source_row": 2, "column": "created_at", "value": bad, "reason_code": "bad_date"}
    ]
    assert bad in str(info.value)


def test_parse_dates_row_numbers_follow_the_file():
    df = pd.DataFrame({"created_at": ["2024-03-05", "2024-13-45"]})
    df.attrs["first_data_row"] = 2  # header on row 1, as read_tickets records
    with pytest.raises(DateParseError, match=r"row 3"):
        parse_dates(df)


def test_parse_dates_coerce_and_blanks():
    df = pd.DataFrame({"created_at": ["2024-03-05", "", None, "oops"]})
    out = parse_dates(df, errors="coerce")["created_at"]
    assert out.isna().tolist() == [False, True, True, True]


def test_parse_dates_numeric_datetime_and_object_columns():
    import datetime as dt

    df = pd.DataFrame(
        {
            "created_at": [45356.5, 20240305],
            "closed_at": np.array([dt.datetime(2024, 3, 6, 8, 0), "2024/3/7"], dtype=object),
        }
    )
    out = parse_dates(df)
    assert out["created_at"].tolist() == [
        pd.Timestamp("2024-03-05 12:00"),
        pd.Timestamp("2024-03-05"),
    ]
    assert out["closed_at"].tolist() == [
        pd.Timestamp("2024-03-06 08:00"),
        pd.Timestamp("2024-03-07"),
    ]
    already = pd.DataFrame({"created_at": pd.to_datetime(["2024-03-05"])})
    pd.testing.assert_frame_equal(parse_dates(already), already)


# ---------------------------------------------------------------------- strip_boilerplate


def test_strip_boilerplate_moves_phrases_and_keeps_original():
    df = pd.DataFrame(
        {
            "text": [
                "市民来电反映:小区门口垃圾堆放,希望相关部门尽快处理。",
                "来电人称:楼下烧烤油烟大,要求尽快处理",
                "诉求:路灯不亮。",
                "没有套话的正文。",
                "市民来电反映:请相关部门核实处理",
                None,
            ]
        }
    )
    out = strip_boilerplate(df)
    assert out["text"].tolist()[:4] == [
        "小区门口垃圾堆放",
        "楼下烧烤油烟大",
        "路灯不亮。",
        "没有套话的正文。",
    ]
    assert pd.isna(out.loc[4, "text"])  # boilerplate only: text empty, row kept
    assert out["boilerplate"].tolist()[:3] == [
        "市民来电反映|希望相关部门尽快处理",
        "来电人称|要求尽快处理",
        "诉求",
    ]
    assert pd.isna(out.loc[3, "boilerplate"])
    assert out["text_original"].tolist()[:4] == df["text"].tolist()[:4]
    assert len(out) == len(df)


def test_strip_boilerplate_custom_patterns_and_file(tmp_path):
    df = pd.DataFrame({"text": ["您好，楼道堆物，谢谢"]})
    out = strip_boilerplate(df, patterns=["您好", "谢谢"])
    assert out.loc[0, "text"] == "楼道堆物"
    assert out.loc[0, "boilerplate"] == "您好|谢谢"
    path = tmp_path / "phrases.txt"
    path.write_text("# my phrases\n您好\n", encoding="utf-8")
    assert strip_boilerplate(df, patterns=path).loc[0, "text"] == "楼道堆物，谢谢"


# ------------------------------------------------------------------------ map_categories


def test_map_categories_bundled_dict_and_csv(tmp_path):
    df = pd.DataFrame({"category": ["噪声扰民", " 噪音 ", "扰民噪音", "乱停车", "其他", None]})
    out = map_categories(df)["category"].tolist()
    assert out[:5] == ["噪音扰民", "噪音扰民", "噪音扰民", "停车管理", "其他"]
    assert pd.isna(out[5])
    path = tmp_path / "syn.csv"
    path.write_text("category,synonym\nNoise,noise - residential\n", encoding="utf-8")
    en = pd.DataFrame({"category": ["Noise - Residential", "Noise"]})
    assert map_categories(en, synonyms=path)["category"].tolist() == ["Noise", "Noise"]
    assert map_categories(en, synonyms={"noise": "N"})["category"].tolist() == [
        "Noise - Residential",
        "N",
    ]


def test_map_categories_logs_unknown(caplog):
    caplog.set_level("INFO", logger="commlib.clean")
    map_categories(pd.DataFrame({"category": ["新类别", "噪音"]}))
    assert "1 unknown labels" in caplog.text and "新类别" in caplog.text


# --------------------------------------------------------------------------- address_key


def test_address_key_makes_spellings_of_one_place_equal():
    same = [
        "云岭西路123号",
        "云岭西路123号底商",
        "云岭西路一二三号",
        "云岭西路１２３号门口",
        "云岭西路一百二十三号",
        "云岭西路 123 号",
        "上海市普陀区云岭西路123号附近",
        "云岭西路123号(近长寿路)",
        "云岭西路123号楼下",
    ]
    assert set(address_key(pd.Series(same))) == {"云岭西路123号"}
    building = [
        "兰亭苑3号楼",
        "兰亭苑3栋",
        "兰亭苑3幢",
        "兰亭苑3号楼601室",
        "兰亭苑三号楼2单元601室",
    ]
    assert set(address_key(pd.Series(building))) == {"兰亭苑3号"}
    assert address_key(
        pd.Series(["长寿路十二号", "长寿路二十号", "长寿路一千零五号"])
    ).tolist() == [
        "长寿路12号",
        "长寿路20号",
        "长寿路1005号",
    ]


def test_address_key_keeps_different_places_apart():
    keys = address_key(
        pd.Series(["云岭西路123号", "云岭西路125号", "云岭东路123号", "三林路5弄3号", "三林路3号"])
    ).tolist()
    assert len(set(keys)) == 5
    assert keys[3] == "三林路5弄3号"  # 弄 kept; 三林路 not turned into 3林路


def test_address_key_english_and_missing():
    keys = address_key(
        pd.Series(
            ["123 Main Street", "123  main st.", "123 MAIN ST APT 4B", "125 Main St", None, ""]
        )
    ).tolist()
    assert keys[:4] == ["123 MAIN ST", "123 MAIN ST", "123 MAIN ST", "125 MAIN ST"]
    assert pd.isna(keys[4]) and pd.isna(keys[5])
    assert address_key(pd.Series(["5 Park Avenue"])).tolist() == ["5 PARK AVE"]


def test_add_address_key_is_a_new_frame():
    df = pd.DataFrame({"address": ["云岭西路123号底商"]})
    out = add_address_key(df)
    assert "address_key" not in df.columns
    assert out.loc[0, "address_key"] == "云岭西路123号"


# ----------------------------------------------------------------- drop_duplicate_tickets


def test_drop_duplicate_tickets_exact_rows_only():
    df = pd.DataFrame(
        {
            "ticket_id": ["A", "A", "A", "B"],
            "text": ["漏水", "漏水", "漏水了", "漏水"],
            "source_row": [1, 2, 3, 4],
        }
    )
    out = drop_duplicate_tickets(df)
    assert out["source_row"].tolist() == [1, 3, 4]  # source_row ignored when comparing


# --------------------------------------------------------------------- mark_repeat_calls


def _calls() -> pd.DataFrame:
    text = "楼下酒吧每天深夜音乐声很大严重影响休息"
    return pd.DataFrame(
        {
            "ticket_id": ["A", "B", "C", "D", "E", "F", "G"],
            "created_at": pd.to_datetime(
                [
                    "2024-03-01 08:00",
                    "2024-03-02 09:00",  # repeat of A
                    "2024-03-04 10:00",  # repeat of B, so chain -> A
                    "2024-03-02 11:00",  # other category
                    "2024-03-02 12:00",  # other place
                    "2024-03-20 10:00",  # outside the window
                    "2024-03-04 11:00",  # different text
                ]
            ),
            "category": [
                "噪音扰民",
                "噪音扰民",
                "噪音扰民",
                "油烟扰民",
                "噪音扰民",
                "噪音扰民",
                "噪音扰民",
            ],
            "address": [
                "云岭西路123号",
                "云岭西路一二三号",
                "云岭西路123号底商",
                "云岭西路123号",
                "云岭西路125号",
                "云岭西路123号",
                "云岭西路123号",
            ],
            "text": [
                text,
                text + "!",
                text.replace("很大", "很大,"),
                text,
                text,
                text,
                "门口垃圾桶没人清理",
            ],
        }
    )


def test_mark_repeat_calls_marks_chains_and_keeps_rows():
    df = _calls()
    out = mark_repeat_calls(df)
    assert len(out) == len(df)
    assert out["repeat_of"].tolist()[:3] == [np.nan, "A", "A"][:1] + ["A", "A"]
    assert out["repeat_of"].iloc[3:].isna().all()  # category, place, window, text
    assert "repeat_of" not in df.columns


def test_mark_repeat_calls_window_and_similarity_options():
    df = _calls()
    assert mark_repeat_calls(df, window="2h")["repeat_of"].isna().all()
    assert mark_repeat_calls(df, similarity=1.01)["repeat_of"].isna().all()
    wide = mark_repeat_calls(df, window="30D")["repeat_of"]
    assert wide.iloc[5] == "A"


def test_mark_repeat_calls_same_ticket_is_not_a_repeat():
    df = _calls().iloc[:2].assign(ticket_id=["A", "A"])
    assert mark_repeat_calls(df)["repeat_of"].isna().all()


# ------------------------------------------------------------------------- clean_tickets


def test_clean_tickets_accounts_for_every_row(dirty):
    before = dirty.copy()
    res = clean_tickets(dirty, mask=False)
    pd.testing.assert_frame_equal(dirty, before)  # input not mutated
    assert isinstance(res, CleanResult)
    assert len(res.tickets) + len(res.rejected) + len(res.duplicates) == len(dirty)
    assert res.tickets["source_row"].tolist() == [1, 2, 6]
    assert res.duplicates.to_dict("records") == [{"source_row": 7, "duplicate_of": 6}]
    reasons = dict(zip(res.rejected["source_row"], res.rejected["reason"], strict=True))
    assert reasons == {
        3: "办结时间 无法识别的日期 'not a date' (行 3)",
        4: "受理时间 无法识别的日期 '2024-13-45' (行 4)",
        5: "受理时间 为空 (行 5)",
        8: "诉求内容 为空 (行 8)",
    }
    assert set(res.rejected["step"]) == {"parse_dates", "reject_empty_text"}
    t = res.tickets.set_index("source_row")
    assert t.loc[1, "text"] == "楼上 装修噪音 很大"
    assert t.loc[1, "boilerplate"] == "市民来电反映|希望相关部门尽快处理"
    assert t.loc[1, "category"] == "噪音扰民"
    assert t.loc[1, "address_key"] == "云岭西路123号"
    assert t.loc[2, "created_at"] == pd.Timestamp("2024-03-06 09:10")
    assert pd.isna(t.loc[2, "closed_at"])  # open ticket kept
    assert t.loc[6, "created_at"] == pd.Timestamp("2024-03-05 13:55:12")
    assert pd.api.types.is_datetime64_any_dtype(res.tickets["created_at"])


def test_clean_tickets_log_reconciles(dirty):
    res = clean_tickets(dirty, mask=False)
    log = res.log
    assert list(log.columns) == [
        "step",
        "rows_in",
        "rows_out",
        "rows_changed",
        "seconds",
        "cpu_seconds",
        "note",
        "note_code",
        "note_params",
    ]
    assert log["rows_in"].iloc[0] == len(dirty)
    assert log["rows_out"].iloc[-1] == len(res.tickets)
    assert (log["rows_out"].iloc[:-1].to_numpy() == log["rows_in"].iloc[1:].to_numpy()).all()
    assert (log["rows_in"] - log["rows_out"]).sum() == len(res.rejected) + len(res.duplicates)
    en = describe_log(log, lang="en").set_index("step")
    assert "1 unknown labels" in en.loc["map_categories", "note"]
    assert log.set_index("step").loc["map_categories", "note_params"]["unknown"] == 1
    assert "2 rows in" not in res.summary(lang="en")
    en_summary = res.summary(lang="en")
    assert en_summary.startswith("8 rows in: 3 clean, 4 rejected, 1 duplicates removed.")
    assert res.summary().startswith("输入 8 行：保留 3 行，剔除 4 行，去除重复 1 行。")
    assert "<table" in res._repr_html_()


def test_clean_tickets_source_row_from_read_tickets(dirty):
    dirty.attrs["first_data_row"] = 2
    res = clean_tickets(dirty, mask=False)
    assert res.tickets["source_row"].tolist() == [2, 3, 7]
    assert "(行 5)" in " ".join(res.rejected["reason"])


def test_clean_tickets_repeat_calls_marked_not_deleted():
    df = _calls().assign(created_at=lambda d: d["created_at"].dt.strftime("%Y年%m月%d日 %H:%M"))
    res = clean_tickets(df, mask=False)
    assert len(res.tickets) == len(df)
    assert res.tickets["repeat_of"].tolist()[:3] == [np.nan, "A", "A"][:1] + ["A", "A"]


def test_clean_tickets_leaves_nothing_unmasked(dirty):
    dirty = dirty.assign(
        caller_id=[PHONE] * len(dirty),
        title=["联系电话" + PHONE] + [None] * (len(dirty) - 1),
    )
    dirty.loc[3, "text"] = f"市民来电反映:漏水,联系电话{PHONE},希望相关部门尽快处理"
    dirty.loc[4, "created_at"] = PHONE  # a phone number typed into the date column
    res = clean_tickets(dirty, salt="s")
    phone = re.compile(PHONE)
    for name, frame in [("tickets", res.tickets), ("rejected", res.rejected)]:
        for col in frame.columns:
            values = frame[col].astype(str)
            assert not values.str.contains(phone).any(), f"{name}.{col} holds the phone"
    assert res.tickets["caller_id"].nunique() == 1
    assert "[电话]" in res.tickets.set_index("source_row").loc[2, "text_original"]


def test_clean_tickets_without_optional_columns():
    df = pd.DataFrame(
        {"created_at": ["2024-03-05", "2024/3/6", "bad"], "text": ["漏水", "噪音", "x"]}
    )
    res = clean_tickets(df, mask=False)
    assert len(res.tickets) == 2 and len(res.rejected) == 1
    notes = describe_log(res.log, lang="en").set_index("step")["note"]
    assert res.log.set_index("step").loc["map_categories", "note_code"] == "no_column"
    assert notes["map_categories"].startswith("skipped")
    assert notes["add_address_key"].startswith("skipped")
    assert notes["mark_repeat_calls"].startswith("skipped")
    only_text = clean_tickets(pd.DataFrame({"text": ["a", None]}), mask=False)
    assert len(only_text.tickets) == 1 and len(only_text.rejected) == 1


def test_clean_tickets_without_caller_id_with_masking():
    df = pd.DataFrame({"created_at": ["2024-03-05"], "text": [f"电话{PHONE}"]})
    res = clean_tickets(df)
    assert PHONE not in res.tickets.loc[0, "text"]
    assert (
        "no caller_id"
        in describe_log(res.log, lang="en").set_index("step").loc["hash_caller_id", "note"]
    )
    assert "无 来电人标识 列" in res.log.set_index("step").loc["hash_caller_id", "note"]


def test_a_name_found_in_the_message_is_masked_in_its_reply():
    # the message gives the name away (村民X，); the reply names X with no context. A name
    # in one row never spreads to another row. (Real board replies, TipDM 2020.)
    df = pd.DataFrame(
        {
            "created_at": ["2024-03-05", "2024-03-06"],
            "text": ["新胜组村民陈云，要求危房补助。", "路灯坏了很久。"],
            "reply": ["经电话联系陈云所获得的信息，不符合政策。", "陈云同志的意见已转交。"],
        }
    )
    out = clean_tickets(df).tickets
    assert "陈云" not in out.loc[0, "reply"] and "[姓名]" in out.loc[0, "reply"]
    assert out.loc[1, "text"] == "路灯坏了很久。"
    # masking off: nothing is spread either
    assert clean_tickets(df, mask=False).tickets.loc[0, "reply"].count("陈云") == 1


def _nyc() -> pd.DataFrame:
    """Four rows as a US 311 export writes them."""
    return pd.DataFrame(
        {
            "ticket_id": ["59001", "59002", "59003", "59004"],
            "created_at": [
                "01/15/2024 10:23:45 PM",
                "01/16/2024 08:00:00 AM",
                "01/16/2024 09:30:00 AM",
                "2024-01-17T10:00:00.000",
            ],
            "closed_at": ["01/16/2024 01:00:00 AM", None, "", "2024-01-18T10:00:00.000"],
            "category": [
                "Noise - Residential",
                "Noise - Residential",
                "Noise - Residential",
                "Illegal Parking",
            ],
            "text": [
                "Loud Music/Party",
                "Loud  Music/Party",
                "Loud Music/Party",
                "Blocked Hydrant",
            ],
            "address": ["123 Main Street", "123 MAIN ST", "123 Main St.", "5 Park Avenue"],
        }
    )


def test_clean_tickets_on_english_311_frame():
    df = _nyc()
    res = clean_tickets(df, mask=False)
    assert len(res.tickets) == 4 and res.rejected.empty
    t = res.tickets
    assert t["created_at"][0] == pd.Timestamp("2024-01-15 22:23:45")
    assert t["address_key"].tolist()[:3] == ["123 MAIN ST"] * 3
    assert t["repeat_of"].tolist()[:3] == [np.nan, "59001", "59001"][:1] + ["59001", "59001"]
    assert t["text"][1] == "Loud Music/Party"


def test_clean_tickets_empty_frame():
    res = clean_tickets(pd.DataFrame({"created_at": [], "text": []}), mask=False)
    assert res.tickets.empty and res.rejected.empty and res.duplicates.empty


# ------------------------------------------------------------------------ property test

_DATES = st.sampled_from(
    [
        "2024-03-05 14:02",
        "2024/3/5",
        "2024年3月5日14时02分",
        "20240305",
        "45356.58",
        "01/15/2024 10:23:45 PM",
        "2024-13-45",
        "2024-02-30",
        "oops",
        "",
        None,
    ]
)
_TEXTS = st.one_of(
    st.none(),
    st.sampled_from(
        ["", "  ", "市民来电反映:噪音", "漏水_x000D_\n", "１２３&nbsp;", "要求尽快处理"]
    ),
    st.text(alphabet="噪音漏水 \t\u3000&;_x0D", max_size=12),
)
_ROW = st.tuples(
    st.sampled_from(["T1", "T2", "T3"]),
    _DATES,
    _DATES,
    st.sampled_from(["噪音", "噪声扰民", "其他", None]),
    _TEXTS,
    st.sampled_from(["云岭西路123号", "云岭西路一二三号门口", "长寿路5号", None]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_ROW, max_size=25), dup=st.lists(st.integers(0, 24), max_size=8))
def test_clean_tickets_rows_are_accounted_for(rows, dup):
    rows = rows + [rows[i] for i in dup if i < len(rows)]  # random exact duplicates
    df = pd.DataFrame(
        rows, columns=["ticket_id", "created_at", "closed_at", "category", "text", "address"]
    )
    df = df.astype({c: "str" for c in df.columns}) if len(df) else df
    res = clean_tickets(df, mask=False)
    assert len(res.tickets) + len(res.rejected) + len(res.duplicates) == len(df)
    log = res.log
    assert (log["rows_in"] - log["rows_out"]).sum() == len(res.rejected) + len(res.duplicates)
    assert log["rows_out"].iloc[-1] == len(res.tickets)
    # every input row is in exactly one of the three outputs
    seen = sorted(
        [*res.tickets["source_row"], *res.rejected["source_row"], *res.duplicates["source_row"]]
    )
    assert seen == list(range(1, len(df) + 1))
    assert res.rejected["reason"].notna().all()
    assert res.tickets["created_at"].notna().all()


def test_clean_tickets_joblib_workers_give_the_serial_result(dirty):
    # n_jobs=2 forces the joblib (thread) path on a small frame (the automatic switch
    # is at 100,000 rows); every output, and every log figure and note, must be identical.
    big = pd.concat([dirty] * 3, ignore_index=True).assign(caller_id=PHONE)
    big.loc[20, "created_at"] = "2099-01-01"  # a rejection in the second partition
    one = clean_tickets(big, n_jobs=1, salt="s")
    two = clean_tickets(big, n_jobs=2, salt="s")
    pd.testing.assert_frame_equal(one.tickets, two.tickets)
    pd.testing.assert_frame_equal(one.rejected, two.rejected)
    pd.testing.assert_frame_equal(one.duplicates, two.duplicates)
    cols = ["step", "rows_in", "rows_out", "rows_changed", "note", "note_code"]
    pd.testing.assert_frame_equal(one.log[cols], two.log[cols])
    assert one.log["note_params"].tolist() == two.log["note_params"].tolist()
    assert set(two.rejected["reason_code"]) >= {"bad_date", "date_out_of_range"}
    unsalted = clean_tickets(big, n_jobs=2)
    assert unsalted.tickets["caller_id"].nunique() == 1  # one salt across partitions


def test_normalize_community_joins_committee_spellings():
    df = pd.DataFrame(
        {"community": ["锦岚苑居委", "锦岚苑", "桂香小区居委会", "兰亭苑居民区", "居委"]}
    )
    out = normalize_community(df)
    assert out["community"].tolist() == ["锦岚苑", "锦岚苑", "桂香小区", "兰亭苑", "居委"]
    assert df["community"].iloc[0] == "锦岚苑居委"  # input untouched


def test_clean_tickets_counts_compounds_once():
    raw = pd.DataFrame(
        {
            "created_at": ["2024-03-05", "2024-03-06"],
            "text": ["快递丢了", "噪音"],
            "community": ["锦岚苑居委", "锦岚苑"],
        }
    )
    out = clean_tickets(raw, mask=False).tickets
    assert out["community"].nunique() == 1


def test_parse_dates_keeps_wall_time_of_tz_aware_date_objects():
    # An object column of tz-aware Timestamps (and a naive one) must keep the times as
    # written, like "+08:00" strings do: not be shifted to UTC, and no row lost as blank.
    df = pd.DataFrame(
        {
            "created_at": pd.Series(
                [
                    pd.Timestamp("2024-03-05 10:00", tz="Asia/Shanghai"),
                    pd.Timestamp("2024-03-06 10:00"),
                ],
                dtype=object,
            ),
            "text": ["漏水", "噪音"],
        }
    )
    out = parse_dates(df)
    assert out["created_at"].tolist() == [
        pd.Timestamp("2024-03-05 10:00"),
        pd.Timestamp("2024-03-06 10:00"),
    ]
    result = clean_tickets(df, mask=False)
    assert len(result.tickets) == 2 and len(result.rejected) == 0


# ---------------------------------------------------------------- facts, not sentences


def test_rejected_rows_carry_structured_reasons(dirty):
    dirty = dirty.copy()
    dirty.loc[0, "created_at"] = "1999-12-31 23:59"  # outside the default window
    dirty.loc[1, "closed_at"] = "2099-06-01"  # a closed_at outside it rejects the row too
    dirty.loc[4, "closed_at"] = "oops"  # missing created_at and unreadable closed_at
    res = clean_tickets(dirty, mask=False)
    rej = res.rejected
    assert list(rej.columns[:6]) == [
        "source_row",
        "step",
        "reason_code",
        "reason_column",
        "reason_value",
        "reason",
    ]
    facts = {
        r.source_row: (r.step, r.reason_code, r.reason_column, r.reason_value)
        for r in rej.itertuples()
    }
    assert facts[1] == ("parse_dates", "date_out_of_range", "created_at", "1999-12-31 23:59")
    assert facts[2] == ("parse_dates", "date_out_of_range", "closed_at", "2099-06-01")
    assert facts[3] == ("parse_dates", "bad_date", "closed_at", "not a date")
    assert facts[4] == ("parse_dates", "bad_date", "created_at", "2024-13-45")
    assert facts[5][:3] == ("parse_dates", "missing_date; bad_date", "created_at; closed_at")
    assert facts[5][3] == "; oops"
    assert facts[8][:3] == ("reject_empty_text", "empty_text", "text")
    assert pd.isna(facts[8][3])
    reasons = dict(zip(rej["source_row"], rej["reason"], strict=True))
    assert reasons[1] == "受理时间 日期超出合理范围 '1999-12-31 23:59' (行 1)"
    assert reasons[5] == "受理时间 为空 (行 5); 办结时间 无法识别的日期 'oops' (行 5)"
    # the text is the facts rendered: re-rendering gives it back
    assert describe_rejections(rej).tolist() == rej["reason"].tolist()
    with_title = clean_tickets(pd.DataFrame({"text": [None], "title": [None]}), mask=False)
    row = with_title.rejected.iloc[0]
    assert (row["reason_code"], row["reason_column"]) == ("empty_text", "text, title")
    assert row["reason"] == "诉求内容 与 标题 均为空 (行 1)"


def test_reasons_render_in_both_languages(dirty):
    zh = clean_tickets(dirty, mask=False)
    en = clean_tickets(dirty, mask=False, lang="en")
    assert en.rejected["reason"].tolist() == describe_rejections(zh.rejected, lang="en").tolist()
    assert zh.rejected["reason"].tolist() == describe_rejections(en.rejected).tolist()
    assert not any(has_cjk(r) for r in en.rejected["reason"])
    assert en.rejected.set_index("source_row").loc[8, "reason"] == "text is empty (row 8)"
    assert en.summary().startswith("8 rows in")
    pd.testing.assert_frame_equal(
        zh.rejected.drop(columns="reason"), en.rejected.drop(columns="reason")
    )
    with pytest.raises(ValueError, match="lang"):
        clean_tickets(dirty, lang="fr")


def _words_left(note: str, names) -> str:
    """A note with column names taken out: what remains must be words of one language."""
    for name in sorted(names, key=len, reverse=True):
        note = note.replace(name, "")
    return note


def test_log_notes_render_in_both_languages(dirty):
    names = {*dirty.columns, "source_row", "caller_id", "title", "community", "address_key"}
    res = clean_tickets(dirty.assign(caller_id=PHONE), salt="s")
    log = res.log
    assert log["note_code"].notna().all()
    assert all(isinstance(p, dict) for p in log["note_params"])
    assert log.set_index("step").loc["parse_dates", "note_params"]["unreadable"] == {
        "created_at": 1,
        "closed_at": 1,
    }
    for note in log["note"]:
        left = _words_left(note, names)
        assert not re.search("[A-Za-z]", left), f"English word in a Chinese note: {note!r}"
    off = clean_tickets(dirty, mask=False)
    for note in off.log["note"]:
        assert not re.search("[A-Za-z]", _words_left(note, names)), note
    en = describe_log(res.log, lang="en")
    assert list(en.columns[:2]) == ["step", "label"]
    assert en.set_index("step").loc["parse_dates", "label"] == "Date parsing"
    zh = describe_log(res.log)
    assert zh["note"].tolist() == res.log["note"].tolist()
    assert zh["label"].tolist()[:5] == [
        "文本规范化",
        "脱敏",
        "正文中的来电人标识脱敏",
        "其他列脱敏",
        "日期解析",
    ]
    nyc = clean_tickets(_nyc(), mask=False, lang="en")
    assert not any(has_cjk(n) for n in nyc.log["note"]), nyc.log["note"].tolist()
    assert not any(has_cjk(n) for n in describe_log(off.log, lang="en")["label"])


# -------------------------------------------------------------------------- date window


def test_dates_outside_the_window_are_rejected_not_kept():
    df = pd.DataFrame(
        {
            "created_at": ["1900-01-01", "2024-03-05", "2099-12-31", "2000-01-01", "1999-12-31"],
            "text": ["a", "b", "c", "d", "e"],
        }
    )
    res = clean_tickets(df, mask=False)
    assert res.tickets["source_row"].tolist() == [2, 4]
    rej = res.rejected
    assert rej["reason_code"].tolist() == ["date_out_of_range"] * 3
    assert rej["reason_column"].tolist() == ["created_at"] * 3
    assert rej["reason_value"].tolist() == ["1900-01-01", "2099-12-31", "1999-12-31"]
    note = res.log.set_index("step").loc["parse_dates"]
    assert note["note_params"]["out_of_range"] == {"created_at": 3}
    assert note["note_params"]["start"] == "2000-01-01"
    # a wider window keeps them; date_range=None keeps only the 1900-2100 sanity check
    wide = clean_tickets(df, mask=False, date_range=("1900-01-01", "2099-12-31"))
    assert len(wide.tickets) == 5
    assert len(clean_tickets(df, mask=False, date_range=None).tickets) == 5
    # the end date is included whole; the default end is one year after today
    end = clean_tickets(
        df.iloc[[1]].assign(created_at="2024-03-05 23:00"),
        mask=False,
        date_range=(None, "2024-03-05"),
    )
    assert len(end.tickets) == 1
    next_year = (pd.Timestamp.now() + pd.DateOffset(years=1, days=2)).strftime("%Y-%m-%d")
    soon = (pd.Timestamp.now() + pd.DateOffset(months=6)).strftime("%Y-%m-%d")
    late = clean_tickets(
        pd.DataFrame({"created_at": [soon, next_year], "text": ["a", "b"]}), mask=False
    )
    assert late.rejected["reason_value"].tolist() == [next_year]


def test_parse_dates_window_raises_or_coerces():
    df = pd.DataFrame({"created_at": ["1900-01-01", "2024-03-05", "2099-01-01"]})
    with pytest.raises(DateParseError, match="outside 2000-01-01") as info:
        parse_dates(df)
    assert info.value.bad["reason_code"].tolist() == ["date_out_of_range"] * 2
    assert info.value.bad["value"].tolist() == ["1900-01-01", "2099-01-01"]
    out = parse_dates(df, errors="coerce")["created_at"]
    assert out.isna().tolist() == [True, False, True]
    assert parse_dates(df, date_range=None)["created_at"].notna().all()
    with pytest.raises(ValueError, match="date_range"):
        parse_dates(df, date_range=("2024-01-01", "2023-01-01"))
    with pytest.raises(ValueError, match="date_range"):
        parse_dates(df, date_range="2000")


def test_clean_tickets_dayfirst():
    df = pd.DataFrame({"created_at": ["05/03/2024", "25/12/2023"], "text": ["a", "b"]})
    us = clean_tickets(df, mask=False)
    assert us.tickets["created_at"].tolist() == [pd.Timestamp("2024-05-03")]
    assert us.rejected["reason_code"].tolist() == ["bad_date"]  # month 25 does not exist
    eu = clean_tickets(df, mask=False, dayfirst=True)
    assert eu.tickets["created_at"].tolist() == [
        pd.Timestamp("2024-03-05"),
        pd.Timestamp("2023-12-25"),
    ]
    assert eu.rejected.empty


# ------------------------------------------------------------------------ column policy


@pytest.fixture
def personal() -> pd.DataFrame:
    """Personal data in every kind of column: the cases of issue 12, item 3."""
    n = 8
    return pd.DataFrame(
        {
            "ticket_id": [f"T{i}" for i in range(n)],
            "created_at": ["2024-03-05"] * (n - 1) + ["not a date"],
            "category": ["噪音", f"电话{PHONE}", "漏水", "漏水", "噪音", "漏水", "噪音", "漏水"],
            "title": ["噪音", "漏水", "用户U20931提问", "漏水", "噪音", "漏水", "噪音", "漏水"],
            "text": [
                "楼上噪音，联系人王芳",
                "用户U20931反映漏水",
                "已处理",
                "邮箱 zhang.san@163.com",
                "噪音",
                "漏水",
                "噪音",
                f"漏水 {PHONE}",
            ],
            "reply": ["已回复用户U20931", None, "ok", None, None, None, None, "回复U77777"],
            "address": [
                "青枫路350弄2号 张先生13912345678",
                "兰亭苑3号楼",
                "桂香小区",
                "a",
                "b",
                "c",
                "d",
                "e",
            ],
            "community": ["锦岚苑", "锦岚苑 联系电话021-62345678", "x", "y", "z", "w", "v", "u"],
            "caller_id": ["U20931", "U20931", "U20931", "U1", "U2", "U3", "U4", "U77777"],
            "联系电话": [PHONE, "13912345678", None, "13712345678"] * 2,
            "来电人姓名": ["张伟", "李娜", "王芳", "赵四"] * 2,
            "身份证号": ["310101199003071234"] * n,
            "contact_email": ["a@b.com"] * n,
            "备用": [f"1380000000{i}" for i in range(n - 1)] + ["无"],
            "phone2": np.arange(13800000000, 13800000000 + n, dtype=np.int64),
            "备注": ["无", "急", "无", "无", "无", "无", "无", "无"],
        }
    )


IDENTITY = ["联系电话", "来电人姓名", "身份证号", "contact_email", "备用", "phone2"]


def _all_cells_clean(frame: pd.DataFrame) -> None:
    from commlib.privacy import find_pii

    for col in frame.columns:
        cells = frame[col].dropna().astype("str")
        found = find_pii(cells.reset_index(drop=True))
        assert not found.to_numpy().any(), (col, cells[found.any(axis=1).to_numpy()].tolist())


def test_column_policy_hash_writes_no_personal_data(personal, tmp_path):
    from commlib.report import scan_outputs

    res = clean_tickets(personal, salt="s")
    assert len(res.tickets) + len(res.rejected) + len(res.duplicates) == len(personal)
    for frame, name in ((res.tickets, "tickets.csv"), (res.rejected, "rejected.csv")):
        path = tmp_path / name
        frame.to_csv(path, index=False)
        scanned = scan_outputs(path)
        assert scanned["ok"].all(), scanned["kinds"].tolist()
        _all_cells_clean(frame)
    t = res.tickets.set_index("source_row")
    # identity columns hashed with the caller salt: same value, same hash
    assert t.loc[1, "联系电话"] == t.loc[5, "联系电话"] != PHONE
    assert t.loc[1, "身份证号"] == t.loc[2, "身份证号"]
    assert t["phone2"].str.fullmatch("[a-p]{16}").all()
    # the row's own caller id is masked in the text, another's is not
    assert t.loc[2, "text"] == "用户[用户编号]反映漏水"
    assert t.loc[1, "reply"] == "已回复用户[用户编号]"
    assert t.loc[3, "title"] == "用户[用户编号]提问"
    assert t.loc[2, "category"] == "电话[电话]"
    assert "[电话]" in t.loc[1, "address"] and "[电话]" in t.loc[2, "community"]
    assert t.loc[1, "备注"] == "无"
    r = res.rejected.iloc[0]
    assert r["联系电话"] != "13712345678" and r["reason_code"] == "bad_date"


def test_column_policy_log_and_drop(personal):
    res = clean_tickets(personal, salt="s", pii_columns="drop", lang="en")
    assert not set(IDENTITY) & set(res.tickets.columns)
    assert not set(IDENTITY) & set(res.rejected.columns)
    log = res.log.set_index("step")
    ident = log.loc["identity_columns"]
    assert ident["note_code"] == "identity_drop"
    assert ident["note_params"]["columns"] == IDENTITY
    assert ident["note_params"]["found"]["联系电话"] == {"by": "header"}
    assert ident["note_params"]["found"]["备用"]["by"] == "content"
    assert 'dropped (pii_columns="drop")' in ident["note"]
    assert "备用 (by content: 88% of cells" in ident["note"]
    assert log.loc["mask_caller_id", "note_params"]["rows"] == 4  # row 8 is rejected
    assert log.loc["mask_cells", "note_params"]["by_column"]["category"] == 1
    assert log.loc["mask_cells", "rows_changed"] == 2
    zh = describe_log(res.log).set_index("step")
    assert zh.loc["identity_columns", "note"].startswith('身份信息列已删除（pii_columns="drop"）')
    assert "联系电话（按表头）" in zh.loc["identity_columns", "note"]
    assert (
        "4 行的 标题、诉求内容、答复意见 中出现本行来电人标识" in zh.loc["mask_caller_id", "note"]
    )
    hashed = clean_tickets(personal, salt="s").log.set_index("step")
    assert hashed.loc["identity_columns", "note_code"] == "identity_hash"
    with pytest.raises(ValueError, match="pii_columns"):
        clean_tickets(personal, pii_columns="keep")


def test_column_policy_off_and_parallel(personal):
    off = clean_tickets(personal, mask=False)
    assert off.tickets["联系电话"].iloc[0] == PHONE
    assert off.log.set_index("step").loc["identity_columns", "note_code"] == "hash_off"
    big = pd.concat([personal] * 3, ignore_index=True)
    one = clean_tickets(big, salt="s", n_jobs=1)
    two = clean_tickets(big, salt="s", n_jobs=2)
    pd.testing.assert_frame_equal(one.tickets, two.tickets)
    pd.testing.assert_frame_equal(one.rejected, two.rejected)
    cols = ["step", "rows_in", "rows_out", "rows_changed", "note"]
    pd.testing.assert_frame_equal(one.log[cols], two.log[cols])


def test_identity_columns_by_header():
    from commlib.clean._columns import identity_by_header

    yes = ["联系电话", "手机号", "来电人姓名", "身份证号", "证件号码", "联系人", "邮箱"]
    yes += ["name", "Caller Name", "contact_phone", "mobileNo", "e-mail", "id_number", "WeChat"]
    yes += ["user_name", "Telephone", "联系方式", "投诉人", "QQ号"]
    no = ["小区名称", "单位名称", "street_name", "department", "ticket_id", "caller_id"]
    no += ["category", "备注", "工单编号", "dept_name", "Complaint Type", "Bridge Highway Name"]
    no += ["Park Facility Name", "School Name", "Agency Name", "Street Name"]
    assert all(identity_by_header(h) for h in yes), [h for h in yes if not identity_by_header(h)]
    assert not any(identity_by_header(h) for h in no), [h for h in no if identity_by_header(h)]


def test_identity_columns_by_content_and_numeric():
    from commlib.clean import find_identity_columns

    n = 40
    df = pd.DataFrame(
        {
            "text": ["漏水"] * n,
            "备用号": [f"1391234{i:04d}" for i in range(n)],  # header says nothing
            "证据": [f"邮箱a{i}@b.com" if i % 4 else "无" for i in range(n)],  # 75 %
            "备注": [f"电话1381234{i:04d}" if i % 4 == 0 else "无" for i in range(n)],  # 25 %
            "数量": np.arange(n),
        }
    )
    found = find_identity_columns(df)
    assert found == {
        "备用号": {"by": "content", "share": 1.0},
        "证据": {"by": "content", "share": 0.75},
    }
    res = clean_tickets(df.assign(created_at="2024-03-05"), salt="s")
    assert res.tickets["备注"].str.contains("[电话]", regex=False).sum() == 10
    assert res.tickets["备用号"].str.fullmatch("[a-p]{16}").all()
    assert not res.tickets["备用号"].isin(df["备用号"]).any()


def test_caller_id_masking_per_row():
    from commlib.clean._columns import mask_caller_ids

    texts = pd.Series(["用户A20931说", "用户A20931说", "ABC说", None, "编号123456"], dtype="str")
    ids = pd.Series(["A20931", "B77777", "ABC", "A20931", 123456])
    out, changed = mask_caller_ids(texts, ids)
    # only a row's own id, only ids of five characters or more; numbers as text
    assert out.tolist()[:3] == ["用户[用户编号]说", "用户A20931说", "ABC说"]
    assert pd.isna(out[3]) and out[4] == "编号[用户编号]"
    assert changed.tolist() == [True, False, False, False, True]


_CELLS = st.sampled_from(
    [
        "噪音扰民",
        "青枫路350弄2号",
        f"联系电话{PHONE}",
        "138-1234-5678",
        "王女士",
        "邮箱 zhang.san@163.com",
        "310101199003071234",
        "车牌沪A12345",
        "021-62345678",
        "",
        None,
    ]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_CELLS, _CELLS, _CELLS, _CELLS, _CELLS), min_size=1, max_size=12))
def test_no_personal_data_survives_in_any_column(rows):
    from commlib.privacy import find_pii

    df = pd.DataFrame(rows, columns=["category", "address", "community", "备注", "text"])
    df.insert(0, "created_at", "2024-03-05")
    res = clean_tickets(df, salt="s")
    assert len(res.tickets) + len(res.rejected) + len(res.duplicates) == len(df)
    for frame in (res.tickets, res.rejected):
        cells = pd.Series(frame.astype("str").to_numpy().ravel(), dtype="str").dropna()
        assert not find_pii(cells).to_numpy().any()


def test_hashed_ids_never_read_as_phone_numbers():
    # about 1 in 800 hex digests holds a run a detector reads as a phone or card number
    from commlib.privacy import find_pii

    n = 5_000
    df = pd.DataFrame(
        {
            "created_at": "2024-03-05",
            "text": [f"漏水{i}" for i in range(n)],
            "caller_id": [str(13800000000 + i) for i in range(n)],
            "联系电话": [str(13900000000 + i) for i in range(n)],
        }
    )
    res = clean_tickets(df, salt="s")
    for col in ("caller_id", "联系电话"):
        assert res.tickets[col].nunique() == n
        assert res.tickets[col].str.fullmatch("[a-p]{16}").all()
        assert not find_pii(res.tickets[col]).to_numpy().any()


def test_keep_rows_equals_a_boolean_filter():
    from commlib.clean._pipeline import _keep_rows

    d = pd.DataFrame(
        {"a": pd.Series(["x", None, "z", "w"], dtype="str"), "b": [1, 2, 3, 4]},
        index=[10, 11, 12, 13],
    )
    d.attrs["first_data_row"] = 2
    keep = np.array([True, False, True, True])
    want = d.loc[keep]
    got = _keep_rows(d.copy(), keep)
    pd.testing.assert_frame_equal(got, want)
    assert got.attrs == {"first_data_row": 2}
    same = d.copy()
    assert _keep_rows(same, np.ones(4, bool)) is same


def test_clean_tickets_duplicates_same_in_partitions(monkeypatch):
    # the duplicate filter (column by column) gives the same result with workers or without
    from commlib.clean import _pipeline
    from commlib.datasets import make_tickets

    raw = make_tickets(3000, random_state=4)
    raw = pd.concat([raw, raw.iloc[::50]], ignore_index=True)
    one = clean_tickets(raw, n_jobs=1, salt="s")
    monkeypatch.setattr(_pipeline, "_PARTITION_ROWS", 700)
    two = clean_tickets(raw, n_jobs=2, salt="s")
    assert len(one.duplicates) >= 60
    pd.testing.assert_frame_equal(one.tickets, two.tickets)
    pd.testing.assert_frame_equal(one.rejected, two.rejected)
    pd.testing.assert_frame_equal(one.duplicates, two.duplicates)
