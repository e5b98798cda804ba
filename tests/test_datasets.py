"""Tests for commlib.datasets: determinism, the bundled files, planted stories, dirt."""

from __future__ import annotations

import logging
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from commlib.datasets import (
    _sample,
    load_sample,
    make_events,
    make_tickets,
    write_sample,
)
from commlib.datasets._service import (
    COPY_PASTE_COUNTS,
    COPY_PASTE_REPLIES,
    HOT_EVENTS,
    SERVICE_COLUMNS,
)
from commlib.errors import CommlibError
from commlib.schema import CANONICAL_COLUMNS


def _canonical_categories() -> set[str]:
    path = resources.files("commlib").joinpath("resources", "category_synonyms.csv")
    with path.open("rb") as fh:
        return set(pd.read_csv(fh)["category"])


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    """The bundled sample as generated (canonical headers), with a few helper columns."""
    df = make_tickets(
        _sample.SAMPLE_N, random_state=_sample.SAMPLE_SEED, start=_sample.SAMPLE_START, months=18
    )
    # the ticket number carries the date even where created_at is unusable
    day = pd.to_datetime(df["ticket_id"].str.slice(2, 10), format="%Y%m%d")
    return df.assign(
        day=day,
        month=day.dt.to_period("M"),
        comm=df["community"].str.replace("居委", "").str.strip(),
        cat=df["category"].str.strip(),
    )


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    ev = make_events()
    return ev.set_index("event_id")


def _event_day(events: pd.DataFrame, story: str, event_type: str) -> pd.Timestamp:
    row = events[(events["story"] == story) & (events["event_type"] == event_type)].iloc[0]
    return pd.Timestamp(row["date"])


# ------------------------------------------------------------------------ basic shape
def test_columns_and_headers():
    df = make_tickets(300, random_state=5)
    assert list(df.columns) == [*CANONICAL_COLUMNS, "transfer_path", *SERVICE_COLUMNS]
    assert len(df) == 300
    assert all(str(t) == "str" for t in df.dtypes)
    zh = make_tickets(300, random_state=5, headers="12345")
    assert list(zh.columns) == [
        "工单编号",
        "受理时间",
        "办结时间",
        "来源渠道",
        "诉求分类",
        "二级分类",
        "标题",
        "诉求内容",
        "事发地址",
        "所属小区",
        "承办部门",
        "办理状态",
        "满意度",
        "来电号码",
        "流转部门",
        "答复意见",
        "答复时间",
        "办结时限",
        "点赞数",
        "反对数",
    ]
    assert (zh.to_numpy() == df.to_numpy()).all()


@pytest.mark.parametrize("n", [0, 1, 7, 999, 1000, 2500])
def test_exact_row_count(n):
    assert len(make_tickets(n, random_state=2)) == n


def test_bad_arguments():
    with pytest.raises(ValueError, match="headers"):
        make_tickets(10, headers="311")
    with pytest.raises(ValueError, match="months"):
        make_tickets(10, months=0)


# ---------------------------------------------------------------------- determinism
def test_same_seed_same_frame_other_seed_other_frame():
    a = make_tickets(3000, random_state=11)
    b = make_tickets(3000, random_state=11)
    c = make_tickets(3000, random_state=12)
    pd.testing.assert_frame_equal(a, b)
    assert not a["text"].equals(c["text"])
    assert (a["ticket_id"] != c["ticket_id"]).mean() > 0.9


@pytest.fixture(scope="module")
def regenerated() -> pd.DataFrame:
    return _sample._sample_tickets()


@pytest.mark.parametrize(
    "name",
    [
        "tickets",
        "tickets_gb18030",
        "events",
        pytest.param("tickets_xlsx", marks=pytest.mark.slow),
    ],
)
def test_bundled_files_match_regeneration(name, regenerated):
    """The committed files are exactly what the generator writes for the fixed seed."""
    path = _sample.sample_dir() / _sample.SAMPLE_FILES[name]
    assert path.is_file(), f"{path} missing: run `python -m commlib.datasets data/sample`"
    assert path.read_bytes() == _sample._file_bytes(name, regenerated)


def test_bundled_csv_is_utf8_bom_with_chinese_headers():
    raw = (_sample.sample_dir() / "tickets.csv").read_bytes()
    assert raw.startswith("\ufeff工单编号,受理时间".encode())
    assert b"\r\n" not in raw.split(b"\n", 1)[0] + b"\n"  # line ends are \n
    sub = (_sample.sample_dir() / "tickets_gb18030.csv").read_bytes()
    assert sub.decode("gb18030").startswith("工单编号")
    with pytest.raises(UnicodeDecodeError):
        sub.decode("utf-8")


@pytest.mark.slow
def test_write_sample(tmp_path):
    written = write_sample(tmp_path / "out")
    names = [p.name for p in written]
    assert names[:4] == ["tickets.csv", "tickets_gb18030.csv", "tickets.xlsx", "events.csv"]
    # every registered sample table is written, and every file in data/sample is one of them
    assert sorted(names) == sorted(_sample.SAMPLE_FILES.values())
    bundled = {p.name for p in _sample.sample_dir().iterdir() if p.suffix in (".csv", ".xlsx")}
    assert bundled <= set(names)
    assert written[0].read_bytes() == (_sample.sample_dir() / "tickets.csv").read_bytes()


# ---------------------------------------------------------------------- load_sample
def test_load_sample_unknown_name_lists_valid_names():
    with pytest.raises(CommlibError, match="tickets_gb18030.*tickets_xlsx.*events"):
        load_sample("ticket")


def test_load_sample_events():
    ev = load_sample("events")
    assert pd.api.types.is_datetime64_any_dtype(ev["date"])
    assert set(ev["story"]) == {"parcels", "cafe_street", "noodle_stall", "near_miss"}


def test_load_sample_tickets_canonical_columns():
    df = load_sample("tickets")
    assert len(df) == _sample.SAMPLE_N + sum(len(ev["texts"]) for ev in HOT_EVENTS)
    assert {"ticket_id", "created_at", "text", "transfer_path"} <= set(df.columns)


def test_load_sample_xlsx_keeps_export_markup():
    df = load_sample("tickets_xlsx")
    assert len(df) == _sample.SUBSET_N
    text = df["text"].fillna("")
    assert text.str.contains("_x000D_", regex=False).sum() >= 50
    assert text.str.contains("\n\t\t", regex=False).sum() >= 20


def test_load_sample_regenerates_when_file_missing(tmp_path, caplog):
    with caplog.at_level(logging.INFO, logger="commlib.datasets._sample"):
        df = load_sample("tickets_gb18030", directory=tmp_path)
    assert "regenerating" in caplog.text
    assert df.shape == (_sample.SUBSET_N, 20)


# ------------------------------------------------------------------------- stories
def test_parcel_share_rises_then_falls_in_story_compound(sample, events):
    opened = _event_day(events, "parcels", "intervention")
    parcel = sample["cat"].isin(["快递物流", "快递问题", "快递丢失", "快递堆放"])
    share = sample.assign(p=parcel).groupby(["comm", "month"])["p"].mean().unstack(0)
    before = share.loc[pd.Period(opened, "M") - 3 : pd.Period(opened, "M") - 1]
    after = share.loc[pd.Period(opened, "M") + 1 : pd.Period(opened, "M") + 3]
    assert before["锦岚苑"].mean() > 0.18
    assert after["锦岚苑"].mean() < 0.05
    # the rise is gradual: the first quarter is far below the last quarter before opening
    assert share["锦岚苑"].iloc[:3].mean() < 0.5 * before["锦岚苑"].mean()
    for other in ["桂香小区", "兰亭苑", "枫林新村"]:
        assert before[other].mean() < 0.08
    texts = sample.loc[parcel & (sample["comm"] == "锦岚苑"), "text"]
    assert texts.str.contains("大门口").sum() > 50


def test_cafe_street_complaints_fall_after_boardwalk(sample, events):
    opened = _event_day(events, "cafe_street", "intervention")
    on_street = sample["address"].str.contains("桐荫路", regex=False)
    cats = ["占道经营", "外摆位", "出店经营", "店外摆摊", "交通安全", "人车混行", "行人安全"]
    hits = sample[on_street & sample["cat"].isin(cats)]
    # same season a year apart: the quarter after opening vs the same quarter before
    after = hits["day"].between(opened, opened + pd.Timedelta(days=90)).sum()
    year_before = (
        hits["day"].between(opened - pd.Timedelta(days=365), opened - pd.Timedelta(days=275)).sum()
    )
    assert after < 0.4 * year_before
    weekend = hits["day"].dt.day_of_week >= 5
    assert weekend.mean() > 0.4  # weekends are 2/7 of days
    assert hits["text"].str.contains("外摆|人车混行|人行道|差点被车撞").mean() > 0.7


def test_noodle_stall_tickets_span_categories_and_spellings(sample):
    stall = sample[sample["address"].str.contains("云岭西路(?:123|一二三|１２３)号")]
    assert len(stall) >= 6
    assert stall["day"].max() - stall["day"].min() <= pd.Timedelta(days=14)
    assert stall["cat"].nunique() >= 4
    assert stall["department"].str.strip().nunique() >= 3
    assert stall["address"].nunique() >= 3
    assert stall["text"].str.contains("面").all()


def test_near_misses_rise_before_fire_in_story_building(sample, events):
    fire = pd.Timestamp(events.loc[events["address"] == "青枫路350弄7号", "date"].iloc[0])
    near = sample["subcategory"].isin(["飞线充电", "楼道堆物", "电线老化", "电瓶车进楼道"])
    b7 = sample["address"].str.contains(
        "(?:350弄\\s*(?:7|七|７)\\s*(?:号|栋|幢))|枫林新村(?:7|七)号"
    )
    window = sample["day"].between(fire - pd.Timedelta(days=70), fire - pd.Timedelta(days=1))
    earlier = sample["day"] < fire - pd.Timedelta(days=70)
    in_window = (near & b7 & window).sum()
    weeks_earlier = (fire - pd.Timedelta(days=70) - sample["day"].min()).days / 7
    per_week_earlier = (near & b7 & earlier).sum() / weeks_earlier
    assert in_window >= 10
    assert in_window / 10 > 5 * per_week_earlier  # weekly rate at least 5x the earlier one
    # elsewhere near misses stay at a low background rate
    other = near & ~b7 & window
    per_building = other.sum() / sample.loc[other, "address"].nunique()
    assert in_window > 4 * per_building
    serious = sample["text"].str.contains("起火|火灾") & sample["text"].str.contains("受伤")
    places = sample.loc[serious, "address"].str.extract(r"(\d+)弄")[0].dropna().unique()
    assert {"350", "66"} <= set(places)  # the fire, and a serious event with no precursors


def test_events_consistent_with_other_spans():
    ev = make_events(start="2023-01-01", months=12)
    dates = pd.to_datetime(ev["date"])
    assert dates.min() >= pd.Timestamp("2023-01-01")
    assert dates.max() < pd.Timestamp("2024-01-01")
    assert ev["event_id"].is_unique


def test_no_stories_means_no_noodle_stall():
    df = make_tickets(5000, random_state=0, stories=False)
    assert not df["address"].str.contains("云岭西路(?:123|一二三|１２３)号").any()


# ---------------------------------------------------------------------------- dirt
def test_dirt_is_present(sample):
    created = sample["created_at"]
    formats = {
        "dash": r"^\d{4}-\d\d-\d\d \d\d:\d\d$",
        "slash": r"^\d{4}/\d{1,2}/\d{1,2} \d\d:\d\d$",
        "slash_date": r"^\d{4}/\d{1,2}/\d{1,2}$",
        "chinese": r"^\d{4}年\d{1,2}月\d{1,2}日\d\d时\d\d分$",
        "iso": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$",
    }
    for name, pattern in formats.items():
        assert created.str.match(pattern).sum() > 100, name
    assert created.isin(["2024-13-45", "#VALUE!", "未知", ""]).sum() > 10
    text = sample["text"]
    assert text.str.contains("[０-９]").sum() > 200
    assert sample["address"].str.contains("[０-９]").sum() > 200
    assert text.str.contains("_x000D_", regex=False).sum() > 100
    assert text.str.contains("&nbsp;|&amp;").sum() > 20
    assert (text != text.str.strip()).sum() > 300
    assert (text == "").sum() > 50
    assert sample.drop(columns=["day", "month", "comm", "cat"]).duplicated().sum() > 100
    canonical = _canonical_categories()
    assert 0.05 < (~sample["cat"].isin(canonical)).mean() < 0.12


def test_personal_data_in_text(sample):
    text = sample["text"]
    patterns = {
        "mobile": r"1[3-9]\d{9}",
        "mobile_dashed": r"1[3-9]\d-\d{4}-\d{4}",
        "mobile_spaced": r"1[3-9]\d \d{4} \d{4}",
        "mobile_+86": r"\+86 ?1[3-9]\d{9}",
        "landline": r"021-\d{8}|\(021\)\d{8}|\b\d{4}-\d{4}\b",
        "id_card": r"\d{17}[\dX]",
        "id_card_x": r"\d{17}X",
        "plate": r"沪[A-Z]\d{5}",
        "plate_new_energy": r"沪[A-Z]·[DF]\d{5}",
        "name": r"来电人[\u4e00-\u9fff](?:先生|女士|阿姨|老师)|联系人：[\u4e00-\u9fff]{2,3}",
    }
    for name, pattern in patterns.items():
        assert text.str.contains(pattern).sum() >= 5, name
    any_pii = text.str.contains("|".join(patterns.values()))
    assert 0.10 < any_pii.mean() < 0.22


def test_id_card_numbers_have_valid_check_characters(sample):
    ids = sample["text"].str.extract(r"身份证号([0-9]{17}[0-9X])")[0].dropna()
    assert len(ids) > 20
    weights = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
    for value in ids:
        digits = np.array([int(c) for c in value[:17]])
        assert "10X98765432"[int(digits @ weights) % 11] == value[17]


def _near_repeats(df: pd.DataFrame) -> int:
    """Tickets with the same place (roughly normalised) and subcategory 0-3 days after another."""
    place = (
        df["address"]
        .str.normalize("NFKC")
        .str.replace(r"\s+|上海市|号楼|栋|幢|号|附近|门口|底商|外|旁|商铺", "", regex=True)
    )
    cat = df["subcategory"]
    day = pd.to_datetime(df["ticket_id"].str.slice(2, 10), format="%Y%m%d")
    d = pd.DataFrame({"place": place, "cat": cat, "day": day, "id": df["ticket_id"]})
    d = d.drop_duplicates("id").sort_values(["place", "cat", "day"])
    gap = d.groupby(["place", "cat"])["day"].diff().dt.days
    return int((gap <= 3).sum())


def test_repeat_calls_share_place_and_category():
    dirty = make_tickets(10_000, random_state=9, stories=False)
    clean = make_tickets(10_000, random_state=9, stories=False, dirty=False)
    # ~5% of dirty rows are repeat calls (some hidden by spelling); the clean table has
    # none, only chance coincidences
    assert _near_repeats(dirty) > 2 * _near_repeats(clean)


def test_transfer_paths_and_departments(sample):
    bounced = sample["transfer_path"] != ""
    assert 0.07 < bounced.mean() < 0.13
    hops = sample.loc[bounced, "transfer_path"].str.split("|")
    assert (hops.str.len() == 2).sum() > 50
    final = sample.loc[bounced, "department"].str.strip()
    assert not any(f in h for f, h in zip(final, hops, strict=True))


def test_clean_mode_has_one_date_format_and_canonical_values():
    df = make_tickets(3000, random_state=4, dirty=False)
    assert df["created_at"].str.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d$").all()
    canonical = _canonical_categories()
    assert df["category"].isin(canonical).all()
    assert not df.duplicated().any()
    assert not df["text"].str.contains("1[3-9]\\d{9}|_x000D_").any()


def test_seed_is_a_deprecated_alias_of_random_state():
    new = make_tickets(60, random_state=3, stories=False)
    with pytest.warns(FutureWarning, match="random_state"):
        old = make_tickets(60, seed=3, stories=False)
    pd.testing.assert_frame_equal(old, new)


def test_load_sample_docstring_lists_every_sample():
    from commlib.datasets import SAMPLE_NAMES, load_sample

    assert len(SAMPLE_NAMES) == 13
    for name in SAMPLE_NAMES:
        assert f"``{name}``" in load_sample.__doc__, name


# ------------------------------------------------------------------ service columns
def test_service_columns_leave_the_ticket_columns_as_they_were():
    """The service columns come from their own stream: the first 15 columns are unchanged.

    The reference values are the first row of ``make_tickets(50, random_state=7)`` as it
    was before the service columns existed.
    """
    df = make_tickets(3000, random_state=7)
    with_events = make_tickets(3000, random_state=7, hot_events=True)
    base = [*CANONICAL_COLUMNS, "transfer_path"]
    pd.testing.assert_frame_equal(with_events.iloc[:3000][base], df[base])
    pd.testing.assert_frame_equal(with_events.iloc[:3000], df)
    assert len(with_events) == 3000 + sum(len(ev["texts"]) for ev in HOT_EVENTS)


def test_bundled_ticket_columns_are_the_fifteen_original_ones_first(regenerated):
    assert list(regenerated.columns[-5:]) == [
        "答复意见",
        "答复时间",
        "办结时限",
        "点赞数",
        "反对数",
    ]
    assert (_sample.sample_dir() / "tickets.csv").stat().st_size < 2 * 6_713_035


def test_due_dates_follow_the_category_rule_in_working_days(sample):
    from commlib.service import working_days

    created = pd.to_datetime(sample["created_at"], format="%Y-%m-%d %H:%M", errors="coerce")
    due = pd.to_datetime(sample["due_at"], format="%Y-%m-%d %H:%M")
    ok = created.notna()
    # counted from a working day (a weekend ticket's clock starts on Monday)
    ok &= working_days(created.dt.normalize(), created.dt.normalize() + pd.Timedelta(days=1)) == 1
    days = working_days(created[ok].dt.normalize(), due[ok].dt.normalize())
    rule = sample.loc[ok, "cat"].map({"噪音扰民": 3, "消防安全": 1, "物业服务": 5})
    checked = rule.notna().to_numpy()
    assert checked.sum() > 1000
    assert (days[checked] == rule.to_numpy()[checked]).all()
    assert (due[ok] > created[ok]).all()


def test_replies_answer_closed_tickets_and_carry_their_time(sample):
    closed = sample["status"] == "已办结"
    assert (sample.loc[closed, "reply"] != "").all()
    assert (sample.loc[~closed, "reply"] == "").all()
    assert (sample.loc[closed, "reply_at"] != "").all()
    # replies name the place and problem of their own ticket
    named = [a.strip() in r for a, r in zip(sample["address"], sample["reply"], strict=True)]
    assert np.mean(np.array(named)[closed.to_numpy()]) > 0.5
    online = sample["channel"].isin(["12345网站", "随申办", "微信公众号"])
    assert (sample.loc[~online, "likes"] == "").all()
    assert pd.to_numeric(sample.loc[online, "likes"]).mean() < 0.5


def test_copy_paste_replies_are_planted_under_unrelated_tickets(sample):
    for text, k in zip(COPY_PASTE_REPLIES, COPY_PASTE_COUNTS, strict=True):
        under = sample[sample["reply"] == text].drop_duplicates("ticket_id")  # exact duplicates
        assert len(under) == k
        assert under["subcategory"].nunique() >= k // 2


def test_planted_hot_events_come_last_in_the_bundled_sample(regenerated):
    n = sum(len(ev["texts"]) for ev in HOT_EVENTS)
    tail = regenerated.tail(n)
    big = HOT_EVENTS[0]
    water = tail[tail["诉求内容"].isin(big["texts"])]
    assert len(water) == 15 and water["诉求内容"].nunique() == 15
    assert water["事发地址"].nunique() == 1 and water["来电号码"].nunique() == 15
    assert pd.to_numeric(water["点赞数"]).sum() > 2000
    assert water["受理时间"].max() < "2025-07-01"
