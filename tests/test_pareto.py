"""Tests for commlib.pareto: tables, vital few, Other, weights, before/after tests, charts."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commlib.errors import MissingColumnsError
from commlib.pareto import (
    compare_pareto,
    compare_pareto_chart,
    describe_change,
    pareto_by,
    pareto_by_chart,
    pareto_chart,
    pareto_table,
    vital_few_test,
)


def _frame(counts: dict) -> pd.DataFrame:
    """Raw rows: one row per ticket, from {category: count}."""
    return pd.DataFrame({"category": [c for c, n in counts.items() for _ in range(n)]})


# ----------------------------------------------------------------- pareto_table


def test_table_on_tickets_fixture(tickets):
    t = pareto_table(tickets)
    assert list(t.columns) == [
        "category",
        "count",
        "value",
        "share",
        "cum_share",
        "rank",
        "vital",
        "is_other",
    ]
    assert t["category"].tolist() == ["快递物流", "噪音扰民", "环境卫生", "绿化养护"]
    assert t["count"].tolist() == [4, 3, 2, 1]
    assert t["cum_share"].tolist() == pytest.approx([0.4, 0.7, 0.9, 1.0])
    # 环境卫生 takes the cumulative share from 0.7 past 0.8: it is the last vital one.
    assert t["vital"].tolist() == [True, True, True, False]
    assert t["rank"].tolist() == [1, 2, 3, 4]
    assert t.attrs["n_rows"] == 10 and t.attrs["total"] == 10
    assert t.attrs["excluded_rows"] == 0 and t.attrs["n_vital"] == 3


def test_vital_stops_at_category_that_reaches_threshold_exactly():
    t = pareto_table(_frame({"a": 8, "b": 1, "c": 1}))
    assert t["vital"].tolist() == [True, False, False]
    t = pareto_table(_frame({"a": 79, "b": 11, "c": 10}))
    assert t["vital"].tolist() == [True, True, False]
    t = pareto_table(_frame({"a": 5, "b": 5}), threshold=1.0)
    assert t["vital"].tolist() == [True, True]


def test_ties_break_by_label_and_vital_set_is_minimal():
    t = pareto_table(_frame({"d": 2, "b": 3, "c": 2, "a": 3}))
    assert t["category"].tolist() == ["a", "b", "c", "d"]
    assert t["cum_share"].tolist() == pytest.approx([0.3, 0.6, 0.8, 1.0])
    assert t["vital"].tolist() == [True, True, True, False]


def test_other_row_is_last_never_vital_even_when_largest():
    counts = {"a": 5, "b": 4} | {f"z{i}": 3 for i in range(8)}
    t = pareto_table(_frame(counts), max_categories=2)
    assert t["category"].tolist() == ["a", "b", "其他"]
    other = t.iloc[-1]
    assert other["count"] == 24 and other["value"] > t["value"].iloc[0]
    assert bool(other["is_other"]) and not bool(other["vital"])
    assert other["rank"] == 3 and other["cum_share"] == 1.0
    # a and b are vital (the full ranking's vital set runs into the merged rows)
    assert t["vital"].tolist() == [True, True, False]
    assert t.attrs["n_other_categories"] == 8 and t.attrs["n_categories"] == 10
    assert t["share"].sum() == pytest.approx(1.0)


def test_other_label_language_and_collision():
    df = _frame({"其他": 5, "噪音": 3, "快递": 1, "绿化": 1})
    t = pareto_table(df, max_categories=2)
    assert t["category"].tolist() == ["其他", "噪音", "其他（合并）"]
    assert t.attrs["other_label"] == "其他（合并）"
    en = pareto_table(_frame({"a": 3, "b": 2, "c": 1}), max_categories=1, lang="en")
    assert en["category"].tolist() == ["a", "Other"]
    with pytest.raises(ValueError, match="other_label"):
        pareto_table(df, max_categories=2, other_label="噪音")


def test_no_other_row_when_categories_fit(tickets):
    t = pareto_table(tickets, max_categories=4)
    assert not t["is_other"].any() and len(t) == 4


def test_weight_ranks_by_sum_and_keeps_row_count():
    df = pd.DataFrame(
        {
            "category": ["快递", "快递", "快递", "违建", "噪音"],
            "hours": [0.5, 0.5, 1.0, 10.0, 3.0],
        }
    )
    t = pareto_table(df, weight="hours")
    assert t["category"].tolist() == ["违建", "噪音", "快递"]
    assert t["value"].tolist() == [10.0, 3.0, 2.0]
    assert t["count"].tolist() == [1, 1, 3]
    assert t["share"].tolist() == pytest.approx([10 / 15, 3 / 15, 2 / 15])
    assert t.attrs["value"] == "hours" and t.attrs["total"] == 15.0


def test_precounted_input_equals_raw_rows():
    raw = _frame({"快递": 7, "噪音": 4, "绿化": 1})
    counted = pd.DataFrame({"category": ["噪音", "快递", "绿化"], "n": [4, 7, 1]})
    a = pareto_table(raw)
    b = pareto_table(counted, weight="n")
    cols = ["category", "value", "share", "cum_share", "rank", "vital"]
    pd.testing.assert_frame_equal(a[cols], b[cols])


def test_integer_cluster_labels_sort_numerically_on_ties():
    df = pd.DataFrame({"cluster": np.array([10, 10, 2, 2, 7], dtype=np.int64)})
    t = pareto_table(df, by="cluster")
    assert t["cluster"].tolist() == [2, 10, 7]
    assert pd.api.types.is_integer_dtype(t["cluster"])
    t = pareto_table(df, by="cluster", max_categories=1)
    assert t["cluster"].tolist() == [2, "其他"]


def test_missing_values_row_or_excluded_and_counted():
    df = pd.DataFrame({"category": ["快递", None, "快递", None, "噪音", None]})
    t = pareto_table(df)
    assert t["category"].tolist() == ["(缺失)", "快递", "噪音"]
    assert t["count"].tolist() == [3, 2, 1]
    assert t.attrs["excluded_rows"] == 0
    d = pareto_table(df, dropna=True)
    assert d["category"].tolist() == ["快递", "噪音"]
    assert d.attrs["excluded_rows"] == 3 and d.attrs["excluded"] == {"missing_by": 3}
    assert d.attrs["n_rows"] == 6 and d.attrs["total"] == 3
    en = pareto_table(df, lang="en")
    assert "(missing)" in en["category"].tolist()


def test_missing_weight_rows_are_excluded_and_counted():
    df = pd.DataFrame({"category": ["a", "a", "b"], "hours": [1.0, np.nan, 2.0]})
    t = pareto_table(df, weight="hours")
    assert t.attrs["excluded"] == {"missing_weight": 1}
    assert t["value"].tolist() == [2.0, 1.0]


def test_empty_and_all_missing_input_raise_clear_errors():
    with pytest.raises(ValueError, match="empty"):
        pareto_table(pd.DataFrame({"category": pd.Series([], dtype="str")}))
    with pytest.raises(ValueError, match="excluded"):
        pareto_table(pd.DataFrame({"category": [None, None]}), dropna=True)


def test_missing_column_error_names_the_column(tickets):
    with pytest.raises(MissingColumnsError, match="'categry'") as err:
        pareto_table(tickets, by="categry")
    assert err.value.missing == ["categry"]
    assert "category" in str(err.value)  # suggests the close match
    with pytest.raises(MissingColumnsError, match="'hours'"):
        pareto_table(tickets, weight="hours")


def test_bad_weights_and_arguments_raise():
    df = pd.DataFrame({"category": ["a", "b"], "w": [1.0, -1.0], "s": ["x", "y"]})
    with pytest.raises(ValueError, match="negative"):
        pareto_table(df, weight="w")
    with pytest.raises(TypeError, match="numeric"):
        pareto_table(df, weight="s")
    with pytest.raises(ValueError, match="threshold"):
        pareto_table(df, threshold=0)
    with pytest.raises(ValueError, match="max_categories"):
        pareto_table(df, max_categories=0)
    with pytest.raises(ValueError, match="is 0"):
        pareto_table(pd.DataFrame({"category": ["a"], "w": [0.0]}), weight="w")


def test_input_is_not_mutated(tickets):
    before = tickets.copy(deep=True)
    pareto_table(tickets, max_categories=2)
    pareto_by(tickets, group="community")
    compare_pareto(tickets, split="2024-02-01")
    pd.testing.assert_frame_equal(tickets, before)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(
    cats=st.lists(st.sampled_from(list("abcdefghij")) | st.none(), min_size=1, max_size=60),
    data=st.data(),
    max_categories=st.none() | st.integers(min_value=1, max_value=6),
    threshold=st.floats(min_value=0.05, max_value=1.0),
)
def test_property_shares_and_vital_set(cats, data, max_categories, threshold):
    weights = data.draw(
        st.none()
        | st.lists(
            st.floats(min_value=0.01, max_value=1000),
            min_size=len(cats),
            max_size=len(cats),
        )
    )
    df = pd.DataFrame({"category": cats})
    weight = None
    if weights is not None:
        df["w"] = weights
        weight = "w"
    t = pareto_table(df, weight=weight, threshold=threshold, max_categories=max_categories)
    # every row is accounted for, shares sum to 1 and the cumulative share ends at 1
    assert t["count"].sum() == len(df)
    assert t["share"].sum() == pytest.approx(1.0)
    assert t["cum_share"].iloc[-1] == pytest.approx(1.0)
    assert (np.diff(t["cum_share"].to_numpy()) >= -1e-12).all()
    real = t[~t["is_other"]]
    # ranked by value descending
    assert (np.diff(real["value"].to_numpy()) <= 1e-9).all()
    if max_categories is not None:
        assert len(real) <= max_categories
        if t["is_other"].any():
            assert t["is_other"].iloc[-1] and t["is_other"].sum() == 1
            assert not t["vital"].iloc[-1]
    # vital few = a prefix; minimal: without its last member the threshold is not reached
    full = pareto_table(df, weight=weight, threshold=threshold)
    vital = full["vital"].to_numpy()
    k = int(vital.sum())
    assert k >= 1 and vital[:k].all() and not vital[k:].any()
    cum = full["cum_share"].to_numpy()
    assert cum[k - 1] >= threshold - 1e-9
    if k > 1:
        assert cum[k - 2] < threshold
    # the kept rows carry the full ranking's flags
    assert real["vital"].tolist() == full["vital"].iloc[: len(real)].tolist()


# ------------------------------------------------------------------- pareto_by


@pytest.mark.parametrize("weight", [None, "hours"])
def test_pareto_by_equals_pareto_table_per_group(weight):
    rng = np.random.default_rng(1)
    df = pd.DataFrame(
        {
            "community": rng.choice(["兰亭苑", "桂香小区", "云岭"], 600),
            "category": rng.choice(list("abcdefg"), 600, p=[0.4, 0.2, 0.1, 0.1, 0.1, 0.05, 0.05]),
            "hours": rng.exponential(2.0, 600),
        }
    )
    long = pareto_by(df, group="community", weight=weight, max_categories=4)
    assert list(long.columns[:2]) == ["community", "category"]
    assert long["community"].tolist() == sorted(long["community"].tolist())
    for name, sub in long.groupby("community"):
        expected = pareto_table(df[df["community"] == name], weight=weight, max_categories=4)
        got = sub.drop(columns="community").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected)


def test_pareto_by_month_with_freq(tickets):
    long = pareto_by(tickets, group="created_at", freq="MS")
    months = long["created_at"].drop_duplicates().tolist()
    assert months == [
        pd.Timestamp("2024-01-01"),
        pd.Timestamp("2024-02-01"),
        pd.Timestamp("2024-03-01"),
    ]
    march = tickets[tickets["created_at"].dt.month == 3]
    got = long[long["created_at"] == pd.Timestamp("2024-03-01")].drop(columns="created_at")
    pd.testing.assert_frame_equal(got.reset_index(drop=True), pareto_table(march))
    with pytest.raises(TypeError, match="datetime"):
        pareto_by(tickets, group="community", freq="MS")


def test_pareto_by_missing_group_is_counted():
    df = pd.DataFrame({"community": ["甲", None, "乙"], "category": ["a", "b", "a"]})
    long = pareto_by(df)
    assert long.attrs["excluded"]["missing_group"] == 1
    assert long["count"].sum() == 2


# ------------------------------------------------------------ compare_pareto


def _daily_tickets(rates: dict, start: str, days: int, seed: int) -> pd.DataFrame:
    """Tickets with Poisson daily counts per category; one row per ticket."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(start, periods=days, freq="D")
    rows_date, rows_cat = [], []
    for cat, rate in rates.items():
        n = rng.poisson(rate, size=days)
        rows_date.append(np.repeat(dates.to_numpy(), n))
        rows_cat.append(np.repeat(cat, n.sum()))
    return pd.DataFrame(
        {"created_at": np.concatenate(rows_date), "category": np.concatenate(rows_cat)}
    )


def test_compare_detects_planted_drop_and_not_unchanged_categories():
    before = _daily_tickets(
        {"快递物流": 3.0, "噪音扰民": 2.0, "环境卫生": 1.0}, "2024-07-01", 92, 7
    )
    after = _daily_tickets({"快递物流": 0.9, "噪音扰民": 2.0, "环境卫生": 1.0}, "2024-10-01", 92, 8)
    res = compare_pareto(before, after)
    assert res["category"].iloc[0] == "快递物流"  # sorted by before-count
    assert res.attrs["exposure"] == (92.0, 92.0)
    row = res.set_index("category").loc["快递物流"]
    assert row["significant"] and row["p_value"] < 1e-6
    assert row["ci_low"] < 0.3 < row["ci_high"]
    assert row["rate_before"] == pytest.approx(row["count_before"] / 92)
    assert row["share_change"] < 0
    others = res.set_index("category").loc[["噪音扰民", "环境卫生"]]
    assert not others["significant"].any()
    # the mix changed: the unchanged categories' shares rose
    assert (others["share_change"] > 0).all()
    text = describe_change(res, "快递物流")
    assert text.startswith("快递物流：日均工单由") and "下降" in text and "p < 0.001" in text
    en = compare_pareto(before, after, lang="en")
    assert "fell from" in describe_change(en, "快递物流")
    with pytest.raises(KeyError, match="快递物流"):
        describe_change(res, "不存在")


@pytest.mark.slow
def test_compare_false_positive_rate_under_null_is_controlled():
    rng = np.random.default_rng(2024)
    cats = ["a", "b", "c"]
    rates = np.array([30.0, 12.0, 5.0])  # expected tickets per period
    n_sim = 200
    p_rate, p_share = np.empty(n_sim), np.empty(n_sim)
    for i in range(n_sim):
        b = pd.DataFrame({"category": cats, "n": rng.poisson(rates * 1.0)})
        a = pd.DataFrame({"category": cats, "n": rng.poisson(rates * 1.5)})
        res = compare_pareto(b, a, weight="n", exposure=(1.0, 1.5)).set_index("category")
        p_rate[i] = res.loc["a", "p_value"]
        p_share[i] = res.loc["a", "p_value_share"]
    for p in (p_rate, p_share):
        assert (p < 0.05).mean() < 0.08  # false positives stay near the nominal 5%
        assert 0.35 < np.median(p) < 0.65  # roughly uniform, not merely conservative


def test_split_form_equals_explicit_before_after(tickets):
    split = pd.Timestamp("2024-02-10")
    via_split = compare_pareto(tickets, split=split)
    b = tickets[tickets["created_at"] < split]
    a = tickets[tickets["created_at"] >= split]
    explicit = compare_pareto(b, a, exposure=via_split.attrs["exposure"])
    pd.testing.assert_frame_equal(via_split, explicit)
    # exposure from the split: Jan 3 .. Feb 10 = 38 days; Feb 10 .. end of Mar 30 = 50 days
    assert via_split.attrs["exposure"] == (38.0, 50.0)


def test_exposure_given_or_from_dates_and_per_days():
    b = pd.DataFrame({"category": ["a"] * 10})
    a = pd.DataFrame({"category": ["a"] * 10})
    res = compare_pareto(b, a, exposure=(10, 20), per_days=30)
    assert res["rate_before"].iloc[0] == pytest.approx(30.0)
    assert res["rate_after"].iloc[0] == pytest.approx(15.0)
    assert res["rate_ratio"].iloc[0] == pytest.approx(0.5)
    assert "每30天" in res["summary"].iloc[0]
    with pytest.raises(ValueError, match="exposure"):
        compare_pareto(b, a)
    dated_b = b.assign(created_at=pd.date_range("2024-01-01", periods=10, freq="D"))
    dated_a = a.assign(created_at=pd.date_range("2024-02-01", periods=10, freq="2D"))
    res = compare_pareto(dated_b, dated_a)
    assert res.attrs["exposure"] == (10.0, 19.0)


def test_compare_argument_errors(tickets):
    with pytest.raises(ValueError, match="second period"):
        compare_pareto(tickets)
    with pytest.raises(ValueError, match="not both"):
        compare_pareto(tickets, tickets, split="2024-02-01")
    with pytest.raises(ValueError, match="0 after"):
        compare_pareto(tickets, split="2030-01-01")


def test_new_category_and_weighted_hours_are_handled():
    b = pd.DataFrame({"category": ["a", "a"], "hours": [1.5, 2.0]})
    a = pd.DataFrame({"category": ["a", "b"], "hours": [1.0, 0.5]})
    counts = compare_pareto(b, a, exposure=(1, 1))
    new = counts.set_index("category").loc["b"]
    assert new["count_before"] == 0 and np.isinf(new["rate_ratio"])
    assert "此前没有" in new["summary"]
    hours = compare_pareto(b, a, weight="hours", exposure=(1, 1))
    assert not hours.attrs["tested"] and hours["p_value"].isna().all()
    assert hours["value_before"].tolist() == [3.5, 0.0]
    assert not hours["significant"].any()


def _render(fig, tmp_path, name="chart.png"):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "Glyph ... missing" warnings allowed
        fig.savefig(tmp_path / name, dpi=50)


# ---------------------------------------------------------------------- charts


def test_pareto_chart_bars_rows_and_chinese_labels(tickets, tmp_path):
    ax = pareto_chart(tickets)
    assert isinstance(ax, plt.Axes)
    assert len(ax.patches) == 4
    assert ax.get_ylabel() == "工单数" and ax.get_xlabel() == "诉求分类"
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "快递物流"
    twin = [a for a in ax.figure.axes if a is not ax][0]
    assert twin.get_ylim() == (0, 105) and twin.get_ylabel() == "累计占比"
    legend_texts = [t.get_text() for t in twin.get_legend().get_texts()]
    assert "关键少数" in legend_texts
    assert "未计入 0 行" in twin.get_legend().get_title().get_text()
    _render(ax.figure, tmp_path)


def test_pareto_chart_with_other_draws_on_given_ax(tmp_path):
    df = _frame({f"类别{i}": 20 - i for i in range(10)})
    fig, (ax1, ax2) = plt.subplots(1, 2)
    out = pareto_chart(df, max_categories=5, threshold=0.5, ax=ax2, lang="en")
    assert out is ax2 and len(ax2.patches) == 6 and len(ax1.patches) == 0
    assert ax2.get_ylabel() == "Tickets"
    _render(fig, tmp_path)


def test_pareto_chart_from_table_and_weight(tmp_path):
    df = pd.DataFrame({"category": ["快递", "违建", "噪音"], "hours": [1.0, 5.0, 2.0]})
    table = pareto_table(df, weight="hours", threshold=0.6)
    ax = pareto_chart(table)
    assert len(ax.patches) == 3 and ax.get_ylabel() == "hours"
    heights = [p.get_height() for p in ax.patches]
    assert heights == [5.0, 2.0, 1.0]
    twin = [a for a in ax.figure.axes if a is not ax][0]
    assert any(line.get_ydata()[0] == 60 for line in twin.get_lines())  # threshold line
    _render(ax.figure, tmp_path)


def test_compare_pareto_chart_marks_significant(tmp_path):
    before = _daily_tickets({"快递物流": 3.0, "噪音扰民": 2.0}, "2024-07-01", 92, 1)
    after = _daily_tickets({"快递物流": 0.9, "噪音扰民": 2.0}, "2024-10-01", 92, 2)
    res = compare_pareto(before, after)
    ax = compare_pareto_chart(res)
    assert isinstance(ax, plt.Axes)
    assert len(ax.patches) == 2 * len(res)
    stars = [t for t in ax.texts if t.get_text() == "*"]
    assert len(stars) == int(res["significant"].sum()) >= 1
    _render(ax.figure, tmp_path)


def test_pareto_by_chart_one_panel_per_group(tickets, tmp_path):
    fig = pareto_by_chart(tickets, group="community", col_wrap=3)
    bar_axes = [a for a in fig.axes if a.patches]
    assert len(bar_axes) == 2
    assert bar_axes[0].get_title().startswith("兰亭苑")
    _render(fig, tmp_path)
    table = pareto_by(tickets, group="created_at", freq="MS")
    fig = pareto_by_chart(table, group="created_at", col_wrap=2)
    titles = [a.get_title() for a in fig.axes if a.patches]
    assert titles[0].startswith("2024-01")
    _render(fig, tmp_path, "months.png")


# ---------------------------------------------------------------- vital_few_test


def test_vital_few_test_finds_planted_dominant_category():
    rng = np.random.default_rng(3)
    cats = rng.choice(list("abcdefgh"), 2000, p=[0.3] + [0.1] * 7)
    res = vital_few_test(pd.DataFrame({"category": cats}), random_state=0)
    assert res["category"].iloc[0] == "a"
    assert res["stands_out"].tolist() == [True] + [False] * 7
    assert (res["lower"] <= res["upper"]).all()
    again = vital_few_test(pd.DataFrame({"category": cats}), random_state=0)
    pd.testing.assert_frame_equal(res, again)


def test_vital_few_test_flags_nothing_on_uniform_data():
    rng = np.random.default_rng(4)
    cats = rng.choice(list("abcdefghij"), 3000)
    res = vital_few_test(pd.DataFrame({"category": cats}), random_state=0)
    assert not res["stands_out"].any()
    sim = vital_few_test(pd.DataFrame({"category": cats}), simultaneous=True, random_state=0)
    assert sim.attrs["level"] >= 0.95 and (sim["upper"] >= res["upper"]).all()


def test_vital_few_test_rejects_fractional_weights_and_one_category():
    df = pd.DataFrame({"category": ["a", "b"], "hours": [1.5, 2.0]})
    with pytest.raises(ValueError, match="whole-number"):
        vital_few_test(df, weight="hours")
    with pytest.raises(ValueError, match="single category"):
        vital_few_test(pd.DataFrame({"category": ["a", "a"]}))


def test_compare_pareto_tz_aware_split_on_naive_dates(tickets):
    naive = compare_pareto(tickets, split="2024-02-10")
    aware = compare_pareto(tickets, split=pd.Timestamp("2024-02-10", tz="Asia/Shanghai"))
    pd.testing.assert_frame_equal(naive, aware)


# ------------------------------------------------------------- language, aliases


def _english_tickets():
    before = _daily_tickets({"Parcels": 3.0, "Noise": 2.0}, "2024-07-01", 92, 1)
    after = _daily_tickets({"Parcels": 0.9, "Noise": 2.0}, "2024-10-01", 92, 2)
    return before, after


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_word_of_compare_pareto_is_in_the_chosen_language(
    lang, assert_language, figure_words
):
    if lang == "en":
        before, after = _english_tickets()
    else:
        before = _daily_tickets({"快递物流": 3.0, "噪音扰民": 2.0}, "2024-07-01", 92, 1)
        after = _daily_tickets({"快递物流": 0.9, "噪音扰民": 2.0}, "2024-10-01", 92, 2)
    res = compare_pareto(before, after, lang=lang)
    assert_language(res["summary"], lang)
    assert res["summary"].str.contains("CI").all()
    assert_language(figure_words(compare_pareto_chart(res).figure), lang)
    weekly = compare_pareto(before, after, lang=lang, per_days=7)
    assert_language(weekly["summary"], lang)
    assert weekly["summary"].str.contains("每周" if lang == "zh" else "per week").all()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_word_of_pareto_charts_is_in_the_chosen_language(lang, assert_language, figure_words):
    cats = ["Parcels"] * 6 + ["Noise"] * 3 + ["Trees", None] if lang == "en" else None
    df = pd.DataFrame(
        {
            "category": cats or ["快递"] * 6 + ["噪音"] * 3 + ["绿化", None],
            "community": (["A", "B"] if lang == "en" else ["甲", "乙"]) * 5 + [None],
        }
    )
    table = pareto_table(df, max_categories=2, lang=lang)
    assert_language(table["category"].astype(str), lang)  # "Other", "(missing)"
    fig = pareto_chart(df, max_categories=2, lang=lang).figure
    assert_language(figure_words(fig), lang)
    fig = pareto_by_chart(df, group="community", lang=lang)
    assert_language(figure_words(fig), lang)


def test_compare_pareto_date_col_is_a_deprecated_alias(tickets):
    new = compare_pareto(tickets, split="2024-02-01", date="created_at")
    with pytest.warns(FutureWarning, match="date_col"):
        old = compare_pareto(tickets, split="2024-02-01", date_col="created_at")
    pd.testing.assert_frame_equal(new, old)
    with pytest.raises(TypeError, match="both"):
        compare_pareto(tickets, split="2024-02-01", date="created_at", date_col="created_at")


@pytest.mark.parametrize("freq", ["MS", "ME", "M", "ms"])
def test_pareto_by_accepts_every_month_alias(tickets, freq):
    got = pareto_by(tickets, group="created_at", freq=freq)
    want = pareto_by(tickets, group="created_at", freq="MS")
    pd.testing.assert_frame_equal(got, want, check_flags=False)
    assert got["created_at"].nunique() == 3


@pytest.mark.parametrize(("freq", "n_groups"), [("QS-JAN", 1), ("QS", 1), ("W", 9), ("W-MON", 9)])
def test_pareto_by_accepts_quarter_and_week_aliases(tickets, freq, n_groups):
    out = pareto_by(tickets, group="created_at", freq=freq)
    assert out["created_at"].nunique() == n_groups
    assert out["count"].sum() == len(tickets)


def test_pareto_by_rejects_an_unknown_freq(tickets):
    with pytest.raises(ValueError, match="freq"):
        pareto_by(tickets, group="created_at", freq="fortnight")
