"""Tests for commlib.courses: overlap groups, merges, hours saved, the threshold curve."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from commlib.courses import (
    OverlapResult,
    find_overlaps,
    plot_threshold_curve,
    threshold_curve,
    threshold_curve_chart,
)
from commlib.errors import CommlibError, MissingColumnsError


@pytest.fixture
def distinct() -> pd.DataFrame:
    """Four courses on unrelated subjects: nothing to merge."""
    return pd.DataFrame(
        {
            "course_id": ["A", "B", "C", "D"],
            "unit": ["区司法局", "区卫健委", "区人社局", "区残联"],
            "title": ["人民调解实务", "家庭医生签约", "就业援助", "无障碍设施改造"],
            "syllabus": [
                "邻里纠纷调解技巧与调解协议书",
                "慢病管理与健康宣教讲座",
                "公益性岗位与创业担保贷款",
                "残疾人证办理与辅具适配",
            ],
            "hours": [40, 16, 24, 12],
        }
    )


@pytest.fixture
def mixed() -> pd.DataFrame:
    """Two overlapping pairs written differently, and one course on its own."""
    return pd.DataFrame(
        {
            "course_id": ["W1", "M1", "W2", "M2", "X"],
            "unit": ["区绿化市容局", "区司法局", "街道城运中心", "街道综治中心", "区残联"],
            "title": [
                "生活垃圾分类实务",
                "人民调解实务",
                "垃圾分类督导员培训",
                "邻里纠纷调解技巧",
                "无障碍设施改造",
            ],
            "syllabus": [
                "垃圾分类标准；定时定点投放；垃圾箱房管理",
                "邻里纠纷调解程序；调解协议书",
                "垃圾分类标准与误区；定时定点投放督导；垃圾箱房巡查",
                "邻里纠纷类型；调解技巧；矛盾排查",
                "残疾人证办理与辅具适配",
            ],
            "hours": [16, 40, 24, 16, 12],
        }
    )


def test_no_overlaps_nothing_merged(distinct):
    res = find_overlaps(distinct)
    assert isinstance(res, OverlapResult)
    assert (res.groups["role"] == "alone").all()
    assert res.groups["group"].nunique() == 4
    assert res.merges.empty
    assert res.summary["courses_merged_away"] == 0 and res.summary["hours_saved"] == 0
    assert res.summary["hours_after"] == res.summary["hours_before"] == 92


def test_identical_courses_form_one_group():
    same = pd.DataFrame(
        {
            "course_id": [f"K{i}" for i in range(5)],
            "title": ["社区安全隐患排查"] * 5,
            "syllabus": ["消防隐患排查；飞线充电；应急演练"] * 5,
            "hours": [8, 32, 16, 32, 4],
        }
    )
    res = find_overlaps(same, unit=None, threshold=0.99)
    assert res.groups["group"].nunique() == 1
    assert len(res.merges) == 1
    m = res.merges.iloc[0]
    assert m["kept"] == "K1"  # most hours; the tie with K3 goes to the first
    assert m["hours_saved"] == 92 - 32 and m["hours_after"] == 32
    assert res.summary["courses_merged_away"] == 4 and res.summary["courses_after"] == 1
    assert res.groups["role"].tolist() == ["merge", "keep", "merge", "merge", "merge"]
    assert np.allclose(res.similarity.to_numpy(), 1.0)


def test_overlapping_pairs_found_and_merged_into_the_longest(mixed):
    res = find_overlaps(mixed, threshold=0.2)
    g = res.groups.set_index("course_id")["group"]
    assert g["W1"] == g["W2"] and g["M1"] == g["M2"]
    assert g["W1"] != g["M1"] and g["X"] not in (g["W1"], g["M1"])
    merges = res.merges.set_index("kept")
    assert set(merges.index) == {"W2", "M1"}
    assert merges.loc["M1", "merged"] == "M2" and merges.loc["M1", "hours_saved"] == 16
    assert merges.loc["W2", "hours_saved"] == 16
    assert merges.loc["W2", "units"] == "区绿化市容局、街道城运中心"
    assert res.summary["hours_saved"] == 32 and res.summary["groups"] == 2
    # the hours add up: before = after + saved, per group and in total
    assert (
        res.merges["hours_before"] == res.merges["hours_after"] + res.merges["hours_saved"]
    ).all()


def test_threshold_moves_the_groups(mixed):
    loose = find_overlaps(mixed, threshold=0.0)
    strict = find_overlaps(mixed, threshold=1.0)
    assert loose.summary["courses_merged_away"] == 4  # everything in one group
    assert strict.summary["courses_merged_away"] == 0


def test_threshold_curve_matches_find_overlaps_and_is_monotone(mixed):
    ts = [0.0, 0.1, 0.2, 0.5, 0.9, 1.0]
    curve = threshold_curve(mixed, thresholds=ts)
    assert curve["threshold"].tolist() == ts
    assert curve["hours_saved"].is_monotonic_decreasing
    for t, saved in zip(curve["threshold"], curve["hours_saved"], strict=True):
        assert find_overlaps(mixed, threshold=t).summary["hours_saved"] == saved


def test_single_linkage_chains_what_average_keeps_apart():
    # B shares words with both A and C, which share nothing with each other
    df = pd.DataFrame(
        {
            "title": ["消防安全", "消防安全 垃圾分类", "垃圾分类"],
            "syllabus": [
                "灭火器 疏散演练",
                "灭火器 疏散演练 定时定点 垃圾箱房",
                "定时定点 垃圾箱房",
            ],
            "hours": [10, 10, 10],
        }
    )
    t = 0.5
    single = find_overlaps(df, course=None, unit=None, threshold=t, linkage="single")
    average = find_overlaps(df, course=None, unit=None, threshold=t, linkage="average")
    assert single.summary["groups"] == 1 and single.summary["courses_merged_away"] == 2
    assert average.summary["courses_merged_away"] < 2


def test_deterministic_and_input_not_mutated(mixed):
    before = mixed.copy()
    a = find_overlaps(mixed)
    b = find_overlaps(mixed)
    pd.testing.assert_frame_equal(a.groups, b.groups)
    pd.testing.assert_frame_equal(a.merges, b.merges)
    pd.testing.assert_frame_equal(mixed, before)
    # row order does not change which courses group together
    c = find_overlaps(mixed.iloc[::-1].reset_index(drop=True))
    key = lambda r: sorted(sorted(g) for g in r.groups.groupby("group")["course_id"].agg(list))  # noqa: E731
    assert key(a) == key(c)


def test_validation(mixed):
    with pytest.raises(MissingColumnsError, match="syllabus"):
        find_overlaps(mixed.drop(columns="syllabus"))
    bad = mixed.assign(hours=[16, -1, 24, 16, 12])
    with pytest.raises(CommlibError, match="hours"):
        find_overlaps(bad)
    with pytest.raises(CommlibError, match="unique"):
        find_overlaps(mixed.assign(course_id=["A", "A", "B", "C", "D"]))
    with pytest.raises(ValueError):
        find_overlaps(mixed, threshold=1.5)
    with pytest.raises(ValueError):
        find_overlaps(mixed, linkage="ward")


def test_one_course_and_empty_text():
    one = pd.DataFrame({"course_id": ["A"], "title": ["培训"], "syllabus": [""], "hours": [8]})
    res = find_overlaps(one, unit=None)
    assert res.groups["role"].tolist() == ["alone"] and res.summary["hours_saved"] == 0
    blanks = pd.DataFrame(
        {"course_id": ["A", "B"], "title": ["", ""], "syllabus": [None, None], "hours": [8, 4]}
    )
    # two courses with no words are not "the same course"
    assert find_overlaps(blanks, unit=None).summary["courses_merged_away"] == 0


def test_threshold_curve_chart(mixed):
    from commlib._util import has_cjk

    curve = threshold_curve(mixed, thresholds=[0.1, 0.3, 0.6])
    ax = threshold_curve_chart(curve, mark=0.3)
    assert len(ax.figure.axes) == 2
    assert ax.get_xlabel() == "相似度阈值"
    en = threshold_curve_chart(curve, mark=0.3, lang="en")
    assert en.get_ylabel() == "hours saved"
    words = [en.get_xlabel(), en.get_title(), en.figure.axes[1].get_ylabel()]
    words += [t.get_text() for t in en.texts]
    assert not any(has_cjk(w) for w in words), words
    with pytest.warns(FutureWarning, match="threshold_curve_chart"):
        assert plot_threshold_curve(curve, lang="en").get_ylabel() == "hours saved"
