"""Tests for commlib.evaluation: weighted scores, bootstrap intervals, sensitivity, scorecard."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from commlib.errors import CommlibError, MissingColumnsError
from commlib.evaluation import (
    DEFAULT_WEIGHTS,
    Scorecard,
    plot_scorecard,
    plot_weight_sensitivity,
    scorecard,
    scorecard_chart,
    weight_sensitivity,
    weight_sensitivity_chart,
    weighted_satisfaction,
)


@pytest.fixture
def survey() -> pd.DataFrame:
    """Two projects: 电梯 loved by supporters, 栈道 won over its objectors; 车棚 has one."""
    return pd.DataFrame(
        {
            "project": ["电梯"] * 8 + ["栈道"] * 5 + ["车棚"],
            "stance": ["支持"] * 6 + ["反对"] * 2 + ["反对"] * 3 + ["中立", "支持"] + ["反对"],
            "q1": [5, 5, 5, 5, 5, 5, 1, 2, 4, 4, 4, 4, 4, 3],
            "q2": [5, 4, 5, 5, 5, 5, 2, 1, 4, 5, 4, 4, 3, 3],
        }
    )


@pytest.fixture
def projects() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project": ["电梯", "栈道", "车棚"],
            "committee": ["甲居委", "乙居委", "甲居委"],
            "social_worker": ["小王", "小李", "小王"],
            "baseline": [0, 30, 10],
            "target": [10, 10, 0],
            "actual": [5, 10, 2],
            "volunteers": [3, 10, 1],
            "talents": [1, 4, 0],
        }
    )


def _by_project(df: pd.DataFrame) -> pd.DataFrame:
    return df.set_index("project")


# ----------------------------------------------------------------- weighted scores
def test_weighting_by_hand_and_ranking_flips(survey):
    res = _by_project(weighted_satisfaction(survey, score=["q1", "q2"], n_boot=0))
    # respondent scores: 电梯 supporters 5, 4.5, 5, 5, 5, 5; objectors 1.5, 1.5
    x = np.array([5, 4.5, 5, 5, 5, 5, 1.5, 1.5])
    w = np.array([1, 1, 1, 1, 1, 1, 3, 3])
    assert res.loc["电梯", "score"] == pytest.approx((w * x).sum() / w.sum())
    assert res.loc["电梯", "score_unweighted"] == pytest.approx(x.mean())
    assert res.loc["电梯", "n_effective"] == pytest.approx(w.sum() ** 2 / (w**2).sum())
    assert res.loc["电梯", ["n_反对", "n_中立", "n_支持"]].tolist() == [2, 0, 6]
    # plain mean puts 电梯 above 栈道; weighting objectors puts 栈道 first
    assert res.loc["电梯", "rank_unweighted"] < res.loc["栈道", "rank_unweighted"]
    assert res.loc["栈道", "rank"] < res.loc["电梯", "rank"]
    assert res.loc["电梯", "shift"] < 0


def test_equal_weights_give_the_plain_mean(survey):
    res = weighted_satisfaction(
        survey, score="q1", weights={"反对": 2, "中立": 2, "支持": 2}, n_boot=0
    )
    assert np.allclose(res["score"], res["score_unweighted"])
    assert (res["rank"] == res["rank_unweighted"]).all()


def test_weights_only_ratios_matter(survey):
    a = weighted_satisfaction(survey, score="q1", weights={"反对": 3, "中立": 1.5, "支持": 1})
    b = weighted_satisfaction(survey, score="q1", weights={"反对": 30, "中立": 15, "支持": 10})
    assert np.allclose(a["score"], b["score"])
    assert np.allclose(a["ci_low"], b["ci_low"], equal_nan=True)


def test_default_weights_favour_objectors_and_are_recorded(survey):
    assert DEFAULT_WEIGHTS["反对"] > DEFAULT_WEIGHTS["中立"] > DEFAULT_WEIGHTS["支持"] > 0
    res = weighted_satisfaction(survey, score="q1", n_boot=0)
    assert res.attrs["weights"] == DEFAULT_WEIGHTS


@pytest.mark.parametrize(
    "weights, match",
    [
        ({"反对": -1, "中立": 1, "支持": 1}, ">= 0"),
        ({"反对": float("nan"), "中立": 1, "支持": 1}, ">= 0"),
        ({"反对": "三", "中立": 1, "支持": 1}, "not a number"),
        ({"反对": 0, "中立": 0, "支持": 0}, "greater than 0"),
        ({"反对": 3, "支持": 1}, "'中立'"),
    ],
)
def test_bad_weights_are_refused(survey, weights, match):
    with pytest.raises(CommlibError, match=match):
        weighted_satisfaction(survey, score="q1", weights=weights)


def test_weights_must_be_a_mapping_and_other_columns_need_explicit_weights(survey):
    with pytest.raises(TypeError):
        weighted_satisfaction(survey, score="q1", weights=[3, 1.5, 1])
    with pytest.raises(CommlibError, match="no default weights"):
        weighted_satisfaction(survey, score="q1", weight_by="project")


def test_missing_column_is_named(survey):
    with pytest.raises(MissingColumnsError, match="stance"):
        weighted_satisfaction(survey.drop(columns="stance"), score="q1")


def test_non_numeric_rating_is_refused(survey):
    bad = survey.astype({"q1": object})
    bad.loc[0, "q1"] = "很满意"
    with pytest.raises(CommlibError, match="q1"):
        weighted_satisfaction(bad, score="q1")


def test_single_respondent_gets_a_score_and_no_interval(survey):
    res = _by_project(weighted_satisfaction(survey, score=["q1", "q2"]))
    row = res.loc["车棚"]
    assert row["n"] == 1 and row["score"] == 3.0
    assert np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])
    assert "1 位受访者" in row["note"]
    # the other projects do get intervals, and a small one is cautioned
    assert res.loc["栈道", "ci_low"] <= res.loc["栈道", "score"] <= res.loc["栈道", "ci_high"]
    assert "谨慎" in res.loc["栈道", "note"]


def test_only_one_respondent_in_the_whole_survey():
    one = pd.DataFrame({"project": ["A"], "stance": ["支持"], "q": [4]})
    res = weighted_satisfaction(one, score="q")
    assert res["score"].tolist() == [4.0] and res["ci_low"].isna().all()


def test_bootstrap_interval_covers_the_true_mean():
    rng = np.random.default_rng(11)
    n = 400
    truth = 3.2
    planted = pd.DataFrame(
        {
            "project": "A",
            "stance": rng.choice(["反对", "中立", "支持"], size=n),
            "q": truth + rng.normal(0, 0.8, size=n),
        }
    )
    res = weighted_satisfaction(planted, score="q", n_boot=1000, random_state=3).iloc[0]
    assert res["ci_low"] < truth < res["ci_high"]
    assert res["ci_high"] - res["ci_low"] < 0.4  # and it is not uselessly wide
    wider = weighted_satisfaction(planted, score="q", n_boot=1000, ci=0.99, random_state=3)
    assert wider["ci_high"].iloc[0] - wider["ci_low"].iloc[0] > res["ci_high"] - res["ci_low"]


def test_deterministic_and_per_project_streams(survey):
    a = weighted_satisfaction(survey, score="q1", random_state=5)
    b = weighted_satisfaction(survey, score="q1", random_state=5)
    pd.testing.assert_frame_equal(a, b)
    rng = np.random.default_rng(0)
    noisy = pd.DataFrame({"project": "A", "stance": "中立", "q": rng.normal(3, 1, size=60)})
    c5 = weighted_satisfaction(noisy, score="q", random_state=5)
    c6 = weighted_satisfaction(noisy, score="q", random_state=6)
    assert c5["ci_low"].iloc[0] != c6["ci_low"].iloc[0]  # the seed is really used
    # dropping one project leaves the others' intervals unchanged
    d = weighted_satisfaction(survey[survey["project"] != "电梯"], score="q1", random_state=5)
    assert _by_project(d).loc["栈道", "ci_low"] == _by_project(a).loc["栈道", "ci_low"]


def test_input_not_mutated(survey, projects):
    before_s, before_p = survey.copy(), projects.copy()
    weighted_satisfaction(survey, score=["q1", "q2"])
    weight_sensitivity(survey, score="q1")
    scorecard(survey, projects, score="q1", n_boot=10)
    pd.testing.assert_frame_equal(survey, before_s)
    pd.testing.assert_frame_equal(projects, before_p)


def test_unanswered_rows_are_dropped_and_counted(survey):
    s = survey.astype({"q1": float, "q2": float})
    s.loc[0, ["q1", "q2"]] = np.nan
    s.loc[1, "q2"] = np.nan  # one answer is enough
    res = weighted_satisfaction(s, score=["q1", "q2"], n_boot=0)
    assert res.attrs["dropped"] == 1
    assert _by_project(res).loc["电梯", "n"] == 7


# --------------------------------------------------------------------- sensitivity
def test_sensitivity_flags_only_projects_whose_rank_moves(survey):
    extra = pd.DataFrame({"project": ["公园"] * 3, "stance": ["反对", "中立", "支持"]})
    extra["q1"] = [5, 5, 5]
    table = weight_sensitivity(pd.concat([survey, extra]), score="q1", grid=[1, 2, 3, 6])
    flags = table.groupby("project")["rank_changes"].first()
    assert bool(flags["电梯"]) and bool(flags["栈道"])
    assert not flags["公园"]  # best for everybody, whatever the weight
    assert len(table) == 4 * 4
    # at the default weight it agrees with weighted_satisfaction
    at3 = _by_project(table[table["weight"] == 3.0])
    ws = _by_project(weighted_satisfaction(pd.concat([survey, extra]), score="q1", n_boot=0))
    assert np.allclose(at3.loc[ws.index, "score"], ws["score"])


def test_sensitivity_validates(survey):
    with pytest.raises(CommlibError, match="vary"):
        weight_sensitivity(survey, score="q1", vary="不存在")
    with pytest.raises(ValueError):
        weight_sensitivity(survey, score="q1", grid=[-1, 2])


def test_weight_sensitivity_chart(survey):
    table = weight_sensitivity(survey, score="q1")
    ax = weight_sensitivity_chart(table)
    assert len(ax.lines) >= 3  # one per project, plus the marker of the weight in use
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # rank 1 on top
    assert ax.get_xlabel()
    ax2 = weight_sensitivity_chart(table, y="score", lang="en")
    assert "weight" in ax2.get_xlabel()


# ----------------------------------------------------------------------- scorecard
def test_scorecard_levels(survey, projects):
    card = scorecard(survey, projects, score="q1", n_boot=0)
    assert isinstance(card, Scorecard)
    p = _by_project(card.projects)
    assert p.loc["栈道", "goal_progress"] == pytest.approx(1.0)  # 30 -> 10, target 10
    assert p.loc["电梯", "goal_progress"] == pytest.approx(0.5)
    assert p.loc["电梯", "objectors_score"] == pytest.approx(1.5)
    assert p.loc["栈道", "talents"] == 4
    w = card.social_workers.set_index("social_worker")
    assert w.loc["小王", "projects"] == 2 and w.loc["小王", "talents"] == 1
    assert w.loc["小王", "score_mean"] == pytest.approx(p.loc[["电梯", "车棚"], "score"].mean())
    c = card.committees.set_index("committee")
    assert c.loc["甲居委", "volunteers"] == 4 and c.loc["甲居委", "social_workers"] == 1
    assert card.weights == DEFAULT_WEIGHTS


def test_scorecard_refuses_unknown_or_repeated_projects(survey, projects):
    with pytest.raises(CommlibError, match="车棚"):
        scorecard(survey, projects[projects["project"] != "车棚"], score="q1", n_boot=0)
    with pytest.raises(CommlibError, match="more than once"):
        scorecard(survey, pd.concat([projects, projects.head(1)]), score="q1", n_boot=0)


def test_scorecard_chart(survey, projects):
    card = scorecard(survey, projects, score="q1", n_boot=0)
    ax = scorecard_chart(card)
    assert len(ax.get_yticklabels()) == 3
    assert any(t.get_text() == "4" for t in ax.texts)  # raw values are printed
    ax = scorecard_chart(card, level="committee", lang="en")
    assert len(ax.get_yticklabels()) == 2
    with pytest.raises(ValueError):
        scorecard_chart(card, level="district")


def test_english_charts_and_notes_have_no_chinese(survey, projects):
    from commlib._util import has_cjk

    few = survey[survey["project"] == survey["project"].iloc[0]].head(3)
    zh = weighted_satisfaction(few, score="q1", n_boot=50)
    en = weighted_satisfaction(few, score="q1", n_boot=50, lang="en")
    assert has_cjk(zh["note"].iloc[0]) and en["note"].iloc[0].startswith("fewer than")
    pd.testing.assert_frame_equal(zh.drop(columns="note"), en.drop(columns="note"))
    ax = weight_sensitivity_chart(weight_sensitivity(survey, score="q1", vary="反对"), lang="en")
    words = [ax.get_ylabel(), ax.get_title()] + [t.get_text() for t in ax.texts[-1:]]
    assert not any(has_cjk(w) for w in words), words
    card = scorecard(survey, projects, score="q1", n_boot=0)
    ax = scorecard_chart(card, lang="en")
    words = [ax.get_title()] + [t.get_text() for t in ax.get_xticklabels()]
    assert not any(has_cjk(w) for w in words), words


def test_old_chart_names_warn(survey, projects):
    card = scorecard(survey, projects, score="q1", n_boot=0)
    with pytest.warns(FutureWarning, match="scorecard_chart"):
        plot_scorecard(card)
    with pytest.warns(FutureWarning, match="weight_sensitivity_chart"):
        plot_weight_sensitivity(weight_sensitivity(survey, score="q1"))
