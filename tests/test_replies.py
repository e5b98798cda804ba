"""Tests of commlib.replies: copy-paste replies caught, unrelated replies score low."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from commlib.errors import MissingColumnsError
from commlib.replies import ReplyQuality, reply_quality

TOPICS = [
    (
        "小区门口垃圾堆放多日无人清运，臭味很大",
        "环卫所已安排清运车辆，于3月5日前将小区门口堆放的垃圾清运完毕",
    ),
    (
        "楼上邻居装修每天早上七点就开始电钻噪音",
        "经核实，该户装修施工时间违反规定，物业已责令其按规定时间施工，噪音问题已整改",
    ),
    (
        "路灯坏了一个月，晚上小路很黑不安全",
        "路灯管理处已于3月8日更换损坏的路灯灯泡，小路照明已经恢复",
    ),
    (
        "学校门口接送车辆乱停，早高峰交通拥堵",
        "交警大队已在学校门口增派警力疏导交通，并划设临时停车区域，规范接送车辆停放",
    ),
    (
        "菜市场周边流动摊贩占道经营，油烟扰民",
        "城管执法中队已对菜市场周边占道摊贩进行清理，并将加强巡查，防止油烟扰民反弹",
    ),
    (
        "公交站台顶棚破损，下雨没有地方躲雨",
        "公交公司已安排维修人员对站台顶棚进行修复，预计本月底前完成",
    ),
]
COPY = "您好！您反映的问题已转交相关部门处理，感谢您对我们工作的支持。"


def _replies(n_each: int = 6) -> pd.DataFrame:
    rows = []
    rng = np.random.default_rng(0)
    for k in range(n_each):
        for m, r in TOPICS:
            rows.append((f"{m}（第{k + 1}次反映）", f"您好！{r}。如有疑问请联系电话8888{k:04d}。"))
    df = pd.DataFrame(rows, columns=["text", "reply"])
    df["ticket_id"] = [f"T{i:03d}" for i in range(len(df))]
    df["department"] = rng.choice(["城管局", "住建局"], len(df))
    df["created_at"] = pd.Timestamp("2024-03-01") + pd.to_timedelta(np.arange(len(df)), unit="D")
    df["reply_at"] = df["created_at"] + pd.Timedelta(days=5)
    return df


@pytest.fixture
def board() -> pd.DataFrame:
    df = _replies()
    # three different messages answered with the same boilerplate
    for i, tid in zip((0, 9, 20), ("T000", "T009", "T020"), strict=True):
        assert df.at[i, "ticket_id"] == tid
        df.at[i, "reply"] = COPY
    # one reply that answers another message entirely
    df.at[13, "reply"] = (
        "您好！经核实，该地块规划为居住用地，依据《城乡规划法》第四十条，已于2024年3月办理许可。"
    )
    return df


def test_copy_paste_reply_is_caught(board):
    res = reply_quality(board)
    assert isinstance(res, ReplyQuality)
    groups = res.replies.set_index("ticket_id")["copy_group"]
    assert groups[["T000", "T009", "T020"]].notna().all()
    assert groups[["T000", "T009", "T020"]].nunique() == 1
    # replies that only share a template but answer their own message are not copies
    assert groups.drop(["T000", "T009", "T020"]).isna().all()
    assert res.copies["replies"].iloc[0] == 3


def test_same_message_same_reply_is_not_a_copy():
    df = pd.DataFrame({"text": ["路灯坏了", "路灯坏了"], "reply": [COPY, COPY]})
    assert reply_quality(df, by=None).replies["copy_group"].isna().all()


def test_unrelated_reply_scores_low(board):
    r = reply_quality(board).replies.set_index("ticket_id")
    unrelated = r.loc["T013", "relevance"]
    others = r.drop(["T000", "T009", "T020", "T013"])["relevance"]
    assert unrelated < others.min()
    assert unrelated < 0.1 < others.median()


def test_completeness_and_interpretability_cues():
    df = pd.DataFrame(
        {
            "text": ["小区垃圾没人清运"] * 2 + ["Pothole on Main St"],
            "reply": [
                "您好！经核实，根据《城市市容和环境卫生管理条例》，街道办事处已责令物业于3月5日前清运，如有疑问请致电12345。",
                "已收悉",
                "Thank you. We inspected the site; under the city ordinance the Public Works Department "
                "repaired the pothole on March 3. Call 311 with questions.",
            ],
        }
    )
    r = reply_quality(df, by=None).replies
    assert r["completeness"].tolist()[:2] == [1.0, 0.0]
    assert r.loc[0, ["actions", "offices", "dates"]].tolist() == [1.0, 1.0, 1.0]
    assert r.loc[2, "completeness"] == 1.0 and r.loc[2, "interpretability"] == 1.0


def test_timeliness_in_working_days():
    df = pd.DataFrame(
        {
            "text": ["a", "b"],
            "reply": ["已处理", "已处理"],
            "created_at": pd.to_datetime(["2024-09-30", "2024-09-30"]),
            "reply_at": pd.to_datetime(["2024-10-08", "2024-12-31"]),
        }
    )
    r = reply_quality(df, by=None, deadline_days=15).replies
    assert r["working_days"].tolist()[0] == 1.0  # National Day week off
    assert r["timeliness"].iloc[0] == 1.0 and r["timeliness"].iloc[1] < 1.0


def test_summary_and_weakest(board):
    res = reply_quality(board, n_weakest=3)
    assert set(res.summary["group"]) == {"城管局", "住建局"}
    assert res.summary["replies"].sum() == len(board)
    assert len(res.weakest) == 3 and set(res.weakest["ticket_id"]) & {
        "T000",
        "T009",
        "T020",
        "T013",
    }
    assert list(res.summary_table("en").columns)[:2] == ["Group", "Replies"]
    assert list(res.summary_table("zh").columns)[:2] == ["分组", "答复数"]


def test_weakest_examples_are_masked():
    df = pd.DataFrame({"text": ["我叫张三，电话13812345678，路灯坏了"], "reply": ["已收悉"]})
    weak = reply_quality(df, by=None).weakest
    assert "13812345678" not in weak["message"].iloc[0]


def test_rows_without_reply_are_kept_unscored(board):
    df = board.copy()
    df.loc[5, "reply"] = None
    r = reply_quality(df).replies
    assert len(r) == len(df) and np.isnan(r.loc[5, "quality"])


def test_errors():
    with pytest.raises(MissingColumnsError, match="department"):
        reply_quality(pd.DataFrame({"text": ["a"], "reply": ["b"]}))
    with pytest.raises(MissingColumnsError, match="reply"):
        reply_quality(pd.DataFrame({"text": ["a"]}), by=None)


REPLY_FEATURE_TEXTS = [
    "您好，经核实 ABC abc 123 4567 道路积水严重",
    "",
    "İS OK ok 12 １２３４ 火火火火",  # İ lowers to i + a combining dot; full-width digits
    "\n中\n文",  # no bigram across a line break
    "x",
    "𠀀中文中文",  # a character outside the BMP next to CJK
    "已整改。Repaired 3 lights, call 617-635-4500",
]


def test_feature_counts_equal_count_vectorizer():
    from sklearn.feature_extraction.text import CountVectorizer

    from commlib import replies

    cv = CountVectorizer(analyzer=replies._analyzer)
    ref = cv.fit_transform(REPLY_FEATURE_TEXTS)
    got, features = replies._feature_counts(REPLY_FEATURE_TEXTS)
    assert features == cv.get_feature_names_out().tolist()
    assert (got != ref).nnz == 0
    assert got.has_sorted_indices


def test_feature_counts_blocks_give_the_same_matrix(monkeypatch):
    from commlib import replies

    texts = [f"{a}道路积水{b}" for a in REPLY_FEATURE_TEXTS for b in ("严重", "", "ok 123")]
    whole, f1 = replies._feature_counts(texts)
    monkeypatch.setattr(replies, "_FEATURE_BLOCK", 4)
    blocks, f2 = replies._feature_counts(texts)
    assert f1 == f2 and (whole != blocks).nnz == 0


def test_texts_without_any_word_give_no_relevance_and_no_crash():
    # punctuation and placeholders only: no ASCII word and no CJK bigram anywhere
    df = pd.DataFrame(
        {
            "ticket_id": [1, 2],
            "text": ["!!!", "?"],
            "reply": ["...", "。"],
            "created_at": pd.to_datetime(["2024-03-01", "2024-03-02"]),
            "reply_at": pd.to_datetime(["2024-03-04", "2024-03-05"]),
        }
    )
    res = reply_quality(df, by=None)
    assert res.replies["relevance"].isna().all()
    assert res.replies["copy_group"].isna().all()
    assert res.replies["quality"].notna().all()


def _runs_in_python(pattern: str) -> bool:
    """Whether pandas hands ``pattern`` to Python's re row by row instead of Arrow's RE2,
    on text holding Chinese characters (pandas' own test of its Arrow strings)."""
    return pd.array(["中文 text"], dtype="str")._needs_python_regex(pattern)


def test_cue_and_cleaning_patterns_run_in_arrow():
    """Every pattern reply_quality and hot_issues run over a whole column is one Arrow's
    RE2 runs (pandas fell back to Python's re for \\d, \\b, \\s and \\u escapes: 6 s of
    31 s of reply_quality on 200,000 generated replies)."""
    import commlib.hotissues as hot
    import commlib.replies as rq

    patterns = [*rq.CUES.values(), *rq._INTERPRET.values(), rq._SPACES]
    patterns += [hot._PLACE_RE, hot._DISTRICT_RE, hot._SPACES]
    assert [p for p in patterns if _runs_in_python(p)] == []
    assert _runs_in_python(r"law\b") and _runs_in_python(r"[\u4e00-\u9fff]")


def test_english_cue_words_need_their_word_edges():
    """Cue words end where \\b ended them: "unresolved" and "lawn" are no cues, "resolved."
    and "law" before a Chinese character's absence are; digits may be full-width."""
    df = pd.DataFrame(
        {
            "text": ["Pothole"] * 5,
            "reply": [
                "The issue is unresolved and the lawn is dry",
                "The issue was resolved. See city law",
                "Resolved",
                "请致电１２３４５６７８",
                "已收悉 依照第３条",
            ],
        }
    )
    r = reply_quality(df, by=None).replies
    assert r[["action", "basis"]].to_numpy().tolist()[:3] == [[0, 0], [1, 1], [1, 0]]
    assert r.loc[3, "contact"] == 1.0 and r.loc[4, "basis"] == 1.0
