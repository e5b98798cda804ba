"""Tests of commlib.hotissues: grouping planted events across wordings, the heat ranking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from commlib.errors import MissingColumnsError
from commlib.hotissues import HotIssues, extract_places, hot_issues

PLANTED = [
    "翠湖湾小区旁边的工地夜间施工，噪音太大睡不着",
    "A3区翠湖湾小区附近工地每天半夜还在施工，吵得人无法休息",
    "投诉翠湖湾小区边上工地晚上打桩噪音扰民",
    "翠湖湾小区工地凌晨两点还在施工，严重扰民",
    "强烈要求处理翠湖湾小区周边工地夜间违规施工",
    "翠湖湾小区居民被隔壁工地夜里施工噪声折磨",
    "A3区翠湖湾小区旁工地夜间作业噪音大，老人孩子睡不好",
    "翠湖湾小区对面的建筑工地晚上十一点后还施工",
    "请管管翠湖湾小区附近工地，半夜噪音不断",
    "翠湖湾小区外工地夜间施工扰民，多次反映无果",
    "翠湖湾小区旁工地通宵施工，噪音污染严重",
    "翠湖湾小区附近的工地深夜施工，渣土车也很吵",
    "反映翠湖湾小区工地夜间施工噪音问题",
    "翠湖湾小区周边工地晚上施工声音太大影响休息",
    "翠湖湾小区旁边工地夜间施工扰民问题何时解决",
]

PROBLEMS = [
    "路灯坏了晚上很黑",
    "垃圾桶满了没人清运",
    "下水道堵塞污水外溢",
    "电梯经常故障困人",
    "物业乱收停车费",
    "楼道堆放杂物有安全隐患",
    "小区绿化带被占用种菜",
    "自来水水压太低",
    "门口流动摊贩占道经营",
    "宠物狗随地大小便无人管",
    "广场舞音响声音太大",
    "外墙瓷砖脱落危险",
    "公交站台破损需要维修",
    "学校门口接送车辆拥堵",
    "快递柜收费不合理",
    "燃气管道有异味",
]
SYLLABLES = list("金银星月阳光华美锦绣和平幸福花香春秋东西南北嘉禾丽景龙凤")
SUFFIXES = ["小区", "花园", "家园", "苑", "新村"]


def _background(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    names = {"".join(rng.choice(SYLLABLES, 3)) + SUFFIXES[k % len(SUFFIXES)] for k in range(400)}
    names = sorted(names)
    place = rng.choice(names, n)
    problem = rng.choice(PROBLEMS, n)
    home = dict(zip(names, rng.choice([f"A{k}区" for k in range(1, 9)], len(names)), strict=True))
    district = [home[p] for p in place]  # each estate lies in one district
    text = [f"{d}{p}{q}" for d, p, q in zip(district, place, problem, strict=True)]
    when = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365 * 24, n), unit="h")
    return pd.DataFrame(
        {
            "ticket_id": [f"BG{i:05d}" for i in range(n)],
            "created_at": when,
            "text": text,
            "caller_id": [f"c{i}" for i in rng.integers(0, n, n)],
        }
    )


def _planted(start="2024-06-01", callers=None) -> pd.DataFrame:
    n = len(PLANTED)
    return pd.DataFrame(
        {
            "ticket_id": [f"EV{i:02d}" for i in range(n)],
            "created_at": pd.Timestamp(start) + pd.to_timedelta(np.arange(n) * 31, unit="h"),
            "text": PLANTED,
            "caller_id": callers if callers is not None else [f"ev{i}" for i in range(n)],
        }
    )


@pytest.fixture(scope="module")
def board() -> pd.DataFrame:
    df = pd.concat([_background(3000), _planted()], ignore_index=True)
    return df.sample(frac=1.0, random_state=1).reset_index(drop=True)


@pytest.fixture(scope="module")
def result(board) -> HotIssues:
    return hot_issues(board)


def test_planted_event_is_one_issue_and_ranks_first(result):
    members = result.members.set_index("ticket_id")["issue_id"]
    planted = members[[f"EV{i:02d}" for i in range(len(PLANTED))]]
    assert planted.notna().all()
    assert planted.nunique() == 1
    top = result.issues.iloc[0]
    assert top["issue_id"] == planted.iloc[0]
    assert top["rank"] == 1 and top["tickets"] == len(PLANTED) and top["callers"] == len(PLANTED)
    assert top["place"] == "翠湖湾"
    assert "工地" in top["terms"] or "施工" in top["terms"]
    # the hottest issue is well ahead of any chance grouping of the background
    assert top["heat"] > result.issues["heat"].iloc[1] + 1


def test_members_account_for_every_row(board, result):
    assert len(result.members) == len(board)
    assert result.members["ticket_id"].tolist() == board["ticket_id"].tolist()
    assert result.issues["tickets"].sum() == result.members["issue_id"].notna().sum()


def _with_background(planted: pd.DataFrame) -> pd.DataFrame:
    """The planted event among 500 unrelated messages (IDF needs a corpus to contrast)."""
    return pd.concat([_background(500, seed=3), planted], ignore_index=True)


def _planted_issue(res: HotIssues) -> pd.Series:
    issue = res.members.set_index("ticket_id").loc["EV00", "issue_id"]
    return res.issues.set_index("issue_id").loc[issue]


def test_one_caller_posting_many_times_heats_less_than_many_callers():
    many = _planted_issue(hot_issues(_with_background(_planted())))
    one = _planted_issue(hot_issues(_with_background(_planted(callers=["same"] * len(PLANTED)))))
    assert one["heat"] < many["heat"]
    assert one["callers"] == 1 and many["callers"] == len(PLANTED)


def test_same_problem_at_different_places_is_not_merged():
    df = pd.DataFrame(
        {
            "created_at": pd.date_range("2024-03-01", periods=6, freq="D"),
            "text": ["金色家园工地夜间施工噪音扰民"] * 3 + ["银河花园工地夜间施工噪音扰民"] * 3,
        }
    )
    res = hot_issues(df)
    assert len(res.issues) == 2
    assert set(res.issues["place"]) == {"金色家园", "银河花园"}


def test_window_splits_events_far_apart_in_time():
    df = pd.DataFrame(
        {
            "created_at": pd.to_datetime(
                ["2024-01-01", "2024-01-02", "2024-01-03", "2024-06-01", "2024-06-02", "2024-06-03"]
            ),
            "text": ["金色家园垃圾站臭味熏人"] * 6,
        }
    )
    assert len(hot_issues(df, window="30D").issues) == 2
    assert len(hot_issues(df, window="400D").issues) == 1


def test_likes_raise_heat():
    df = _with_background(_planted())
    base = _planted_issue(hot_issues(df))
    liked = _planted_issue(
        hot_issues(df.assign(likes=np.where(df["ticket_id"].str.startswith("EV"), 100, 0)))
    )
    assert liked["tickets"] == base["tickets"] == len(PLANTED)
    assert liked["heat"] > base["heat"]
    assert liked["likes"] == 100 * len(PLANTED)


def test_to_tipdm_columns_and_languages(result):
    zh = result.to_tipdm("zh", top=5)
    assert list(zh.columns) == [
        "热度排名",
        "问题ID",
        "热度指数",
        "时间范围",
        "地点/人群",
        "问题描述",
    ]
    assert len(zh) == 5 and zh["热度排名"].tolist() == [1, 2, 3, 4, 5]
    assert "至" in zh["时间范围"].iloc[0]
    en = result.to_tipdm("en", top=1)
    assert list(en.columns)[0] == "Heat rank" and " to " in en["Time range"].iloc[0]


def test_representative_is_masked():
    df = _planted()
    df.loc[:, "text"] = df["text"] + "，我的电话13812345678"
    ex = hot_issues(df).issues["example"].iloc[0]
    assert "13812345678" not in ex


def test_place_column_overrides_text():
    df = pd.DataFrame(
        {
            "created_at": pd.date_range("2024-03-01", periods=3, freq="D"),
            "text": ["工地夜间施工噪音扰民", "夜里工地施工太吵", "工地半夜施工噪音"],
            "address": ["幸福路12号", "幸福路12号", "幸福路12号"],
        }
    )
    assert hot_issues(df).issues.empty  # no place named, words alone too weak
    res = hot_issues(df, place="address")
    assert res.issues["tickets"].tolist() == [3] and res.issues["place"].iloc[0] == "幸福路12号"


def test_with_a_place_column_tickets_without_places_make_no_issue():
    # a year of Boston 311: 2,476 'Call Log' rows without an address ranked second as one
    # "issue" at "(missing)", and unlocated tickets chained others onto one address
    df = pd.DataFrame(
        {
            "created_at": pd.date_range("2024-03-01", periods=9, freq="D"),
            "text": ["Call Log"] * 4 + ["Pothole on the road"] * 2 + ["pothole in road"] * 3,
            "address": [None] * 4 + ["12 Main St"] * 2 + [None] * 3,
        }
    )
    res = hot_issues(df, place="address", min_tickets=2)
    assert res.issues["tickets"].tolist() == [2]  # only the located potholes
    assert res.issues["place"].tolist() == ["12 Main St"]
    assert res.members["issue_id"].notna().tolist() == [False] * 4 + [True] * 2 + [False] * 3
    # without a place column the text is all there is: placeless issues stay possible
    assert len(hot_issues(df.drop(columns="address")).issues) >= 1


def test_extract_places_generic_cases():
    got = extract_places(
        pd.Series(
            [
                "A市A5区魅力之城小区临街门面油烟扰民",
                "反映A7县春华镇金鼎村水泥路到户问题",
                "我们小区门口道路太窄",
                "A2区万家丽路口红绿灯太短",
                "Pothole outside 29 Hereford St again",
            ]
        )
    )
    assert got["place"].tolist()[:2] == ["魅力之城", "金鼎村"]
    assert pd.isna(got["place"].iloc[2])
    assert got["place"].iloc[3] == "万家丽路"
    assert got["place"].iloc[4] == "29 Hereford St"
    assert got["district"].tolist()[:2] == ["A5区", "A7县"]


def test_errors_name_the_column():
    with pytest.raises(MissingColumnsError, match="created_at"):
        hot_issues(pd.DataFrame({"text": ["a"]}))
    with pytest.raises(ValueError, match="lang"):
        hot_issues(_planted(), lang="fr")


def test_input_not_mutated():
    df = _planted()
    before = df.copy()
    hot_issues(df)
    pd.testing.assert_frame_equal(df, before)


def test_words_ending_like_places_are_not_places():
    got = extract_places(pd.Series(["A市58车贷老板跑路美国", "孩子入园难", "没有出路"]))
    assert got["place"].isna().all()


def test_city_code_does_not_conflict_with_its_districts():
    df = pd.DataFrame(
        {
            "created_at": pd.date_range("2024-03-01", periods=3, freq="D"),
            "text": [
                "A市金色家园垃圾站臭味熏人",
                "A4区金色家园垃圾站臭味熏人",
                "金色家园垃圾站臭味熏人",
            ],
        }
    )
    assert hot_issues(df).issues["tickets"].tolist() == [3]
    df.loc[0, "text"] = "A4区金色家园垃圾站臭味熏人"
    df.loc[2, "text"] = "A5区金色家园垃圾站臭味熏人"  # same name in another district: not one place
    assert hot_issues(df).issues.empty


def _docs():
    rng = np.random.default_rng(3)
    words = ["油烟", "扰民", "噪音", "\x01油烟", "路灯", "b", "a", "停车", "垃圾", "臭味"]
    docs = [list(rng.choice(words, size=rng.integers(0, 9))) for _ in range(257)]
    docs[5] = ["常见"] * 3
    for d in docs[::2]:
        d.append("常见")  # in more than half of the documents: pruned by max_df
    return docs


@pytest.mark.parametrize("chunk", [7, 20_000])
@pytest.mark.parametrize("max_df", [0.5, 1.0])
def test_lean_tfidf_equals_scikit_learn(monkeypatch, chunk, max_df):
    # the same matrix, entry for entry and in the same order, as TfidfVectorizer
    from sklearn.feature_extraction.text import TfidfVectorizer

    import commlib.hotissues as hi

    monkeypatch.setattr(hi, "_COUNT_CHUNK", chunk)
    docs = _docs()
    vec = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, max_df=max_df)
    want = vec.fit_transform(docs).astype(np.float32)
    got, terms = hi._tfidf(iter(docs), len(docs), max_df=max_df)
    assert terms.tolist() == vec.get_feature_names_out().tolist()
    assert got.dtype == np.float32 and got.shape == want.shape
    np.testing.assert_array_equal(got.indptr, want.indptr)
    np.testing.assert_array_equal(got.indices, want.indices)
    np.testing.assert_array_equal(got.data, want.data)


def test_lean_tfidf_raises_like_scikit_learn():
    import commlib.hotissues as hi

    with pytest.raises(ValueError):
        hi._tfidf(iter([[], []]), 2, max_df=1.0)
    with pytest.raises(ValueError):  # every term pruned
        hi._tfidf(iter([["a"], ["a"], ["a"]]), 3, max_df=0.5)


def test_same_place_links_survive_many_places_and_long_spans():
    """Place x nanosecond-span keys overflowed int64 beyond about 180 places over a
    year (a RuntimeWarning, and links lost where the key wrapped); the capped key finds
    exactly the same-place pairs within the window."""
    import warnings

    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    from commlib.hotissues import _links

    rng = np.random.default_rng(0)
    n = 3000
    place = rng.integers(0, 400, n)
    when = (rng.integers(0, 730 * 86400, n) * 10**9 + rng.integers(0, 10**9, n)).astype(np.int64)
    window = 3 * 86400 * 10**9
    # two tickets a day apart at the place whose old key range straddled 2**63
    when[0], when[1] = 0, 730 * 86400 * 10**9  # fix the span
    span = int(when.max() - when.min()) + 2 * window + 1
    p = 2**63 // span
    wrap = 2**63 - p * span  # relative time where that place's old key wrapped
    place[2:4] = p
    when[2], when[3] = wrap - 43200 * 10**9, wrap + 43200 * 10**9
    X = sparse.csr_matrix(np.ones((n, 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        i, j = _links(X, when, place, np.full(n, -1), window_ns=window, lo=0.5, hi=0.9)
    got = connected_components(sparse.coo_matrix((np.ones(len(i)), (i, j)), (n, n)))[1]
    a, b = np.triu_indices(n, 1)
    ok = (place[a] == place[b]) & (np.abs(when[a] - when[b]) <= window)
    want = connected_components(sparse.coo_matrix((np.ones(ok.sum()), (a[ok], b[ok])), (n, n)))[1]
    assert got[2] == got[3]
    # same partition (labels may be numbered otherwise)
    assert len(set(zip(got, want, strict=True))) == len(set(got)) == len(set(want))
