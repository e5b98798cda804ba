"""Tests of commlib.text: tokenizers, bundled dictionary and stop words."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commlib import text as ct
from commlib.text import (
    Tokenizer,
    available_backends,
    count_terms,
    governance_words,
    stop_words,
    tokenize,
    tokenize_many,
)

BACKENDS = available_backends()


def test_one_character_complaint_words_are_kept():
    toks = tokenize("楼上很吵，垃圾房很臭，屋顶漏，下水道堵，楼道又脏又乱")
    for word in ["吵", "臭", "漏", "堵", "脏", "乱"]:
        assert word in toks


def test_scikit_learn_default_pattern_would_drop_them():
    # the pitfall the tokenizer exists for: \b\w\w+\b has no one-character tokens
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    docs = ["楼上 很 吵", "垃圾 很 臭"]
    assert "吵" not in CountVectorizer().fit(docs).vocabulary_
    vec = TfidfVectorizer(tokenizer=Tokenizer(), token_pattern=None, lowercase=False)
    vec.fit(["楼上装修很吵", "垃圾房很臭"])
    assert {"吵", "臭"} <= set(vec.vocabulary_)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "term",
    [
        "外摆位",
        "飞线充电",
        "群租",
        "居委",
        "快递驿站",
        "私拉电线",
        "楼道堆物",
        "人车混行",
        "木栈道",
    ],
)
def test_governance_terms_stay_whole(backend, term):
    assert term in tokenize(f"市民来电反映小区门口{term}问题很严重", backend=backend)


@pytest.mark.skipif(len(BACKENDS) < 2, reason="needs both rjieba and jieba installed")
def test_backends_give_the_same_tokens():
    rng = np.random.default_rng(0)
    words = governance_words()
    fast, slow = Tokenizer(backend="rjieba"), Tokenizer(backend="jieba")
    for _ in range(300):
        a, b = rng.choice(words, 2, replace=False)
        text = f"市民来电反映小区门口{a}，晚上{b}，物业不管"
        assert fast(text) == slow(text)
    assert fast.backend_ == "rjieba" and slow.backend_ == "jieba"


def test_bundled_dictionary_and_stop_words_are_sizeable():
    assert len(governance_words()) >= 140
    zh = set(stop_words())
    assert {"市民", "来电", "反映", "诉求", "希望", "相关部门", "处理", "尽快", "要求"} <= zh
    assert {"上海市", "普陀区", "街道", "小区", "号", "弄", "路"} <= zh
    assert not {"吵", "臭", "漏", "堵", "脏", "乱", "黑", "堆"} & zh
    assert not set(governance_words()) & zh


def test_stop_words_placeholders_places_and_numbers_are_removed():
    toks = tokenize(
        "市民[姓名]（电话[电话]）来电反映：上海市普陀区某某街道兰亭苑小区3号楼502室、"
        "云岭西路123弄，楼道堆物严重，希望相关部门尽快处理！！"
    )
    assert "楼道堆物" in toks
    removed = {"市民", "姓名", "电话", "来电", "反映", "上海市", "普陀区", "某某", "街道", "小区"}
    removed |= {"3", "号楼", "502", "室", "123", "弄", "希望", "相关部门", "尽快", "处理", "！"}
    assert not removed & set(toks)
    # street and compound names are not known in advance: users add them as stop words
    assert "兰亭苑" not in tokenize("兰亭苑小区楼道堆物", stop_words=["兰亭苑"])


def test_user_words_and_stop_words_from_lists_and_files(tmp_path):
    text = "兰亭苑的水管漏了"
    assert "兰亭苑" not in tokenize(text, stop_words=["兰亭苑"])
    assert "水管漏" in tokenize(text, user_words=["水管漏"])
    words = tmp_path / "words.txt"
    words.write_text("# my words\n水管漏\n\n", encoding="utf-8")
    stops = tmp_path / "stops.txt"
    stops.write_text("兰亭苑\n", encoding="utf-8")
    tok = Tokenizer(user_words=words, stop_words=str(stops))
    assert tok(text) == ["水管漏"]


def test_missing_word_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="user_words file"):
        Tokenizer(user_words=tmp_path / "nope.txt")


def test_bundled_false_uses_only_the_users_lists():
    assert "反映" in Tokenizer(bundled=False)("市民反映")
    assert Tokenizer(bundled=False, stop_words=["市民", "反映"])("市民反映") == []


def test_keep_single_false_drops_one_character_tokens():
    assert "吵" not in Tokenizer(keep_single=False)("楼上很吵")


def test_missing_values_give_empty_lists():
    tok = Tokenizer()
    assert tok(None) == [] and tok(float("nan")) == [] and tok("") == []


def test_ascii_inside_chinese_is_lower_cased():
    assert "wifi" in tokenize("小区WiFi信号差")


def test_char_mode():
    toks = tokenize("市民来电反映：楼上很吵！", mode="char")
    assert toks == ["楼", "上", "很", "吵"]


def test_english_mode():
    toks = tokenize(
        "Loud MUSIC from 123 Main St. The caller reports noise every night.", mode="english"
    )
    assert toks == ["loud", "music", "main", "noise", "every", "night"]
    assert tokenize("potholes and streetlights, bodies", mode="english", fold_plurals=True) == [
        "pothole",
        "streetlight",
        "body",
    ]


def test_bad_mode_is_rejected():
    with pytest.raises(ValueError, match="mode must be one of"):
        Tokenizer(mode="pinyin")


def test_tokenizer_pickles_and_works_after():
    tok = Tokenizer(user_words=["水管漏"], stop_words=["兰亭苑"])
    tok("预热")  # builds the segmenter, which must not be pickled
    again = pickle.loads(pickle.dumps(tok))
    assert again == tok
    assert again("兰亭苑的水管漏了") == tok("兰亭苑的水管漏了") == ["水管漏"]
    assert "user_words" in repr(tok)


def test_tokenizer_survives_sklearn_clone():
    from sklearn.base import clone
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(tokenizer=Tokenizer(), token_pattern=None, lowercase=False)
    twin = clone(vec)
    assert twin.get_params()["tokenizer"] == Tokenizer()


def test_tokenize_many_accepts_arrow_backed_series():
    s = pd.Series(["楼上很吵", None, "垃圾很臭"], dtype="str")
    assert tokenize_many(s) == [["楼上", "吵"], [], ["垃圾", "臭"]]
    with pytest.raises(TypeError, match="single string"):
        tokenize_many("楼上很吵")


@pytest.mark.slow
def test_parallel_paths_match_serial(monkeypatch):
    monkeypatch.setattr(ct, "PARALLEL_MIN_TEXTS", 0)
    texts = [
        f"市民反映{i}号楼飞线充电很危险，楼下快递驿站很乱" if i % 2 else "楼上很吵"
        for i in range(400)
    ]
    serial = tokenize_many(texts, n_jobs=1)
    assert tokenize_many(texts, n_jobs=2) == serial
    X1, t1 = count_terms(texts, ngram_range=(1, 2), n_jobs=1)
    X2, t2 = count_terms(texts, ngram_range=(1, 2), n_jobs=2)
    assert t1 == t2 and (X1 != X2).nnz == 0


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 3), (1, 3)])
def test_count_terms_matches_count_vectorizer(ngram_range):
    from sklearn.feature_extraction.text import CountVectorizer

    texts = [
        "快递丢失没人管，快递柜坏了",
        "楼上装修很吵很吵",
        "",
        "吵",
        "快递柜坏了",
        "楼上很吵很吵很吵",
    ]
    tok = Tokenizer()
    X, terms = count_terms(texts, tokenizer=tok, ngram_range=ngram_range)
    ref = CountVectorizer(
        tokenizer=tok, token_pattern=None, lowercase=False, ngram_range=ngram_range
    )
    R = ref.fit_transform(texts)
    cols = [ref.vocabulary_[t] for t in terms]
    assert sorted(terms) == sorted(ref.vocabulary_)
    assert (X - R[:, cols]).nnz == 0
    assert (
        count_terms(
            texts,
            tokenizer=tok,
            vocabulary=dict(zip(terms, range(len(terms)), strict=True)),
            ngram_range=ngram_range,
        )[0].sum()
        == X.sum()
    )


def test_count_terms_with_a_fixed_vocabulary_ignores_unknown_terms():
    texts = ["快递丢失没人管，快递柜坏了", "快递柜坏了"]
    tok = Tokenizer()
    X, terms = count_terms(texts, tokenizer=tok)
    Y, same = count_terms(
        ["快递柜坏了，新词"],
        tokenizer=tok,
        vocabulary=dict(zip(terms, range(len(terms)), strict=True)),
    )
    assert same == terms and Y.sum() == 2


@settings(max_examples=60, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("吵臭漏快递丢失市民反映小区号的，。 123abc[电话]")),
        max_size=40,
    )
)
def test_tokens_are_never_empty_stop_words_or_numbers(text):
    tok = Tokenizer()
    zh = set(stop_words())
    for t in tok(text):
        assert t and t.strip() == t and t not in zh and not t.isdigit()


class _Plain:
    """A word tokenizer seen only through ``__call__`` (the general path of _ids_chunk)."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text):
        return self.tokenizer(text)


_MIXED = st.lists(
    st.sampled_from(
        [
            "快递",
            "丢失",
            "的",
            "了",
            "噪音",
            "ABC",
            "abc",
            "Wifi",
            "12",
            "3.5",
            "[姓名]",
            "【电话】",
            "A市",
            "B3区",
            "，",
            " ",
            "扰民",
            "楼道",
            "x",
            "我们",
            "\n",
            "PM2.5",
        ]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(_MIXED, st.none(), st.just(float("nan"))), max_size=25))
def test_word_ids_chunk_equals_tokenizing_each_text(texts):
    """The word-mode path of _ids_chunk (each distinct segment looked up once) gives the
    same ids, lengths and vocabulary as tokenizing each text and numbering its tokens."""
    from commlib._textinput import PlacesCut

    for tok in (ct.Tokenizer(), PlacesCut(ct.Tokenizer())):
        fast = ct._ids_chunk(tok, texts)
        slow = ct._ids_chunk(_Plain(tok), texts)
        np.testing.assert_array_equal(fast[0], slow[0])
        np.testing.assert_array_equal(fast[1], slow[1])
        assert fast[2] == slow[2]
