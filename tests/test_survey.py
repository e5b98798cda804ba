"""Tests for commlib.survey: intervals for means, proportions and their differences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from commlib.survey import survey_change, survey_summary, wilson_interval


def test_wilson_matches_the_textbook_value():
    # Newcombe (1998) table I example: 81 / 263
    lo, hi = wilson_interval(81, 263)
    assert (round(lo, 4), round(hi, 4)) == (0.2553, 0.3662)
    assert wilson_interval(0, 10)[0] == 0.0
    assert np.isnan(wilson_interval(0, 0)[0])


def test_summary_types_and_mean_interval():
    df = pd.DataFrame(
        {
            "id": ["r1", "r2", "r3", "r4", "r5", "r6"],
            "wave": ["before"] * 3 + ["after"] * 3,
            "score": [1, 2, 3, 4, 5, 3],
            "safe": ["否", "是", None, "是", "是", "否"],
            "flag": [True, False, True, True, True, True],
        }
    )
    out = survey_summary(df).set_index(["wave", "item"])
    assert "id" not in out.index.get_level_values("item")  # text columns are skipped
    assert out.loc[("before", "safe"), "n"] == 2  # the blank answer is left out
    assert out.loc[("before", "safe"), "kind"] == "proportion"
    m = out.loc[("before", "score")]
    half = stats.t.ppf(0.975, 2) * 1.0 / np.sqrt(3)
    assert m["estimate"] == 2.0 and np.isclose(m["ci_high"] - 2.0, half)
    assert out.loc[("after", "flag"), "estimate"] == 1.0


def test_change_covers_the_true_difference_in_simulation():
    rng = np.random.default_rng(0)
    covered = 0
    for _ in range(200):
        df = pd.DataFrame(
            {
                "wave": ["before"] * 80 + ["after"] * 90,
                "safe": np.r_[rng.random(80) < 0.3, rng.random(90) < 0.6],
                "score": np.r_[rng.normal(2.5, 1, 80), rng.normal(3.0, 1, 90)],
            }
        )
        out = survey_change(df).set_index("item")
        covered += out.loc["safe", "ci_low"] < 0.3 < out.loc["safe", "ci_high"]
        covered += out.loc["score", "ci_low"] < 0.5 < out.loc["score", "ci_high"]
    assert 0.92 < covered / 400 < 0.98


def test_change_welch_p_value_and_errors():
    df = pd.DataFrame({"wave": ["before"] * 5 + ["after"] * 5, "x": [1, 2, 3, 2, 1, 3, 4, 5, 4, 3]})
    row = survey_change(df).iloc[0]
    expected = stats.ttest_ind([3, 4, 5, 4, 3], [1, 2, 3, 2, 1], equal_var=False).pvalue
    assert np.isclose(row["p_value"], expected)
    with pytest.raises(ValueError, match="values present"):
        survey_change(df, after="later")


def test_change_of_shares_matches_newcombes_published_interval():
    # Newcombe (1998) table II, example (a): 56/70 vs 48/80, method 10: 0.0524 to 0.3339
    df = pd.DataFrame(
        {
            "wave": ["after"] * 70 + ["before"] * 80,
            "yes": [1] * 56 + [0] * 14 + [1] * 48 + [0] * 32,
        }
    )
    row = survey_change(df).iloc[0]
    assert row["difference"] == pytest.approx(0.2)
    assert (round(row["ci_low"], 4), round(row["ci_high"], 4)) == (0.0524, 0.3339)
