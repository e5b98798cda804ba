"""Tests for commlib.dispatch: TicketRouter and dispatch_report."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

from commlib._util import has_cjk
from commlib.datasets import load_sample
from commlib.dispatch import (
    DispatchReport,
    TicketRouter,
    _fit_temperature,
    dispatch_confusion_chart,
    dispatch_report,
    plot_dispatch_confusion,
)
from commlib.errors import MissingColumnsError

# three departments with their own words, twelve tickets each, two categories
_WORDS = {
    "城管执法中队": ["外摆位占道", "流动摊贩占道经营", "夜间施工噪音", "违章搭建阳台"],
    "区邮政管理局": ["快递丢失", "快递虚假签收", "快递驿站收费", "快递被拿走"],
    "路灯管理所": ["路灯不亮", "路灯一闪一闪", "灯杆倒了", "路灯坏了很黑"],
}
_CATS = {"城管执法中队": "占道经营", "区邮政管理局": "快递物流", "路灯管理所": "路灯照明"}
_TAILS = ["，希望处理", "，好几天了", "，请尽快解决"]


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    rows = []
    for dept, phrases in _WORDS.items():
        for p in phrases:
            for tail in _TAILS:
                rows.append({"text": p + tail, "category": _CATS[dept], "department": dept})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def duties() -> pd.DataFrame:
    return load_sample("departments")


@pytest.fixture(scope="module")
def fitted(corpus, duties) -> TicketRouter:
    return TicketRouter(duties=duties, min_df=1).fit(corpus, corpus["department"])


# The router also takes a numeric matrix (as TicketClusterer does), so the common
# checks run on that path; none is skipped.
@parametrize_with_checks([TicketRouter(cv=2)])
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_learns_departments_and_top_k(fitted):
    new = pd.DataFrame(
        {"text": ["门口快递又丢失了", "晚上路灯不亮"], "category": ["快递物流", "路灯照明"]}
    )
    assert fitted.predict(new).tolist() == ["区邮政管理局", "路灯管理所"]
    labels, proba = fitted.predict_top_k(new, k=3, return_proba=True)
    assert labels.shape == (2, 3) and labels[0, 0] == "区邮政管理局"
    assert (np.diff(proba, axis=1) <= 0).all()
    full = fitted.predict_proba(new)
    assert np.allclose(full.sum(axis=1), 1.0)
    assert (fitted.classes_[full.argmax(axis=1)] == fitted.predict(new)).all()


def test_duty_list_lets_a_department_without_tickets_be_suggested(corpus, duties, fitted):
    assert "街道社区服务办" in fitted.duty_only_
    assert fitted.class_counts_["街道社区服务办"] == 0
    elderly = ["独居老人多日无人应答，请上门关爱探访", "想申请养老服务补贴和长护险评估"]
    assert (fitted.predict_top_k(elderly, k=3) == "街道社区服务办").any(axis=1).all()
    plain = TicketRouter(min_df=1).fit(corpus, corpus["department"])
    assert "街道社区服务办" not in plain.classes_


def test_accepts_lists_series_arrow_strings_and_pickles(corpus, fitted):
    texts = corpus["text"].astype("str")  # Arrow-backed in pandas 3
    router = TicketRouter(min_df=1).fit(texts, corpus["department"])
    assert router.category_encoder_ is None
    assert (router.predict(texts.tolist()) == corpus["department"].to_numpy()).mean() > 0.9
    again = pickle.loads(pickle.dumps(fitted))
    assert (again.predict(corpus) == fitted.predict(corpus)).all()
    assert clone(fitted).get_params()["min_df"] == 1


def test_category_column_is_optional_at_predict(fitted):
    # fitted with categories; a frame without them still works (zeros for the block)
    out = fitted.predict(pd.DataFrame({"text": ["快递丢失了"]}))
    assert out.tolist() == ["区邮政管理局"]


def test_clear_errors(corpus, fitted):
    with pytest.raises(MissingColumnsError, match="'text'"):
        fitted.predict(pd.DataFrame({"content": ["快递"]}))
    with pytest.raises(TypeError, match="single string"):
        fitted.predict("快递丢失")
    with pytest.raises(ValueError, match="at least 2 departments"):
        TicketRouter(min_df=1).fit(["快递丢失", "快递没了"], ["区邮政管理局"] * 2)
    with pytest.raises(ValueError, match="class_weight must be"):
        TicketRouter(class_weight="auto").fit(corpus, corpus["department"])


def test_random_state_makes_fits_repeatable(corpus):
    a = TicketRouter(min_df=1, random_state=3).fit(corpus, corpus["department"])
    b = TicketRouter(min_df=1, random_state=3).fit(corpus, corpus["department"])
    assert np.array_equal(a.predict_proba(corpus), b.predict_proba(corpus))


# ---------------------------------------------------------------------- the report
def test_report_from_top_k_counts_bounces():
    y = ["A", "A", "B", "C", "C"]
    top = np.array([["A", "B"], ["B", "A"], ["B", "A"], ["A", "C"], ["C", "A"]], dtype=object)
    rep = dispatch_report(y, top, k=2, transfer_path=["", "B|C", None, "A", ""])
    assert isinstance(rep, DispatchReport)
    s = rep.summary
    assert s["top1_accuracy"] == pytest.approx(3 / 5)
    assert s["top2_accuracy"] == 1.0
    assert s["bounced_before"] == pytest.approx(2 / 5)
    assert s["would_bounce"] == pytest.approx(2 / 5)
    assert s["bounced_fixed"] == 0.0
    assert rep.confusion.to_numpy().sum() == 5
    pair = rep.confused_pairs.iloc[0]
    assert {pair["department_a"], pair["department_b"]} == {"A", "B"} or pair["n"] == 1
    assert rep.confused_pairs["n"].sum() == 2


def test_report_from_probabilities_matches_top_k(fitted, corpus):
    proba = fitted.predict_proba(corpus)
    a = dispatch_report(corpus["department"], proba, classes=fitted.classes_)
    b = dispatch_report(corpus["department"], fitted.predict_top_k(corpus, k=3))
    c = dispatch_report(corpus["department"], pd.DataFrame(proba, columns=fitted.classes_))
    pd.testing.assert_series_equal(a.summary, b.summary)
    pd.testing.assert_series_equal(a.summary, c.summary)
    assert a.summary["macro_f1"] > 0.9
    with pytest.raises(ValueError, match="classes"):
        dispatch_report(corpus["department"], proba)


def test_confusion_chart(fitted, corpus):
    rep = dispatch_report(corpus["department"], fitted.predict(corpus))
    ax = dispatch_confusion_chart(rep)
    assert ax.get_xlabel() == "建议部门" and ax.get_title().startswith("派单混淆矩阵")
    assert len(ax.get_yticklabels()) == len(rep.confusion)


@pytest.mark.slow
def test_on_the_sample_with_a_time_split(duties, sample_tickets):
    t = sample_tickets
    past, new = t[t["created_at"] < "2025-01-01"], t[t["created_at"] >= "2025-01-01"]
    router = TicketRouter(duties=duties).fit(past, past["department"])
    rep = dispatch_report(
        new["department"],
        router.predict_proba(new),
        classes=router.classes_,
        transfer_path=new["transfer_path"],
    )
    # the sample draws the department at random within a category (70/20/10), so
    # top-1 cannot pass about 0.76; top-3 nearly always holds the right one
    assert rep.summary["top1_accuracy"] > 0.65
    assert rep.summary["top3_accuracy"] > 0.95
    assert rep.summary["would_bounce"] < 0.35


def test_confusion_chart_in_english_has_no_chinese_but_the_data():
    rep = dispatch_report(["Sanitation", "Police"], ["Sanitation", "Sanitation"])
    ax = dispatch_confusion_chart(rep, lang="en", normalize=False)
    words = [ax.get_xlabel(), ax.get_ylabel(), ax.get_title()]
    assert not any(has_cjk(w) for w in words), words
    with pytest.warns(FutureWarning, match="dispatch_confusion_chart"):
        old = plot_dispatch_confusion(rep, lang="en")
    assert old.get_xlabel() == "suggested department"


def test_temperature_matches_scikit_learns_temperature_scaling():
    # the router's own temperature (kept: it calibrates on the real tickets only, see
    # the class notes) must agree with scikit-learn's where both apply: unweighted scores
    sklearn_calibration = pytest.importorskip("sklearn.calibration")
    from sklearn.frozen import FrozenEstimator
    from sklearn.svm import LinearSVC

    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 5))
    y = np.argmax(X[:, :3] + rng.normal(scale=1.5, size=(600, 3)), axis=1)
    svm = LinearSVC(random_state=0).fit(X, y)
    try:
        cal = sklearn_calibration.CalibratedClassifierCV(
            FrozenEstimator(svm), method="temperature"
        ).fit(X, y)
    except ValueError:
        pytest.skip("this scikit-learn has no method='temperature' (added in 1.8)")
    beta = float(cal.calibrated_classifiers_[0].calibrators[0].beta_)
    ours = _fit_temperature(svm.decision_function(X), y)
    assert ours == pytest.approx(1 / beta, rel=1e-3)
    np.testing.assert_allclose(
        cal.predict_proba(X),
        _softmax_of(svm, X, ours),
        atol=1e-4,
    )


def _softmax_of(svm, X, temperature):
    from commlib.dispatch import _softmax

    return _softmax(svm.decision_function(X) / temperature)


# ------------------------------------------------- short English descriptors (issue 14)


def _descriptors():
    # NYC-style descriptors: two agencies' descriptors are made only of stop words
    rows = [("APARTMENT ONLY", "HEAT/HOT WATER", "HPD")] * 20
    rows += [("STREET", "Dirty Condition", "DSNY")] * 20
    rows += [("Loud Music/Party", "Noise - Residential", "NYPD")] * 40
    rows += [("N/A", "Encampment", "NYPD")] * 12 + [("N/A", "Encampment", "DHS")] * 3
    rows += [("Pothole", "Street Condition", "DOT")] * 5
    return pd.DataFrame(rows, columns=["text", "category", "department"])


def test_a_descriptor_made_only_of_stop_words_is_still_routed():
    df = _descriptors()
    router = TicketRouter(mode="english", use_category=False, min_df=1, max_df=1.0)
    router.fit(df[["text"]], df["department"])
    # without the fallback both descriptors become empty and get one same answer
    assert router.predict(["APARTMENT ONLY", "STREET"]).tolist() == ["HPD", "DSNY"]
    assert router.predict(["apartment only"]).tolist() == ["HPD"]


def test_an_empty_text_falls_back_to_the_category_or_the_prior():
    df = _descriptors()
    router = TicketRouter(mode="english", min_df=1, max_df=1.0).fit(df, df["department"])
    new = pd.DataFrame(
        {"text": ["N/A", "", "N/A"], "category": ["Encampment", "HEAT/HOT WATER", "unknown"]}
    )
    # N/A names no agency: the category's agencies decide, else the commonest agency
    assert router.predict(new).tolist() == ["NYPD", "HPD", "NYPD"]
    proba = router.predict_proba(new)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    enc = dict(zip(router.classes_, proba[0], strict=True))
    assert enc["NYPD"] == pytest.approx(0.8) and enc["DHS"] == pytest.approx(0.2)
    text_only = TicketRouter(mode="english", use_category=False, min_df=1, max_df=1.0)
    text_only.fit(df[["text"]], df["department"])
    assert text_only.predict(["N/A", "   "]).tolist() == ["NYPD", "NYPD"]


def test_min_df_never_empties_a_ticket():
    # NYC 311 (nyc311_sample.csv): a small agency's descriptors are each seen about once
    # (Laundromat, Home Improvement Contractor); min_df=2 emptied them, so such a
    # ticket taught nothing and, when it came again, went to the commonest agency
    df = _descriptors()
    once = ["Laundromat", "Home Improvement Contractor", "Barber Shop", "Tow Company"]
    df = pd.concat(
        [df, pd.DataFrame({"text": once, "category": "Consumer", "department": "DCWP"})],
        ignore_index=True,
    )
    # a rare word in a ticket that keeps other words is still dropped by min_df
    df.loc[40, "text"] = "Loud Music/Party zyxwv"
    router = TicketRouter(mode="english", use_category=False).fit(df[["text"]], df["department"])
    assert router.predict(once).tolist() == ["DCWP"] * len(once)
    vocabulary = router.word_vectorizer_.vocabulary_
    assert "laundromat" in vocabulary and "home improvement" in vocabulary
    assert "zyxwv" not in vocabulary
    # the pruned vectorizer gives the fitted block: no drift between fit and predict
    again = TicketRouter(mode="english", use_category=False).fit(df[["text"]], df["department"])
    np.testing.assert_array_equal(
        router.predict_proba(df[["text"]]), again.predict_proba(df[["text"]])
    )


def test_C_auto_picks_C_on_the_calibration_folds():
    df = _descriptors()
    router = TicketRouter(mode="english", use_category=False, C="auto")
    router.fit(df[["text"]], df["department"])
    assert list(router.C_scores_.index) == [0.25, 0.5, 1.0, 2.0]
    assert router.C_ == router.C_scores_.idxmax() and router.svm_.C == router.C_
    again = TicketRouter(mode="english", use_category=False, C="auto")
    again.fit(df[["text"]], df["department"])
    pd.testing.assert_series_equal(router.C_scores_, again.C_scores_)
    fixed = TicketRouter(mode="english", use_category=False, C=1.0)
    assert fixed.fit(df[["text"]], df["department"]).C_ == 1.0 and fixed.C_scores_ is None
    with pytest.raises(ValueError, match="C must be a positive number or 'auto'"):
        TicketRouter(C="big").fit(df[["text"]], df["department"])
