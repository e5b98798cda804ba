"""Tests for commlib.trends: share trends, rising factors, interrupted time series."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from commlib.errors import MissingColumnsError
from commlib.trends import (
    ITSResult,
    ShareTrend,
    interrupted_time_series,
    its_chart,
    rising_factors,
    share_trend,
    share_trend_chart,
)

CATS = ["甲", "乙", "丙", "丁", "戊"]

# one-year series warn that they cannot be seasonally adjusted; tests that check the
# warning catch it themselves
pytestmark = pytest.mark.filterwarnings(
    "ignore:interrupted_time_series. the series covers:UserWarning"
)


def _tickets(seed: int, *, rising: str | None, months: int = 10, per_month: int = 120):
    """Random tickets over ``months``; ``rising``'s share goes from 4% to 25% if given."""
    rng = np.random.default_rng(seed)
    rows = []
    for m in range(months):
        start = pd.Timestamp("2024-01-01") + pd.DateOffset(months=m)
        days = rng.integers(0, 28, per_month)
        p = 0.04 + 0.21 * m / (months - 1)
        cat = rng.choice(CATS, per_month)
        if rising is not None:
            cat = np.where(rng.random(per_month) < p, rising, rng.choice(CATS[1:], per_month))
        rows.append(
            pd.DataFrame({"created_at": start + pd.to_timedelta(days, "D"), "category": cat})
        )
    return pd.concat(rows, ignore_index=True)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_rising_factor_is_found(seed):
    df = _tickets(seed, rising="甲")
    out = rising_factors(df)
    assert out["category"].iloc[0] == "甲"
    assert len(out) == 1
    row = share_trend(df).trends.set_index("category").loc["甲"]
    assert row["ci_low"] > 1 and row["share_end"] > 2 * row["share_start"]


@pytest.mark.parametrize("seed", [3, 4, 5, 6])
def test_flat_shares_give_no_rising_factor(seed):
    df = _tickets(seed, rising=None)
    assert rising_factors(df).empty
    assert not share_trend(df).trends["significant"].any()


def test_grouped_only_the_planted_group_rises():
    a = _tickets(7, rising="甲").assign(community="A")
    b = _tickets(8, rising=None).assign(community="B")
    c = _tickets(9, rising=None).assign(community="C")
    df = pd.concat([a, b, c], ignore_index=True)
    out = rising_factors(df, group="community")
    assert out[["community", "category"]].values.tolist() == [["A", "甲"]]
    res = share_trend(df, group="community")
    assert isinstance(res, ShareTrend)
    # shares of each group and period add up to one
    sums = res.shares.groupby(["community", "period"])["share"].sum()
    assert np.allclose(sums, 1.0)


def test_window_and_result_input():
    df = _tickets(0, rising="甲")
    # eight months: the t reference with periods - 2 degrees of freedom needs a few
    res = share_trend(df, start="2024-02-01", end="2024-09-30")
    assert res.trends["periods"].max() == 8
    assert rising_factors(res)["category"].tolist() == ["甲"]


def test_input_not_mutated_and_errors():
    df = _tickets(0, rising="甲")
    before = df.copy()
    share_trend(df)
    pd.testing.assert_frame_equal(df, before)
    with pytest.raises(MissingColumnsError):
        share_trend(df, by="nope")
    with pytest.raises(ValueError, match="3 periods"):
        share_trend(df, end="2024-02-28")
    with pytest.raises(ValueError, match="freq"):
        share_trend(df, freq="fortnight")


def test_min_count_leaves_rare_categories_untested():
    df = _tickets(0, rising="甲")
    df = pd.concat(
        [df, pd.DataFrame({"created_at": [pd.Timestamp("2024-02-02")], "category": ["稀"]})]
    )
    trends = share_trend(df).trends.set_index("category")
    assert trends.loc["稀", "direction"] == "untested"
    assert np.isnan(trends.loc["稀", "p_value"])


def _daily(seed, *, before, after, event="2024-07-01", days=("2024-01-01", "2024-12-31")):
    rng = np.random.default_rng(seed)
    d = pd.date_range(*days, freq="D")
    lam = np.where(d < pd.Timestamp(event), before, after)
    return pd.DataFrame({"created_at": np.repeat(d, rng.poisson(lam)) + pd.Timedelta(hours=12)})


@pytest.mark.parametrize("freq", ["W", "MS"])
def test_its_recovers_planted_drop(freq):
    res = interrupted_time_series(
        _daily(0, before=5.0, after=2.0), event_date="2024-07-01", freq=freq
    )
    assert isinstance(res, ITSResult)
    lv = res.effects.set_index("term").loc["level_change"]
    assert lv["ci_low"] < 0.4 < lv["ci_high"]
    assert lv["p_value"] < 0.001
    slope = res.effects.set_index("term").loc["slope_change"]
    assert slope["ci_low"] < 1 < slope["ci_high"]
    assert "下降" in res.summary


def test_its_false_alarm_rate_is_near_nominal():
    """With no change at all, the 5% test of the level change rejects about 5% of the time."""
    rejected = [
        interrupted_time_series(_daily(seed, before=4.0, after=4.0), event_date="2024-07-01")
        .effects.set_index("term")
        .loc["level_change", "p_value"]
        < 0.05
        for seed in range(60)
    ]
    assert np.mean(rejected) <= 0.1


def test_its_counts_zero_weeks_and_filters_category():
    df = _daily(0, before=3.0, after=3.0).assign(category="其他")
    df.loc[df.index[::25][:40], "category"] = "快递"
    # 2024-07-03 is a Wednesday: its week is neither before nor after
    res = interrupted_time_series(df, event_date="2024-07-03", category="快递", freq="W")
    s = res.series
    assert s["count"].sum() == 40
    assert (s["count"] == 0).sum() >= 9  # the empty weeks at the end are in the series
    assert s["period"].iloc[-1] == pd.Timestamp("2024-12-30")
    assert s["transition"].sum() == 1
    assert s["days"].sum() == 366


def test_its_seasonal_dip_is_not_an_effect():
    """A winter dip that happens every year is absorbed by the Fourier terms."""
    rng = np.random.default_rng(5)
    d = pd.date_range("2023-01-01", "2024-12-31", freq="D")
    lam = 4 * np.exp(0.6 * np.cos(2 * np.pi * (d.day_of_year.to_numpy() - 200) / 365.25))
    df = pd.DataFrame({"created_at": np.repeat(d, rng.poisson(lam))})
    res = interrupted_time_series(df, event_date="2024-10-01", season=1)
    lv = res.effects.set_index("term").loc["level_change"]
    assert lv["ci_low"] < 1 < lv["ci_high"]


def test_its_errors():
    df = _daily(0, before=3.0, after=3.0)
    with pytest.raises(ValueError, match="3 periods"):
        interrupted_time_series(df, event_date="2024-12-25")
    with pytest.raises(ValueError, match="freq"):
        interrupted_time_series(df, event_date="2024-07-01", freq="QS")


def test_charts_return_axes():
    df = _tickets(0, rising="甲")
    ax = share_trend_chart(share_trend(df), top=2)
    assert len(ax.get_lines()) == 4
    ax = its_chart(
        interrupted_time_series(_daily(0, before=5.0, after=2.0), event_date="2024-07-01")
    )
    assert ax.get_title().startswith("水平变化")


def test_share_trend_counts_months_without_tickets_in_time():
    # months 4-7 have no ticket at all; the odds ratio is per calendar month, so it must
    # equal the one fitted on the same counts with the gap months known to be there
    months = pd.date_range("2024-01-01", periods=12, freq="MS")
    rows = []
    for i, m in enumerate(months):
        if 3 <= i <= 6:
            continue
        k = int(round(200 * (0.05 + 0.02 * i)))
        rows += [(m, "快递")] * k + [(m, "噪音")] * (200 - k)
    df = pd.DataFrame(rows, columns=["created_at", "category"])
    res = share_trend(df)
    row = res.trends.set_index("category").loc["快递"]
    # true log-odds slope: logit(0.27) - logit(0.05) over 11 months, about 0.18
    assert 1.15 < row["odds_ratio"] < 1.24
    assert row["periods"] == 8


def test_share_trend_category_absent_at_start_does_not_overflow():
    # a category that only appears in the last month (quasi-separation) must not crash
    df = pd.DataFrame(
        {
            "created_at": pd.to_datetime(
                ["2024-01-05"] * 20 + ["2024-02-05"] * 20 + ["2024-03-05"] * 20
            ),
            "category": ["甲"] * 40 + ["乙"] * 10 + ["甲"] * 10,
        }
    )
    res = share_trend(df, min_count=5)
    row = res.trends.set_index("category").loc["乙"]
    assert row["odds_ratio"] > 1
    assert not row["significant"]


# ------------------------------------------------------------- language, aliases


def _axes_words(ax) -> list[str]:
    leg = ax.get_legend()
    legend = [t.get_text() for t in leg.get_texts()] if leg is not None else []
    return [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), *legend]


@pytest.mark.parametrize(("lang", "word"), [("zh", "下降"), ("en", "fell")])
def test_its_summary_and_chart_speak_the_chosen_language(lang, word, assert_language):
    df = _daily(0, before=5.0, after=2.0)
    res = interrupted_time_series(df, event_date="2024-07-01", lang=lang)
    assert res.lang == lang and word in res.summary
    assert_language([res.summary], lang)
    assert "2024-07-01" in res.summary
    other = "en" if lang == "zh" else "zh"
    assert_language([res.describe(other)], other)
    assert res.describe() == res.summary
    assert_language(_axes_words(its_chart(res, lang=lang)), lang)
    with pytest.raises(ValueError, match="lang"):
        interrupted_time_series(df, event_date="2024-07-01", lang="fr")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_share_trend_chart_speaks_the_chosen_language(lang, assert_language):
    place = "北区" if lang == "zh" else "North"
    df = _tickets(0, rising="甲").assign(community=place)
    ax = share_trend_chart(share_trend(df, group="community"), top=2, lang=lang)
    words = _axes_words(ax)
    assert_language([w for w in words if w not in CATS], lang)  # legend: data values
    assert ax.get_title().startswith(place)


@pytest.mark.parametrize("freq", ["MS", "ME", "M", "ms"])
def test_share_trend_accepts_every_month_alias(freq):
    df = _tickets(0, rising="甲")
    got = share_trend(df, freq=freq)
    want = share_trend(df, freq="MS")
    pd.testing.assert_frame_equal(got.trends, want.trends)
    pd.testing.assert_frame_equal(got.shares, want.shares)


@pytest.mark.parametrize(("freq", "periods"), [("QS-JAN", 4), ("QS", 4), ("W", 44), ("W-MON", 44)])
def test_share_trend_accepts_quarter_and_week_aliases(freq, periods):
    df = _tickets(0, rising="甲")
    res = share_trend(df, freq=freq, min_count=1)
    assert res.trends["periods"].max() <= periods
    assert res.shares["period"].nunique() == res.trends["periods"].max()


def test_its_accepts_month_aliases():
    df = _daily(0, before=5.0, after=2.0)
    ms = interrupted_time_series(df, event_date="2024-07-01", freq="MS")
    me = interrupted_time_series(df, event_date="2024-07-01", freq="ME")
    pd.testing.assert_frame_equal(ms.effects, me.effects)
    assert "月" in ms.summary


def test_its_variance_is_the_larger_of_hac_and_quasi_poisson():
    """The documented rule: each standard error is max(HAC, quasi-Poisson), checked here
    against statsmodels fits of the same model."""
    import statsmodels.api as sm

    res = interrupted_time_series(_daily(3, before=5.0, after=2.0), event_date="2024-07-01")
    s = res.series[~res.series["transition"]]
    t = np.arange(len(res.series), dtype=float)[~res.series["transition"].to_numpy()]
    post = s["post"].to_numpy(dtype=float)
    t0 = t[post == 1][0]
    X = np.column_stack([np.ones_like(t), t - t0, post, (t - t0) * post])
    model = sm.GLM(s["count"], X, family=sm.families.Poisson(), offset=np.log(s["days"]))
    hac = model.fit(cov_type="HAC", cov_kwds={"maxlags": res.maxlags, "use_correction": True})
    quasi = model.fit(scale="X2")
    se_quasi = float(quasi.bse.iloc[2]) * max(1.0, 1.0 / np.sqrt(quasi.scale))
    want = max(float(hac.bse.iloc[2]), se_quasi)
    got = res.effects.set_index("term").loc["level_change", "se"]
    assert got == pytest.approx(want, rel=1e-6)
    assert res.effects.set_index("term").loc["level_change", "estimate"] == pytest.approx(
        float(np.exp(hac.params.iloc[2])), rel=1e-8
    )


# ------------------------------------------------- calibration (issue 14, item 3)


def _shocked_counts(seed: int, *, months: int = 12, rise: float = 1.0, cats: int = 15):
    """Tickets with month shocks shared by every category and each category's own
    overdispersed month-to-month noise (lognormal, sd 0.1 to 0.3); category 0's rate
    is multiplied by ``rise`` every month. No other trend."""
    rng = np.random.default_rng(seed)
    base = 1.0 / np.arange(1, cats + 1) ** 0.8
    base = 4000 * base / base.sum()
    shock = rng.normal(0, 0.25, months)[:, None]
    noise = rng.normal(0, 1, (months, cats)) * rng.uniform(0.1, 0.3, cats)
    mu = base[None, :] * np.exp(shock + noise)
    mu[:, 0] *= rise ** np.arange(months)
    counts = rng.poisson(mu)
    start = pd.date_range("2022-01-01", periods=months, freq="MS")
    mi, ci = np.nonzero(counts)
    reps = counts[mi, ci]
    return pd.DataFrame(
        {
            "created_at": np.repeat(start[mi].to_numpy(), reps) + pd.Timedelta(days=3),
            "category": np.array([f"类{j:02d}" for j in range(cats)])[ci].repeat(reps),
        }
    )


@pytest.mark.slow
def test_null_with_shared_month_shocks_rarely_flags_anything():
    """Family-wise false alarms across 40 seeds stay near the 5% level (the normal
    reference flagged at least one category in most seeds)."""
    flagged = [share_trend(_shocked_counts(s)).trends["significant"].any() for s in range(40)]
    assert np.mean(flagged) <= 0.15


@pytest.mark.slow
@pytest.mark.parametrize("months", [12, 24])
def test_planted_rise_of_8_percent_a_month_is_found(months):
    found = [
        rising_factors(_shocked_counts(seed, months=months, rise=1.08))["category"].tolist()
        == ["类00"]
        for seed in range(8)
    ]
    assert np.mean(found) >= (0.75 if months == 12 else 0.95)


def test_share_trend_uses_t_reference_and_seasonal_terms_from_two_years():
    from commlib.trends._autocorr import ar_factor

    short = share_trend(_shocked_counts(0, months=12))
    assert not short.season
    assert (short.trends["df_resid"] == 10).all()  # periods - 2
    # the p-value is the larger of the binomial Wald test (normal reference) and the
    # quasi-binomial one (Pearson dispersion times the AR(1) factor of the pooled
    # autocorrelation, t reference with periods - 2 df)
    import statsmodels.api as sm
    from scipy import stats

    df = _shocked_counts(0, months=12)
    counts = pd.crosstab(df["created_at"], df["category"])
    n = counts.sum(axis=1).to_numpy()
    X = sm.add_constant(np.arange(12) - 5.5)
    ar = max(1.0, ar_factor(X, short.autocorrelation)) if short.autocorrelation > 0 else 1.0
    assert np.allclose(short.trends["ar_factor"], ar)
    for cat in ["类00", "类07", "类14"]:
        k = counts[cat].to_numpy()
        fit = sm.GLM(np.column_stack([k, n - k]), X, family=sm.families.Binomial()).fit()
        z_b = fit.params[1] / fit.bse[1]
        t_q = z_b / np.sqrt(fit.pearson_chi2 / 10 * ar)
        want = max(2 * stats.norm.sf(abs(z_b)), 2 * stats.t.sf(abs(t_q), 10))
        got = short.trends.set_index("category").loc[cat, "p_value"]
        assert got == pytest.approx(want, rel=1e-5)
        raw = short.trends.set_index("category").loc[cat, "dispersion_raw"]
        assert raw == pytest.approx(fit.pearson_chi2 / 10, rel=1e-6)
    long = share_trend(_shocked_counts(0, months=24))
    assert long.season
    assert (long.trends["df_resid"] == 24 - 2 - 11).all()  # 11 month-of-year terms
    assert not share_trend(_shocked_counts(0, months=24), season=False).season
    with pytest.raises(ValueError, match="season"):
        share_trend(_shocked_counts(0), season="yes")


def test_seasonal_terms_reveal_a_slow_rise_hidden_by_the_seasons():
    """A category that peaks every winter and also grows 2% a month: without
    month-of-year terms the seasonal swing is taken for noise (dispersion about 20) and
    the rise is not significant; with them (automatic from 24 months) it is."""
    rng = np.random.default_rng(0)
    start = pd.date_range("2022-01-01", periods=30, freq="MS")
    rows = []
    for m, when in enumerate(start):
        p = 0.06 * 1.02**m * np.exp(0.6 * np.cos(2 * np.pi * (when.month - 1) / 12))
        k = rng.binomial(1500, p)
        rows += [(when, "供暖")] * k + [(when, "其他")] * (1500 - k)
    df = pd.DataFrame(rows, columns=["created_at", "category"])
    plain = share_trend(df, season=False).trends.set_index("category").loc["供暖"]
    seasonal = share_trend(df).trends.set_index("category").loc["供暖"]
    assert plain["dispersion"] > 10 and not plain["significant"]
    assert seasonal["dispersion"] < 2 and seasonal["significant"]
    assert 1.01 < seasonal["odds_ratio"] < 1.03


# ------------------------------------------- seasons and placebo dates (issue 14, 4)


def _seasonal(seed, *, days=("2023-01-01", "2024-12-31"), base=8.0, amp=0.5):
    """Daily tickets with a yearly swing (peak in July) and no intervention."""
    rng = np.random.default_rng(seed)
    d = pd.date_range(*days, freq="D")
    lam = base * np.exp(amp * np.cos(2 * np.pi * (d.day_of_year.to_numpy() - 200) / 365.25))
    return pd.DataFrame({"created_at": np.repeat(d, rng.poisson(lam)) + pd.Timedelta(hours=12)})


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_two_year_series_gets_seasonal_terms_and_a_low_placebo_rate(seed):
    df = _seasonal(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # two years: no warning
        res = interrupted_time_series(df, event_date="2024-03-04")
    assert res.seasonal and res.season == 2
    assert len(res.placebo) >= 30
    assert res.placebo_rate <= 0.1
    # the same weeks without seasonal terms: the yearly swing passes for effects
    plain = interrupted_time_series(df, event_date="2024-03-04", season=0)
    assert not plain.seasonal and plain.placebo_rate >= 0.3
    assert list(res.placebo.columns) == [
        "placebo_date",
        "estimate",
        "ci_low",
        "ci_high",
        "p_value",
        "significant",
    ]


def test_short_series_warns_and_says_it_is_not_seasonally_adjusted():
    df = _daily(0, before=4.0, after=4.0)
    with pytest.warns(UserWarning, match="under two\\s+years"):
        res = interrupted_time_series(df, event_date="2024-07-01")
    assert not res.seasonal and res.season == 0
    assert "未做季节调整" in res.summary
    assert "not seasonally adjusted" in res.describe("en")
    assert "安慰剂" in res.summary and "Placebo" in res.describe("en")
    # a flat null year: few placebo breaks are significant, and the nominal event does
    # not stand out from them
    assert len(res.placebo) >= 10 and res.placebo_rate <= 0.2
    assert res.placebo_p > 0.1


def test_real_break_is_found_and_ranks_above_every_placebo():
    res = interrupted_time_series(
        _daily(1, before=5.0, after=2.0), event_date="2024-07-01", season=0
    )
    assert res.effects.set_index("term").loc["level_change", "p_value"] < 0.001
    assert res.placebo_rate <= 0.2
    assert res.placebo_p == pytest.approx(1 / (1 + len(res.placebo)))
    # the placebo breaks keep the real break in the model and stay clear of it
    gap = (res.placebo["placebo_date"] - res.event_date).abs()
    assert (gap >= pd.Timedelta(weeks=8)).all()


def test_placebo_can_be_switched_off_and_spaced():
    df = _daily(0, before=5.0, after=2.0)
    off = interrupted_time_series(df, event_date="2024-07-01", season=0, placebo=False)
    assert off.placebo.empty and np.isnan(off.placebo_rate) and "安慰剂" not in off.summary
    every2 = interrupted_time_series(df, event_date="2024-07-01", season=0)
    every4 = interrupted_time_series(df, event_date="2024-07-01", season=0, placebo_step=4)
    assert 0 < len(every4.placebo) < len(every2.placebo)
    assert set(every4.placebo["placebo_date"]) <= set(every2.placebo["placebo_date"])
    with pytest.raises(ValueError, match="season"):
        interrupted_time_series(df, event_date="2024-07-01", season="yes")


def test_high_placebo_rate_is_spelled_out_in_the_summary():
    """One year of a strong seasonal swing: many placebo breaks are 'significant',
    and the summary says the effect may be ordinary fluctuation."""
    df = _seasonal(1, days=("2024-01-01", "2024-12-31"))
    with pytest.warns(UserWarning):
        res = interrupted_time_series(df, event_date="2024-07-01", lang="en")
    assert res.placebo_rate > 0.1
    assert "ordinary fluctuation" in res.summary
    assert "日常波动" in res.describe("zh")
