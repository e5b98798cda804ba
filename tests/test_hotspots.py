"""Tests for commlib.hotspots: weekday x hour tables and street profiles."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from commlib.hotspots import (
    hour_weekday_heatmap,
    hour_weekday_table,
    street_profile,
    street_profile_chart,
)


def test_hour_weekday_counts_every_dated_ticket_once():
    when = pd.to_datetime(
        ["2024-06-01 19:10", "2024-06-02 19:59", "2024-06-03 08:00", "2024-06-04 00:00", None]
    )
    df = pd.DataFrame({"created_at": when})
    tab = hour_weekday_table(df)
    assert tab.shape == (7, 24)
    assert tab.loc["周六", 19] == 1 and tab.loc["周日", 19] == 1 and tab.loc["周一", 8] == 1
    assert tab.to_numpy().sum() + sum(tab.attrs["excluded"].values()) == len(df)
    kept = hour_weekday_table(df, drop_midnight=False, lang="en")
    assert kept.loc["Tue", 0] == 1
    assert hour_weekday_table(df, normalize=True).to_numpy().sum() == 1.0


def test_street_profile_orders_doors_and_merges_spellings():
    df = pd.DataFrame(
        {
            "address_key": ["桐荫路100号", "桐荫路60号", "桐荫路一〇〇号", "青枫路1号", None],
            "category": ["占道经营", "交通安全", "占道经营", "噪音扰民", "噪音扰民"],
        }
    )
    prof = street_profile(df, street="桐荫路", by="category")
    assert prof["number"].tolist() == [60, 100]
    assert prof["count"].tolist() == [1, 2]
    assert prof.loc[1, "占道经营"] == 2
    assert prof.attrs["n_street"] == 3


def test_charts():
    df = pd.DataFrame(
        {"created_at": pd.to_datetime(["2024-06-01 19:10"]), "address_key": ["桐荫路60号"]}
    )
    ax = hour_weekday_heatmap(df)
    assert ax.get_title() == "工单时间分布（星期 × 小时）"
    ax = street_profile_chart(street_profile(df, street="桐荫路"))
    assert len(ax.patches) == 1
    assert ax.get_title() == "桐荫路沿街工单分布"


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_heatmap_words_are_in_the_chosen_language(lang):
    df = pd.DataFrame({"created_at": pd.to_datetime(["2024-06-01 19:10", "2024-06-03 08:00"])})
    ax = hour_weekday_heatmap(df, lang=lang)
    words = [ax.get_title(), ax.get_xlabel(), ax.figure.axes[-1].get_ylabel()]
    words += [t.get_text() for t in ax.get_yticklabels()]
    for text in words:
        if lang == "en":
            assert not _CJK.search(text), text
        else:
            assert not re.search("[A-Za-z]", text), text
    assert words[3] == ("周一" if lang == "zh" else "Mon")


def test_street_chart_in_english_keeps_only_the_street_name_in_chinese():
    prof = street_profile(pd.DataFrame({"address_key": ["桐荫路60号"] * 2}), street="桐荫路")
    ax = street_profile_chart(prof, lang="en")
    assert ax.get_title() == "Tickets along 桐荫路"
    assert ax.get_ylabel() == "Tickets" and ax.get_xlabel() == "House number on 桐荫路"
    with pytest.raises(ValueError, match="lang"):
        street_profile_chart(prof, lang="de")
