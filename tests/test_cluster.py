"""Tests of commlib.cluster: TicketClusterer, assign_themes, cluster_trends and charts."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score
from sklearn.utils.estimator_checks import parametrize_with_checks

from commlib._util import has_cjk
from commlib.cluster import (
    TicketClusterer,
    assign_themes,
    cluster_trends,
    cluster_trends_chart,
    plot_cluster_trends,
    plot_top_terms,
    top_terms_chart,
)

# Six clearly separated planted themes; every ticket also carries boilerplate and
# words shared by all themes, which the stop words and max_df must see through.
THEMES = {
    "noise": ["装修", "噪音", "吵", "电钻", "睡不着", "敲打"],
    "parcel": ["快递", "丢件", "包裹", "快递柜", "取件", "签收"],
    "waste": ["垃圾", "臭", "垃圾桶", "清运", "苍蝇", "满溢"],
    "ebike": ["电瓶车", "飞线充电", "私拉电线", "火灾", "插座", "电缆"],
    "cafe": ["外摆位", "咖啡", "占道经营", "桌椅", "人行道", "游客"],
    "leak": ["漏", "天花板", "渗水", "卫生间", "墙面", "霉斑"],
}
SHARED = ["居委", "晚上", "门口", "楼下", "邻居"]


def planted(n_per_theme=40, seed=0):
    rng = np.random.default_rng(seed)
    texts, truth = [], []
    for t, words in enumerate(THEMES.values()):
        for _ in range(n_per_theme):
            body = "，".join(rng.choice(words, 4, replace=False))
            extra = rng.choice(SHARED)
            texts.append(f"市民来电反映：{body}，{extra}，希望相关部门尽快处理")
            truth.append(t)
    order = rng.permutation(len(texts))
    return [texts[i] for i in order], np.array(truth)[order]


@pytest.fixture(scope="module")
def corpus():
    return planted()


@pytest.fixture(scope="module")
def fitted(corpus):
    texts, _ = corpus
    return TicketClusterer(6, min_cluster_size=0).fit(texts)


# scikit-learn's common checks feed numeric matrices. TicketClusterer accepts a numeric
# feature matrix (own TF-IDF, embeddings) as well as texts, so the whole suite applies to
# that path; the text path is tested below. No check is expected to fail.
@parametrize_with_checks([TicketClusterer(n_clusters=3)])
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_recovers_planted_themes(corpus, fitted):
    _, truth = corpus
    assert adjusted_rand_score(truth, fitted.labels_) > 0.95
    assert fitted.n_clusters_ == 6 and fitted.labels_.shape == truth.shape


def test_top_terms_are_the_planted_words(corpus, fitted):
    texts, truth = corpus
    for c in range(6):
        planted_theme = np.bincount(truth[fitted.labels_ == c]).argmax()
        words = set(list(THEMES.values())[planted_theme])
        top = fitted.top_terms_[c][:5]
        assert sum(any(w in t.split() for w in words) for t in top) >= 4, (c, top)
        # c-TF-IDF, not shared words: boilerplate and shared words are not distinctive
        assert not {"市民", "反映", "居委", "门口"} & set(top)
        assert len(fitted.top_term_scores_[c]) == len(fitted.top_terms_[c])


def test_names_and_summary(fitted):
    assert all(1 <= len(n.split("·")) <= 3 for n in fitted.names_.values())
    summary = fitted.summary()
    assert list(summary.columns) == ["cluster", "name", "size", "share", "top_terms", "examples"]
    assert summary["size"].sum() == len(fitted.labels_)
    assert summary["share"].sum() == pytest.approx(1.0)
    assert summary["size"].is_monotonic_decreasing
    assert all(len(ex) == 3 for ex in summary["examples"])


def test_representatives_are_members_nearest_the_centre(corpus, fitted):
    texts, _ = corpus
    reps = fitted.representatives_
    for _, row in reps.iterrows():
        assert fitted.labels_[row["index"]] == row["cluster"]
        assert texts[row["index"]] == row["text"]
    # the first representative is the member most similar to the centre
    for _, part in reps.groupby("cluster"):
        assert part["similarity"].is_monotonic_decreasing


def test_random_state_makes_fits_repeatable(corpus):
    texts, _ = corpus
    a = TicketClusterer(6, random_state=3).fit(texts)
    b = TicketClusterer(6, random_state=3).fit(texts)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    assert a.top_terms_ == b.top_terms_ and a.names_ == b.names_
    pd.testing.assert_frame_equal(a.representatives_, b.representatives_)


@pytest.mark.slow
def test_auto_k_finds_the_planted_number(corpus):
    texts, _ = corpus
    tc = TicketClusterer("auto", k_range=(3, 10)).fit(texts)
    assert abs(tc.n_clusters_ - 6) <= 1
    scores = tc.k_scores_
    assert list(scores.columns) == [
        "k", "stability", "stability_se", "stability_min", "inertia", "smallest_share", "chosen"
    ]
    assert scores["k"].tolist() == list(range(3, 11))
    assert scores.loc[scores["chosen"], "k"].item() == tc.n_clusters_


def test_tiny_clusters_fold_into_misc(corpus):
    texts, truth = corpus
    # keep only 12 of the 40 "leak" tickets: that theme falls under min_cluster_size
    leak = list(THEMES).index("leak")
    keep = np.flatnonzero(truth != leak).tolist() + np.flatnonzero(truth == leak)[:12].tolist()
    tc = TicketClusterer(6, min_cluster_size=15).fit([texts[i] for i in keep])
    assert tc.sizes_.index.tolist() == [0, 1, 2, 3, 4, -1]
    assert tc.sizes_[-1] == 12 and tc.names_[-1] == "其他/未归类"
    assert (tc.labels_[-12:] == -1).all() and (tc.labels_[:-12] >= 0).all()
    assert tc.center_labels_.tolist() == [0, 1, 2, 3, 4, -1]
    assert tc.predict(["卫生间天花板渗水，墙面霉斑"]).tolist() == [-1]
    assert tc.summary()["name"].iloc[-1] == "其他/未归类"
    # a share works too: 12 / 212 tickets is under 10 %
    assert -1 in TicketClusterer(6, min_cluster_size=0.1).fit([texts[i] for i in keep]).sizes_


def test_predict_places_new_tickets(fitted):
    new = {
        "noise": "楼上装修电钻太吵睡不着",
        "parcel": "快递柜取件时发现包裹丢件",
        "leak": "卫生间天花板渗水",
    }
    got = fitted.predict(list(new.values()))
    assert len(set(got.tolist())) == 3
    # each new ticket lands in the theme whose distinctive words are its planted words
    for (theme, _), c in zip(new.items(), got.tolist(), strict=True):
        assert set(fitted.top_terms_[c][:5]) & set(THEMES[theme]), (theme, c)
    assert fitted.transform(new).shape == (3, 6)


def test_predict_on_training_texts_gives_labels(corpus, fitted):
    texts, _ = corpus
    np.testing.assert_array_equal(fitted.predict(texts), fitted.labels_)


def test_accepts_arrow_backed_series_and_pickles(corpus, fitted):
    texts, _ = corpus
    s = pd.Series(texts, dtype="str")
    np.testing.assert_array_equal(fitted.predict(s), fitted.labels_)
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(again.predict(texts[:20]), fitted.labels_[:20])
    assert clone(fitted).get_params() == fitted.get_params()


def test_without_lsa_and_with_minibatch(corpus):
    texts, truth = corpus
    tc = TicketClusterer(6, n_components=None, algorithm="minibatch", min_cluster_size=0).fit(texts)
    assert tc.svd_ is None
    assert adjusted_rand_score(truth, tc.labels_) > 0.9


def test_english_mode():
    rng = np.random.default_rng(1)
    topics = [
        ["noise", "music", "party", "loud", "neighbor"],
        ["pothole", "street", "asphalt", "tire", "damage"],
        ["heat", "radiator", "boiler", "cold", "landlord"],
    ]
    texts, truth = [], []
    for t, words in enumerate(topics):
        for _ in range(30):
            texts.append(
                "Caller reports " + " ".join(rng.choice(words, 3, replace=False)) + " please"
            )
            truth.append(t)
    tc = TicketClusterer(3, mode="english", min_cluster_size=0).fit(texts)
    assert adjusted_rand_score(truth, tc.labels_) > 0.9
    assert all(t.isascii() for terms in tc.top_terms_.values() for t in terms)
    assert "caller" not in {t for terms in tc.top_terms_.values() for t in terms}


def test_empty_vocabulary_is_a_clear_error():
    with pytest.raises(ValueError, match="No term is left"):
        TicketClusterer(2, min_df=5).fit(["楼上很吵", "垃圾很臭", "快递丢了"])


def test_bad_parameters_are_rejected():
    with pytest.raises(ValueError, match="mode must be"):
        TicketClusterer(mode="pinyin").fit(["楼上很吵", "垃圾很臭"])
    with pytest.raises(ValueError, match="k_range"):
        TicketClusterer("auto", k_range=(10, 20), min_df=1).fit(["楼上很吵", "垃圾很臭", "很吵"])


def test_progress_false_is_silent_even_on_a_terminal(corpus, capsys, monkeypatch):
    texts, _ = corpus
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    TicketClusterer(6, progress=False, n_components=None).fit(texts[:60])
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_progress_true_shows_a_bar_whatever_the_environment(corpus, capsys, monkeypatch):
    texts, _ = corpus
    monkeypatch.setenv("CI", "true")  # must not matter: only progress= decides
    TicketClusterer(6, progress=True, n_components=None).fit(texts[:60])
    assert "TicketClusterer" in capsys.readouterr().err


def test_progress_default_follows_the_terminal_not_pytest_or_ci(corpus, capsys, monkeypatch):
    texts, _ = corpus
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    TicketClusterer(6, n_components=None).fit(texts[:60])
    assert "TicketClusterer" in capsys.readouterr().err
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)
    TicketClusterer(6, n_components=None).fit(texts[:60])
    assert capsys.readouterr().err == ""


def test_verbose_is_a_deprecated_alias_of_progress(corpus, capsys):
    texts, _ = corpus
    with pytest.warns(FutureWarning, match="progress"):
        tc = TicketClusterer(6, verbose=True, n_components=None)
    assert tc.progress is True
    tc.fit(texts[:60])
    assert "TicketClusterer" in capsys.readouterr().err


def test_assign_themes_feeds_pareto(corpus, fitted):
    texts, _ = corpus
    df = pd.DataFrame({"text": pd.Series(texts, dtype="str"), "n": range(len(texts))})
    out = assign_themes(df, fitted)
    assert "theme" not in df.columns  # input not mutated
    np.testing.assert_array_equal(out["theme_id"].to_numpy(), fitted.labels_)
    assert out["theme"].tolist() == [fitted.names_[c] for c in fitted.labels_]
    counts = out["theme"].value_counts()
    assert counts.sum() == len(df)
    pareto = pytest.importorskip("commlib.pareto")
    if hasattr(pareto, "pareto_table"):
        table = pareto.pareto_table(out, by="theme")
        assert len(table) >= 1


def _trend_frame():
    rng = np.random.default_rng(0)
    n = 300
    dates = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 90, n), unit="D")
    return pd.DataFrame(
        {
            "created_at": dates.strftime("%Y-%m-%d %H:%M"),  # strings, as raw tickets have
            "community": rng.choice(["兰亭苑", "桂香小区", "小村"], n, p=[0.5, 0.49, 0.01]),
            "theme": rng.choice(["噪音", "快递", "垃圾"], n),
        }
    )


def test_cluster_trends_shares_sum_to_one_and_flag_tiny_cells():
    df = _trend_frame()
    tr = cluster_trends(df, "theme", group="community", min_count=5)
    assert list(tr.columns) == [
        "period",
        "community",
        "theme",
        "count",
        "total",
        "share",
        "small_cell",
    ]
    assert tr["count"].sum() == len(df)
    cells = tr.groupby(["period", "community"])
    # every cell lists every theme
    assert (cells.size() == 3).all()
    ok = tr[~tr["small_cell"]]
    np.testing.assert_allclose(ok.groupby(["period", "community"])["share"].sum(), 1.0)
    tiny = tr[tr["small_cell"]]
    assert len(tiny) > 0 and (tiny["total"] < 5).all() and tiny["share"].isna().all()
    assert set(tiny["community"]) == {"小村"}
    by_month = cluster_trends(df, df["theme"].to_numpy())
    assert by_month["period"].nunique() == 3
    np.testing.assert_allclose(by_month.groupby("period")["share"].sum(), 1.0)


def test_cluster_trends_takes_a_clusterer_and_checks_lengths(corpus, fitted):
    texts, _ = corpus
    df = pd.DataFrame({"created_at": ["2024-01-05"] * len(texts), "text": texts})
    tr = cluster_trends(df, fitted)
    assert set(tr["theme"]) == set(fitted.names_.values())
    with pytest.raises(ValueError, match="labels has"):
        cluster_trends(df.iloc[:10], fitted)


def test_charts_return_figure_and_axes(fitted):
    import matplotlib.pyplot as plt

    fig = top_terms_chart(fitted, n_terms=5)
    assert len(fig.axes) == 6
    _, ax = plt.subplots()
    tr = cluster_trends(_trend_frame(), "theme", group="community")
    assert cluster_trends_chart(tr, ax=ax) is ax
    assert len(ax.lines) == 3
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("月份", "占比")
    ax2 = cluster_trends_chart(tr, group_value="兰亭苑", value="count")
    assert ax2.get_title() == "兰亭苑" and ax2.get_ylabel() == "工单数"


def test_old_chart_names_warn_and_still_draw(fitted):
    with pytest.warns(FutureWarning, match="top_terms_chart"):
        assert len(plot_top_terms(fitted, n_terms=3).axes) == 6
    tr = cluster_trends(_trend_frame(), "theme")
    with pytest.warns(FutureWarning, match="cluster_trends_chart"):
        assert len(plot_cluster_trends(tr).lines) == 3


def test_english_charts_and_names_have_no_chinese(monkeypatch):
    texts = [
        "loud music from the bar at night",
        "bar music loud again at night",
        "night noise from the bar music",
        "missed garbage pickup on the street",
        "garbage pickup missed this week",
        "street garbage pickup was missed",
    ]
    tc = TicketClusterer(3, mode="english", n_components=None, min_df=1, min_cluster_size=0.4)
    tc.fit(texts)
    assert -1 in tc.names_ and tc.names_[-1] == "Other / unassigned"
    assert not any(has_cjk(n) for n in tc.names_.values())
    assert not has_cjk(tc.summary().to_string())
    fig = top_terms_chart(tc, clusters=list(tc.sizes_.index))
    assert not any(has_cjk(ax.get_title()) for ax in fig.axes)
    df = pd.DataFrame(
        {
            "created_at": ["2024-01-05", "2024-02-20", "2024-02-21"],
            "theme": ["noise", "garbage", "noise"],
            "community": ["Elm", None, "Elm"],
        }
    )
    tr = cluster_trends(df, "theme", group="community", min_count=1, lang="en")
    assert "(missing)" in set(tr["community"])
    ax = cluster_trends_chart(tr, lang="en")
    words = [ax.get_xlabel(), ax.get_ylabel(), ax.get_title()]
    words += [t.get_text() for t in ax.get_legend().get_texts()]
    assert not any(has_cjk(w) for w in words), words


def test_lang_overrides_the_mode_and_zh_is_the_default(corpus):
    texts, _ = corpus
    tc = TicketClusterer(6, min_cluster_size=0.5, n_components=None).fit(texts)
    assert tc.names_[-1] == "其他/未归类"
    en = TicketClusterer(6, min_cluster_size=0.5, n_components=None, lang="en").fit(texts)
    assert en.names_[-1] == "Other / unassigned"
    assert ", " in en.summary()["top_terms"].iloc[0]
    with pytest.raises(ValueError, match="lang"):
        TicketClusterer(6, lang="fr").fit(texts)


def test_assign_themes_never_fits_the_clusterer_passed_in(corpus):
    texts, _ = corpus
    df = pd.DataFrame({"text": texts})
    tc = TicketClusterer(6, min_cluster_size=0)
    out = assign_themes(df, tc)
    assert not hasattr(tc, "labels_")
    assert out["theme_id"].nunique() == 6


def test_cluster_trends_keeps_tickets_without_a_group():
    df = pd.DataFrame(
        {
            "created_at": ["2024-01-05", "2024-01-20", "2024-01-22", "2024-02-02"],
            "theme": ["噪音", "快递", "噪音", "噪音"],
            "community": ["兰亭苑", None, "兰亭苑", "兰亭苑"],
        }
    )
    out = cluster_trends(df, "theme", group="community", min_count=1)
    assert out["count"].sum() == len(df)
    missing = out[out["community"] == "(缺失)"]
    assert missing["count"].sum() == 1
