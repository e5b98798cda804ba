"""Tests of commlib.service: service levels by hand, the working-day calendar, repeat callers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from commlib.errors import MissingColumnsError
from commlib.service import (
    CN_HOLIDAYS,
    repeat_callers,
    service_levels,
    service_levels_chart,
    working_days,
)


@pytest.fixture
def tickets() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ticket_id": list("abcdefg"),
            "category": ["噪音", "噪音", "噪音", "垃圾", "垃圾", None, "垃圾"],
            "created_at": pd.to_datetime(
                [
                    "2024-03-01",
                    "2024-03-02",
                    "2024-03-05",
                    "2024-03-01",
                    "2024-03-03",
                    "2024-03-04",
                    "2024-03-08",
                ]
            ),
            "closed_at": pd.to_datetime(
                ["2024-03-02", "2024-03-06", None, "2024-03-11", None, "2024-03-05", "2024-03-09"]
            ),
            "due_at": pd.to_datetime(
                [
                    "2024-03-03",
                    "2024-03-04",
                    "2024-03-20",
                    "2024-03-10",
                    "2024-03-06",
                    None,
                    "2024-03-15",
                ]
            ),
            "satisfaction": ["满意", "不满意", None, "基本满意", None, "满意", "不满意"],
        }
    )


def test_service_levels_equal_hand_computation(tickets):
    out = service_levels(tickets, as_of="2024-03-12").set_index("category")
    # by hand: 噪音 closes in 1 and 4 days; 垃圾 in 10 and 1 days
    assert out.loc["噪音", "median_days_to_close"] == 2.5
    assert out.loc["垃圾", "median_days_to_close"] == 5.5
    assert out.loc["噪音", "p90_days_to_close"] == pytest.approx(1 + 0.9 * 3)
    # on time, 噪音: a on time, b late, c open and not yet due (undecided) -> 1/2
    assert out.loc["噪音", "on_time_share"] == 0.5 and out.loc["噪音", "on_time_n"] == 2
    # 垃圾: d late (11 > 10), e open past due -> late, g on time -> 1/3
    assert out.loc["垃圾", "on_time_share"] == pytest.approx(1 / 3)
    assert out.loc["垃圾", ["tickets", "closed", "open"]].tolist() == [3, 2, 1]
    # e: open since 3 March, 9 days at 12 March
    assert out.loc["垃圾", "open_median_age_days"] == 9.0
    assert out.loc["噪音", "satisfied_share"] == 0.5 and out.loc["垃圾", "satisfied_share"] == 0.5
    assert out.loc["(缺失)", "tickets"] == 1  # the missing group is kept and labelled
    assert out["tickets"].sum() == len(tickets)
    assert out.attrs["deadline"] == "due"


def test_missing_group_label_follows_lang(tickets):
    assert "(missing)" in service_levels(tickets, lang="en")["category"].tolist()


def test_deadline_rule_uses_working_days(tickets):
    # 噪音: a Fri->Sat 1 working day... 0 (Sat not counted: [Fri, Sat) = 1) ; rule of 1 day
    out = service_levels(
        tickets, deadline_days={"噪音": 1, "垃圾": 5}, as_of="2024-03-12"
    ).set_index("category")
    wd = working_days(tickets["created_at"], tickets["closed_at"])
    # by hand: a 1 <= 1 on time; b (Sat->Wed) 2 > 1 late; c open, 5 working days by 12 Mar > 1 late
    assert wd[:2].tolist() == [1.0, 2.0]
    assert out.loc["噪音", "on_time_share"] == pytest.approx(1 / 3)
    # 垃圾: d Fri->Mon+1wk = 6 > 5 late; e open, Sun 3 -> Tue 12 = 7 > 5 late; g Fri->Sat 1 on time
    assert out.loc["垃圾", "on_time_share"] == pytest.approx(1 / 3)
    assert out.attrs["deadline"] == "rule"


def test_working_days_chinese_calendar():
    # Spring Festival 2024: 10-17 Feb off, Sun 4 Feb and Sun 18 Feb worked
    assert working_days(["2024-02-09"], ["2024-02-19"]).tolist() == [2.0]  # Fri 9, Sun 18
    assert working_days(["2024-02-09"], ["2024-02-19"], holidays=None).tolist() == [6.0]
    assert working_days(["2024-02-04"], ["2024-02-05"]).tolist() == [1.0]  # make-up Sunday
    # numpy agrees where there are no make-up days
    assert working_days(["2023-03-01"], ["2023-06-30"], holidays=None)[0] == np.busday_count(
        "2023-03-01", "2023-06-30"
    )
    out = working_days(pd.Series(["2024-01-01", None]), pd.Series(["2024-01-10", "2024-01-10"]))
    assert out[0] == 6.0 and np.isnan(out[1])
    assert working_days(["2024-05-10"], ["2024-05-06"])[0] < 0


def test_holiday_table_is_well_formed():
    for year, days in CN_HOLIDAYS.items():
        off = pd.to_datetime([f"{year}-{d}" for d in days["off"]])
        work = pd.to_datetime([f"{year}-{d}" for d in days["work"]])
        assert (off.day_of_week < 5).all(), year  # days off listed are weekdays
        assert (work.day_of_week >= 5).all(), year  # make-up days are weekend days
        assert not set(off) & set(work)


def test_population_gives_rates(tickets):
    out = service_levels(tickets, population={"噪音": 30_000, "垃圾": 10_000}).set_index("category")
    assert out.loc["噪音", "per_10k"] == pytest.approx(1.0)
    assert out.loc["垃圾", "per_10k"] == pytest.approx(3.0)


def test_input_not_mutated_and_errors(tickets):
    before = tickets.copy()
    service_levels(tickets)
    pd.testing.assert_frame_equal(tickets, before)
    with pytest.raises(MissingColumnsError, match="closed_at"):
        service_levels(tickets.drop(columns="closed_at"))


def test_chart_labels_in_both_languages(tickets):
    table = service_levels(tickets)
    assert service_levels_chart(table, lang="zh").get_xlabel() == "办结天数"
    assert service_levels_chart(table, lang="en").get_title() == "Time to close by group"


def test_repeat_callers_window_and_hashing():
    df = pd.DataFrame(
        {
            "caller_id": ["13812345678"] * 3 + ["13900000000"] * 3 + [None],
            "created_at": pd.to_datetime(
                [
                    "2024-01-01",
                    "2024-01-15",
                    "2024-01-30",
                    "2024-01-01",
                    "2024-02-15",
                    "2024-04-01",
                    "2024-01-02",
                ]
            ),
        }
    )
    out = repeat_callers(df, salt="s")
    assert len(out) == 1 and out["max_in_window"].iloc[0] == 3
    assert out.attrs["hashed"] and out.attrs["no_caller"] == 1
    assert "13812345678" not in out.to_string()
    # already pseudonymous ids are returned as given
    ids = df.assign(caller_id=["h1"] * 3 + ["h2"] * 3 + [None])
    assert repeat_callers(ids)["caller_id"].tolist() == ["h1"]
    assert repeat_callers(ids, window="60D", min_tickets=2)["caller_id"].tolist() == ["h1", "h2"]
